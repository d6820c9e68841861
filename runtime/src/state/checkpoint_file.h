// The checkpoint container: a checksummed header and named text or float32 sections (docs/checkpoint.md).
#ifndef MLC_RUNTIME_STATE_CHECKPOINT_FILE_H
#define MLC_RUNTIME_STATE_CHECKPOINT_FILE_H

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace mlc {

constexpr std::uint32_t kCheckpointVersion = 1;
constexpr std::size_t kCheckpointHeaderBytes = 40;

// Streams sections into a new file; finish() writes the header (sizes, checksums), flushes and fsyncs.
// Nothing is renamed here: callers write to a temporary name and rename (checkpoint_dir.h).
class CheckpointWriter {
 public:
  // Creates `path` (truncating it); throws mlc::Error naming it if that fails.
  CheckpointWriter(const std::string& path, std::uint64_t fingerprint);
  ~CheckpointWriter();
  CheckpointWriter(const CheckpointWriter&) = delete;
  CheckpointWriter& operator=(const CheckpointWriter&) = delete;

  void text(const std::string& name, const std::string& value);
  void floats(const std::string& name, const float* values, std::size_t count);
  // Completes the file and makes it durable; throws mlc::Error on any write failure (e.g. disk full).
  void finish();

 private:
  void section(const std::string& name, std::uint32_t kind, const void* data, std::size_t bytes);
  void put(const void* data, std::size_t bytes);

  std::string path_;
  std::FILE* file_ = nullptr;
  std::uint64_t fingerprint_;
  std::uint32_t sections_ = 0;
  std::uint64_t payload_bytes_ = 0;
  std::uint32_t payload_crc_ = 0;
  bool failed_ = false;
};

// A whole checkpoint read into memory and validated: magic, version, header and payload checksums,
// the declared size against the file's (truncation), well-formed sections with unique names.
class Checkpoint {
 public:
  enum class Kind : std::uint32_t { Text = 1, Floats = 2 };

  std::string path;
  std::uint64_t fingerprint = 0;

  bool has(const std::string& name) const { return sections_.count(name) != 0; }
  // Throw mlc::Error naming the checkpoint and the section if it is missing or of the other kind.
  std::string text(const std::string& name) const;
  // The section must hold exactly `count` floats (else an error with both sizes).
  void floats(const std::string& name, float* out, std::size_t count) const;
  std::vector<std::string> names() const;

  friend Checkpoint parse_checkpoint(std::vector<char> data, const std::string& path);

 private:
  struct Section {
    Kind kind;
    std::size_t offset, bytes;  // into data_
  };
  const Section& get(const std::string& name, Kind kind) const;
  std::vector<char> data_;
  std::map<std::string, Section> sections_;
};

// Throws mlc::Error("checkpoint PATH: ...") with one line naming the problem: unreadable, not a
// checkpoint, another version, truncated, corrupted (checksum), malformed sections.
Checkpoint read_checkpoint(const std::string& path);
// The same checks on bytes already in memory (`path` names them in errors); the fuzzer's entry point.
Checkpoint parse_checkpoint(std::vector<char> data, const std::string& path);

}  // namespace mlc

#endif  // MLC_RUNTIME_STATE_CHECKPOINT_FILE_H
