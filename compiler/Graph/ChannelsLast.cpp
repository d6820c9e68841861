// mlc-channels-last: convolutions and poolings of the model in channels-last layout ([N, H, W, C]),
// and the layout transposes between them moved through the ops in between until they meet and
// cancel.
//
// The importer builds each convolution as ONNX defines it, channels first: windows [N OH OW, C KH KW]
// of the image [N, C, H, W] times the filters, and the product [N OH OW, F] transposed back to
// [N, F, OH, OW]. Every convolution thus writes its output twice, and its gradients transpose dY
// and dX again. Channels last, a window row is KW x C contiguous elements of the image viewed as
// [N, 1, H, W C] (im2col with kernel [KH, KW C] and strides [SH, SW C]), the product is already the
// next layer's image, and bias, batch norm, activations and poolings work on it unchanged up to
// which dimensions they broadcast or reduce. What stays are transposes at the model's boundary
// (a flatten before a dense layer, the input image) and of the filters (small, once per step).
// The pass runs on the model before autodiff, so the backward pass is derived in the same layout.
//
// Winograd convolutions follow (their input tiles are windows of the channels-last image, their
// output tiles reorder to [N, OH, OW, F]); depthwise convolutions take `channels_last` (their
// taps then multiply vectors along the channels). Where a
// convolution's neighbours cannot follow (grouped convolutions, ops without a rule), its
// transposes would remain and could outnumber those removed: the pass rewrites a copy of each
// function and keeps it only when it transposes fewer elements per step.
#include "compiler/Graph/Passes.h"
#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/RegionUtils.h"

#include <deque>
#include <numeric>

namespace mlc {
#define GEN_PASS_DEF_CHANNELSLAST
#include "compiler/Graph/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using namespace mlc;

namespace {

/// [N, H, W, C] -> [N, C, H, W] (result dimension i is input dimension kToFirst[i]), and back.
constexpr int64_t kToFirst[] = {0, 3, 1, 2};
constexpr int64_t kToLast[] = {0, 2, 3, 1};

RankedTensorType tensorType(ArrayRef<int64_t> shape, Type elt) { return RankedTensorType::get(shape, elt); }

/// Whether permuting `t` by `perm` only moves dimensions of size 1: a reshape, no data moved.
bool movesOnlyUnitDims(RankedTensorType t, ArrayRef<int64_t> perm) {
  int64_t last = -1;
  for (int64_t p : perm) {
    if (t.getDimSize(p) == 1)
      continue;
    if (p < last)
      return false;
    last = p;
  }
  return true;
}

/// The elements a function transposes per call: what the layout choice costs. Lowering
/// materializes a matmul's transposed right-hand side too (Contraction.cpp).
int64_t transposedElements(func::FuncOp func) {
  int64_t total = 0;
  func.walk([&](Operation *op) {
    if (auto t = dyn_cast<TransposeOp>(op))
      total += t.getResult().getType().getNumElements();
    else if (auto m = dyn_cast<MatmulOp>(op); m && m.getTransposeRhs())
      total += m.getRhs().getType().getNumElements();
  });
  return total;
}

class ChannelsLastRewriter {
public:
  ChannelsLastRewriter(MLIRContext *ctx, bool depthwise) : b(ctx), depthwise(depthwise) {}

