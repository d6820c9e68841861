// Learning-rate schedules evaluated at run time, with torch.optim.lr_scheduler's semantics stepped per batch.
#ifndef MLC_RUNTIME_TRAIN_LR_SCHEDULE_H
#define MLC_RUNTIME_TRAIN_LR_SCHEDULE_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "state/key_values.h"

namespace mlc {

struct Options;

struct ScheduleConfig {
  std::string name = "constant";  // constant step multistep exponential cosine cosine-restarts onecycle plateau
  double base_lr = 0.01;
  std::uint64_t total_steps = 0;      // of the whole run (cosine's default period, onecycle's length)
  std::uint64_t steps_per_epoch = 1;  // cosine-restarts' default first period
  std::uint64_t step_size = 0;        // step
  double gamma = 0.1;                 // step, multistep, exponential
  std::vector<std::uint64_t> milestones;
  double min_lr = 0;                  // cosine(-restarts) eta_min, plateau min_lr
  std::uint64_t period = 0;           // cosine T_max / cosine-restarts T_0; 0: the defaults above
  std::uint64_t t_mult = 1;
  std::uint64_t warmup_steps = 0;
  double warmup_start_factor = 1.0 / 3.0;
  std::uint64_t plateau_patience = 10;
  double plateau_factor = 0.1;
  double plateau_threshold = 1e-4;
  bool plateau_maximize = false;      // mode 'max' (accuracy-like metrics) instead of 'min'
};

ScheduleConfig schedule_config(const Options& options, double base_lr, std::uint64_t total_steps,
                               std::uint64_t steps_per_epoch, bool plateau_maximize);

class LrSchedule {
 public:
  explicit LrSchedule(const ScheduleConfig& config);

  // The rate of the training step with 0-based index `step` (step 0 trains with the base rate, or the
  // warm-up's first rate): warm-up (torch's LinearLR over warmup_steps) then the schedule, its own
  // step counted from the end of warm-up (SequentialLR).
  double lr(std::uint64_t step) const;
  // OneCycleLR's cycled momentum (cycle_momentum=True, base 0.85, max 0.95), for the optimizer's
  // momentum or Adam's beta1; nullopt for every other schedule.
  std::optional<double> momentum(std::uint64_t step) const;

  bool steps_per_epoch_metric() const { return config_.name == "plateau"; }
  // ReduceLROnPlateau.step(metric) after an epoch (no-op for other schedules).
  void end_epoch(double metric);

  // The schedule's mutable state (plateau's rate, best, counters) for checkpoints.
  void save(KeyValues& kv) const;
  void load(const KeyValues& kv);

 private:
  double scheduled(std::uint64_t t) const;  // after warm-up, t counted from its end
  ScheduleConfig config_;
  // ReduceLROnPlateau state.
  double plateau_lr_;
  double plateau_best_;
  std::uint64_t plateau_bad_ = 0;
};

}  // namespace mlc

#endif  // MLC_RUNTIME_TRAIN_LR_SCHEDULE_H
