// The training losses as graphs of mlc ops: each reduces the model's output against a label batch.
#ifndef MLC_COMPILER_TRANSFORMS_LOSSBUILDERS_H
#define MLC_COMPILER_TRANSFORMS_LOSSBUILDERS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

#include "llvm/ADT/StringMap.h"

#include <string>

namespace mlc {

/// What mlc-attach-loss builds: the loss (a name of names::kLosses), how per-element or per-sample
/// terms are reduced, and whether cross-entropy smooths its targets.
struct LossSpec {
  std::string name = "cross_entropy";
  std::string reduction = "mean";  // mean or sum (torch's `reduction`)
  bool labelSmoothing = false;     // cross_entropy takes a `label_smoothing` hyperparameter
};

/// cross_entropy and nll take one i32 class index per sample; every other loss a float target of
/// the output's shape.
bool takesClassLabels(llvm::StringRef loss);

/// The runtime scalars (mlc.hyper names) the loss reads: `delta` (huber's delta, smooth_l1's beta)
/// and `label_smoothing`.
llvm::SmallVector<llvm::StringRef> lossHypers(const LossSpec &spec);

/// The label batch type for a model output of type `output`.
mlir::RankedTensorType labelType(const LossSpec &spec, mlir::RankedTensorType output);

/// The scalar loss of `output` against `label` (of labelType), as torch.nn's loss of the same name
/// computes it with `reduction`; `hypers` holds a tensor<f32> for each name of lossHypers.
mlir::Value buildLoss(mlir::OpBuilder &b, mlir::Location loc, const LossSpec &spec, mlir::Value output,
                      mlir::Value label, const llvm::StringMap<mlir::Value> &hypers);

} // namespace mlc

#endif
