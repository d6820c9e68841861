// Edge cases of the schedules that the torch parity test (tests/e2e/lr_schedule_parity.py) cannot
// reach: cosine restarts far into a run, periods beyond 64 bits, and NaN metrics for plateau.
#include "train/lr_schedule.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>

namespace mlc {
namespace {

TEST(LrSchedule, CosineRestartsAtAnyStepInConstantTime) {
  ScheduleConfig c;
  c.name = "cosine-restarts";
  c.base_lr = 1.0;
  c.period = 7;
  LrSchedule s(c);
  const auto start = std::chrono::steady_clock::now();
  const std::uint64_t far = 1000000000000ull + 3;  // 10^12 + 3: position 3 of its period (10^12 = 7k + 5)
  const double lr = s.lr(far);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 0.01);
  const double pi = 3.14159265358979323846;
  EXPECT_DOUBLE_EQ(lr, (1 + std::cos(pi * static_cast<double>(far % 7) / 7)) / 2);
  // Growing periods whose next length would not fit 64 bits stay finite and in range.
  c.period = 1;
  c.t_mult = 1000;
  LrSchedule g(c);
  for (std::uint64_t t : {std::uint64_t(0), std::uint64_t(1), std::uint64_t(1001), std::numeric_limits<std::uint64_t>::max() - 1}) {
    const double v = g.lr(t);
    EXPECT_TRUE(v >= 0 && v <= 1) << t << " -> " << v;
  }
}

TEST(LrSchedule, PlateauCountsNaNAsABadEpochAndNeverAsTheBest) {
  ScheduleConfig c;
  c.name = "plateau";
  c.base_lr = 1.0;
  c.plateau_patience = 1;
  c.plateau_factor = 0.5;
  LrSchedule s(c);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  s.end_epoch(nan);  // bad epoch 1 (torch: NaN is never better)
  EXPECT_EQ(s.lr(0), 1.0);
  s.end_epoch(nan);  // bad epoch 2 > patience 1: reduce
  EXPECT_EQ(s.lr(0), 0.5);
  s.end_epoch(3.0);  // the first number becomes the best
  s.end_epoch(2.0);  // improves
  s.end_epoch(nan);
  EXPECT_EQ(s.lr(0), 0.5);
  s.end_epoch(nan);
  EXPECT_EQ(s.lr(0), 0.25);
}

}  // namespace
}  // namespace mlc
