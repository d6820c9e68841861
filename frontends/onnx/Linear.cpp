// ONNX Gemm and MatMul -> mlc.matmul (+ scaling and a broadcast bias); batched MatMul.
#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcOps.h"
#include "frontends/onnx/NodeImporter.h"

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

namespace {

Value matmul(NodeContext &ctx, Value a, Value b, bool ta, bool tb) {
  auto at = cast<RankedTensorType>(a.getType()), bt = cast<RankedTensorType>(b.getType());
  if (at.getRank() != 2 || bt.getRank() != 2)
    ctx.fail("only 2-D operands are supported, got ranks " + std::to_string(at.getRank()) + " and " +
             std::to_string(bt.getRank()));
  int64_t m = ta ? at.getDimSize(1) : at.getDimSize(0);
  int64_t ka = ta ? at.getDimSize(0) : at.getDimSize(1);
  int64_t kb = tb ? bt.getDimSize(1) : bt.getDimSize(0);
  int64_t n = tb ? bt.getDimSize(0) : bt.getDimSize(1);
  if (ka != kb)
    ctx.fail("inner dimensions differ: " + std::to_string(ka) + " vs " + std::to_string(kb));
  auto type = RankedTensorType::get({m, n}, at.getElementType());
  OpBuilder &bld = ctx.b;
  return bld.create<MatmulOp>(ctx.loc, type, a, b, ta ? bld.getUnitAttr() : UnitAttr(),
                              tb ? bld.getUnitAttr() : UnitAttr());
}

Value scale(NodeContext &ctx, Value v, float factor) {
  if (factor == 1.0f)
    return v;
  return ctx.b.create<MulOp>(ctx.loc, v, makeSplatLike(ctx.b, ctx.loc, v, factor));
}

// Y = alpha * op(A) op(B) + beta * C, with C broadcast to [M, N].
void importGemm(NodeContext &ctx) {
  ctx.expect({"alpha", "beta", "transA", "transB"}, 2, 3);
  Value y = matmul(ctx, ctx.input(0), ctx.input(1), ctx.intAttr("transA", 0), ctx.intAttr("transB", 0));
  y = scale(ctx, y, ctx.floatAttr("alpha", 1.0f));
  if (ctx.numInputs() == 3) {
    Value c = broadcastToShape(ctx, ctx.input(2), cast<RankedTensorType>(y.getType()));
    y = ctx.b.create<AddOp>(ctx.loc, y, scale(ctx, c, ctx.floatAttr("beta", 1.0f)));
  }
  ctx.setOutput(0, y);
}

RankedTensorType withShape(Value v, ArrayRef<int64_t> shape) {
  return RankedTensorType::get(shape, cast<RankedTensorType>(v.getType()).getElementType());
}

/// numpy matmul of a [..., M, K] and b [..., K, N] (rank >= 2 each, batch dims broadcasting):
/// with a 2-D b, one GEMM over the batch folded into rows; otherwise one batched GEMM over the
/// batch dimensions flattened (attention's [B, H, S, D] x [B, H, D, S]).
Value batchedMatmul(NodeContext &ctx, Value a, Value b) {
  auto at = cast<RankedTensorType>(a.getType()), bt = cast<RankedTensorType>(b.getType());
  int64_t m = at.getDimSize(at.getRank() - 2), k = at.getDimSize(at.getRank() - 1);
  int64_t kb = bt.getDimSize(bt.getRank() - 2), n = bt.getDimSize(bt.getRank() - 1);
  if (k != kb)
    ctx.fail("inner dimensions differ: " + std::to_string(k) + " vs " + std::to_string(kb));
  OpBuilder &bld = ctx.b;
  if (bt.getRank() == 2) {
    SmallVector<int64_t> outShape(at.getShape().drop_back());
    outShape.push_back(n);
    Value rows = reshapeTo(bld, ctx.loc, a, withShape(a, {at.getNumElements() / k, k}));
    Value y = matmul(ctx, rows, b, false, false);
    return reshapeTo(bld, ctx.loc, y, withShape(a, outShape));
  }
  // Batch dimensions broadcast numpy-style, aligned from the right.
  ArrayRef<int64_t> ab = at.getShape().drop_back(2), bb = bt.getShape().drop_back(2);
  size_t rank = std::max(ab.size(), bb.size());
  SmallVector<int64_t> batch(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t x = i < rank - ab.size() ? 1 : ab[i - (rank - ab.size())];
    int64_t y = i < rank - bb.size() ? 1 : bb[i - (rank - bb.size())];
    if (x != y && x != 1 && y != 1)
      ctx.fail("batch dimensions do not broadcast: " + std::to_string(x) + " vs " + std::to_string(y));
    batch[i] = std::max(x, y);
  }
  int64_t batchSize = 1;
  for (int64_t d : batch)
    batchSize *= d;
  // Each operand [..., rows, cols] to [batch..., rows, cols] (leading 1s added, size-1 batch
  // dimensions broadcast) and then to [batchSize, rows, cols]: one batched GEMM.
  auto batched = [&](Value v, RankedTensorType t, int64_t rows, int64_t cols) {
    SmallVector<int64_t> shape(rank - (t.getRank() - 2), 1);
    shape.append(t.getShape().begin(), t.getShape().end() - 2);
    shape.append({rows, cols});
    Value r = reshapeTo(bld, ctx.loc, v, withShape(v, shape));
    SmallVector<int64_t> full(batch);
    full.append({rows, cols});
    if (shape != full) {
      SmallVector<int64_t> dims;
      for (int64_t d = 0; d < static_cast<int64_t>(full.size()); ++d)
        dims.push_back(d);
      r = broadcastTo(bld, ctx.loc, r, withShape(v, full), dims);
    }
    return reshapeTo(bld, ctx.loc, r, withShape(v, {batchSize, rows, cols}));
  };
  Value y = bld.create<MatmulOp>(ctx.loc, withShape(a, {batchSize, m, n}), batched(a, at, m, k), batched(b, bt, k, n),
                                 UnitAttr(), UnitAttr());
  SmallVector<int64_t> outShape(batch);
  outShape.append({m, n});
  return reshapeTo(bld, ctx.loc, y, withShape(a, outShape));
}

// numpy semantics: 1-D operands become a row (a) or a column (b) vector, removed afterwards.
void importMatMul(NodeContext &ctx) {
  ctx.expect({}, 2, 2);
  Value a = ctx.input(0), b = ctx.input(1);
  auto at = ctx.inputType(0), bt = ctx.inputType(1);
  if (at.getRank() == 2 && bt.getRank() == 2) {
    ctx.setOutput(0, matmul(ctx, a, b, false, false));
    return;
  }
  if (at.getRank() == 0 || bt.getRank() == 0)
    ctx.fail("MatMul operands must have rank >= 1");
  bool rowVector = at.getRank() == 1, columnVector = bt.getRank() == 1;
  if (rowVector)
    a = reshapeTo(ctx.b, ctx.loc, a, withShape(a, {1, at.getDimSize(0)}));
  if (columnVector)
    b = reshapeTo(ctx.b, ctx.loc, b, withShape(b, {bt.getDimSize(0), 1}));
  Value y = batchedMatmul(ctx, a, b);
  auto yt = cast<RankedTensorType>(y.getType());
  SmallVector<int64_t> shape(yt.getShape());
  if (columnVector)
    shape.erase(shape.end() - 1);
  if (rowVector)
    shape.erase(shape.end() - 1 - (columnVector ? 0 : 1));
  ctx.setOutput(0, reshapeTo(ctx.b, ctx.loc, y, withShape(y, shape)));
}

} // namespace

void mlc::onnx_import::registerLinearOps(llvm::StringMap<OpConverter> &table) {
  table["Gemm"] = importGemm;
  table["MatMul"] = importMatMul;
}
