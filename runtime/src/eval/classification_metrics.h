// Classification and regression metrics over a whole split, with scikit-learn's definitions.
#ifndef MLC_RUNTIME_EVAL_CLASSIFICATION_METRICS_H
#define MLC_RUNTIME_EVAL_CLASSIFICATION_METRICS_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mlc {

struct ClassificationReport {
  std::size_t count = 0, classes = 0, top_k = 0;
  double accuracy = 0, top_k_accuracy = 0;
  std::vector<double> precision, recall, f1;  // per class; 0 where undefined (sklearn's zero_division=0)
  std::vector<std::size_t> support;           // true samples per class
  double precision_macro = 0, recall_macro = 0, f1_macro = 0;
  double precision_weighted = 0, recall_weighted = 0, f1_weighted = 0;
  std::vector<std::vector<std::size_t>> confusion;  // [true][predicted]
  // Binary (2 classes): of the positive class's score. Else one-vs-rest, macro over classes that have
  // both positive and negative samples (NaN if none has).
  double roc_auc = 0, pr_auc = 0;

  // Flat (name, value) pairs of the scalar metrics and the per-class ones ("precision_3"), each name
  // prefixed (e.g. "val_"), for the log and --metrics.
  std::vector<std::pair<std::string, double>> scalars(const std::string& prefix) const;
};

// Collects each sample's class scores (softmax probabilities) and label, then reports. Memory is
// count x classes doubles: fine for evaluation sets of up to millions of samples.
class ClassificationMetrics {
 public:
  explicit ClassificationMetrics(std::size_t classes, std::size_t top_k = 5);
  // One sample: its `classes` scores (any monotone score: probabilities or logits) and true label.
  void add(const double* scores, std::int32_t label);
  ClassificationReport report() const;

 private:
  std::size_t classes_, top_k_;
  std::vector<double> scores_;
  std::vector<std::int32_t> labels_;
};

// Binary ROC-AUC of scores for positives (`positive[i]`), ties counted half (sklearn's roc_auc_score).
// NaN if all samples are of one kind.
double roc_auc(const std::vector<double>& scores, const std::vector<char>& positive);
// Average precision: sum over thresholds of (R_n - R_{n-1}) P_n (sklearn's average_precision_score).
double average_precision(const std::vector<double>& scores, const std::vector<char>& positive);

struct RegressionReport {
  double mse = 0, rmse = 0, mae = 0, r2 = 0;  // r2: mean over outputs (sklearn's uniform_average)
};

// Accumulates predictions and targets of `outputs` values per sample.
class RegressionMetrics {
 public:
  explicit RegressionMetrics(std::size_t outputs) : outputs_(outputs), sums_(outputs) {}
  void add(const float* prediction, const float* target);
  RegressionReport report() const;

 private:
  struct Sums {
    double n = 0, y = 0, yy = 0, sq_err = 0, abs_err = 0;
  };
  std::size_t outputs_;
  std::vector<Sums> sums_;
};

}  // namespace mlc

#endif  // MLC_RUNTIME_EVAL_CLASSIFICATION_METRICS_H
