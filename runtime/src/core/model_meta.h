// Parses the model metadata text (`mlc_model_meta`, format in mlc_runtime.h) into a checked struct.
#ifndef MLC_RUNTIME_MODEL_META_H
#define MLC_RUNTIME_MODEL_META_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mlc {

// In the order of the name lists of mlc_names.h (the names the compiler writes).
enum class LossKind { CrossEntropy, Nll, Mse, L1, Huber, SmoothL1, BceLogits, Bce };
// How a loss's per-sample (or per-element) terms combine over a batch, as torch's `reduction`.
enum class Reduction { Mean, Sum };
enum class OptimizerKind { Sgd, Momentum, Nesterov, Adagrad, Rmsprop, Adam, AdamW };
// What the step functions run on: the host (their arguments are host pointers) or a CUDA device (every
// argument is a device pointer; see mlc_runtime.h).
enum class Target { Cpu, Cuda };

const char* loss_name(LossKind loss);
const char* reduction_name(Reduction reduction);
// bce_logits and bce: a binary classifier's losses (one probability or logit per target value).
bool is_binary_loss(LossKind loss);
const char* optimizer_name(OptimizerKind optimizer);
const char* target_name(Target target);

struct TensorMeta {
  std::string name;
  std::vector<std::size_t> dims;
  std::size_t elements() const;
};

struct ParamMeta {
  std::string name;
  std::size_t offset = 0;  // in floats, into mlc_param_init
  std::vector<std::size_t> dims;  // as the step stores it
  // Empty, or how the step stores the model's tensor transposed (a `param_layout` record): stored
  // dimension i is dimension layout[i] of the model's. Checkpoints and exports hold the model's layout.
  std::vector<std::size_t> layout;
  std::size_t elements() const;
  // The dims of the model's tensor (dims itself without a layout).
  std::vector<std::size_t> model_dims() const;
};

struct ModelMeta {
  int version = 0;
  Target target = Target::Cpu;  // the optional `target` record; absent means cpu
  std::size_t batch = 0;
  LossKind loss = LossKind::CrossEntropy;
  Reduction reduction = Reduction::Mean;  // the optional `reduction` record; absent means mean
  OptimizerKind optimizer = OptimizerKind::Sgd;
  TensorMeta input;   // f32, or i32 token ids (token_input); dims[0] == batch
  bool token_input = false;
  // i32 [batch], one class index per sample (cross_entropy, nll), or f32 of the output's shape (a
  // float target per output value: every other loss).
  TensorMeta label;
  bool class_labels = true;
  // The loss's class weights: an f32 argument of classes() values after the label (0: none).
  std::size_t class_weights = 0;
  TensorMeta output;  // f32, [batch, ...]; with class labels [batch, ..., classes]
  std::size_t state_slots = 0;
  std::vector<std::string> hypers;
  std::vector<ParamMeta> params;
  // Model state that train_step replaces and eval_step reads, not trained by the optimizer
  // (batch-norm running statistics); initial values in mlc_param_init like the params'.
  std::vector<ParamMeta> buffers;
  std::size_t workspace_train = 0;
  std::size_t workspace_eval = 0;
  // The ops of train_step that --profile times, in id order.
  struct ProfileOp {
    std::string group;
    std::uint64_t flops = 0;
    std::uint64_t bytes = 0;
  };
  std::vector<ProfileOp> profile_ops;

  std::size_t sample_size() const { return input.elements() / batch; }
  // Output (and float target) values per sample.
  std::size_t output_size() const { return output.elements() / batch; }
  // How many classes class-labelled data may have: the output's last dimension for class-label losses;
  // with float targets, a one-hot target per class (output_size() > 1) or a binary 0/1 target.
  std::size_t classes() const { return class_labels ? output.dims.back() : output_size() > 1 ? output_size() : 2; }
  std::size_t param_count() const;
  bool has_hyper(std::string_view name) const;
};

// Throws mlc::Error("model metadata line N: ...") on anything malformed or inconsistent: unknown or
// repeated records, bad numbers, missing records, dtype or batch mismatches, unknown hyper names,
// overlapping parameter ranges.
ModelMeta parse_model_meta(std::string_view text);

}  // namespace mlc

#endif  // MLC_RUNTIME_MODEL_META_H
