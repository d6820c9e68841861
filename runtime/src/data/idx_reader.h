// Reads IDX files (the MNIST container format) of unsigned bytes or int32, raw or gzip-compressed.
#ifndef MLC_RUNTIME_IDX_READER_H
#define MLC_RUNTIME_IDX_READER_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mlc {

struct IdxArray {
  std::vector<std::uint32_t> dims;  // dims[0] is the item count
  bool int32 = false;               // element type 0x0C (big-endian int32), else 0x08 (unsigned byte)
  std::vector<std::uint8_t> data;   // row-major, product(dims) elements as stored (4 bytes each if int32)

  std::size_t size() const { return int32 ? data.size() / 4 : data.size(); }
  // Element `i` (row-major) as an integer.
  std::int64_t value(std::size_t i) const {
    if (!int32) return data[i];
    const std::uint8_t* p = &data[4 * i];
    return static_cast<std::int32_t>((std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) |
                                      (std::uint32_t(p[2]) << 8) | std::uint32_t(p[3]));
  }
};

// Reads `path` (gzip is detected from the content, not the name). If `expected_rank` is non-zero the
// file must have exactly that many dimensions. Throws mlc::Error naming the file and the problem:
// unreadable, bad magic, unsupported element type, wrong rank, zero-sized sample dims, truncated
// header or data, trailing bytes, or a corrupt gzip stream.
IdxArray read_idx(const std::string& path, unsigned expected_rank = 0);

}  // namespace mlc

#endif  // MLC_RUNTIME_IDX_READER_H
