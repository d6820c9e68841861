// SVG is written by hand: a few polylines, ticks and labels need no library, and the page stays one file.
#include "report/html_report.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "core/error.h"
#include "report/chart_data.h"

namespace mlc {
namespace {

constexpr int kWidth = kChartWidth, kHeight = kChartHeight;
constexpr int kLeft = kPlotLeft, kRight = kPlotRight, kTop = kPlotTop, kBottom = kPlotBottom;

std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string svg_chart(const ChartData& c) {
  const std::string& id = c.id;
  const double xmin = c.xmin, xmax = c.xmax, ymin = c.ymin, ymax = c.ymax;
  auto px = [&](double x) { return c.px(x); };
  auto py = [&](double y) { return c.py(y); };
  const std::vector<Series>& series = c.series;
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"" + id + "\" width=\"" +
                    std::to_string(kWidth) + "\" height=\"" + std::to_string(kHeight) + "\" viewBox=\"0 0 " +
                    std::to_string(kWidth) + " " + std::to_string(kHeight) + "\" data-xmin=\"" + fmt("%.17g", xmin) +
                    "\" data-xmax=\"" + fmt("%.17g", xmax) + "\" data-ymin=\"" + fmt("%.17g", ymin) + "\" data-ymax=\"" +
                    fmt("%.17g", ymax) + "\" data-box=\"" + std::to_string(kLeft) + " " + std::to_string(kTop) + " " +
                    std::to_string(kRight) + " " + std::to_string(kBottom) + "\">\n";
  svg += "<rect x=\"0\" y=\"0\" width=\"" + std::to_string(kWidth) + "\" height=\"" + std::to_string(kHeight) +
         "\" fill=\"white\"/>\n";
  svg += "<text x=\"" + std::to_string(kLeft) + "\" y=\"20\" font-family=\"sans-serif\" font-size=\"14\" font-weight=\"bold\">" +
         escape(c.title) + "</text>\n";
  svg += "<rect x=\"" + std::to_string(kLeft) + "\" y=\"" + std::to_string(kTop) + "\" width=\"" +
         std::to_string(kRight - kLeft) + "\" height=\"" + std::to_string(kBottom - kTop) +
         "\" fill=\"none\" stroke=\"#888\"/>\n";
  for (int t = 0; t <= 4; ++t) {
    const double xv = xmin + (xmax - xmin) * t / 4, yv = ymin + (ymax - ymin) * t / 4;
    svg += "<text x=\"" + fmt("%.1f", px(xv)) + "\" y=\"" + std::to_string(kBottom + 16) +
           "\" font-family=\"sans-serif\" font-size=\"11\" text-anchor=\"middle\">" + fmt("%.4g", xv) + "</text>\n";
    svg += "<line x1=\"" + std::to_string(kLeft) + "\" x2=\"" + std::to_string(kRight) + "\" y1=\"" + fmt("%.1f", py(yv)) +
           "\" y2=\"" + fmt("%.1f", py(yv)) + "\" stroke=\"#eee\"/>\n";
    svg += "<text x=\"" + std::to_string(kLeft - 6) + "\" y=\"" + fmt("%.1f", py(yv) + 4) +
           "\" font-family=\"sans-serif\" font-size=\"11\" text-anchor=\"end\">" + fmt("%.4g", yv) + "</text>\n";
  }
  svg += "<text x=\"" + std::to_string((kLeft + kRight) / 2) + "\" y=\"" + std::to_string(kHeight - 6) +
         "\" font-family=\"sans-serif\" font-size=\"12\" text-anchor=\"middle\">" + escape(c.xlabel) + "</text>\n";
  for (std::size_t k = 0; k < series.size(); ++k) {
    const Series& s = series[k];
    const std::string color = series_color_hex(k);
    std::string points;
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      if (!std::isfinite(s.y[i])) continue;  // NaN (null in the log) leaves a gap in no chart: it is skipped
      points += (points.empty() ? "" : " ") + fmt("%.3f", px(s.x[i])) + "," + fmt("%.3f", py(s.y[i]));
    }
    svg += "<polyline class=\"series\" data-name=\"" + escape(s.name) + "\"" +
           (s.buckets ? " data-buckets=\"" + std::to_string(s.buckets) + "\"" : std::string()) +
           " fill=\"none\" stroke=\"" + color + "\" stroke-width=\"1.5\" points=\"" + points + "\"/>\n";
    if (s.x.size() == 1) {  // a single epoch is a point, not a line
      svg += "<circle cx=\"" + fmt("%.3f", px(s.x[0])) + "\" cy=\"" + fmt("%.3f", py(s.y[0])) + "\" r=\"3\" fill=\"" + color + "\"/>\n";
    }
    svg += "<text x=\"" + std::to_string(kRight - 4) + "\" y=\"" + std::to_string(kTop + 14 + 14 * static_cast<int>(k)) +
           "\" font-family=\"sans-serif\" font-size=\"11\" text-anchor=\"end\" fill=\"" + color + "\">" + escape(s.name) +
           "</text>\n";
  }
  return svg + "</svg>\n";
}

}  // namespace

std::vector<std::string> render_charts(const RunLog& log) {
  std::vector<std::string> out;
  for (const ChartData& c : build_charts(log)) out.push_back(svg_chart(c));
  return out;
}

std::string render_svg_document(const RunLog& log, const std::string& title) {
  const std::vector<std::string> charts = render_charts(log);
  const int height = 30 + kHeight * static_cast<int>(charts.size());
  std::string svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                    std::to_string(kWidth) + "\" height=\"" + std::to_string(height) + "\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
                    "<text x=\"10\" y=\"20\" font-family=\"sans-serif\" font-size=\"16\">" + escape(title) + "</text>\n";
  for (std::size_t i = 0; i < charts.size(); ++i) {
    svg += "<g transform=\"translate(0," + std::to_string(30 + kHeight * static_cast<int>(i)) + ")\">\n" + charts[i] + "</g>\n";
  }
  return svg + "</svg>\n";
}

