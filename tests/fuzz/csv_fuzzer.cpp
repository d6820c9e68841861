// libFuzzer target: arbitrary bytes through the CSV parser, the column encoding fitted on them (kind
// inference, categories, fill values), encoding the rows, standardizing them, and the encoding's text
// form (round trip, and the bytes themselves as an encoding text). Only mlc::Error may come out.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/error.h"
#include "data/csv_reader.h"
#include "data/standardizer.h"
#include "data/tabular_encoding.h"

namespace {

// A one-sample-batch model whose loss and output size the first input byte picks.
mlc::ModelMeta model(std::uint8_t pick, std::size_t inputs) {
  mlc::ModelMeta m;
  m.batch = 1;
  m.input.dims = {1, inputs};
  const std::size_t outputs = 1 + pick % 4;
  m.output.dims = {1, outputs};
  m.class_labels = pick & 4;
  m.loss = m.class_labels ? mlc::LossKind::CrossEntropy : (pick & 8) ? mlc::LossKind::BceLogits : mlc::LossKind::Mse;
  return m;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t pick = data[0];
  const char* text = reinterpret_cast<const char*>(data + 1);
  try {
    mlc::TabularEncoding::parse(std::string(text, size - 1), "fuzz");
  } catch (const mlc::Error&) {
  }
  try {
    const mlc::CsvTable table = mlc::parse_csv(text, size - 1, "fuzz.csv");
    mlc::TableOptions o;
    o.targets = {table.header.back()};
    o.target_is_input = table.columns() == 1;
    if (o.target_is_input) o.targets.clear();
    static const mlc::MissingPolicy policies[] = {mlc::MissingPolicy::Error, mlc::MissingPolicy::Drop,
                                                  mlc::MissingPolicy::Mean, mlc::MissingPolicy::Median,
                                                  mlc::MissingPolicy::Constant};
    o.missing = policies[(pick >> 4) % 5];
    o.unknown_zero = pick & 0x80;
    std::vector<std::size_t> rows;
    for (std::size_t r = 0; r < table.rows(); r += 1 + (pick & 1)) rows.push_back(r);
    mlc::ModelMeta meta = model(pick, 1);
    const mlc::TabularEncoding enc = mlc::infer_encoding(table, rows, o, meta);
    if (mlc::TabularEncoding::parse(enc.text(), "round trip").text() != enc.text()) std::abort();
    meta.input.dims = {1, enc.feature_width()};
    mlc::MissingCount missing;
    mlc::Split split = mlc::encode_table(table, {}, enc, meta, true, &missing);
    if (split.count) mlc::Standardizer::fit(split, enc.numeric_values()).apply(split);
  } catch (const mlc::Error&) {
  }
  return 0;
}
