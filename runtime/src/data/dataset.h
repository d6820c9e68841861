// Loads and validates an MNIST-layout directory of IDX files into float images (or int32 token ids)
// and int32 labels.
#ifndef MLC_RUNTIME_DATASET_H
#define MLC_RUNTIME_DATASET_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/model_meta.h"

namespace mlc {

struct Split {
  std::size_t count = 0;        // number of samples
  std::size_t pixels = 0;       // values per sample
  std::vector<float> images;    // count * pixels, each byte / 255 (empty for token data)
  std::vector<std::int32_t> tokens;  // count * pixels, each value as stored (token-id models)
  std::vector<std::int32_t> labels;  // count class indices (empty for regression data)
  // Float targets, target_size per sample: regression data, or class labels encoded for a model with a
  // float label (fit_targets). Empty when the label is the class index or the sample itself.
  std::vector<float> targets;
  std::size_t target_size = 0;
  bool target_is_input = false;  // an autoencoder's: the target is the sample

  // Sample `s`: `pixels` 4-byte values, floats or token ids (the model's input buffer holds either).
  const void* sample(std::size_t s) const {
    return tokens.empty() ? static_cast<const void*>(images.data() + s * pixels) : tokens.data() + s * pixels;
  }

  // Class labels scored by classification metrics (else regression metrics score the targets).
  bool classification() const { return !labels.empty() && !target_is_input; }
  // Sample `s`'s label buffer row: one int32 class index, or target_size floats (the sample's own
  // values with target_is_input); a zero for samples without targets (prediction input).
  void copy_label(std::size_t s, void* dst) const;
  // The float target of sample `s` (targets or the sample itself); only for float-label splits.
  const float* target(std::size_t s) const {
    return target_is_input ? images.data() + s * pixels : targets.data() + s * target_size;
  }
  // 4-byte values per label row.
  std::size_t label_values() const { return target_is_input ? pixels : targets.empty() ? 1 : target_size; }

  // Keeps only the first `n` samples (no-op if there are fewer).
  void truncate(std::size_t n);
};

struct Dataset {
  Split train;
  Split test;
};

// Makes `split` fit `meta`'s label: class-label models need class indices; for a float label, class
// indices become one-hot targets (or the 0/1 target of a one-output binary model), float targets must
// hold the output's values per sample, and `target_is_input` (--target=input) needs samples of the
// output's size. Errors name `what` (the data's file or directory).
void fit_targets(Split& split, const ModelMeta& meta, const std::string& what);

// Reads one images/labels file pair and checks it against the model: equal counts, `pixels` values
// per image, labels < `classes`. Errors name the offending file. With `tokens` the values are kept
// as integers (token ids: bytes, or the values of an int32 IDX file) instead of scaled to [0, 1].
// Only the first `limit` samples are decoded (every label is still checked).
Split load_split(const std::string& images_path, const std::string& labels_path, std::size_t pixels,
                 std::size_t classes, bool tokens = false, std::size_t limit = SIZE_MAX);

// Reads an images file alone (labels all 0), checked against the model's values per sample.
Split load_images(const std::string& images_path, std::size_t pixels, bool tokens = false,
                  std::size_t limit = SIZE_MAX);

// Returns dir/name if it exists, else dir/name.gz if that exists; otherwise throws naming both.
std::string find_idx_file(const std::string& dir, const std::string& name);

// Loads train-{images-idx3,labels-idx1}-ubyte and t10k-... (each raw or .gz) from `dir`, the
// first `limit_train` / `limit_test` samples of each (--limit-train, --limit-test).
Dataset load_dataset(const std::string& dir, std::size_t pixels, std::size_t classes, bool tokens = false,
                     std::size_t limit_train = SIZE_MAX, std::size_t limit_test = SIZE_MAX);

}  // namespace mlc

#endif  // MLC_RUNTIME_DATASET_H
