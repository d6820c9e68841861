// NumPy arrays into a Split: the shapes and dtypes are checked against the model before any copy.
#include "data/array_dataset.h"

#include <cmath>

#include "core/error.h"
#include "data/npy_reader.h"

namespace mlc {

Split load_array_split(const std::string& path, std::size_t pixels, std::size_t classes, bool tokens,
                       const ArrayNames& names) {
  std::map<std::string, NpyArray> arrays = read_npy_file(path);
  auto find = [&](const std::string& name, const char* flag) -> const NpyArray& {
    auto it = arrays.find(name);
    if (it == arrays.end()) {
      std::string have;
      for (const auto& kv : arrays) have += (have.empty() ? "" : ", ") + (kv.first.empty() ? std::string("(a .npy file)") : kv.first);
      throw Error(path + ": no array '" + name + "' (" + flag + "; the file has: " + (have.empty() ? "none" : have) + ")");
    }
    return it->second;
  };
  const NpyArray& x = find(names.features, "--features");
  const NpyArray& y = find(names.target, "--target");
  const std::string xs = path + "[" + names.features + "]", ys = path + "[" + names.target + "]";
  if (x.shape.empty()) throw Error(xs + ": expected an array of samples, found a scalar");
  const std::size_t n = x.shape[0];
  std::size_t per = 1;
  for (std::size_t i = 1; i < x.shape.size(); ++i) per *= x.shape[i];
  if (per != pixels) {
    throw Error(xs + ": samples hold " + std::to_string(per) + " values, the model takes " + std::to_string(pixels));
  }
  if (y.shape.empty() || y.shape[0] != n || y.size() != n) {
    throw Error(ys + ": expected one class index per sample (" + std::to_string(n) + "), found shape with " +
                std::to_string(y.size()) + " values");
  }
  if (!y.is_integer()) throw Error(ys + ": class indices must be integers, found " + npy_type_name(y.type));

  Split split;
  split.count = n;
  split.pixels = pixels;
  split.labels.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double v = y.value(i);
    if (v < 0 || v >= static_cast<double>(classes)) {
      throw Error(ys + ": class " + std::to_string(static_cast<long long>(v)) + " at index " + std::to_string(i) +
                  " is out of range for a model with " + std::to_string(classes) + " classes");
    }
    split.labels[i] = static_cast<std::int32_t>(v);
  }
  if (tokens) {
    if (!x.is_integer()) throw Error(xs + ": a token-id model needs integer features, found " + npy_type_name(x.type));
    split.tokens.resize(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double v = x.value(i);
      if (v < 0 || v > 2147483647.0) throw Error(xs + ": token id " + std::to_string(static_cast<long long>(v)) + " at index " + std::to_string(i) + " is out of range");
      split.tokens[i] = static_cast<std::int32_t>(v);
    }
  } else {
    split.images = x.to_float();
    for (std::size_t i = 0; i < split.images.size(); ++i) {
      if (!std::isfinite(split.images[i])) {
        throw Error(xs + ": value " + std::to_string(x.value(i)) + " at index " + std::to_string(i) + " is not finite as float32");
      }
    }
  }
  return split;
}

}  // namespace mlc
