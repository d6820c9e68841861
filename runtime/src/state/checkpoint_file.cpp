// Reading and writing the checkpoint container; every length is checked before it is trusted.
#include "state/checkpoint_file.h"

#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"

namespace mlc {
namespace {

// The first byte is not ASCII so a text-mode transfer or a text file is never mistaken for one.
constexpr char kMagic[8] = {'\x89', 'M', 'L', 'C', 'C', 'K', 'P', 'T'};
constexpr std::size_t kMaxNameBytes = 4096;

void put_u32(unsigned char* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}
void put_u64(unsigned char* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<unsigned char>(v >> (8 * i));
}
std::uint32_t get_u32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}
std::uint64_t get_u64(const char* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

std::uint32_t crc(std::uint32_t seed, const void* data, std::size_t bytes) {
  return static_cast<std::uint32_t>(crc32_z(seed, static_cast<const Bytef*>(data), bytes));
}

}  // namespace

CheckpointWriter::CheckpointWriter(const std::string& path, std::uint64_t fingerprint)
    : path_(path), fingerprint_(fingerprint) {
  file_ = std::fopen(path.c_str(), "wb");
  if (!file_) throw Error(path + ": cannot write checkpoint: " + std::strerror(errno));
  unsigned char header[kCheckpointHeaderBytes] = {};
  failed_ = std::fwrite(header, 1, sizeof header, file_) != sizeof header;  // rewritten by finish()
}

CheckpointWriter::~CheckpointWriter() {
  if (file_) std::fclose(file_);
}

void CheckpointWriter::put(const void* data, std::size_t bytes) {
  if (bytes == 0) return;
  failed_ = failed_ || std::fwrite(data, 1, bytes, file_) != bytes;
  payload_crc_ = crc(payload_crc_, data, bytes);
  payload_bytes_ += bytes;
}

void CheckpointWriter::section(const std::string& name, std::uint32_t kind, const void* data, std::size_t bytes) {
  unsigned char head[16];
  put_u32(head, static_cast<std::uint32_t>(name.size()));
  put_u32(head + 4, kind);
  put_u64(head + 8, bytes);
  put(head, sizeof head);
  put(name.data(), name.size());
  put(data, bytes);
  ++sections_;
}

void CheckpointWriter::text(const std::string& name, const std::string& value) {
  section(name, static_cast<std::uint32_t>(Checkpoint::Kind::Text), value.data(), value.size());
}

void CheckpointWriter::floats(const std::string& name, const float* values, std::size_t count) {
  static_assert(sizeof(float) == 4, "float32");
  // The format is little-endian; so is every machine mlc targets, so the floats are written as they are.
  section(name, static_cast<std::uint32_t>(Checkpoint::Kind::Floats), values, count * sizeof(float));
}

void CheckpointWriter::finish() {
  unsigned char header[kCheckpointHeaderBytes];
  std::memcpy(header, kMagic, sizeof kMagic);
  put_u32(header + 8, kCheckpointVersion);
  put_u32(header + 12, sections_);
  put_u64(header + 16, fingerprint_);
  put_u64(header + 24, payload_bytes_);
  put_u32(header + 32, payload_crc_);
  put_u32(header + 36, crc(0, header, 36));
  if (!failed_) failed_ = std::fseek(file_, 0, SEEK_SET) != 0 || std::fwrite(header, 1, sizeof header, file_) != sizeof header;
  if (!failed_) failed_ = std::fflush(file_) != 0 || ::fsync(fileno(file_)) != 0;
  const int saved = errno;
  failed_ = (std::fclose(file_) != 0) || failed_;
  file_ = nullptr;
  if (failed_) throw Error(path_ + ": error writing checkpoint: " + std::strerror(saved ? saved : EIO));
}

Checkpoint read_checkpoint(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw Error("checkpoint " + path + ": cannot open: " + std::strerror(errno));
  std::vector<char> data;
  char chunk[1 << 16];
  std::size_t n;
  // Read in chunks rather than trusting the size the header claims: a corrupted size must not allocate.
  while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) data.insert(data.end(), chunk, chunk + n);
  const bool read_error = std::ferror(f) != 0;
  std::fclose(f);
  if (read_error) throw Error("checkpoint " + path + ": read error");
  return parse_checkpoint(std::move(data), path);
}

