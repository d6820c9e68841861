// The --log file: JSON lines, one record per training step and one per epoch.
#ifndef MLC_RUNTIME_JSON_LOG_H
#define MLC_RUNTIME_JSON_LOG_H

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

#include "train/progress.h"

namespace mlc {

// Formats a number with %.9g (round-trips a float); NaN and Inf, which JSON lacks, become null.
void format_json_number(double v, char* buf, std::size_t size);

class JsonLog {
 public:
  JsonLog() = default;  // disabled: every call is a no-op
  // Truncates or creates `path`; throws mlc::Error if it cannot be opened.
  explicit JsonLog(const std::string& path);
  ~JsonLog();
  JsonLog(const JsonLog&) = delete;
  JsonLog& operator=(const JsonLog&) = delete;

  bool enabled() const { return file_ != nullptr; }
  // {"step": N, "epoch": E, "loss": X}
  void step(std::size_t step, std::size_t epoch, double loss);
  // {"epoch": E, "train_loss": X, "test_loss": X, "test_accuracy": X, "seconds": X}; flushes.
  void epoch(const EpochResult& r);
  // Flushes and closes; throws mlc::Error if any write failed (e.g. disk full).
  void close();

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  // Our own stdio buffer: stdio would otherwise malloc one lazily, on the first step record.
  std::vector<char> buffer_;
};

}  // namespace mlc

#endif  // MLC_RUNTIME_JSON_LOG_H