  void run(func::FuncOp func) {
    // The model's transposes to channels first: convolutions' outputs, Winograd's output tiles.
    SmallVector<TransposeOp> transposes;
    func.walk([&](TransposeOp t) { transposes.push_back(t); });
    for (TransposeOp t : transposes) {
      if (!rewriteConvolution(t))
        regroupImageTranspose(t);
    }
    while (!pending.empty()) {
      TransposeOp t = pending.front();
      pending.pop_front();
      sinkThroughUsers(t);
    }
    // Rewritten ops are left without uses; drop them with everything only they used.
    IRRewriter rewriter(b.getContext());
    (void)runRegionDCE(rewriter, func->getRegions());
  }

private:
  /// `value` with its dimensions permuted (result dimension i is dimension perm[i]): composed with
  /// a transpose that produced it, a reshape where only unit dimensions move, nothing for the
  /// identity. New transposes are queued to be moved on.
  Value permute(Location loc, Value value, ArrayRef<int64_t> perm) {
    SmallVector<int64_t> composed(perm);
    if (auto t = value.getDefiningOp<TransposeOp>()) {
      for (size_t i = 0; i < perm.size(); ++i)
        composed[i] = t.getPermutation()[perm[i]];
      value = t.getInput();
    }
    auto type = cast<RankedTensorType>(value.getType());
    if (isIdentityPermutation(composed))
      return value;
    RankedTensorType result = permutedType(type, composed);
    if (movesOnlyUnitDims(type, composed))
      return reshape(loc, value, result);
    auto t = b.create<TransposeOp>(loc, result, value, b.getDenseI64ArrayAttr(composed));
    pending.push_back(t);
    return t;
  }

  /// `value` reshaped, folding a reshape that produced it (the pass chains them).
  Value reshape(Location loc, Value value, RankedTensorType type) {
    if (auto r = value.getDefiningOp<ReshapeOp>())
      value = r.getInput();
    if (value.getType() == type)
      return value;
    return reshapeTo(b, loc, value, type);
  }

  static bool singleUse(Value v) { return v.hasOneUse(); }

  static double padValueOf(Im2ColOp windows) { return windows.getPadValueAttr().getValueAsDouble(); }

  /// The windows of `last` ([N, H, W, C]) as `channelsFirst` takes them of the same image channels
  /// first, but laid out [N, OH, OW, 1, KH, KW C]: im2col of [N, 1, H, W C], each window row KW C
  /// contiguous elements.
  Value windowsChannelsLast(Location loc, Value last, Im2ColOp channelsFirst) {
    auto t = cast<RankedTensorType>(last.getType());
    ArrayRef<int64_t> s = t.getShape();
    Value flat = reshape(loc, last, tensorType({s[0], 1, s[1], s[2] * s[3]}, t.getElementType()));
    return im2col(b, loc, flat, channelsFirst.getGeometry().overChannels(s[3]), padValueOf(channelsFirst));
  }

  /// transpose(reshape(matmul(reshape(im2col(x)), reshape(filters))), [0, 3, 1, 2]), as the
  /// importer builds a dense convolution, rebuilt channels last.
  bool rewriteConvolution(TransposeOp out) {
    if (out.getPermutation() != ArrayRef<int64_t>(kToFirst))
      return false;
    auto outRows = out.getInput().getDefiningOp<ReshapeOp>();
    auto mm = outRows ? outRows.getInput().getDefiningOp<MatmulOp>() : MatmulOp();
    if (!mm || !singleUse(outRows) || !singleUse(mm) || mm.getTransposeLhs() || !mm.getTransposeRhs() ||
        mm.getResult().getType().getRank() != 2)
      return false;
    auto rows = mm.getLhs().getDefiningOp<ReshapeOp>();
    auto windows = rows ? rows.getInput().getDefiningOp<Im2ColOp>() : Im2ColOp();
    auto flatFilters = mm.getRhs().getDefiningOp<ReshapeOp>();
    if (!windows || !flatFilters || !singleUse(rows) || !singleUse(windows))
      return false;
    WindowGeometry g = windows.getGeometry();
    auto image = windows.getInput().getType();
    auto filters = flatFilters.getInput().getType();
    int64_t n = image.getDimSize(0), c = image.getDimSize(1);
    int64_t f = mm.getResult().getType().getDimSize(1);
    if (g.dilations[1] != 1 || padValueOf(windows) != 0.0 || filters.getRank() != 4 ||
        filters.getShape() != ArrayRef<int64_t>{f, c, g.kernel[0], g.kernel[1]})
      return false;
    ArrayRef<int64_t> ws = windows.getResult().getType().getShape(); // N, OH, OW, C, KH, KW
    Type elt = image.getElementType();
    Location loc = windows.getLoc();
    b.setInsertionPoint(out);

    Value win = windowsChannelsLast(loc, permute(loc, windows.getInput(), kToLast), windows);
    int64_t depth = c * g.kernel[0] * g.kernel[1];
    Value lhs = reshape(loc, win, tensorType({ws[0] * ws[1] * ws[2], depth}, elt));
    // The filters [F, C, KH, KW] as [KH KW C, F], in the windows' order and as the GEMM reads them
    // (one transpose, where the product of transposed filters had lowering transpose them).
    Value rhs = reshape(loc, permute(loc, flatFilters.getInput(), {2, 3, 1, 0}), tensorType({depth, f}, elt));
    auto product = b.create<MatmulOp>(mm.getLoc(), mm.getResult().getType(), lhs, rhs, UnitAttr(), UnitAttr());
    for (NamedAttribute a : mm->getDiscardableAttrs())
      product->setAttr(a.getName(), a.getValue());
    Value y = reshape(loc, product, tensorType({n, ws[1], ws[2], f}, elt));
    out.getResult().replaceAllUsesWith(permute(loc, y, kToFirst));
    return true;
  }

