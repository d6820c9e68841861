// Column choice, kind inference, imputation and one-hot coding of CSV tables; the encoding's text form.
#include "data/tabular_encoding.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

#include "core/error.h"

namespace mlc {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// A finite number written in full (a leading '+' allowed); false for anything else.
bool parse_number(std::string_view cell, double& out) {
  cell = trim(cell);
  if (!cell.empty() && cell.front() == '+') cell.remove_prefix(1);
  if (cell.empty()) return false;
  const auto r = std::from_chars(cell.data(), cell.data() + cell.size(), out);
  return r.ec == std::errc() && r.ptr == cell.data() + cell.size() && std::isfinite(out);
}

std::string quoted(std::string_view s) { return "'" + printable(s) + "'"; }

std::string at(const CsvTable& t, std::size_t row) { return t.path + ":" + std::to_string(t.line(row)); }

std::size_t column_of(const CsvTable& t, const std::string& name, const char* role) {
  const long c = t.find(name);
  if (c < 0) throw Error(t.path + ": no column '" + name + "' (" + role + "; the file has: " + t.column_list() + ")");
  return static_cast<std::size_t>(c);
}

std::vector<std::size_t> all_rows(const CsvTable& t) {
  std::vector<std::size_t> rows(t.rows());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  return rows;
}

// A target made of class indices (one column) rather than float values.
bool class_target(const ModelMeta& meta, std::size_t target_columns, bool categorical) {
  return meta.class_labels || (target_columns == 1 && meta.output_size() > 1) || categorical;
}

// A column's kind from its cells in `rows`: categorical if any non-missing cell is not a number,
// unless most cells are numbers: then the odd cell is an error (a typo, not a category), with a
// hint to force categories for a feature column.
bool is_categorical(const CsvTable& t, const std::vector<std::size_t>& rows, std::size_t c, bool feature = true) {
  std::size_t numbers = 0, words = 0, first_word = 0;
  for (std::size_t r : rows) {
    const std::string_view cell = t.cell(r, c);
    if (is_missing_cell(cell)) continue;
    double v;
    if (parse_number(cell, v)) {
      ++numbers;
    } else if (words++ == 0) {
      first_word = r;
    }
  }
  if (words && numbers > words) {
    throw Error(at(t, first_word) + ": column '" + printable(t.header[c]) + "': " + quoted(t.cell(first_word, c)) +
                " is not a number (most of the column's cells are" +
                (feature ? "; --categorical=" + printable(t.header[c]) + " treats it as categories)" : ")"));
  }
  return words != 0;
}

std::vector<std::string> categories_of(const CsvTable& t, const std::vector<std::size_t>& rows, std::size_t c) {
  std::set<std::string> seen;
  for (std::size_t r : rows) {
    const std::string_view cell = t.cell(r, c);
    if (!is_missing_cell(cell)) seen.emplace(trim(cell));
  }
  return {seen.begin(), seen.end()};
}

double fill_value(const CsvTable& t, const std::vector<std::size_t>& rows, std::size_t c, const TableOptions& o) {
  if (o.missing == MissingPolicy::Constant) return o.missing_constant;
  if (o.missing != MissingPolicy::Mean && o.missing != MissingPolicy::Median) return 0;
  std::vector<double> values;
  for (std::size_t r : rows) {
    double v;
    if (!is_missing_cell(t.cell(r, c)) && parse_number(t.cell(r, c), v)) values.push_back(v);
  }
  if (values.empty()) throw Error(t.path + ": column '" + t.header[c] + "' has no values to take a --missing fill from");
  if (o.missing == MissingPolicy::Mean) {
    double sum = 0;
    for (double v : values) sum += v;
    return sum / static_cast<double>(values.size());
  }
  // numpy.median: the middle value, or the mean of the two middle values.
  const std::size_t n = values.size(), mid = n / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  const double upper = values[mid];
  if (n % 2) return upper;
  return (*std::max_element(values.begin(), values.begin() + mid) + upper) / 2;
}

// Text form: percent-escaped names so any byte survives a line of space-separated tokens.
std::string escape(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string e;
  for (unsigned char c : s) {
    if (c > ' ' && c < 127 && c != '%') {
      e += static_cast<char>(c);
    } else {
      e += '%';
      e += hex[c >> 4];
      e += hex[c & 15];
    }
  }
  return e;
}

std::string unescape(const std::string& s, const std::string& where) {
  std::string u;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      u += s[i];
      continue;
    }
    auto digit = [&](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      throw Error(where + ": bad escape in '" + s + "'");
    };
    if (i + 2 >= s.size()) throw Error(where + ": bad escape in '" + s + "'");
    u += static_cast<char>(digit(s[i + 1]) * 16 + digit(s[i + 2]));
    i += 2;
  }
  if (u.empty()) throw Error(where + ": empty name");
  return u;
}

