// mlc-gpu-launch-to-loops: host emulation of GPU kernels (barriers, shared memory, warp-level
// mma.sync), for testing the CUDA pipeline's kernels without a GPU.
#include "compiler/Codegen/GPU/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlc {
#define GEN_PASS_DEF_GPULAUNCHTOLOOPS
#include "compiler/Codegen/GPU/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

/// Ops that every thread of a block must reach before any thread goes past them.
static bool isSyncPoint(Operation *op) { return isa<gpu::BarrierOp, nvgpu::MmaSyncOp>(op); }

/// Emulates one gpu.launch. The body is cut into segments at sync points (barriers, mma.sync)
/// and at scf.for loops that contain sync points; each segment runs as a loop over the block's
/// threads, and such a loop becomes a host loop around its own segments (all threads take the
/// same trip count, as the hardware requires). A per-thread value used in another segment, and
/// every iteration argument of such a loop, lives in a per-thread slot of a block buffer.
class LaunchEmulator {
public:
  explicit LaunchEmulator(gpu::LaunchOp launch)
      : launch(launch), b(launch), loc(launch.getLoc()) {}

  LogicalResult run() {
    if (launch.getAsyncToken() || !launch.getBody().hasOneBlock())
      return launch.emitError("mlc-gpu-launch-to-loops: only synchronous single-block launches");
    Block &body = launch.getBody().front();
    // Sync points and the ops that contain them, found in one walk.
    launch.getBody().walk([&](Operation *op) {
      if (isSyncPoint(op))
        for (Operation *o = op; o != launch; o = o->getParentOp())
          synchronizing.insert(o);
    });
    if (!synchronizing.empty()) {
      auto x = getConstantIntValue(launch.getBlockSizeX()),
           y = getConstantIntValue(launch.getBlockSizeY()),
           z = getConstantIntValue(launch.getBlockSizeZ());
      if (!x || !y || !z)
        return launch.emitError("mlc-gpu-launch-to-loops: barriers need a static block size");
      blockDims = {*x, *y, *z};
      if (launch.getNumPrivateAttributions())
        return launch.emitError("mlc-gpu-launch-to-loops: private memory across barriers");
      if (failed(planSlots(body)))
        return failure();
    }
    zero = b.create<arith::ConstantIndexOp>(loc, 0);
    one = b.create<arith::ConstantIndexOp>(loc, 1);
    gpu::KernelDim3 grid = launch.getGridSizeOperandValues();
    gpu::KernelDim3 block = launch.getBlockSizeOperandValues();
    bind(launch.getGridSize(), grid);
    bind(launch.getBlockSize(), block);
    // Blocks z, y, x; inside, each segment runs threads z, y, x (x innermost, as in a warp).
    // Shared memory and slots: one heap buffer each, reused by the blocks in turn (a kernel has
    // hundreds of slots; on the host stack they would overflow it).
    SmallVector<Value> buffers;
    auto allocate = [&](MemRefType type) {
      buffers.push_back(b.create<memref::AllocOp>(loc, type));
      return buffers.back();
    };
    for (BlockArgument attr : launch.getWorkgroupAttributions()) {
      auto type = cast<MemRefType>(attr.getType());
      uniform.map(attr, allocate(MemRefType::get(type.getShape(), type.getElementType(), type.getLayout())));
    }
    for (auto &[value, type] : slotTypes)
      slots[value] = allocate(type);
    for (auto &[alias, value] : slotAliases)
      slots[alias] = slots.lookup(value);
    loopNest({{launch.getBlockIds().z, grid.z}, {launch.getBlockIds().y, grid.y},
              {launch.getBlockIds().x, grid.x}},
             uniform);
    if (failed(emitBlock(body)))
      return failure();
    b.setInsertionPoint(launch);
    for (Value buffer : buffers)
      b.create<memref::DeallocOp>(loc, buffer);
    launch.erase();
    return success();
  }

private:
  void bind(gpu::KernelDim3 args, gpu::KernelDim3 values) {
    uniform.map(args.x, values.x);
    uniform.map(args.y, values.y);
    uniform.map(args.z, values.z);
  }

