// mlc-cpu-profile-ops: brackets each op of @train_step with calls that let the trainer's
// --profile time it, and records the ops' groups, FLOPs and bytes for the report it prints.
#include "compiler/Codegen/Common/OpCost.h"
#include "compiler/Codegen/CPU/Passes.h"

#include "llvm/Support/FormatVariadic.h"

namespace mlc {
#define GEN_PASS_DEF_CPUPROFILEOPS
#include "compiler/Codegen/CPU/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kBegin = "mlc_profile_begin";
constexpr llvm::StringLiteral kEnd = "mlc_profile_end";

struct CPUProfileOpsPass : public mlc::impl::CPUProfileOpsBase<CPUProfileOpsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto step = module.lookupSymbol<func::FuncOp>("train_step");
    if (!step || step.isExternal())
      return;
    OpBuilder b(module.getBodyRegion());
    b.setInsertionPointToEnd(module.getBody());
    auto i32 = b.getI32Type();
    for (StringRef name : {kBegin, kEnd}) {
      if (module.lookupSymbol(name))
        continue;
      auto decl = b.create<func::FuncOp>(module.getLoc(), name, b.getFunctionType({i32}, {}));
      decl.setPrivate();
    }

    SmallVector<Attribute> records;
    SmallVector<linalg::LinalgOp> ops;
    // Fills are left out: scheduling moves each into the tiles of the op that accumulates into
    // its result, so their time is that op's.
    for (Operation &op : step.getBody().front())
      if (auto linalgOp = dyn_cast<linalg::LinalgOp>(&op); linalgOp && !isa<linalg::FillOp>(op))
        ops.push_back(linalgOp);
    for (linalg::LinalgOp op : ops) {
      mlc::OpCost cost = mlc::costOf(op);
      auto id = static_cast<int32_t>(records.size());
      records.push_back(b.getStringAttr(llvm::formatv("{0} {1} {2}", cost.group, cost.flops, cost.bytes).str()));
      Location loc = op.getLoc();
      b.setInsertionPoint(op);
      Value idValue = b.create<arith::ConstantIntOp>(loc, id, 32);
      b.create<func::CallOp>(loc, kBegin, TypeRange{}, idValue);
      b.setInsertionPointAfter(op);
      b.create<func::CallOp>(loc, kEnd, TypeRange{}, idValue);
    }
    step->setAttr(kRecordsAttr, b.getArrayAttr(records));
  }

  static constexpr llvm::StringLiteral kRecordsAttr = "mlc.profile_ops";
};

} // namespace
