// mlc-fuse-elementwise: elementwise fusion that also fuses producers used again later.
#include "compiler/Codegen/Common/Passes.h"
#include "dialects/Mlc/MlcOpGroups.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlc {
#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "compiler/Codegen/Common/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

/// Every user of the producer other than the consumer comes after the consumer, in its block:
/// the fused op (at the consumer's place) can then stand in for the producer everywhere.
static bool laterUsersOnly(Operation *producer, Operation *consumer) {
  if (producer->getBlock() != consumer->getBlock())
    return false;
  for (Value result : producer->getResults())
    for (Operation *user : result.getUsers())
      if (user != consumer &&
          (user->getBlock() != consumer->getBlock() || !consumer->isBeforeInBlock(user)))
        return false;
  return true;
}

/// A producer whose value other ops use too stays a result of the fused op; that only makes sense
/// when the fused op iterates over the producer's own space (otherwise, e.g. a scalar fused into a
/// 2-D loop, it would recompute and rewrite the scalar once per element).
static bool canPreserve(linalg::GenericOp producer, linalg::GenericOp consumer, OpOperand *operand) {
  bool otherUsers = llvm::any_of(producer->getUsers(), [&](Operation *u) { return u != consumer; });
  if (!otherUsers)
    return true;
  return producer.getNumLoops() == consumer.getNumLoops() &&
         consumer.getMatchingIndexingMap(operand).isPermutation();
}

/// A producer that gathers (tensor.extract, e.g. a padding) fused into a consumer that reads
/// each of its elements several times (a non-permutation map, e.g. im2col's sliding windows)
/// would redo the gather, bounds checks included, once per read: 25 times for 5x5 windows.
/// Left alone, the gather runs once per element and the consumer stays a plain strided copy.
static bool multipliesGather(OpOperand *operand) {
  auto producer = operand->get().getDefiningOp<linalg::GenericOp>();
  auto consumer = dyn_cast<linalg::LinalgOp>(operand->getOwner());
  if (!producer || !consumer || consumer.getMatchingIndexingMap(operand).isPermutation())
    return false;
  bool gathers = false;
  producer.getBody()->walk([&](tensor::ExtractOp) { gathers = true; });
  return gathers;
}

/// A producer that only copies: its body yields its inputs' elements (a broadcast of a
/// per-channel value, say) or values from outside (a splat). Such a producer is cloned into
/// each consumer rather than kept as a result of the fused op: a preserved broadcast would be
/// written out at the consumer's full size (and, when the backward pass reads it, kept alive
/// until then) only to be read back instead of the small tensor it came from.
static bool onlyCopies(linalg::GenericOp producer) {
  auto yield = cast<linalg::YieldOp>(producer.getBody()->getTerminator());
  if (&producer.getBody()->front() != yield.getOperation())
    return false;
  return llvm::all_of(yield.getValues(), [&](Value v) {
    auto arg = dyn_cast<BlockArgument>(v);
    if (!arg || arg.getOwner() != producer.getBody())
      return v.getParentRegion() != &producer.getRegion();
    return arg.getArgNumber() < producer.getNumDpsInputs();
  });
}

/// Bounds on a fused op. A chain of n elementwise ops fused step by step copies the growing payload
/// n times, and a fused op that keeps every intermediate for the backward pass has n results whose
/// aliasing one-shot bufferization analyses pairwise: an MLP with 1000 ReLUs took 15 s to fuse and
/// 22 s to bufferize. Ops of this size already stream their operands once; splitting longer
/// chains costs one extra pass over a tensor per bound.
constexpr unsigned kMaxFusedResults = 16;
constexpr size_t kMaxFusedPayloadOps = 256;

static bool tooLargeToFuse(Operation *producer, Operation *consumer) {
  auto payload = [](Operation *op) { return cast<linalg::GenericOp>(op).getBody()->getOperations().size(); };
  return producer->getNumResults() + consumer->getNumResults() > kMaxFusedResults ||
         payload(producer) + payload(consumer) > kMaxFusedPayloadOps;
}

