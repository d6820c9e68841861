// Builders of common mlc op patterns (splat constants, broadcast, reshape, sum).
#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;

Value mlc::makeSplat(OpBuilder &b, Location loc, RankedTensorType type, double value) {
  auto elt = cast<FloatType>(type.getElementType());
  auto attr = DenseElementsAttr::get(type, b.getFloatAttr(elt, value));
  return b.create<arith::ConstantOp>(loc, type, attr);
}

Value mlc::makeSplatLike(OpBuilder &b, Location loc, Value like, double value) {
  return makeSplat(b, loc, cast<RankedTensorType>(like.getType()), value);
}

Value mlc::broadcastTo(OpBuilder &b, Location loc, Value value, RankedTensorType type,
                       ArrayRef<int64_t> dims) {
  if (value.getType() == type)
    return value;
  return b.create<BroadcastOp>(loc, type, value, b.getDenseI64ArrayAttr(dims));
}

Value mlc::reshapeTo(OpBuilder &b, Location loc, Value value, RankedTensorType type) {
  if (value.getType() == type)
    return value;
  return b.create<ReshapeOp>(loc, type, value);
}

Value mlc::gather(OpBuilder &b, Location loc, Value input, Value indices, int64_t axis) {
  auto inType = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(inType.getShape().take_front(axis));
  llvm::append_range(shape, cast<RankedTensorType>(indices.getType()).getShape());
  llvm::append_range(shape, inType.getShape().drop_front(axis + 1));
  return b.create<GatherOp>(loc, RankedTensorType::get(shape, inType.getElementType()), input, indices, axis);
}

RankedTensorType mlc::permutedType(RankedTensorType type, ArrayRef<int64_t> perm) {
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  return RankedTensorType::get(shape, type.getElementType());
}

RankedTensorType mlc::reducedType(RankedTensorType type, ArrayRef<int64_t> dims, bool keepDims) {
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    if (!llvm::is_contained(dims, i))
      shape.push_back(type.getDimSize(i));
    else if (keepDims)
      shape.push_back(1);
  }
  return RankedTensorType::get(shape, type.getElementType());
}

template <typename OpT>
static Value reduce(OpBuilder &b, Location loc, Value value, ArrayRef<int64_t> dims, bool keepDims) {
  if (dims.empty())
    return value;
  auto type = mlc::reducedType(cast<RankedTensorType>(value.getType()), dims, keepDims);
  return b.create<OpT>(loc, type, value, b.getDenseI64ArrayAttr(dims),
                       keepDims ? b.getUnitAttr() : UnitAttr());
}

Value mlc::reduceSum(OpBuilder &b, Location loc, Value value, ArrayRef<int64_t> dims, bool keepDims) {
  return reduce<ReduceSumOp>(b, loc, value, dims, keepDims);
}

Value mlc::reduceMax(OpBuilder &b, Location loc, Value value, ArrayRef<int64_t> dims, bool keepDims) {
  return reduce<ReduceMaxOp>(b, loc, value, dims, keepDims);
}

int64_t mlc::WindowGeometry::outputSize(int d, int64_t size) const {
  int64_t span = dilations[d] * (kernel[d] - 1) + 1;
  int64_t padded = size + pads[d] + pads[d + 2];
  return padded < span ? -1 : (padded - span) / strides[d] + 1;
}

RankedTensorType mlc::WindowGeometry::windowsType(RankedTensorType image) const {
  ArrayRef<int64_t> s = image.getShape();
  return RankedTensorType::get({s[0], outputSize(0, s[2]), outputSize(1, s[3]), s[1], kernel[0], kernel[1]},
                               image.getElementType());
}

RankedTensorType mlc::WindowGeometry::depthwiseType(RankedTensorType image, bool channelsLast) const {
  ArrayRef<int64_t> s = image.getShape();
  if (channelsLast)
    return RankedTensorType::get({s[0], outputSize(0, s[1]), outputSize(1, s[2]), s[3]}, image.getElementType());
  return RankedTensorType::get({s[0], s[1], outputSize(0, s[2]), outputSize(1, s[3])}, image.getElementType());
}

mlc::WindowGeometry mlc::WindowGeometry::overChannels(int64_t c) const {
  assert(dilations[1] == 1 && "channels interleave only without horizontal dilation");
  return {{kernel[0], kernel[1] * c}, {strides[0], strides[1] * c}, {dilations[0], 1},
          {pads[0], pads[1] * c, pads[2], pads[3] * c}};
}

Value mlc::padSpatial(OpBuilder &b, Location loc, Value image, ArrayRef<int64_t> pads, double value,
                      bool channelsLast) {
  if (llvm::all_of(pads, [](int64_t p) { return p == 0; }))
    return image;
  auto type = cast<RankedTensorType>(image.getType());
  SmallVector<int64_t> shape(type.getShape()), low(4, 0), high(4, 0);
  int64_t h = channelsLast ? 1 : 2;
  for (int d = 0; d < 2; ++d) {
    low[h + d] = pads[d];
    high[h + d] = pads[d + 2];
    shape[h + d] += pads[d] + pads[d + 2];
  }
  return b.create<PadOp>(loc, RankedTensorType::get(shape, type.getElementType()), image, low, high,
                         ArrayRef<int64_t>{0, 0, 0, 0}, llvm::APFloat(value));
}

Value mlc::windowTap(OpBuilder &b, Location loc, Value padded, const WindowGeometry &g, int64_t kh, int64_t kw,
                     RankedTensorType tapType, bool channelsLast) {
  if (channelsLast)
    return b.create<SliceOp>(loc, tapType, padded,
                             b.getDenseI64ArrayAttr({0, kh * g.dilations[0], kw * g.dilations[1], 0}),
                             b.getDenseI64ArrayAttr({1, g.strides[0], g.strides[1], 1}));
  return b.create<SliceOp>(loc, tapType, padded,
                           b.getDenseI64ArrayAttr({0, 0, kh * g.dilations[0], kw * g.dilations[1]}),
                           b.getDenseI64ArrayAttr({1, 1, g.strides[0], g.strides[1]}));
}

Value mlc::depthwiseConv(OpBuilder &b, Location loc, Value image, Value filters, const WindowGeometry &g,
                         bool flipKernel, bool channelsLast) {
  auto type = g.depthwiseType(cast<RankedTensorType>(image.getType()), channelsLast);
  return b.create<DepthwiseConvOp>(loc, type, image, filters, ArrayRef<int64_t>(g.kernel), ArrayRef<int64_t>(g.strides),
                                   ArrayRef<int64_t>(g.dilations), ArrayRef<int64_t>(g.pads), flipKernel,
                                   channelsLast);
}

Value mlc::im2col(OpBuilder &b, Location loc, Value image, const WindowGeometry &g, double padValue) {
  auto type = g.windowsType(cast<RankedTensorType>(image.getType()));
  return b.create<Im2ColOp>(loc, type, image, g.kernel, g.strides, g.dilations, g.pads,
                            llvm::APFloat(padValue));
}

Value mlc::col2im(OpBuilder &b, Location loc, Value windows, const WindowGeometry &g,
                  RankedTensorType imageType) {
  return b.create<Col2ImOp>(loc, imageType, windows, g.kernel, g.strides, g.dilations, g.pads);
}
