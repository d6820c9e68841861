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

Value mlc::reduceSum(OpBuilder &b, Location loc, Value value, ArrayRef<int64_t> dims,
                     bool keepDims) {
  auto type = cast<RankedTensorType>(value.getType());
  if (dims.empty())
    return value;
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    if (!llvm::is_contained(dims, i))
      shape.push_back(type.getDimSize(i));
    else if (keepDims)
      shape.push_back(1);
  }
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  return b.create<ReduceSumOp>(loc, resultType, value, b.getDenseI64ArrayAttr(dims),
                               keepDims ? b.getUnitAttr() : UnitAttr());
}