/// One sweep over the function's generics, fusing wherever possible; returns whether it fused.
/// Fused ops can enable further fusion: the caller sweeps until nothing changes.
static bool fuseSweep(IRRewriter &rewriter, func::FuncOp func) {
  SmallVector<linalg::GenericOp> consumers;
  func.walk([&](linalg::GenericOp op) { consumers.push_back(op); });
  DenseSet<Operation *> erased;
  bool changed = false;
  for (linalg::GenericOp consumer : consumers) {
    if (erased.contains(consumer))
      continue;
    for (OpOperand *operand : consumer.getDpsInputOperands()) {
      auto producer = operand->get().getDefiningOp<linalg::GenericOp>();
      if (producer && producer->getBlock() == consumer->getBlock() && !producer->hasOneUse() &&
          onlyCopies(producer) && linalg::areElementwiseOpsFusable(operand)) {
        rewriter.setInsertionPoint(consumer);
        Operation *copy = rewriter.clone(*producer);
        operand->set(copy->getResult(cast<OpResult>(operand->get()).getResultNumber()));
        producer = cast<linalg::GenericOp>(copy);
      }
      if (!producer || !linalg::areElementwiseOpsFusable(operand) || tooLargeToFuse(producer, consumer) ||
          !laterUsersOnly(producer, consumer) || !canPreserve(producer, consumer, operand) ||
          multipliesGather(operand))
        continue;
      // Fusion folds one operand; a second operand reading the same producer would be left
      // reading it (or, redirected, the fused op's own result).
      if (llvm::count_if(consumer->getOperands(), [&](Value v) {
            return v.getDefiningOp() == producer.getOperation();
          }) > 1)
        continue;
      rewriter.setInsertionPoint(consumer);
      FailureOr<linalg::ElementwiseOpFusionResult> fused =
          linalg::fuseElementwiseOps(rewriter, operand);
      if (failed(fused))
        continue;
      // A fused op does what its named parts did (e.g. im2col with the padding it reads).
      for (Operation *part : {static_cast<Operation *>(consumer), producer.getOperation()})
        if (Attribute g = part->getAttr(mlc::group::kAttr))
          fused->fusedOp->setAttr(mlc::group::kAttr, g);
      for (auto [original, replacement] : fused->replacements)
        rewriter.replaceUsesWithIf(original, replacement, [&](OpOperand &use) {
          return use.getOwner() != fused->fusedOp;
        });
      erased.insert(consumer);
      rewriter.eraseOp(consumer);
      if (producer->use_empty()) {
        erased.insert(producer);
        rewriter.eraseOp(producer);
      }
      changed = true;
      break; // the consumer is gone; its fused replacement is seen by the next sweep
    }
  }
  return changed;
}

struct FuseElementwisePass : public mlc::impl::FuseElementwiseBase<FuseElementwisePass> {
  void runOnOperation() override {
    // Upstream's patterns first: splat and scalar constants folded into payloads, and fusion of
    // producers whose only user is the consumer.
    {
      RewritePatternSet patterns(&getContext());
      linalg::populateElementwiseOpsFusionPatterns(patterns, [](OpOperand *operand) {
        Operation *producer = operand->get().getDefiningOp();
        return producer && producer->hasOneUse() && !multipliesGather(operand) &&
               !(isa<linalg::GenericOp>(producer) && isa<linalg::GenericOp>(operand->getOwner()) &&
                 tooLargeToFuse(producer, operand->getOwner()));
      });
      if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
        return signalPassFailure();
    }
    IRRewriter rewriter(&getContext());
    while (fuseSweep(rewriter, getOperation())) {
    }
    // A preserved producer value whose later users were fused too is now a dead result; drop
    // it (and unused inputs) so tiling and bufferization see only live outputs.
    RewritePatternSet patterns(&getContext());
    linalg::populateEraseUnusedOperandsAndResultsPatterns(patterns);
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
