// Optimizer update rules as mlc IR, shared by mlc-attach-optimizer (@train_step, torch.optim
// semantics) and the ONNX importer (ai.onnx.preview.training Adagrad, Momentum and Adam).
#ifndef MLC_DIALECTS_MLC_MLCUPDATERULES_H
#define MLC_DIALECTS_MLC_MLCUPDATERULES_H

#include "mlir/IR/Builders.h"

namespace mlc::update {

// Each rule is elementwise over one parameter `p` and its gradient `g`. Coefficients are rank-0
// f32 tensors the caller computes once per step (learning-rate decay and bias corrections differ
// between torch.optim and ONNX only there); a null optional coefficient means "absent", not 0.

/// `g + weightDecay * p` (L2 regularization coupled to the gradient, ONNX's norm_coefficient),
/// or `g` when `weightDecay` is null.
mlir::Value regularize(mlir::OpBuilder &b, mlir::Location loc, mlir::Value p, mlir::Value g,
                       mlir::Value weightDecay);

/// `p * scale` (decoupled weight decay, AdamW's `1 - lr * wd`), or `p` when `scale` is null.
mlir::Value scaleParam(mlir::OpBuilder &b, mlir::Location loc, mlir::Value p, mlir::Value scale);

/// Plain gradient descent: `p - lr * g`.
mlir::Value sgd(mlir::OpBuilder &b, mlir::Location loc, mlir::Value lr, mlir::Value p, mlir::Value g);

struct MomentumCoefficients {
  mlir::Value lr, momentum;
  /// The gradient's weight in the new velocity (ONNX's beta, 1 at its first step); null: 1.
  mlir::Value gradScale;
  bool nesterov = false;
};
/// `v' = momentum * v + gradScale * g`; `p' = p - lr * v'`, or with Nesterov
/// `p' = p - lr * (g + momentum * v')`. Returns {p', v'}.
llvm::SmallVector<mlir::Value, 2> momentum(mlir::OpBuilder &b, mlir::Location loc,
                                           const MomentumCoefficients &c, mlir::Value p,
                                           mlir::Value g, mlir::Value v);

struct AdagradCoefficients {
  mlir::Value lr; // already decayed for this step
  mlir::Value epsilon;
};
/// `h' = h + g^2`; `p' = p - lr * g / (sqrt(h') + epsilon)`. Returns {p', h'}.
llvm::SmallVector<mlir::Value, 2> adagrad(mlir::OpBuilder &b, mlir::Location loc,
                                          const AdagradCoefficients &c, mlir::Value p,
                                          mlir::Value g, mlir::Value h);

struct RMSpropCoefficients {
  mlir::Value lr, alpha, epsilon;
};
/// `v' = alpha * v + (1 - alpha) * g^2`; `p' = p - lr * g / (sqrt(v') + epsilon)`. Returns {p', v'}.
llvm::SmallVector<mlir::Value, 2> rmsprop(mlir::OpBuilder &b, mlir::Location loc,
                                          const RMSpropCoefficients &c, mlir::Value p,
                                          mlir::Value g, mlir::Value v);

struct AdamCoefficients {
  /// The learning rate with the first moment's bias correction folded in.
  mlir::Value stepSize;
  mlir::Value beta1, beta2, epsilon;
  /// Multiplies sqrt(v') before epsilon is added (torch's 1 / sqrt(1 - beta2^t)); null: 1.
  mlir::Value sqrtScale;
};
/// `m' = beta1 m + (1 - beta1) g`; `v' = beta2 v + (1 - beta2) g^2`;
/// `p' = p - stepSize * m' / (sqrt(v') * sqrtScale + epsilon)`. Returns {p', m', v'}.
llvm::SmallVector<mlir::Value, 3> adam(mlir::OpBuilder &b, mlir::Location loc,
                                       const AdamCoefficients &c, mlir::Value p, mlir::Value g,
                                       mlir::Value m, mlir::Value v);

} // namespace mlc::update

#endif
