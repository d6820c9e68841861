// VJP rule of matmul: products with the other operand, transposes folded into the GEMM flags.
#include "compiler/Autodiff/Rules/Rules.h"

using namespace mlir;
using namespace mlc;

namespace {

struct MatmulVJP : VJPRule<MatmulVJP, MatmulOp> {
  /// lhs^(ta) x rhs^(tb) with the result type given.
  static Value product(OpBuilder &b, Location loc, Type type, Value lhs, bool ta, Value rhs,
                       bool tb) {
    return b.create<MatmulOp>(loc, type, lhs, rhs, ta ? b.getUnitAttr() : UnitAttr(),
                              tb ? b.getUnitAttr() : UnitAttr());
  }

  // With C = op(A) op(B): dop(A) = dC op(B)^T and dop(B) = op(A)^T dC. When an operand is used
  // transposed, its own adjoint is the transpose of that, which swaps the product's operands.
  static LogicalResult vjp(MatmulOp op, OpBuilder &b, Value dc, ArrayRef<bool> needed,
                           SmallVectorImpl<Value> &g) {
    Location loc = op.getLoc();
    Value a = op.getLhs(), bb = op.getRhs();
    bool ta = op.getTransposeLhs(), tb = op.getTransposeRhs();
    Type aType = a.getType(), bType = bb.getType();
    if (needed[0])
      g[0] = ta ? product(b, loc, aType, bb, tb, dc, true)   // dA = op(B) dC^T
                : product(b, loc, aType, dc, false, bb, !tb); // dA = dC op(B)^T
    if (needed[1])
      g[1] = tb ? product(b, loc, bType, dc, true, a, ta)    // dB = dC^T op(A)
                : product(b, loc, bType, a, !ta, dc, false); // dB = op(A)^T dC
    return success();
  }
};

} // namespace

void mlc::registerContractionVJPRules(MLIRContext *ctx) {
  MatmulOp::attachInterface<MatmulVJP>(*ctx);
}
