// mlc-gpu-wrap-serial: host ops that touch device memory become single-thread kernels.
#include "compiler/Codegen/GPU/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlc {
#define GEN_PASS_DEF_GPUWRAPSERIAL
#include "compiler/Codegen/GPU/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

struct GPUWrapSerialPass : public mlc::impl::GPUWrapSerialBase<GPUWrapSerialPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    // memref.copy lowers to a runtime call on the host; as linalg.copy it becomes device loops.
    func.walk([](memref::CopyOp copy) {
      OpBuilder b(copy);
      b.create<linalg::CopyOp>(copy.getLoc(), copy.getSource(), copy.getTarget());
      copy.erase();
    });
    SmallVector<Operation *> toWrap;
    for (Operation &op : func.getBody().front().without_terminator()) {
      if (isa<gpu::LaunchOp>(op) || isMemoryEffectFree(&op))
        continue;
      if (op.getNumResults() != 0) {
        op.emitError("mlc-gpu-wrap-serial: cannot run '") << op.getName()
            << "' on the device: its results are used on the host";
        return signalPassFailure();
      }
      toWrap.push_back(&op);
    }
    for (Operation *op : toWrap) {
      OpBuilder b(op);
      Location loc = op->getLoc();
      Value one = b.create<arith::ConstantIndexOp>(loc, 1);
      auto launch = b.create<gpu::LaunchOp>(loc, one, one, one, one, one, one);
      Block &body = launch.getBody().front();
      b.setInsertionPointToStart(&body);
      auto terminator = b.create<gpu::TerminatorOp>(loc);
      op->moveBefore(terminator);
    }
    sinkConstantTensors(func);
  }

  /// A constant tensor (memref.global) lives in host memory, where kernels cannot read it: each
  /// launch that uses one gets its own memref.get_global (and the views of it), so that kernel
  /// outlining copies the global into the kernel's module, where it becomes initialized device
  /// memory.
  static void sinkConstantTensors(func::FuncOp func) {
    std::function<bool(Value)> fromGlobal = [&](Value v) {
      Operation *def = v.getDefiningOp();
      if (!def)
        return false;
      if (isa<memref::GetGlobalOp>(def))
        return true;
      auto view = dyn_cast<ViewLikeOpInterface>(def);
      return view && isMemoryEffectFree(def) && fromGlobal(view.getViewSource());
    };
    func.walk([&](gpu::LaunchOp launch) {
      (void)sinkOperationsIntoLaunchOp(launch, [&](Operation *op) {
        if (isa<memref::GetGlobalOp>(op))
          return true;
        return op->getNumResults() == 1 && isa<ViewLikeOpInterface>(op) && fromGlobal(op->getResult(0));
      });
    });
  }
};

} // namespace
