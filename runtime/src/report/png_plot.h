// The report's charts rasterized into a PNG image (mlc plot -o curves.png): lines, ticks and 5x7 text.
#ifndef MLC_RUNTIME_REPORT_PNG_PLOT_H
#define MLC_RUNTIME_REPORT_PNG_PLOT_H

#include <string>

#include "report/run_log.h"

namespace mlc {

// The charts of render_charts() stacked vertically below a title, as PNG file bytes (8-bit RGB).
// Each chart keeps the SVG's geometry, so a point is at the same pixel in both.
std::string render_png(const RunLog& log, const std::string& title);

}  // namespace mlc

#endif  // MLC_RUNTIME_REPORT_PNG_PLOT_H
