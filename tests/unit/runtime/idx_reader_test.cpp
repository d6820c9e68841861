// Tests of the IDX reader: raw and gzip files, and every kind of corrupt input it must reject.
#include "data/idx_reader.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace mlc {
namespace {

using test::idx_bytes;
using test::TempDir;
using test::write_bytes;
using test::write_gz;

const std::vector<std::uint8_t> kPixels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255};

TEST(IdxReader, ReadsRawFile) {
  TempDir dir;
  write_bytes(dir.file("a"), idx_bytes({3, 2, 2}, kPixels));
  IdxArray a = read_idx(dir.file("a"), 3);
  EXPECT_EQ(a.dims, (std::vector<std::uint32_t>{3, 2, 2}));
  EXPECT_EQ(a.data, kPixels);
}

TEST(IdxReader, ReadsGzipFile) {
  TempDir dir;
  write_gz(dir.file("a.gz"), idx_bytes({3, 2, 2}, kPixels));
  IdxArray a = read_idx(dir.file("a.gz"));
  EXPECT_EQ(a.dims, (std::vector<std::uint32_t>{3, 2, 2}));
  EXPECT_EQ(a.data, kPixels);
}

TEST(IdxReader, ReadsLargeGzipFileAcrossChunks) {
  TempDir dir;
  std::vector<std::uint8_t> big(3u << 20);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint8_t>(i * 7 + (i >> 9));
  write_gz(dir.file("big.gz"), idx_bytes({3, 1024, 1024}, big));
  IdxArray a = read_idx(dir.file("big.gz"));
  EXPECT_EQ(a.data, big);
}

TEST(IdxReader, ReadsInt32Values) {
  TempDir dir;
  write_bytes(dir.file("t"), idx_bytes({2, 2}, test::int32_payload({0, 70000, -3, 255}), 0x0C));
  IdxArray a = read_idx(dir.file("t"), 2);
  EXPECT_TRUE(a.int32);
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a.value(1), 70000);
  EXPECT_EQ(a.value(2), -3);
  write_bytes(dir.file("short"), idx_bytes({2, 2}, test::int32_payload({1, 2, 3}), 0x0C));
  EXPECT_MLC_ERROR(read_idx(dir.file("short")), "truncated IDX data (header says 16 bytes, file has 12)");
}

TEST(IdxReader, ReadsLabelsAndEmptyItemList) {
  TempDir dir;
  write_bytes(dir.file("l"), idx_bytes({4}, {1, 2, 3, 0}));
  EXPECT_EQ(read_idx(dir.file("l"), 1).data, (std::vector<std::uint8_t>{1, 2, 3, 0}));
  write_bytes(dir.file("e"), idx_bytes({0, 28, 28}, {}));
  EXPECT_TRUE(read_idx(dir.file("e")).data.empty());
}

TEST(IdxReader, MissingFile) {
  TempDir dir;
  EXPECT_MLC_ERROR(read_idx(dir.file("nope")), dir.file("nope") + ": cannot open: No such file or directory");
}

TEST(IdxReader, EmptyFile) {
  TempDir dir;
  write_bytes(dir.file("a"), {});
  EXPECT_MLC_ERROR(read_idx(dir.file("a")), dir.file("a") + ": empty file");
}

TEST(IdxReader, BadMagic) {
  TempDir dir;
  write_bytes(dir.file("a"), {0x12, 0x34, 0x08, 0x01, 0, 0, 0, 0});
  EXPECT_MLC_ERROR(read_idx(dir.file("a")), dir.file("a") + ": not an IDX file (bad magic 0x12340801)");
}

TEST(IdxReader, UnsupportedElementType) {
  TempDir dir;
  write_bytes(dir.file("a"), idx_bytes({1}, {0, 0, 0, 0}, 0x0D));
  EXPECT_MLC_ERROR(read_idx(dir.file("a")), "unsupported IDX element type 0x0d");
}

TEST(IdxReader, WrongRank) {
  TempDir dir;
  write_bytes(dir.file("a"), idx_bytes({4}, {1, 2, 3, 4}));
  EXPECT_MLC_ERROR(read_idx(dir.file("a"), 3), dir.file("a") + ": expected an IDX file with 3 dimensions, found 1");
}

TEST(IdxReader, ZeroDimensions) {
  TempDir dir;
  write_bytes(dir.file("rank0"), idx_bytes({}, {}));
  EXPECT_MLC_ERROR(read_idx(dir.file("rank0")), "IDX header declares 0 dimensions");
  write_bytes(dir.file("zero"), idx_bytes({2, 0, 3}, {}));
  EXPECT_MLC_ERROR(read_idx(dir.file("zero")), "IDX dimension 1 is 0");
}

