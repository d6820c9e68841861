// mlc-cpu-schedule: thread-level and register-level tiling of linalg ops, then vectorization.
#include "compiler/Codegen/CPU/Passes.h"
#include "compiler/Codegen/Common/ScheduleUtils.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlc {
#define GEN_PASS_DEF_CPUSCHEDULE
#include "compiler/Codegen/CPU/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using mlc::divisorAtMost;

namespace {

/// The smallest divisor of `n` that is at least `lo` (a multiple of `multiple` when one exists).
static int64_t divisorAtLeast(int64_t n, int64_t lo, int64_t multiple) {
  for (int64_t d = std::max<int64_t>(lo, 1); d <= n; ++d)
    if (n % d == 0 && d % multiple == 0)
      return d;
  for (int64_t d = std::max<int64_t>(lo, 1); d <= n; ++d)
    if (n % d == 0)
      return d;
  return n;
}

/// Innermost reductions up to this length are vectorized across results (see registerTile).
constexpr int64_t kShortReduction = 16;
constexpr int64_t kShortReductionTile = 64;
/// Cache blocks of a matmul (see schedule): rows and columns of the output, depth of the
/// contraction; a contraction whose largest divisor within the depth is below the minimum (a
/// prime K) is not split.
constexpr int64_t kBlockRows = 64;
constexpr int64_t kBlockColumns = 128;
constexpr int64_t kPanelDepth = 64;
constexpr int64_t kMinPanelDepth = 16;
/// Panel depth and most block rows for a transposed lhs (see schedule).
constexpr int64_t kTransposedPanelDepth = 256;
constexpr int64_t kMaxTransposedBlockRows = 256;
/// The most bytes a panel of B may take when a block spans the whole width of the product.
constexpr int64_t kPanelBytesL2 = 256 * 1024;

/// f32 lanes of one vector register.
static int64_t vectorLanes(int64_t vectorBits) { return std::max<int64_t>(vectorBits / 32, 4); }

/// Rows of a matmul register tile of two vectors per row: AVX-512's 32 registers hold 8 x 2
/// accumulators, AVX2's 16 hold 6 x 2 beside the two right-hand-side vectors and a broadcast.
static int64_t tileRows(int64_t vectorBits) { return vectorBits >= 512 ? 8 : 6; }

/// The constant `v` is a slice of (a thread's or a block's share of a constant operand), through
/// slices of the same rank with static offsets and unit strides; `offsets`, when given, gets the
/// slices' offsets added. Null when it is not one.
static DenseElementsAttr constantThroughSlices(Value v, MutableArrayRef<int64_t> offsets = {}) {
  while (auto slice = v.getDefiningOp<tensor::ExtractSliceOp>()) {
    if (slice.getSourceType().getRank() != slice.getType().getRank() ||
        llvm::any_of(slice.getStaticStrides(), [](int64_t s) { return s != 1; }) ||
        llvm::any_of(slice.getStaticOffsets(), ShapedType::isDynamic))
      return {};
    for (auto [o, so] : llvm::zip(offsets, slice.getStaticOffsets()))
      o += so;
    v = slice.getSource();
  }
  DenseElementsAttr value;
  if (!matchPattern(v, m_Constant(&value)))
    return {};
  return value;
}

/// Largest constant left-hand side whose products get whole-constant register tiles (see
/// registerTile): a Winograd transform's 16 x 16.
constexpr int64_t kMaxConstantLhsDim = 16;

static bool isMatmulLike(linalg::LinalgOp op) {
  return op.getNumLoops() == 3 && op.getNumParallelLoops() == 2 && linalg::isaContractionOpInterface(op);
}

/// A batch of independent matrix products (a Winograd convolution's products per transform point).
static bool isBatchMatmul(linalg::LinalgOp op) {
  return isa<linalg::BatchMatmulOp, linalg::BatchMatmulTransposeAOp>(op.getOperation());
}

/// `value` [1, R, C] as [R, C]: a rank-reducing slice, which bufferizes to a view.
static Value dropUnitBatch(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  auto reduced = RankedTensorType::get(type.getShape().drop_front(), type.getElementType());
  SmallVector<OpFoldResult> offsets(3, b.getIndexAttr(0)), strides(3, b.getIndexAttr(1));
  SmallVector<OpFoldResult> sizes = getAsIndexOpFoldResult(b.getContext(), type.getShape());
  return b.create<tensor::ExtractSliceOp>(loc, reduced, value, offsets, sizes, strides);
}

/// The single product of a batch matmul over a batch of one, as a 2-D named matmul whose result
/// is inserted back into the batch's accumulator.
static linalg::LinalgOp unbatch(RewriterBase &rewriter, linalg::LinalgOp op) {
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Value lhs = dropUnitBatch(rewriter, loc, op.getDpsInputs()[0]);
  Value rhs = dropUnitBatch(rewriter, loc, op.getDpsInputs()[1]);
  Value init = op.getDpsInits()[0];
  Value acc = dropUnitBatch(rewriter, loc, init);
  Operation *mm = isa<linalg::BatchMatmulTransposeAOp>(op.getOperation())
                      ? rewriter.create<linalg::MatmulTransposeAOp>(loc, ValueRange{lhs, rhs}, acc).getOperation()
                      : rewriter.create<linalg::MatmulOp>(loc, ValueRange{lhs, rhs}, acc).getOperation();
  // Only mlc's own attributes: a named op memoizes its indexing maps as a discardable attribute.
  for (NamedAttribute attr : op->getDiscardableAttrs())
    if (attr.getName().strref().starts_with("mlc."))
      mm->setAttr(attr.getName(), attr.getValue());
  auto initType = cast<RankedTensorType>(init.getType());
  SmallVector<OpFoldResult> offsets(3, rewriter.getIndexAttr(0)), strides(3, rewriter.getIndexAttr(1));
  SmallVector<OpFoldResult> sizes = getAsIndexOpFoldResult(rewriter.getContext(), initType.getShape());
  Value back = rewriter.create<tensor::InsertSliceOp>(loc, mm->getResult(0), init, offsets, sizes, strides);
  rewriter.replaceOp(op, back);
  return cast<linalg::LinalgOp>(mm);
}

/// For a transpose (a linalg.transpose, or a generic that copies its one input through a
/// permutation, all loops parallel): the loop that the input's innermost dimension follows,
/// when that is not the output's innermost loop. Such a copy reads one of its two operands
/// across rows, whichever loop the vector runs along.
static std::optional<int64_t> transposedInnerLoop(linalg::LinalgOp op) {
  if (op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 || op.getNumReductionLoops() != 0)
    return std::nullopt;
  if (!isa<linalg::TransposeOp>(op.getOperation())) {
    Block *body = op.getBlock();
    if (body->getOperations().size() != 1 || body->getTerminator()->getOperand(0) != body->getArgument(0))
      return std::nullopt;
  }
  AffineMap in = op.getMatchingIndexingMap(op.getDpsInputOperand(0));
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (!in.isPermutation() || !out.isIdentity() || in.getNumResults() < 2)
    return std::nullopt;
  int64_t inner = cast<AffineDimExpr>(in.getResults().back()).getPosition();
  if (inner == static_cast<int64_t>(out.getNumDims()) - 1)
    return std::nullopt;
  return inner;
}

/// Register tile: for matmuls, rows x 2 vectors of accumulators with k by 1 (outer products):
/// enough independent FMAs to hide their latency while the accumulators, the two vectors of the
/// right-hand side and one broadcast stay in registers. AVX-512 (32 registers of 16 floats):
/// 8 rows x 32 columns, 16 accumulators. AVX2 (16 registers of 8 floats): 6 rows x 16 columns,
/// 12 accumulators; 8 x 32 there would need 32 and spill in the innermost loop. Tiles divide the
/// ranges (fewer rows or one vector of columns otherwise). Other ops: one vector of up to 64
/// elements along the innermost dimension, reductions kept whole while the tile stays within
/// 1024 elements.
static SmallVector<int64_t> registerTile(linalg::LinalgOp op, ArrayRef<int64_t> ranges, int64_t vectorBits) {
  SmallVector<int64_t> tile(ranges.size(), 1);
  if (isMatmulLike(op)) {
    int64_t lanes = vectorLanes(vectorBits);
    int64_t maxRows = tileRows(vectorBits);
    // A small constant lhs (a Winograd transform, mostly 0 and +-1) is taken whole, all its rows
    // and its whole depth, against one vector of columns: the outer products then multiply by
    // constants, which CPULowerVectors turns into adds and subtractions of the rows of B that
    // its non-zero coefficients select.
    if (isa<linalg::MatmulOp>(op) && ranges[0] <= kMaxConstantLhsDim && ranges[2] <= kMaxConstantLhsDim &&
        constantThroughSlices(op.getDpsInputOperand(0)->get())) {
      tile[0] = ranges[0];
      tile[1] = divisorAtMost(ranges[1], lanes, lanes);
      tile[2] = ranges[2];
      return tile;
    }
    tile[1] = divisorAtMost(ranges[1], 2 * lanes, lanes);
    tile[0] = divisorAtMost(ranges[0], tile[1] == 2 * lanes ? maxRows : 2 * maxRows);
    tile[2] = 1;
    return tile;
  }
  // Transposes: a square block of one vector register's lanes along both innermost loops, read
  // as rows of the input and written as rows of the output (vector.transpose in between, in
  // registers), rather than one element at a time across the input's rows.
  if (std::optional<int64_t> inner = transposedInnerLoop(op)) {
    int64_t lanes = vectorLanes(vectorBits);
    tile.back() = divisorAtMost(ranges.back(), lanes);
    tile[*inner] = divisorAtMost(ranges[*inner], lanes);
    return tile;
  }
  auto iters = op.getIteratorTypesArray();
  int64_t last = ranges.size() - 1;
  tile[last] = divisorAtMost(ranges[last], 64, 16);
  // An innermost parallel loop shorter than a vector register (col2im's interleave of residue
  // classes runs over [..., B, stride]) takes the loops around it into the vector, up to 64
  // elements, rather than filling a few lanes. Not a loop of one (a 1x1 window's copies): those
  // are transposes, and vectors across their rows cost compile time (4 s of MobileNetV2's) for
  // no faster step. Only where every operand is read or written through a projected
  // permutation: gathers (tensor.extract) would turn their loads along an outer loop into vector
  // gathers, and maps with sums are not vectorized at all.
  auto vectorizesAlongOuterLoops = [&] {
    bool gathers = false;
    op->walk([&](tensor::ExtractOp) { gathers = true; });
    return !gathers &&
           llvm::all_of(op.getIndexingMapsArray(), [](AffineMap m) { return m.isProjectedPermutation(); });
  };
  if (iters[last] == utils::IteratorType::parallel && tile[last] == ranges[last] && ranges[last] > 1 &&
      ranges[last] < vectorLanes(vectorBits) && vectorizesAlongOuterLoops()) {
    int64_t elements = tile[last];
    for (int64_t d = last - 1; d >= 0 && iters[d] == utils::IteratorType::parallel; --d) {
      tile[d] = divisorAtMost(ranges[d], std::max<int64_t>(1, 64 / elements));
      elements *= tile[d];
      if (tile[d] != ranges[d])
        break;
    }
  }
  // The whole tile is one vector: the reductions share a budget of 1024 elements with it. When
  // the innermost dimension is itself reduced the budget is 256: such a tile is reduced to one
  // value per step (rows added as vectors, one horizontal reduction; see CPULowerVectors), and
  // whole 28 x 28 planes were slower (registers spill) and slower to compile.
  // Every input's tile is as large, and they are combined element by element: beyond two inputs
  // the budget is shared, a pair of inputs to each share. A depthwise convolution's filter
  // gradient read ten [16, 64] tiles per step (its nine taps and dY), 1500 lines of LLVM IR for
  // each of MobileNetV2's fifteen; with [2, 64] tiles its LLVM IR is 11% smaller (227718 ->
  // 201945 lines) and its step ran 12% faster on one thread (181-190 -> 162-165 ms, alternating).
  int64_t elements = tile[last];
  int64_t pairs = std::max<int64_t>(1, (op.getNumDpsInputs() + 1) / 2);
  int64_t budget = std::max<int64_t>(elements, (iters[last] == utils::IteratorType::reduction ? 256 : 1024) / pairs);
  for (int64_t d = 0; d < last; ++d) {
    if (iters[d] != utils::IteratorType::reduction)
      continue;
    tile[d] = elements * ranges[d] <= budget ? ranges[d]
                                              : divisorAtMost(ranges[d], std::max<int64_t>(1, budget / elements));
    elements *= tile[d];
  }
  // A short reduction innermost (a pool's 9 window elements) would make one vector per result
  // and reduce it across lanes. With a few results of the innermost parallel loop in the same
  // tile, the reduction becomes elementwise operations between vectors of results.
  // Only for a single reduced loop, and within one vector of 64 elements: the reduction then
  // transposes the tile in registers, which costs per element (a [64, 2, 2] tile reduced over
  // its last two dimensions was 15 times slower than one result at a time).
  if (iters[last] == utils::IteratorType::reduction && ranges[last] <= kShortReduction &&
      op.getNumReductionLoops() == 1) {
    for (int64_t d = last - 1; d >= 0; --d) {
      if (iters[d] != utils::IteratorType::parallel)
        continue;
      tile[d] = divisorAtMost(ranges[d], std::max<int64_t>(1, kShortReductionTile / elements));
      break;
    }
  }
  return tile;
}

/// Whether dimensions `r - 1` and `r` of `value` may be merged by a collapse_shape without a copy.
/// A tensor.extract_slice bufferizes to a strided view: its two dimensions merge only when the
/// view steps over the inner one exactly (a whole row of the source, e.g. not the 28 of 30
/// columns that a convolution tap reads), otherwise bufferization would copy the slice.
static bool mergeableWithPrevious(Value value, int64_t r) {
  auto slice = value.getDefiningOp<tensor::ExtractSliceOp>();
  if (!slice) {
    // A reshape of a view (an earlier collapse of this op's loops): its dimensions no longer
    // line up with the slice's, so only a reshape of a whole tensor merges freely.
    Value source = value;
    while (Operation *def = source.getDefiningOp()) {
      if (!isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(def))
        break;
      source = def->getOperand(0);
    }
    return source == value || !source.getDefiningOp<tensor::ExtractSliceOp>();
  }
  // A rank-reducing slice, or a slice of a slice (a view of a view): not worth reasoning about.
  if (slice.getSourceType().getRank() != slice.getResultType().getRank() ||
      slice.getSource().getDefiningOp<tensor::ExtractSliceOp>())
    return false;
  ArrayRef<int64_t> sizes = slice.getStaticSizes(), steps = slice.getStaticStrides();
  if (ShapedType::isDynamic(sizes[r]) || ShapedType::isDynamic(steps[r]) || ShapedType::isDynamic(steps[r - 1]))
    return false;
  // Row-major source: merging needs stride(r - 1) = stride(r) * size(r), i.e.
  // source size(r) * step(r - 1) = step(r) * size(r).
  return slice.getSourceType().getDimSize(r) * steps[r - 1] == steps[r] * sizes[r];
}

/// Whether every operand of `op` that indexes loops `d - 1` and `d` can merge them in memory.
static bool loopsMergeInMemory(linalg::GenericOp op, int64_t d) {
  MLIRContext *ctx = op.getContext();
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    std::optional<unsigned> inner = map.getResultPosition(getAffineDimExpr(d, ctx));
    if (inner && *inner > 0 && map.getResultPosition(getAffineDimExpr(d - 1, ctx)) &&
        !mergeableWithPrevious(operand.get(), *inner))
      return false;
  }
  return true;
}

