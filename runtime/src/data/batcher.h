// Orders a split per epoch (seeded shuffle or file order) and copies batches into preallocated buffers.
#ifndef MLC_RUNTIME_BATCHER_H
#define MLC_RUNTIME_BATCHER_H

#include <cstddef>
#include <cstdint>
#include <vector>

#include "augment/augment.h"
#include "data/dataset.h"

namespace mlc {

// Sets `order` (already sized to n) to the permutation of 0..n-1 used for `epoch` (0-based). It depends
// only on (seed, epoch, n), so any epoch can be reproduced on its own.
void epoch_order(std::vector<std::size_t>& order, std::uint64_t seed, std::uint64_t epoch);

// Sets `order` (sized n) to n draws for `epoch` in which every class of `by_class` (the sample indices
// of each class present) is equally likely and, within it, every sample: seeded oversampling with
// replacement, as torch's WeightedRandomSampler with weights 1 / n_class. Depends only on (seed,
// epoch, by_class).
void balanced_order(std::vector<std::size_t>& order, const std::vector<std::vector<std::size_t>>& by_class,
                    std::uint64_t seed, std::uint64_t epoch);

class Batcher {
 public:
  // `split` must outlive the batcher. Only full batches are served; the remainder is dropped each epoch.
  // `balanced` (--sampler=balanced) draws each epoch with balanced_order; the split needs class labels.
  Batcher(const Split& split, std::size_t batch, bool shuffle, std::uint64_t seed, bool balanced = false);

  std::size_t batches_per_epoch() const { return split_.count / batch_; }
  // Reorders in place; does not allocate.
  void start_epoch(std::uint64_t epoch);
  // Copies batch `index` of the current epoch: batch*pixels values (floats or token ids, as the
  // split holds them) and batch label rows (Split::copy_label); with an augmenter, the images are
  // then augmented with the parameters of (seed, epoch, position in the epoch).
  void fill(std::size_t index, void* input, void* labels) const;
  // --augment: applied to every training batch `fill` copies (null: none). Must outlive the batcher.
  void set_augmenter(Augmenter* augmenter) { augmenter_ = augmenter; }
  const std::vector<std::size_t>& order() const { return order_; }

 private:
  const Split& split_;
  std::size_t batch_;
  bool shuffle_;
  std::uint64_t seed_;
  std::vector<std::size_t> order_;
  std::vector<std::vector<std::size_t>> by_class_;  // balanced sampling: samples per present class
  std::uint64_t epoch_ = 0;
  Augmenter* augmenter_ = nullptr;
};

// Copies samples [first, first+batch) in file order for evaluation. Rows past the end of the split are
// zero-filled (label rows too); returns how many rows are real.
std::size_t fill_eval_batch(const Split& split, std::size_t first, std::size_t batch, void* input,
                            void* labels);

}  // namespace mlc

#endif  // MLC_RUNTIME_BATCHER_H
