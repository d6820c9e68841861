// Tests of --class-weights: inverse-frequency weights, given weights, and the errors.
#include "train/class_weights.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace mlc {
namespace {

ModelMeta weighted_model(std::size_t classes) {
  ModelMeta m;
  m.batch = 2;
  m.output.dims = {2, classes};
  m.class_weights = classes;
  return m;
}

Split labelled(const std::vector<std::int32_t>& labels) {
  Split s;
  s.count = labels.size();
  s.pixels = 1;
  s.images.assign(labels.size(), 0.0f);
  s.labels = labels;
  return s;
}

TEST(ClassWeights, AutoIsInverseFrequencyAndAbsentClassesKeepOne) {
  const Split train = labelled({0, 0, 0, 1, 0, 0});
  const std::vector<float> w = resolve_class_weights("auto", weighted_model(3), train);
  ASSERT_EQ(w.size(), 3u);
  EXPECT_FLOAT_EQ(w[0], 6.0f / (3 * 5));
  EXPECT_FLOAT_EQ(w[1], 6.0f / (3 * 1));
  EXPECT_FLOAT_EQ(w[2], 1.0f);
  EXPECT_EQ(describe_class_weights(w), "0.4, 2, 1");
}

TEST(ClassWeights, GivenDefaultAndErrors) {
  const Split train = labelled({0, 1});
  EXPECT_EQ(resolve_class_weights("0.5,2", weighted_model(2), train), (std::vector<float>{0.5f, 2.0f}));
  EXPECT_EQ(resolve_class_weights("", weighted_model(2), train), (std::vector<float>{1.0f, 1.0f}));
  EXPECT_MLC_ERROR(resolve_class_weights("1,2,3", weighted_model(2), train),
                   "--class-weights=1,2,3: 3 weights for a loss with 2 classes");
  ModelMeta plain = weighted_model(2);
  plain.class_weights = 0;
  EXPECT_TRUE(resolve_class_weights("", plain, train).empty());
  EXPECT_MLC_ERROR(resolve_class_weights("auto", plain, train),
                   "--class-weights given, but the model's loss cross_entropy takes no class weights (mlc compile --class-weights");
  Split regression = labelled({});
  regression.count = 2;
  regression.images = {0, 0};
  regression.targets = {0.5f, 1.5f};
  regression.target_size = 1;
  EXPECT_MLC_ERROR(resolve_class_weights("auto", weighted_model(2), regression),
                   "--class-weights=auto needs class labels");
}

}  // namespace
}  // namespace mlc