/// Runs of consecutive loops of a generic op that can become one loop: they iterate alike and
/// every operand indexes them contiguously, in order (or not at all), in memory as well as in
/// its indexing map. Only runs of two or more.
/// Ops that compute indices (linalg.index, gathers) are left alone: collapsing would turn their
/// index arithmetic into divisions; so are ops that index with sums (window extraction reads
/// `h * stride + kh`), which MLIR's collapsing does not handle.
static SmallVector<ReassociationIndices> collapsibleLoops(linalg::GenericOp op) {
  bool computesIndices = false;
  op.getBody()->walk([&](Operation *inner) {
    computesIndices |= isa<linalg::IndexOp, tensor::ExtractOp>(inner);
  });
  if (computesIndices)
    return {};
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (!llvm::all_of(maps, [](AffineMap map) { return map.isProjectedPermutation(); }))
    return {};
  auto iters = op.getIteratorTypesArray();
  SmallVector<ReassociationIndices> runs;
  ReassociationIndices run{0};
  auto close = [&] {
    if (run.size() > 1)
      runs.push_back(run);
  };
  for (int64_t d = 1; d < static_cast<int64_t>(iters.size()); ++d) {
    ReassociationIndices longer = run;
    longer.push_back(d);
    if (iters[d] == iters[run.front()] && linalg::areDimSequencesPreserved(maps, {longer}) &&
        loopsMergeInMemory(op, d)) {
      run = longer;
      continue;
    }
    close();
    run = {d};
  }
  close();
  return runs;
}

