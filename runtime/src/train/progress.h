// Human-readable progress: a live bar on a terminal (stderr) and one summary line per epoch (stdout).
#ifndef MLC_RUNTIME_PROGRESS_H
#define MLC_RUNTIME_PROGRESS_H

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace mlc {

struct EpochResult {
  std::size_t epoch = 0;  // 1-based
  std::size_t epochs = 0;
  // In print order: train_loss, then val_* and/or test_* metrics.
  std::vector<std::pair<std::string, double>> metrics;
  // Logged but not printed (the metrics --metrics did not pick).
  std::vector<std::pair<std::string, double>> details;
  double seconds = 0;

  // The value of a metric (printed or not), NaN if absent.
  double get(const std::string& name) const;
};

// "epoch 1/5  train_loss 0.5123  test_loss 0.4567  test_accuracy 0.8412  12.3s"
std::string format_epoch_summary(const EpochResult& r);

class Progress {
 public:
  // The bar is drawn only if `bar_stream` is a terminal, so logs redirected to files stay clean.
  explicit Progress(std::FILE* bar_stream = stderr, std::FILE* summary_stream = stdout);
  Progress(std::FILE* bar_stream, std::FILE* summary_stream, bool draw_bar);

  void begin_epoch(std::size_t epoch, std::size_t epochs, std::size_t steps);
  // Called after every step; redraws at most ~10 times a second and never allocates.
  void step(std::size_t done, float loss);
  // Clears the bar and prints the summary line (always, terminal or not).
  void end_epoch(const EpochResult& r);
  // Removes the bar (if shown) so a following message starts on a clean line.
  void clear();

 private:
  void draw(std::size_t done, float loss);

  std::FILE* bar_;
  std::FILE* summary_;
  bool draw_bar_;
  bool bar_visible_ = false;
  std::size_t epoch_ = 0, epochs_ = 0, steps_ = 0;
  std::chrono::steady_clock::time_point epoch_start_, last_draw_;
};

}  // namespace mlc

#endif  // MLC_RUNTIME_PROGRESS_H
