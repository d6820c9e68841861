// A small strict JSON reader for the log's flat records; enough of JSON for what the trainer writes.
#include "report/run_log.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace mlc {
namespace {

struct Value {
  enum Kind { Null, Number, Bool, String, Array } kind = Null;
  double number = NAN;
  std::string text;
  std::vector<Value> items;
};

class Parser {
 public:
  explicit Parser(const std::string& s) : s_(s) {}

  // One object; false on any syntax error or trailing characters.
  bool object(std::vector<std::pair<std::string, Value>>& out) {
    skip();
    if (!eat('{')) return false;
    skip();
    if (eat('}')) return end();
    while (true) {
      std::string key;
      Value v;
      skip();
      if (!string(key)) return false;
      skip();
      if (!eat(':')) return false;
      if (!value(v, 0)) return false;
      out.emplace_back(std::move(key), std::move(v));
      skip();
      if (eat('}')) return end();
      if (!eat(',')) return false;
    }
  }

 private:
  bool end() {
    skip();
    return pos_ == s_.size();
  }
  void skip() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\r')) ++pos_;
  }
  bool eat(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool literal(const char* word) {
    const std::size_t n = std::strlen(word);
    if (s_.compare(pos_, n, word) != 0) return false;
    pos_ += n;
    return true;
  }
  bool string(std::string& out) {
    if (!eat('"')) return false;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      if (s_[pos_] == '\\') {
        if (++pos_ >= s_.size()) return false;
        const char c = s_[pos_];
        if (c != '"' && c != '\\' && c != '/') return false;  // the trainer writes no other escapes
      }
      out += s_[pos_++];
    }
    return eat('"');
  }
  bool value(Value& v, int depth) {
    skip();
    if (pos_ >= s_.size()) return false;
    const char c = s_[pos_];
    if (c == '"') {
      v.kind = Value::String;
      return string(v.text);
    }
    if (c == '[') {
      if (depth >= 2) return false;
      ++pos_;
      v.kind = Value::Array;
      skip();
      if (eat(']')) return true;
      while (true) {
        v.items.emplace_back();
        if (!value(v.items.back(), depth + 1)) return false;
        skip();
        if (eat(']')) return true;
        if (!eat(',')) return false;
      }
    }
    if (literal("null")) return true;
    if (literal("true") || literal("false")) {
      v.kind = Value::Bool;
      v.number = s_[pos_ - 2] == 'u' ? 1 : 0;  // "true" ends in "ue", "false" in "se"
      return true;
    }
    // A JSON number: strtod accepts more (hex, inf, nan), so check the characters first.
    std::size_t end = pos_;
    while (end < s_.size() && s_[end] != '\0' && std::strchr("+-0123456789.eE", s_[end])) ++end;
    if (end == pos_) return false;
    const std::string digits = s_.substr(pos_, end - pos_);
    char* stop = nullptr;
    errno = 0;
    v.number = std::strtod(digits.c_str(), &stop);
    if (stop != digits.c_str() + digits.size() || errno == ERANGE) return false;
    v.kind = Value::Number;
    pos_ = end;
    return true;
  }

  const std::string& s_;
  std::size_t pos_ = 0;
};

double number_of(const Value& v) { return v.kind == Value::Number ? v.number : NAN; }

}  // namespace

double EpochRecord::get(const std::string& name) const {
  for (const auto& [k, v] : values) {
    if (k == name) return v;
  }
  return NAN;
}

RunLog parse_run_log(const std::string& text, const std::string& where) {
  RunLog log;
  std::size_t start = 0, line_no = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    const bool last = nl == std::string::npos;
    if (last) nl = text.size();
    const std::string line = text.substr(start, nl - start);
    start = nl + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::vector<std::pair<std::string, Value>> fields;
    if (!Parser(line).object(fields) || fields.empty()) {
      // A run killed mid-write may leave half a line at the end; anywhere else the file is wrong.
      if (!last) throw Error(where + ": line " + std::to_string(line_no) + " is not a JSON record of the log");
      ++log.skipped_lines;
      continue;
    }
    const std::string& first = fields[0].first;
    if (first == "step") {
      StepRecord r;
      r.step = number_of(fields[0].second);
      r.epoch = r.loss = r.lr = NAN;
      for (const auto& [k, v] : fields) {
        if (k == "epoch") r.epoch = number_of(v);
        else if (k == "loss") r.loss = number_of(v);
        else if (k == "lr") r.lr = number_of(v);
      }
      log.steps.push_back(r);
    } else if (first == "epoch") {
      EpochRecord r;
      r.epoch = number_of(fields[0].second);
      for (std::size_t i = 1; i < fields.size(); ++i) {
        if (fields[i].second.kind == Value::Number || fields[i].second.kind == Value::Null) {
          r.values.emplace_back(fields[i].first, number_of(fields[i].second));
        }
      }
      log.epochs.push_back(std::move(r));
    } else if (first == "final") {
      log.final_values.clear();
      for (std::size_t i = 1; i < fields.size(); ++i) log.final_values.emplace_back(fields[i].first, number_of(fields[i].second));
    } else if (first == "confusion" && fields[0].second.kind == Value::Array) {
      log.confusion.clear();
      for (const Value& row : fields[0].second.items) {
        log.confusion.emplace_back();
        for (const Value& cell : row.items) log.confusion.back().push_back(number_of(cell));
      }
    }
    // Other records (early_stopping, ...) are not drawn.
  }
  return log;
}

RunLog read_run_log(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot read the log: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return parse_run_log(text.str(), path);
}

}  // namespace mlc
