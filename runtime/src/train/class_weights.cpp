// Class weights from the flag's text or from the class frequencies of the training labels.
#include "train/class_weights.h"

#include <cstdio>
#include <cstdlib>

#include "core/error.h"
#include "train/cli.h"

namespace mlc {

std::vector<float> resolve_class_weights(const std::string& flag, const ModelMeta& meta, const Split& train) {
  const std::size_t k = meta.class_weights;
  if (k == 0) {
    if (!flag.empty()) {
      throw Error(std::string("--class-weights given, but the model's loss ") + loss_name(meta.loss) +
                  " takes no class weights (mlc compile --class-weights gives it them)");
    }
    return {};
  }
  if (flag.empty()) return std::vector<float>(k, 1.0f);
  if (flag == "auto") {
    if (!train.classification()) {
      throw Error("--class-weights=auto needs class labels in the training data (give the weights instead)");
    }
    std::vector<std::size_t> counts(k, 0);
    for (std::int32_t y : train.labels) ++counts[static_cast<std::size_t>(y)];
    std::vector<float> w(k, 1.0f);
    for (std::size_t c = 0; c < k; ++c) {
      if (counts[c]) w[c] = static_cast<float>(static_cast<double>(train.count) / (static_cast<double>(k) * counts[c]));
    }
    return w;
  }
  std::vector<float> w;
  for (const std::string& text : split_names("class-weights", flag)) w.push_back(std::strtof(text.c_str(), nullptr));
  if (w.size() != k) {
    throw Error("--class-weights=" + flag + ": " + std::to_string(w.size()) + " weights for a loss with " +
                std::to_string(k) + " classes");
  }
  return w;
}

std::string describe_class_weights(const std::vector<float>& weights) {
  std::string s;
  for (float w : weights) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%.4g", s.empty() ? "" : ", ", w);
    s += buf;
  }
  return s;
}

}  // namespace mlc
