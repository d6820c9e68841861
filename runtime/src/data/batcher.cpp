// Fisher-Yates shuffling with a seeded SplitMix64 and batch copying; allocation happens only at construction.
#include "data/batcher.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <numeric>

#include "core/error.h"
#include "core/rng.h"

namespace mlc {

void epoch_order(std::vector<std::size_t>& order, std::uint64_t seed, std::uint64_t epoch) {
  std::iota(order.begin(), order.end(), std::size_t(0));
  // Mixing the epoch through the generator keeps nearby (seed, epoch) pairs from giving related streams.
  SplitMix64 rng(SplitMix64(seed).next() ^ SplitMix64(~epoch).next());
  for (std::size_t i = order.size(); i > 1; --i) {
    std::size_t j = static_cast<std::size_t>(rng.below(i));
    std::swap(order[i - 1], order[j]);
  }
}

void balanced_order(std::vector<std::size_t>& order, const std::vector<std::vector<std::size_t>>& by_class,
                    std::uint64_t seed, std::uint64_t epoch) {
  // Its own stream: the draws must not repeat the shuffles of the same (seed, epoch).
  SplitMix64 rng(SplitMix64(seed ^ 0x62616c616e636564ull).next() ^ SplitMix64(~epoch).next());
  for (std::size_t& s : order) {
    const std::vector<std::size_t>& members = by_class[rng.below(by_class.size())];
    s = members[rng.below(members.size())];
  }
}

Batcher::Batcher(const Split& split, std::size_t batch, bool shuffle, std::uint64_t seed, bool balanced)
    : split_(split), batch_(batch), shuffle_(shuffle), seed_(seed), order_(split.count) {
  std::iota(order_.begin(), order_.end(), std::size_t(0));
  if (balanced) {
    if (!split.classification()) throw Error("--sampler=balanced needs class labels in the training data");
    std::map<std::int32_t, std::vector<std::size_t>> members;
    for (std::size_t s = 0; s < split.count; ++s) members[split.labels[s]].push_back(s);
    for (auto& kv : members) by_class_.push_back(std::move(kv.second));
  }
}

void Batcher::start_epoch(std::uint64_t epoch) {
  epoch_ = epoch;
  if (!by_class_.empty()) balanced_order(order_, by_class_, seed_, epoch);
  else if (shuffle_) epoch_order(order_, seed_, epoch);
}

// Floats and token ids are both 4-byte values: a sample is copied as bytes.
static_assert(sizeof(float) == sizeof(std::int32_t), "samples are 4-byte values");
constexpr std::size_t kValueBytes = sizeof(float);

void Batcher::fill(std::size_t index, void* input, void* labels) const {
  const std::size_t row = split_.pixels * kValueBytes;
  const std::size_t label_row = split_.label_values() * kValueBytes;
  for (std::size_t r = 0; r < batch_; ++r) {
    std::size_t s = order_[index * batch_ + r];
    std::memcpy(static_cast<char*>(input) + r * row, split_.sample(s), row);
    split_.copy_label(s, static_cast<char*>(labels) + r * label_row);
  }
  if (augmenter_) augmenter_->apply(static_cast<float*>(input), epoch_, index * batch_);
}

std::size_t fill_eval_batch(const Split& split, std::size_t first, std::size_t batch, void* input,
                            void* labels) {
  const std::size_t valid = first >= split.count ? 0 : std::min(batch, split.count - first);
  const std::size_t row = split.pixels * kValueBytes;
  const std::size_t label_row = split.label_values() * kValueBytes;
  if (valid > 0) std::memcpy(input, split.sample(first), valid * row);
  for (std::size_t r = 0; r < valid; ++r) split.copy_label(first + r, static_cast<char*>(labels) + r * label_row);
  // Zeros rather than stale data: padding rows must not produce NaN/Inf in a model's output.
  std::memset(static_cast<char*>(input) + valid * row, 0, (batch - valid) * row);
  std::memset(static_cast<char*>(labels) + valid * label_row, 0, (batch - valid) * label_row);
  return valid;
}

}  // namespace mlc
