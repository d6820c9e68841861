// Helpers shared by the runtime unit tests: temp dirs, IDX/dataset writers, subprocess runs, error checks.
#ifndef MLC_TESTS_UNIT_RUNTIME_TEST_UTIL_H
#define MLC_TESTS_UNIT_RUNTIME_TEST_UTIL_H

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"

namespace mlc::test {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::vector<std::uint8_t> idx_bytes(const std::vector<std::uint32_t>& dims, const std::vector<std::uint8_t>& data,
                                    std::uint8_t type = 0x08, int rank_override = -1);
// The payload of an int32 IDX file (type 0x0C): each value big-endian.
std::vector<std::uint8_t> int32_payload(const std::vector<std::int32_t>& values);
void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes);
void write_gz(const std::string& path, const std::vector<std::uint8_t>& bytes);
std::string read_text(const std::string& path);
bool file_exists(const std::string& path);
std::vector<std::uint8_t> read_bytes(const std::string& path);
// A trainer log's lines with the (timing-dependent) "seconds" fields removed.
std::vector<std::string> log_without_seconds(const std::string& path);
// The names in a directory, sorted, without "." and "..".
std::vector<std::string> list_dir(const std::string& dir);
std::vector<std::string> split_lines(const std::string& text);

// Writes the four MNIST-layout files into `dir`: images are [n, rows, cols] bytes, labels one byte each.
struct SplitBytes {
  std::uint32_t rows = 2, cols = 2;
  std::vector<std::uint8_t> pixels;  // n * rows * cols
  std::vector<std::uint8_t> labels;  // n
};
void write_mnist_dir(const std::string& dir, const SplitBytes& train, const SplitBytes& test, bool gz);

// A learnable toy set: 4 random pixels per image, label = which of the first 3 pixels is brightest.
SplitBytes toy_split(std::size_t n, std::uint64_t seed);

struct ProcessResult {
  int exit_code = -1;  // -1 if it did not exit normally (e.g. killed by a signal)
  std::string out, err;
};
// Runs `argv` (argv[0] is a path) with stdout/stderr captured through files in `scratch`, in this
// process's environment plus `env` ("NAME=value" entries, set in the child only).
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& scratch,
                          const std::vector<std::string>& env = {});
// As run_process, but sends `signal` to the child once `watch` (a file it writes) has at least
// `min_lines` lines; gives up waiting (and sends nothing) if the child exits first.
ProcessResult run_process_signalled(const std::vector<std::string>& argv, const std::string& scratch,
                                    const std::string& watch, std::size_t min_lines, int signal);

}  // namespace mlc::test

// Expects `stmt` to throw mlc::Error whose message contains `needle`.
#define EXPECT_MLC_ERROR(stmt, needle)                                                            \
  do {                                                                                            \
    try {                                                                                         \
      stmt;                                                                                       \
      ADD_FAILURE() << "expected mlc::Error containing \"" << (needle) << "\"";                   \
    } catch (const ::mlc::Error& e) {                                                             \
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << "message: " << e.what(); \
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << "multi-line: " << e.what(); \
    }                                                                                             \
  } while (0)

#endif  // MLC_TESTS_UNIT_RUNTIME_TEST_UTIL_H
