// Computes the runtime's metrics on samples read from stdin, for comparison with scikit-learn.
//   classification K N, then N lines "label score_0 ... score_{K-1}"
//   regression O N,     then N lines "pred_0 ... pred_{O-1} target_0 ... target_{O-1}"
// Prints "name value" lines (%.17g); used by tests/e2e/metrics_sklearn.py.
#include <cstdio>
#include <cstring>
#include <vector>

#include "eval/classification_metrics.h"

int main() {
  char kind[32];
  std::size_t width = 0, n = 0;
  if (std::scanf("%31s %zu %zu", kind, &width, &n) != 3 || width == 0) {
    std::fprintf(stderr, "error: expected 'classification K N' or 'regression O N'\n");
    return 1;
  }
  if (std::strcmp(kind, "classification") == 0) {
    mlc::ClassificationMetrics m(width);
    std::vector<double> scores(width);
    for (std::size_t i = 0; i < n; ++i) {
      int label;
      if (std::scanf("%d", &label) != 1 || label < 0 || static_cast<std::size_t>(label) >= width) return 1;
      for (double& s : scores) {
        if (std::scanf("%lf", &s) != 1) return 1;
      }
      m.add(scores.data(), label);
    }
    for (const auto& [name, value] : m.report().scalars("")) std::printf("%s %.17g\n", name.c_str(), value);
    return 0;
  }
  mlc::RegressionMetrics m(width);
  std::vector<float> pred(width), target(width);
  for (std::size_t i = 0; i < n; ++i) {
    for (float& v : pred) {
      if (std::scanf("%f", &v) != 1) return 1;
    }
    for (float& v : target) {
      if (std::scanf("%f", &v) != 1) return 1;
    }
    m.add(pred.data(), target.data());
  }
  mlc::RegressionReport r = m.report();
  std::printf("mse %.17g\nrmse %.17g\nmae %.17g\nr2 %.17g\n", r.mse, r.rmse, r.mae, r.r2);
  return 0;
}
