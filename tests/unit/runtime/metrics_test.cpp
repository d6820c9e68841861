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

TEST(Metrics, FloatTargetLossesMatchHandComputedTerms) {
  const float out[] = {0.2f, 0.7f, -3.0f};
  const float target[] = {0.0f, 1.0f, 0.0f};
  const double d0 = 0.2, d1 = -0.3, d2 = -3.0;
  LossParams p;
  EXPECT_NEAR(target_sample_loss(LossKind::Mse, out, target, 3, p), d0 * d0 + d1 * d1 + d2 * d2, 1e-6);
  EXPECT_NEAR(target_sample_loss(LossKind::L1, out, target, 3, p), 0.2 + 0.3 + 3.0, 1e-6);
  // huber, delta 1: quadratic inside, delta (|d| - delta/2) outside; smooth_l1 with beta 2 is huber(2) / 2.
  EXPECT_NEAR(target_sample_loss(LossKind::Huber, out, target, 3, p), 0.5 * 0.04 + 0.5 * 0.09 + (3.0 - 0.5), 1e-6);
  p.delta = 2.0;
  EXPECT_NEAR(target_sample_loss(LossKind::SmoothL1, out, target, 3, p), (0.04 + 0.09) / 4 + (3.0 - 1.0), 1e-6);
  // bce of logits: log(1 + e^x) - x y.
  double bce_logits = std::log1p(std::exp(0.2)) + std::log1p(std::exp(0.7)) - 0.7 + std::log1p(std::exp(-3.0));
  EXPECT_NEAR(target_sample_loss(LossKind::BceLogits, out, target, 3, p), bce_logits, 1e-6);
}

TEST(Metrics, BceOfLogitsIsStableAndBceOfProbabilitiesClampsItsLogs) {
  const float big[] = {1000.0f}, one[] = {1.0f}, zero[] = {0.0f};
  EXPECT_NEAR(target_sample_loss(LossKind::BceLogits, big, zero, 1, {}), 1000.0, 1e-9);
  EXPECT_NEAR(target_sample_loss(LossKind::BceLogits, big, one, 1, {}), 0.0, 1e-9);
  const float p[] = {0.25f};
  EXPECT_NEAR(target_sample_loss(LossKind::Bce, p, one, 1, {}), -std::log(0.25), 1e-7);
  EXPECT_NEAR(target_sample_loss(LossKind::Bce, p, zero, 1, {}), -std::log(0.75), 1e-7);
  // log(0) is clamped to -100, as torch.nn.BCELoss does.
  EXPECT_NEAR(target_sample_loss(LossKind::Bce, zero, one, 1, {}), 100.0, 1e-9);
}

TEST(Metrics, ClassLossesWithLabelSmoothingAndLogProbabilities) {
  const float logits[] = {1.0f, 2.0f, 3.0f};
  LossParams p;
  EXPECT_NEAR(class_sample_loss(LossKind::CrossEntropy, logits, 3, 2, p), 0.40760596444438, 1e-6);
  p.label_smoothing = 0.1;
  // (1 - e) nll + e mean_c(lse - x_c); lse = 3.40760596444438.
  const double lse = 3.40760596444438;
  const double smoothed = 0.9 * 0.40760596444438 + 0.1 * ((lse - 1) + (lse - 2) + (lse - 3)) / 3;
  EXPECT_NEAR(class_sample_loss(LossKind::CrossEntropy, logits, 3, 2, p), smoothed, 1e-6);
  const float log_probs[] = {-0.5f, -1.5f, -2.0f};
  EXPECT_NEAR(class_sample_loss(LossKind::Nll, log_probs, 3, 1, p), 1.5, 1e-7);
}

ModelMeta meta_for(LossKind loss, Reduction reduction, bool class_labels, std::vector<std::size_t> output) {
  ModelMeta m;
  m.batch = output[0];
  m.loss = loss;
  m.reduction = reduction;
  m.class_labels = class_labels;
  m.output.dims = output;
  return m;
}

