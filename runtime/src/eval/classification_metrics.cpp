// Metric definitions follow scikit-learn (checked against it by tests/e2e/metrics_sklearn.py).
#include "eval/classification_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace mlc {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(double a, double b) { return b > 0 ? a / b : 0.0; }

// Sample indices by decreasing score.
std::vector<std::size_t> by_score_descending(const std::vector<double>& scores) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t(0));
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  return order;
}

}  // namespace

double roc_auc(const std::vector<double>& scores, const std::vector<char>& positive) {
  // NaN scores (a model whose outputs overflowed) have no order: no area, and no endless tie loop.
  for (double s : scores) {
    if (std::isnan(s)) return kNaN;
  }
  // Mann-Whitney U with average ranks for ties equals the trapezoidal area under the ROC curve.
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t(0));
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
  double rank_sum = 0, pos = 0;
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) ++j;
    const double avg_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;
    for (std::size_t k = i; k < j; ++k) {
      if (positive[order[k]]) {
        rank_sum += avg_rank;
        pos += 1;
      }
    }
    i = j;
  }
  const double neg = static_cast<double>(scores.size()) - pos;
  if (pos == 0 || neg == 0) return kNaN;
  return (rank_sum - pos * (pos + 1) / 2.0) / (pos * neg);
}

double average_precision(const std::vector<double>& scores, const std::vector<char>& positive) {
  for (double s : scores) {
    if (std::isnan(s)) return kNaN;
  }
  const std::vector<std::size_t> order = by_score_descending(scores);
  double total_pos = 0;
  for (char p : positive) total_pos += p ? 1 : 0;
  if (total_pos == 0) return kNaN;
  double tp = 0, fp = 0, prev_recall = 0, ap = 0;
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;  // a threshold takes every sample of the same score at once
    while (j < order.size() && scores[order[j]] == scores[order[i]]) {
      (positive[order[j]] ? tp : fp) += 1;
      ++j;
    }
    const double recall = tp / total_pos, precision = tp / (tp + fp);
    ap += (recall - prev_recall) * precision;
    prev_recall = recall;
    i = j;
  }
  return ap;
}

ClassificationMetrics::ClassificationMetrics(std::size_t classes, std::size_t top_k)
    : classes_(classes), top_k_(std::min(top_k, classes)) {}

void ClassificationMetrics::add(const double* scores, std::int32_t label) {
  scores_.insert(scores_.end(), scores, scores + classes_);
  labels_.push_back(label);
}

