// JSON-lines writer built on stdio with fixed-size formatting, so step records cost no allocation.
#include "train/json_log.h"

#include <cerrno>
#include <cmath>
#include <cstring>

#include "core/error.h"

namespace mlc {

void format_json_number(double v, char* buf, std::size_t size) {
  if (std::isfinite(v)) std::snprintf(buf, size, "%.9g", v);
  else std::snprintf(buf, size, "null");
}

JsonLog::JsonLog(const std::string& path) : path_(path) {
  file_ = std::fopen(path.c_str(), "w");
  if (file_ == nullptr) throw Error(path + ": cannot open log file: " + std::strerror(errno));
  buffer_.resize(1 << 16);
  std::setvbuf(file_, buffer_.data(), _IOFBF, buffer_.size());
}

JsonLog::~JsonLog() {
  if (file_) std::fclose(file_);
}

void JsonLog::step(std::size_t step, std::size_t epoch, double loss) {
  if (!file_) return;
  char num[32];
  format_json_number(loss, num, sizeof num);
  std::fprintf(file_, "{\"step\": %zu, \"epoch\": %zu, \"loss\": %s}\n", step, epoch, num);
}

void JsonLog::epoch(const EpochResult& r) {
  if (!file_) return;
  char train[32], test[32], acc[32], secs[32];
  format_json_number(r.train_loss, train, sizeof train);
  format_json_number(r.test_loss, test, sizeof test);
  format_json_number(r.test_accuracy, acc, sizeof acc);
  format_json_number(r.seconds, secs, sizeof secs);
  std::fprintf(file_, "{\"epoch\": %zu, \"train_loss\": %s, \"test_loss\": %s, \"test_accuracy\": %s, \"seconds\": %s}\n",
               r.epoch, train, test, acc, secs);
  // Readers may tail the log during long runs; an epoch is the natural point to make it visible.
  std::fflush(file_);
}

void JsonLog::close() {
  if (!file_) return;
  bool failed = std::ferror(file_) != 0;
  failed = (std::fclose(file_) != 0) || failed;
  file_ = nullptr;
  if (failed) throw Error(path_ + ": error writing log file");
}

}  // namespace mlc