TEST(IdxReader, TruncatedHeader) {
  TempDir dir;
  write_bytes(dir.file("short"), {0, 0});
  EXPECT_MLC_ERROR(read_idx(dir.file("short")), "truncated IDX header (2 of 4 magic bytes)");
  std::vector<std::uint8_t> bytes = idx_bytes({3, 2, 2}, {});
  bytes.resize(9);
  write_bytes(dir.file("dims"), bytes);
  EXPECT_MLC_ERROR(read_idx(dir.file("dims")), "truncated IDX header (5 of 12 dimension bytes)");
}

TEST(IdxReader, TruncatedData) {
  TempDir dir;
  std::vector<std::uint8_t> bytes = idx_bytes({3, 2, 2}, kPixels);
  bytes.resize(bytes.size() - 5);
  write_bytes(dir.file("a"), bytes);
  EXPECT_MLC_ERROR(read_idx(dir.file("a")), dir.file("a") + ": truncated IDX data (header says 12 bytes, file has 7)");
  write_gz(dir.file("a.gz"), bytes);
  EXPECT_MLC_ERROR(read_idx(dir.file("a.gz")), "truncated IDX data (header says 12 bytes, file has 7)");
}

TEST(IdxReader, HugeClaimedSizeOnShortFileIsTruncationNotAllocation) {
  TempDir dir;
  write_bytes(dir.file("a"), idx_bytes({60000, 1000, 100}, kPixels));
  EXPECT_MLC_ERROR(read_idx(dir.file("a")), "truncated IDX data (header says 6000000000 bytes, file has 12)");
  write_bytes(dir.file("b"), idx_bytes({0xFFFFFFFF, 0xFFFFFFFF}, {}));
  EXPECT_MLC_ERROR(read_idx(dir.file("b")), "more than 16 GiB");
}

TEST(IdxReader, TrailingBytes) {
  TempDir dir;
  std::vector<std::uint8_t> bytes = idx_bytes({3, 2, 2}, kPixels);
  bytes.push_back(42);
  bytes.push_back(43);
  write_bytes(dir.file("a"), bytes);
  EXPECT_MLC_ERROR(read_idx(dir.file("a")), dir.file("a") + ": 2 unexpected bytes after the IDX data");
}

TEST(IdxReader, GzipGarbage) {
  TempDir dir;
  // A valid gzip header followed by bytes that are not a deflate stream.
  write_bytes(dir.file("a.gz"), {0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0xfa, 0x00});
  EXPECT_MLC_ERROR(read_idx(dir.file("a.gz")), dir.file("a.gz") + ": corrupt gzip data: ");
}

TEST(IdxReader, GzipStreamCutShort) {
  TempDir dir;
  std::vector<std::uint8_t> big(100000);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<std::uint8_t>((i * 2654435761u) >> 13);
  write_gz(dir.file("full.gz"), idx_bytes({100, 1000}, big));
  std::vector<std::uint8_t> gz;
  {
    std::string s = test::read_text(dir.file("full.gz"));
    gz.assign(s.begin(), s.begin() + static_cast<long>(s.size() / 2));
  }
  write_bytes(dir.file("cut.gz"), gz);
  EXPECT_MLC_ERROR(read_idx(dir.file("cut.gz")), dir.file("cut.gz") + ": corrupt gzip data: unexpected end of file");
}

TEST(IdxReader, GzipChecksumMismatch) {
  TempDir dir;
  write_gz(dir.file("a.gz"), idx_bytes({3, 2, 2}, kPixels));
  std::string s = test::read_text(dir.file("a.gz"));
  s[s.size() - 6] ^= 0x55;  // inside the CRC32 trailer
  write_bytes(dir.file("a.gz"), std::vector<std::uint8_t>(s.begin(), s.end()));
  EXPECT_MLC_ERROR(read_idx(dir.file("a.gz")), dir.file("a.gz") + ": corrupt gzip data: incorrect data check");
}

TEST(IdxReader, GzNameOnNonGzipContent) {
  TempDir dir;
  write_bytes(dir.file("a.gz"), {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd'});
  EXPECT_MLC_ERROR(read_idx(dir.file("a.gz")), dir.file("a.gz") + ": not a gzip file");
}

}  // namespace
}  // namespace mlc
