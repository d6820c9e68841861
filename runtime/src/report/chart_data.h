// The report's charts as data: series, axis ranges and the pixel mapping, shared by the SVG and PNG renderers.
#ifndef MLC_RUNTIME_REPORT_CHART_DATA_H
#define MLC_RUNTIME_REPORT_CHART_DATA_H

#include <cstddef>
#include <string>
#include <vector>

#include "report/run_log.h"

namespace mlc {

// One chart's size and its plot box, in pixels.
constexpr int kChartWidth = 640, kChartHeight = 280;
constexpr int kPlotLeft = 64, kPlotRight = 620, kPlotTop = 34, kPlotBottom = 240;
// Series longer than this are drawn as bucket means.
constexpr std::size_t kMaxChartPoints = 2000;

struct Series {
  std::string name;
  std::vector<double> x, y;  // y may hold NaN (null in the log): such points are not drawn
  std::size_t buckets = 0;   // > 0: each point is the mean of this many records
};

struct ChartData {
  std::string id, title, xlabel;
  double xmin = 0, xmax = 1, ymin = 0, ymax = 1;  // the axes (5% headroom, no negative axis for >= 0 data)
  std::vector<Series> series;

  double px(double x) const { return kPlotLeft + (x - xmin) / (xmax - xmin) * (kPlotRight - kPlotLeft); }
  double py(double y) const { return kPlotBottom - (y - ymin) / (ymax - ymin) * (kPlotBottom - kPlotTop); }
};

// Training loss and learning rate per step, losses and accuracy/F1 per epoch.
std::vector<ChartData> build_charts(const RunLog& log);

// The series colours, in order ("#1f77b4", ...), as RGB.
struct Rgb {
  unsigned char r, g, b;
};
Rgb series_color(std::size_t index);
std::string series_color_hex(std::size_t index);

}  // namespace mlc

#endif  // MLC_RUNTIME_REPORT_CHART_DATA_H
