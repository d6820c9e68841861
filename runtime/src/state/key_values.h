// "key value" text lines for the run state in a checkpoint; doubles as hex floats so they round-trip exactly.
#ifndef MLC_RUNTIME_STATE_KEY_VALUES_H
#define MLC_RUNTIME_STATE_KEY_VALUES_H

#include <cstdint>
#include <map>
#include <string>

namespace mlc {

class KeyValues {
 public:
  KeyValues() = default;
  // Parses text written by text(); throws mlc::Error("<where>: ...") on a malformed line.
  KeyValues(const std::string& text, const std::string& where);

  void set(const std::string& key, const std::string& value) { values_[key] = value; }
  void set_u64(const std::string& key, std::uint64_t value) { set(key, std::to_string(value)); }
  void set_double(const std::string& key, double value);
  void set_bool(const std::string& key, bool value) { set(key, value ? "1" : "0"); }

  bool has(const std::string& key) const { return values_.count(key) != 0; }
  // The getters throw mlc::Error naming `where` and the key if it is missing or malformed.
  std::string get(const std::string& key) const;
  std::uint64_t get_u64(const std::string& key) const;
  double get_double(const std::string& key) const;
  bool get_bool(const std::string& key) const;

  std::string text() const;

 private:
  std::string where_;
  std::map<std::string, std::string> values_;
};

}  // namespace mlc

#endif  // MLC_RUNTIME_STATE_KEY_VALUES_H
