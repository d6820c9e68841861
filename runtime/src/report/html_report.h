// The run report: SVG charts of a run's log, and the self-contained HTML page (--report) around them.
#ifndef MLC_RUNTIME_REPORT_HTML_REPORT_H
#define MLC_RUNTIME_REPORT_HTML_REPORT_H

#include <string>
#include <utility>
#include <vector>

#include "report/run_log.h"

namespace mlc {

struct ReportInfo {
  std::string title;                                        // e.g. the trainer's name
  std::string status;                                       // "running: epoch 3 of 10", "finished", ...
  std::vector<std::pair<std::string, std::string>> config;  // model and run configuration
};

// One SVG chart per panel (step loss, learning rate, per-epoch losses, per-epoch accuracies), each
// an <svg class="chart"> whose data-xmin/-xmax/-ymin/-ymax and data-box ("left top right bottom" in
// pixels) let a reader map every polyline point back to the logged value. Runs of more than 2000
// steps are drawn as 2000 bucket means (data-buckets on the polyline).
std::vector<std::string> render_charts(const RunLog& log);

// All charts stacked into one standalone SVG document (mlc plot).
std::string render_svg_document(const RunLog& log, const std::string& title);

// The HTML page: inline CSS and SVG only (no script, no network), with the configuration, per-epoch
// table and timings, the charts and the final confusion matrix.
std::string render_html_report(const RunLog& log, const ReportInfo& info);

// Writes `text` to PATH.tmp and renames it over `path` (a reader never sees half a report).
void write_text_atomically(const std::string& path, const std::string& text);

}  // namespace mlc

#endif  // MLC_RUNTIME_REPORT_HTML_REPORT_H
