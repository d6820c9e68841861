// Training-time image augmentation (--augment=crop:4,flip,rotate:10,...): per-sample parameters drawn
// from (seed, epoch, position), applied to a batch by the ahead-of-time Halide pipeline
// (runtime/halide/augment_generator.cpp) or, for tests and benchmarks, by a plain C++ reference.
#ifndef MLC_RUNTIME_AUGMENT_AUGMENT_H
#define MLC_RUNTIME_AUGMENT_AUGMENT_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/model_meta.h"

namespace mlc {

// What --augment asks for; zero/false means off. Transforms apply as torchvision's would in the
// order: geometry (one affine map: crop shift, flips, rotation, translation, shear, zoom, sampled
// bilinearly with zeros outside), then brightness and contrast, then cutout.
struct AugmentSpec {
  int crop = 0;            // crop:P   shift by a uniform integer in [-P, P] per axis (RandomCrop, padding P)
  bool hflip = false;      // flip     mirror left-right with probability 1/2
  bool vflip = false;      // vflip    mirror top-bottom with probability 1/2
  double rotate = 0;       // rotate:D degrees, uniform in [-D, D]
  double translate = 0;    // translate:F shift by a uniform fraction of the size in [-F, F] per axis
  double shear = 0;        // shear:D  x-shear angle in degrees, uniform in [-D, D]
  double zoom = 0;         // zoom:F   scale uniform in [1 - F, 1 + F]
  double brightness = 0;   // brightness:F factor uniform in [1 - F, 1 + F]
  double contrast = 0;     // contrast:F   factor uniform in [1 - F, 1 + F] (blend with the image mean)
  int cutout = 0;          // cutout:S zero a square of side S at a uniform center (clipped at borders)

  bool empty() const;
  std::string describe() const;  // the flag's canonical text
};

// Parses --augment's value; throws mlc::Error naming the flag and the bad item.
AugmentSpec parse_augment(const std::string& text);

struct ImageShape {
  std::size_t channels = 1, height = 0, width = 0;
  std::size_t size() const { return channels * height * width; }
};

// The image geometry of `meta`'s input: [N, C, H, W] or [N, H, W] floats; an mlc::Error otherwise.
ImageShape image_shape_of(const ModelMeta& meta);

constexpr int kAugmentParams = 12;  // per sample, in the Halide pipeline's layout

// Sample `position`'s parameters for `epoch` (out: kAugmentParams floats). Depends only on
// (spec, shape, seed, epoch, position), so resumed runs and other thread counts draw the same.
void sample_augment_params(const AugmentSpec& spec, const ImageShape& shape, std::uint64_t seed, std::uint64_t epoch,
                           std::uint64_t position, float* out);

// out = augment(in) for `n` images of `shape` (NCHW floats), `params` n * kAugmentParams floats.
// `in` and `out` must not overlap. The Halide version throws mlc::Error if the pipeline fails.
void augment_halide(const float* in, float* out, const float* params, std::size_t n, const ImageShape& shape);
void augment_reference(const float* in, float* out, const float* params, std::size_t n, const ImageShape& shape);

// Applies a spec to training batches in place: draws the batch's parameters and runs the Halide
// pipeline; the buffers are allocated once.
class Augmenter {
 public:
  Augmenter(const AugmentSpec& spec, const ImageShape& shape, std::size_t batch, std::uint64_t seed);
  // `batch` holds the batch's images; `first` is the epoch position of its first sample.
  void apply(float* batch, std::uint64_t epoch, std::uint64_t first);

 private:
  AugmentSpec spec_;
  ImageShape shape_;
  std::size_t batch_;
  std::uint64_t seed_;
  std::vector<float> params_, source_;
};

}  // namespace mlc

#endif  // MLC_RUNTIME_AUGMENT_AUGMENT_H