  /// reshape(transpose(v, P), [N, C, H, W]) whose reshape merges runs of the transposed
  /// dimensions (a Winograd convolution's output tiles [N, F, TH, m, TW, m] as [N, F, OH, OW]):
  /// the transpose reordered to produce [N, H, W, C] directly, then the image transposed to
  /// channels first, a transpose to move on.
  void regroupImageTranspose(TransposeOp t) {
    if (!t->hasOneUse())
      return;
    auto image = dyn_cast<ReshapeOp>(*t->getUsers().begin());
    if (!image || image.getResult().getType().getRank() != 4)
      return;
    ArrayRef<int64_t> from = t.getResult().getType().getShape();
    ArrayRef<int64_t> to = image.getResult().getType().getShape();
    // groups[d]: the transposed dimensions whose product is image dimension d.
    SmallVector<SmallVector<int64_t>> groups(4);
    size_t i = 0;
    for (int d = 0; d < 4; ++d) {
      int64_t size = 1;
      while (i < from.size() && (size < to[d] || (groups[d].empty() && to[d] == 1 && from[i] == 1))) {
        size *= from[i];
        groups[d].push_back(i++);
      }
      if (size != to[d] || groups[d].empty())
        return;
    }
    if (i != from.size())
      return;
    SmallVector<int64_t> perm;
    for (int d : {0, 2, 3, 1})
      for (int64_t k : groups[d])
        perm.push_back(t.getPermutation()[k]);
    Location loc = t.getLoc();
    b.setInsertionPoint(image);
    Value last = permute(loc, t.getInput(), perm);
    auto imageType = image.getResult().getType();
    last = reshape(loc, last, permutedType(imageType, kToLast));
    image.getResult().replaceAllUsesWith(permute(loc, last, kToFirst));
  }

  /// Moves `t` (a value in some layout, transposed) past each user that can work in the
  /// untransposed layout, so the transpose lands on that user's result.
  void sinkThroughUsers(TransposeOp t) {
    SmallVector<Operation *> users(t->getUsers().begin(), t->getUsers().end());
    for (Operation *user : users) {
      // Rewritten users are left dead (their uses replaced) until the end.
      if (user->use_empty())
        continue;
      b.setInsertionPoint(user);
      if (auto next = dyn_cast<TransposeOp>(user)) {
        next.getResult().replaceAllUsesWith(permute(next.getLoc(), t, next.getPermutation()));
      } else if (isElementwise(user)) {
        sinkThroughElementwise(t, user);
      } else if (isa<ReduceSumOp, ReduceMaxOp>(user)) {
        sinkThroughReduction(t, user);
      } else if (auto reshape = dyn_cast<ReshapeOp>(user)) {
        sinkThroughPooling(t, reshape);
      } else if (auto slice = dyn_cast<SliceOp>(user)) {
        sinkThroughSlice(t, slice);
      } else if (auto windows = dyn_cast<Im2ColOp>(user)) {
        sinkThroughWinogradTiles(t, windows);
      } else if (auto conv = dyn_cast<DepthwiseConvOp>(user); conv && depthwise) {
        sinkThroughDepthwise(t, conv);
      }
    }
  }

