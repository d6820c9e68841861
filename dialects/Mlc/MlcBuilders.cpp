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
