// The .npy header is a Python dict literal; only the three keys NumPy writes are accepted.
#include "data/npy_reader.h"

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>

#include "core/error.h"

namespace mlc {
namespace {

std::size_t item_bytes(NpyType t) {
  switch (t) {
    case NpyType::F32: case NpyType::I32: return 4;
    case NpyType::F64: case NpyType::I64: return 8;
    case NpyType::U8: return 1;
  }
  return 1;
}

std::uint32_t le32(const std::uint8_t* p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (std::uint32_t(p[3]) << 24); }
std::uint16_t le16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }

// A cursor over the header text with the few tokens a NumPy header uses.
class HeaderParser {
 public:
  HeaderParser(const std::string& text, const std::string& where) : s_(text), where_(where) {}

  void parse(NpyType& type, bool& fortran, std::vector<std::size_t>& shape) {
    bool have_descr = false, have_order = false, have_shape = false;
    expect('{');
    while (true) {
      skip();
      if (peek() == '}') break;
      const std::string key = quoted();
      expect(':');
      if (key == "descr") {
        type = dtype(quoted());
        have_descr = true;
      } else if (key == "fortran_order") {
        skip();
        if (s_.compare(pos_, 4, "True") == 0) fortran = true, pos_ += 4;
        else if (s_.compare(pos_, 5, "False") == 0) fortran = false, pos_ += 5;
        else fail("fortran_order must be True or False");
        have_order = true;
      } else if (key == "shape") {
        shape = dims();
        have_shape = true;
      } else {
        fail("unexpected header key '" + key + "'");
      }
      skip();
      if (peek() == ',') ++pos_;
    }
    if (!have_descr || !have_order || !have_shape) fail("the header lacks descr, fortran_order or shape");
  }

 private:
  [[noreturn]] void fail(const std::string& what) { throw Error(where_ + ": bad .npy header: " + what); }
  void skip() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n')) ++pos_;
  }
  char peek() {
    skip();
    if (pos_ >= s_.size()) fail("it ends early");
    return s_[pos_];
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  std::string quoted() {
    const char q = peek();
    if (q != '\'' && q != '"') fail("expected a quoted string");
    const std::size_t end = s_.find(q, pos_ + 1);
    if (end == std::string::npos) fail("unterminated string");
    std::string out = s_.substr(pos_ + 1, end - pos_ - 1);
    pos_ = end + 1;
    return out;
  }
  NpyType dtype(const std::string& d) {
    static const struct {
      const char* name;
      NpyType type;
    } kTypes[] = {{"<f4", NpyType::F32}, {"=f4", NpyType::F32}, {"<f8", NpyType::F64}, {"=f8", NpyType::F64},
                  {"|u1", NpyType::U8},  {"<u1", NpyType::U8},  {"=u1", NpyType::U8},  {"<i4", NpyType::I32},
                  {"=i4", NpyType::I32}, {"<i8", NpyType::I64}, {"=i8", NpyType::I64}};
    for (const auto& t : kTypes) {
      if (d == t.name) return t.type;
    }
    fail("dtype '" + d + "' is not supported (float32, float64, uint8, int32 or int64, little-endian)");
  }
  std::vector<std::size_t> dims() {
    expect('(');
    std::vector<std::size_t> out;
    while (true) {
      skip();
      if (peek() == ')') {
        ++pos_;
        return out;
      }
      std::size_t start = pos_;
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
      if (pos_ == start || pos_ - start > 18) fail("a dimension is not a non-negative integer");
      out.push_back(std::stoull(s_.substr(start, pos_ - start)));
      skip();
      if (peek() == ',') ++pos_;
      else if (peek() != ')') fail("expected ',' or ')' in the shape");
    }
  }

  const std::string& s_;
  const std::string& where_;
  std::size_t pos_ = 0;
};

// Raw DEFLATE (zip method 8) into exactly `expected` bytes.
std::vector<std::uint8_t> inflate_raw(const std::uint8_t* in, std::size_t in_size, std::size_t expected,
                                      const std::string& where) {
  std::vector<std::uint8_t> out(expected);
  z_stream z{};
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) throw Error(where + ": cannot start decompression");
  z.next_in = const_cast<Bytef*>(in);
  z.avail_in = static_cast<uInt>(std::min<std::size_t>(in_size, std::numeric_limits<uInt>::max()));
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(std::min<std::size_t>(expected, std::numeric_limits<uInt>::max()));
  const int rc = inflate(&z, Z_FINISH);
  const std::size_t produced = z.total_out;
  inflateEnd(&z);
  if (rc != Z_STREAM_END || produced != expected) throw Error(where + ": corrupt compressed data");
  return out;
}

}  // namespace

std::size_t NpyArray::size() const { return data.size() / item_bytes(type); }

double NpyArray::value(std::size_t i) const {
  const std::uint8_t* p = &data[i * item_bytes(type)];
  switch (type) {
    case NpyType::F32: { float f; std::memcpy(&f, p, 4); return f; }
    case NpyType::F64: { double d; std::memcpy(&d, p, 8); return d; }
    case NpyType::U8: return *p;
    case NpyType::I32: { std::int32_t v; std::memcpy(&v, p, 4); return v; }
    case NpyType::I64: { std::int64_t v; std::memcpy(&v, p, 8); return static_cast<double>(v); }
  }
  return 0;
}

std::vector<float> NpyArray::to_float() const {
  std::vector<float> out(size());
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<float>(value(i));
  return out;
}

const char* npy_type_name(NpyType type) {
  switch (type) {
    case NpyType::F32: return "float32";
    case NpyType::F64: return "float64";
    case NpyType::U8: return "uint8";
    case NpyType::I32: return "int32";
    case NpyType::I64: return "int64";
  }
  return "?";
}

