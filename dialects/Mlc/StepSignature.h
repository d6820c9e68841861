// Names of the attributes that describe a step function's arguments and results.
#ifndef MLC_DIALECTS_MLC_STEPSIGNATURE_H
#define MLC_DIALECTS_MLC_STEPSIGNATURE_H

#include "runtime/include/mlc_names.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <optional>

namespace mlc::attr {
inline constexpr llvm::StringLiteral kParam = "mlc.param";             // trainable parameter: its name
inline constexpr llvm::StringLiteral kInitializer = "mlc.initializer"; // its initial value
// A parameter stored transposed (array<i64>): stored dimension i is dimension layout[i] of the
// model's tensor; its initial value is stored so too, the trainer converts at its boundaries.
inline constexpr llvm::StringLiteral kLayout = "mlc.layout";
inline constexpr llvm::StringLiteral kInput = "mlc.input";             // the input batch: its name
inline constexpr llvm::StringLiteral kLabel = "mlc.label";             // the label batch
inline constexpr llvm::StringLiteral kClassWeights = "mlc.class_weights"; // the loss's class weights
inline constexpr llvm::StringLiteral kOutput = "mlc.output";           // the model's output
inline constexpr llvm::StringLiteral kState = "mlc.state";             // optimizer state: slot name
inline constexpr llvm::StringLiteral kParamOf = "mlc.param_of";        // the parameter it belongs to
inline constexpr llvm::StringLiteral kHyper = "mlc.hyper";             // runtime hyperparameter
// Model state that training updates but the optimizer does not (batch-norm running statistics):
// on an argument its name, on a result the name of the state it is the new value of.
inline constexpr llvm::StringLiteral kBuffer = "mlc.buffer";
inline constexpr llvm::StringLiteral kUpdates = "mlc.updates";         // result replaces argument k
inline constexpr llvm::StringLiteral kLoss = "mlc.loss";               // the step's loss
inline constexpr llvm::StringLiteral kWorkspace = "mlc.workspace";     // scratch argument
inline constexpr llvm::StringLiteral kWorkspaceBytes = "mlc.workspace_bytes";
} // namespace mlc::attr

namespace mlc {
/// The optimizers mlc-attach-optimizer builds (--optimizer of the pass, the pipelines and mlc): the
/// list the trainer's runtime reads them from (runtime/include/mlc_names.h).
inline bool isKnownOptimizer(llvm::StringRef name) { return names::index_of(names::kOptimizers, name) >= 0; }
/// "sgd, momentum, ...": the list that error messages give.
inline std::string optimizerNames() {
  return llvm::join(std::begin(names::kOptimizers), std::end(names::kOptimizers), ", ");
}
/// The losses mlc-attach-loss builds.
inline bool isKnownLoss(llvm::StringRef name) { return names::index_of(names::kLosses, name) >= 0; }
/// "cross_entropy, nll, ...": the list that error messages give.
inline std::string lossNames() { return llvm::join(std::begin(names::kLosses), std::end(names::kLosses), ", "); }

/// The float values of an initial value (`mlc.initializer`: dense or a resource blob), or none when
/// it is neither or not f32.
std::optional<llvm::SmallVector<float>> initialValues(mlir::Attribute init);

/// Indices of the arguments of `func` that carry the attribute `name`.
llvm::SmallVector<unsigned> argsWithAttr(mlir::func::FuncOp func, llvm::StringRef name);
/// Indices of the results of `func` that carry the attribute `name`.
llvm::SmallVector<unsigned> resultsWithAttr(mlir::func::FuncOp func, llvm::StringRef name);

enum class Phase { Train, Eval };
/// Replaces every mlc.phase_select in `func` by its operand for `phase`.
void resolvePhase(mlir::func::FuncOp func, Phase phase);
} // namespace mlc

#endif
