// Tests of the checkpoint container, the checkpoint directory (atomic writes, keep-last-K) and run state text.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <unistd.h>
#include <zlib.h>

#include <cmath>
#include <fstream>
#include <limits>

#include "state/checkpoint_dir.h"
#include "state/checkpoint_file.h"
#include "state/key_values.h"
#include "state/model_fingerprint.h"
#include "core/model_meta.h"
#include "test_util.h"

namespace mlc {
namespace {

using test::TempDir;

using test::read_bytes;

void write_sample(const std::string& path) {
  CheckpointWriter w(path, 0x1234567890abcdefull);
  w.text("run", "step 7\n");
  const float values[3] = {1.5f, -0.0f, std::numeric_limits<float>::denorm_min()};
  w.floats("param/w", values, 3);
  w.floats("param/empty", nullptr, 0);
  w.finish();
}

TEST(CheckpointFile, RoundTripsSectionsBitForBit) {
  TempDir dir;
  write_sample(dir.file("a.ck"));
  Checkpoint ck = read_checkpoint(dir.file("a.ck"));
  EXPECT_EQ(ck.fingerprint, 0x1234567890abcdefull);
  EXPECT_EQ(ck.text("run"), "step 7\n");
  float v[3];
  ck.floats("param/w", v, 3);
  EXPECT_EQ(v[0], 1.5f);
  EXPECT_TRUE(std::signbit(v[1]));
  EXPECT_EQ(v[2], std::numeric_limits<float>::denorm_min());
  ck.floats("param/empty", v, 0);
  EXPECT_EQ(ck.names(), (std::vector<std::string>{"param/empty", "param/w", "run"}));
  EXPECT_MLC_ERROR(ck.floats("param/w", v, 2), "section 'param/w' holds 3 values, expected 2");
  EXPECT_MLC_ERROR(ck.text("param/w"), "section 'param/w' has the wrong kind");
  EXPECT_MLC_ERROR(ck.text("nope"), "no section 'nope'");
}

TEST(CheckpointFile, EveryTruncationIsAOneLineError) {
  TempDir dir;
  write_sample(dir.file("a.ck"));
  const std::vector<std::uint8_t> bytes = read_bytes(dir.file("a.ck"));
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    test::write_bytes(dir.file("t.ck"), std::vector<std::uint8_t>(bytes.begin(), bytes.begin() + n));
    const std::string expected = n < 8 ? "not an mlc checkpoint (bad magic)" : "truncated";
    EXPECT_MLC_ERROR(read_checkpoint(dir.file("t.ck")), expected);
  }
}

TEST(CheckpointFile, EveryFlippedBitIsDetected) {
  TempDir dir;
  write_sample(dir.file("a.ck"));
  const std::vector<std::uint8_t> bytes = read_bytes(dir.file("a.ck"));
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    for (int bit : {0, 7}) {
      std::vector<std::uint8_t> bad = bytes;
      bad[i] ^= static_cast<std::uint8_t>(1u << bit);
      test::write_bytes(dir.file("c.ck"), bad);
      try {
        read_checkpoint(dir.file("c.ck"));
        ADD_FAILURE() << "flip of bit " << bit << " of byte " << i << " was not detected";
      } catch (const Error& e) {
        EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
      }
    }
  }
}