  void loopNest(ArrayRef<std::pair<Value, Value>> dims, IRMapping &map) {
    for (auto [id, size] : dims) {
      auto loop = b.create<scf::ForOp>(loc, zero, size, one);
      map.map(id, loop.getInductionVar());
      b.setInsertionPointToStart(loop.getBody());
    }
  }

  int64_t numThreads() const { return blockDims[0] * blockDims[1] * blockDims[2]; }

  /// Numbers the segments of `block` (and of the loops with sync points inside it) and gives a
  /// slot to every per-thread value that one segment defines and another uses.
  LogicalResult planSlots(Block &block) {
    DenseMap<Operation *, int64_t> segmentOf;
    auto reserve = [&](Value v) {
      Type t = v.getType();
      if (t.isIntOrIndexOrFloat() || isa<VectorType>(t)) // views are recomputed where used
        slotTypes.insert({v, MemRefType::get({numThreads()}, t)});
    };
    for (Operation &op : block.without_terminator()) {
      bool own = synchronizing.contains(&op);
      segment += own;
      segmentOf[&op] = segment;
      segment += own;
      if (!own || isSyncPoint(&op))
        continue;
      auto loop = dyn_cast<scf::ForOp>(op);
      if (!loop)
        return op.emitError("mlc-gpu-launch-to-loops: a barrier inside '")
               << op.getName() << "' cannot be emulated (only scf.for loops may contain them)";
      for (auto [arg, result] : llvm::zip(loop.getRegionIterArgs(), loop.getResults())) {
        if (!arg.getType().isIntOrIndexOrFloat() && !isa<VectorType>(arg.getType()))
          return loop.emitError("mlc-gpu-launch-to-loops: loop-carried ")
                 << arg.getType() << " across a barrier";
        reserve(arg);
        slotAliases.push_back({result, arg});
      }
      if (failed(planSlots(*loop.getBody())))
        return failure();
    }
    // Side-effect-free ops are recomputed where used, so what they read is needed there too:
    // walking backwards, a value is wanted elsewhere if a user in another segment (or a
    // recomputed user that is wanted elsewhere) reads it. Loads, mma.sync results and loop
    // iteration arguments that are wanted elsewhere keep a slot, and so do mma.sync operands.
    DenseSet<Value> wantedElsewhere;
    SmallVector<Operation *> ops;
    for (Operation &op : block.without_terminator())
      ops.push_back(&op);
    for (Operation *op : llvm::reverse(ops)) {
      // mma.sync reads its operands from the other lanes' slots.
      if (isa<scf::ForOp>(op) && synchronizing.contains(op))
        continue; // its results are its iteration arguments' slots
      bool recomputed = isMemoryEffectFree(op) && op->getNumRegions() == 0 && !isSyncPoint(op) &&
                        llvm::none_of(op->getUsers(), [](Operation *u) { return isa<nvgpu::MmaSyncOp>(u); });
      for (Value result : op->getResults()) {
        bool elsewhere = wantedElsewhere.contains(result) ||
                         llvm::any_of(result.getUsers(), [&](Operation *user) {
                           Operation *top = block.findAncestorOpInBlock(*user);
                           return !top || top == block.getTerminator() ||
                                  segmentOf.lookup(top) != segmentOf[op];
                         });
        if (!elsewhere)
          continue;
        if (!recomputed) {
          reserve(result);
          continue;
        }
        for (Value operand : op->getOperands())
          wantedElsewhere.insert(operand);
      }
    }
    return success();
  }

