// Tests of the conversions between a parameter's stored layout and the model's.
#include "core/param_layout.h"

#include <gtest/gtest.h>

#include <numeric>

namespace mlc {
namespace {

ParamMeta param(std::vector<std::size_t> dims, std::vector<std::size_t> layout) {
  ParamMeta p;
  p.name = "w";
  p.dims = std::move(dims);
  p.layout = std::move(layout);
  return p;
}

std::vector<float> iota(std::size_t n) {
  std::vector<float> v(n);
  std::iota(v.begin(), v.end(), 0.0f);
  return v;
}

TEST(ParamLayout, ChannelsLastFiltersBackToTheModelsLayout) {
  // Model [F=2, C=3, KH=2, KW=1], value f*6 + c*2 + kh; stored [KH, KW, C, F] (layout 2 3 1 0).
  ParamMeta p = param({2, 1, 3, 2}, {2, 3, 1, 0});
  const std::vector<float> stored = {0, 6, 2, 8, 4, 10, 1, 7, 3, 9, 5, 11};
  EXPECT_EQ(to_model_layout(p, stored), iota(12));
  EXPECT_EQ(to_stored_layout(p, iota(12)), stored);
}

TEST(ParamLayout, RoundTripsEveryPermutationOfFourDimensions) {
  std::vector<std::size_t> perm = {0, 1, 2, 3};
  const std::size_t model[] = {2, 3, 4, 5};
  do {
    std::vector<std::size_t> dims;
    for (std::size_t d : perm) dims.push_back(model[d]);
    ParamMeta p = param(dims, perm);
    EXPECT_EQ(p.model_dims(), (std::vector<std::size_t>{2, 3, 4, 5}));
    const std::vector<float> stored = to_stored_layout(p, iota(120));
    EXPECT_EQ(to_model_layout(p, stored), iota(120));
    // Element [a, b, c, d] of the model's tensor lands at the stored index of [.., perm order ..].
    const std::size_t a = 1, b = 2, c = 3, d = 4;
    const std::size_t index[] = {a, b, c, d};
    std::size_t s = 0;
    for (std::size_t i = 0; i < 4; ++i) s = s * dims[i] + index[perm[i]];
    EXPECT_EQ(stored[s], static_cast<float>(((a * 3 + b) * 4 + c) * 5 + d));
  } while (std::next_permutation(perm.begin(), perm.end()));
}

TEST(ParamLayout, NoLayoutIsACopy) {
  ParamMeta p = param({3, 4}, {});
  EXPECT_EQ(to_model_layout(p, iota(12)), iota(12));
  EXPECT_EQ(to_stored_layout(p, iota(12)), iota(12));
}

}  // namespace
}  // namespace mlc
