// Tests of the evaluation metrics: hand-computed losses, accuracy, numerical stability, padded rows.
#include "eval/metrics.h"
#include "eval/classification_metrics.h"

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

namespace mlc {
namespace {

// Four samples, three classes; predictions (argmax) are 0, 1, 1, 2 for labels 0, 1, 2, 2.
ClassificationReport hand_example() {
  ClassificationMetrics m(3, 2);
  const double rows[4][3] = {{0.7, 0.2, 0.1}, {0.1, 0.8, 0.1}, {0.2, 0.5, 0.3}, {0.1, 0.3, 0.6}};
  const std::int32_t labels[4] = {0, 1, 2, 2};
  for (int i = 0; i < 4; ++i) m.add(rows[i], labels[i]);
  return m.report();
}

TEST(ClassificationMetrics, HandComputedExample) {
  ClassificationReport r = hand_example();
  EXPECT_DOUBLE_EQ(r.accuracy, 0.75);
  EXPECT_DOUBLE_EQ(r.top_k_accuracy, 1.0);  // sample 2's true class is second best
  EXPECT_EQ(r.confusion, (std::vector<std::vector<std::size_t>>{{1, 0, 0}, {0, 1, 0}, {0, 1, 1}}));
  EXPECT_EQ(r.precision, (std::vector<double>{1.0, 0.5, 1.0}));
  EXPECT_EQ(r.recall, (std::vector<double>{1.0, 1.0, 0.5}));
  EXPECT_NEAR(r.f1[1], 2.0 / 3.0, 1e-15);
  EXPECT_NEAR(r.f1_macro, (1.0 + 2.0 / 3.0 + 2.0 / 3.0) / 3.0, 1e-15);
  EXPECT_NEAR(r.precision_weighted, 0.25 * 1 + 0.25 * 0.5 + 0.5 * 1, 1e-15);
  // One-vs-rest AUCs: class 0 and 1 are ranked perfectly; class 2 (scores .1 .1 | .3 .6): 1.0.
  EXPECT_DOUBLE_EQ(r.roc_auc, 1.0);
  EXPECT_DOUBLE_EQ(r.pr_auc, 1.0);
}

TEST(ClassificationMetrics, AucCountsTiesHalfAndAveragePrecisionStepsByThreshold) {
  // Positives at scores 0.8 and 0.4; negatives at 0.4 and 0.1: pairs (0.8>0.4, 0.8>0.1, 0.4=0.4, 0.4>0.1).
  EXPECT_DOUBLE_EQ(roc_auc({0.8, 0.4, 0.4, 0.1}, {1, 1, 0, 0}), 3.5 / 4.0);
  // Thresholds 0.8 (R 1/2, P 1), 0.4 (R 1, P 2/3), 0.1: AP = 0.5 * 1 + 0.5 * 2/3.
  EXPECT_DOUBLE_EQ(average_precision({0.8, 0.4, 0.4, 0.1}, {1, 1, 0, 0}), 0.5 + 1.0 / 3.0);
  EXPECT_TRUE(std::isnan(roc_auc({0.1, 0.2}, {1, 1})));
  // NaN scores (overflowed outputs) give NaN areas instead of looping on NaN != NaN ties.
  EXPECT_TRUE(std::isnan(roc_auc({NAN, 0.2, NAN}, {1, 0, 0})));
  EXPECT_TRUE(std::isnan(average_precision({NAN, 0.2, NAN}, {1, 0, 0})));
}

TEST(RegressionMetrics, HandComputedExample) {
  RegressionMetrics m(1);
  const float pred[3] = {2.5f, 0.0f, 2.0f}, target[3] = {3.0f, -0.5f, 2.0f};
  for (int i = 0; i < 3; ++i) m.add(&pred[i], &target[i]);
  RegressionReport r = m.report();
  EXPECT_NEAR(r.mse, 0.5 / 3.0, 1e-12);
  EXPECT_NEAR(r.mae, 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(r.rmse, std::sqrt(0.5 / 3.0), 1e-12);
  // mean 1.5, ss_tot = 2.25 + 4 + 0.25 = 6.5
  EXPECT_NEAR(r.r2, 1.0 - 0.5 / 6.5, 1e-12);
}

}  // namespace
}  // namespace mlc
