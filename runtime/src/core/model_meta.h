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
enum class LossKind { CrossEntropy, Mse };
enum class OptimizerKind { Sgd, Momentum, Nesterov, Adagrad, Rmsprop, Adam, AdamW };
// What the step functions run on: the host (their arguments are host pointers) or a CUDA device (every
// argument is a device pointer; see mlc_runtime.h).
enum class Target { Cpu, Cuda };

const char* loss_name(LossKind loss);
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
  std::vector<std::size_t> dims;
  std::size_t elements() const;
};

struct ModelMeta {
  int version = 0;
  Target target = Target::Cpu;  // the optional `target` record; absent means cpu
  std::size_t batch = 0;
  LossKind loss = LossKind::CrossEntropy;
  OptimizerKind optimizer = OptimizerKind::Sgd;
  TensorMeta input;   // f32, or i32 token ids (token_input); dims[0] == batch
  bool token_input = false;
  TensorMeta label;   // i32, one class index per sample
  TensorMeta output;  // f32, [batch, ..., classes] with one row of `classes` per sample
  std::size_t state_slots = 0;
  std::vector<std::string> hypers;
  std::vector<ParamMeta> params;
  // Model state that train_step replaces and eval_step reads, not trained by the optimizer
  // (batch-norm running statistics); initial values in mlc_param_init like the params'.
  std::vector<ParamMeta> buffers;
  std::size_t workspace_train = 0;
  std::size_t workspace_eval = 0;

  std::size_t sample_size() const { return input.elements() / batch; }
  std::size_t classes() const { return output.dims.back(); }
  std::size_t param_count() const;
  bool has_hyper(std::string_view name) const;
};

// Throws mlc::Error("model metadata line N: ...") on anything malformed or inconsistent: unknown or
// repeated records, bad numbers, missing records, dtype or batch mismatches, unknown hyper names,
// overlapping parameter ranges.
ModelMeta parse_model_meta(std::string_view text);

}  // namespace mlc

#endif  // MLC_RUNTIME_MODEL_META_H
