// `mlc plot run.jsonl -o curves.svg|png|html`: the charts of a finished (or running) trainer's log as one SVG.
#include "tools/mlc/Plot.h"

#include <cstdio>
#include <string>

#include "core/error.h"
#include "report/html_report.h"
#include "report/png_plot.h"
#include "report/run_log.h"

int mlc::runPlot(int argc, char **argv) {
  std::string log, out, title;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-o" && i + 1 < argc) {
      out = argv[++i];
    } else if (a.rfind("-o", 0) == 0 && a.size() > 2) {
      out = a.substr(2);
    } else if (a.rfind("--title=", 0) == 0) {
      title = a.substr(8);
    } else if (a == "--help" || a == "-h") {
      std::printf("usage: mlc plot RUN.jsonl -o CURVES.svg|CURVES.png|CURVES.html [--title=TEXT]\n"
                  "Draws a trainer's --log: loss and learning rate per step, losses and accuracies per epoch\n"
                  "(.html: the report page of --report, without the run's configuration).\n");
      return 0;
    } else if (!a.empty() && a[0] != '-' && log.empty()) {
      log = a;
    } else {
      std::fprintf(stderr, "mlc: error: plot: unexpected argument '%s' (usage: mlc plot RUN.jsonl -o CURVES.svg)\n", a.c_str());
      return 1;
    }
  }
  if (log.empty() || out.empty()) {
    std::fprintf(stderr, "mlc: error: plot: needs a log and -o OUT (usage: mlc plot RUN.jsonl -o CURVES.svg)\n");
    return 1;
  }
  const bool html = out.size() > 5 && out.compare(out.size() - 5, 5, ".html") == 0;
  const bool svg = out.size() > 4 && out.compare(out.size() - 4, 4, ".svg") == 0;
  const bool png = out.size() > 4 && out.compare(out.size() - 4, 4, ".png") == 0;
  if (!html && !svg && !png) {
    std::fprintf(stderr, "mlc: error: plot: %s: the output must end in .svg, .png or .html\n", out.c_str());
    return 1;
  }
  if (out == log) {
    std::fprintf(stderr, "mlc: error: plot: -o %s would overwrite the log\n", out.c_str());
    return 1;
  }
  try {
    RunLog run = read_run_log(log);
    if (run.steps.empty() && run.epochs.empty()) throw Error(log + ": no step or epoch records (is it a trainer's --log?)");
    if (title.empty()) title = log;
    write_text_atomically(out, html  ? render_html_report(run, ReportInfo{title, "from " + log, {}})
                               : png ? render_png(run, title)
                                     : render_svg_document(run, title));
    std::printf("%s: %zu steps, %zu epochs\n", out.c_str(), run.steps.size(), run.epochs.size());
    return 0;
  } catch (const Error &e) {
    std::fprintf(stderr, "mlc: error: plot: %s\n", e.what());
  } catch (const std::exception &e) {
    std::fprintf(stderr, "mlc: error: plot: internal: %s\n", e.what());
  }
  return 1;
}
