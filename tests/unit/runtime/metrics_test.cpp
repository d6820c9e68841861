// Tests of the evaluation metrics: hand-computed losses, accuracy, numerical stability, padded rows.
#include "eval/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace mlc {
namespace {

TEST(Metrics, CrossEntropyMatchesHandComputedValue) {
  const float logits[] = {1.0f, 2.0f, 3.0f};
  // -log(e^3 / (e^1 + e^2 + e^3)) = log(1 + e^-1 + e^-2)
  EXPECT_NEAR(cross_entropy_row(logits, 3, 2), 0.40760596444438, 1e-6);
  EXPECT_NEAR(cross_entropy_row(logits, 3, 0), 2.40760596444438, 1e-6);
}

TEST(Metrics, CrossEntropyIsStableForLargeLogits) {
  const float logits[] = {1000.0f, 0.0f, -1000.0f};
  EXPECT_NEAR(cross_entropy_row(logits, 3, 0), 0.0, 1e-9);
  EXPECT_NEAR(cross_entropy_row(logits, 3, 1), 1000.0, 1e-3);
  EXPECT_NEAR(cross_entropy_row(logits, 3, 2), 2000.0, 1e-3);
}

TEST(Metrics, MseIsMeanOverClassesAgainstOneHot) {
  const float out[] = {0.2f, 0.7f, 0.1f};
  EXPECT_NEAR(mse_row(out, 3, 1), (0.04 + 0.09 + 0.01) / 3, 1e-7);
}

TEST(Metrics, ArgmaxPicksFirstOfTies) {
  const float row[] = {0.5f, 2.0f, 2.0f, -1.0f};
  EXPECT_EQ(argmax_row(row, 4), 1u);
}

TEST(Metrics, AccuracyAndMeanLossOverValidRowsOnly) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // Rows 0-1 are real, rows 2-3 are padding with garbage that must not leak into the metrics.
  const float out[] = {1, 2, 3,  //
                       3, 2, 1,  //
                       nan, 1e30f, -1e30f, 9, 9, 9};
  const std::int32_t labels[] = {2, 1, 0, 0};
  MetricAccumulator acc(LossKind::CrossEntropy, 3);
  acc.add_batch(out, labels, 2);
  EXPECT_EQ(acc.count(), 2u);
  EXPECT_DOUBLE_EQ(acc.accuracy(), 0.5);
  EXPECT_NEAR(acc.mean_loss(), (0.40760596444438 + 1.40760596444438) / 2, 1e-6);

  acc.add_batch(out, labels, 1);
  EXPECT_NEAR(acc.accuracy(), 2.0 / 3.0, 1e-12);
}

TEST(Metrics, MseAccumulatorEqualsMeanOverBatchTimesClasses) {
  const float out[] = {0.2f, 0.7f, 0.1f, 1.0f, 0.0f, 0.5f};
  const std::int32_t labels[] = {1, 0};
  MetricAccumulator acc(LossKind::Mse, 3);
  acc.add_batch(out, labels, 2);
  double sum = 0.04 + 0.09 + 0.01 + 0 + 0 + 0.25;
  EXPECT_NEAR(acc.mean_loss(), sum / 6, 1e-7);
  EXPECT_DOUBLE_EQ(acc.accuracy(), 1.0);
}

TEST(Metrics, EmptyAccumulatorIsNaN) {
  MetricAccumulator acc(LossKind::CrossEntropy, 3);
  EXPECT_TRUE(std::isnan(acc.mean_loss()));
  EXPECT_TRUE(std::isnan(acc.accuracy()));
}

}  // namespace
}  // namespace mlc
