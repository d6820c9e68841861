// mlc-gpu-launch-to-loops: host emulation of barrier-free kernels, for testing without a GPU.
#include "compiler/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlc {
#define GEN_PASS_DEF_GPULAUNCHTOLOOPS
#include "compiler/Transforms/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

/// Per-thread values that live across a barrier: scalars go through a per-block buffer indexed
/// by thread id; views (pure ops on such values) are recomputed in the later phase.
class PhaseValues {
public:
  PhaseValues(OpBuilder &b, Location loc, std::array<int64_t, 3> blockDims)
      : b(b), loc(loc), dims(blockDims) {}

  static bool isScalar(Type t) { return t.isIntOrIndexOrFloat(); }

  /// A buffer for `v`, created at block level (before the phases' thread loops).
  void reserve(Value v, OpBuilder &blockLevel) {
    auto type = MemRefType::get({dims[2], dims[1], dims[0]}, v.getType());
    spills[v] = blockLevel.create<memref::AllocaOp>(loc, type);
  }
  bool hasSpill(Value v) const { return spills.count(v); }
  void store(Value v, Value mapped, ArrayRef<Value> tid) {
    b.create<memref::StoreOp>(loc, mapped, spills.lookup(v), tid);
  }
  Value load(Value v, ArrayRef<Value> tid) {
    return b.create<memref::LoadOp>(loc, spills.lookup(v), tid);
  }

private:
  OpBuilder &b;
  Location loc;
  std::array<int64_t, 3> dims;
  DenseMap<Value, Value> spills;
};

/// Makes `v` (defined in an earlier phase) available in the current phase's mapping.
static LogicalResult materialize(Value v, const DenseSet<Operation *> &earlier, PhaseValues &spills,
                                 ArrayRef<Value> tid, OpBuilder &b, IRMapping &map) {
  if (map.contains(v))
    return success();
  Operation *def = v.getDefiningOp();
  if (!def || !earlier.contains(def))
    return success(); // defined outside the launch, or a launch argument already mapped
  if (spills.hasSpill(v)) {
    map.map(v, spills.load(v, tid));
    return success();
  }
  if (!isMemoryEffectFree(def) || def->getNumRegions() != 0)
    return def->emitError("mlc-gpu-launch-to-loops: a non-scalar value crosses a barrier");
  for (Value operand : def->getOperands())
    if (failed(materialize(operand, earlier, spills, tid, b, map)))
      return failure();
  b.clone(*def, map);
  return success();
}