/// Whether `op` reads with tensor.extract from a tensor.extract_slice. Such a source bufferizes
/// to a strided view, while the vector.gather that vectorizing an n-D extract produces indexes
/// its source as if it were contiguous; those extracts stay scalar.
static bool gathersFromView(Operation *op) {
  bool found = false;
  op->walk([&](tensor::ExtractOp extract) {
    found |= static_cast<bool>(extract.getTensor().getDefiningOp<tensor::ExtractSliceOp>());
  });
  return found;
}

static FailureOr<scf::SCFTilingResult> tile(RewriterBase &rewriter, Operation *op,
                                            ArrayRef<int64_t> sizes,
                                            scf::SCFTilingOptions::LoopType loopType) {
  scf::SCFTilingOptions options;
  options.setLoopType(loopType);
  options.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  rewriter.setInsertionPoint(op);
  auto tiled = scf::tileUsingSCF(rewriter, cast<TilingInterface>(op), options);
  if (failed(tiled))
    return failure();
  rewriter.replaceOp(op, tiled->replacements);
  return tiled;
}

/// Moves the zero-fill of an accumulator into the tiles: each tile fills the slice it then
/// accumulates into, and the loop's shared output starts from the fill's (empty) destination.
/// Besides keeping the tile in cache, this stops one filled tensor (merged by CSE) from being
/// shared by several ops, which bufferization would resolve with copies.
static void fuseInitFills(RewriterBase &rewriter, scf::ForallOp forall, linalg::LinalgOp tiled) {
  for (OpOperand &init : tiled.getDpsInitsMutable()) {
    auto slice = init.get().getDefiningOp<tensor::ExtractSliceOp>();
    auto arg = slice ? dyn_cast<BlockArgument>(slice.getSource()) : BlockArgument();
    if (!arg || arg.getOwner()->getParentOp() != forall)
      continue;
    OpOperand *outerInit = forall.getTiedOpOperand(arg);
    auto fill = outerInit ? outerInit->get().getDefiningOp<linalg::FillOp>() : linalg::FillOp();
    if (!fill)
      continue;
    rewriter.setInsertionPoint(tiled);
    Value filled = rewriter.create<linalg::FillOp>(fill.getLoc(), fill.getInputs()[0], slice.getResult())
                       .getResult(0);
    rewriter.modifyOpInPlace(tiled, [&] { init.set(filled); });
    rewriter.modifyOpInPlace(forall, [&] { outerInit->set(fill.getOutputs()[0]); });
  }
}

