// VJP rules of the elementwise ops.
#include "dialects/Mlc/MlcBuilders.h"
#include "compiler/Autodiff/Rules/Rules.h"

using namespace mlir;
using namespace mlc;

namespace {

struct NegVJP : VJPRule<NegVJP, NegOp> {
  static LogicalResult vjp(NegOp op, OpBuilder &b, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    g[0] = b.create<NegOp>(op.getLoc(), dy);
    return success();
  }
};

// d exp(x) = exp(x) dx: reuse the forward result.
struct ExpVJP : VJPRule<ExpVJP, ExpOp> {
  static LogicalResult vjp(ExpOp op, OpBuilder &b, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    g[0] = b.create<MulOp>(op.getLoc(), dy, op.getResult());
    return success();
  }
};

struct LogVJP : VJPRule<LogVJP, LogOp> {
  static LogicalResult vjp(LogOp op, OpBuilder &b, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    g[0] = b.create<DivOp>(op.getLoc(), dy, op.getInput());
    return success();
  }
};

// d sqrt(x) = dx / (2 sqrt(x)).
struct SqrtVJP : VJPRule<SqrtVJP, SqrtOp> {
  static LogicalResult vjp(SqrtOp op, OpBuilder &b, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    Location loc = op.getLoc();
    Value half = makeSplatLike(b, loc, dy, 0.5);
    g[0] = b.create<DivOp>(loc, b.create<MulOp>(loc, dy, half), op.getResult());
    return success();
  }
};

struct ReluVJP : VJPRule<ReluVJP, ReluOp> {
  static LogicalResult vjp(ReluOp op, OpBuilder &b, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    g[0] = b.create<ReluGradOp>(op.getLoc(), op.getInput(), dy);
    return success();
  }
};

// d sigmoid(x) = s (1 - s) dx with s the forward result.
struct SigmoidVJP : VJPRule<SigmoidVJP, SigmoidOp> {
  static LogicalResult vjp(SigmoidOp op, OpBuilder &b, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    Location loc = op.getLoc();
    Value s = op.getResult();
    Value oneMinusS = b.create<SubOp>(loc, makeSplatLike(b, loc, s, 1.0), s);
    g[0] = b.create<MulOp>(loc, dy, b.create<MulOp>(loc, s, oneMinusS));
    return success();
  }
};

// d tanh(x) = (1 - t^2) dx with t the forward result.
struct TanhVJP : VJPRule<TanhVJP, TanhOp> {
  static LogicalResult vjp(TanhOp op, OpBuilder &b, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    Location loc = op.getLoc();
    Value t = op.getResult();
    Value oneMinusT2 =
        b.create<SubOp>(loc, makeSplatLike(b, loc, t, 1.0), b.create<MulOp>(loc, t, t));
    g[0] = b.create<MulOp>(loc, dy, oneMinusT2);
    return success();
  }
};

struct AddVJP : VJPRule<AddVJP, AddOp> {
  static LogicalResult vjp(AddOp, OpBuilder &, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    g[0] = dy;
    g[1] = dy;
    return success();
  }
};

struct SubVJP : VJPRule<SubVJP, SubOp> {
  static LogicalResult vjp(SubOp op, OpBuilder &b, Value dy, ArrayRef<bool> needed,
                           SmallVectorImpl<Value> &g) {
    g[0] = dy;
    if (needed[1])
      g[1] = b.create<NegOp>(op.getLoc(), dy);
    return success();
  }
};

struct MulVJP : VJPRule<MulVJP, MulOp> {
  static LogicalResult vjp(MulOp op, OpBuilder &b, Value dy, ArrayRef<bool> needed,
                           SmallVectorImpl<Value> &g) {
    if (needed[0])
      g[0] = b.create<MulOp>(op.getLoc(), dy, op.getRhs());
    if (needed[1])
      g[1] = b.create<MulOp>(op.getLoc(), dy, op.getLhs());
    return success();
  }
};

// z = a / b: da = dz / b, db = -dz z / b.
struct DivVJP : VJPRule<DivVJP, DivOp> {
  static LogicalResult vjp(DivOp op, OpBuilder &b, Value dy, ArrayRef<bool> needed,
                           SmallVectorImpl<Value> &g) {
    Location loc = op.getLoc();
    if (needed[0])
      g[0] = b.create<DivOp>(loc, dy, op.getRhs());
    if (needed[1]) {
      Value t = b.create<DivOp>(loc, b.create<MulOp>(loc, dy, op.getResult()), op.getRhs());
      g[1] = b.create<NegOp>(loc, t);
    }
    return success();
  }
};

// z = a^p: da = dz p a^(p-1), dp = dz z log(a).
struct PowVJP : VJPRule<PowVJP, PowOp> {
  static LogicalResult vjp(PowOp op, OpBuilder &b, Value dy, ArrayRef<bool> needed,
                           SmallVectorImpl<Value> &g) {
    Location loc = op.getLoc();
    Value a = op.getLhs(), p = op.getRhs();
    if (needed[0]) {
      Value pMinus1 = b.create<SubOp>(loc, p, makeSplatLike(b, loc, p, 1.0));
      Value deriv = b.create<MulOp>(loc, p, b.create<PowOp>(loc, a, pMinus1));
      g[0] = b.create<MulOp>(loc, dy, deriv);
    }
    if (needed[1]) {
      Value deriv = b.create<MulOp>(loc, op.getResult(), b.create<LogOp>(loc, a));
      g[1] = b.create<MulOp>(loc, dy, deriv);
    }
    return success();
  }
};

// The adjoint goes to the operand that was chosen, zero to the other; none to the comparison.
struct WhereGtVJP : VJPRule<WhereGtVJP, WhereGtOp> {
  static LogicalResult vjp(WhereGtOp op, OpBuilder &b, Value dy, ArrayRef<bool> needed,
                           SmallVectorImpl<Value> &g) {
    Location loc = op.getLoc();
    Value zero = makeSplatLike(b, loc, dy, 0.0);
    if (needed[2])
      g[2] = b.create<WhereGtOp>(loc, op.getLhs(), op.getRhs(), dy, zero);
    if (needed[3])
      g[3] = b.create<WhereGtOp>(loc, op.getLhs(), op.getRhs(), zero, dy);
    return success();
  }
};

// d erf(x) = 2 / sqrt(pi) * exp(-x^2) dx.
struct ErfVJP : VJPRule<ErfVJP, ErfOp> {
  static LogicalResult vjp(ErfOp op, OpBuilder &b, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    Location loc = op.getLoc();
    Value x = op.getInput();
    Value e = b.create<ExpOp>(loc, b.create<NegOp>(loc, b.create<MulOp>(loc, x, x)));
    Value scaled = b.create<MulOp>(loc, e, makeSplatLike(b, loc, x, 1.1283791670955126));
    g[0] = b.create<MulOp>(loc, dy, scaled);
    return success();
  }
};

// Dropout is linear in its input for a given mask: the adjoint is dropout of the result adjoint
// with the same seed, step and stream, which redraws exactly the forward mask.
struct DropoutVJP : VJPRule<DropoutVJP, DropoutOp> {
  static LogicalResult vjp(DropoutOp op, OpBuilder &b, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    g[0] = b.create<DropoutOp>(op.getLoc(), dy, op.getStep(), op.getSeed(), op.getRatio(), op.getStream());
    return success();
  }
};

// A conversion's adjoint is the result adjoint converted back.
struct ConvertFloatVJP : VJPRule<ConvertFloatVJP, ConvertFloatOp> {
  static LogicalResult vjp(ConvertFloatOp op, OpBuilder &b, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    g[0] = b.create<ConvertFloatOp>(op.getLoc(), op.getInput().getType(), dy);
    return success();
  }
};

} // namespace

void mlc::registerElementwiseVJPRules(MLIRContext *ctx) {
  NegOp::attachInterface<NegVJP>(*ctx);
  ExpOp::attachInterface<ExpVJP>(*ctx);
  LogOp::attachInterface<LogVJP>(*ctx);
  SqrtOp::attachInterface<SqrtVJP>(*ctx);
  ReluOp::attachInterface<ReluVJP>(*ctx);
  SigmoidOp::attachInterface<SigmoidVJP>(*ctx);
  TanhOp::attachInterface<TanhVJP>(*ctx);
  AddOp::attachInterface<AddVJP>(*ctx);
  SubOp::attachInterface<SubVJP>(*ctx);
  MulOp::attachInterface<MulVJP>(*ctx);
  DivOp::attachInterface<DivVJP>(*ctx);
  PowOp::attachInterface<PowVJP>(*ctx);
  WhereGtOp::attachInterface<WhereGtVJP>(*ctx);
  DropoutOp::attachInterface<DropoutVJP>(*ctx);
  ErfOp::attachInterface<ErfVJP>(*ctx);
  ConvertFloatOp::attachInterface<ConvertFloatVJP>(*ctx);
}
