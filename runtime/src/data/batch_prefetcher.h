// Prepares the next training batch on a background thread while the current step runs (used with
// --augment, where preparing a batch is real work: copying and augmenting its images).
#ifndef MLC_RUNTIME_DATA_BATCH_PREFETCHER_H
#define MLC_RUNTIME_DATA_BATCH_PREFETCHER_H

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "data/batcher.h"

namespace mlc {

class BatchPrefetcher {
 public:
  // `batcher` must outlive this; its epoch order must only change between epochs (`fill` of the
  // epoch's last batch starts no background work).
  BatchPrefetcher(const Batcher& batcher, std::size_t input_bytes, std::size_t label_bytes);
  ~BatchPrefetcher();
  BatchPrefetcher(const BatchPrefetcher&) = delete;
  BatchPrefetcher& operator=(const BatchPrefetcher&) = delete;

  // Writes batch `index` of the current epoch into input/labels (exactly what Batcher::fill writes):
  // the copy prepared in the background if it is that batch, else prepared now. Then, if `next` is
  // below `count`, starts preparing batch `next` in the background. Rethrows a background failure.
  void fill(std::size_t index, void* input, void* labels, std::size_t next, std::size_t count);

 private:
  void run();
  void wait_idle(std::unique_lock<std::mutex>& lock);

  const Batcher& batcher_;
  std::vector<unsigned char> input_, labels_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  bool busy_ = false, stop_ = false, ready_ = false;
  std::size_t prepared_ = 0;  // the batch in input_/labels_ when ready_
  std::exception_ptr error_;
  std::thread worker_;
};

}  // namespace mlc

#endif  // MLC_RUNTIME_DATA_BATCH_PREFETCHER_H
