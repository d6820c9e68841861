// The schedules' closed forms (double precision), matching torch's recursive ones to rounding.
#include "train/lr_schedule.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.h"
#include "train/cli.h"

namespace mlc {
namespace {

constexpr double kPi = 3.14159265358979323846;
// OneCycleLR's defaults.
constexpr double kOneCyclePctStart = 0.3, kOneCycleDiv = 25.0, kOneCycleFinalDiv = 1e4;
constexpr double kBaseMomentum = 0.85, kMaxMomentum = 0.95;
// ReduceLROnPlateau's eps: smaller reductions are ignored.
constexpr double kPlateauEps = 1e-8;

double cos_anneal(double start, double end, double pct) { return end + (start - end) / 2.0 * (std::cos(kPi * pct) + 1.0); }

}  // namespace

ScheduleConfig schedule_config(const Options& o, double base_lr, std::uint64_t total_steps, std::uint64_t steps_per_epoch,
                               bool plateau_maximize) {
  ScheduleConfig c;
  c.name = o.lr_schedule;
  c.base_lr = base_lr;
  c.total_steps = total_steps;
  c.steps_per_epoch = steps_per_epoch;
  c.step_size = o.lr_step;
  c.gamma = o.lr_gamma;
  c.milestones.assign(o.lr_milestones.begin(), o.lr_milestones.end());
  c.min_lr = o.lr_min;
  c.period = o.lr_period;
  c.t_mult = o.lr_t_mult;
  c.warmup_steps = o.warmup_steps;
  c.warmup_start_factor = o.warmup_start_factor;
  c.plateau_patience = o.plateau_patience;
  c.plateau_factor = o.plateau_factor;
  c.plateau_threshold = o.plateau_threshold;
  c.plateau_maximize = plateau_maximize;
  if (c.name == "onecycle" && c.total_steps <= c.warmup_steps + 1) {
    throw Error("--lr-schedule=onecycle needs more than " + std::to_string(c.warmup_steps + 1) + " steps in the run");
  }
  if (c.name == "cosine" && c.period == 0 && c.total_steps <= c.warmup_steps) {
    throw Error("--lr-schedule=cosine: the run has no steps after warm-up (give --lr-period)");
  }
  return c;
}

LrSchedule::LrSchedule(const ScheduleConfig& config)
    : config_(config),
      plateau_lr_(config.base_lr),
      plateau_best_(config.plateau_maximize ? -std::numeric_limits<double>::infinity()
                                            : std::numeric_limits<double>::infinity()) {}

double LrSchedule::lr(std::uint64_t step) const {
  const ScheduleConfig& c = config_;
  if (step < c.warmup_steps) {
    const double f = c.warmup_start_factor + (1.0 - c.warmup_start_factor) * static_cast<double>(step) /
                                                 static_cast<double>(c.warmup_steps);
    return (c.name == "plateau" ? plateau_lr_ : c.base_lr) * f;
  }
  return scheduled(step - c.warmup_steps);
}

double LrSchedule::scheduled(std::uint64_t t) const {
  const ScheduleConfig& c = config_;
  const double b = c.base_lr, td = static_cast<double>(t);
  if (c.name == "step") return b * std::pow(c.gamma, static_cast<double>(t / c.step_size));
  if (c.name == "multistep") {
    const auto passed = std::upper_bound(c.milestones.begin(), c.milestones.end(), t) - c.milestones.begin();
    return b * std::pow(c.gamma, static_cast<double>(passed));
  }
  if (c.name == "exponential") return b * std::pow(c.gamma, td);
  if (c.name == "cosine") {
    const std::uint64_t period = c.period ? c.period : c.total_steps - c.warmup_steps;
    return c.min_lr + (b - c.min_lr) * (1.0 + std::cos(kPi * td / static_cast<double>(period))) / 2.0;
  }
  if (c.name == "cosine-restarts") {
    // CosineAnnealingWarmRestarts: T_i grows by T_mult after each restart. With T_mult 1 the
    // position is a remainder (no loop over periods); otherwise the periods grow geometrically, so
    // the loop is logarithmic, and a period too long for 64 bits is one no step reaches the end of.
    std::uint64_t length = c.period ? c.period : c.steps_per_epoch, cur = t;
    double period = static_cast<double>(length);
    if (c.t_mult == 1) {
      cur = t % length;
    } else {
      while (cur >= length) {
        cur -= length;
        if (length > std::numeric_limits<std::uint64_t>::max() / c.t_mult) {
          period = static_cast<double>(length) * static_cast<double>(c.t_mult);
          length = std::numeric_limits<std::uint64_t>::max();
          break;
        }
        length *= c.t_mult;
        period = static_cast<double>(length);
      }
    }
    return c.min_lr + (b - c.min_lr) * (1.0 + std::cos(kPi * static_cast<double>(cur) / period)) / 2.0;
  }
  if (c.name == "onecycle") {
    const double total = static_cast<double>(c.total_steps - c.warmup_steps);
    const double initial = b / kOneCycleDiv, final_lr = initial / kOneCycleFinalDiv;
    const double up_end = kOneCyclePctStart * total - 1.0, down_end = total - 1.0;
    if (td <= up_end) return cos_anneal(initial, b, td / up_end);
    return cos_anneal(b, final_lr, (td - up_end) / (down_end - up_end));
  }
  if (c.name == "plateau") return plateau_lr_;
  return b;  // constant
}

std::optional<double> LrSchedule::momentum(std::uint64_t step) const {
  const ScheduleConfig& c = config_;
  if (c.name != "onecycle" || step < c.warmup_steps) return std::nullopt;
  const double td = static_cast<double>(step - c.warmup_steps);
  const double total = static_cast<double>(c.total_steps - c.warmup_steps);
  const double up_end = kOneCyclePctStart * total - 1.0, down_end = total - 1.0;
  if (td <= up_end) return cos_anneal(kMaxMomentum, kBaseMomentum, td / up_end);
  return cos_anneal(kBaseMomentum, kMaxMomentum, (td - up_end) / (down_end - up_end));
}

void LrSchedule::end_epoch(double metric) {
  const ScheduleConfig& c = config_;
  if (c.name != "plateau") return;
  // As torch's ReduceLROnPlateau: a NaN metric is no improvement (a bad epoch), and never the best.
  // A first finite value always improves on the infinite start (inf * (1 - threshold) is inf).
  const bool better = !std::isnan(metric) &&
                      (std::isinf(plateau_best_) || (c.plateau_maximize ? metric > plateau_best_ * (1.0 + c.plateau_threshold)
                                                                        : metric < plateau_best_ * (1.0 - c.plateau_threshold)));
  if (better) {
    plateau_best_ = metric;
    plateau_bad_ = 0;
  } else {
    ++plateau_bad_;
  }
  if (plateau_bad_ > c.plateau_patience) {
    const double reduced = std::max(plateau_lr_ * c.plateau_factor, c.min_lr);
    if (plateau_lr_ - reduced > kPlateauEps) plateau_lr_ = reduced;
    plateau_bad_ = 0;
  }
}

void LrSchedule::save(KeyValues& kv) const {
  kv.set_double("schedule.plateau_lr", plateau_lr_);
  kv.set_double("schedule.plateau_best", plateau_best_);
  kv.set_u64("schedule.plateau_bad_epochs", plateau_bad_);
}

void LrSchedule::load(const KeyValues& kv) {
  plateau_lr_ = kv.get_double("schedule.plateau_lr");
  plateau_best_ = kv.get_double("schedule.plateau_best");
  plateau_bad_ = kv.get_u64("schedule.plateau_bad_epochs");
}

}  // namespace mlc
