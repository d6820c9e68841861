// mlc-cpu-fuse-sibling-reductions: reductions over one iteration space that share an input
// become one multi-output generic, so the shared input is read once (see Passes.td).
#include "compiler/Codegen/CPU/Passes.h"

#include "mlir/IR/Dominance.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlc {
#define GEN_PASS_DEF_CPUFUSESIBLINGREDUCTIONS
#include "compiler/Codegen/CPU/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

/// Merged ops stay below this many operands: each takes a register when vectorized.
constexpr unsigned kMaxOperands = 24;

bool isCandidate(linalg::GenericOp op) {
  return op.hasPureTensorSemantics() && op.getNumReductionLoops() > 0 &&
         llvm::none_of(op.getStaticLoopRanges(), ShapedType::isDynamic);
}

/// Whether `later` reads some input of `earlier` through the same map.
bool sharesInput(linalg::GenericOp earlier, linalg::GenericOp later) {
  for (OpOperand *a : earlier.getDpsInputOperands())
    for (OpOperand *b : later.getDpsInputOperands())
      if (a->get() == b->get() && earlier.getMatchingIndexingMap(a) == later.getMatchingIndexingMap(b))
        return true;
  return false;
}

/// Makes every operand of `later` available before `earlier`, moving up the pure, region-free
/// ops between them that define those operands (one level: their own operands must already
/// be available); false, and nothing moved, where that is not possible.
bool hoistOperands(linalg::GenericOp earlier, linalg::GenericOp later, DominanceInfo &dom) {
  SmallVector<Operation *> toMove;
  for (Value v : later->getOperands()) {
    if (dom.properlyDominates(v, earlier))
      continue;
    Operation *def = v.getDefiningOp();
    if (!def || def->getBlock() != earlier->getBlock() || def->getNumRegions() != 0 || !isMemoryEffectFree(def))
      return false;
    for (Value operand : def->getOperands())
      if (!dom.properlyDominates(operand, earlier))
        return false;
    if (!llvm::is_contained(toMove, def))
      toMove.push_back(def);
  }
  for (Operation *def : toMove)
    def->moveBefore(earlier);
  return true;
}

/// Whether `later` reads, directly or through ops between the two, a result of `earlier`.
bool dependsOn(linalg::GenericOp later, linalg::GenericOp earlier) {
  SmallVector<Value> work(later->getOperands().begin(), later->getOperands().end());
  llvm::SmallPtrSet<Operation *, 16> seen;
  while (!work.empty()) {
    Value v = work.pop_back_val();
    Operation *def = v.getDefiningOp();
    if (!def || def->getBlock() != earlier->getBlock() || def->isBeforeInBlock(earlier))
      continue;
    if (def == earlier.getOperation())
      return true;
    if (!seen.insert(def).second)
      continue;
    work.append(def->getOperands().begin(), def->getOperands().end());
  }
  return false;
}

linalg::GenericOp merge(IRRewriter &rewriter, linalg::GenericOp a, linalg::GenericOp b) {
  SmallVector<Value> inputs, outputs;
  SmallVector<AffineMap> maps;
  for (OpOperand *o : a.getDpsInputOperands()) {
    inputs.push_back(o->get());
    maps.push_back(a.getMatchingIndexingMap(o));
  }
  for (OpOperand *o : b.getDpsInputOperands()) {
    inputs.push_back(o->get());
    maps.push_back(b.getMatchingIndexingMap(o));
  }
  for (OpOperand &o : a.getDpsInitsMutable()) {
    outputs.push_back(o.get());
    maps.push_back(a.getMatchingIndexingMap(&o));
  }
  for (OpOperand &o : b.getDpsInitsMutable()) {
    outputs.push_back(o.get());
    maps.push_back(b.getMatchingIndexingMap(&o));
  }
  SmallVector<Type> types(a->getResultTypes());
  llvm::append_range(types, b->getResultTypes());
  rewriter.setInsertionPoint(a);
  auto merged = rewriter.create<linalg::GenericOp>(a.getLoc(), types, inputs, outputs, maps,
                                                   a.getIteratorTypesArray());
  // Block arguments: a's inputs, b's inputs, a's outputs, b's outputs.
  Block *block = rewriter.createBlock(&merged.getRegion());
  for (Value v : llvm::concat<Value>(inputs, outputs))
    block->addArgument(cast<ShapedType>(v.getType()).getElementType(), a.getLoc());
  unsigned ai = a.getNumDpsInputs(), bi = b.getNumDpsInputs(), ao = a.getNumDpsInits();
  IRMapping mapA, mapB;
  Block &bodyA = a.getRegion().front(), &bodyB = b.getRegion().front();
  for (unsigned i = 0; i < ai; ++i)
    mapA.map(bodyA.getArgument(i), block->getArgument(i));
  for (unsigned i = 0; i < bi; ++i)
    mapB.map(bodyB.getArgument(i), block->getArgument(ai + i));
  for (unsigned i = 0; i < ao; ++i)
    mapA.map(bodyA.getArgument(ai + i), block->getArgument(ai + bi + i));
  for (unsigned i = 0; i < b.getNumDpsInits(); ++i)
    mapB.map(bodyB.getArgument(bi + i), block->getArgument(ai + bi + ao + i));
  rewriter.setInsertionPointToStart(block);
  SmallVector<Value> yields;
  for (auto [body, map] : {std::pair{&bodyA, &mapA}, std::pair{&bodyB, &mapB}}) {
    for (Operation &op : body->without_terminator())
      rewriter.clone(op, *map);
    for (Value v : body->getTerminator()->getOperands())
      yields.push_back(map->lookupOrDefault(v));
  }
  rewriter.create<linalg::YieldOp>(a.getLoc(), yields);
  for (const NamedAttribute &attr : a->getDiscardableAttrs())
    merged->setAttr(attr.getName(), attr.getValue());
  rewriter.replaceOp(a, merged->getResults().take_front(a->getNumResults()));
  rewriter.replaceOp(b, merged->getResults().drop_front(ao));
  return merged;
}

struct CPUFuseSiblingReductionsPass
    : public mlc::impl::CPUFuseSiblingReductionsBase<CPUFuseSiblingReductionsPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    bool changed = true;
    while (changed) {
      changed = false;
      DominanceInfo dom(getOperation());
      SmallVector<linalg::GenericOp> ops;
      getOperation().walk([&](linalg::GenericOp op) {
        if (isCandidate(op))
          ops.push_back(op);
      });
      for (auto [i, a] : llvm::enumerate(ops)) {
        for (linalg::GenericOp b : llvm::drop_begin(ops, i + 1)) {
          if (a->getBlock() != b->getBlock() || !a->isBeforeInBlock(b) ||
              a.getStaticLoopRanges() != b.getStaticLoopRanges() ||
              a.getIteratorTypesArray() != b.getIteratorTypesArray() ||
              a->getNumOperands() + b->getNumOperands() > kMaxOperands || !sharesInput(a, b) || dependsOn(b, a) ||
              !hoistOperands(a, b, dom))
            continue;
          merge(rewriter, a, b);
          changed = true;
          break;
        }
        if (changed)
          break;
      }
    }
  }
};

} // namespace