const char* policy_name(MissingPolicy p) {
  switch (p) {
    case MissingPolicy::Error: return "error";
    case MissingPolicy::Drop: return "drop";
    case MissingPolicy::Mean: return "mean";
    case MissingPolicy::Median: return "median";
    case MissingPolicy::Constant: return "constant";
  }
  return "error";
}

}  // namespace

bool is_missing_cell(std::string_view cell) {
  cell = trim(cell);
  return cell.empty() || cell == "NA" || cell == "N/A" || cell == "NaN" || cell == "nan" || cell == "null" ||
         cell == "NULL";
}

bool missing_policy_from_name(const std::string& name, MissingPolicy& policy) {
  for (MissingPolicy p : {MissingPolicy::Error, MissingPolicy::Drop, MissingPolicy::Mean, MissingPolicy::Median,
                          MissingPolicy::Constant}) {
    if (name == policy_name(p)) {
      policy = p;
      return true;
    }
  }
  return false;
}

std::size_t TabularEncoding::feature_width() const {
  std::size_t w = 0;
  for (const ColumnCode& c : features) w += c.width();
  return w;
}

std::vector<bool> TabularEncoding::numeric_values() const {
  std::vector<bool> v;
  for (const ColumnCode& c : features) v.insert(v.end(), c.width(), !c.categorical);
  return v;
}

std::string TabularEncoding::describe_features() const {
  std::size_t numeric = 0;
  std::string cats;
  for (const ColumnCode& c : features) {
    if (!c.categorical) {
      ++numeric;
    } else {
      cats += ", " + c.name + " (" + std::to_string(c.categories.size()) + " categories)";
    }
  }
  return std::to_string(numeric) + " numeric" + cats;
}

const std::vector<std::string>& TabularEncoding::class_names() const {
  static const std::vector<std::string> none;
  return targets.size() == 1 && targets[0].categorical ? targets[0].categories : none;
}

std::string TabularEncoding::text() const {
  std::ostringstream s;
  s << "mlc-tabular 1\nmissing " << policy_name(missing) << "\nunknown " << (unknown_zero ? "zero" : "error") << "\n";
  auto column = [&](const char* role, const ColumnCode& c) {
    s << role << ' ' << escape(c.name);
    if (c.categorical) {
      s << " categorical " << c.categories.size();
      for (const std::string& cat : c.categories) s << ' ' << escape(cat);
    } else {
      char fill[40];
      std::snprintf(fill, sizeof fill, "%a", c.fill);
      s << " numeric " << fill;
    }
    s << '\n';
  };
  for (const ColumnCode& c : features) column("feature", c);
  for (const ColumnCode& c : targets) column("target", c);
  return s.str();
}

TabularEncoding TabularEncoding::parse(const std::string& text, const std::string& where) {
  TabularEncoding e;
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line != "mlc-tabular 1") throw Error(where + ": not a table encoding");
  std::size_t n = 1;
  while (std::getline(in, line)) {
    const std::string at = where + ": line " + std::to_string(++n);
    std::istringstream words(line);
    std::string key, value;
    if (!(words >> key >> value)) throw Error(at + ": expected a key and a value");
    if (key == "missing") {
      if (!missing_policy_from_name(value, e.missing)) throw Error(at + ": unknown missing-value policy");
    } else if (key == "unknown") {
      if (value != "error" && value != "zero") throw Error(at + ": unknown must be error or zero");
      e.unknown_zero = value == "zero";
    } else if (key == "feature" || key == "target") {
      ColumnCode c;
      c.name = unescape(value, at);
      std::string kind;
      if (!(words >> kind)) throw Error(at + ": no column kind");
      if (kind == "numeric") {
        std::string fill;
        if (!(words >> fill)) throw Error(at + ": no fill value");
        char* end = nullptr;
        c.fill = std::strtod(fill.c_str(), &end);
        if (end != fill.c_str() + fill.size() || !std::isfinite(c.fill)) throw Error(at + ": bad fill value");
      } else if (kind == "categorical") {
        std::size_t count = 0;
        if (!(words >> count) || count == 0) throw Error(at + ": bad category count");
        std::string cat;
        while (words >> cat) {
          c.categories.push_back(unescape(cat, at));
          // Lookups binary-search them: sorted and unique, as fit_encoding writes them.
          if (c.categories.size() > 1 && !(c.categories[c.categories.size() - 2] < c.categories.back())) {
            throw Error(at + ": categories out of order");
          }
        }
        if (c.categories.size() != count) throw Error(at + ": expected " + std::to_string(count) + " categories");
        c.categorical = true;
      } else {
        throw Error(at + ": unknown column kind '" + kind + "'");
      }
      std::string extra;
      if (words >> extra) throw Error(at + ": unexpected '" + extra + "'");
      (key == "feature" ? e.features : e.targets).push_back(std::move(c));
    } else {
      throw Error(at + ": unknown key '" + key + "'");
    }
  }
  if (e.features.empty()) throw Error(where + ": no feature columns");
  return e;
}

