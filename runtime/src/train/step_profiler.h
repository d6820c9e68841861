// The trainer's --profile: times each op of a CPU train_step (the compiler brackets them with
// mlc_profile_begin/end) and reports time, share and GFLOP/s per op group and for the slowest ops.
#ifndef MLC_RUNTIME_TRAIN_STEP_PROFILER_H
#define MLC_RUNTIME_TRAIN_STEP_PROFILER_H

#include <cstdint>
#include <string>
#include <vector>

#include "core/model_meta.h"

namespace mlc {

class StepProfiler {
 public:
  // Starts timing the ops of `ops` (the model's profile_op records) from the next step on.
  explicit StepProfiler(std::vector<ModelMeta::ProfileOp> ops);
  ~StepProfiler();
  StepProfiler(const StepProfiler&) = delete;
  StepProfiler& operator=(const StepProfiler&) = delete;

  // Bracket one call of train_step. The first step is a warm-up (first touches of the
  // workspace, thread start-up) and is not counted unless it is the only one.
  void step_begin();
  void step_end();

  // The report: per op group and for the `top` slowest ops, ms per step, share of the step,
  // GFLOP/s and GB/s. Empty when no step was timed.
  std::string report(std::size_t top = 10) const;

  // Called by the generated code, through mlc_profile_begin/end.
  void op_begin(std::int32_t op);
  void op_end(std::int32_t op);

 private:
  std::vector<ModelMeta::ProfileOp> ops_;
  std::vector<std::uint64_t> op_ns_;
  std::vector<std::uint64_t> started_;
  std::uint64_t step_ns_ = 0, step_started_ = 0;
  std::size_t steps_ = 0;
  bool warm_up_pending_ = true;
  std::vector<std::uint64_t> warm_up_op_ns_;  // the first step's, used only if it is the only one
  std::uint64_t warm_up_step_ns_ = 0;
};

}  // namespace mlc

#endif
