// The training losses as graphs of mlc ops: each reduces the model's output against a label batch.
#ifndef MLC_COMPILER_GRAPH_LOSSBUILDERS_H
#define MLC_COMPILER_GRAPH_LOSSBUILDERS_H

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
  bool classWeights = false;       // the loss takes a tensor of class weights (classWeightCount)
};

/// cross_entropy and nll take one i32 class index per sample; every other loss a float target of
/// the output's shape.
bool takesClassLabels(llvm::StringRef loss);

/// The runtime scalars (mlc.hyper names) the loss reads: `delta` (huber's delta, smooth_l1's beta)
/// and `label_smoothing`.
llvm::SmallVector<llvm::StringRef> lossHypers(const LossSpec &spec);

/// How many class weights the loss takes for a model output of type `output`: one per class for
/// cross_entropy and nll, 2 for a one-output bce_logits/bce (the weight of a 0 and of a 1 target),
/// one per output column for a multi-output one; 0 for losses without class weights (the rest).
int64_t classWeightCount(llvm::StringRef loss, mlir::RankedTensorType output);

/// The label batch type for a model output of type `output`.
mlir::RankedTensorType labelType(const LossSpec &spec, mlir::RankedTensorType output);

/// The scalar loss of `output` against `label` (of labelType), as torch.nn's loss of the same name
/// computes it with `reduction`; `hypers` holds a tensor<f32> for each name of lossHypers. With
/// `classWeights` (tensor<classWeightCount x f32>), as torch's `weight`: cross_entropy and nll scale
/// each sample's term by its class's weight (the smoothing share of each class by that class's) and
/// a mean divides by the sum of the samples' weights; bce_logits and bce scale each term by the
/// weight of its target (one output) or of its column, a mean dividing by the number of terms.
mlir::Value buildLoss(mlir::OpBuilder &b, mlir::Location loc, const LossSpec &spec, mlir::Value output,
                      mlir::Value label, const llvm::StringMap<mlir::Value> &hypers,
                      mlir::Value classWeights = {});

} // namespace mlc

#endif
