// mlc-rematerialize: cheap elementwise values recomputed where a distant op reads them, instead of
// being kept alive from the forward pass to the backward pass.
#include "compiler/Codegen/Common/Passes.h"

namespace mlc {
#define GEN_PASS_DEF_REMATERIALIZE
#include "compiler/Codegen/Common/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

/// How many cheap producers deep a value is recomputed from values that are live anyway.
constexpr unsigned kMaxDepth = 8;
/// Payload ops per element beyond which a recomputation is not cheap.
constexpr unsigned kMaxPayloadOps = 12;

static int64_t bytesOf(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || !type.hasStaticShape())
    return std::numeric_limits<int64_t>::max();
  return type.getNumElements() * ((type.getElementTypeBitWidth() + 7) / 8);
}

/// An op whose result is cheap to compute again from its operands: an elementwise (all-parallel,
/// single-result, pure) generic with a short payload that does not read its init (a map, a
/// broadcast, a transpose, a padding's gather), a reshape, or an empty tensor.
static bool isCheap(Operation *op) {
  if (isa<tensor::EmptyOp, tensor::ExpandShapeOp, tensor::CollapseShapeOp>(op))
    return true;
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || generic.getNumResults() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops() || !isMemoryEffectFree(generic))
    return false;
  if (generic.payloadUsesValueFromOperand(generic.getDpsInitOperand(0)))
    return false;
  unsigned payloadOps = 0;
  generic.getBody()->walk([&](Operation *) { ++payloadOps; });
  return payloadOps <= kMaxPayloadOps + 1; // the yield
}

struct Rematerializer {
  /// Position of each top-level op of the entry block; a clone takes its user's position.
  DenseMap<Operation *, unsigned> position;
  /// The last position at which each value is read (by top-level ops and clones).
  DenseMap<Value, unsigned> lastUse;
  Block &entry;
  /// Users within this many ops of a value's first user read the value itself.
  unsigned nearOps;
  /// Values this small (per-channel statistics, scalars) are kept: recomputing saves nothing.
  int64_t smallBytes;

  Rematerializer(Block &entry, unsigned nearOps, int64_t smallBytes)
      : entry(entry), nearOps(nearOps), smallBytes(smallBytes) {
    for (auto [i, op] : llvm::enumerate(entry))
      position[&op] = i;
    for (Operation &op : entry)
      op.walk([&](Operation *nested) {
        for (Value v : nested->getOperands())
          lastUse[v] = std::max(lastUse[v], position[&op]);
      });
  }

  /// Whether `v` can be read at `at` without keeping anything alive longer than it is now:
  /// small, an argument or constant, live there anyway, or recomputable from such values.
  bool available(Value v, unsigned at, unsigned depth) {
    if (readableAsIs(v, at))
      return true;
    Operation *def = v.getDefiningOp();
    if (depth >= kMaxDepth || !isCheap(def))
      return false;
    return llvm::all_of(def->getOperands(), [&](Value o) { return available(o, at, depth + 1); });
  }

  /// Whether an op at `at` reads `v` itself: small, an argument or constant, or live there anyway.
  bool readableAsIs(Value v, unsigned at) {
    Operation *def = v.getDefiningOp();
    return !def || def->getBlock() != &entry || bytesOf(v) <= smallBytes ||
           def->hasTrait<OpTrait::ConstantLike>() || lastUse.lookup(v) >= at;
  }

  /// `v`'s value for an op at `at`, to be inserted before `before`: `v` itself where it is live
  /// there (or cheap to keep), else a clone of its producer reading such values.
  Value materialize(Value v, unsigned at, Operation *before, OpBuilder &b) {
    if (readableAsIs(v, at))
      return v;
    return cloneAt(v.getDefiningOp(), at, before, b)->getResult(cast<OpResult>(v).getResultNumber());
  }

  /// A clone of `op` before `before`, for an op at `at`, its operands materialized there.
  Operation *cloneAt(Operation *op, unsigned at, Operation *before, OpBuilder &b) {
    IRMapping mapping;
    for (Value o : op->getOperands())
      mapping.map(o, materialize(o, at, before, b));
    b.setInsertionPoint(before);
    Operation *clone = b.clone(*op, mapping);
    position[clone] = at;
    for (Value o : clone->getOperands())
      lastUse[o] = std::max(lastUse[o], at);
    return clone;
  }

  /// Recomputes `op`'s value before each of its distant users when that keeps nothing else alive
  /// longer; returns whether it did.
  bool rematerialize(Operation *op) {
    if (op->getNumResults() != 1 || bytesOf(op->getResult(0)) <= smallBytes || !isCheap(op) ||
        isa<tensor::EmptyOp>(op))
      return false;
    Value value = op->getResult(0);
    SmallVector<std::pair<unsigned, OpOperand *>> uses;
    for (OpOperand &use : value.getUses()) {
      Operation *top = entry.findAncestorOpInBlock(*use.getOwner());
      // A returned value (the loss, an updated parameter) is wanted as computed.
      if (!top || top->hasTrait<OpTrait::IsTerminator>())
        return false;
      uses.push_back({position.lookup(top), &use});
    }
    if (uses.empty())
      return false;
    llvm::sort(uses, [](auto &a, auto &b) { return a.first < b.first; });
    unsigned near = uses.front().first + nearOps;
    auto far = llvm::make_range(llvm::find_if(uses, [&](auto &u) { return u.first > near; }), uses.end());
    if (far.empty())
      return false;
    for (auto &[at, use] : far)
      if (!llvm::all_of(op->getOperands(), [&](Value o) { return available(o, at, 1); }))
        return false;
    OpBuilder b(op->getContext());
    unsigned lastNear = 0;
    for (auto &[at, use] : uses)
      if (at <= near)
        lastNear = std::max(lastNear, at);
    for (auto &[at, use] : far) {
      Operation *before = entry.findAncestorOpInBlock(*use->getOwner());
      use->set(cloneAt(op, at, before, b)->getResult(0));
    }
    lastUse[value] = lastNear;
    return true;
  }
};

struct RematerializePass : public mlc::impl::RematerializeBase<RematerializePass> {
  using RematerializeBase::RematerializeBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    Rematerializer remat(func.getBody().front(), nearOps, smallBytes);
    // Last first: a value's consumers are recomputed before it, so their clones read it where
    // it is live and it is then recomputed for them too.
    SmallVector<Operation *> ops;
    for (Operation &op : func.getBody().front())
      ops.push_back(&op);
    for (Operation *op : llvm::reverse(ops))
      remat.rematerialize(op);
  }
};

} // namespace