  static bool isElementwise(Operation *op) {
    return isa<NegOp, ExpOp, LogOp, SqrtOp, ReluOp, SigmoidOp, TanhOp, ErfOp, AddOp, SubOp, MulOp, DivOp, PowOp,
               WhereGtOp, ReluGradOp, PhaseSelectOp>(op);
  }

  /// `operand` of an elementwise op in the layout before `perm` (the result dimension i of the
  /// op is dimension perm[i] of the new value), or null when that would move data: the
  /// transposed value itself, a splat constant, or a broadcast (of its small input).
  Value untransposed(Location loc, Value operand, ArrayRef<int64_t> perm, RankedTensorType type) {
    if (auto t = operand.getDefiningOp<TransposeOp>())
      if (t.getPermutation() == perm)
        return t.getInput();
    if (auto cst = operand.getDefiningOp<arith::ConstantOp>())
      if (auto dense = dyn_cast<DenseElementsAttr>(cst.getValue()); dense && dense.isSplat())
        return b.create<arith::ConstantOp>(loc, type, dense.resizeSplat(type));
    if (auto bc = operand.getDefiningOp<BroadcastOp>()) {
      // Input dimension k lands on result dimension dims[k], i.e. dimension perm[dims[k]] of the
      // new layout; the input is permuted (its dimensions are few or small) to keep dims increasing.
      ArrayRef<int64_t> dims = bc.getDims();
      SmallVector<int64_t> order(dims.size());
      std::iota(order.begin(), order.end(), 0);
      llvm::sort(order, [&](int64_t x, int64_t y) { return perm[dims[x]] < perm[dims[y]]; });
      SmallVector<int64_t> newDims;
      for (int64_t k : order)
        newDims.push_back(perm[dims[k]]);
      Value input = permute(loc, bc.getInput(), order);
      return b.create<BroadcastOp>(loc, type, input, b.getDenseI64ArrayAttr(newDims));
    }
    return {};
  }

  void sinkThroughElementwise(TransposeOp t, Operation *op) {
    auto type = t.getInput().getType();
    if (op->getNumResults() != 1 || op->getResult(0).getType() != t.getResult().getType())
      return;
    // The op's dimension i is dimension forward[i] of t's input.
    SmallVector<int64_t> forward(t.getPermutation());
    SmallVector<Value> operands;
    for (Value v : op->getOperands()) {
      Value u = untransposed(op->getLoc(), v, forward, type);
      if (!u)
        return;
      operands.push_back(u);
    }
    IRMapping map;
    map.map(op->getOperands(), operands);
    Operation *clone = b.clone(*op, map);
    clone->getResult(0).setType(type);
    replace(op, permute(op->getLoc(), clone->getResult(0), t.getPermutation()));
  }

