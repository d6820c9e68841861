// mlc-gpu-tree-reduce: full sum reductions (a loss, a mean) as one-block shared-memory tree
// reductions instead of single-thread loops.
#include "compiler/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/IRMapping.h"

namespace mlc {
#define GEN_PASS_DEF_GPUTREEREDUCE
#include "compiler/Transforms/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

/// A linalg.generic on buffers that sums an expression of its inputs over all its (reduction)
/// dimensions into one f32: the output's block argument is used once, by the yielded addf.
static bool isFullSum(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1 || op.getNumParallelLoops() != 0 ||
      op.getNumLoops() == 0 || llvm::any_of(op.getStaticLoopRanges(), ShapedType::isDynamic))
    return false;
  OpOperand *out = op.getDpsInitOperand(0);
  if (!cast<MemRefType>(out->get().getType()).getElementType().isF32() ||
      op.getMatchingIndexingMap(out).getNumResults() != 0)
    return false;
  for (OpOperand *in : op.getDpsInputOperands())
    if (!op.getMatchingIndexingMap(in).isProjectedPermutation())
      return false;
  BlockArgument acc = op.getMatchingBlockArgument(out);
  auto yield = cast<linalg::YieldOp>(op.getBody()->getTerminator());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  return add && acc.hasOneUse() && *acc.getUsers().begin() == add.getOperation();
}

class TreeReduceBuilder {
public:
  TreeReduceBuilder(linalg::GenericOp op, int64_t total, int64_t threads)
      : op(op), total(total), threads(threads), b(op.getLoc(), op) {}

  void build() {
    Type f32 = b.getF32Type();
    auto launch = b.create<gpu::LaunchOp>(c(1), c(1), c(1), c(threads), c(1), c(1));
    auto shared = gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup);
    Value partials = launch.addWorkgroupAttribution(
        MemRefType::get({threads}, f32, AffineMap(), shared), b.getLoc());
    b.setInsertionPointToStart(&launch.getBody().front());
    b.setInsertionPoint(b.create<gpu::TerminatorOp>());
    Value tid = launch.getThreadIds().x;
    Value zero = b.create<arith::ConstantOp>(b.getF32FloatAttr(0));

    // Each thread sums a strided share of the elements (neighbouring threads, neighbouring
    // elements), then the block halves the partial sums in shared memory log2(threads) times.
    auto loop = b.create<scf::ForOp>(tid, c(total), c(threads), ValueRange{zero});
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      Value term = elementTerm(loop.getInductionVar(), zero);
      b.create<scf::YieldOp>(ValueRange{b.create<arith::AddFOp>(loop.getRegionIterArgs()[0], term)});
    }
    b.create<memref::StoreOp>(loop.getResult(0), partials, tid);
    b.create<gpu::BarrierOp>();
    for (int64_t half = threads / 2; half >= 1; half /= 2) {
      Value active = b.create<arith::CmpIOp>(arith::CmpIPredicate::ult, tid, c(half));
      auto guarded = b.create<scf::IfOp>(active, /*withElseRegion=*/false);
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(guarded.thenBlock()->getTerminator());
        Value mine = b.create<memref::LoadOp>(partials, tid);
        Value other = b.create<memref::LoadOp>(partials, ValueRange{b.create<arith::AddIOp>(tid, c(half))});
        b.create<memref::StoreOp>(b.create<arith::AddFOp>(mine, other), partials, tid);
      }
      b.create<gpu::BarrierOp>();
    }
    Value first = b.create<arith::CmpIOp>(arith::CmpIPredicate::eq, tid, c(0));
    auto last = b.create<scf::IfOp>(first, /*withElseRegion=*/false);
    b.setInsertionPoint(last.thenBlock()->getTerminator());
    Value out = op.getDpsInits()[0];
    Value sum = b.create<memref::LoadOp>(partials, ValueRange{c(0)});
    Value old = b.create<memref::LoadOp>(out, ValueRange{});
    b.create<memref::StoreOp>(b.create<arith::AddFOp>(old, sum), out, ValueRange{});
  }

private:
  Value c(int64_t v) { return b.create<arith::ConstantIndexOp>(v); }

  /// The op's body at linear iteration `linear` with the accumulator at 0: exactly the term it
  /// adds (0 + x == x).
  Value elementTerm(Value linear, Value zero) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    SmallVector<Value> ivs(ranges.size());
    Value rest = linear;
    for (int64_t d = ranges.size() - 1; d >= 0; --d) {
      ivs[d] = d == 0 ? rest : b.create<arith::RemUIOp>(rest, c(ranges[d])).getResult();
      if (d > 0)
        rest = b.create<arith::DivUIOp>(rest, c(ranges[d]));
    }
    IRMapping map;
    for (OpOperand *in : op.getDpsInputOperands()) {
      SmallVector<Value> indices;
      for (AffineExpr e : op.getMatchingIndexingMap(in).getResults())
        indices.push_back(ivs[cast<AffineDimExpr>(e).getPosition()]);
      map.map(op.getMatchingBlockArgument(in), b.create<memref::LoadOp>(in->get(), indices));
    }
    map.map(op.getMatchingBlockArgument(op.getDpsInitOperand(0)), zero);
    for (Operation &bodyOp : op.getBody()->without_terminator())
      b.clone(bodyOp, map);
    return map.lookup(op.getBody()->getTerminator()->getOperand(0));
  }

  linalg::GenericOp op;
  int64_t total, threads;
  ImplicitLocOpBuilder b;
};

struct GPUTreeReducePass : public mlc::impl::GPUTreeReduceBase<GPUTreeReducePass> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> ops;
    getOperation().walk([&](linalg::GenericOp op) {
      if (!op->getParentOfType<gpu::LaunchOp>() && !op->getParentOfType<scf::ForallOp>() &&
          isFullSum(op))
        ops.push_back(op);
    });
    for (linalg::GenericOp op : ops) {
      int64_t total = 1;
      for (int64_t r : op.getStaticLoopRanges())
        total *= r;
      // A power of two between one warp and 256 threads, at most one per element.
      int64_t threads = 32;
      while (threads < 256 && threads < total)
        threads *= 2;
      TreeReduceBuilder(op, total, threads).build();
      op.erase();
    }
  }
};

} // namespace
