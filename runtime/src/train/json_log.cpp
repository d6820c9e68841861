// JSON-lines writer built on stdio with fixed-size formatting, so step records cost no allocation.
#include "train/json_log.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>

#include "core/error.h"

namespace mlc {

void format_json_number(double v, char* buf, std::size_t size) {
  if (std::isfinite(v)) std::snprintf(buf, size, "%.9g", v);
  else std::snprintf(buf, size, "null");
}

void JsonLog::open(const char* mode) {
  file_ = std::fopen(path_.c_str(), mode);
  if (file_ == nullptr) throw Error(path_ + ": cannot open log file: " + std::strerror(errno));
  buffer_.resize(1 << 16);
  std::setvbuf(file_, buffer_.data(), _IOFBF, buffer_.size());
}

JsonLog::JsonLog(const std::string& path) : path_(path) { open("w"); }

JsonLog::JsonLog(const std::string& path, std::uint64_t keep_bytes) : path_(path) {
  struct stat st;
  if (keep_bytes == 0 || ::stat(path.c_str(), &st) != 0 || static_cast<std::uint64_t>(st.st_size) < keep_bytes) {
    open("w");
    return;
  }
  // Records after the checkpoint (a run killed later) are dropped: the resumed run writes them again.
  if (::truncate(path.c_str(), static_cast<off_t>(keep_bytes)) != 0) {
    throw Error(path + ": cannot truncate log file: " + std::strerror(errno));
  }
  open("a");
  std::fseek(file_, 0, SEEK_END);  // so flush() reports offsets from the start of the file
}

JsonLog::~JsonLog() {
  if (file_) std::fclose(file_);
}

void JsonLog::step(std::size_t step, std::size_t epoch, double loss, double lr, double momentum) {
  if (!file_) return;
  char num[32], rate[32];
  format_json_number(loss, num, sizeof num);
  format_json_number(lr, rate, sizeof rate);
  std::fprintf(file_, "{\"step\": %zu, \"epoch\": %zu, \"loss\": %s, \"lr\": %s", step, epoch, num, rate);
  if (!std::isnan(momentum)) {
    format_json_number(momentum, num, sizeof num);
    std::fprintf(file_, ", \"momentum\": %s", num);
  }
  std::fprintf(file_, "}\n");
}

void JsonLog::epoch(const EpochResult& r) {
  if (!file_) return;
  char num[32];
  std::fprintf(file_, "{\"epoch\": %zu", r.epoch);
  for (const auto* list : {&r.metrics, &r.details}) {
    for (const auto& [name, value] : *list) {
      format_json_number(value, num, sizeof num);
      std::fprintf(file_, ", \"%s\": %s", name.c_str(), num);
    }
  }
  format_json_number(r.seconds, num, sizeof num);
  std::fprintf(file_, ", \"seconds\": %s}\n", num);
  // Readers may tail the log during long runs; an epoch is the natural point to make it visible.
  std::fflush(file_);
}

void JsonLog::event(const char* kind, const std::vector<std::pair<std::string, double>>& fields) {
  if (!file_) return;
  char num[32];
  std::fprintf(file_, "{\"%s\": true", kind);
  for (const auto& [name, value] : fields) {
    format_json_number(value, num, sizeof num);
    std::fprintf(file_, ", \"%s\": %s", name.c_str(), num);
  }
  std::fprintf(file_, "}\n");
  std::fflush(file_);
}

void JsonLog::confusion(const char* split, const std::vector<std::vector<std::size_t>>& matrix) {
  if (!file_) return;
  std::fprintf(file_, "{\"confusion\": [");
  for (std::size_t i = 0; i < matrix.size(); ++i) {
    std::fprintf(file_, "%s[", i ? ", " : "");
    for (std::size_t j = 0; j < matrix[i].size(); ++j) std::fprintf(file_, "%s%zu", j ? ", " : "", matrix[i][j]);
    std::fprintf(file_, "]");
  }
  std::fprintf(file_, "], \"split\": \"%s\"}\n", split);
  std::fflush(file_);
}

std::uint64_t JsonLog::flush() {
  if (!file_) return 0;
  std::fflush(file_);
  // Durable before a checkpoint (itself fsynced) records this length: after a crash the log is at
  // least as long as any checkpoint says.
  ::fsync(::fileno(file_));
  const long pos = std::ftell(file_);
  return pos < 0 ? 0 : static_cast<std::uint64_t>(pos);
}

void JsonLog::close() {
  if (!file_) return;
  bool failed = std::ferror(file_) != 0;
  failed = (std::fclose(file_) != 0) || failed;
  file_ = nullptr;
  if (failed) throw Error(path_ + ": error writing log file");
}

}  // namespace mlc
