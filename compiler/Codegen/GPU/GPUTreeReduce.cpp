// mlc-gpu-tree-reduce: reductions (a loss, softmax rows, bias gradients) as shared-memory tree
// reductions in which a group of threads shares each output, instead of one thread per output.
#include "compiler/Codegen/GPU/GPUReduction.h"
#include "compiler/Codegen/GPU/Passes.h"
#include "compiler/Codegen/Common/ScheduleUtils.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/IRMapping.h"

#include <limits>

namespace mlc {
#define GEN_PASS_DEF_GPUTREEREDUCE
#include "compiler/Codegen/GPU/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using mlc::Combiner;

namespace {

class TreeReduceBuilder {
public:
  /// `starts[i]`: the value that init i holds before the op when a fill set it (folded away).
  TreeReduceBuilder(linalg::GenericOp op, const mlc::TreeReductionPlan &plan,
                    ArrayRef<std::optional<Value>> starts)
      : op(op), plan(plan), starts(starts), b(op.getLoc(), op) {}

  void build() {
    const int64_t groups = plan.outputsPerBlock, lanes = plan.lanes;
    auto launch = b.create<gpu::LaunchOp>(c(llvm::divideCeil(plan.numOutputs, groups)), c(1), c(1),
                                          c(groups * lanes), c(1), c(1));
    auto shared = gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup);
    for (Combiner k : plan.combiners) {
      if (k == Combiner::Elementwise)
        continue;
      for (Type t : stateTypes(k))
        partials.push_back(launch.addWorkgroupAttribution(
            MemRefType::get({groups * lanes}, t, AffineMap(), shared), b.getLoc()));
    }
    b.setInsertionPointToStart(&launch.getBody().front());
    b.setInsertionPoint(b.create<gpu::TerminatorOp>());

    // Lanes of a group are neighbouring threads for row reductions; for column reductions the
    // groups are, so that neighbouring threads read neighbouring outputs' elements.
    tid = launch.getThreadIds().x;
    Value lane, group;
    int64_t laneStride = plan.lanesContiguous ? 1 : groups;
    if (plan.lanesContiguous) {
      lane = b.create<arith::RemUIOp>(tid, c(lanes));
      group = b.create<arith::DivUIOp>(tid, c(lanes));
    } else {
      group = b.create<arith::RemUIOp>(tid, c(groups));
      lane = b.create<arith::DivUIOp>(tid, c(groups));
    }
    Value output = b.create<arith::AddIOp>(b.create<arith::MulIOp>(launch.getBlockIds().x, c(groups)), group);
    Value valid = b.create<arith::CmpIOp>(arith::CmpIPredicate::ult, output, c(plan.numOutputs));
    ivs.assign(op.getNumLoops(), Value());
    delinearize(output, plan.parallelDims);

    // Each lane reduces a strided share of its output's elements (none for threads past the
    // last output, which still take part in the barriers).
    SmallVector<Value> identity;
    for (Combiner k : plan.combiners)
      if (k != Combiner::Elementwise)
        llvm::append_range(identity, identityOf(k));
    Value end = b.create<arith::SelectOp>(valid, c(plan.length), c(0));
    auto loop = b.create<scf::ForOp>(lane, end, c(lanes), identity);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      b.create<scf::YieldOp>(iterate(loop.getInductionVar(), loop.getRegionIterArgs()));
    }
    storeStates(loop.getResults(), tid);
    b.create<gpu::BarrierOp>();

    // log2(lanes) halving steps between barriers.
    for (int64_t half = lanes / 2; half >= 1; half /= 2) {
      Value active = b.create<arith::CmpIOp>(arith::CmpIPredicate::ult, lane, c(half));
      auto guarded = b.create<scf::IfOp>(active, /*withElseRegion=*/false);
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(guarded.thenBlock()->getTerminator());
        Value other = b.create<arith::AddIOp>(tid, c(half * laneStride));
        storeStates(combineStates(loadStates(tid), loadStates(other)), tid);
      }
      b.create<gpu::BarrierOp>();
    }

