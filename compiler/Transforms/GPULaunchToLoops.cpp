// mlc-gpu-launch-to-loops: host emulation of barrier-free kernels, for testing without a GPU.
#include "compiler/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/IRMapping.h"

namespace mlc {
#define GEN_PASS_DEF_GPULAUNCHTOLOOPS
#include "compiler/Transforms/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

static LogicalResult emulate(gpu::LaunchOp launch) {
  if (launch.getAsyncToken() || !launch.getBody().hasOneBlock())
    return launch.emitError("mlc-gpu-launch-to-loops: only synchronous single-block launches");
  if (!launch.getBody().getOps<gpu::BarrierOp>().empty() || launch.getNumWorkgroupAttributions())
    return launch.emitError("mlc-gpu-launch-to-loops: barriers and shared memory cannot be "
                            "emulated by sequential loops");
  OpBuilder b(launch);
  Location loc = launch.getLoc();
  gpu::KernelDim3 grid = launch.getGridSizeOperandValues();
  gpu::KernelDim3 block = launch.getBlockSizeOperandValues();
  Value zero = b.create<arith::ConstantIndexOp>(loc, 0);
  Value one = b.create<arith::ConstantIndexOp>(loc, 1);

  IRMapping map;
  auto bind = [&](gpu::KernelDim3 args, gpu::KernelDim3 values) {
    map.map(args.x, values.x);
    map.map(args.y, values.y);
    map.map(args.z, values.z);
  };
  bind(launch.getGridSize(), grid);
  bind(launch.getBlockSize(), block);
  // Loop order: blocks z, y, x, then threads z, y, x (x innermost, as neighbouring threads).
  std::pair<Value, Value> loops[] = {
      {launch.getBlockIds().z, grid.z},   {launch.getBlockIds().y, grid.y},
      {launch.getBlockIds().x, grid.x},   {launch.getThreadIds().z, block.z},
      {launch.getThreadIds().y, block.y}, {launch.getThreadIds().x, block.x}};
  for (auto [id, size] : loops) {
    auto loop = b.create<scf::ForOp>(loc, zero, size, one);
    map.map(id, loop.getInductionVar());
    b.setInsertionPointToStart(loop.getBody());
  }
  for (Operation &op : launch.getBody().front().without_terminator())
    b.clone(op, map);
  launch.erase();
  return success();
}

struct GPULaunchToLoopsPass : public mlc::impl::GPULaunchToLoopsBase<GPULaunchToLoopsPass> {
  void runOnOperation() override {
    SmallVector<gpu::LaunchOp> launches;
    getOperation().walk([&](gpu::LaunchOp l) { launches.push_back(l); });
    for (gpu::LaunchOp l : launches)
      if (failed(emulate(l)))
        return signalPassFailure();
  }
};

} // namespace