  /// Emits `block`'s segments at the current (block-level) insertion point.
  LogicalResult emitBlock(Block &block) {
    SmallVector<Operation *> pending;
    for (Operation &op : block.without_terminator()) {
      if (!synchronizing.contains(&op)) {
        pending.push_back(&op);
        continue;
      }
      if (failed(emitSegment(pending)))
        return failure();
      pending.clear();
      if (auto mma = dyn_cast<nvgpu::MmaSyncOp>(op)) {
        if (failed(emitMma(mma)))
          return failure();
      } else if (auto loop = dyn_cast<scf::ForOp>(op)) {
        if (failed(emitLoop(loop)))
          return failure();
      }
    }
    return emitSegment(pending);
  }

  /// Opens a loop nest over the block's threads; returns the mapping inside it and the linear
  /// thread id. The insertion point moves inside; `after` is where block-level code continues.
  std::pair<IRMapping, Value> openThreads(OpBuilder::InsertPoint &after) {
    IRMapping map = uniform;
    gpu::KernelDim3 block = launch.getBlockSizeOperandValues();
    Operation *first = nullptr;
    {
      auto loop = b.create<scf::ForOp>(loc, zero, block.z, one);
      first = loop;
      map.map(launch.getThreadIds().z, loop.getInductionVar());
      b.setInsertionPointToStart(loop.getBody());
    }
    loopNest({{launch.getThreadIds().y, block.y}, {launch.getThreadIds().x, block.x}}, map);
    after = OpBuilder::InsertPoint(first->getBlock(), std::next(Block::iterator(first)));
    for (BlockArgument attr : launch.getPrivateAttributions()) {
      auto type = cast<MemRefType>(attr.getType());
      map.map(attr, b.create<memref::AllocaOp>(
                          loc, MemRefType::get(type.getShape(), type.getElementType())).getResult());
    }
    Value tz = map.lookup(launch.getThreadIds().z), ty = map.lookup(launch.getThreadIds().y),
          tx = map.lookup(launch.getThreadIds().x);
    Value linear = b.create<arith::AddIOp>(
        loc, b.create<arith::MulIOp>(
                 loc, b.create<arith::AddIOp>(loc, b.create<arith::MulIOp>(loc, tz, block.y), ty),
                 block.x),
        tx);
    return {map, linear};
  }

  /// Makes `v` available to the thread whose linear id is `tid` in `map`.
  LogicalResult materialize(Value v, IRMapping &map, Value tid) {
    if (map.contains(v))
      return success();
    Operation *def = v.getDefiningOp();
    Operation *owner = def ? def : v.getParentBlock()->getParentOp();
    if (!launch->isProperAncestor(owner))
      return success(); // defined outside the kernel: the same for every thread
    if (Value slot = slots.lookup(v)) {
      map.map(v, b.create<memref::LoadOp>(loc, slot, tid));
      return success();
    }
    if (!def || !isMemoryEffectFree(def) || def->getNumRegions() != 0)
      return owner->emitError("mlc-gpu-launch-to-loops: a per-thread value of '")
             << owner->getName() << "' crosses a barrier and cannot be kept or recomputed";
    for (Value operand : def->getOperands())
      if (failed(materialize(operand, map, tid)))
        return failure();
    b.clone(*def, map);
    return success();
  }

  void storeSlot(Value v, Value mapped, Value tid) {
    if (Value slot = slots.lookup(v))
      b.create<memref::StoreOp>(loc, mapped, slot, tid);
  }

  LogicalResult emitSegment(ArrayRef<Operation *> ops) {
    if (ops.empty())
      return success();
    OpBuilder::InsertPoint after;
    auto [threadMap, threadId] = openThreads(after);
    IRMapping &map = threadMap;
    Value tid = threadId;
    for (Operation *op : ops) {
      WalkResult operands = op->walk([&](Operation *inner) {
        for (Value v : inner->getOperands()) {
          Operation *owner = v.getDefiningOp() ? v.getDefiningOp() : v.getParentBlock()->getParentOp();
          if (op->isAncestor(owner))
            continue; // defined inside `op` itself: cloned with it
          if (failed(materialize(v, map, tid)))
            return WalkResult::interrupt();
        }
        return WalkResult::advance();
      });
      if (operands.wasInterrupted())
        return failure();
      b.clone(*op, map);
      for (Value result : op->getResults())
        storeSlot(result, map.lookup(result), tid);
    }
    b.restoreInsertionPoint(after);
    return success();
  }