TEST(Metrics, LossAccumulatorFollowsTheReduction) {
  // Float targets, mean: per element; sum: the sum over one batch of the model's size (4 samples).
  LossAccumulator mean(meta_for(LossKind::Mse, Reduction::Mean, false, {4, 3}));
  LossAccumulator sum(meta_for(LossKind::Mse, Reduction::Sum, false, {4, 3}));
  for (double v : {0.6, 1.2}) {
    mean.add(v);
    sum.add(v);
  }
  EXPECT_NEAR(mean.value(), 1.8 / 6, 1e-12);
  EXPECT_NEAR(sum.value(), 0.9 * 4, 1e-12);
  // Class labels, mean: per sample.
  LossAccumulator ce(meta_for(LossKind::CrossEntropy, Reduction::Mean, true, {4, 3}));
  ce.add(0.5);
  ce.add(1.5);
  EXPECT_NEAR(ce.value(), 1.0, 1e-12);
  EXPECT_TRUE(std::isnan(LossAccumulator(meta_for(LossKind::Nll, Reduction::Mean, true, {4, 3})).value()));
}

TEST(Metrics, ArgmaxPicksFirstOfTies) {
  const float row[] = {0.5f, 2.0f, 2.0f, -1.0f};
  EXPECT_EQ(argmax_row(row, 4), 1u);
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

namespace mlc {
namespace {

TEST(Metrics, ClassWeightsScaleTermsAndTheMeanDividesByTheBatchWeights) {
  const float logits[] = {1.0f, 2.0f, 3.0f};
  LossParams p;
  p.class_weights = {0.5f, 2.0f, 4.0f};
  const double nll2 = 0.40760596444438, lse = 3.40760596444438;
  EXPECT_NEAR(class_sample_loss(LossKind::CrossEntropy, logits, 3, 2, p), 4.0 * nll2, 1e-6);
  // Smoothing: (1 - e) w_y nll + e mean_c(w_c (lse - x_c)), torch's weighted label smoothing.
  p.label_smoothing = 0.2;
  const double smoothed = 0.8 * 4.0 * nll2 + 0.2 * (0.5 * (lse - 1) + 2.0 * (lse - 2) + 4.0 * (lse - 3)) / 3;
  EXPECT_NEAR(class_sample_loss(LossKind::CrossEntropy, logits, 3, 2, p), smoothed, 1e-6);
  const float log_probs[] = {-0.5f, -1.5f, -2.0f};
  EXPECT_NEAR(class_sample_loss(LossKind::Nll, log_probs, 3, 1, p), 3.0, 1e-7);
  // The mean of a weighted class loss: sum of weighted terms over the sum of weights.
  LossAccumulator ce(meta_for(LossKind::CrossEntropy, Reduction::Mean, true, {4, 3}));
  ce.add(2.0, 4.0);
  ce.add(0.5, 0.5);
  EXPECT_NEAR(ce.value(), 2.5 / 4.5, 1e-12);
  // One-output bce: the weight of the 0/1 target; several outputs: each column's weight.
  LossParams b;
  b.class_weights = {0.25f, 3.0f};
  const float x[] = {0.3f}, one[] = {1.0f}, zero[] = {0.0f};
  const double t1 = std::log1p(std::exp(-0.3)), t0 = 0.3 + std::log1p(std::exp(-0.3));
  EXPECT_NEAR(target_sample_loss(LossKind::BceLogits, x, one, 1, b), 3.0 * t1, 1e-6);
  EXPECT_NEAR(target_sample_loss(LossKind::BceLogits, x, zero, 1, b), 0.25 * t0, 1e-6);
  LossParams cols;
  cols.class_weights = {2.0f, 0.5f};
  const float xs[] = {0.3f, 0.3f}, ys[] = {1.0f, 0.0f};
  EXPECT_NEAR(target_sample_loss(LossKind::BceLogits, xs, ys, 2, cols), 2.0 * t1 + 0.5 * t0, 1e-6);
}

}  // namespace
}  // namespace mlc