/// Moves the zero-fill of a product's accumulator into its cache blocks (`loops`, scf.for over
/// blocks of the output, outermost first, with the contraction whole inside each block): each
/// block is filled just before its register tiles accumulate into it, while it is in cache.
/// Filled up front, the whole output went to memory, came back for the products and went out
/// again (a dense layer's [1024, 3136] weight gradient, 12.8 MB, three times).
static void fuseInitFillsIntoBlocks(RewriterBase &rewriter, ArrayRef<LoopLikeOpInterface> loops,
                                    linalg::LinalgOp tiled) {
  for (OpOperand &init : tiled.getDpsInitsMutable()) {
    auto slice = init.get().getDefiningOp<tensor::ExtractSliceOp>();
    if (!slice)
      continue;
    // Out through every loop's iter_args, innermost first, to the outermost loop's initial value.
    Value value = slice.getSource();
    OpOperand *outerInit = nullptr;
    for (LoopLikeOpInterface loop : llvm::reverse(loops)) {
      auto arg = dyn_cast<BlockArgument>(value);
      outerInit = arg && arg.getOwner()->getParentOp() == loop.getOperation() ? loop.getTiedLoopInit(arg) : nullptr;
      if (!outerInit)
        break;
      value = outerInit->get();
    }
    auto fill = outerInit ? value.getDefiningOp<linalg::FillOp>() : linalg::FillOp();
    if (!fill || !fill->hasOneUse())
      continue;
    rewriter.setInsertionPoint(tiled);
    Value filled = rewriter.create<linalg::FillOp>(fill.getLoc(), fill.getInputs()[0], slice.getResult())
                       .getResult(0);
    rewriter.modifyOpInPlace(tiled, [&] { init.set(filled); });
    Operation *outer = outerInit->getOwner();
    rewriter.modifyOpInPlace(outer, [&] { outerInit->set(fill.getOutputs()[0]); });
    // The fill, now unused, stays: it may be on the pass's list of ops, which erases dead fills.
  }
}

