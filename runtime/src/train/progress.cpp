// Progress output; everything is formatted into stack buffers so it is safe inside the allocation-free step loop.
#include "train/progress.h"

#include <unistd.h>

#include <cmath>

namespace mlc {

namespace {

// Four decimals as usual, but a runaway loss of 1e30 should not print as thirty digits.
const char* four_places(double v, char (&buf)[32]) {
  std::snprintf(buf, sizeof buf, std::fabs(v) < 1e6 || !std::isfinite(v) ? "%.4f" : "%.4e", v);
  return buf;
}

}  // namespace

double EpochResult::get(const std::string& name) const {
  for (const auto* list : {&metrics, &details}) {
    for (const auto& [k, v] : *list) {
      if (k == name) return v;
    }
  }
  return NAN;
}

std::string format_epoch_summary(const EpochResult& r) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "epoch %zu/%zu", r.epoch, r.epochs);
  std::string line = buf;
  char num[32];
  for (const auto& [name, value] : r.metrics) line += "  " + name + " " + four_places(value, num);
  std::snprintf(buf, sizeof buf, "  %.1fs", r.seconds);
  return line + buf;
}

Progress::Progress(std::FILE* bar_stream, std::FILE* summary_stream)
    : Progress(bar_stream, summary_stream, isatty(fileno(bar_stream)) != 0) {}

Progress::Progress(std::FILE* bar_stream, std::FILE* summary_stream, bool draw_bar)
    : bar_(bar_stream), summary_(summary_stream), draw_bar_(draw_bar) {}

void Progress::begin_epoch(std::size_t epoch, std::size_t epochs, std::size_t steps) {
  epoch_ = epoch;
  epochs_ = epochs;
  steps_ = steps;
  epoch_start_ = std::chrono::steady_clock::now();
  last_draw_ = epoch_start_;
  if (draw_bar_) draw(0, 0.0f);
}

void Progress::step(std::size_t done, float loss) {
  if (!draw_bar_) return;
  auto now = std::chrono::steady_clock::now();
  if (done < steps_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  draw(done, loss);
}

void Progress::draw(std::size_t done, float loss) {
  constexpr int kWidth = 30;
  char bar[kWidth + 1];
  int filled = steps_ ? static_cast<int>(done * kWidth / steps_) : kWidth;
  for (int i = 0; i < kWidth; ++i) bar[i] = i < filled ? '#' : '.';
  bar[kWidth] = '\0';
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start_).count();
  // \r plus erase-to-end-of-line redraws in place without leaving remnants of a longer previous line.
  if (done == 0) {
    std::fprintf(bar_, "\repoch %zu/%zu [%s] %zu/%zu  %.1fs\033[K", epoch_, epochs_, bar, done, steps_, elapsed);
  } else {
    std::fprintf(bar_, "\repoch %zu/%zu [%s] %zu/%zu  loss %.4f  %.1fs\033[K", epoch_, epochs_, bar, done, steps_,
                 loss, elapsed);
  }
  std::fflush(bar_);
  bar_visible_ = true;
}

void Progress::clear() {
  if (!bar_visible_) return;
  std::fputs("\r\033[K", bar_);
  std::fflush(bar_);
  bar_visible_ = false;
}

void Progress::end_epoch(const EpochResult& r) {
  clear();
  std::fprintf(summary_, "%s\n", format_epoch_summary(r).c_str());
  // Flushed so that a redirected run shows each epoch as it finishes, not at exit.
  std::fflush(summary_);
}

}  // namespace mlc