TabularEncoding infer_encoding(const CsvTable& t, const std::vector<std::size_t>& chosen, const TableOptions& o,
                               const ModelMeta& meta) {
  const std::vector<std::size_t> rows = chosen.empty() ? all_rows(t) : chosen;
  TabularEncoding e;
  e.missing = o.missing;
  e.unknown_zero = o.unknown_zero;
  std::set<std::size_t> target_columns;
  for (const std::string& name : o.targets) {
    if (!target_columns.insert(column_of(t, name, "--target")).second) throw Error("--target names '" + name + "' twice");
  }
  std::vector<std::size_t> feature_columns;
  if (o.features.empty()) {
    for (std::size_t c = 0; c < t.columns(); ++c) {
      if (!target_columns.count(c)) feature_columns.push_back(c);
    }
  } else {
    for (const std::string& name : o.features) {
      const std::size_t c = column_of(t, name, "--features");
      if (target_columns.count(c)) throw Error("--features: '" + name + "' is also the target");
      if (std::find(feature_columns.begin(), feature_columns.end(), c) != feature_columns.end()) {
        throw Error("--features names '" + name + "' twice");
      }
      feature_columns.push_back(c);
    }
  }
  if (feature_columns.empty()) throw Error(t.path + ": no feature columns (the file has: " + t.column_list() + ")");
  for (const std::string& name : o.categorical) {
    const std::size_t c = column_of(t, name, "--categorical");
    if (std::find(feature_columns.begin(), feature_columns.end(), c) == feature_columns.end()) {
      throw Error("--categorical: '" + name + "' is not a feature column");
    }
  }

  for (std::size_t c : feature_columns) {
    ColumnCode code;
    code.name = t.header[c];
    code.categorical = std::find(o.categorical.begin(), o.categorical.end(), code.name) != o.categorical.end() ||
                       is_categorical(t, rows, c);
    if (code.categorical) {
      if (meta.token_input) throw Error(t.path + ": column '" + code.name + "' is categorical; a token-id model takes integer columns");
      code.categories = categories_of(t, rows, c);
      if (code.categories.empty()) throw Error(t.path + ": column '" + code.name + "' has no values in the training rows");
    } else {
      code.fill = fill_value(t, rows, c, o);
    }
    e.features.push_back(std::move(code));
  }

  for (const std::string& name : o.targets) {
    const std::size_t c = column_of(t, name, "--target");
    ColumnCode code;
    code.name = name;
    code.categorical = is_categorical(t, rows, c, /*feature=*/false);
    if (code.categorical) {
      code.categories = categories_of(t, rows, c);
      const bool binary = is_binary_loss(meta.loss) && meta.output_size() == 1;
      if (o.targets.size() != 1 || (!meta.class_labels && meta.output_size() == 1 && !binary)) {
        throw Error(t.path + ": target column '" + name + "' holds text (" + quoted(code.categories[0]) +
                    "); the model's loss " + loss_name(meta.loss) + " needs numbers there");
      }
      if (code.categories.size() > meta.classes()) {
        throw Error(t.path + ": target column '" + name + "' has " + std::to_string(code.categories.size()) +
                    " classes, the model " + std::to_string(meta.classes()));
      }
    }
    e.targets.push_back(std::move(code));
  }
  const bool classes = class_target(meta, e.targets.size(), !e.targets.empty() && e.targets[0].categorical);
  if (classes && e.targets.size() > 1) {
    throw Error(t.path + ": " + std::to_string(e.targets.size()) + " target columns; the model's loss " +
                loss_name(meta.loss) + " takes one class per sample (one --target column)");
  }
  if (!o.target_is_input && !classes && e.targets.size() != meta.output_size()) {
    throw Error(t.path + ": " + std::to_string(e.targets.size()) + " target column(s), the model's output has " +
                std::to_string(meta.output_size()) + " values per sample");
  }
  return e;
}