/// A transfer_read of a constant tensor (through static slices) at constant indices is the
/// constant vector itself: the register tile of a product with a constant lhs then multiplies
/// by known coefficients (bufferized, it would be a load from a global).
struct TransferReadOfConstant : public OpRewritePattern<vector::TransferReadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::TransferReadOp read, PatternRewriter &rewriter) const override {
    auto vectorType = read.getVectorType();
    auto sourceType = dyn_cast<RankedTensorType>(read.getSource().getType());
    if (!sourceType || read.getMask() || !read.getPermutationMap().isMinorIdentity() ||
        vectorType.getRank() != sourceType.getRank() || llvm::any_of(read.getInBoundsValues(), [](bool b) { return !b; }))
      return failure();
    // Offsets of the read in the constant: the slices' static offsets plus the read's indices.
    SmallVector<int64_t> offsets(sourceType.getRank(), 0);
    for (auto [i, index] : llvm::enumerate(read.getIndices())) {
      std::optional<int64_t> c = getConstantIntValue(index);
      if (!c)
        return failure();
      offsets[i] = *c;
    }
    DenseElementsAttr constant = constantThroughSlices(read.getSource(), offsets);
    if (!constant || !isa<FloatType>(constant.getElementType()))
      return failure();
    auto full = cast<RankedTensorType>(constant.getType());
    SmallVector<APFloat> all(constant.getValues<APFloat>());
    SmallVector<APFloat> values;
    SmallVector<int64_t> position(vectorType.getRank(), 0);
    int64_t count = vectorType.getNumElements();
    for (int64_t e = 0; e < count; ++e) {
      int64_t linear = 0;
      for (int64_t d = 0; d < vectorType.getRank(); ++d)
        linear = linear * full.getDimSize(d) + offsets[d] + position[d];
      values.push_back(all[linear]);
      for (int64_t d = vectorType.getRank() - 1; d >= 0 && ++position[d] == vectorType.getDimSize(d); --d)
        position[d] = 0;
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(read, DenseElementsAttr::get(vectorType, values));
    return success();
  }
};

/// A reduction of a whole vector to a scalar, as one flat vector.reduction. MLIR 19's
/// reduction-to-contract pattern would turn a full reduction of a product with a broadcast
/// operand (the sum of x broadcast to [1, n] times w) into a vector.contract whose accumulator is
/// a scalar, which the verifier rejects; flat, there is nothing for it to match.
struct FullReductionToFlatReduction : public OpRewritePattern<vector::MultiDimReductionOp> {
  FullReductionToFlatReduction(MLIRContext *ctx) : OpRewritePattern(ctx, /*benefit=*/2) {}
  LogicalResult matchAndRewrite(vector::MultiDimReductionOp op, PatternRewriter &rewriter) const override {
    auto source = op.getSourceVectorType();
    if (isa<VectorType>(op.getType()) || source.getRank() < 2)
      return failure();
    auto flat = VectorType::get({source.getNumElements()}, source.getElementType());
    Value values = rewriter.create<vector::ShapeCastOp>(op.getLoc(), flat, op.getSource());
    rewriter.replaceOpWithNewOp<vector::ReductionOp>(op, op.getKind(), values, op.getAcc());
    return success();
  }
};

