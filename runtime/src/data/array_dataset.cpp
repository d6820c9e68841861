// NumPy arrays into a Split: the shapes and dtypes are checked against the model before any copy.
#include "data/array_dataset.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "data/npy_reader.h"

namespace mlc {

namespace {

// Integer class indices in [0, classes), one per sample.
std::vector<std::int32_t> class_indices(const NpyArray& y, std::size_t classes, const std::string& ys) {
  if (!y.is_integer()) throw Error(ys + ": class indices must be integers, found " + npy_type_name(y.type));
  std::vector<std::int32_t> labels(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double v = y.value(i);
    if (v < 0 || v >= static_cast<double>(classes)) {
      throw Error(ys + ": class " + std::to_string(static_cast<long long>(v)) + " at index " + std::to_string(i) +
                  " is out of range for a model with " + std::to_string(classes) + " classes");
    }
    labels[i] = static_cast<std::int32_t>(v);
  }
  return labels;
}

// The array as float32, every value finite.
std::vector<float> finite_floats(const NpyArray& y, const std::string& ys) {
  std::vector<float> t = y.to_float();
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!std::isfinite(t[i])) {
      throw Error(ys + ": value " + std::to_string(y.value(i)) + " at index " + std::to_string(i) + " is not finite as float32");
    }
  }
  return t;
}

void load_targets(Split& split, const NpyArray& y, const ModelMeta& meta, const std::string& ys) {
  const std::size_t n = split.count, outputs = meta.output_size();
  if (y.shape.empty() || y.shape[0] != n) {
    throw Error(ys + ": expected " + std::to_string(n) + " targets (one per sample), found " +
                (y.shape.empty() ? std::string("a scalar") : std::to_string(y.shape[0])));
  }
  const std::size_t per = n ? y.size() / n : 0;
  if (meta.class_labels || (per == 1 && outputs > 1)) {
    if (per != 1) {
      throw Error(ys + ": expected one class index per sample, found " + std::to_string(per) + " values per sample");
    }
    split.labels = class_indices(y, meta.classes(), ys);
    return;
  }
  if (per != outputs) {
    throw Error(ys + ": targets hold " + std::to_string(per) + " values per sample, the model's output " +
                std::to_string(outputs));
  }
  split.targets = finite_floats(y, ys);
  split.target_size = outputs;
  // A binary classifier's 0/1 targets are also its class labels (accuracy, AUC, ...).
  if (is_binary_loss(meta.loss) && outputs == 1 &&
      std::all_of(split.targets.begin(), split.targets.end(), [](float v) { return v == 0.0f || v == 1.0f; })) {
    split.labels.assign(split.targets.begin(), split.targets.end());
  }
}

}  // namespace

namespace {

const NpyArray& find_array(const std::map<std::string, NpyArray>& arrays, const std::string& path,
                           const std::string& name, const char* flag) {
  auto it = arrays.find(name);
  if (it == arrays.end() && arrays.size() == 1 && arrays.begin()->first.empty()) return arrays.begin()->second;
  if (it == arrays.end()) {
    std::string have;
    for (const auto& kv : arrays) have += (have.empty() ? "" : ", ") + (kv.first.empty() ? std::string("(a .npy file)") : kv.first);
    throw Error(path + ": no array '" + name + "' (" + flag + "; the file has: " + (have.empty() ? "none" : have) + ")");
  }
  return it->second;
}

// The samples of array `x` (named `xs` in errors), checked against the model's input.
Split samples_of(const NpyArray& x, const std::string& xs, const ModelMeta& meta) {
  const std::size_t pixels = meta.sample_size();
  if (x.shape.empty()) throw Error(xs + ": expected an array of samples, found a scalar");
  std::size_t per = 1;
  for (std::size_t i = 1; i < x.shape.size(); ++i) per *= x.shape[i];
  if (per != pixels) {
    throw Error(xs + ": samples hold " + std::to_string(per) + " values, the model takes " + std::to_string(pixels));
  }
  Split split;
  split.count = x.shape[0];
  split.pixels = pixels;
  if (meta.token_input) {
    if (!x.is_integer()) throw Error(xs + ": a token-id model needs integer features, found " + npy_type_name(x.type));
    split.tokens.resize(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double v = x.value(i);
      if (v < 0 || v > 2147483647.0) throw Error(xs + ": token id " + std::to_string(static_cast<long long>(v)) + " at index " + std::to_string(i) + " is out of range");
      split.tokens[i] = static_cast<std::int32_t>(v);
    }
  } else {
    split.images = finite_floats(x, xs);
  }
  return split;
}

}  // namespace

Split load_array_split(const std::string& path, const ModelMeta& meta, const ArrayNames& names) {
  const std::map<std::string, NpyArray> arrays = read_npy_file(path);
  if (arrays.size() == 1 && arrays.begin()->first.empty() && names.target != "input") {
    throw Error(path + ": a .npy file holds one array; training data needs features and targets (an .npz archive)");
  }
  const std::string features = names.features.empty() ? "x" : names.features;
  Split split = samples_of(find_array(arrays, path, features, "--features"), path + "[" + features + "]", meta);
  if (names.target == "input") {
    split.target_is_input = true;
  } else {
    load_targets(split, find_array(arrays, path, names.target, "--target"), meta, path + "[" + names.target + "]");
  }
  fit_targets(split, meta, path);
  return split;
}

Split load_array_samples(const std::string& path, const ModelMeta& meta, const std::string& features) {
  const std::map<std::string, NpyArray> arrays = read_npy_file(path);
  const std::string name = features.empty() ? "x" : features;
  return samples_of(find_array(arrays, path, name, "--features"), path + "[" + name + "]", meta);
}

}  // namespace mlc
