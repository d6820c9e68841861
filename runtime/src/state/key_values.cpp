// Parsing and printing of KeyValues; numbers are checked strictly (a checkpoint may be corrupted by hand).
#include "state/key_values.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/error.h"

namespace mlc {

KeyValues::KeyValues(const std::string& text, const std::string& where) : where_(where) {
  std::size_t start = 0, line = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    ++line;
    const std::string l = text.substr(start, nl - start);
    start = nl + 1;
    const std::size_t space = l.find(' ');
    if (space == 0 || space == std::string::npos) {
      throw Error(where + ": malformed line " + std::to_string(line) + " of the run state");
    }
    values_[l.substr(0, space)] = l.substr(space + 1);
  }
}

void KeyValues::set_double(const std::string& key, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", value);
  set(key, buf);
}

std::string KeyValues::get(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end()) throw Error(where_ + ": the run state has no '" + key + "'");
  return it->second;
}

std::uint64_t KeyValues::get_u64(const std::string& key) const {
  const std::string v = get(key);
  char* end = nullptr;
  errno = 0;
  const unsigned long long n = std::strtoull(v.c_str(), &end, 10);
  if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos || errno == ERANGE) {
    throw Error(where_ + ": run state '" + key + "' is not a count: '" + v + "'");
  }
  return n;
}

double KeyValues::get_double(const std::string& key) const {
  const std::string v = get(key);
  char* end = nullptr;
  const double d = std::strtod(v.c_str(), &end);
  if (v.empty() || end != v.c_str() + v.size()) {
    throw Error(where_ + ": run state '" + key + "' is not a number: '" + v + "'");
  }
  return d;
}

bool KeyValues::get_bool(const std::string& key) const {
  const std::string v = get(key);
  if (v != "0" && v != "1") throw Error(where_ + ": run state '" + key + "' is not 0 or 1: '" + v + "'");
  return v == "1";
}

std::string KeyValues::text() const {
  std::string out;
  for (const auto& [k, v] : values_) out += k + " " + v + "\n";
  return out;
}

}  // namespace mlc
