// Which series each chart shows, and the axis ranges that fit them.
#include "report/chart_data.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mlc {
namespace {

const Rgb kColors[] = {{0x1f, 0x77, 0xb4}, {0xd6, 0x27, 0x28}, {0x2c, 0xa0, 0x2c},
                       {0xff, 0x7f, 0x0e}, {0x94, 0x67, 0xbd}, {0x8c, 0x56, 0x4b}};

Series downsampled(Series s) {
  if (s.x.size() <= kMaxChartPoints) return s;
  const std::size_t per = (s.x.size() + kMaxChartPoints - 1) / kMaxChartPoints;
  Series out{s.name, {}, {}, per};
  for (std::size_t i = 0; i < s.x.size(); i += per) {
    double sx = 0, sy = 0;
    std::size_t n = 0;
    for (std::size_t j = i; j < std::min(i + per, s.x.size()); ++j, ++n) sx += s.x[j], sy += s.y[j];
    out.x.push_back(sx / static_cast<double>(n));
    out.y.push_back(sy / static_cast<double>(n));
  }
  return out;
}

ChartData chart(const std::string& id, const std::string& title, const std::string& xlabel, std::vector<Series> series) {
  ChartData c{id, title, xlabel, INFINITY, -INFINITY, INFINITY, -INFINITY, {}};
  for (Series& s : series) {
    s = downsampled(std::move(s));
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      if (!std::isfinite(s.y[i])) continue;
      c.xmin = std::min(c.xmin, s.x[i]), c.xmax = std::max(c.xmax, s.x[i]);
      c.ymin = std::min(c.ymin, s.y[i]), c.ymax = std::max(c.ymax, s.y[i]);
    }
  }
  if (!std::isfinite(c.xmin)) c.xmin = 0, c.xmax = 1, c.ymin = 0, c.ymax = 1;
  if (c.xmax == c.xmin) c.xmin -= 1, c.xmax += 1;
  if (c.ymax == c.ymin) c.ymin -= 1, c.ymax += 1;
  const double pad = (c.ymax - c.ymin) * 0.05;
  c.ymin = c.ymin >= 0 && c.ymin - pad < 0 ? 0.0 : c.ymin - pad;  // rates and losses: no axis below zero
  c.ymax += pad;
  c.series = std::move(series);
  return c;
}

Series step_series(const RunLog& log, const std::string& name, double StepRecord::*field) {
  Series s{name, {}, {}, 0};
  for (const StepRecord& r : log.steps) {
    s.x.push_back(r.step);
    s.y.push_back(r.*field);
  }
  return s;
}

// Per-epoch series of the named metrics the log has.
std::vector<Series> epoch_series(const RunLog& log, const std::vector<std::string>& names) {
  std::vector<Series> out;
  for (const std::string& name : names) {
    Series s{name, {}, {}, 0};
    for (const EpochRecord& e : log.epochs) {
      const double v = e.get(name);
      if (std::isnan(v)) continue;
      s.x.push_back(e.epoch);
      s.y.push_back(v);
    }
    if (!s.x.empty()) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

std::vector<ChartData> build_charts(const RunLog& log) {
  return {
      chart("step-loss", "Training loss per step", "step", {step_series(log, "loss", &StepRecord::loss)}),
      chart("step-lr", "Learning rate per step", "step", {step_series(log, "lr", &StepRecord::lr)}),
      chart("epoch-loss", "Loss per epoch", "epoch", epoch_series(log, {"train_loss", "val_loss", "test_loss"})),
      chart("epoch-accuracy", "Accuracy and F1 per epoch", "epoch",
            epoch_series(log, {"val_accuracy", "test_accuracy", "val_f1_macro", "test_f1_macro"})),
  };
}

Rgb series_color(std::size_t index) { return kColors[index % (sizeof kColors / sizeof kColors[0])]; }

std::string series_color_hex(std::size_t index) {
  const Rgb c = series_color(index);
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
  return buf;
}

}  // namespace mlc