/// A vector.contract whose two operands share one indexing map is an elementwise product summed
/// over some dimensions (the reduction-to-contract patterns make one out of a bias gradient's
/// mul + reduce over the batch), not a matrix product. The outer-product lowering cannot take it
/// and it unrolled into one horizontal reduction per output element (60 x 16-element
/// reductions with element-by-element inserts for a [16, 60] tile: thousands of instructions in
/// one basic block, slow to run and to compile). As mulf + multi_reduction it lowers to plain
/// vector adds over the reduced dimensions.
struct ElementwiseContractToReduction : public OpRewritePattern<vector::ContractionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::ContractionOp op, PatternRewriter &rewriter) const override {
    auto maps = op.getIndexingMapsArray();
    if (op.getKind() != vector::CombiningKind::ADD || maps[0] != maps[1] || !maps[0].isIdentity() ||
        !isa<FloatType>(op.getLhsType().getElementType()) || op.getLhsType() != op.getRhsType() ||
        !maps[2].isProjectedPermutation())
      return failure();
    SmallVector<bool> reduced;
    for (auto it : op.getIteratorTypes())
      reduced.push_back(cast<vector::IteratorTypeAttr>(it).getValue() == vector::IteratorType::reduction);
    // multi_reduction keeps the parallel dimensions in order: so must the accumulator's map.
    SmallVector<unsigned> kept;
    for (unsigned d = 0; d < reduced.size(); ++d)
      if (!reduced[d])
        kept.push_back(d);
    for (auto [i, e] : llvm::enumerate(maps[2].getResults()))
      if (cast<AffineDimExpr>(e).getPosition() != kept[i])
        return failure();
    Value product = rewriter.create<arith::MulFOp>(op.getLoc(), op.getLhs(), op.getRhs());
    rewriter.replaceOpWithNewOp<vector::MultiDimReductionOp>(op, product, op.getAcc(), reduced,
                                                             vector::CombiningKind::ADD);
    return success();
  }
};

struct CPUSchedulePass : public mlc::impl::CPUScheduleBase<CPUSchedulePass> {
  using CPUScheduleBase::CPUScheduleBase;

  void runOnOperation() override {
    if (parallelChunks < 1) {
      getOperation().emitError("mlc-cpu-schedule: parallel-chunks must be at least 1, got ")
          << parallelChunks;
      return signalPassFailure();
    }
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op->getParentOfType<scf::ForallOp>() || op->getParentOfType<scf::ForOp>())
        return;
      ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    // Consumers first, so that the fills of their accumulators can still be fused into them.
    for (linalg::LinalgOp op : llvm::reverse(ops)) {
      if (isa<linalg::FillOp>(op) && op->use_empty()) {
        rewriter.eraseOp(op);
        continue;
      }
      schedule(rewriter, op);
    }

