/* The names the compiler writes into a model's metadata and the runtime reads back: losses, optimizers,
   targets and hyperparameters. Both sides use these lists, so they cannot drift apart. */
#ifndef MLC_NAMES_H
#define MLC_NAMES_H

#ifdef __cplusplus
namespace mlc::names {

/* The metadata's record keys (one record per line, "key field..."; format in mlc_runtime.h). */
inline constexpr const char* kRecordVersion = "mlc-model";
inline constexpr const char* kRecordTarget = "target";
inline constexpr const char* kRecordBatch = "batch";
inline constexpr const char* kRecordLoss = "loss";
inline constexpr const char* kRecordReduction = "reduction";
inline constexpr const char* kRecordOptimizer = "optimizer";
inline constexpr const char* kRecordInput = "input";
inline constexpr const char* kRecordLabel = "label";
inline constexpr const char* kRecordClassWeights = "class_weights";
inline constexpr const char* kRecordOutput = "output";
inline constexpr const char* kRecordState = "state";
inline constexpr const char* kRecordHyper = "hyper";
inline constexpr const char* kRecordParam = "param";
inline constexpr const char* kRecordBuffer = "buffer";
inline constexpr const char* kRecordParamLayout = "param_layout";
inline constexpr const char* kRecordWorkspace = "workspace";
inline constexpr const char* kRecordProfileOp = "profile_op";

/* `loss` record values, in the runtime's LossKind order. */
inline constexpr const char* kLosses[] = {"cross_entropy", "nll", "mse", "l1", "huber", "smooth_l1", "bce_logits", "bce"};
/* `reduction` record values (absent means mean): how a loss's terms combine over a batch. */
inline constexpr const char* kReductions[] = {"mean", "sum"};
/* `optimizer` record values, in the runtime's OptimizerKind order (mlc compile --optimizer). */
inline constexpr const char* kOptimizers[] = {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"};
/* `target` record values of a trainer (--target=cuda-emulated trainers say cpu: they run on the host). */
inline constexpr const char* kTargets[] = {"cpu", "cuda"};
/* `profile_op` groups (the compiler's mlc::group names): what an op of the step does. */
inline constexpr const char* kOpGroups[] = {"conv_fwd", "conv_bwd_data", "conv_bwd_weights", "windows", "gemm",
                                            "elementwise", "reduction", "layout", "gather", "optimizer", "fill"};
/* `hyper` record names: the scalar runtime arguments of @train_step the runtime knows how to fill. */
inline constexpr const char* kHypers[] = {"lr",    "momentum", "lr_decay", "alpha", "beta1",
                                          "beta2", "epsilon",  "step",     "seed",  "weight_decay",
                                          "delta", "label_smoothing", "l1", "clip_norm", "clip_value"};

/* Index of `name` in `list`, or -1. */
template <typename String, unsigned long N>
constexpr int index_of(const char* const (&list)[N], const String& name) {
  for (unsigned long i = 0; i < N; ++i) {
    if (name == list[i]) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace mlc::names
#endif

#endif /* MLC_NAMES_H */
