// A tiny deterministic RNG (splitmix64) so shuffles are identical on every platform and standard library.
#ifndef MLC_RUNTIME_RNG_H
#define MLC_RUNTIME_RNG_H

#include <cstdint>

namespace mlc {

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n), n > 0. Rejection sampling: plain `next() % n` would favour small values.
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    std::uint64_t v;
    do v = next();
    while (v >= limit);
    return v % n;
  }

 private:
  std::uint64_t state_;
};

}  // namespace mlc

#endif  // MLC_RUNTIME_RNG_H