static LogicalResult emulate(gpu::LaunchOp launch) {
  if (launch.getAsyncToken() || !launch.getBody().hasOneBlock())
    return launch.emitError("mlc-gpu-launch-to-loops: only synchronous single-block launches");
  Block &body = launch.getBody().front();
  WalkResult nestedBarrier = body.walk([&](gpu::BarrierOp barrier) {
    return barrier->getBlock() == &body ? WalkResult::advance() : WalkResult::interrupt();
  });
  if (nestedBarrier.wasInterrupted())
    return launch.emitError("mlc-gpu-launch-to-loops: a barrier inside control flow cannot be "
                            "emulated (barriers must be at the top level of the kernel)");
  // A barrier ends a phase: every thread of the block finishes it before any starts the next.
  SmallVector<SmallVector<Operation *>> phases(1);
  for (Operation &op : body.without_terminator()) {
    if (isa<gpu::BarrierOp>(op))
      phases.emplace_back();
    else
      phases.back().push_back(&op);
  }
  if (phases.size() > 1 && launch.getNumPrivateAttributions())
    return launch.emitError("mlc-gpu-launch-to-loops: private memory across barriers");

  OpBuilder b(launch);
  Location loc = launch.getLoc();
  gpu::KernelDim3 grid = launch.getGridSizeOperandValues();
  gpu::KernelDim3 block = launch.getBlockSizeOperandValues();
  std::array<int64_t, 3> blockDims{1, 1, 1};
  if (phases.size() > 1) {
    auto x = getConstantIntValue(block.x), y = getConstantIntValue(block.y),
         z = getConstantIntValue(block.z);
    if (!x || !y || !z)
      return launch.emitError("mlc-gpu-launch-to-loops: barriers need a static block size");
    blockDims = {*x, *y, *z};
  }
  Value zero = b.create<arith::ConstantIndexOp>(loc, 0);
  Value one = b.create<arith::ConstantIndexOp>(loc, 1);

  IRMapping blockMap;
  auto bind = [&](gpu::KernelDim3 args, gpu::KernelDim3 values) {
    blockMap.map(args.x, values.x);
    blockMap.map(args.y, values.y);
    blockMap.map(args.z, values.z);
  };
  bind(launch.getGridSize(), grid);
  bind(launch.getBlockSize(), block);
  auto loopNest = [&](std::array<std::pair<Value, Value>, 3> dims, IRMapping &map) {
    for (auto [id, size] : dims) {
      auto loop = b.create<scf::ForOp>(loc, zero, size, one);
      map.map(id, loop.getInductionVar());
      b.setInsertionPointToStart(loop.getBody());
    }
  };
  // Blocks z, y, x; inside, each phase runs threads z, y, x (x innermost, as neighbouring threads).
  loopNest({{{launch.getBlockIds().z, grid.z}, {launch.getBlockIds().y, grid.y},
             {launch.getBlockIds().x, grid.x}}},
           blockMap);
  OpBuilder blockLevel = b;
  // Shared (workgroup) memory: one buffer per block.
  for (BlockArgument attr : launch.getWorkgroupAttributions()) {
    auto type = cast<MemRefType>(attr.getType());
    auto hostType = MemRefType::get(type.getShape(), type.getElementType(), type.getLayout());
    blockMap.map(attr, b.create<memref::AllocaOp>(loc, hostType).getResult());
  }

  PhaseValues spills(b, loc, blockDims);
  DenseSet<Operation *> earlier;
  for (auto [index, phase] : llvm::enumerate(phases)) {
    // Scalars defined here and used in a later phase get a per-thread buffer.
    DenseSet<Operation *> here(phase.begin(), phase.end());
    for (Operation *op : phase)
      for (Value result : op->getResults())
        if (PhaseValues::isScalar(result.getType()) && llvm::any_of(result.getUsers(), [&](Operation *u) {
              Operation *top = body.findAncestorOpInBlock(*u);
              return top && !here.contains(top);
            }))
          spills.reserve(result, blockLevel);

    b.setInsertionPoint(blockLevel.getInsertionBlock(), blockLevel.getInsertionPoint());
    IRMapping map = blockMap;
    loopNest({{{launch.getThreadIds().z, block.z}, {launch.getThreadIds().y, block.y},
               {launch.getThreadIds().x, block.x}}},
             map);
    for (BlockArgument attr : launch.getPrivateAttributions()) {
      auto type = cast<MemRefType>(attr.getType());
      map.map(attr, b.create<memref::AllocaOp>(
                          loc, MemRefType::get(type.getShape(), type.getElementType())).getResult());
    }
    SmallVector<Value> tid{map.lookup(launch.getThreadIds().z), map.lookup(launch.getThreadIds().y),
                           map.lookup(launch.getThreadIds().x)};
    for (Operation *op : phase) {
      WalkResult operands = op->walk([&](Operation *inner) {
        for (Value v : inner->getOperands())
          if (failed(materialize(v, earlier, spills, tid, b, map)))
            return WalkResult::interrupt();
        return WalkResult::advance();
      });
      if (operands.wasInterrupted())
        return failure();
      b.clone(*op, map);
      for (Value result : op->getResults())
        if (spills.hasSpill(result))
          spills.store(result, map.lookup(result), tid);
    }
    earlier.insert(here.begin(), here.end());
  }
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