TabularEncoding fit_encoding(const CsvTable& t, const std::vector<std::size_t>& rows, const TableOptions& o,
                             const ModelMeta& meta) {
  TabularEncoding e = infer_encoding(t, rows, o, meta);
  if (e.feature_width() != meta.sample_size()) {
    throw Error(t.path + ": the features encode to " + std::to_string(e.feature_width()) + " values per sample (" +
                e.describe_features() + "), the model takes " + std::to_string(meta.sample_size()));
  }
  return e;
}

std::string MissingCount::describe(const std::string& file, MissingPolicy policy, std::size_t rows) const {
  std::string cols;
  for (std::size_t i = 0; i < by_column.size() && i < 5; ++i) {
    cols += (i ? ", " : "") + by_column[i].first + " " + std::to_string(by_column[i].second);
  }
  if (by_column.size() > 5) cols += ", ...";
  std::string s = file + ": " + std::to_string(cells) + " missing value" + (cells == 1 ? "" : "s") + " (" + cols + "): ";
  switch (policy) {
    case MissingPolicy::Drop:
      return s + "dropped " + std::to_string(rows_dropped) + " of " + std::to_string(rows) + " rows";
    case MissingPolicy::Mean: return s + "filled with the training means";
    case MissingPolicy::Median: return s + "filled with the training medians";
    default: return s + "filled with the constant";
  }
}

Split encode_table(const CsvTable& t, const std::vector<std::size_t>& chosen, const TabularEncoding& e,
                   const ModelMeta& meta, bool with_targets, MissingCount* missing, std::vector<std::size_t>* kept) {
  const std::vector<std::size_t> rows = chosen.empty() ? all_rows(t) : chosen;
  std::vector<std::size_t> fcols, tcols;
  for (const ColumnCode& c : e.features) fcols.push_back(column_of(t, c.name, "a feature of the training data"));
  if (with_targets) {
    for (const ColumnCode& c : e.targets) tcols.push_back(column_of(t, c.name, "the target of the training data"));
  }
  const bool classes = !tcols.empty() && class_target(meta, tcols.size(), e.targets[0].categorical);
  const std::size_t width = e.feature_width();

  Split s;
  s.pixels = width;
  std::map<std::string, std::size_t> per_column;
  std::vector<float> values(width);
  for (std::size_t r : rows) {
    // Missing cells first: a dropped row must leave nothing behind.
    bool drop = false;
    for (std::size_t i = 0; i < tcols.size(); ++i) {
      if (!is_missing_cell(t.cell(r, tcols[i]))) continue;
      if (e.missing != MissingPolicy::Drop) {
        throw Error(at(t, r) + ": the target '" + e.targets[i].name + "' has no value (--missing=drop drops such rows)");
      }
      drop = true;
      ++per_column[e.targets[i].name];
    }
    for (std::size_t i = 0; i < fcols.size(); ++i) {
      if (!is_missing_cell(t.cell(r, fcols[i]))) continue;
      if (e.missing == MissingPolicy::Error) {
        throw Error(at(t, r) + ": column '" + e.features[i].name +
                    "' has no value (--missing=drop|mean|median|constant:V handles missing values)");
      }
      drop = drop || e.missing == MissingPolicy::Drop;
      ++per_column[e.features[i].name];
    }
    if (drop) {
      if (missing) ++missing->rows_dropped;
      continue;
    }
    std::size_t v = 0;
    for (std::size_t i = 0; i < fcols.size(); ++i) {
      const ColumnCode& code = e.features[i];
      const std::string_view cell = t.cell(r, fcols[i]);
      const bool absent = is_missing_cell(cell);
      if (code.categorical) {
        std::fill(values.begin() + v, values.begin() + v + code.width(), 0.0f);
        if (!absent) {
          const std::string_view key = trim(cell);
          auto it = std::lower_bound(code.categories.begin(), code.categories.end(), key);
          if (it != code.categories.end() && *it == key) {
            values[v + (it - code.categories.begin())] = 1.0f;
          } else if (!e.unknown_zero) {
            throw Error(at(t, r) + ": column '" + code.name + "': category " + quoted(key) +
                        " is not in the training data (--unknown=zero encodes it as all zeros)");
          }
        }
        v += code.width();
        continue;
      }
      double x = code.fill;
      if (!absent && !parse_number(cell, x)) {
        throw Error(at(t, r) + ": column '" + code.name + "': " + quoted(cell) + " is not a number");
      }
      if (!std::isfinite(static_cast<float>(x))) {
        throw Error(at(t, r) + ": column '" + code.name + "': " + quoted(cell) + " is out of float32 range");
      }
      if (meta.token_input && (x < 0 || x != std::floor(x) || x > 16777216.0)) {
        throw Error(at(t, r) + ": column '" + code.name + "': token id " + quoted(trim(cell)) +
                    " is not an integer in [0, 2^24]");
      }
      values[v++] = static_cast<float>(x);
    }
    if (meta.token_input) {
      for (float x : values) s.tokens.push_back(static_cast<std::int32_t>(x));  // checked above
    } else {
      s.images.insert(s.images.end(), values.begin(), values.end());
    }
    for (std::size_t i = 0; i < tcols.size(); ++i) {
      const ColumnCode& code = e.targets[i];
      const std::string_view cell = t.cell(r, tcols[i]);
      if (code.categorical) {
        const std::string_view key = trim(cell);
        auto it = std::lower_bound(code.categories.begin(), code.categories.end(), key);
        if (it == code.categories.end() || *it != key) {
          throw Error(at(t, r) + ": target '" + code.name + "': class " + quoted(key) + " is not in the training data");
        }
        s.labels.push_back(static_cast<std::int32_t>(it - code.categories.begin()));
        continue;
      }
      double x;
      if (!parse_number(cell, x) || !std::isfinite(static_cast<float>(x))) {
        throw Error(at(t, r) + ": target '" + code.name + "': " + quoted(cell) + " is not a number");
      }
      if (classes) {
        if (x != std::floor(x) || x < 0 || x >= static_cast<double>(meta.classes())) {
          throw Error(at(t, r) + ": target '" + code.name + "': " + quoted(trim(cell)) + " is not a class index in [0, " +
                      std::to_string(meta.classes()) + ")");
        }
        s.labels.push_back(static_cast<std::int32_t>(x));
      } else {
        s.targets.push_back(static_cast<float>(x));
      }
    }
    ++s.count;
    if (kept) kept->push_back(r);
  }
  if (!s.targets.empty()) {
    s.target_size = tcols.size();
    // A binary classifier's 0/1 targets are also its class labels (accuracy, AUC, ...).
    if (is_binary_loss(meta.loss) && tcols.size() == 1 &&
        std::all_of(s.targets.begin(), s.targets.end(), [](float x) { return x == 0.0f || x == 1.0f; })) {
      s.labels.assign(s.targets.begin(), s.targets.end());
    }
  }
  if (missing) {
    for (const ColumnCode& c : e.features) {
      if (per_column.count(c.name)) missing->by_column.emplace_back(c.name, per_column[c.name]);
    }
    for (const ColumnCode& c : e.targets) {
      if (per_column.count(c.name)) missing->by_column.emplace_back(c.name, per_column[c.name]);
    }
    for (const auto& kv : missing->by_column) missing->cells += kv.second;
  }
  return s;
}