  /// A value that must be the same for every thread (a loop bound): computed at block level.
  FailureOr<Value> uniformValue(Value v, Operation *user) {
    if (Value mapped = uniform.lookupOrNull(v))
      return mapped;
    Operation *def = v.getDefiningOp();
    Operation *owner = def ? def : v.getParentBlock()->getParentOp();
    if (!launch->isProperAncestor(owner))
      return v;
    if (!def || !isMemoryEffectFree(def) || def->getNumRegions() != 0)
      return user->emitError("mlc-gpu-launch-to-loops: the bounds of a loop with barriers must be "
                             "the same for every thread");
    for (Value operand : def->getOperands())
      if (failed(uniformValue(operand, user)))
        return failure();
    return b.clone(*def, uniform)->getResult(cast<OpResult>(v).getResultNumber());
  }

  /// A loop with sync points: a host loop over the segments of its body; the iteration
  /// arguments live in their slots (the loop's results share them).
  LogicalResult emitLoop(scf::ForOp loop) {
    auto lb = uniformValue(loop.getLowerBound(), loop),
         ub = uniformValue(loop.getUpperBound(), loop), step = uniformValue(loop.getStep(), loop);
    if (failed(lb) || failed(ub) || failed(step))
      return failure();
    if (loop.getNumRegionIterArgs() != 0 && failed(copyIntoSlots(loop.getInitArgs(), loop.getRegionIterArgs())))
      return failure();
    auto host = b.create<scf::ForOp>(loc, *lb, *ub, *step);
    uniform.map(loop.getInductionVar(), host.getInductionVar());
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(host.getBody()->getTerminator());
    if (failed(emitBlock(*loop.getBody())))
      return failure();
    auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
    if (yield.getNumOperands() != 0)
      return copyIntoSlots(yield.getOperands(), loop.getRegionIterArgs());
    return success();
  }

  /// For every thread: slot(targets[i]) = values[i] (all read before any is written).
  LogicalResult copyIntoSlots(ValueRange values, ValueRange targets) {
    OpBuilder::InsertPoint after;
    auto [map, tid] = openThreads(after);
    SmallVector<Value> read;
    for (Value v : values) {
      if (failed(materialize(v, map, tid)))
        return failure();
      read.push_back(map.lookupOrDefault(v));
    }
    for (auto [target, v] : llvm::zip(targets, read))
      storeSlot(target, v, tid);
    b.restoreInsertionPoint(after);
    return success();
  }

  /// TF32 keeps the upper 19 bits of an f32 (the tensor cores ignore the lower 13).
  Value toTF32(Value x) {
    Value bits = b.create<arith::BitcastOp>(loc, b.getI32Type(), x);
    Value mask = b.create<arith::ConstantIntOp>(loc, static_cast<int32_t>(0xFFFFE000u), 32);
    return b.create<arith::BitcastOp>(loc, b.getF32Type(), b.create<arith::AndIOp>(loc, bits, mask));
  }

  /// Element (row, 0) of operand `v` as held by lane `lane` of the warp.
  Value laneElement(Value v, Value lane, IRMapping &map, int64_t row, int64_t col) {
    Value held = slots.count(v) ? b.create<memref::LoadOp>(loc, slots.lookup(v), lane).getResult()
                                : map.lookupOrDefault(v);
    return b.create<vector::ExtractOp>(loc, held, ArrayRef<int64_t>{row, col});
  }