Checkpoint parse_checkpoint(std::vector<char> bytes, const std::string& path) {
  auto fail = [&](const std::string& what) -> Error { return Error("checkpoint " + path + ": " + what); };
  Checkpoint ck;
  ck.path = path;
  ck.data_ = std::move(bytes);
  const std::vector<char>& data = ck.data_;

  if (data.size() < sizeof kMagic || std::memcmp(data.data(), kMagic, sizeof kMagic) != 0) {
    throw fail("not an mlc checkpoint (bad magic)");
  }
  if (data.size() < kCheckpointHeaderBytes) {
    throw fail("truncated: " + std::to_string(data.size()) + " bytes, shorter than the header");
  }
  const char* h = data.data();
  if (get_u32(h + 36) != crc(0, h, 36)) throw fail("corrupted header (checksum mismatch)");
  const std::uint32_t version = get_u32(h + 8);
  if (version != kCheckpointVersion) {
    throw fail("format version " + std::to_string(version) + ", this trainer reads version " +
               std::to_string(kCheckpointVersion));
  }
  const std::uint32_t sections = get_u32(h + 12);
  ck.fingerprint = get_u64(h + 16);
  const std::uint64_t payload = get_u64(h + 24);
  const std::size_t present = data.size() - kCheckpointHeaderBytes;
  if (payload > present) {
    throw fail("truncated: " + std::to_string(data.size()) + " of " +
               std::to_string(payload + kCheckpointHeaderBytes) + " bytes");
  }
  if (payload < present) throw fail("has " + std::to_string(present - payload) + " unexpected trailing bytes");
  if (get_u32(h + 32) != crc(0, h + kCheckpointHeaderBytes, payload)) {
    throw fail("corrupted (payload checksum mismatch)");
  }

  std::size_t pos = kCheckpointHeaderBytes;
  for (std::uint32_t s = 0; s < sections; ++s) {
    if (data.size() - pos < 16) throw fail("malformed: section " + std::to_string(s) + " runs past the end");
    const std::uint32_t name_bytes = get_u32(&data[pos]);
    const std::uint32_t kind = get_u32(&data[pos + 4]);
    const std::uint64_t bytes = get_u64(&data[pos + 8]);
    pos += 16;
    if (name_bytes == 0 || name_bytes > kMaxNameBytes || data.size() - pos < name_bytes) {
      throw fail("malformed: section " + std::to_string(s) + " has a bad name length");
    }
    std::string name(&data[pos], name_bytes);
    pos += name_bytes;
    if (bytes > data.size() - pos) throw fail("malformed: section '" + name + "' runs past the end");
    if (kind != static_cast<std::uint32_t>(Checkpoint::Kind::Text) &&
        kind != static_cast<std::uint32_t>(Checkpoint::Kind::Floats)) {
      throw fail("malformed: section '" + name + "' has unknown kind " + std::to_string(kind));
    }
    if (kind == static_cast<std::uint32_t>(Checkpoint::Kind::Floats) && bytes % sizeof(float) != 0) {
      throw fail("malformed: float section '" + name + "' is not a whole number of floats");
    }
    if (!ck.sections_.emplace(name, Checkpoint::Section{static_cast<Checkpoint::Kind>(kind), pos, bytes}).second) {
      throw fail("malformed: section '" + name + "' appears twice");
    }
    pos += bytes;
  }
  if (pos != data.size()) throw fail("malformed: " + std::to_string(data.size() - pos) + " bytes after the last section");
  return ck;
}

const Checkpoint::Section& Checkpoint::get(const std::string& name, Kind kind) const {
  auto it = sections_.find(name);
  if (it == sections_.end()) throw Error("checkpoint " + path + ": no section '" + name + "'");
  if (it->second.kind != kind) throw Error("checkpoint " + path + ": section '" + name + "' has the wrong kind");
  return it->second;
}

std::string Checkpoint::text(const std::string& name) const {
  const Section& s = get(name, Kind::Text);
  return std::string(data_.data() + s.offset, s.bytes);
}

void Checkpoint::floats(const std::string& name, float* out, std::size_t count) const {
  const Section& s = get(name, Kind::Floats);
  if (s.bytes != count * sizeof(float)) {
    throw Error("checkpoint " + path + ": section '" + name + "' holds " + std::to_string(s.bytes / sizeof(float)) +
                " values, expected " + std::to_string(count));
  }
  std::memcpy(out, data_.data() + s.offset, s.bytes);
}

std::vector<std::string> Checkpoint::names() const {
  std::vector<std::string> out;
  for (const auto& [name, s] : sections_) out.push_back(name);
  return out;
}

}  // namespace mlc
