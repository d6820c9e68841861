// What an ONNX op converter sees: the node, its inputs as mlc values, and a way to fail clearly.
#ifndef MLC_FRONTENDS_ONNX_NODEIMPORTER_H
#define MLC_FRONTENDS_ONNX_NODEIMPORTER_H

#include "dialects/Mlc/WinogradConv.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

#include "llvm/ADT/StringMap.h"

#include <onnx/onnx_pb.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlc::onnx_import {

/// Thrown by converters; caught at the frontend boundary and turned into a one-line error.
struct ImportError {
  std::string message;
};

/// A constant integer tensor known at import time (shape operands of Reshape, ...).
struct IntConstant {
  std::vector<int64_t> shape;
  std::vector<int64_t> values;
};

/// A boolean ONNX value (mlc has no boolean tensors): kept symbolic until a Where or a Cast to
/// float consumes it (Where.cpp).
struct Predicate {
  enum class Kind { Greater, Equal, Mask, Not, And, Or, Xor };
  Kind kind = Kind::Mask;
  /// The shape of the boolean value (its operands broadcast).
  llvm::SmallVector<int64_t> shape;
  /// Greater: lhs > rhs; Equal: lhs == rhs (float tensors, not yet broadcast).
  mlir::Value lhs, rhs;
  /// Mask: a constant, true where nonzero, of `shape`.
  std::vector<int64_t> mask;
  /// Not (a), And/Or/Xor (a, b).
  std::shared_ptr<const Predicate> a, b;
};
using PredicateMap = llvm::StringMap<std::shared_ptr<const Predicate>>;

class NodeContext {
public:
  NodeContext(mlir::OpBuilder &b, const onnx::NodeProto &node, mlir::Location loc, int64_t opset,
              llvm::StringMap<mlir::Value> &values, llvm::StringMap<IntConstant> &intConstants)
      : b(b), node(node), loc(loc), opset(opset), values(values), intConstants(intConstants) {}

  mlir::OpBuilder &b;
  const onnx::NodeProto &node;
  mlir::Location loc;
  /// The model's ai.onnx opset version: some ops changed meaning between versions.
  int64_t opset;
  /// How dense 3x3 stride-1 convolutions are built.
  ConvAlgorithm convAlgorithm = ConvAlgorithm::Auto;

  /// Fails with "node 'NAME' (OP): message".
  [[noreturn]] void fail(const std::string &message) const;
  /// Rejects any attribute not in `known` and checks the input/output counts.
  void expect(std::initializer_list<const char *> known, int minInputs, int maxInputs) const;

  size_t numInputs() const;
  /// Whether optional input `i` is given (present and not the empty name).
  bool hasInput(size_t i) const { return i < numInputs() && !node.input(i).empty(); }
  /// Float tensor input `i` (must exist).
  mlir::Value input(size_t i) const;
  mlir::RankedTensorType inputType(size_t i) const;
  /// Integer tensor input `i`: a runtime integer tensor (a graph input of a whole-graph import)
  /// or an integer constant, materialized as i64.
  mlir::Value indexInput(size_t i) const;
  /// Input `i` of any element type: a float or integer tensor, or an integer constant (as i64).
  mlir::Value anyInput(size_t i) const;
  /// Integer constant input `i` (initializer or Constant node).
  const IntConstant &intInput(size_t i) const;
  /// Whether input `i` is given and an integer constant.
  bool isIntInput(size_t i) const { return hasInput(i) && intConstants.count(node.input(i)); }
  /// Records output `i` as an integer constant (shape arithmetic folded at import).
  void setIntOutput(size_t i, IntConstant c) const;
  void setOutput(size_t i, mlir::Value v) const;

  /// The rank-0 f32 runtime argument `name` (mlc.hyper, e.g. the step and seed of dropout's
  /// generator) of the function being built, added on first use. Null when the import takes no
  /// runtime arguments (a whole-graph import for inference).
  mlir::Value hyper(llvm::StringRef name) const { return hypers ? hypers(name) : mlir::Value(); }
  std::function<mlir::Value(llvm::StringRef)> hypers;
  /// Whether this is the training view of a model (mlc compile), not a whole-graph import.
  bool inTrainingView() const { return static_cast<bool>(hypers); }
  /// Training view: records `value` as the training step's new value of the buffer (model state
  /// the optimizer does not train, such as batch-norm running statistics) held by initializer
  /// `name`. Fails the node when `name` is not a buffer or already has a new value.
  void updateBuffer(const std::string &name, mlir::Value value) const;
  /// Returns an error message, empty on success.
  std::function<std::string(const std::string &, mlir::Value)> bufferUpdates;
  /// The value of float input `i` when it is a constant with one distinct value.
  std::optional<double> splatInput(size_t i) const;
  /// Scalar input `i` as a double when it is a constant: an integer constant of one element or
  /// a float constant with one distinct value. Fails when an integer constant has several.
  std::optional<double> scalarConstant(size_t i) const;

