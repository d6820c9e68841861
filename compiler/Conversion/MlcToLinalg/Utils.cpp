// Helpers shared by the mlc-to-linalg patterns.
#include "compiler/Conversion/MlcToLinalg/Patterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

Value mlc::makeEmpty(OpBuilder &b, Location loc, RankedTensorType type) {
  return b.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType());
}

Value mlc::makeFilled(OpBuilder &b, Location loc, RankedTensorType type, double value) {
  Value init = makeEmpty(b, loc, type);
  Value v = floatConst(b, loc, type.getElementType(), value);
  return b.create<linalg::FillOp>(loc, v, init).getResult(0);
}

SmallVector<utils::IteratorType> mlc::iterators(int64_t rank, ArrayRef<int64_t> reduced) {
  SmallVector<utils::IteratorType> its(rank, utils::IteratorType::parallel);
  for (int64_t d : reduced)
    its[d] = utils::IteratorType::reduction;
  return its;
}

AffineMap mlc::projectionMap(MLIRContext *ctx, int64_t rank, ArrayRef<int64_t> dropped,
                             bool keepAsZero) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d) {
    if (!llvm::is_contained(dropped, d))
      exprs.push_back(getAffineDimExpr(d, ctx));
    else if (keepAsZero)
      exprs.push_back(getAffineConstantExpr(0, ctx));
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}

Value mlc::floatConst(OpBuilder &b, Location loc, Type type, double value) {
  return b.create<arith::ConstantOp>(loc, type, b.getFloatAttr(type, value));
}

std::pair<Value, Value> mlc::gridPoint(OpBuilder &b, Location loc, Value t, int64_t step, int64_t size) {
  Value zero = b.create<arith::ConstantIndexOp>(loc, 0);
  Value valid = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sge, t, zero);
  Value index = b.create<arith::SelectOp>(loc, valid, t, zero);
  if (step != 1) {
    Value s = b.create<arith::ConstantIndexOp>(loc, step);
    Value onGrid = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, b.create<arith::RemUIOp>(loc, index, s), zero);
    valid = b.create<arith::AndIOp>(loc, valid, onGrid);
    index = b.create<arith::DivUIOp>(loc, index, s);
  }
  Value below = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, index,
                                        b.create<arith::ConstantIndexOp>(loc, size));
  valid = b.create<arith::AndIOp>(loc, valid, below);
  return {valid, b.create<arith::SelectOp>(loc, valid, index, zero)};
}
