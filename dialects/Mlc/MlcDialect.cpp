// Registration of the mlc dialect's ops.
#include "dialects/Mlc/MlcDialect.h"
#include "dialects/Mlc/MlcOps.h"

#include "mlir/Transforms/InliningUtils.h"

using namespace mlir;
using namespace mlc;

#include "dialects/Mlc/MlcDialect.cpp.inc"

namespace {
/// Every mlc op is pure and region-free, so calls between step functions can always be inlined.
struct MlcInlinerInterface : public DialectInlinerInterface {
  using DialectInlinerInterface::DialectInlinerInterface;
  bool isLegalToInline(Operation *, Region *, bool, IRMapping &) const final { return true; }
};
} // namespace

void MlcDialect::initialize() {
  addInterfaces<MlcInlinerInterface>();
  addOperations<
#define GET_OP_LIST
#include "dialects/Mlc/MlcOps.cpp.inc"
      >();
}
