// VJP rules of the window ops: im2col and col2im are linear and each other's adjoints.
#include "compiler/Autodiff/Rules/Rules.h"

using namespace mlir;
using namespace mlc;

namespace {

// Every window element is a copy of one image element (or the pad value, which is no input), so
// the image adjoint sums the window adjoints back: col2im.
struct Im2ColVJP : VJPRule<Im2ColVJP, Im2ColOp> {
  static LogicalResult vjp(Im2ColOp op, OpBuilder &b, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    g[0] = col2im(b, op.getLoc(), dy, op.getGeometry(), op.getInput().getType());
    return success();
  }
};

// col2im is the transpose of im2col with zero padding.
struct Col2ImVJP : VJPRule<Col2ImVJP, Col2ImOp> {
  static LogicalResult vjp(Col2ImOp op, OpBuilder &b, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    g[0] = im2col(b, op.getLoc(), dy, op.getGeometry(), 0.0);
    return success();
  }
};

} // namespace

void mlc::registerWindowVJPRules(MLIRContext *ctx) {
  Im2ColOp::attachInterface<Im2ColVJP>(*ctx);
  Col2ImOp::attachInterface<Col2ImVJP>(*ctx);
}
