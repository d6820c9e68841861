// mlc-gpu-schedule: tile linalg ops into GPU blocks and threads (innermost dimension on x).
#include "compiler/Codegen/GPU/GPUReduction.h"
#include "compiler/Codegen/GPU/Passes.h"
#include "compiler/Codegen/Common/ScheduleUtils.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace mlc {
#define GEN_PASS_DEF_GPUSCHEDULE
#include "compiler/Codegen/GPU/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using mlc::divisorAtMost;

namespace {

/// Tiles `op` into an scf.forall over the dimensions with a non-zero size, mapped as given.
static FailureOr<Operation *> tileToForall(RewriterBase &rewriter, Operation *op,
                                           ArrayRef<int64_t> sizes,
                                           ArrayRef<DeviceMappingAttrInterface> mapping) {
  scf::SCFTilingOptions options;
  options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  options.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  options.setMapping(mapping);
  rewriter.setInsertionPoint(op);
  auto tiled = scf::tileUsingSCF(rewriter, cast<TilingInterface>(op), options);
  if (failed(tiled))
    return failure();
  rewriter.replaceOp(op, tiled->replacements);
  return tiled->tiledOps.back();
}

struct GPUSchedulePass : public mlc::impl::GPUScheduleBase<GPUSchedulePass> {
  using GPUScheduleBase::GPUScheduleBase;

