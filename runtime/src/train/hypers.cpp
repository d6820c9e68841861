// Hyperparameter defaults per optimizer and the check that every given option reaches the model.
#include "train/hypers.h"

#include <cstdio>

#include "core/error.h"

namespace mlc {

HyperValues resolve_hypers(const ModelMeta& meta, const Options& options) {
  struct Option {
    const char* hyper;
    const char* flag;
    const std::optional<double>& given;
    double fallback;
    double LossParams::*loss_field = nullptr;  // a scalar of the loss (not the optimizer): where evaluation reads it
    const char* compile_flag = nullptr;        // the `mlc compile` flag that gives a model this hyper
  };
  // torch.optim's defaults (its SGD has no default lr; 0.01 here, like Adagrad's and RMSprop's).
  const bool adam = meta.optimizer == OptimizerKind::Adam || meta.optimizer == OptimizerKind::AdamW;
  const Option table[] = {
      {"lr", "--lr", options.lr, adam ? 1e-3 : 0.01},
      {"momentum", "--momentum", options.momentum, 0.9},
      {"lr_decay", "--lr-decay", options.lr_decay, 0.0},
      {"alpha", "--alpha", options.alpha, 0.99},
      {"beta1", "--beta1", options.beta1, 0.9},
      {"beta2", "--beta2", options.beta2, 0.999},
      {"epsilon", "--epsilon", options.epsilon, meta.optimizer == OptimizerKind::Adagrad ? 1e-10 : 1e-8},
      {"weight_decay", "--weight-decay", options.weight_decay, meta.optimizer == OptimizerKind::AdamW ? 0.01 : 0.0,
       nullptr, "--weight-decay"},
      {"l1", "--l1", options.l1, 0.0, nullptr, "--l1"},
      {"clip_norm", "--clip-norm", options.clip_norm, 0.0, nullptr, "--clip"},
      {"clip_value", "--clip-value", options.clip_value, 0.0, nullptr, "--clip"},
      {"delta", "--delta", options.delta, 1.0, &LossParams::delta},
      {"label_smoothing", "--label-smoothing", options.label_smoothing, 0.0, &LossParams::label_smoothing,
       "--label-smoothing"},
  };
  for (const Option& o : table) {
    if (o.given && !meta.has_hyper(o.hyper)) {
      const bool of_loss = o.loss_field != nullptr;
      throw Error(std::string(o.flag) + " given, but the model (" + (of_loss ? "loss " : "optimizer ") +
                  (of_loss ? loss_name(meta.loss) : optimizer_name(meta.optimizer)) + ") has no '" + o.hyper +
                  (o.compile_flag ? std::string("' hyperparameter (mlc compile ") + o.compile_flag + " gives it one)"
                                  : std::string("' hyperparameter")));
    }
  }

  HyperValues out;
  for (const std::string& name : meta.hypers) {
    if (name == "step") {
      out.step_index = static_cast<int>(out.values.size());
      out.values.push_back(0.0f);
      continue;
    }
    if (name == "seed") {
      // The random generator's key (dropout masks), from --seed: the model takes it as a float,
      // exact below 2^24.
      out.values.push_back(static_cast<float>(options.seed % (std::uint64_t(1) << 24)));
      continue;
    }
    if (name == "lr") out.lr_index = static_cast<int>(out.values.size());
    if (name == "momentum" || name == "beta1") out.momentum_index = static_cast<int>(out.values.size());
    for (const Option& o : table) {
      if (name != o.hyper) continue;
      if (name == "lr") out.base_lr = o.given ? *o.given : o.fallback;
      float v = static_cast<float>(o.given ? *o.given : o.fallback);
      out.values.push_back(v);
      // Evaluation uses the float32 value the model computes with.
      if (o.loss_field) out.loss.*o.loss_field = v;
      char buf[64];
      std::snprintf(buf, sizeof buf, "%s%s %g", out.describe.empty() ? "" : ", ", o.hyper, v);
      out.describe += buf;
    }
  }
  return out;
}

}  // namespace mlc
