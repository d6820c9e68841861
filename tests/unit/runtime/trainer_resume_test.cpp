// End-to-end tests of checkpoints: bit-exact resume, signals, bad checkpoints, weights for prediction.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <csignal>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "test_util.h"

namespace mlc {
namespace {

using test::ProcessResult;
using test::split_lines;
using test::TempDir;

using test::read_bytes;

// The step records of a log ({"step": ...} lines) as text: loss and lr printed with %.9g.
std::vector<std::string> step_lines(const std::string& log) {
  std::vector<std::string> out;
  for (const std::string& l : split_lines(test::read_text(log))) {
    if (l.rfind("{\"step\"", 0) == 0) out.push_back(l);
  }
  return out;
}

class ResumeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = dir_.file("data");
    ASSERT_EQ(mkdir(data_.c_str(), 0755), 0);
    test::write_mnist_dir(data_, test::toy_split(258, 1), test::toy_split(66, 2), /*gz=*/false);
  }

  ProcessResult run(std::vector<std::string> args, const std::string& trainer = FAKE_TRAINER) {
    args.insert(args.begin(), trainer);
    return test::run_process(args, dir_.path());
  }

  // The common flags of a run: data, seed, learning rate.
  std::vector<std::string> base(std::vector<std::string> extra) {
    std::vector<std::string> args = {"--data=" + data_, "--seed=3", "--lr=0.3"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  static void expect_one_error_line(const ProcessResult& r, int code, const std::string& needle) {
    EXPECT_EQ(r.exit_code, code);
    std::vector<std::string> lines = split_lines(r.err);
    ASSERT_EQ(lines.size(), 1u) << r.err;
    EXPECT_NE(lines[0].find(needle), std::string::npos) << lines[0];
  }

  TempDir dir_;
  std::string data_;
};

TEST_F(ResumeTest, ResumingFromAnEpochCheckpointIsBitExact) {
  for (const char* trainer : {FAKE_TRAINER, FAKE_TRAINER_ADAM}) {
    const std::string ck = dir_.file(std::string("ck_") + (trainer == std::string(FAKE_TRAINER) ? "sgd" : "adam"));
    ProcessResult ref = run(base({"--epochs=4", "--save-weights=" + dir_.file("ref.w"), "--log=" + dir_.file("ref.jsonl")}), trainer);
    ASSERT_EQ(ref.exit_code, 0) << ref.err;
    ProcessResult first = run(base({"--epochs=2", "--checkpoint=" + ck, "--log=" + dir_.file("run.jsonl")}), trainer);
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_EQ(test::list_dir(ck), (std::vector<std::string>{"ckpt-0000000064.mlcckpt", "ckpt-0000000128.mlcckpt"}));
    // The same command line with more epochs continues the run, and its log.
    ProcessResult second = run(base({"--epochs=4", "--checkpoint=" + ck, "--resume", "--log=" + dir_.file("run.jsonl"),
                                     "--save-weights=" + dir_.file("res.w")}), trainer);
    ASSERT_EQ(second.exit_code, 0) << second.err;
    EXPECT_NE(second.out.find("resumed from " + ck + "/ckpt-0000000128.mlcckpt: step 128 (epoch 3, batch 0)"),
              std::string::npos) << second.out;
    EXPECT_EQ(read_bytes(dir_.file("res.w")), read_bytes(dir_.file("ref.w")));
    EXPECT_EQ(step_lines(dir_.file("run.jsonl")), step_lines(dir_.file("ref.jsonl")));
    EXPECT_EQ(split_lines(ref.out).back(), split_lines(second.out).back());
    // keep-checkpoints 3 by default.
    EXPECT_EQ(test::list_dir(ck).size(), 3u);
  }
}

TEST_F(ResumeTest, ResumingFromAMidEpochCheckpointIsBitExact) {
  const std::string ck = dir_.file("ck");
  ASSERT_EQ(run(base({"--epochs=3", "--save-weights=" + dir_.file("ref.w"), "--log=" + dir_.file("ref.jsonl")})).exit_code, 0);
  ProcessResult first = run(base({"--epochs=3", "--checkpoint=" + ck, "--checkpoint-every=25", "--keep-checkpoints=100"}));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  // Every 25 steps and at each epoch's end (64, 128, 192).
  EXPECT_EQ(test::list_dir(ck).size(), 10u);
  ProcessResult second = run(base({"--epochs=3", "--resume=" + ck + "/ckpt-0000000075.mlcckpt",
                                   "--save-weights=" + dir_.file("res.w"), "--log=" + dir_.file("res.jsonl")}));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("step 75 (epoch 2, batch 11)"), std::string::npos) << second.out;
  EXPECT_EQ(read_bytes(dir_.file("res.w")), read_bytes(dir_.file("ref.w")));
  // A log given only on resume starts with the resumed steps.
  std::vector<std::string> ref = step_lines(dir_.file("ref.jsonl"));
  EXPECT_EQ(step_lines(dir_.file("res.jsonl")), std::vector<std::string>(ref.begin() + 75, ref.end()));
}

TEST_F(ResumeTest, SigtermWritesACheckpointAndTheResumedRunEndsIdentically) {
  const std::string ck = dir_.file("ck");
  const std::vector<std::string> args = base({"--epochs=60", "--checkpoint=" + ck, "--resume", "--log=" + dir_.file("run.jsonl"),
                                              "--save-weights=" + dir_.file("res.w")});
  std::vector<std::string> argv = args;
  argv.insert(argv.begin(), FAKE_TRAINER);
  ProcessResult stopped = test::run_process_signalled(argv, dir_.path(), dir_.file("run.jsonl"), 700, SIGTERM);
  ASSERT_EQ(stopped.exit_code, 143) << stopped.err;
  std::smatch m;
  std::vector<std::string> lines = split_lines(stopped.err);
  ASSERT_EQ(lines.size(), 1u) << stopped.err;
  ASSERT_TRUE(std::regex_match(lines[0], m, std::regex(R"(stopped by SIGTERM after step (\d+); checkpoint (.*))"))) << lines[0];
  EXPECT_TRUE(test::file_exists(m[2]));
  // Whole lines only in the log, up to the step it stopped after.
  EXPECT_EQ(test::read_text(dir_.file("run.jsonl")).back(), '\n');
  EXPECT_EQ(step_lines(dir_.file("run.jsonl")).size(), std::stoul(m[1]));

  ProcessResult resumed = run(args);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  ASSERT_EQ(run(base({"--epochs=60", "--save-weights=" + dir_.file("ref.w"), "--log=" + dir_.file("ref.jsonl")})).exit_code, 0);
  EXPECT_EQ(read_bytes(dir_.file("res.w")), read_bytes(dir_.file("ref.w")));
  EXPECT_EQ(test::log_without_seconds(dir_.file("run.jsonl")), test::log_without_seconds(dir_.file("ref.jsonl")));
}

TEST_F(ResumeTest, SigintWithoutCheckpointsSaysNothingWasSaved) {
  std::vector<std::string> argv = base({"--epochs=100000", "--log=" + dir_.file("run.jsonl")});
  argv.insert(argv.begin(), FAKE_TRAINER);
  ProcessResult r = test::run_process_signalled(argv, dir_.path(), dir_.file("run.jsonl"), 100, SIGINT);
  EXPECT_EQ(r.exit_code, 130);
  EXPECT_TRUE(std::regex_match(r.err, std::regex("stopped by SIGINT after step \\d+ \\(no --checkpoint: nothing saved\\)\n"))) << r.err;
}

TEST_F(ResumeTest, ResumeWithoutACheckpointStartsANewRun) {
  ProcessResult r = run(base({"--checkpoint=" + dir_.file("new/dir"), "--resume"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(split_lines(r.out)[0], "no checkpoint in " + dir_.file("new/dir") + ": starting a new run");
  EXPECT_EQ(test::list_dir(dir_.file("new/dir")), (std::vector<std::string>{"ckpt-0000000064.mlcckpt"}));
  // A finished run resumed with the same epochs has nothing left to do but report.
  r = run(base({"--checkpoint=" + dir_.file("new/dir"), "--resume"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("the checkpoint's run finished epoch 1; nothing left to train"), std::string::npos) << r.out;
}

TEST_F(ResumeTest, BadCheckpointsAreOneLineErrorsAndTouchNothing) {
  const std::string ck = dir_.file("ck");
  ASSERT_EQ(run(base({"--checkpoint=" + ck}), FAKE_TRAINER_ADAM).exit_code, 0);
  const std::string file = ck + "/ckpt-0000000064.mlcckpt";
  const std::vector<std::uint8_t> original = read_bytes(file);

  // Another optimizer's checkpoint.
  expect_one_error_line(run(base({"--checkpoint=" + ck, "--resume"})), 1,
                        "checkpoint " + file + " is of another model: the checkpoint has 'optimizer adam', this trainer 'optimizer sgd'");
  // Truncated and corrupted copies.
  const std::string bad = dir_.file("bad.mlcckpt");
  test::write_bytes(bad, std::vector<std::uint8_t>(original.begin(), original.begin() + original.size() / 2));
  expect_one_error_line(run(base({"--resume=" + bad}), FAKE_TRAINER_ADAM), 1, "bad.mlcckpt: truncated");
  std::vector<std::uint8_t> flipped = original;
  flipped[flipped.size() - 3] ^= 0x10;
  test::write_bytes(bad, flipped);
  expect_one_error_line(run(base({"--resume=" + bad}), FAKE_TRAINER_ADAM), 1, "bad.mlcckpt: corrupted (payload checksum mismatch)");
  expect_one_error_line(run(base({"--resume=" + dir_.file("typo.mlcckpt")}), FAKE_TRAINER_ADAM), 1, "typo.mlcckpt: no such checkpoint");
  // The data order cannot change on resume.
  expect_one_error_line(run(base({"--checkpoint=" + ck, "--resume", "--seed=4"}), FAKE_TRAINER_ADAM), 1,
                        "--seed=4 differs from the checkpoint's run (--seed=3)");
  EXPECT_EQ(read_bytes(file), original);
  EXPECT_EQ(test::list_dir(ck), (std::vector<std::string>{"ckpt-0000000064.mlcckpt"}));
}

TEST_F(ResumeTest, DivergenceKeepsTheLastGoodCheckpoint) {
  const std::string ck = dir_.file("ck");
  ASSERT_EQ(run(base({"--checkpoint=" + ck, "--epochs=2"})).exit_code, 0);
  const std::vector<std::uint8_t> good = read_bytes(ck + "/ckpt-0000000128.mlcckpt");
  ProcessResult r = run(base({"--checkpoint=" + ck, "--resume", "--epochs=3", "--lr=1e38"}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("error: training diverged at step"), std::string::npos) << r.err;
  EXPECT_EQ(read_bytes(ck + "/ckpt-0000000128.mlcckpt"), good);
  EXPECT_EQ(test::list_dir(ck).size(), 2u);
}

TEST_F(ResumeTest, EvaluateAndPredictFromACheckpoint) {
  const std::string ck = dir_.file("ck");
  ProcessResult train = run(base({"--epochs=3", "--checkpoint=" + ck}));
  ASSERT_EQ(train.exit_code, 0) << train.err;
  const std::string last = split_lines(train.out).back();  // final test_accuracy X
  const std::string accuracy = last.substr(last.rfind(' ') + 1);

  ProcessResult ev = run({"--evaluate", "--resume=" + ck, "--data=" + data_});
  ASSERT_EQ(ev.exit_code, 0) << ev.err;
  EXPECT_NE(ev.out.find("on 66 test samples:  test_loss "), std::string::npos) << ev.out;
  EXPECT_NE(ev.out.find("test_accuracy " + accuracy), std::string::npos) << ev.out;

  const std::string preds = dir_.file("preds.csv");
  ProcessResult pr = run({"--predict", "--resume=" + ck, "--input=" + data_ + "/t10k-images-idx3-ubyte", "--output=" + preds});
  ASSERT_EQ(pr.exit_code, 0) << pr.err;
  std::vector<std::string> rows = split_lines(test::read_text(preds));
  ASSERT_EQ(rows.size(), 67u);  // header + 66: the padded last batch's extra rows are dropped
  EXPECT_EQ(rows[0], "index,class,p0,p1,p2");
  const test::SplitBytes labels = test::toy_split(66, 2);
  std::size_t correct = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    double a, b, c;
    unsigned idx, cls;
    ASSERT_EQ(std::sscanf(rows[i].c_str(), "%u,%u,%lf,%lf,%lf", &idx, &cls, &a, &b, &c), 5) << rows[i];
    EXPECT_EQ(idx, i - 1);
    EXPECT_NEAR(a + b + c, 1.0, 1e-6);
    correct += cls == labels.labels[i - 1];
  }
  char expected[16];
  std::snprintf(expected, sizeof expected, "%.4f", correct / 66.0);
  EXPECT_EQ(accuracy, expected);

  expect_one_error_line(run({"--predict", "--resume=" + ck, "--input=" + preds, "--output=" + preds}), 1,
                        "--output would overwrite --input");
  expect_one_error_line(run({"--predict", "--resume=" + ck}), 1, "--predict needs --input=FILE and --output=FILE");
  expect_one_error_line(run({"--evaluate", "--data=" + data_}), 1, "--evaluate needs --resume=CKPT");
}

TEST_F(ResumeTest, InitFromStartsANewRunFromTheWeights) {
  ASSERT_EQ(run(base({"--epochs=2", "--save-weights=" + dir_.file("w.mlcckpt")})).exit_code, 0);
  // Weights-only files cannot be resumed, but they initialize a new run, even with another optimizer.
  expect_one_error_line(run(base({"--resume=" + dir_.file("w.mlcckpt")})), 1, "holds weights only");
  ProcessResult r = run({"--data=" + data_, "--init-from=" + dir_.file("w.mlcckpt"), "--lr=0.01"}, FAKE_TRAINER_ADAM);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("initialized from " + dir_.file("w.mlcckpt") + " (weights only)"), std::string::npos);
}

}  // namespace
}  // namespace mlc
