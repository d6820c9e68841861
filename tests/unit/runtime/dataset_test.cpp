// Tests of MNIST-layout loading: file lookup, pixel scaling, and the checks against the model's shapes.
#include "data/dataset.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include "test_util.h"

namespace mlc {
namespace {

using test::idx_bytes;
using test::SplitBytes;
using test::TempDir;
using test::write_bytes;

SplitBytes tiny(std::vector<std::uint8_t> pixels, std::vector<std::uint8_t> labels) {
  SplitBytes s;
  s.pixels = std::move(pixels);
  s.labels = std::move(labels);
  return s;
}

TEST(Dataset, LoadsRawAndScalesPixels) {
  TempDir dir;
  test::write_mnist_dir(dir.path(), tiny({0, 51, 102, 255, 1, 2, 3, 4}, {2, 0}), tiny({9, 9, 9, 9}, {1}), false);
  Dataset d = load_dataset(dir.path(), 4, 3);
  ASSERT_EQ(d.train.count, 2u);
  EXPECT_EQ(d.train.pixels, 4u);
  EXPECT_FLOAT_EQ(d.train.images[0], 0.0f);
  EXPECT_FLOAT_EQ(d.train.images[1], 0.2f);
  EXPECT_FLOAT_EQ(d.train.images[2], 0.4f);
  EXPECT_FLOAT_EQ(d.train.images[3], 1.0f);
  EXPECT_EQ(d.train.labels, (std::vector<std::int32_t>{2, 0}));
  EXPECT_EQ(d.test.count, 1u);
  EXPECT_EQ(d.test.labels, (std::vector<std::int32_t>{1}));
}

TEST(Dataset, DecodesOnlyTheLimitedSamplesButChecksEveryLabel) {
  TempDir dir;
  test::write_mnist_dir(dir.path(), tiny({0, 51, 102, 255, 1, 2, 3, 4, 5, 6, 7, 8}, {2, 0, 1}),
                        tiny({9, 9, 9, 9, 8, 8, 8, 8}, {1, 2}), false);
  Dataset d = load_dataset(dir.path(), 4, 3, false, /*limit_train=*/2, /*limit_test=*/1);
  ASSERT_EQ(d.train.count, 2u);
  EXPECT_EQ(d.train.images.size(), 8u);  // two images decoded, not three
  EXPECT_FLOAT_EQ(d.train.images[7], 4.0f / 255.0f);
  EXPECT_EQ(d.train.labels, (std::vector<std::int32_t>{2, 0}));
  ASSERT_EQ(d.test.count, 1u);
  EXPECT_EQ(d.test.images.size(), 4u);
  // A bad label beyond the limit is still an error, as is a count mismatch.
  test::write_mnist_dir(dir.path(), tiny({0, 51, 102, 255, 1, 2, 3, 4, 5, 6, 7, 8}, {2, 0, 7}),
                        tiny({9, 9, 9, 9}, {1}), false);
  EXPECT_MLC_ERROR(load_dataset(dir.path(), 4, 3, false, 1, 1), "label 7 at index 2 is out of range");
}

TEST(Dataset, KeepsBytesAsTokenIdsForTokenModels) {
  TempDir dir;
  test::write_mnist_dir(dir.path(), tiny({0, 51, 102, 255, 1, 2, 3, 4}, {2, 0}), tiny({9, 9, 9, 9}, {1}), false);
  Dataset d = load_dataset(dir.path(), 4, 3, /*tokens=*/true);
  EXPECT_TRUE(d.train.images.empty());
  EXPECT_EQ(d.train.tokens, (std::vector<std::int32_t>{0, 51, 102, 255, 1, 2, 3, 4}));
  EXPECT_EQ(static_cast<const std::int32_t*>(d.train.sample(1))[0], 1);
  d.train.truncate(1);
  EXPECT_EQ(d.train.tokens, (std::vector<std::int32_t>{0, 51, 102, 255}));
  EXPECT_EQ(d.test.tokens, (std::vector<std::int32_t>{9, 9, 9, 9}));
}

TEST(Dataset, ReadsInt32TokenIdsAndLabels) {
  TempDir dir;
  test::write_mnist_dir(dir.path(), tiny({1, 2, 3, 4}, {0}), tiny({5, 6, 7, 8}, {1}), false);
  write_bytes(dir.file("train-images-idx3-ubyte"), idx_bytes({1, 2, 2}, test::int32_payload({9, 70000, 0, 3}), 0x0C));
  write_bytes(dir.file("train-labels-idx1-ubyte"), idx_bytes({1}, test::int32_payload({299}), 0x0C));
  Dataset d = load_dataset(dir.path(), 4, 300, /*tokens=*/true);
  EXPECT_EQ(d.train.tokens, (std::vector<std::int32_t>{9, 70000, 0, 3}));
  EXPECT_EQ(d.train.labels, (std::vector<std::int32_t>{299}));
  // A float model cannot read token ids; negative ids and labels are rejected.
  EXPECT_MLC_ERROR(load_dataset(dir.path(), 4, 300),
                   dir.file("train-images-idx3-ubyte") + ": holds int32 values (token ids)");
  write_bytes(dir.file("train-images-idx3-ubyte"), idx_bytes({1, 2, 2}, test::int32_payload({9, -1, 0, 3}), 0x0C));
  EXPECT_MLC_ERROR(load_dataset(dir.path(), 4, 300, true), "token id -1 at index 1 is negative");
  write_bytes(dir.file("train-labels-idx1-ubyte"), idx_bytes({1}, test::int32_payload({-2}), 0x0C));
  EXPECT_MLC_ERROR(load_dataset(dir.path(), 4, 300, true), "label -2 at index 0 is out of range");
}

TEST(Dataset, LoadsGzipAndPrefersRawWhenBothExist) {
  TempDir dir;
  test::write_mnist_dir(dir.path(), tiny({1, 2, 3, 4}, {0}), tiny({5, 6, 7, 8}, {1}), true);
  EXPECT_EQ(find_idx_file(dir.path(), "train-images-idx3-ubyte"), dir.file("train-images-idx3-ubyte.gz"));
  Dataset d = load_dataset(dir.path(), 4, 2);
  EXPECT_FLOAT_EQ(d.test.images[3], 8.0f / 255.0f);
  write_bytes(dir.file("train-labels-idx1-ubyte"), idx_bytes({1}, {1}));
  EXPECT_EQ(load_dataset(dir.path() + "/", 4, 2).train.labels[0], 1);
}

TEST(Dataset, MissingDirectoryAndFiles) {
  TempDir dir;
  EXPECT_MLC_ERROR(load_dataset(dir.file("none"), 4, 3), dir.file("none") + ": cannot open data directory");
  write_bytes(dir.file("plain"), {1});
  EXPECT_MLC_ERROR(load_dataset(dir.file("plain"), 4, 3), "not a directory");
  EXPECT_MLC_ERROR(load_dataset(dir.path(), 4, 3),
                   dir.file("train-images-idx3-ubyte") + ": not found (nor train-images-idx3-ubyte.gz)");
}

TEST(Dataset, CountMismatch) {
  TempDir dir;
  test::write_mnist_dir(dir.path(), tiny({1, 2, 3, 4, 5, 6, 7, 8}, {0, 1}), tiny({1, 2, 3, 4}, {0}), false);
  write_bytes(dir.file("train-labels-idx1-ubyte"), idx_bytes({3}, {0, 1, 2}));
  EXPECT_MLC_ERROR(load_dataset(dir.path(), 4, 3),
                   dir.file("train-labels-idx1-ubyte") + ": has 3 labels but " + dir.file("train-images-idx3-ubyte") +
                       " has 2 images");
}

TEST(Dataset, WrongImageSize) {
  TempDir dir;
  test::write_mnist_dir(dir.path(), tiny({1, 2, 3, 4}, {0}), tiny({1, 2, 3, 4}, {0}), false);
  EXPECT_MLC_ERROR(load_dataset(dir.path(), 784, 10),
                   dir.file("train-images-idx3-ubyte") + ": images are 2x2 (4 values) but the model takes 784 values");
}

TEST(Dataset, LabelOutOfRange) {
  TempDir dir;
  test::write_mnist_dir(dir.path(), tiny({1, 2, 3, 4}, {0}), tiny({1, 2, 3, 4, 5, 6, 7, 8}, {1, 3}), false);
  EXPECT_MLC_ERROR(load_dataset(dir.path(), 4, 3),
                   dir.file("t10k-labels-idx1-ubyte") + ": label 3 at index 1 is out of range for a model with 3 classes");
}

TEST(Dataset, ImagesAndLabelsSwapped) {
  TempDir dir;
  test::write_mnist_dir(dir.path(), tiny({1, 2, 3, 4}, {0}), tiny({1, 2, 3, 4}, {0}), false);
  write_bytes(dir.file("train-images-idx3-ubyte"), idx_bytes({1}, {0}));
  EXPECT_MLC_ERROR(load_dataset(dir.path(), 4, 3), dir.file("train-images-idx3-ubyte") + ": expected an image file");
  test::write_mnist_dir(dir.path(), tiny({1, 2, 3, 4}, {0}), tiny({1, 2, 3, 4}, {0}), false);
  write_bytes(dir.file("t10k-labels-idx1-ubyte"), idx_bytes({1, 1}, {0}));
  EXPECT_MLC_ERROR(load_dataset(dir.path(), 4, 3), dir.file("t10k-labels-idx1-ubyte") + ": expected a label file");
}

TEST(Dataset, TruncateKeepsFirstSamples) {
  TempDir dir;
  test::write_mnist_dir(dir.path(), tiny({1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3}, {0, 1, 2}), tiny({1, 2, 3, 4}, {0}),
                        false);
  Split s = load_dataset(dir.path(), 4, 3).train;
  s.truncate(10);
  EXPECT_EQ(s.count, 3u);
  s.truncate(2);
  EXPECT_EQ(s.count, 2u);
  EXPECT_EQ(s.images.size(), 8u);
  EXPECT_EQ(s.labels, (std::vector<std::int32_t>{0, 1}));
  EXPECT_FLOAT_EQ(s.images[7], 2.0f / 255.0f);
}

TEST(Dataset, RealFashionMnist) {
  const std::string dir = "/usr/share/datasets/fashion-mnist";
  struct stat st;
  if (::stat((dir + "/train-images-idx3-ubyte.gz").c_str(), &st) != 0) GTEST_SKIP() << dir << " not installed";
  Dataset d = load_dataset(dir, 784, 10);
  EXPECT_EQ(d.train.count, 60000u);
  EXPECT_EQ(d.test.count, 10000u);
  std::vector<std::size_t> per_class(10);
  for (std::int32_t l : d.train.labels) ++per_class[static_cast<std::size_t>(l)];
  for (std::size_t n : per_class) EXPECT_EQ(n, 6000u);
  float lo = 1, hi = 0;
  for (float v : d.test.images) lo = std::min(lo, v), hi = std::max(hi, v);
  EXPECT_EQ(lo, 0.0f);
  EXPECT_EQ(hi, 1.0f);
  EXPECT_MLC_ERROR(load_dataset(dir, 784, 9), "out of range for a model with 9 classes");
}

}  // namespace
}  // namespace mlc