  /// A reduction over dims D of t = transpose(a, P) reduces a over P[D]; the kept dimensions keep
  /// their relative order unless P reorders them.
  void sinkThroughReduction(TransposeOp t, Operation *op) {
    ArrayRef<int64_t> perm = t.getPermutation();
    auto dims = op->getAttrOfType<DenseI64ArrayAttr>("dims").asArrayRef();
    bool keep = op->hasAttr("keep_dims");
    SmallVector<int64_t> newDims;
    for (int64_t d : dims)
      newDims.push_back(perm[d]);
    llvm::sort(newDims);
    Value a = t.getInput();
    Location loc = op->getLoc();
    Value r = isa<ReduceSumOp>(op) ? reduceSum(b, loc, a, newDims, keep) : reduceMax(b, loc, a, newDims, keep);
    SmallVector<int64_t> resultPerm;
    if (keep) {
      resultPerm.assign(perm.begin(), perm.end());
    } else {
      // Kept dimensions of the op, in order, are input dimensions perm[i] of a; r holds them sorted.
      SmallVector<int64_t> kept;
      for (int64_t i = 0; i < static_cast<int64_t>(perm.size()); ++i)
        if (!llvm::is_contained(dims, i))
          kept.push_back(perm[i]);
      SmallVector<int64_t> sorted(kept);
      llvm::sort(sorted);
      for (int64_t k : kept)
        resultPerm.push_back(llvm::find(sorted, k) - sorted.begin());
    }
    replace(op, permute(loc, r, resultPerm));
  }

  /// reduce(reshape(im2col(reshape(t, [N C, 1, H, W])), [N, C, OH, OW, KH KW]), [4]) with t the
  /// channels-first view of a channels-last image: the same pooling over [N, 1, H, W C] windows.
  void sinkThroughPooling(TransposeOp t, ReshapeOp perImage) {
    if (t.getPermutation() != ArrayRef<int64_t>(kToFirst) || !singleUse(perImage))
      return;
    auto image = t.getResult().getType();
    int64_t n = image.getDimSize(0), c = image.getDimSize(1), h = image.getDimSize(2), w = image.getDimSize(3);
    if (perImage.getResult().getType().getShape() != ArrayRef<int64_t>{n * c, 1, h, w})
      return;
    auto windows = dyn_cast<Im2ColOp>(*perImage->getUsers().begin());
    if (!windows || !singleUse(windows))
      return;
    auto taps = dyn_cast<ReshapeOp>(*windows->getUsers().begin());
    if (!taps || !singleUse(taps))
      return;
    Operation *reduce = *taps->getUsers().begin();
    WindowGeometry g = windows.getGeometry();
    ArrayRef<int64_t> ws = windows.getResult().getType().getShape(); // N C, OH, OW, 1, KH, KW
    int64_t oh = ws[1], ow = ws[2], kk = g.kernel[0] * g.kernel[1];
    if (!isa<ReduceSumOp, ReduceMaxOp>(reduce) || reduce->hasAttr("keep_dims") ||
        reduce->getAttrOfType<DenseI64ArrayAttr>("dims").asArrayRef() != ArrayRef<int64_t>{4} ||
        taps.getResult().getType().getShape() != ArrayRef<int64_t>{n, c, oh, ow, kk} || g.dilations[1] != 1)
      return;
    Type elt = image.getElementType();
    Location loc = windows.getLoc();
    b.setInsertionPoint(reduce);
    Value win = reshape(loc, windowsChannelsLast(loc, t.getInput(), windows), tensorType({n, oh, ow, kk, c}, elt));
    Value r = isa<ReduceSumOp>(reduce) ? reduceSum(b, reduce->getLoc(), win, {3}, false)
                                       : reduceMax(b, reduce->getLoc(), win, {3}, false);
    replace(reduce, permute(loc, r, kToFirst));
  }

  /// A depthwise convolution of the channels-first view of a channels-last image: the same
  /// convolution channels last (its filters [C, KH, KW] either way).
  void sinkThroughDepthwise(TransposeOp t, DepthwiseConvOp conv) {
    if (t.getPermutation() != ArrayRef<int64_t>(kToFirst) || conv.getChannelsLast() ||
        conv.getInput() != t.getResult())
      return;
    Value y = depthwiseConv(b, conv.getLoc(), t.getInput(), conv.getFilters(), conv.getGeometry(),
                            conv.getFlipKernel(), /*channelsLast=*/true);
    replace(conv, permute(conv.getLoc(), y, kToFirst));
  }

