// IDX directories hold class labels; .npz archives class indices or float targets. Either way the split
// leaves here shaped for the model's label (one-hot or 0/1 targets for float-label models).
#include "train/data_sources.h"

#include "core/error.h"
#include "data/array_dataset.h"

namespace mlc {
namespace {

void fit(Split& split, const std::string& what, const Options& options, const ModelMeta& meta) {
  split.target_is_input = options.target == "input";
  fit_targets(split, meta, what);
}

// The t10k-* pair of an IDX directory.
Split load_idx_test(const std::string& dir, const Options& options, const ModelMeta& meta) {
  Split split = load_split(find_idx_file(dir, "t10k-images-idx3-ubyte"), find_idx_file(dir, "t10k-labels-idx1-ubyte"),
                           meta.sample_size(), meta.classes(), meta.token_input);
  fit(split, dir, options, meta);
  return split;
}

Split load_npz(const std::string& path, const Options& options, const ModelMeta& meta) {
  return load_array_split(path, meta, ArrayNames{options.features, options.target});
}

}  // namespace

Dataset load_run_data(const Options& options, const ModelMeta& meta) {
  Dataset data;
  if (!options.train_path.empty()) {
    data.train = load_npz(options.train_path, options, meta);
    data.test = load_npz(options.test_path, options, meta);
  } else {
    data = load_dataset(options.data_dir, meta.sample_size(), meta.classes(), meta.token_input);
    fit(data.train, options.data_dir, options, meta);
    fit(data.test, options.data_dir, options, meta);
  }
  return data;
}

Split load_test_data(const Options& options, const ModelMeta& meta) {
  if (!options.test_path.empty()) return load_npz(options.test_path, options, meta);
  if (options.data_dir.empty()) throw Error("--evaluate needs --data=DIR or --test=FILE");
  return load_idx_test(options.data_dir, options, meta);
}

Split load_validation_dir(const Options& options, const ModelMeta& meta) {
  return load_idx_test(options.val_dir, options, meta);
}

}  // namespace mlc
