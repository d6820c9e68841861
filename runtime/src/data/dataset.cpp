// MNIST-layout loading: finds the four files, converts pixels to [0,1] and checks them against the model.
#include "data/dataset.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/error.h"
#include "data/idx_reader.h"

namespace mlc {
namespace {

bool is_regular_file(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

void Split::truncate(std::size_t n) {
  if (n >= count) return;
  count = n;
  if (tokens.empty()) images.resize(n * pixels);
  else tokens.resize(n * pixels);
  if (!labels.empty()) labels.resize(n);
  targets.resize(std::min(targets.size(), n * target_size));
  targets.shrink_to_fit();
  images.shrink_to_fit();
  tokens.shrink_to_fit();
  labels.shrink_to_fit();
}

void Split::copy_label(std::size_t s, void* dst) const {
  if (target_is_input || !targets.empty()) {
    std::memcpy(dst, target(s), label_values() * sizeof(float));
  } else if (!labels.empty()) {
    std::memcpy(dst, &labels[s], sizeof(std::int32_t));
  } else {
    std::memset(dst, 0, sizeof(std::int32_t));  // samples without targets (prediction input)
  }
}

void fit_targets(Split& split, const ModelMeta& meta, const std::string& what) {
  const std::size_t outputs = meta.output_size();
  if (split.target_is_input) {
    if (meta.class_labels) {
      throw Error(std::string("--target=input: loss ") + loss_name(meta.loss) +
                  " takes class indices; reconstructing the input needs a float-target loss (mse, l1, ...)");
    }
    if (!split.tokens.empty()) throw Error("--target=input: the model's input is token ids, not values it can reproduce");
    if (split.pixels != outputs) {
      throw Error("--target=input: the model's output has " + std::to_string(outputs) + " values per sample, its input " +
                  std::to_string(split.pixels));
    }
    split.targets.clear();
    split.target_size = outputs;
    return;
  }
  if (meta.class_labels) {
    if (split.labels.empty()) {
      throw Error(what + ": loss " + loss_name(meta.loss) + " needs integer class indices, the data has float targets");
    }
    return;
  }
  if (!split.targets.empty()) {
    if (split.target_size != outputs) {
      throw Error(what + ": targets hold " + std::to_string(split.target_size) + " values per sample, the model's output " +
                  std::to_string(outputs));
    }
    return;
  }
  // Class indices for a float label (already checked < meta.classes() by the loader).
  split.target_size = outputs;
  split.targets.assign(split.count * outputs, 0.0f);
  for (std::size_t s = 0; s < split.count; ++s) {
    if (outputs == 1) split.targets[s] = static_cast<float>(split.labels[s]);
    else split.targets[s * outputs + static_cast<std::size_t>(split.labels[s])] = 1.0f;
  }
}

std::string find_idx_file(const std::string& dir, const std::string& name) {
  std::string base = dir;
  if (!base.empty() && base.back() != '/') base += '/';
  base += name;
  if (is_regular_file(base)) return base;
  if (is_regular_file(base + ".gz")) return base + ".gz";
  throw Error(base + ": not found (nor " + name + ".gz)");
}

namespace {

// load_images, also saying how many images the file holds (`limit` may decode fewer).
Split decode_images(const std::string& images_path, std::size_t pixels, bool tokens, std::size_t limit,
                    std::size_t& in_file) {
  IdxArray images = read_idx(images_path);
  if (images.dims.size() < 2) {
    throw Error(images_path + ": expected an image file (IDX with at least 2 dimensions), found 1");
  }
  Split split;
  split.count = images.dims[0];
  split.pixels = 1;
  for (std::size_t i = 1; i < images.dims.size(); ++i) split.pixels *= images.dims[i];
  if (split.pixels != pixels) {
    std::string shape;
    for (std::size_t i = 1; i < images.dims.size(); ++i) shape += (i > 1 ? "x" : "") + std::to_string(images.dims[i]);
    throw Error(images_path + ": images are " + shape + " (" + std::to_string(split.pixels) +
                " values) but the model takes " + std::to_string(pixels) + " values per sample");
  }
  // Only the first `limit` samples are decoded: a run with --limit-train does not hold the whole
  // set as floats (Fashion-MNIST's 60,000 images are 188 MB of them).
  in_file = split.count;
  split.count = std::min(split.count, limit);
  const std::size_t values = split.count * split.pixels;
  if (tokens) {
    split.tokens.resize(values);
    for (std::size_t i = 0; i < values; ++i) {
      if (images.value(i) < 0) {
        throw Error(images_path + ": token id " + std::to_string(images.value(i)) + " at index " + std::to_string(i) +
                    " is negative");
      }
      split.tokens[i] = static_cast<std::int32_t>(images.value(i));
    }
  } else {
    if (images.int32) {
      throw Error(images_path + ": holds int32 values (token ids); this model takes images of unsigned bytes");
    }
    split.images.resize(values);
    for (std::size_t i = 0; i < values; ++i) split.images[i] = images.data[i] / 255.0f;
  }
  split.labels.assign(split.count, 0);
  return split;
}

}  // namespace

Split load_images(const std::string& images_path, std::size_t pixels, bool tokens, std::size_t limit) {
  std::size_t in_file = 0;
  return decode_images(images_path, pixels, tokens, limit, in_file);
}

Split load_split(const std::string& images_path, const std::string& labels_path, std::size_t pixels,
                 std::size_t classes, bool tokens, std::size_t limit) {
  IdxArray labels = read_idx(labels_path);
  if (labels.dims.size() != 1) {
    throw Error(labels_path + ": expected a label file (IDX with 1 dimension), found " +
                std::to_string(labels.dims.size()) + " dimensions");
  }
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels.value(i) < 0 || static_cast<std::uint64_t>(labels.value(i)) >= classes) {
      throw Error(labels_path + ": label " + std::to_string(labels.value(i)) + " at index " + std::to_string(i) +
                  " is out of range for a model with " + std::to_string(classes) + " classes");
    }
  }
  std::size_t images = 0;
  Split split = decode_images(images_path, pixels, tokens, limit, images);
  if (labels.dims[0] != images) {
    throw Error(labels_path + ": has " + std::to_string(labels.dims[0]) + " labels but " + images_path + " has " +
                std::to_string(images) + " images");
  }
  for (std::size_t i = 0; i < split.count; ++i) split.labels[i] = static_cast<std::int32_t>(labels.value(i));
  return split;
}

Dataset load_dataset(const std::string& dir, std::size_t pixels, std::size_t classes, bool tokens,
                     std::size_t limit_train, std::size_t limit_test) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) throw Error(dir + ": cannot open data directory: " + std::strerror(errno));
  if (!S_ISDIR(st.st_mode)) throw Error(dir + ": data path is not a directory");
  // Resolve all four names first so a missing file is reported before minutes of decompression.
  std::string train_images = find_idx_file(dir, "train-images-idx3-ubyte");
  std::string train_labels = find_idx_file(dir, "train-labels-idx1-ubyte");
  std::string test_images = find_idx_file(dir, "t10k-images-idx3-ubyte");
  std::string test_labels = find_idx_file(dir, "t10k-labels-idx1-ubyte");
  Dataset data;
  data.train = load_split(train_images, train_labels, pixels, classes, tokens, limit_train);
  data.test = load_split(test_images, test_labels, pixels, classes, tokens, limit_test);
  return data;
}

}  // namespace mlc