  void runOnOperation() override {
    if (maxThreads < 1 || maxThreads > 1024) {
      getOperation().emitError("mlc-gpu-schedule: max-threads must be in [1, 1024]");
      return signalPassFailure();
    }
    IRRewriter rewriter(&getContext());
    materializeSplatConstants(rewriter);
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (!op->getParentOfType<scf::ForallOp>())
        ops.push_back(op);
    });
    // Tensor-core contractions and tree reductions stay whole for mlc-gpu-matmul and
    // mlc-gpu-tree-reduce, and so do the fills of their accumulators, which those passes fold
    // into the kernels' initial values.
    DenseSet<Operation *> keep;
    for (linalg::LinalgOp op : ops) {
      if (tensorCores && mlc::tensorCoreContraction(op)) {
        keep.insert(op); // replaced when generalized: only its address is looked at below
        Operation *contraction = readTransposesInPlace(rewriter, op, keep);
        keep.insert(contraction);
        keepAccumulatorFill(rewriter, cast<linalg::LinalgOp>(contraction), 0, keep);
      } else if (auto plan = mlc::planTreeReduction(op); plan && op.hasPureTensorSemantics()) {
        keep.insert(op);
        mlc::uniquifyInits(rewriter, op);
        for (auto [i, k] : llvm::enumerate(plan->combiners))
          if (k != mlc::Combiner::Elementwise)
            keepAccumulatorFill(rewriter, op, i, keep);
      }
    }
    for (linalg::LinalgOp op : ops)
      if (!keep.contains(op))
        schedule(rewriter, op);
  }

  /// Splat tensor constants that survived fusion (a zero gradient returned as it is) become
  /// fills, which run as kernels: bufferized as they are, they would be host-memory globals.
  void materializeSplatConstants(IRRewriter &rewriter) {
    SmallVector<arith::ConstantOp> splats;
    getOperation().walk([&](arith::ConstantOp op) {
      auto type = dyn_cast<RankedTensorType>(op.getType());
      auto value = dyn_cast<SplatElementsAttr>(op.getValue());
      if (type && value && type.hasStaticShape())
        splats.push_back(op);
    });
    for (arith::ConstantOp op : splats) {
      auto type = cast<RankedTensorType>(op.getType());
      rewriter.setInsertionPoint(op);
      Value scalar = rewriter.create<arith::ConstantOp>(
          op.getLoc(), cast<SplatElementsAttr>(op.getValue()).getSplatValue<TypedAttr>());
      Value empty = rewriter.create<tensor::EmptyOp>(op.getLoc(), type.getShape(), type.getElementType());
      rewriter.replaceOpWithNewOp<linalg::FillOp>(op, scalar, empty);
    }
  }

  /// Moves the fill of `op`'s init `index` (a copy if others use it) right before `op`, where
  /// the kernel passes find it after bufferization.
  void keepAccumulatorFill(IRRewriter &rewriter, linalg::LinalgOp op, unsigned index,
                           DenseSet<Operation *> &keep) {
    OpOperand &init = op.getDpsInitsMutable()[index];
    auto fill = init.get().getDefiningOp<linalg::FillOp>();
    if (!fill)
      return;
    // CSE shares one fill between ops of the same shape: each gets its own, then.
    if (!fill->hasOneUse()) {
      rewriter.setInsertionPoint(op);
      linalg::FillOp copy = mlc::cloneFill(rewriter, fill);
      rewriter.modifyOpInPlace(op, [&] { init.set(copy.getResult(0)); });
      fill = copy;
    }
    rewriter.moveOpBefore(fill, op);
    // A distinct attribute per fill keeps CSE from merging the copies again.
    fill->setAttr("mlc.accumulator", rewriter.getI64IntegerAttr(keep.size()));
    keep.insert(fill);
  }

  /// Generalizes a contraction and makes it read the sources of transposed operands through
  /// permuted indexing maps: the GEMM kernel loads any layout, so the transpose is not
  /// materialized (on the CPU, W^T for the forward GEMM is a copy per step).
  Operation *readTransposesInPlace(IRRewriter &rewriter, linalg::LinalgOp op,
                                   DenseSet<Operation *> &erased) {
    linalg::GenericOp generic;
    if (auto named = dyn_cast<linalg::GenericOp>(op.getOperation())) {
      generic = named;
    } else {
      rewriter.setInsertionPoint(op);
      auto generalized = linalg::generalizeNamedOp(rewriter, op);
      if (failed(generalized))
        return op;
      generic = *generalized;
    }
    SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
    bool changed = false;
    for (OpOperand *input : generic.getDpsInputOperands()) {
      auto transpose = input->get().getDefiningOp<linalg::TransposeOp>();
      if (!transpose)
        continue;
      // out[x] = in[y] with y[perm[i]] = x[i]: the source's index k is result perm^-1[k].
      ArrayRef<int64_t> perm = transpose.getPermutation();
      AffineMap map = maps[input->getOperandNumber()];
      SmallVector<AffineExpr> results(perm.size());
      for (auto [i, p] : llvm::enumerate(perm))
        results[p] = map.getResult(i);
      maps[input->getOperandNumber()] =
          AffineMap::get(map.getNumDims(), 0, results, rewriter.getContext());
      rewriter.modifyOpInPlace(generic, [&] { input->set(transpose.getInput()); });
      if (transpose->use_empty()) {
        erased.insert(transpose);
        rewriter.eraseOp(transpose);
      }
      changed = true;
    }
    if (changed)
      rewriter.modifyOpInPlace(generic,
                               [&] { generic.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps)); });
    return generic;
  }

  void schedule(IRRewriter &rewriter, linalg::LinalgOp op) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    if (llvm::any_of(ranges, ShapedType::isDynamic) || !op.hasPureTensorSemantics())
      return;
    SmallVector<int64_t> parallel;
    for (auto [d, it] : llvm::enumerate(op.getIteratorTypesArray()))
      if (it == utils::IteratorType::parallel)
        parallel.push_back(d);
    // No parallel dimension (scalars, full reductions): mlc-gpu-wrap-serial runs them.
    if (parallel.empty() || parallel.size() > 3)
      return;

    mlc::uniquifyInits(rewriter, op);
    // Threads per block, innermost parallel dimension first (x), then y, z.
    MLIRContext *ctx = &getContext();
    SmallVector<int64_t> blockTile(ranges.size(), 0), threadTile(ranges.size(), 0);
    SmallVector<DeviceMappingAttrInterface> blocks, threads;
    int64_t budget = maxThreads;
    const gpu::MappingId ids[] = {gpu::MappingId::DimX, gpu::MappingId::DimY, gpu::MappingId::DimZ};
    SmallVector<gpu::MappingId> dimIds(ranges.size(), gpu::MappingId::DimX);
    for (auto [k, d] : llvm::enumerate(llvm::reverse(parallel))) {
      // x spans a warp when other dimensions fill the block; alone, it takes the whole block.
      int64_t cap = k == 0 && parallel.size() > 1 ? std::min<int64_t>(32, budget) : budget;
      if (k == 2)
        cap = std::min<int64_t>(cap, 64); // blockDim.z is limited to 64
      blockTile[d] = divisorAtMost(ranges[d], cap);
      threadTile[d] = 1;
      budget /= blockTile[d];
      dimIds[d] = ids[k];
    }
    // Mapping attributes follow the loop order (the op's dimension order).
    for (int64_t d : parallel) {
      blocks.push_back(gpu::GPUBlockMappingAttr::get(ctx, dimIds[d]));
      threads.push_back(gpu::GPUThreadMappingAttr::get(ctx, dimIds[d]));
    }
    auto blockLevel = tileToForall(rewriter, op, blockTile, blocks);
    if (failed(blockLevel))
      return;
    (void)tileToForall(rewriter, *blockLevel, threadTile, threads);
  }
};

} // namespace