  /// A slice of t = transpose(a, P) slices a along P's dimensions.
  void sinkThroughSlice(TransposeOp t, SliceOp slice) {
    ArrayRef<int64_t> perm = t.getPermutation();
    size_t rank = perm.size();
    SmallVector<int64_t> offsets(rank), strides(rank), shape(rank);
    for (size_t i = 0; i < rank; ++i) {
      offsets[perm[i]] = slice.getOffsets()[i];
      strides[perm[i]] = slice.getStrides()[i];
      shape[perm[i]] = slice.getResult().getType().getDimSize(i);
    }
    auto type = tensorType(shape, slice.getResult().getType().getElementType());
    Value r = b.create<SliceOp>(slice.getLoc(), type, t.getInput(), b.getDenseI64ArrayAttr(offsets),
                                b.getDenseI64ArrayAttr(strides));
    replace(slice, permute(slice.getLoc(), r, perm));
  }

  /// A Winograd convolution's input transform, B^T d B of each (m + 2)-square tile and channel:
  /// matmul(K, reshape(im2col(t), [N TH TW C, P]), transpose_rhs) -> [P, N TH TW C], with t the
  /// channels-first view of a channels-last image. Channels last the tiles are [N TH TW, P, C]
  /// (windows of the image [N, 1, H, W C], kernel [a, a C], strides [m, m C]); the product wants
  /// them point-major, [P, N TH TW C]: that transpose replaces the one lowering made of the
  /// transposed right-hand side.
  void sinkThroughWinogradTiles(TransposeOp t, Im2ColOp windows) {
    if (t.getPermutation() != ArrayRef<int64_t>(kToFirst) || !singleUse(windows))
      return;
    auto rows = dyn_cast<ReshapeOp>(*windows->getUsers().begin());
    if (!rows || !singleUse(rows))
      return;
    auto transform = dyn_cast<MatmulOp>(*rows->getUsers().begin());
    WindowGeometry g = windows.getGeometry();
    ArrayRef<int64_t> ws = windows.getResult().getType().getShape(); // N, TH, TW, C, a, a
    int64_t tiles = ws[0] * ws[1] * ws[2], c = ws[3], points = ws[4] * ws[5];
    if (!transform || transform.getRhs() != rows.getResult() || !transform.getTransposeRhs() ||
        transform.getTransposeLhs() || !transform.getLhs().getDefiningOp<arith::ConstantOp>() ||
        rows.getResult().getType().getShape() != ArrayRef<int64_t>{tiles * c, points} || g.dilations[1] != 1 ||
        padValueOf(windows) != 0.0)
      return;
    Type elt = t.getResult().getType().getElementType();
    Location loc = windows.getLoc();
    b.setInsertionPoint(transform);
    Value win = reshape(loc, windowsChannelsLast(loc, t.getInput(), windows), tensorType({tiles, points, c}, elt));
    Value pointMajor = permute(loc, win, {1, 0, 2});
    pointMajor = reshape(loc, pointMajor, tensorType({points, tiles * c}, elt));
    auto product = b.create<MatmulOp>(transform.getLoc(), transform.getResult().getType(), transform.getLhs(),
                                      pointMajor, UnitAttr(), UnitAttr());
    replace(transform, product);
  }

  void replace(Operation *op, Value with) { op->getResult(0).replaceAllUsesWith(with); }

  OpBuilder b;
  bool depthwise;
  std::deque<TransposeOp> pending;
};

struct ChannelsLastPass : public mlc::impl::ChannelsLastBase<ChannelsLastPass> {
  using ChannelsLastBase::ChannelsLastBase;
  void runOnOperation() override {
    for (auto func : llvm::make_early_inc_range(getOperation().getOps<func::FuncOp>())) {
      if (func.isExternal())
        continue;
      int64_t before = transposedElements(func);
      func::FuncOp copy = func.clone();
      ChannelsLastRewriter(&getContext(), depthwise).run(copy);
      int64_t after = transposedElements(copy);
      if (after < before || force)
        func.getBody().takeBody(copy.getBody());
      copy.erase();
    }
  }
};

} // namespace
