// Columns of a CSV table to model inputs and targets: numeric and one-hot categorical features,
// missing-value policies, class or float targets. Fitted on the training rows, reused everywhere else.
#ifndef MLC_RUNTIME_DATA_TABULAR_ENCODING_H
#define MLC_RUNTIME_DATA_TABULAR_ENCODING_H

#include <cstddef>
#include <string>
#include <vector>

#include "core/model_meta.h"
#include "data/csv_reader.h"
#include "data/dataset.h"

namespace mlc {

enum class MissingPolicy { Error, Drop, Mean, Median, Constant };

// How a table's columns are chosen and cleaned (the trainer's flags).
struct TableOptions {
  std::vector<std::string> targets;      // --target columns; empty with target_is_input
  bool target_is_input = false;          // --target=input (autoencoders)
  std::vector<std::string> features;     // --features columns; empty: every column that is not a target
  std::vector<std::string> categorical;  // --categorical: columns one-hot encoded even if numeric
  MissingPolicy missing = MissingPolicy::Error;
  double missing_constant = 0;           // --missing=constant:V
  bool unknown_zero = false;             // --unknown=zero: an unseen category encodes as all zeros
};

// The policy named error, drop, mean, median or constant; false for any other name.
bool missing_policy_from_name(const std::string& name, MissingPolicy& policy);

struct ColumnCode {
  std::string name;
  bool categorical = false;
  std::vector<std::string> categories;  // sorted; one encoded value each (features) or a class each (targets)
  double fill = 0;                      // a numeric feature's value for a missing cell (mean, median, constant)
  std::size_t width() const { return categorical ? categories.size() : 1; }
};

// What fit_encoding learned from the training rows; stored in checkpoints (text()) so evaluation and
// prediction encode new files exactly as the training data was.
struct TabularEncoding {
  std::vector<ColumnCode> features, targets;
  MissingPolicy missing = MissingPolicy::Error;
  bool unknown_zero = false;

  std::size_t feature_width() const;  // encoded values per sample
  // Per encoded value: true for numeric features (what --standardize scales), false for one-hot codes.
  std::vector<bool> numeric_values() const;
  // "30 numeric, sex (2 categories), ..." for the trainer's data line.
  std::string describe_features() const;
  // The class names of a categorical class target, else empty.
  const std::vector<std::string>& class_names() const;

  std::string text() const;
  // Parses text(); throws mlc::Error("<where>: ...") on anything malformed.
  static TabularEncoding parse(const std::string& text, const std::string& where);
};

// Chooses the columns (errors list the file's columns), decides each feature's kind (numeric unless
// --categorical or most cells are not numbers), its categories and fill value from the training rows
// `rows` of `table` (every row if empty), and checks the encoded width against the model's input and the target columns
// against its output. A numeric column with a non-number cell is an error naming line and column.
TabularEncoding fit_encoding(const CsvTable& table, const std::vector<std::size_t>& rows, const TableOptions& options,
                             const ModelMeta& meta);
// fit_encoding without the check of the encoded width against the model's input (the fuzzer's way in).
TabularEncoding infer_encoding(const CsvTable& table, const std::vector<std::size_t>& rows, const TableOptions& options,
                               const ModelMeta& meta);

// Missing cells seen while encoding, for the trainer's report.
struct MissingCount {
  std::size_t cells = 0, rows_dropped = 0;
  std::vector<std::pair<std::string, std::size_t>> by_column;  // columns with missing cells
  std::string describe(const std::string& file, MissingPolicy policy, std::size_t rows) const;
};

// Encodes `rows` of `table` (every row if empty) into a split for `meta`'s model: features one-hot or
// numeric, missing cells by the policy, targets as class indices or floats (fit_targets is left to
// the caller). With `with_targets` false the target columns may be absent (prediction input). `kept`
// receives the table row of each sample (rows with missing cells are dropped under --missing=drop).
Split encode_table(const CsvTable& table, const std::vector<std::size_t>& rows, const TabularEncoding& encoding,
                   const ModelMeta& meta, bool with_targets, MissingCount* missing,
                   std::vector<std::size_t>* kept = nullptr);

// True for the cells that mean "no value": empty, NA, N/A, NaN, nan, null, NULL (after trimming spaces).
bool is_missing_cell(std::string_view cell);

// Checks a stored encoding (a checkpoint's) against `meta`: its width is the model's input, its
// target classes fit the model's. Errors name `where`.
void check_encoding_fits(const TabularEncoding& encoding, const ModelMeta& meta, const std::string& where);

// Class keys of every row for a stratified split: the target cell's text for a one-column class
// target (text, class indices, or a binary model's 0/1 values), else 0 for every row.
std::vector<std::int32_t> stratum_keys(const CsvTable& table, const TableOptions& options, const ModelMeta& meta);

}  // namespace mlc

#endif  // MLC_RUNTIME_DATA_TABULAR_ENCODING_H
