// Tests of the trainer's --profile: per-op times reach the right groups through the C hooks the
// generated step calls, the warm-up step is left out, and the report's figures follow.
#include "train/step_profiler.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "mlc_runtime.h"

namespace mlc {
namespace {

std::vector<ModelMeta::ProfileOp> two_ops() {
  return {{"conv_fwd", 2'000'000'000, 1'000'000}, {"optimizer", 0, 4000}};
}

void run_step(std::chrono::milliseconds conv, std::chrono::milliseconds update, StepProfiler& p) {
  p.step_begin();
  mlc_profile_begin(0);
  std::this_thread::sleep_for(conv);
  mlc_profile_end(0);
  mlc_profile_begin(1);
  std::this_thread::sleep_for(update);
  mlc_profile_end(1);
  p.step_end();
}

// The line of the report that starts with `prefix` (after indentation).
std::string line_of(const std::string& report, const std::string& prefix) {
  std::size_t at = report.find("  " + prefix);
  if (at == std::string::npos) return "";
  return report.substr(at, report.find('\n', at) - at);
}

TEST(StepProfiler, TimesOpsPerGroupAfterTheWarmUpStep) {
  StepProfiler p(two_ops());
  run_step(std::chrono::milliseconds(200), std::chrono::milliseconds(0), p);  // warm-up: not counted
  for (int i = 0; i < 2; ++i) run_step(std::chrono::milliseconds(20), std::chrono::milliseconds(5), p);
  const std::string report = p.report();
  SCOPED_TRACE(report);
  EXPECT_NE(report.find("profile: 2 steps timed"), std::string::npos);
  // About 20 ms of conv_fwd per step (not the warm-up's 200), 2 GFLOP in it: about 100 GFLOP/s.
  double ms = 0, gflops = 0;
  char name[32];
  const std::string conv = line_of(report, "conv_fwd");
  ASSERT_EQ(std::sscanf(conv.c_str(), " %31s %*d %lf %*f%% %*f %lf", name, &ms, &gflops), 3) << conv;
  EXPECT_GE(ms, 19.0);
  EXPECT_LT(ms, 60.0);
  EXPECT_GT(gflops, 2.0 / (60.0e-3));
  EXPECT_LE(gflops, 2.0 / (19.0e-3));
  const std::string update = line_of(report, "optimizer");
  ASSERT_EQ(std::sscanf(update.c_str(), " %31s %*d %lf", name, &ms), 2) << update;
  EXPECT_GE(ms, 4.5);
  EXPECT_LT(ms, 40.0);
  // The slowest op comes first in its table.
  EXPECT_LT(report.find("#0 "), report.find("#1 "));
}

TEST(StepProfiler, ReportsASingleStepWarmUpIncluded) {
  StepProfiler p(two_ops());
  run_step(std::chrono::milliseconds(10), std::chrono::milliseconds(0), p);
  EXPECT_NE(p.report().find("profile: 1 step timed"), std::string::npos) << p.report();
}

TEST(StepProfiler, HooksDoNothingWithoutAProfilerOrForUnknownOps) {
  mlc_profile_begin(0);  // no profiler: returns at once
  mlc_profile_end(0);
  StepProfiler p(two_ops());
  EXPECT_EQ(p.report(), "");  // nothing timed yet
  p.step_begin();
  mlc_profile_begin(7);  // out of range: ignored
  mlc_profile_end(7);
  mlc_profile_begin(-1);
  mlc_profile_end(-1);
  p.step_end();
  EXPECT_NE(p.report().find("profile: 1 step timed"), std::string::npos);
}

}  // namespace
}  // namespace mlc
