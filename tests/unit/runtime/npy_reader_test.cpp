// Tests of the .npy reader on hand-built files: dtypes, shapes, header forms, and every malformation.
#include "data/npy_reader.h"

#include <gtest/gtest.h>

#include <cstring>

#include "test_util.h"

namespace mlc {
namespace {

// A version-1 .npy file: magic, version, header (padded to a multiple of 64 with a newline), data.
std::vector<std::uint8_t> npy(const std::string& dict, const std::vector<std::uint8_t>& data, int major = 1) {
  std::string header = dict;
  const std::size_t prefix = major == 1 ? 10 : 12;
  while ((prefix + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::vector<std::uint8_t> out = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<std::uint8_t>(major), 0};
  const std::size_t n = header.size();
  out.push_back(n & 0xff);
  out.push_back((n >> 8) & 0xff);
  if (major != 1) {
    out.push_back((n >> 16) & 0xff);
    out.push_back((n >> 24) & 0xff);
  }
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

template <typename T>
std::vector<std::uint8_t> bytes_of(const std::vector<T>& v) {
  std::vector<std::uint8_t> out(v.size() * sizeof(T));
  std::memcpy(out.data(), v.data(), out.size());
  return out;
}

NpyArray parse(const std::vector<std::uint8_t>& b) { return parse_npy(b.data(), b.size(), "a.npy"); }

TEST(NpyReader, ReadsEveryDtypeAndShape) {
  NpyArray f = parse(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", bytes_of<float>({1, 2, 3, 4, 5, 6.5f})));
  EXPECT_EQ(f.type, NpyType::F32);
  EXPECT_EQ(f.shape, (std::vector<std::size_t>{2, 3}));
  EXPECT_EQ(f.to_float(), (std::vector<float>{1, 2, 3, 4, 5, 6.5f}));
  NpyArray d = parse(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", bytes_of<double>({0.25, -1, 1e300})));
  EXPECT_EQ(d.shape, (std::vector<std::size_t>{3}));
  EXPECT_EQ(d.value(2), 1e300);
  NpyArray u = parse(npy("{'descr': '|u1', 'fortran_order': False, 'shape': (4,), }", {0, 1, 200, 255}));
  EXPECT_TRUE(u.is_integer());
  EXPECT_EQ(u.value(2), 200);
  NpyArray i = parse(npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", bytes_of<std::int64_t>({-7, 1LL << 40})));
  EXPECT_EQ(i.value(0), -7);
  EXPECT_EQ(i.value(1), static_cast<double>(1LL << 40));
  NpyArray i4 = parse(npy("{\"descr\": \"<i4\", \"fortran_order\": False, \"shape\": ()}", bytes_of<std::int32_t>({42}), 2));
  EXPECT_TRUE(i4.shape.empty());
  EXPECT_EQ(i4.size(), 1u);
  EXPECT_EQ(i4.value(0), 42);
  NpyArray empty = parse(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 5), }", {}));
  EXPECT_EQ(empty.size(), 0u);
}

TEST(NpyReader, MalformedFilesAreOneLineErrors) {
  const std::string ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
  EXPECT_MLC_ERROR(parse({'h', 'e', 'l', 'l', 'o'}), "a.npy: not a .npy file (bad magic)");
  std::vector<std::uint8_t> v9 = npy(ok, bytes_of<float>({1, 2}));
  v9[6] = 9;
  EXPECT_MLC_ERROR(parse(v9), ".npy format version 9 is not supported");
  EXPECT_MLC_ERROR(parse(npy(ok, bytes_of<float>({1}))), "truncated: 4 data bytes, the header declares 8");
  EXPECT_MLC_ERROR(parse(npy(ok, bytes_of<float>({1, 2, 3}))), "4 bytes after the array's data");
  EXPECT_MLC_ERROR(parse(npy("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", bytes_of<float>({1, 2}))),
                   "dtype '>f4' is not supported");
  EXPECT_MLC_ERROR(parse(npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", bytes_of<float>({1, 2}))),
                   "Fortran-order arrays are not supported");
  EXPECT_MLC_ERROR(parse(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 16), }", {})),
                   "the declared shape is too large");
  EXPECT_MLC_ERROR(parse(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (100000000000,), }", {})),
                   "truncated: 0 data bytes, the header declares 400000000000");
  EXPECT_MLC_ERROR(parse(npy("{'descr': '<f4', 'shape': (2,), }", bytes_of<float>({1, 2}))), "lacks descr, fortran_order or shape");
  EXPECT_MLC_ERROR(parse(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,-1), }", {})), "not a non-negative integer");
  EXPECT_MLC_ERROR(parse(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}", {})), "unexpected header key 'x'");
  EXPECT_MLC_ERROR(parse(npy("{'descr': '<f4", {})), "bad .npy header");
  std::vector<std::uint8_t> cut = npy(ok, bytes_of<float>({1, 2}));
  cut.resize(12);
  EXPECT_MLC_ERROR(parse(cut), "truncated .npy header");
}

TEST(NpyReader, NpzErrors) {
  const std::vector<std::uint8_t> junk(40, 0);
  EXPECT_MLC_ERROR(parse_npz(junk.data(), junk.size(), "a.npz"), "a.npz: not a .npz archive (no end of central directory)");
  test::TempDir dir;
  EXPECT_MLC_ERROR(read_npy_file(dir.file("missing.npy")), "missing.npy: cannot open");
}

}  // namespace
}  // namespace mlc