ClassificationReport ClassificationMetrics::report() const {
  ClassificationReport r;
  const std::size_t n = labels_.size(), k = classes_;
  r.count = n;
  r.classes = k;
  r.top_k = top_k_;
  r.confusion.assign(k, std::vector<std::size_t>(k, 0));
  std::size_t correct = 0, in_top_k = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double* s = &scores_[i * k];
    const std::size_t predicted = static_cast<std::size_t>(std::max_element(s, s + k) - s);  // first maximum
    const auto label = static_cast<std::size_t>(labels_[i]);
    ++r.confusion[label][predicted];
    correct += predicted == label;
    // In the top k: fewer than k classes rank above it. Ties rank the higher class index first, as
    // scikit-learn's top_k_accuracy_score does (a reversed stable argsort).
    std::size_t higher = 0;
    for (std::size_t c = 0; c < k; ++c) higher += s[c] > s[label] || (s[c] == s[label] && c > label);
    in_top_k += higher < top_k_;
  }
  r.accuracy = n ? static_cast<double>(correct) / static_cast<double>(n) : kNaN;
  r.top_k_accuracy = n ? static_cast<double>(in_top_k) / static_cast<double>(n) : kNaN;

  r.precision.resize(k);
  r.recall.resize(k);
  r.f1.resize(k);
  r.support.resize(k);
  for (std::size_t c = 0; c < k; ++c) {
    double tp = static_cast<double>(r.confusion[c][c]), predicted = 0, actual = 0;
    for (std::size_t o = 0; o < k; ++o) {
      predicted += static_cast<double>(r.confusion[o][c]);
      actual += static_cast<double>(r.confusion[c][o]);
    }
    r.support[c] = static_cast<std::size_t>(actual);
    r.precision[c] = ratio(tp, predicted);
    r.recall[c] = ratio(tp, actual);
    r.f1[c] = ratio(2 * tp, predicted + actual);
    r.precision_macro += r.precision[c] / static_cast<double>(k);
    r.recall_macro += r.recall[c] / static_cast<double>(k);
    r.f1_macro += r.f1[c] / static_cast<double>(k);
    const double w = n ? actual / static_cast<double>(n) : 0.0;
    r.precision_weighted += w * r.precision[c];
    r.recall_weighted += w * r.recall[c];
    r.f1_weighted += w * r.f1[c];
  }

  // Areas under the curves: binary on class 1's score, else one-vs-rest macro.
  std::vector<double> col(n);
  std::vector<char> pos(n);
  auto column = [&](std::size_t c) {
    for (std::size_t i = 0; i < n; ++i) {
      col[i] = scores_[i * k + c];
      pos[i] = static_cast<std::size_t>(labels_[i]) == c;
    }
  };
  if (k == 2) {
    column(1);
    r.roc_auc = roc_auc(col, pos);
    r.pr_auc = average_precision(col, pos);
  } else {
    double roc_sum = 0, ap_sum = 0;
    std::size_t defined = 0;
    for (std::size_t c = 0; c < k; ++c) {
      column(c);
      const double a = roc_auc(col, pos);
      if (std::isnan(a)) continue;
      roc_sum += a;
      ap_sum += average_precision(col, pos);
      ++defined;
    }
    r.roc_auc = defined ? roc_sum / static_cast<double>(defined) : kNaN;
    r.pr_auc = defined ? ap_sum / static_cast<double>(defined) : kNaN;
  }
  return r;
}

std::vector<std::pair<std::string, double>> ClassificationReport::scalars(const std::string& prefix) const {
  std::vector<std::pair<std::string, double>> out = {
      {prefix + "accuracy", accuracy},
      {prefix + "top" + std::to_string(top_k) + "_accuracy", top_k_accuracy},
      {prefix + "precision_macro", precision_macro},
      {prefix + "recall_macro", recall_macro},
      {prefix + "f1_macro", f1_macro},
      {prefix + "precision_weighted", precision_weighted},
      {prefix + "recall_weighted", recall_weighted},
      {prefix + "f1_weighted", f1_weighted},
      {prefix + "roc_auc", roc_auc},
      {prefix + "pr_auc", pr_auc},
  };
  for (std::size_t c = 0; c < precision.size(); ++c) {
    out.push_back({prefix + "precision_" + std::to_string(c), precision[c]});
    out.push_back({prefix + "recall_" + std::to_string(c), recall[c]});
    out.push_back({prefix + "f1_" + std::to_string(c), f1[c]});
  }
  return out;
}

void RegressionMetrics::add(const float* prediction, const float* target) {
  for (std::size_t o = 0; o < outputs_; ++o) {
    const double y = target[o], e = static_cast<double>(prediction[o]) - y;
    Sums& s = sums_[o];
    s.n += 1;
    s.y += y;
    s.yy += y * y;
    s.sq_err += e * e;
    s.abs_err += std::fabs(e);
  }
}

RegressionReport RegressionMetrics::report() const {
  RegressionReport r;
  double n_total = 0, sq = 0, ab = 0, r2_sum = 0;
  for (const Sums& s : sums_) {
    n_total += s.n;
    sq += s.sq_err;
    ab += s.abs_err;
    const double ss_tot = s.yy - s.y * s.y / s.n;
    // sklearn's force_finite: a constant target scores 1 if predicted exactly, else 0.
    r2_sum += ss_tot > 0 ? 1.0 - s.sq_err / ss_tot : (s.sq_err == 0 ? 1.0 : 0.0);
  }
  if (n_total == 0) return {kNaN, kNaN, kNaN, kNaN};
  r.mse = sq / n_total;
  r.rmse = std::sqrt(r.mse);
  r.mae = ab / n_total;
  r.r2 = r2_sum / static_cast<double>(sums_.size());
  return r;
}

}  // namespace mlc
