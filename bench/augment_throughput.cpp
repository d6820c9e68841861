// Augmentation throughput: the ahead-of-time Halide pipeline against the plain C++ reference on the
// same batches and parameters (Fashion-MNIST-sized images unless told otherwise), same process.
// Usage: augment_bench [--spec=crop:2,flip] [--batch=64] [--height=28] [--width=28] [--channels=1]
//                      [--seconds=2]
// Prints: augment SPEC, batch B of CxHxW: halide X images/s, reference Y images/s, speedup Z.ZZx
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "augment/augment.h"
#include "core/error.h"
#include "core/rng.h"

namespace {

template <typename F>
double images_per_second(F run, std::size_t batch, double seconds) {
  run();  // warm-up (Halide's thread pool, caches)
  const auto start = std::chrono::steady_clock::now();
  std::size_t batches = 0;
  double elapsed = 0;
  do {
    run();
    ++batches;
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  } while (elapsed < seconds);
  return static_cast<double>(batches * batch) / elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  std::string spec_text = "crop:2,flip";
  std::size_t batch = 64;
  mlc::ImageShape shape{1, 28, 28};
  double seconds = 2;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](const char* name) -> const char* {
      const std::size_t n = std::strlen(name);
      return a.compare(0, n, name) == 0 ? a.c_str() + n : nullptr;
    };
    if (const char* v = value("--spec=")) spec_text = v;
    else if (const char* v = value("--batch=")) batch = std::strtoul(v, nullptr, 10);
    else if (const char* v = value("--height=")) shape.height = std::strtoul(v, nullptr, 10);
    else if (const char* v = value("--width=")) shape.width = std::strtoul(v, nullptr, 10);
    else if (const char* v = value("--channels=")) shape.channels = std::strtoul(v, nullptr, 10);
    else if (const char* v = value("--seconds=")) seconds = std::strtod(v, nullptr);
    else {
      std::fprintf(stderr, "augment_bench: unknown argument '%s'\n", argv[i]);
      return 1;
    }
  }
  try {
    const mlc::AugmentSpec spec = mlc::parse_augment(spec_text);
    std::vector<float> in(batch * shape.size()), out(in.size()), params(batch * mlc::kAugmentParams);
    mlc::SplitMix64 rng(1);
    for (float& v : in) v = static_cast<float>(rng.next() >> 40) / static_cast<float>(1 << 24);
    std::uint64_t epoch = 0;
    // Both include drawing the parameters, as a training run does per batch.
    auto draw = [&] {
      ++epoch;
      for (std::size_t i = 0; i < batch; ++i) {
        mlc::sample_augment_params(spec, shape, 0, epoch, i, params.data() + i * mlc::kAugmentParams);
      }
    };
    const double halide = images_per_second([&] { draw(); mlc::augment_halide(in.data(), out.data(), params.data(), batch, shape); },
                                            batch, seconds);
    const double reference = images_per_second(
        [&] { draw(); mlc::augment_reference(in.data(), out.data(), params.data(), batch, shape); }, batch, seconds);
    std::printf("augment %s, batch %zu of %zux%zux%zu: halide %.0f images/s, reference %.0f images/s, speedup %.2fx\n",
                spec.describe().c_str(), batch, shape.channels, shape.height, shape.width, halide, reference,
                halide / reference);
  } catch (const mlc::Error& e) {
    std::fprintf(stderr, "augment_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
