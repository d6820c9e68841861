// IDX directories hold class labels; .npz archives class indices or float targets; CSV tables any
// columns, encoded by a TabularEncoding fitted on the training rows. Either way the split leaves here
// shaped for the model's label (one-hot or 0/1 targets for float-label models).
#include "train/data_sources.h"

#include <cstdio>

#include "core/error.h"
#include "data/array_dataset.h"
#include "data/csv_reader.h"
#include "data/validation_split.h"

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

TableOptions table_options(const Options& o) {
  TableOptions t;
  t.target_is_input = o.target == "input";
  if (!t.target_is_input) t.targets = split_names("target", o.target);
  if (!o.features.empty()) t.features = split_names("features", o.features);
  t.categorical = o.categorical;
  if (!missing_policy_from_name(o.missing, t.missing)) throw Error("--missing=" + o.missing + ": unknown policy");
  t.missing_constant = o.missing_constant;
  t.unknown_zero = o.unknown_zero;
  return t;
}

// Rows of `table` split into training and --test-split rows (stratified by the target's class).
void split_rows(const CsvTable& table, const Options& options, const ModelMeta& meta, std::vector<std::size_t>& train,
                std::vector<std::size_t>& test) {
  const std::vector<char> held = stratified_holdout(stratum_keys(table, table_options(options), meta), *options.test_split,
                                                    options.seed, HoldOut::Test, "--test-split");
  for (std::size_t r = 0; r < table.rows(); ++r) (held[r] ? test : train).push_back(r);
}

// Encodes rows of a table and says what happened to its missing cells.
Split encode_rows(const CsvTable& table, const std::vector<std::size_t>& rows, const TabularEncoding& encoding,
                  const Options& options, const ModelMeta& meta, bool with_targets, const std::string& what,
                  std::vector<std::size_t>* kept = nullptr) {
  MissingCount missing;
  Split split = encode_table(table, rows, encoding, meta, with_targets, &missing, kept);
  if (missing.cells) {
    std::printf("%s\n", missing.describe(what, encoding.missing, rows.empty() ? table.rows() : rows.size()).c_str());
  }
  if (split.count == 0) throw Error(what + ": no rows left (every row has a missing value)");
  if (with_targets) fit(split, table.path, options, meta);
  return split;
}

const TabularEncoding& checkpoint_encoding(const DataTransform& t, const std::string& path, const ModelMeta& meta) {
  if (!t.table) throw Error(path + ": CSV data needs a model trained on CSV data (the checkpoint holds no column encoding)");
  check_encoding_fits(*t.table, meta, "the checkpoint");
  return *t.table;
}

void standardize(Split& split, const DataTransform& t) {
  if (t.standardizer && split.count) t.standardizer->apply(split);
}

}  // namespace

RunData load_run_data(const Options& options, const ModelMeta& meta) {
  RunData d;
  const std::string& train_path = options.train_path;
  if (!train_path.empty() && is_csv_path(train_path)) {
    const CsvTable table = read_csv(train_path);
    std::vector<std::size_t> train_rows, test_rows;
    if (options.test_split) {
      split_rows(table, options, meta, train_rows, test_rows);
    } else {
      for (std::size_t r = 0; r < table.rows(); ++r) train_rows.push_back(r);
    }
    if (train_rows.empty()) throw Error(train_path + ": no data rows");
    d.transform.table = fit_encoding(table, train_rows, table_options(options), meta);
    const TabularEncoding& enc = *d.transform.table;
    std::printf("%s: %zu rows, features: %s (%zu values)\n", train_path.c_str(), table.rows(),
                enc.describe_features().c_str(), enc.feature_width());
    d.train = encode_rows(table, train_rows, enc, options, meta, true, train_path);
    if (options.test_split) {
      d.test = encode_rows(table, test_rows, enc, options, meta, true, train_path + " (--test-split rows)");
    } else {
      d.test = encode_rows(read_csv(options.test_path), {}, enc, options, meta, true, options.test_path);
    }
  } else if (!train_path.empty()) {
    d.train = load_npz(train_path, options, meta);
    d.test = options.test_split ? split_holdout(d.train, *options.test_split, options.seed, HoldOut::Test)
                                : load_npz(options.test_path, options, meta);
  } else {
    Dataset idx = load_dataset(options.data_dir, meta.sample_size(), meta.classes(), meta.token_input,
                               options.limit_train.value_or(SIZE_MAX), options.limit_test.value_or(SIZE_MAX));
    d.train = std::move(idx.train);
    d.test = std::move(idx.test);
    fit(d.train, options.data_dir, options, meta);
    fit(d.test, options.data_dir, options, meta);
  }
  if (options.limit_train) d.train.truncate(*options.limit_train);
  if (options.limit_test) d.test.truncate(*options.limit_test);
  if (options.val_split) d.val = split_validation(d.train, *options.val_split, options.seed);
  if (!options.val_dir.empty()) d.val = load_idx_test(options.val_dir, options, meta);
  if (options.standardize) {
    d.transform.standardizer =
        Standardizer::fit(d.train, d.transform.table ? d.transform.table->numeric_values() : std::vector<bool>());
    for (Split* s : {&d.train, &d.val, &d.test}) standardize(*s, d.transform);
  }
  return d;
}

Split load_test_data(const Options& options, const ModelMeta& meta, const DataTransform& transform) {
  Split split;
  if (!options.test_path.empty() && is_csv_path(options.test_path)) {
    split = encode_rows(read_csv(options.test_path), {}, checkpoint_encoding(transform, options.test_path, meta), options,
                        meta, true, options.test_path);
  } else if (!options.test_path.empty()) {
    split = load_npz(options.test_path, options, meta);
  } else if (options.test_split && is_csv_path(options.train_path)) {
    const CsvTable table = read_csv(options.train_path);
    std::vector<std::size_t> train_rows, test_rows;
    split_rows(table, options, meta, train_rows, test_rows);
    split = encode_rows(table, test_rows, checkpoint_encoding(transform, options.train_path, meta), options, meta, true,
                        options.train_path + " (--test-split rows)");
  } else if (options.test_split) {
    Split train = load_npz(options.train_path, options, meta);
    split = split_holdout(train, *options.test_split, options.seed, HoldOut::Test);
  } else if (!options.data_dir.empty()) {
    split = load_idx_test(options.data_dir, options, meta);
  } else {
    throw Error("--evaluate needs --data=DIR, --test=FILE or --train=FILE --test-split=F");
  }
  standardize(split, transform);
  return split;
}

PredictionInput load_prediction_input(const Options& options, const ModelMeta& meta, const DataTransform& transform) {
  const std::string& path = options.input_path;
  PredictionInput in;
  if (is_csv_path(path)) {
    in.samples = encode_rows(read_csv(path), {}, checkpoint_encoding(transform, path, meta), options, meta, false, path, &in.rows);
  } else if (path.size() > 4 && (path.compare(path.size() - 4, 4, ".npz") == 0 || path.compare(path.size() - 4, 4, ".npy") == 0)) {
    in.samples = load_array_samples(path, meta, options.features);
  } else {
    in.samples = load_images(path, meta.sample_size(), meta.token_input);
  }
  if (in.rows.empty()) {
    for (std::size_t i = 0; i < in.samples.count; ++i) in.rows.push_back(i);
  }
  standardize(in.samples, transform);
  return in;
}

}  // namespace mlc
