// Reads IDX files (the MNIST container format) of unsigned bytes, raw or gzip-compressed.
#ifndef MLC_RUNTIME_IDX_READER_H
#define MLC_RUNTIME_IDX_READER_H

#include <cstdint>
#include <string>
#include <vector>

namespace mlc {

struct IdxArray {
  std::vector<std::uint32_t> dims;  // dims[0] is the item count
  std::vector<std::uint8_t> data;   // row-major, product(dims) bytes
};

// Reads `path` (gzip is detected from the content, not the name). If `expected_rank` is non-zero the
// file must have exactly that many dimensions. Throws mlc::Error naming the file and the problem:
// unreadable, bad magic, unsupported element type, wrong rank, zero-sized sample dims, truncated
// header or data, trailing bytes, or a corrupt gzip stream.
IdxArray read_idx(const std::string& path, unsigned expected_rank = 0);

}  // namespace mlc

#endif  // MLC_RUNTIME_IDX_READER_H