  /// The graph's boolean values so far, by name.
  PredicateMap *predicates = nullptr;

  const onnx::AttributeProto *attr(const char *name) const;
  int64_t intAttr(const char *name, int64_t dflt) const;
  float floatAttr(const char *name, float dflt) const;

private:
  llvm::StringMap<mlir::Value> &values;
  llvm::StringMap<IntConstant> &intConstants;
};

using OpConverter = void (*)(NodeContext &);

void registerLinearOps(llvm::StringMap<OpConverter> &table);
void registerElementwiseOps(llvm::StringMap<OpConverter> &table);
void registerShapeOps(llvm::StringMap<OpConverter> &table);
void registerSoftmaxOps(llvm::StringMap<OpConverter> &table);
void registerActivationOps(llvm::StringMap<OpConverter> &table);
void registerReduceOps(llvm::StringMap<OpConverter> &table);
void registerConvOps(llvm::StringMap<OpConverter> &table);
void registerPoolOps(llvm::StringMap<OpConverter> &table);
void registerDropoutOps(llvm::StringMap<OpConverter> &table);
void registerSlicePadOps(llvm::StringMap<OpConverter> &table);
void registerReplicateOps(llvm::StringMap<OpConverter> &table);
void registerWhereOps(llvm::StringMap<OpConverter> &table);
void registerSequenceOps(llvm::StringMap<OpConverter> &table);
void registerResizeOps(llvm::StringMap<OpConverter> &table);
/// ArgMax, ArgMin and OneHot.
void registerIndexOps(llvm::StringMap<OpConverter> &table);
void registerEinsumOps(llvm::StringMap<OpConverter> &table);
/// Cast of a boolean value (a predicate) to float type `to` (null: another type, refused); false
/// when the input is no predicate.
bool importPredicateCast(NodeContext &ctx, mlir::Type to);
void registerNormalizationOps(llvm::StringMap<OpConverter> &table);
void registerGatherOps(llvm::StringMap<OpConverter> &table);
/// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss.
void registerLossOps(llvm::StringMap<OpConverter> &table);
/// The domain of ONNX's optimizer ops, which mlc imports (as one update step) for conformance.
/// Converters of ops outside the standard domain are registered as "DOMAIN/OP".
inline const std::string kTrainingDomain = "ai.onnx.preview.training";
/// kTrainingDomain's Adagrad, Momentum and Adam.
void registerTrainingOps(llvm::StringMap<OpConverter> &table);
/// Folds `ctx`'s node at import when it computes integers from integer constants and static
/// shapes (the Shape -> Gather -> Unsqueeze -> Concat -> Reshape chains PyTorch exports), and
/// ConstantOfShape. Returns false when the node is not of that kind.
bool foldIntegerNode(NodeContext &ctx);

/// Numpy-style broadcast of two float values to their common shape (with mlc.broadcast).
std::pair<mlir::Value, mlir::Value> broadcastPair(NodeContext &ctx, mlir::Value a, mlir::Value b);
/// The shape numpy broadcasting gives shapes `a` and `b`; fails the node naming both sizes.
llvm::SmallVector<int64_t> broadcastShape(const NodeContext &ctx, llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b);
/// `v` broadcast to `type` (numpy rules, trailing alignment).
mlir::Value broadcastToShape(NodeContext &ctx, mlir::Value v, mlir::RankedTensorType type);
/// A splat constant of the type of `like`.
mlir::Value splatLike(NodeContext &ctx, mlir::Value like, double value);
/// Elementwise max / min of two same-shape values (mlc.where_gt).
mlir::Value maximum(NodeContext &ctx, mlir::Value a, mlir::Value b);
mlir::Value minimum(NodeContext &ctx, mlir::Value a, mlir::Value b);
/// `v` with its dimensions permuted (mlc.transpose): result dimension i is dimension perm[i].
mlir::Value permute(NodeContext &ctx, mlir::Value v, llvm::ArrayRef<int64_t> perm);
/// A normalized axis in [0, rank).
int64_t normalizeAxis(const NodeContext &ctx, int64_t axis, int64_t rank);

} // namespace mlc::onnx_import

#endif
