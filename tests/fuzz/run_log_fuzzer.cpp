// libFuzzer target: arbitrary text through the JSON-lines log reader and the report renderer
// (mlc plot, --report). Only mlc::Error may come out.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "report/html_report.h"
#include "report/png_plot.h"
#include "report/run_log.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    mlc::RunLog log = mlc::parse_run_log(std::string(reinterpret_cast<const char*>(data), size), "fuzz");
    mlc::render_html_report(log, mlc::ReportInfo{"fuzz", "", {}});
    mlc::render_svg_document(log, "fuzz");
    mlc::render_png(log, "fuzz");
  } catch (const mlc::Error&) {
  }
  return 0;
}
