// Per-op timing of a CPU train_step (see step_profiler.h).
#include "train/step_profiler.h"

#include <algorithm>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <map>

#include "mlc_names.h"
#include "mlc_runtime.h"

namespace mlc {
namespace {

// The profiler the generated code reports to; null when --profile is off.
StepProfiler* active = nullptr;

std::uint64_t now_ns() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
          .count());
}

std::string line(const char* format, ...) __attribute__((format(printf, 1, 2)));
std::string line(const char* format, ...) {
  char buf[256];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buf, sizeof buf, format, args);
  va_end(args);
  return std::string(buf) + "\n";
}

}  // namespace

StepProfiler::StepProfiler(std::vector<ModelMeta::ProfileOp> ops)
    : ops_(std::move(ops)), op_ns_(ops_.size(), 0), started_(ops_.size(), 0) {
  active = this;
}

StepProfiler::~StepProfiler() {
  if (active == this) active = nullptr;
}

void StepProfiler::step_begin() { step_started_ = now_ns(); }

void StepProfiler::step_end() {
  const std::uint64_t elapsed = now_ns() - step_started_;
  if (warm_up_pending_) {
    warm_up_pending_ = false;
    warm_up_op_ns_.swap(op_ns_);
    op_ns_.assign(ops_.size(), 0);
    warm_up_step_ns_ = elapsed;
    return;
  }
  step_ns_ += elapsed;
  ++steps_;
}

void StepProfiler::op_begin(std::int32_t op) {
  if (op >= 0 && static_cast<std::size_t>(op) < ops_.size()) started_[op] = now_ns();
}

void StepProfiler::op_end(std::int32_t op) {
  if (op >= 0 && static_cast<std::size_t>(op) < ops_.size()) op_ns_[op] += now_ns() - started_[op];
}

std::string StepProfiler::report(std::size_t top) const {
  std::size_t steps = steps_;
  const std::vector<std::uint64_t>* ns = &op_ns_;
  std::uint64_t step_ns = step_ns_;
  if (steps == 0 && !warm_up_pending_) {  // one step only: report it, warm-up included
    steps = 1;
    ns = &warm_up_op_ns_;
    step_ns = warm_up_step_ns_;
  }
  if (steps == 0) return "";
  const double per_step_ms = static_cast<double>(step_ns) / 1e6 / static_cast<double>(steps);
  auto ms_of = [&](std::uint64_t t) { return static_cast<double>(t) / 1e6 / static_cast<double>(steps); };
  auto rate = [](double units, double ms) { return ms > 0 ? units / (ms * 1e6) : 0.0; };  // G per second

  struct Totals {
    std::uint64_t ns = 0, flops = 0, bytes = 0;
    std::size_t ops = 0;
  };
  std::map<std::string, Totals> groups;
  Totals all;
  for (std::size_t i = 0; i < ops_.size(); ++i) {
    Totals& g = groups[ops_[i].group];
    for (Totals* t : {&g, &all}) {
      t->ns += (*ns)[i];
      t->flops += ops_[i].flops;
      t->bytes += ops_[i].bytes;
      ++t->ops;
    }
  }
  std::string out = line("profile: %zu step%s timed, %.2f ms/step; the step's %zu ops %.2f ms (%.1f%%), %.3f GFLOP/step, "
                         "%.1f GFLOP/s",
                         steps, steps == 1 ? "" : "s", per_step_ms, all.ops, ms_of(all.ns),
                         per_step_ms > 0 ? 100.0 * ms_of(all.ns) / per_step_ms : 0.0,
                         static_cast<double>(all.flops) / 1e9, rate(static_cast<double>(all.flops), per_step_ms));
  out += line("  %-18s %5s %10s %7s %11s %9s %8s", "group", "ops", "ms/step", "share", "GFLOP/step", "GFLOP/s", "GB/s");
  std::vector<std::pair<std::string, Totals>> sorted(groups.begin(), groups.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second.ns > b.second.ns; });
  for (const auto& [name, t] : sorted) {
    const double ms = ms_of(t.ns);
    out += line("  %-18s %5zu %10.3f %6.1f%% %11.4f %9.1f %8.1f", name.c_str(), t.ops, ms,
                per_step_ms > 0 ? 100.0 * ms / per_step_ms : 0.0, static_cast<double>(t.flops) / 1e9,
                rate(static_cast<double>(t.flops), ms), rate(static_cast<double>(t.bytes), ms));
  }
  std::vector<std::size_t> order(ops_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return (*ns)[a] > (*ns)[b]; });
  order.resize(std::min(top, order.size()));
  out += line("  slowest ops:");
  out += line("  %-6s %-18s %10s %7s %11s %9s %8s", "op", "group", "ms/step", "share", "GFLOP/step", "GFLOP/s", "GB/s");
  for (std::size_t i : order) {
    const double ms = ms_of((*ns)[i]);
    out += line("  #%-5zu %-18s %10.3f %6.1f%% %11.4f %9.1f %8.1f", i, ops_[i].group.c_str(), ms,
                per_step_ms > 0 ? 100.0 * ms / per_step_ms : 0.0, static_cast<double>(ops_[i].flops) / 1e9,
                rate(static_cast<double>(ops_[i].flops), ms), rate(static_cast<double>(ops_[i].bytes), ms));
  }
  return out;
}

}  // namespace mlc

extern "C" void mlc_profile_begin(int32_t op) {
  if (mlc::active) mlc::active->op_begin(op);
}

extern "C" void mlc_profile_end(int32_t op) {
  if (mlc::active) mlc::active->op_end(op);
}