void check_encoding_fits(const TabularEncoding& e, const ModelMeta& meta, const std::string& where) {
  if (e.feature_width() != meta.sample_size()) {
    throw Error(where + ": its column encoding gives " + std::to_string(e.feature_width()) +
                " values per sample, this model takes " + std::to_string(meta.sample_size()));
  }
  for (const ColumnCode& c : e.targets) {
    if (c.categorical && c.categories.size() > meta.classes()) {
      throw Error(where + ": its target '" + printable(c.name) + "' has " + std::to_string(c.categories.size()) +
                  " classes, this model " + std::to_string(meta.classes()));
    }
  }
}

std::vector<std::int32_t> stratum_keys(const CsvTable& t, const TableOptions& o, const ModelMeta& meta) {
  std::vector<std::int32_t> keys(t.rows(), 0);
  if (o.targets.size() != 1) return keys;
  const std::size_t c = column_of(t, o.targets[0], "--target");
  const std::vector<std::size_t> rows = all_rows(t);
  // Classes: text, class indices, or a binary model's 0/1 values; anything else is one stratum.
  const bool text = is_categorical(t, rows, c, /*feature=*/false);
  if (!text && !class_target(meta, 1, false)) {
    if (!is_binary_loss(meta.loss)) return keys;
    for (std::size_t r : rows) {
      double v;
      if (!is_missing_cell(t.cell(r, c)) && (!parse_number(t.cell(r, c), v) || (v != 0 && v != 1))) return keys;
    }
  }
  std::map<std::string_view, std::int32_t> ids;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    keys[r] = ids.emplace(trim(t.cell(r, c)), static_cast<std::int32_t>(ids.size())).first->second;
  }
  return keys;
}

}  // namespace mlc
