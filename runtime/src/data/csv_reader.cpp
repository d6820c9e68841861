// A one-pass CSV state machine: fields are unescaped into one text buffer as they are read.
#include "data/csv_reader.h"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>

#include "core/error.h"

namespace mlc {

long CsvTable::find(const std::string& name) const {
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (header[c] == name) return static_cast<long>(c);
  }
  return -1;
}

std::string CsvTable::column_list() const {
  std::string s;
  for (std::size_t c = 0; c < header.size() && c < 20; ++c) s += (c ? ", " : "") + header[c];
  if (header.size() > 20) s += ", ... (" + std::to_string(header.size()) + " columns)";
  return s;
}

namespace {

// Reads fields one at a time; `line`/`column` follow the input for error messages.
class Scanner {
 public:
  Scanner(const char* data, std::size_t size, const std::string& path) : p_(data), end_(data + size), path_(path) {
    if (size >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0) p_ += 3;
  }

  bool at_end() const { return p_ == end_; }
  std::size_t line() const { return line_; }

  // Skips blank lines; false at the end of the input.
  bool next_record() {
    while (p_ != end_ && (*p_ == '\n' || (*p_ == '\r' && p_ + 1 != end_ && p_[1] == '\n'))) {
      p_ += *p_ == '\r' ? 2 : 1;
      ++line_;
      column_ = 1;
    }
    return p_ != end_;
  }

  // Appends one field to `out`; returns true if another field of the same record follows.
  bool field(std::string& out) {
    if (p_ != end_ && *p_ == '"') return quoted(out);
    while (p_ != end_ && *p_ != ',' && *p_ != '\n') {
      if (*p_ == '\r' && p_ + 1 != end_ && p_[1] == '\n') break;
      out += *p_++;
      ++column_;
    }
    return separator();
  }

 private:
  bool quoted(std::string& out) {
    const std::size_t open_line = line_, open_column = column_;
    ++p_;
    ++column_;
    for (;;) {
      if (p_ == end_) {
        throw Error(path_ + ":" + std::to_string(open_line) + ":" + std::to_string(open_column) +
                    ": unterminated quoted field");
      }
      const char c = *p_++;
      ++column_;
      if (c == '"') {
        if (p_ != end_ && *p_ == '"') {
          out += '"';
          ++p_;
          ++column_;
          continue;
        }
        break;
      }
      if (c == '\n') {
        ++line_;
        column_ = 1;
      }
      out += c;
    }
    if (p_ != end_ && *p_ != ',' && *p_ != '\n' && !(*p_ == '\r' && p_ + 1 != end_ && p_[1] == '\n')) {
      throw Error(path_ + ":" + std::to_string(line_) + ":" + std::to_string(column_) +
                  ": unexpected text after a closing quote (a quote inside a quoted field is written \"\")");
    }
    return separator();
  }

  // Consumes a ',' (true) or a line end (false).
  bool separator() {
    if (p_ == end_) return false;
    if (*p_ == ',') {
      ++p_;
      ++column_;
      return true;
    }
    p_ += *p_ == '\r' ? 2 : 1;
    ++line_;
    column_ = 1;
    return false;
  }

  const char* p_;
  const char* end_;
  const std::string& path_;
  std::size_t line_ = 1, column_ = 1;
};

}  // namespace

CsvTable parse_csv(const char* data, std::size_t size, const std::string& path) {
  CsvTable t;
  t.path = path;
  Scanner in(data, size, path);
  if (!in.next_record()) throw Error(path + ": empty file (a CSV file starts with a header line of column names)");
  std::set<std::string> seen;
  const std::string header_line = path + ":" + std::to_string(in.line());
  for (bool more = true; more;) {
    std::string name;
    more = in.field(name);
    const std::size_t c = t.header.size() + 1;
    if (name.empty()) {
      throw Error(header_line + ": column " + std::to_string(c) +
                  " of the header has no name (an index column? write the file without it)");
    }
    if (!seen.insert(name).second) throw Error(header_line + ": column name '" + printable(name) + "' appears twice");
    t.header.push_back(std::move(name));
  }
  const std::size_t width = t.header.size();
  while (in.next_record()) {
    const std::size_t line = in.line();
    std::size_t fields = 0;
    for (bool more = true; more;) {
      more = in.field(t.text_);
      if (++fields > width) {
        throw Error(path + ":" + std::to_string(line) + ": more than the header's " + std::to_string(width) + " fields");
      }
      t.ends_.push_back(t.text_.size());
    }
    if (fields != width) {
      throw Error(path + ":" + std::to_string(line) + ": " + std::to_string(fields) + " field" + (fields == 1 ? "" : "s") +
                  ", the header has " + std::to_string(width));
    }
    t.lines_.push_back(line);
  }
  return t;
}

CsvTable read_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open: " + std::strerror(errno));
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw Error(path + ": read error");
  return parse_csv(bytes.data(), bytes.size(), path);
}

std::string printable(std::string_view text) {
  std::string s;
  for (std::size_t i = 0; i < text.size() && i < 40; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') s += "\\n";
    else if (c == '\r') s += "\\r";
    else if (c == '\t') s += "\\t";
    else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      s += buf;
    } else {
      s += static_cast<char>(c);
    }
  }
  if (text.size() > 40) s += "...";
  return s;
}

bool is_csv_path(const std::string& path) {
  if (path.size() < 4) return false;
  std::string ext = path.substr(path.size() - 4);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".csv";
}

}  // namespace mlc
