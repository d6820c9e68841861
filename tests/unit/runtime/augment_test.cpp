// Tests of the augmentation: the Halide pipeline against the plain C++ reference for every transform
// on fixed seeds, exact integer shifts and flips, the distribution of the sampled parameters, the
// seeding, and --augment's parser.
#include "augment/augment.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/rng.h"
#include "test_util.h"

namespace mlc {
namespace {

std::vector<float> random_images(std::size_t n, const ImageShape& shape, std::uint64_t seed) {
  SplitMix64 rng(seed);
  std::vector<float> v(n * shape.size());
  for (float& x : v) x = static_cast<float>(rng.next() >> 40) / static_cast<float>(1 << 24);
  return v;
}

// Runs both implementations on 8 images with the parameters of positions 0..7 of epoch 3.
double worst_difference(const AugmentSpec& spec, const ImageShape& shape) {
  const std::size_t n = 8;
  const std::vector<float> in = random_images(n, shape, 11);
  std::vector<float> params(n * kAugmentParams), a(in.size()), b(in.size());
  for (std::size_t i = 0; i < n; ++i) sample_augment_params(spec, shape, 5, 3, i, params.data() + i * kAugmentParams);
  augment_halide(in.data(), a.data(), params.data(), n, shape);
  augment_reference(in.data(), b.data(), params.data(), n, shape);
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, static_cast<double>(std::fabs(a[i] - b[i])));
  return worst;
}

TEST(Augment, HalideMatchesTheReferenceForEveryTransform) {
  const ImageShape mnist{1, 28, 28}, rgb{3, 13, 17};
  for (const char* text : {"crop:4", "flip", "vflip", "rotate:30", "translate:0.2", "shear:15", "zoom:0.3",
                           "brightness:0.4", "contrast:0.5", "cutout:9",
                           "crop:2,flip,vflip,rotate:10,translate:0.1,shear:5,zoom:0.1,brightness:0.2,contrast:0.2,cutout:6"}) {
    SCOPED_TRACE(text);
    const AugmentSpec spec = parse_augment(text);
    EXPECT_LT(worst_difference(spec, mnist), 1e-5);
    EXPECT_LT(worst_difference(spec, rgb), 1e-5);
  }
}

TEST(Augment, IntegerShiftsAndFlipsCopyPixelsExactly) {
  const ImageShape shape{2, 9, 11};
  const AugmentSpec spec = parse_augment("crop:3,flip,vflip");
  const std::vector<float> in = random_images(1, shape, 2);
  for (std::uint64_t position = 0; position < 20; ++position) {
    float p[kAugmentParams];
    sample_augment_params(spec, shape, 1, 0, position, p);
    std::vector<float> out(in.size());
    augment_halide(in.data(), out.data(), p, 1, shape);
    // The map is x -> a00 x + a02' with a00 = +-1 and an integer offset: every pixel a copy or 0.
    for (std::size_t c = 0; c < shape.channels; ++c) {
      for (std::size_t y = 0; y < shape.height; ++y) {
        for (std::size_t x = 0; x < shape.width; ++x) {
          const long sx = std::lround(p[0] * (x + 0.5) + p[2] - 0.5), sy = std::lround(p[4] * (y + 0.5) + p[5] - 0.5);
          const bool inside = sx >= 0 && sy >= 0 && sx < static_cast<long>(shape.width) && sy < static_cast<long>(shape.height);
          const float want = inside ? in[(c * shape.height + sy) * shape.width + sx] : 0.0f;
          ASSERT_EQ(out[(c * shape.height + y) * shape.width + x], want);
        }
      }
    }
  }
}

TEST(Augment, ParametersFollowTheirDistributionsAndTheSeed) {
  const ImageShape shape{1, 28, 28};
  const AugmentSpec spec = parse_augment("crop:2,flip,rotate:10,brightness:0.2,cutout:8");
  const int n = 20000;
  int flips = 0;
  std::vector<int> shifts(5, 0);
  double angle_sum = 0, angle_max = 0, bright_min = 2, bright_max = 0;
  int cut_area_ok = 0;
  for (int i = 0; i < n; ++i) {
    float p[kAugmentParams];
    sample_augment_params(spec, shape, 7, 1, static_cast<std::uint64_t>(i), p);
    // Flip: the determinant's sign; rotation: the angle of the flip-free matrix.
    const double det = static_cast<double>(p[0]) * p[4] - static_cast<double>(p[1]) * p[3];
    const bool flipped = det < 0;
    flips += flipped;
    const double angle = std::atan2(flipped ? p[3] : -p[3], flipped ? -p[0] : p[0]) * 180 / 3.14159265358979323846;
    angle_sum += angle;
    angle_max = std::max(angle_max, std::fabs(angle));
    bright_min = std::min(bright_min, static_cast<double>(p[6]));
    bright_max = std::max(bright_max, static_cast<double>(p[6]));
    cut_area_ok += (p[10] - p[8]) <= 8 && (p[11] - p[9]) <= 8 && p[10] > p[8] && p[11] > p[9];
    // Crop: the shift is the offset left when the rotation is undone... checked without rotation below.
  }
  EXPECT_NEAR(flips / static_cast<double>(n), 0.5, 0.02);
  EXPECT_NEAR(angle_sum / n, 0.0, 0.3);
  EXPECT_LE(angle_max, 10.0 + 1e-4);
  EXPECT_GT(angle_max, 9.5);
  EXPECT_GE(bright_min, 0.8 - 1e-6);
  EXPECT_LE(bright_max, 1.2 + 1e-6);
  EXPECT_EQ(cut_area_ok, n);

  // Crop shifts alone: uniform over [-2, 2] per axis.
  const AugmentSpec crop = parse_augment("crop:2");
  for (int i = 0; i < n; ++i) {
    float p[kAugmentParams];
    sample_augment_params(crop, shape, 7, 1, static_cast<std::uint64_t>(i), p);
    const long shift = std::lround(p[2]);  // source = x + shift
    ASSERT_GE(shift, -2);
    ASSERT_LE(shift, 2);
    ++shifts[static_cast<std::size_t>(shift + 2)];
  }
  for (int count : shifts) EXPECT_NEAR(count, n / 5.0, n / 5.0 * 0.1);

  // Seeded by (seed, epoch, position): equal keys, equal parameters; any other key, others.
  float a[kAugmentParams], b[kAugmentParams], c[kAugmentParams], d[kAugmentParams];
  sample_augment_params(spec, shape, 7, 1, 5, a);
  sample_augment_params(spec, shape, 7, 1, 5, b);
  sample_augment_params(spec, shape, 7, 2, 5, c);
  sample_augment_params(spec, shape, 8, 1, 5, d);
  EXPECT_EQ(std::vector<float>(a, a + kAugmentParams), std::vector<float>(b, b + kAugmentParams));
  EXPECT_NE(std::vector<float>(a, a + kAugmentParams), std::vector<float>(c, c + kAugmentParams));
  EXPECT_NE(std::vector<float>(a, a + kAugmentParams), std::vector<float>(d, d + kAugmentParams));
}

TEST(Augment, FlagParsingAndImageShapes) {
  EXPECT_EQ(parse_augment("flip,crop:4,rotate:10").describe(), "crop:4,flip,rotate:10");
  EXPECT_TRUE(AugmentSpec().empty());
  EXPECT_MLC_ERROR(parse_augment("spin:3"), "--augment: unknown transform 'spin'");
  EXPECT_MLC_ERROR(parse_augment("crop"), "--augment: 'crop': needs a value (crop:X)");
  EXPECT_MLC_ERROR(parse_augment("flip:1"), "--augment: 'flip:1': takes no value");
  EXPECT_MLC_ERROR(parse_augment("crop:2.5"), "--augment: 'crop:2.5': the padding is a whole number of pixels");
  EXPECT_MLC_ERROR(parse_augment("rotate:500"), "--augment: 'rotate:500': expected a number in [0");
  EXPECT_MLC_ERROR(parse_augment("flip,,crop:2"), "--augment: unknown transform ''");
  ModelMeta m;
  m.batch = 4;
  m.input.dims = {4, 3, 8, 6};
  const ImageShape s = image_shape_of(m);
  EXPECT_EQ(s.channels, 3u);
  EXPECT_EQ(s.height, 8u);
  EXPECT_EQ(s.width, 6u);
  m.input.dims = {4, 784};
  EXPECT_MLC_ERROR(image_shape_of(m), "--augment needs a model whose input is images [N, C, H, W]");
}

}  // namespace
}  // namespace mlc
