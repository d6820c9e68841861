// IDX parsing on top of zlib's gz* API, which reads raw files transparently, so one code path serves both.
#include "data/idx_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/error.h"

namespace mlc {
namespace {

constexpr std::uint8_t kUnsignedByteType = 0x08;
constexpr std::uint8_t kInt32Type = 0x0C;
// A corrupt header could claim terabytes; refuse before trusting it with memory.
constexpr std::uint64_t kMaxDataBytes = std::uint64_t(1) << 34;
constexpr unsigned kChunk = 1u << 20;

std::string hex(std::uint64_t v, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%0*llx", width, static_cast<unsigned long long>(v));
  return buf;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

class GzFile {
 public:
  explicit GzFile(const std::string& path) : path_(path) {
    errno = 0;
    file_ = gzopen(path.c_str(), "rb");
    if (file_ == nullptr) {
      throw Error(path + ": cannot open: " + (errno ? std::strerror(errno) : "out of memory"));
    }
    gzbuffer(file_, 1u << 17);
  }
  ~GzFile() {
    if (file_) gzclose_r(file_);
  }
  GzFile(const GzFile&) = delete;
  GzFile& operator=(const GzFile&) = delete;

  // Reads up to `len` bytes; short only at end of input. Decompression errors throw.
  std::size_t read(void* dst, std::size_t len) {
    std::size_t total = 0;
    auto* out = static_cast<unsigned char*>(dst);
    while (total < len) {
      unsigned want = static_cast<unsigned>(std::min<std::size_t>(len - total, kChunk));
      int got = gzread(file_, out + total, want);
      if (got < 0) fail();
      if (got == 0) break;
      total += static_cast<std::size_t>(got);
    }
    // zlib reports a truncated gzip stream only through the error state, not through gzread's result.
    check();
    return total;
  }

  bool is_raw() { return gzdirect(file_) != 0; }

 private:
  void check() {
    int errnum = Z_OK;
    gzerror(file_, &errnum);
    if (errnum != Z_OK && errnum != Z_STREAM_END) fail();
  }
  [[noreturn]] void fail() {
    int errnum = Z_OK;
    const char* msg = gzerror(file_, &errnum);
    if (errnum == Z_ERRNO) msg = std::strerror(errno);
    std::string text = msg && *msg ? msg : "read failed";
    // zlib prefixes its messages with the path, which our message already starts with.
    if (text.compare(0, path_.size() + 2, path_ + ": ") == 0) text.erase(0, path_.size() + 2);
    throw Error(path_ + ": corrupt gzip data: " + text);
  }

  std::string path_;
  gzFile file_ = nullptr;
};

std::uint32_t big_endian32(const unsigned char* p) {
  return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) |
         std::uint32_t(p[3]);
}

}  // namespace

IdxArray read_idx(const std::string& path, unsigned expected_rank) {
  GzFile file(path);
  unsigned char magic[4];
  std::size_t got = file.read(magic, sizeof magic);
  if (got == 0) throw Error(path + ": empty file (expected an IDX header)");
  // A .gz name on a non-gzip file usually means a wrong download; say so rather than "bad magic".
  if (ends_with(path, ".gz") && file.is_raw() && !(got == 4 && magic[0] == 0 && magic[1] == 0)) {
    throw Error(path + ": not a gzip file");
  }
  if (got < 4) throw Error(path + ": truncated IDX header (" + std::to_string(got) + " of 4 magic bytes)");
  if (magic[0] != 0 || magic[1] != 0) {
    throw Error(path + ": not an IDX file (bad magic " + hex(big_endian32(magic), 8) + ")");
  }
  if (magic[3] == 0) throw Error(path + ": IDX header declares 0 dimensions");
  if (magic[2] != kUnsignedByteType && magic[2] != kInt32Type) {
    throw Error(path + ": unsupported IDX element type " + hex(magic[2], 2) +
                " (unsigned bytes, 0x08, and int32, 0x0c, are supported)");
  }
  const unsigned rank = magic[3];
  if (expected_rank != 0 && rank != expected_rank) {
    throw Error(path + ": expected an IDX file with " + std::to_string(expected_rank) + " dimension" +
                (expected_rank == 1 ? "" : "s") + ", found " + std::to_string(rank));
  }

  IdxArray out;
  out.int32 = magic[2] == kInt32Type;
  std::vector<unsigned char> header(4 * rank);
  got = file.read(header.data(), header.size());
  if (got < header.size()) {
    throw Error(path + ": truncated IDX header (" + std::to_string(got) + " of " + std::to_string(header.size()) +
                " dimension bytes)");
  }
  std::uint64_t total = out.int32 ? 4 : 1;  // bytes
  for (unsigned i = 0; i < rank; ++i) {
    std::uint32_t d = big_endian32(&header[4 * i]);
    // An empty item list is fine, an empty item is not: it would make every sample size zero.
    if (d == 0 && i > 0) throw Error(path + ": IDX dimension " + std::to_string(i) + " is 0");
    out.dims.push_back(d);
    total *= d;
    if (total > kMaxDataBytes) throw Error(path + ": IDX dimensions describe more than 16 GiB of data");
  }

  // Grow as data arrives so a lying header on a short file cannot force a huge allocation.
  const std::size_t expected = static_cast<std::size_t>(total);
  std::size_t have = 0;
  while (have < expected) {
    std::size_t next = std::min(expected, std::max<std::size_t>(have * 2, have + kChunk));
    out.data.resize(next);
    std::size_t n = file.read(out.data.data() + have, next - have);
    have += n;
    if (have < next) break;
  }
  if (have < expected) {
    throw Error(path + ": truncated IDX data (header says " + std::to_string(expected) + " bytes, file has " +
                std::to_string(have) + ")");
  }
  unsigned char extra[4096];
  std::size_t trailing = 0;
  while ((got = file.read(extra, sizeof extra)) > 0) trailing += got;
  if (trailing != 0) {
    throw Error(path + ": " + std::to_string(trailing) + " unexpected bytes after the IDX data (header says " +
                std::to_string(expected) + ")");
  }
  return out;
}

}  // namespace mlc
