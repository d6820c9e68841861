// What happens to the gradients between autodiff and the optimizer's update: the L1 penalty's
// subgradient, clipping by value and by global norm (torch.nn.utils' clip_grad_value_/_norm_).
#ifndef MLC_COMPILER_GRAPH_GRADIENTTRANSFORMS_H
#define MLC_COMPILER_GRAPH_GRADIENTTRANSFORMS_H

#include "mlir/IR/Builders.h"

namespace mlc {

/// The runtime scalars (rank-0 f32) of the transforms; a null value leaves that transform out.
struct GradientTransforms {
  mlir::Value l1;        // adds l1 * sign(p) to the gradient of each regularized parameter
  mlir::Value clipValue; // clamps every gradient element to [-c, c]; c <= 0 disables
  mlir::Value clipNorm;  // scales all gradients by min(1, c / (||g|| + 1e-6)); c <= 0 disables
};

/// Whether weight decay and L1 apply to a parameter by default: weights (rank >= 2: dense and
/// convolution kernels, embedding tables), not biases or normalization scales and shifts (rank 1),
/// as common practice (and e.g. timm's optimizer factory) excludes them.
bool isRegularizedByDefault(mlir::Type paramType);

/// Returns the gradients after, in order: the L1 term (on parameters with `regularized` set), the
/// value clip, the global-norm clip over all gradients together. As in PyTorch, where the penalty
/// is part of the loss and clipping runs on the finished gradients before `optimizer.step()`.
llvm::SmallVector<mlir::Value> transformGradients(mlir::OpBuilder &b, mlir::Location loc,
                                                  mlir::ValueRange params, mlir::ValueRange grads,
                                                  llvm::ArrayRef<bool> regularized,
                                                  const GradientTransforms &t);

} // namespace mlc

#endif // MLC_COMPILER_GRAPH_GRADIENTTRANSFORMS_H