    Value first = b.create<arith::AndIOp>(
        valid, b.create<arith::CmpIOp>(arith::CmpIPredicate::eq, lane, c(0)));
    auto last = b.create<scf::IfOp>(first, /*withElseRegion=*/false);
    b.setInsertionPoint(last.thenBlock()->getTerminator());
    SmallVector<Value> totals = loadStates(tid);
    unsigned s = 0;
    for (auto [i, k] : llvm::enumerate(plan.combiners)) {
      if (k == Combiner::Elementwise)
        continue;
      OpOperand *out = op.getDpsInitOperand(i);
      SmallVector<Value> indices = indicesOf(out);
      Value start = starts[i] ? *starts[i] : b.create<memref::LoadOp>(out->get(), indices);
      Value result = k == Combiner::SelectLast
                         ? b.create<arith::SelectOp>(found(totals[s + 1]), totals[s], start)
                         : combine(k, start, totals[s]);
      b.create<memref::StoreOp>(result, out->get(), indices);
      s += stateTypes(k).size();
    }
  }

private:
  Value c(int64_t v) { return b.create<arith::ConstantIndexOp>(v); }

  /// A reduction's running state: its value, plus for SelectLast the iteration that set it
  /// (-1: none yet), so that partial states combine to the last one wherever it was found.
  SmallVector<Type> stateTypes(Combiner k) {
    if (k == Combiner::SelectLast)
      return {b.getF32Type(), b.getI32Type()};
    return {b.getF32Type()};
  }

  SmallVector<Value> identityOf(Combiner k) {
    auto f32 = [&](float v) { return b.create<arith::ConstantOp>(b.getF32FloatAttr(v)).getResult(); };
    const float inf = std::numeric_limits<float>::infinity();
    switch (k) {
    case Combiner::Maximum:
    case Combiner::MaxNum:
      return {f32(-inf)};
    case Combiner::Minimum:
    case Combiner::MinNum:
      return {f32(inf)};
    case Combiner::SelectLast:
      return {f32(0), b.create<arith::ConstantOp>(b.getI32IntegerAttr(-1)).getResult()};
    default:
      return {f32(0)};
    }
  }

  Value combine(Combiner k, Value x, Value y) {
    switch (k) {
    case Combiner::Maximum:
      return b.create<arith::MaximumFOp>(x, y);
    case Combiner::MaxNum:
      return b.create<arith::MaxNumFOp>(x, y);
    case Combiner::Minimum:
      return b.create<arith::MinimumFOp>(x, y);
    case Combiner::MinNum:
      return b.create<arith::MinNumFOp>(x, y);
    default:
      return b.create<arith::AddFOp>(x, y);
    }
  }

  Value found(Value iteration) {
    return b.create<arith::CmpIOp>(arith::CmpIPredicate::sge, iteration,
                                   b.create<arith::ConstantOp>(b.getI32IntegerAttr(0)));
  }

  /// Combines two threads' states of every reduction (`mine` holds earlier or later iterations
  /// than `theirs`: SelectLast compares the iterations).
  SmallVector<Value> combineStates(ArrayRef<Value> mine, ArrayRef<Value> theirs) {
    SmallVector<Value> result;
    unsigned s = 0;
    for (Combiner k : plan.combiners) {
      if (k == Combiner::Elementwise)
        continue;
      if (k == Combiner::SelectLast) {
        Value later = b.create<arith::CmpIOp>(arith::CmpIPredicate::sgt, theirs[s + 1], mine[s + 1]);
        result.push_back(b.create<arith::SelectOp>(later, theirs[s], mine[s]));
        result.push_back(b.create<arith::SelectOp>(later, theirs[s + 1], mine[s + 1]));
        s += 2;
        continue;
      }
      result.push_back(combine(k, mine[s], theirs[s]));
      ++s;
    }
    return result;
  }

  SmallVector<Value> loadStates(Value at) {
    return llvm::map_to_vector(partials, [&](Value p) -> Value { return b.create<memref::LoadOp>(p, at); });
  }

  void storeStates(ValueRange states, Value at) {
    for (auto [state, p] : llvm::zip_equal(states, partials))
      b.create<memref::StoreOp>(state, p, at);
  }

  /// Sets the induction variables of `dims` from their row-major linear index.
  void delinearize(Value linear, ArrayRef<int64_t> dims) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    Value rest = linear;
    for (int64_t k = dims.size() - 1; k >= 0; --k) {
      int64_t d = dims[k];
      ivs[d] = k == 0 ? rest : b.create<arith::RemUIOp>(rest, c(ranges[d])).getResult();
      if (k > 0)
        rest = b.create<arith::DivUIOp>(rest, c(ranges[d]));
    }
  }

  SmallVector<Value> indicesOf(OpOperand *operand) {
    SmallVector<Value> indices;
    for (AffineExpr e : op.getMatchingIndexingMap(operand).getResults())
      indices.push_back(ivs[cast<AffineDimExpr>(e).getPosition()]);
    return indices;
  }

  /// One iteration of the op's body at reduction index `linear`: stores the elementwise
  /// results and folds the terms into the running states.
  SmallVector<Value> iterate(Value linear, ValueRange states) {
    delinearize(linear, plan.reductionDims);
    IRMapping map;
    for (OpOperand *in : op.getDpsInputOperands()) {
      BlockArgument arg = op.getMatchingBlockArgument(in);
      if (arg.use_empty())
        continue;
      map.map(arg, isa<MemRefType>(in->get().getType())
                       ? b.create<memref::LoadOp>(in->get(), indicesOf(in)).getResult()
                       : in->get());
    }
    DenseSet<Operation *> combiners(plan.combinerOps.begin(), plan.combinerOps.end());
    for (Operation &bodyOp : op.getBody()->without_terminator()) {
      if (combiners.contains(&bodyOp))
        continue;
      if (auto index = dyn_cast<linalg::IndexOp>(bodyOp))
        map.map(index.getResult(), ivs[index.getDim()]);
      else
        b.clone(bodyOp, map);
    }
    auto yield = cast<linalg::YieldOp>(op.getBody()->getTerminator());
    SmallVector<Value> next;
    unsigned s = 0;
    for (auto [i, k] : llvm::enumerate(plan.combiners)) {
      Operation *combiner = plan.combinerOps[i];
      if (k == Combiner::Elementwise) {
        OpOperand *out = op.getDpsInitOperand(i);
        b.create<memref::StoreOp>(map.lookupOrDefault(yield.getOperand(i)), out->get(), indicesOf(out));
        continue;
      }
      BlockArgument acc = op.getMatchingBlockArgument(op.getDpsInitOperand(i));
      if (auto select = dyn_cast<arith::SelectOp>(combiner)) {
        Value taken = map.lookupOrDefault(select.getCondition());
        Value iteration = b.create<arith::IndexCastOp>(b.getI32Type(), linear);
        next.push_back(b.create<arith::SelectOp>(taken, map.lookupOrDefault(select.getTrueValue()), states[s]));
        next.push_back(b.create<arith::SelectOp>(taken, iteration, states[s + 1]));
        s += 2;
        continue;
      }
      Value term = combiner->getOperand(0) == acc ? combiner->getOperand(1) : combiner->getOperand(0);
      next.push_back(combine(k, states[s], map.lookupOrDefault(term)));
      ++s;
    }
    return next;
  }

  linalg::GenericOp op;
  const mlc::TreeReductionPlan &plan;
  ArrayRef<std::optional<Value>> starts;
  ImplicitLocOpBuilder b;
  SmallVector<Value> partials; // shared memory: the reductions' states, one slot per thread
  SmallVector<Value> ivs;      // the op's induction variables in the current thread
  Value tid;
};

struct GPUTreeReducePass : public mlc::impl::GPUTreeReduceBase<GPUTreeReducePass> {
  void runOnOperation() override {
    std::vector<std::pair<linalg::GenericOp, mlc::TreeReductionPlan>> work;
    getOperation().walk([&](linalg::GenericOp op) {
      if (!op.hasPureBufferSemantics() || op->getParentOfType<gpu::LaunchOp>() ||
          op->getParentOfType<scf::ForallOp>())
        return;
      if (auto plan = mlc::planTreeReduction(op))
        work.emplace_back(op, std::move(*plan));
    });
    for (auto &[op, plan] : work) {
      SmallVector<std::optional<Value>> starts(op.getNumDpsInits());
      SmallVector<linalg::FillOp> fills;
      for (auto [i, k] : llvm::enumerate(plan.combiners)) {
        if (k == Combiner::Elementwise)
          continue;
        if (linalg::FillOp fill = mlc::precedingFill(op, *op.getDpsInitOperand(i))) {
          starts[i] = fill.getInputs()[0];
          fills.push_back(fill);
        }
      }
      TreeReduceBuilder(op, plan, starts).build();
      for (linalg::FillOp fill : fills)
        fill.erase();
      op.erase();
    }
  }
};

} // namespace