NpyArray parse_npy(const std::uint8_t* bytes, std::size_t size, const std::string& where) {
  static const std::uint8_t kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  if (size < 10 || std::memcmp(bytes, kMagic, 6) != 0) throw Error(where + ": not a .npy file (bad magic)");
  const int major = bytes[6];
  if (major < 1 || major > 3) throw Error(where + ": .npy format version " + std::to_string(major) + " is not supported");
  const std::size_t prefix = major == 1 ? 10 : 12;
  if (size < prefix) throw Error(where + ": truncated .npy header");
  const std::size_t header_len = major == 1 ? le16(bytes + 8) : le32(bytes + 8);
  if (header_len > size - prefix) throw Error(where + ": truncated .npy header");
  const std::string header(reinterpret_cast<const char*>(bytes + prefix), header_len);

  NpyArray a;
  bool fortran = false;
  HeaderParser(header, where).parse(a.type, fortran, a.shape);
  if (fortran) throw Error(where + ": Fortran-order arrays are not supported (save a C-order array)");
  std::size_t count = 1;
  for (std::size_t d : a.shape) {
    if (d != 0 && count > std::numeric_limits<std::size_t>::max() / 8 / d) {
      throw Error(where + ": the declared shape is too large");
    }
    count *= d;
  }
  const std::size_t need = count * item_bytes(a.type), have = size - prefix - header_len;
  if (have < need) {
    throw Error(where + ": truncated: " + std::to_string(have) + " data bytes, the header declares " +
                std::to_string(need));
  }
  if (have > need) throw Error(where + ": " + std::to_string(have - need) + " bytes after the array's data");
  a.data.assign(bytes + prefix + header_len, bytes + size);
  return a;
}

std::map<std::string, NpyArray> parse_npz(const std::uint8_t* bytes, std::size_t size, const std::string& where,
                                          std::size_t max_bytes) {
  // The end-of-central-directory record: 22 bytes plus a comment of at most 65535 bytes, at the end.
  if (size < 22) throw Error(where + ": not a .npz archive (too short)");
  std::size_t eocd = std::string::npos;
  for (std::size_t i = size - 22 + 1; i-- > 0 && size - i <= 22 + 65535;) {
    if (le32(bytes + i) == 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd == std::string::npos) throw Error(where + ": not a .npz archive (no end of central directory)");
  const std::size_t entries = le16(bytes + eocd + 10);
  const std::size_t cd_size = le32(bytes + eocd + 12), cd_offset = le32(bytes + eocd + 16);
  if (entries == 0xffff || cd_offset == 0xffffffff) throw Error(where + ": zip64 archives are not supported");
  if (cd_offset > eocd || cd_size > eocd - cd_offset) throw Error(where + ": corrupt central directory");

  std::map<std::string, NpyArray> out;
  std::size_t pos = cd_offset, total = 0;
  for (std::size_t e = 0; e < entries; ++e) {
    if (eocd - pos < 46 || le32(bytes + pos) != 0x02014b50) throw Error(where + ": corrupt central directory");
    const std::size_t method = le16(bytes + pos + 10), csize = le32(bytes + pos + 20), usize = le32(bytes + pos + 24);
    const std::size_t name_len = le16(bytes + pos + 28), extra_len = le16(bytes + pos + 30), comment_len = le16(bytes + pos + 32);
    const std::size_t local = le32(bytes + pos + 42);
    if (eocd - pos - 46 < name_len + extra_len + comment_len) throw Error(where + ": corrupt central directory");
    std::string name(reinterpret_cast<const char*>(bytes + pos + 46), name_len);
    pos += 46 + name_len + extra_len + comment_len;
    if (csize == 0xffffffff || usize == 0xffffffff || local == 0xffffffff) throw Error(where + ": zip64 archives are not supported");
    if (local > size || size - local < 30 || le32(bytes + local) != 0x04034b50) {
      throw Error(where + ": member '" + name + "' has a corrupt local header");
    }
    const std::size_t data = local + 30 + le16(bytes + local + 26) + le16(bytes + local + 28);
    if (data > size || csize > size - data) throw Error(where + ": member '" + name + "' is truncated");
    if (usize > max_bytes - std::min(total, max_bytes)) throw Error(where + ": the archive's arrays exceed the size limit");
    total += usize;
    const std::string member = where + "[" + name + "]";
    std::vector<std::uint8_t> raw;
    if (method == 0) {
      if (csize != usize) throw Error(member + ": stored member with inconsistent sizes");
      raw.assign(bytes + data, bytes + data + csize);
    } else if (method == 8) {
      raw = inflate_raw(bytes + data, csize, usize, member);
    } else {
      throw Error(member + ": compression method " + std::to_string(method) + " is not supported (stored or deflate)");
    }
    if (name.size() < 4 || name.compare(name.size() - 4, 4, ".npy") != 0) continue;  // not an array
    name.resize(name.size() - 4);
    if (!out.emplace(name, parse_npy(raw.data(), raw.size(), member)).second) {
      throw Error(where + ": the array '" + name + "' appears twice");
    }
  }
  return out;
}

std::map<std::string, NpyArray> read_npy_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open: " + std::strerror(errno));
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() >= 4 && le32(bytes.data()) == 0x04034b50) return parse_npz(bytes.data(), bytes.size(), path);
  std::map<std::string, NpyArray> one;
  one.emplace("", parse_npy(bytes.data(), bytes.size(), path));
  return one;
}

}  // namespace mlc
