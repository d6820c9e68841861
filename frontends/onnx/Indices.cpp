// ONNX ArgMax, ArgMin and OneHot: between positions and values. Positions are computed in float
// (mlc.iota, exact below 2^24) and become ONNX's int64 with mlc.to_int; OneHot compares an
// index with each position and chooses between its two values (gradients reach the values).
#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcOps.h"
#include "frontends/onnx/NodeImporter.h"

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

namespace {

/// Positions along one axis are floats: exact integers up to 2^24 in float32.
constexpr int64_t kMaxPositions = int64_t(1) << 24;

// ArgMax (or ArgMin, the ArgMax of -x): the first (or, with select_last_index, the last) position
// of the axis holding the extreme value. Each element that is not the maximum is replaced by a
// position no answer can have (n for the first, -1 for the last), and the extreme position taken.
template <bool IsMax>
void importArgExtreme(NodeContext &ctx) {
  ctx.expect({"axis", "keepdims", "select_last_index"}, 1, 1);
  auto type = ctx.inputType(0);
  int64_t rank = type.getRank();
  if (rank == 0)
    ctx.fail("the input is a scalar; there is no axis to search");
  int64_t axis = normalizeAxis(ctx, ctx.intAttr("axis", 0), rank);
  bool keepDims = ctx.intAttr("keepdims", 1) != 0, last = ctx.intAttr("select_last_index", 0) != 0;
  int64_t n = type.getDimSize(axis);
  if (n > kMaxPositions)
    ctx.fail("the axis has " + std::to_string(n) + " elements; positions are exact up to 2^24");
  OpBuilder &b = ctx.b;
  Location loc = ctx.loc;
  Value x = ctx.input(0);
  if (!IsMax)
    x = b.create<NegOp>(loc, x);
  SmallVector<int64_t> kept;
  for (int64_t d = 0; d < rank; ++d)
    if (d != axis)
      kept.push_back(d);
  Value extreme = broadcastTo(b, loc, reduceMax(b, loc, x, {axis}, false), type, kept);
  Value position = b.create<IotaOp>(loc, type, b.getI64IntegerAttr(axis));
  // extreme > x: not a maximum, so never the answer.
  Value candidates = b.create<WhereGtOp>(loc, extreme, x, makeSplatLike(b, loc, x, last ? -1.0 : static_cast<double>(n)),
                                         position);
  Value found = last ? reduceMax(b, loc, candidates, {axis}, keepDims)
                     : b.create<NegOp>(loc, reduceMax(b, loc, b.create<NegOp>(loc, candidates), {axis}, keepDims));
  auto resultShape = cast<RankedTensorType>(found.getType()).getShape();
  ctx.setOutput(0, b.create<ToIntOp>(loc, RankedTensorType::get(resultShape, b.getI64Type()), found));
}

// OneHot(indices, depth, values): values[1] where the index (negative counts from depth) equals
// the position along the new `axis`, values[0] elsewhere; an index outside [-depth, depth) is off
// everywhere. Float indices are truncated toward zero first, as ONNX casts them to integers.
void importOneHot(NodeContext &ctx) {
  ctx.expect({"axis"}, 3, 3);
  std::optional<double> depthValue = ctx.scalarConstant(1);
  if (!depthValue)
    ctx.fail("depth must be a constant (mlc compiles static shapes)");
  if (!(*depthValue >= 1 && *depthValue <= static_cast<double>(kMaxPositions)))
    ctx.fail("depth is " + std::to_string(*depthValue) + "; it must be in [1, 2^24]");
  int64_t depth = static_cast<int64_t>(*depthValue);
  // Integer values (runtime or constant) give an int64 result, computed in float32.
  OpBuilder &b = ctx.b;
  Value values = ctx.anyInput(2);
  auto valuesType = cast<RankedTensorType>(values.getType());
  if (valuesType.getShape() != ArrayRef<int64_t>{2})
    ctx.fail("values must be a 1-D tensor of 2 elements [off, on]");
  bool integerValues = isa<IntegerType>(valuesType.getElementType());
  if (integerValues)
    values = b.create<ToFloatOp>(ctx.loc, RankedTensorType::get({2}, b.getF32Type()), values);
  Type element = cast<RankedTensorType>(values.getType()).getElementType();
  Location loc = ctx.loc;

  Value indices = ctx.anyInput(0);
  auto indexType = cast<RankedTensorType>(indices.getType());
  auto floatIndexType = RankedTensorType::get(indexType.getShape(), element);
  if (isa<IntegerType>(indexType.getElementType())) {
    indices = b.create<ToFloatOp>(loc, floatIndexType, indices);
  } else {
    auto intType = RankedTensorType::get(indexType.getShape(), b.getI64Type());
    indices = b.create<ToFloatOp>(loc, floatIndexType, b.create<ToIntOp>(loc, intType, indices));
    if (indexType.getElementType() != element)
      indices = b.create<ConvertFloatOp>(loc, floatIndexType, indices);
  }
  int64_t rank = indexType.getRank();
  // ONNX: axis in [-r-1, r], counted on the output's rank.
  int64_t axis = normalizeAxis(ctx, ctx.intAttr("axis", -1), rank + 1);
  Value zero = makeSplatLike(b, loc, indices, 0.0);
  Value wrapped = b.create<WhereGtOp>(loc, zero, indices,
                                      b.create<AddOp>(loc, indices, makeSplatLike(b, loc, indices, depth)), indices);

  // Classes last: [indices..., depth], moved to `axis` at the end.
  SmallVector<int64_t> lastShape(indexType.getShape());
  lastShape.push_back(depth);
  auto lastType = RankedTensorType::get(lastShape, element);
  SmallVector<int64_t> leading;
  for (int64_t d = 0; d < rank; ++d)
    leading.push_back(d);
  Value distance = b.create<SubOp>(loc, b.create<IotaOp>(loc, lastType, b.getI64IntegerAttr(rank)),
                                   broadcastTo(b, loc, wrapped, lastType, leading));
  Value squared = b.create<MulOp>(loc, distance, distance);
  // Each value of [off, on] as a scalar, broadcast.
  auto pick = [&](int64_t i) {
    auto scalarIndex = RankedTensorType::get({}, b.getI64Type());
    Value at = b.create<arith::ConstantOp>(loc, scalarIndex, DenseElementsAttr::get(scalarIndex, i));
    return broadcastTo(b, loc, gather(b, loc, values, at, 0), lastType, {});
  };
  Value hot = b.create<WhereGtOp>(loc, squared, makeSplatLike(b, loc, squared, 0.25), pick(0), pick(1));
  if (axis != rank) {
    SmallVector<int64_t> perm;
    for (int64_t d = 0; d < rank; ++d) {
      if (d == axis)
        perm.push_back(rank);
      perm.push_back(d);
    }
    hot = permute(ctx, hot, perm);
  }
  if (integerValues) {
    auto shape = cast<RankedTensorType>(hot.getType()).getShape();
    hot = b.create<ToIntOp>(loc, RankedTensorType::get(shape, b.getI64Type()), hot);
  }
  ctx.setOutput(0, hot);
}

} // namespace

void mlc::onnx_import::registerIndexOps(llvm::StringMap<OpConverter> &table) {
  table["ArgMax"] = importArgExtreme<true>;
  table["ArgMin"] = importArgExtreme<false>;
  table["OneHot"] = importOneHot;
}