std::string render_html_report(const RunLog& log, const ReportInfo& info) {
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(info.title) +
                  "</title>\n<style>\n"
                  "body{font-family:sans-serif;margin:24px;color:#222;background:#fff}\n"
                  "table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;padding:3px 8px;"
                  "text-align:right}th{background:#f4f4f4}td.k{text-align:left}\n"
                  ".charts{display:flex;flex-wrap:wrap;gap:12px}.status{color:#555}\n"
                  "</style>\n</head>\n<body>\n<h1>" + escape(info.title) + "</h1>\n<p class=\"status\" id=\"status\">" +
                  escape(info.status) + "</p>\n";
  h += "<div class=\"charts\">\n";
  for (const std::string& c : render_charts(log)) h += c;
  h += "</div>\n";

  // Per-epoch table: every logged value, the time last.
  if (!log.epochs.empty()) {
    std::vector<std::string> columns;
    for (const EpochRecord& e : log.epochs) {
      for (const auto& [k, v] : e.values) {
        const bool shown = k == "seconds" || k == "train_loss" || k.find("_loss") != std::string::npos ||
                           k.find("accuracy") != std::string::npos || k.find("_macro") != std::string::npos ||
                           k.find("auc") != std::string::npos;
        if (shown && std::find(columns.begin(), columns.end(), k) == columns.end()) columns.push_back(k);
      }
    }
    h += "<h2>Epochs</h2>\n<table id=\"epochs\"><tr><th>epoch</th>";
    for (const std::string& c : columns) h += "<th>" + escape(c) + "</th>";
    h += "</tr>\n";
    double total = 0;
    for (const EpochRecord& e : log.epochs) {
      h += "<tr><td>" + fmt("%.0f", e.epoch) + "</td>";
      for (const std::string& c : columns) h += "<td>" + fmt("%.4f", e.get(c)) + "</td>";
      h += "</tr>\n";
      if (std::isfinite(e.get("seconds"))) total += e.get("seconds");
    }
    h += "</table>\n<p>Training and evaluation time: " + fmt("%.1f", total) + " s over " +
         std::to_string(log.epochs.size()) + " epochs, " + std::to_string(log.steps.size()) + " steps.</p>\n";
  }
  if (!log.final_values.empty()) {
    // Summary metrics, then one row per class for the per-class ones ("test_f1_3").
    h += "<h2>Test set</h2>\n<table id=\"final\">";
    std::vector<std::string> per_class_names;
    std::size_t classes = 0;
    for (const auto& [k, v] : log.final_values) {
      const std::size_t us = k.find_last_of('_');
      const bool per_class = us != std::string::npos && us + 1 < k.size() &&
                             k.find_first_not_of("0123456789", us + 1) == std::string::npos;
      if (!per_class) {
        h += "<tr><td class=\"k\">" + escape(k) + "</td><td>" + fmt("%.4f", v) + "</td></tr>";
        continue;
      }
      const std::string metric = k.substr(0, us);
      if (std::find(per_class_names.begin(), per_class_names.end(), metric) == per_class_names.end()) per_class_names.push_back(metric);
      classes = std::max<std::size_t>(classes, std::stoul(k.substr(us + 1)) + 1);
    }
    h += "</table>\n";
    if (classes) {
      h += "<table id=\"per-class\"><tr><th>class</th>";
      for (const std::string& m : per_class_names) h += "<th>" + escape(m) + "</th>";
      h += "</tr>\n";
      for (std::size_t c = 0; c < classes; ++c) {
        h += "<tr><td>" + std::to_string(c) + "</td>";
        for (const std::string& m : per_class_names) {
          double v = NAN;
          for (const auto& kv : log.final_values) {
            if (kv.first == m + "_" + std::to_string(c)) v = kv.second;
          }
          h += "<td>" + fmt("%.4f", v) + "</td>";
        }
        h += "</tr>\n";
      }
      h += "</table>\n";
    }
  }
  if (!log.confusion.empty()) {
    double max = 1;
    for (const auto& row : log.confusion) {
      for (double v : row) max = std::max(max, v);
    }
    h += "<h2>Confusion matrix (test; rows: true class, columns: predicted)</h2>\n<table id=\"confusion\"><tr><th></th>";
    for (std::size_t c = 0; c < log.confusion.size(); ++c) h += "<th>" + std::to_string(c) + "</th>";
    h += "</tr>\n";
    for (std::size_t r = 0; r < log.confusion.size(); ++r) {
      h += "<tr><th>" + std::to_string(r) + "</th>";
      for (double v : log.confusion[r]) {
        const int shade = 255 - static_cast<int>(std::lround(160.0 * v / max));
        h += "<td style=\"background:rgb(" + std::to_string(shade) + "," + std::to_string(shade) + ",255)\">" +
             fmt("%.0f", v) + "</td>";
      }
      h += "</tr>\n";
    }
    h += "</table>\n";
  }
  h += "<h2>Configuration</h2>\n<table id=\"config\">";
  for (const auto& [k, v] : info.config) h += "<tr><td class=\"k\">" + escape(k) + "</td><td class=\"k\">" + escape(v) + "</td></tr>";
  h += "</table>\n";
  if (log.skipped_lines) h += "<p>" + std::to_string(log.skipped_lines) + " incomplete log line(s) skipped.</p>\n";
  return h + "</body>\n</html>\n";
}

void write_text_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw Error(path + ": cannot write: " + std::strerror(errno));
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw Error(path + ": error writing");
  }
}

}  // namespace mlc
