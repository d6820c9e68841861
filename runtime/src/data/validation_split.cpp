// Stratified hold-outs: per-class seeded shuffles, so class proportions match in both parts.
#include "data/validation_split.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "core/error.h"
#include "core/rng.h"

namespace mlc {
namespace {

Split take(const Split& from, const std::vector<std::size_t>& rows) {
  Split out;
  out.count = rows.size();
  out.pixels = from.pixels;
  out.target_size = from.target_size;
  out.target_is_input = from.target_is_input;
  const bool tokens = !from.tokens.empty();
  (tokens ? out.tokens.reserve(rows.size() * from.pixels) : out.images.reserve(rows.size() * from.pixels));
  for (std::size_t r : rows) {
    if (tokens) out.tokens.insert(out.tokens.end(), from.tokens.begin() + r * from.pixels, from.tokens.begin() + (r + 1) * from.pixels);
    else out.images.insert(out.images.end(), from.images.begin() + r * from.pixels, from.images.begin() + (r + 1) * from.pixels);
    if (!from.labels.empty()) out.labels.push_back(from.labels[r]);
    if (!from.targets.empty()) {
      out.targets.insert(out.targets.end(), from.targets.begin() + r * from.target_size,
                         from.targets.begin() + (r + 1) * from.target_size);
    }
  }
  return out;
}

}  // namespace

std::vector<char> stratified_holdout(const std::vector<std::int32_t>& keys, double fraction, std::uint64_t seed,
                                     HoldOut which, const char* flag) {
  std::map<std::int32_t, std::vector<std::size_t>> by_key;
  for (std::size_t i = 0; i < keys.size(); ++i) by_key[keys[i]].push_back(i);
  // A stream of its own: the split must not share draws with the epoch shuffles of the same seed.
  SplitMix64 rng(SplitMix64(seed ^ static_cast<std::uint64_t>(which)).next());
  std::vector<char> held(keys.size(), 0);
  bool any = false;
  for (auto& [key, rows] : by_key) {
    std::size_t n = static_cast<std::size_t>(std::llround(fraction * static_cast<double>(rows.size())));
    if (n == 0 && rows.size() >= 2) n = 1;
    if (n >= rows.size()) n = rows.size() - 1;  // keep every class in training
    for (std::size_t i = rows.size(); i > 1; --i) std::swap(rows[i - 1], rows[rng.below(i)]);
    for (std::size_t i = 0; i < n; ++i) held[rows[i]] = 1;
    any = any || n > 0;
  }
  if (!any) throw Error(std::string(flag) + ": the training set is too small to hold out any sample");
  return held;
}

Split split_holdout(Split& train, double fraction, std::uint64_t seed, HoldOut which) {
  // Regression data (no class labels) is one stratum.
  const std::vector<std::int32_t> keys = train.labels.empty() ? std::vector<std::int32_t>(train.count, 0) : train.labels;
  const std::vector<char> held =
      stratified_holdout(keys, fraction, seed, which, which == HoldOut::Test ? "--test-split" : "--val-split");
  std::vector<std::size_t> keep, hold;
  for (std::size_t i = 0; i < train.count; ++i) (held[i] ? hold : keep).push_back(i);
  Split out = take(train, hold);
  train = take(train, keep);
  return out;
}

}  // namespace mlc