  /// mma.sync m16n8k8 (TF32 or f32) as each thread's share of the warp's product: it reads the
  /// fragments the other lanes of its warp hold (PTX's register layout, g = lane / 4,
  /// t = lane % 4: A (g + 8i, t + 4r) in a[i + 2r], B (k t + 4r, n g) in b[r], C/D (g + 8i, 2t + j)
  /// in c[i][j]).
  LogicalResult emitMma(nvgpu::MmaSyncOp mma) {
    if (mma.getMmaShapeAsArray() != std::array<int64_t, 3>{16, 8, 8} ||
        !mma.getMatrixA().getType().getElementType().isF32())
      return mma.emitError("mlc-gpu-launch-to-loops: only f32/tf32 mma.sync m16n8k8 is emulated");
    OpBuilder::InsertPoint after;
    auto [map, tid] = openThreads(after);
    for (Value operand : mma->getOperands())
      if (!slots.count(operand) && failed(materialize(operand, map, tid)))
        return failure();
    auto c = [&](int64_t v) { return b.create<arith::ConstantIndexOp>(loc, v).getResult(); };
    Value lane = b.create<arith::RemUIOp>(loc, tid, c(32));
    Value warpBase = b.create<arith::SubIOp>(loc, tid, lane);
    Value g = b.create<arith::DivUIOp>(loc, lane, c(4)), t = b.create<arith::RemUIOp>(loc, lane, c(4));
    auto laneAt = [&](Value groupIndex, int64_t tIndex) {
      Value l = b.create<arith::AddIOp>(loc, b.create<arith::MulIOp>(loc, groupIndex, c(4)), c(tIndex));
      return b.create<arith::AddIOp>(loc, warpBase, l).getResult();
    };
    bool tf32 = mma.getTf32Enabled().has_value();
    auto type = cast<VectorType>(mma.getType());
    Value d = b.create<arith::ConstantOp>(loc, type, DenseElementsAttr::get(type, 0.0f));
    for (int64_t i = 0; i < 2; ++i)
      for (int64_t j = 0; j < 2; ++j) {
        Value sum = laneElement(mma.getMatrixC(), tid, map, i, j);
        // Column 2t + j of B is held by the lanes of group 2t + j.
        Value bGroup = b.create<arith::AddIOp>(loc, b.create<arith::MulIOp>(loc, t, c(2)), c(j));
        for (int64_t k = 0; k < 8; ++k) {
          Value a = laneElement(mma.getMatrixA(), laneAt(g, k % 4), map, i + 2 * (k / 4), 0);
          Value bv = laneElement(mma.getMatrixB(), laneAt(bGroup, k % 4), map, k / 4, 0);
          if (tf32) {
            a = toTF32(a);
            bv = toTF32(bv);
          }
          sum = b.create<arith::AddFOp>(loc, sum, b.create<arith::MulFOp>(loc, a, bv));
        }
        d = b.create<vector::InsertOp>(loc, sum, d, ArrayRef<int64_t>{i, j});
      }
    storeSlot(mma.getResult(), d, tid);
    b.restoreInsertionPoint(after);
    return success();
  }

  gpu::LaunchOp launch;
  OpBuilder b;
  Location loc;
  Value zero, one;
  std::array<int64_t, 3> blockDims{1, 1, 1};
  int64_t segment = 0;
  DenseSet<Operation *> synchronizing; // sync points and the ops around them
  IRMapping uniform; // block-level values: ids, sizes, shared memory, host loop variables
  llvm::MapVector<Value, MemRefType> slotTypes;
  SmallVector<std::pair<Value, Value>> slotAliases;
  DenseMap<Value, Value> slots;
};

struct GPULaunchToLoopsPass : public mlc::impl::GPULaunchToLoopsBase<GPULaunchToLoopsPass> {
  void runOnOperation() override {
    SmallVector<gpu::LaunchOp> launches;
    getOperation().walk([&](gpu::LaunchOp l) { launches.push_back(l); });
    for (gpu::LaunchOp l : launches)
      if (failed(LaunchEmulator(l).run()))
        return signalPassFailure();
  }
};

} // namespace
