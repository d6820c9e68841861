// Reads NumPy .npy arrays and .npz archives of them (stored or deflated), checking every size first.
#ifndef MLC_RUNTIME_DATA_NPY_READER_H
#define MLC_RUNTIME_DATA_NPY_READER_H

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mlc {

enum class NpyType { F32, F64, U8, I32, I64 };

struct NpyArray {
  NpyType type = NpyType::F32;
  std::vector<std::size_t> shape;  // empty for a 0-d array
  std::vector<std::uint8_t> data;  // little-endian elements, C order

  std::size_t size() const;       // elements
  bool is_integer() const { return type != NpyType::F32 && type != NpyType::F64; }
  double value(std::size_t i) const;  // element i as a double
  std::vector<float> to_float() const;
};

const char* npy_type_name(NpyType type);  // "float32", ...

// Parses one .npy file's bytes; `where` names it in errors. Supported: format versions 1-3, dtypes
// <f4 <f8 |u1 <i4 <i8 (and their '=' spellings), C order, any shape. Throws mlc::Error with one line
// naming `where` and the problem (bad magic, header, dtype, Fortran order, size overflow, truncated or
// trailing data). Nothing of the declared size is allocated before the bytes are known to be there.
NpyArray parse_npy(const std::uint8_t* bytes, std::size_t size, const std::string& where);

// Parses a .npz (zip) archive: every member "NAME.npy", by NAME. Members may be stored or deflated;
// zip64 archives and other compression methods are refused. `max_bytes` bounds the total
// uncompressed size.
std::map<std::string, NpyArray> parse_npz(const std::uint8_t* bytes, std::size_t size, const std::string& where,
                                          std::size_t max_bytes = std::size_t(1) << 34);

// Reads `path` (.npz by its zip signature, else .npy). For .npy the map has one entry named "".
std::map<std::string, NpyArray> read_npy_file(const std::string& path);

}  // namespace mlc

#endif  // MLC_RUNTIME_DATA_NPY_READER_H
