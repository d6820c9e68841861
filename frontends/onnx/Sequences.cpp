// ONNX Range, CumSum and Trilu: ops defined by positions along axes. Range of constants folds at
// import (integer ranges stay import-time constants for shape arithmetic); CumSum is a product with
// a constant triangular matrix along the axis (its gradient the transposed product); Trilu chooses
// between the input and zero by a constant triangular mask (gradients reach the kept entries).
#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcOps.h"
#include "frontends/onnx/NodeImporter.h"

#include <cmath>

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

namespace {

/// The most elements of an import-time constant built element by element here (a CumSum's N x N
/// matrix, a Trilu mask): larger would take minutes and gigabytes before --memory-limit could say no.
constexpr int64_t kMaxConstantElements = int64_t(1) << 24;

// ONNX: count = max(ceil((limit - start) / delta), 0), values start + i * delta.
void importRange(NodeContext &ctx) {
  ctx.expect({}, 3, 3);
  bool integer = ctx.isIntInput(0) && ctx.isIntInput(1) && ctx.isIntInput(2);
  std::optional<double> start = ctx.scalarConstant(0), limit = ctx.scalarConstant(1), delta = ctx.scalarConstant(2);
  if (!start || !limit || !delta)
    ctx.fail("start, limit and delta must be constants (mlc compiles static shapes)");
  if (*delta == 0)
    ctx.fail("delta is 0");
  double count = std::max(std::ceil((*limit - *start) / *delta), 0.0);
  if (!(count <= (1 << 26)))
    ctx.fail("the range has " + std::to_string(count) + " elements; at most 2^26 are supported");
  if (count == 0)
    ctx.fail("the range is empty; empty tensors are not supported");
  int64_t n = static_cast<int64_t>(count);
  if (integer) {
    IntConstant out{{n}, {}};
    for (int64_t i = 0; i < n; ++i) {
      int64_t step = 0, value = 0;
      if (__builtin_mul_overflow(i, ctx.intInput(2).values[0], &step) ||
          __builtin_add_overflow(ctx.intInput(0).values[0], step, &value))
        ctx.fail("the range's values leave int64");
      out.values.push_back(value);
    }
    ctx.setIntOutput(0, std::move(out));
    return;
  }
  auto element = cast<RankedTensorType>(ctx.input(0).getType()).getElementType();
  auto type = RankedTensorType::get({n}, element);
  SmallVector<Attribute> values;
  for (int64_t i = 0; i < n; ++i)
    values.push_back(FloatAttr::get(element, *start + static_cast<double>(i) * *delta));
  ctx.setOutput(0, ctx.b.create<arith::ConstantOp>(ctx.loc, type, DenseElementsAttr::get(type, values)));
}

/// A constant [rows, cols] matrix of `element` with 1 where keep(i, j), else 0.
Value indicatorMatrix(NodeContext &ctx, int64_t rows, int64_t cols, Type element,
                      llvm::function_ref<bool(int64_t, int64_t)> keep) {
  auto type = RankedTensorType::get({rows, cols}, element);
  SmallVector<Attribute> values;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      values.push_back(FloatAttr::get(element, keep(i, j) ? 1.0 : 0.0));
  return ctx.b.create<arith::ConstantOp>(ctx.loc, type, DenseElementsAttr::get(type, values));
}

// y[..., i, ...] = sum over j of x[..., j, ...] for j <= i (exclusive: j < i; reverse: j >= i / j > i):
// x with the axis last, as rows [r, n], times T^T where T[i, j] says whether j counts for i.
void importCumSum(NodeContext &ctx) {
  ctx.expect({"exclusive", "reverse"}, 2, 2);
  auto type = ctx.inputType(0);
  if (!ctx.isIntInput(1) || ctx.intInput(1).values.size() != 1)
    ctx.fail("axis must be a constant scalar");
  int64_t rank = type.getRank();
  int64_t axis = normalizeAxis(ctx, ctx.intInput(1).values[0], rank);
  bool exclusive = ctx.intAttr("exclusive", 0) != 0, reverse = ctx.intAttr("reverse", 0) != 0;
  int64_t n = type.getDimSize(axis);
  if (n > 4096)
    ctx.fail("the axis has " + std::to_string(n) + " elements; CumSum multiplies by an N x N matrix, N at most 4096");
  Value x = ctx.input(0);
  SmallVector<int64_t> toLast, fromLast(rank);
  for (int64_t d = 0; d < rank; ++d)
    if (d != axis)
      toLast.push_back(d);
  toLast.push_back(axis);
  for (int64_t d = 0; d < rank; ++d)
    fromLast[toLast[d]] = d;
  bool moved = axis != rank - 1;
  Value rowsLast = moved ? permute(ctx, x, toLast) : x;
  auto lastType = cast<RankedTensorType>(rowsLast.getType());
  Value rows = reshapeTo(ctx.b, ctx.loc, rowsLast,
                         RankedTensorType::get({lastType.getNumElements() / n, n}, type.getElementType()));
  Value t = indicatorMatrix(ctx, n, n, type.getElementType(), [&](int64_t i, int64_t j) {
    return reverse ? (exclusive ? j > i : j >= i) : (exclusive ? j < i : j <= i);
  });
  auto productType = cast<RankedTensorType>(rows.getType());
  Value sums = ctx.b.create<MatmulOp>(ctx.loc, productType, rows, t, UnitAttr(), ctx.b.getUnitAttr());
  Value back = reshapeTo(ctx.b, ctx.loc, sums, lastType);
  ctx.setOutput(0, moved ? permute(ctx, back, fromLast) : back);
}

// Keeps x[..., i, j] where j - i >= k (upper) or j - i <= k (lower), zero elsewhere.
void importTrilu(NodeContext &ctx) {
  ctx.expect({"upper"}, 1, 2);
  auto type = ctx.inputType(0);
  if (type.getRank() < 2)
    ctx.fail("the input has rank " + std::to_string(type.getRank()) + "; Trilu needs at least 2");
  int64_t k = 0;
  if (ctx.hasInput(1)) {
    if (!ctx.isIntInput(1) || ctx.intInput(1).values.size() != 1)
      ctx.fail("k must be a constant scalar");
    k = ctx.intInput(1).values[0];
  }
  bool upper = ctx.intAttr("upper", 1) != 0;
  int64_t rows = type.getDimSize(type.getRank() - 2), cols = type.getDimSize(type.getRank() - 1);
  if (rows > kMaxConstantElements / cols)
    ctx.fail("the matrices are " + std::to_string(rows) + " x " + std::to_string(cols) + "; the mask is at most " +
             std::to_string(kMaxConstantElements) + " elements");
  Value mask = indicatorMatrix(ctx, rows, cols, type.getElementType(), [&](int64_t i, int64_t j) {
    return upper ? j - i >= k : j - i <= k;
  });
  Value x = ctx.input(0);
  Value m = broadcastToShape(ctx, mask, type);
  ctx.setOutput(0, ctx.b.create<WhereGtOp>(ctx.loc, m, makeSplatLike(ctx.b, ctx.loc, m, 0.5), x,
                                           makeSplatLike(ctx.b, ctx.loc, x, 0.0)));
}

} // namespace

void mlc::onnx_import::registerSequenceOps(llvm::StringMap<OpConverter> &table) {
  table["Range"] = importRange;
  table["CumSum"] = importCumSum;
  table["Trilu"] = importTrilu;
}
