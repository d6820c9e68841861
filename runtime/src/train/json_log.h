// The --log file: JSON lines, one record per training step and one per epoch.
#ifndef MLC_RUNTIME_JSON_LOG_H
#define MLC_RUNTIME_JSON_LOG_H

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
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
  // Continues the log of a resumed run: keeps its first `keep_bytes` bytes (what was logged up to the
  // checkpoint) and appends after them. If the file is missing or shorter, starts a new one.
  JsonLog(const std::string& path, std::uint64_t keep_bytes);
  ~JsonLog();
  JsonLog(const JsonLog&) = delete;
  JsonLog& operator=(const JsonLog&) = delete;

  bool enabled() const { return file_ != nullptr; }
  const std::string& path() const { return path_; }
  // {"step": N, "epoch": E, "loss": X, "lr": X}, plus "momentum": X when the schedule cycles the
  // momentum (one-cycle; NaN: not logged)
  void step(std::size_t step, std::size_t epoch, double loss, double lr, double momentum = NAN);
  // {"epoch": E, <metrics in order>, <details>, "seconds": X}; flushes.
  void epoch(const EpochResult& r);
  // {"<kind>": true, <fields>}: one-off records (the final test evaluation, early stopping); flushes.
  void event(const char* kind, const std::vector<std::pair<std::string, double>>& fields);
  // {"confusion": [[...], ...], "split": "<split>"}: rows are true classes, columns predictions.
  void confusion(const char* split, const std::vector<std::vector<std::size_t>>& matrix);
  // Flushes and returns the bytes written so far (a checkpoint records it to resume the log there).
  std::uint64_t flush();
  // Flushes and closes; throws mlc::Error if any write failed (e.g. disk full).
  void close();

 private:
  void open(const char* mode);
  std::string path_;
  std::FILE* file_ = nullptr;
  // Our own stdio buffer: stdio would otherwise malloc one lazily, on the first step record.
  std::vector<char> buffer_;
};

}  // namespace mlc

#endif  // MLC_RUNTIME_JSON_LOG_H