    // Fold the vectorizer's broadcast-multiply-reduce form of contractions into vector.contract
    // before canonicalization erases unit reductions: contracts lower to outer products (FMAs).
    RewritePatternSet patterns(&getContext());
    patterns.add<TransferReadOfConstant, FullReductionToFlatReduction>(&getContext());
    vector::populateVectorReductionToContractPatterns(patterns);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    RewritePatternSet reductions(&getContext());
    reductions.add<ElementwiseContractToReduction>(&getContext());
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(reductions))))
      signalPassFailure();
  }

  /// A batch of products: threads take whole products (each reads only its own operands, where
  /// splitting one product would have both threads read the shared one), a loop runs each
  /// thread's products one by one, and each product is then scheduled as a plain matmul.
  void scheduleBatch(IRRewriter &rewriter, linalg::LinalgOp op, ArrayRef<int64_t> ranges) {
    int64_t batch = ranges[0], work = 1;
    for (int64_t r : ranges)
      work *= r;
    Operation *current = op;
    int64_t chunk = batch;
    if (work >= minParallelWork && batch > 1) {
      chunk = divisorAtLeast(batch, (batch + parallelChunks - 1) / parallelChunks, 1);
      if (chunk < batch) {
        auto tiled = tile(rewriter, current, {chunk, 0, 0, 0}, scf::SCFTilingOptions::LoopType::ForallOp);
        if (failed(tiled))
          return;
        current = tiled->tiledOps.back();
        fuseInitFills(rewriter, cast<scf::ForallOp>(tiled->loops.front().getOperation()),
                      cast<linalg::LinalgOp>(current));
      }
    }
    if (chunk > 1) {
      auto tiled = tile(rewriter, current, {1, 0, 0, 0}, scf::SCFTilingOptions::LoopType::ForOp);
      if (failed(tiled))
        return;
      current = tiled->tiledOps.back();
    }
    schedule(rewriter, unbatch(rewriter, cast<linalg::LinalgOp>(current)));
  }

  /// Splits `op` along loop `dim` at `point` and schedules both parts; false if it cannot split.
  bool splitAndSchedule(IRRewriter &rewriter, linalg::LinalgOp op, unsigned dim, int64_t point) {
    rewriter.setInsertionPoint(op);
    auto [main, rest] = linalg::splitOp(rewriter, cast<TilingInterface>(op.getOperation()), dim,
                                        rewriter.getIndexAttr(point));
    if (!main || !rest)
      return false;
    schedule(rewriter, cast<linalg::LinalgOp>(main.getOperation()));
    schedule(rewriter, cast<linalg::LinalgOp>(rest.getOperation()));
    return true;
  }

  void schedule(IRRewriter &rewriter, linalg::LinalgOp op) {
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    if (ranges.empty() || llvm::any_of(ranges, ShapedType::isDynamic) || !op.hasPureTensorSemantics())
      return;
    mlc::uniquifyInits(rewriter, op);
    if (isBatchMatmul(op))
      return scheduleBatch(rewriter, op, ranges);
    // Elementwise ops, broadcasts and reductions over contiguous dimensions run over them as one
    // loop: a 64x16x5x5 tensor is 25600 elements in vectors of 64, not 5-element vectors in
    // three loops (which LLVM then unrolls into thousands of instructions), and a 14x14 feature
    // map is 196 elements rather than fourteen rows of 8 + 4 + 2 lanes.
    if (auto generic = dyn_cast<linalg::GenericOp>(op.getOperation()); generic && !isMatmulLike(op)) {
      SmallVector<ReassociationIndices> runs = collapsibleLoops(generic);
      if (!runs.empty()) {
        rewriter.setInsertionPoint(op);
        FailureOr<linalg::CollapseResult> collapsed = linalg::collapseOpIterationDims(op, runs, rewriter);
        if (succeeded(collapsed)) {
          rewriter.replaceOp(op, collapsed->results);
          return schedule(rewriter, collapsed->collapsedOp);
        }
      }
    }
    // A matmul whose N is not a whole number of vectors (LeNet's 150 = 6 x 5 x 5 columns of
    // windows) would get register tiles of odd widths (15 columns: two registers per row, half
    // empty, and spills). Split off the last N mod lanes columns: the main part gets full tiles,
    // the narrow rest its own small ones.
    int64_t lanes = vectorLanes(vectorBits);
    if (isMatmulLike(op) && ranges[1] > lanes && ranges[1] % lanes != 0 &&
        splitAndSchedule(rewriter, op, 1, ranges[1] - ranges[1] % lanes))
      return;
    // Likewise rows: with full-width tiles, a matmul whose M the best row count does not divide
    // (12544 = 64 x 14 x 14 windows, AVX2's 6 rows) would fall back to fewer rows (4: 8
    // accumulators, too few to hide the FMA latency); split off the last M mod rows rows.
    int64_t rows = tileRows(vectorBits);
    if (isMatmulLike(op) && ranges[1] % (2 * lanes) == 0 && ranges[0] > 8 * rows && ranges[0] % rows != 0 &&
        splitAndSchedule(rewriter, op, 0, ranges[0] - ranges[0] % rows))
      return;
    SmallVector<int64_t> reg = registerTile(op, ranges, vectorBits);
    // Decided now: tiling below replaces `op`, which must not be inspected afterwards.
    const bool matmul = isMatmulLike(op);
    Operation *current = op;

    // Threads: split one parallel dimension when there is enough work to share. Matmuls split
    // the larger of M and N: every chunk reads all of the operand that the split does not
    // divide, so splitting M re-reads B (K x N) once per chunk and splitting N re-reads A
    // (M x K); with a short M (a batch of 64 against 1024 features) only the N split keeps each
    // chunk's slice of B in cache. Other ops split their first parallel dimension that holds a
    // register tile for every chunk (a transpose [16, 200704] whose 16 rows are one 16 x 16
    // register block splits its columns), else their first parallel dimension.
    int64_t work = 1;
    for (int64_t r : ranges)
      work *= r;
    auto iters = op.getIteratorTypesArray();
    auto *firstParallel = llvm::find(iters, utils::IteratorType::parallel);
    // Not inside a loop that already shares the work (one product of a batch split by threads).
    if (work >= minParallelWork && firstParallel != iters.end() && !op->getParentOfType<scf::ForallOp>()) {
      int64_t d = firstParallel - iters.begin();
      int64_t chunk;
      if (matmul && ranges[1] > ranges[0]) {
        d = 1;
        // At least `parallelChunks` chunks (more when that is what divides), whole vectors each.
        chunk = divisorAtMost(ranges[1], std::max<int64_t>(ranges[1] / parallelChunks, reg[1]), reg[1]);
        if (chunk % reg[1] != 0)
          chunk = divisorAtLeast(ranges[1], (ranges[1] + parallelChunks - 1) / parallelChunks, reg[1]);
      } else {
        for (int64_t e = d; e < static_cast<int64_t>(ranges.size()); ++e) {
          if (iters[e] == utils::IteratorType::parallel && ranges[e] / reg[e] >= parallelChunks) {
            d = e;
            break;
          }
        }
        chunk = divisorAtLeast(ranges[d], (ranges[d] + parallelChunks - 1) / parallelChunks, reg[d]);
      }
      if (chunk < ranges[d]) {
        SmallVector<int64_t> sizes(ranges.size(), 0);
        sizes[d] = chunk;
        auto tiled = tile(rewriter, current, sizes, scf::SCFTilingOptions::LoopType::ForallOp);
        if (failed(tiled))
          return;
        current = tiled->tiledOps.back();
        // The forall covers the whole output (only one dimension is split), so every element
        // of the shared output is written by exactly one tile.
        fuseInitFills(rewriter, cast<scf::ForallOp>(tiled->loops.front().getOperation()),
                      cast<linalg::LinalgOp>(current));
        ranges[d] = chunk;
        if (chunk % reg[d] != 0)
          reg[d] = divisorAtMost(chunk, reg[d]);
      }
    }

    // Cache: the product runs in blocks of the output, each over panels of the contraction (loops
    // M, N, K around the register tiles), sized so that a block's panel of B (64 x 128 floats,
    // 32 KB) stays in L1 while the block's register tiles pass over it, and its panel of A
    // (64 x 64) and its block of C (64 x 128) stay in L2 across the panels. Without blocks each
    // register tile streamed its whole strip of B (K x 32) from L2 or memory, and a long K split
    // alone re-streamed all of C once per panel (the two-conv CNN's [12544, 64] output four times).
    if (matmul) {
      int64_t mc = divisorAtMost(ranges[0], std::max(kBlockRows, reg[0]), reg[0]);
      int64_t nc = divisorAtMost(ranges[1], std::max(kBlockColumns, reg[1]), reg[1]);
      int64_t kc = divisorAtMost(ranges[2], kPanelDepth);
      // A width whose divisors fall well short of the block (800 = 25 x 32: blocks of 32) is
      // taken whole while its panel of B fits in L2: narrow blocks of a wide B read each row's
      // 128 bytes from a different page.
      if (nc < kBlockColumns / 2 && ranges[1] * kc * 4 <= kPanelBytesL2)
        nc = ranges[1];
      // A product one register tile wide (an image gradient's [12544, 1600] x [1600, 32]) uses
      // each element of A once per row tile: panels of 64 made each tile read 8 rows of A in
      // 256-byte pieces, 25 times, at 6 GB/s. While the whole of B fits in L2, each register
      // tile instead streams its 8 rows of A from end to end (92 -> 175 GFLOP/s there).
      if (ranges[1] <= reg[1] && ranges[2] * ranges[1] * 4 <= kPanelBytesL2)
        kc = ranges[2];
      // A transposed lhs ([K, M], a weight gradient's image windows) is read a row of 8 elements
      // per step of the contraction, each row from another 3 KB stride: short panels made each
      // register tile reload its accumulators every 56 steps and start new strided streams.
      // Deeper panels and wider blocks, the block's panel of A within L2 (the two-conv CNN's
      // [1568, 800]^T slices: 40 x 56 blocks 140 GFLOP/s, 200 x 224 about 170). A contraction
      // of one default panel or less keeps the default blocks.
      if (isa<linalg::MatmulTransposeAOp>(current) && ranges[2] > kPanelDepth) {
        kc = divisorAtMost(ranges[2], kTransposedPanelDepth);
        int64_t rows = std::clamp<int64_t>(kPanelBytesL2 / (4 * kc), reg[0], kMaxTransposedBlockRows);
        mc = divisorAtMost(ranges[0], rows, reg[0]);
      }
      SmallVector<int64_t> sizes{mc % reg[0] == 0 && mc < ranges[0] ? mc : 0,
                                 nc % reg[1] == 0 && nc < ranges[1] ? nc : 0,
                                 kc >= kMinPanelDepth && kc < ranges[2] ? kc : 0};
      if (llvm::any_of(sizes, [](int64_t size) { return size != 0; })) {
        auto tiled = tile(rewriter, current, sizes, scf::SCFTilingOptions::LoopType::ForOp);
        if (failed(tiled))
          return;
        current = tiled->tiledOps.back();
        if (sizes[2] == 0)
          fuseInitFillsIntoBlocks(rewriter, tiled->loops, cast<linalg::LinalgOp>(current));
        for (auto [range, size] : llvm::zip(ranges, sizes))
          if (size != 0)
            range = size;
      }
    }

    // Registers: static tiles that divide the ranges, then vectorize the innermost op.
    SmallVector<int64_t> sizes;
    for (auto [r, t] : llvm::zip(ranges, reg))
      sizes.push_back(t == r ? 0 : t);
    if (llvm::any_of(sizes, [](int64_t s) { return s != 0; })) {
      auto tiled = tile(rewriter, current, sizes, scf::SCFTilingOptions::LoopType::ForOp);
      if (failed(tiled))
        return;
      current = tiled->tiledOps.back();
    }
    rewriter.setInsertionPoint(current);
    (void)linalg::vectorize(rewriter, current, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
                            /*vectorizeNDExtract=*/!gathersFromView(current));
  }
};

} // namespace