TEST(CheckpointFile, NamesTheProblem) {
  TempDir dir;
  test::write_bytes(dir.file("text.ck"), {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd'});
  EXPECT_MLC_ERROR(read_checkpoint(dir.file("text.ck")), "text.ck: not an mlc checkpoint (bad magic)");
  EXPECT_MLC_ERROR(read_checkpoint(dir.file("missing.ck")), "missing.ck: cannot open");

  write_sample(dir.file("a.ck"));
  std::vector<std::uint8_t> bytes = read_bytes(dir.file("a.ck"));
  bytes.push_back(0);
  test::write_bytes(dir.file("long.ck"), bytes);
  EXPECT_MLC_ERROR(read_checkpoint(dir.file("long.ck")), "1 unexpected trailing bytes");

  // Another version, with a consistent header checksum: refused by version, not as corruption.
  bytes.pop_back();
  bytes[8] = 2;
  const std::uint32_t crc = static_cast<std::uint32_t>(crc32_z(0, bytes.data(), 36));
  for (int i = 0; i < 4; ++i) bytes[36 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
  test::write_bytes(dir.file("v2.ck"), bytes);
  EXPECT_MLC_ERROR(read_checkpoint(dir.file("v2.ck")), "format version 2, this trainer reads version 1");
}

TEST(CheckpointFile, WriteFailureIsAnError) {
  EXPECT_MLC_ERROR(CheckpointWriter("/nonexistent/dir/x.ck", 1), "/nonexistent/dir/x.ck: cannot write checkpoint");
  if (::access("/dev/full", W_OK) == 0) {
    CheckpointWriter w("/dev/full", 1);
    std::vector<float> big(1 << 20, 1.0f);
    w.floats("param/big", big.data(), big.size());
    EXPECT_MLC_ERROR(w.finish(), "/dev/full: error writing checkpoint");
  }
}

TEST(CheckpointDir, KeepsTheNewestKAndRemovesTemporariesOfDeadWriters) {
  TempDir dir;
  const std::string d = dir.file("ck/nested");
  ensure_directory(d);
  test::write_bytes(d + "/.tmp-ckpt-2147483646", {1, 2, 3});  // left by a killed run (no such process)
  // Another live trainer's file in progress stays.
  const std::string live = d + "/.tmp-ckpt-" + std::to_string(::getppid());
  test::write_bytes(live, {4, 5, 6});
  for (std::uint64_t step : {5, 10, 15, 20}) {
    std::string path = write_checkpoint_atomically(d, step, 2, [&](const std::string& tmp) { write_sample(tmp); });
    EXPECT_EQ(path, d + "/" + checkpoint_file_name(step));
  }
  EXPECT_EQ(list_checkpoints(d), (std::vector<std::string>{d + "/ckpt-0000000015.mlcckpt", d + "/ckpt-0000000020.mlcckpt"}));
  EXPECT_FALSE(test::file_exists(d + "/.tmp-ckpt-2147483646"));
  EXPECT_TRUE(test::file_exists(live));
  EXPECT_EQ(*resolve_resume(d), d + "/ckpt-0000000020.mlcckpt");
  EXPECT_EQ(*resolve_resume(d + "/ckpt-0000000015.mlcckpt"), d + "/ckpt-0000000015.mlcckpt");
}

TEST(CheckpointDir, AFailedWriteLeavesEveryCheckpointUntouched) {
  TempDir dir;
  write_checkpoint_atomically(dir.path(), 1, 1, [&](const std::string& tmp) { write_sample(tmp); });
  const auto before = read_bytes(dir.file("ckpt-0000000001.mlcckpt"));
  EXPECT_THROW(write_checkpoint_atomically(dir.path(), 2, 1,
                                           [&](const std::string& tmp) {
                                             write_sample(tmp);
                                             throw Error("disk full");
                                           }),
               Error);
  EXPECT_EQ(list_checkpoints(dir.path()), (std::vector<std::string>{dir.file("ckpt-0000000001.mlcckpt")}));
  EXPECT_EQ(read_bytes(dir.file("ckpt-0000000001.mlcckpt")), before);
  EXPECT_FALSE(test::file_exists(dir.file(".tmp-ckpt-" + std::to_string(::getpid()))));
}

TEST(CheckpointDir, ResumeFromNothingStartsFresh) {
  TempDir dir;
  EXPECT_FALSE(resolve_resume(dir.path()).has_value());
  EXPECT_FALSE(resolve_resume(dir.file("not/yet")).has_value());
  EXPECT_MLC_ERROR(resolve_resume(dir.file("typo.mlcckpt")), "typo.mlcckpt: no such checkpoint");
  test::write_bytes(dir.file("file"), {1});
  EXPECT_MLC_ERROR(ensure_directory(dir.file("file")), "not a directory");
}

TEST(KeyValues, RoundTripsDoublesExactly) {
  KeyValues kv;
  kv.set_double("a", 0.1 + 0.2);
  kv.set_double("inf", std::numeric_limits<double>::infinity());
  kv.set_u64("n", 18446744073709551615ull);
  kv.set_bool("b", true);
  KeyValues back(kv.text(), "x");
  EXPECT_EQ(back.get_double("a"), 0.1 + 0.2);
  EXPECT_TRUE(std::isinf(back.get_double("inf")));
  EXPECT_EQ(back.get_u64("n"), 18446744073709551615ull);
  EXPECT_TRUE(back.get_bool("b"));
  EXPECT_MLC_ERROR(back.get("missing"), "x: the run state has no 'missing'");
  EXPECT_MLC_ERROR(KeyValues("novalue\n", "y"), "y: malformed line 1");
  EXPECT_MLC_ERROR(KeyValues("n -3\n", "z").get_u64("n"), "is not a count");
}

TEST(ModelFingerprint, DependsOnNamesShapesAndOptimizerButNotTargetOrBatch) {
  const std::string base =
      "mlc-model 1\nbatch 4\nloss cross_entropy\noptimizer sgd\ninput x f32 4 1 2 2\nlabel y i32 4\n"
      "output logits f32 4 3\nstate 0\nhyper lr step\nparam w f32 0 3 4\nparam b f32 12 3\nworkspace 256 128\n";
  auto fp = [](const std::string& meta) { return fingerprint_of(canonical_model_text(parse_model_meta(meta))); };
  auto edit = [&](const std::string& from, const std::string& to) {
    std::string s = base;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  EXPECT_EQ(fp(base), fp(edit("mlc-model 1\n", "mlc-model 1\ntarget cuda\n")));
  EXPECT_EQ(fp(base), fp(edit("workspace 256 128", "workspace 512 64")));
  std::string batch8 = edit("batch 4", "batch 8");
  for (const char* dims : {"x f32 4 ", "y i32 4", "logits f32 4 "}) {
    std::string from = dims, to = from;
    to.replace(to.find('4'), 1, "8");
    batch8.replace(batch8.find(from), from.size(), to);
  }
  EXPECT_EQ(fp(base), fp(batch8));
  EXPECT_NE(fp(base), fp(edit("param w f32 0 3 4", "param v f32 0 3 4")));
  EXPECT_NE(fp(base), fp(edit("param b f32 12 3", "param b f32 12 1 3")));
  EXPECT_EQ(describe_model_difference(canonical_model_text(parse_model_meta(base)),
                                      canonical_model_text(parse_model_meta(edit("param w f32 0 3 4", "param w f32 0 4 3")))),
            "the checkpoint has 'param w 3x4', this trainer 'param w 4x3'");
}

}  // namespace
}  // namespace mlc
