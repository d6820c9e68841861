// One worker thread, one prepared batch: the main thread hands it an index and later takes the result.
#include "data/batch_prefetcher.h"

#include <cstring>

namespace mlc {

BatchPrefetcher::BatchPrefetcher(const Batcher& batcher, std::size_t input_bytes, std::size_t label_bytes)
    : batcher_(batcher), input_(input_bytes), labels_(label_bytes), worker_([this] { run(); }) {}

BatchPrefetcher::~BatchPrefetcher() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  worker_.join();
}

void BatchPrefetcher::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stop_ || busy_; });
    if (stop_) return;
    const std::size_t index = prepared_;
    lock.unlock();
    std::exception_ptr error;
    try {
      batcher_.fill(index, input_.data(), labels_.data());
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    error_ = error;
    ready_ = !error;
    busy_ = false;
    done_.notify_one();
  }
}

void BatchPrefetcher::wait_idle(std::unique_lock<std::mutex>& lock) {
  done_.wait(lock, [this] { return !busy_; });
  if (error_) {
    std::exception_ptr e = error_;
    error_ = nullptr;
    std::rethrow_exception(e);
  }
}

void BatchPrefetcher::fill(std::size_t index, void* input, void* labels, std::size_t next, std::size_t count) {
  std::unique_lock<std::mutex> lock(mutex_);
  wait_idle(lock);
  if (ready_ && prepared_ == index) {
    std::memcpy(input, input_.data(), input_.size());
    std::memcpy(labels, labels_.data(), labels_.size());
  } else {
    batcher_.fill(index, input, labels);  // nothing prepared for it (the first batch, or a resume)
  }
  ready_ = false;
  if (next < count) {
    prepared_ = next;
    busy_ = true;
    wake_.notify_one();
  }
}

}  // namespace mlc
