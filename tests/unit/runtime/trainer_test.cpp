// End-to-end tests of the trainer: the fake models linked with libmlc_runtime.a, run as real processes.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cmath>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "test_util.h"

namespace mlc {
namespace {

using test::ProcessResult;
using test::split_lines;
using test::TempDir;

// One flat JSON object from the log: keys in order, values as text (numbers or null).
struct Record {
  std::vector<std::string> keys;
  std::map<std::string, std::string> values;
  double num(const std::string& k) const { return std::stod(values.at(k)); }
};

Record parse_record(const std::string& line) {
  Record r;
  EXPECT_TRUE(std::regex_match(line, std::regex(R"(\{("\w+": [-+.\w]+)(, "\w+": [-+.\w]+)*\})"))) << line;
  static const std::regex field(R"re("(\w+)": ([-+.\w]+))re");
  for (auto it = std::sregex_iterator(line.begin(), line.end(), field); it != std::sregex_iterator(); ++it) {
    r.keys.push_back((*it)[1]);
    r.values[(*it)[1]] = (*it)[2];
  }
  return r;
}

struct Log {
  std::vector<Record> steps, epochs, events;  // events: {"final": true, ...}, {"early_stopping": true, ...}
};

Log read_log(const std::string& path) {
  Log log;
  for (const std::string& line : split_lines(test::read_text(path))) {
    if (line.rfind("{\"confusion\": ", 0) == 0) continue;  // nested arrays; checked on its own
    Record r = parse_record(line);
    if (r.values.count("step")) log.steps.push_back(r);
    else if (r.values.count("epoch") && r.keys[0] == "epoch") log.epochs.push_back(r);
    else log.events.push_back(r);
  }
  return log;
}

class TrainerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = dir_.file("data");
    ASSERT_EQ(mkdir(data_.c_str(), 0755), 0);
    // 258 = 64 full batches of 4 + 2 dropped; 66 test images = 16 full batches + a padded one.
    test::write_mnist_dir(data_, test::toy_split(258, 1), test::toy_split(66, 2), /*gz=*/true);
  }

  ProcessResult run(const std::vector<std::string>& args, const std::string& trainer = FAKE_TRAINER) {
    std::vector<std::string> argv = {trainer};
    argv.insert(argv.end(), args.begin(), args.end());
    return test::run_process(argv, dir_.path());
  }

  static void expect_one_error_line(const ProcessResult& r, int code, const std::string& needle) {
    EXPECT_EQ(r.exit_code, code);
    std::vector<std::string> lines = split_lines(r.err);
    ASSERT_EQ(lines.size(), 1u) << r.err;
    EXPECT_EQ(lines[0].rfind("error: ", 0), 0u) << lines[0];
    EXPECT_NE(lines[0].find(needle), std::string::npos) << lines[0];
  }

  TempDir dir_;
  std::string data_;
};

TEST_F(TrainerTest, LossFallsAndReportsAreConsistent) {
  const std::string log_path = dir_.file("log.jsonl");
  ProcessResult r = run({"--data=" + data_, "--epochs=4", "--lr=0.5", "--seed=3", "--log=" + log_path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");

  std::vector<std::string> out = split_lines(r.out);
  ASSERT_EQ(out.size(), 7u) << r.out;
  EXPECT_EQ(out[0], "model: 15 params in 2 tensors, batch 4, optimizer sgd (lr 0.5), loss cross_entropy");
  EXPECT_EQ(out[1], "data: 258 train samples (64 steps per epoch, 2 dropped), 66 test samples");
  const std::regex summary(R"(epoch (\d)/4  train_loss (\d+\.\d{4})  test_loss (\d+\.\d{4})  test_accuracy (\d\.\d{4})  \d+\.\ds)");
  std::smatch m;

  Log log = read_log(log_path);
  ASSERT_EQ(log.steps.size(), 256u);
  ASSERT_EQ(log.epochs.size(), 4u);
  for (std::size_t i = 0; i < log.steps.size(); ++i) {
    const Record& s = log.steps[i];
    EXPECT_EQ(s.keys, (std::vector<std::string>{"step", "epoch", "loss", "lr"}));
    EXPECT_EQ(s.values.at("lr"), "0.5");
    EXPECT_EQ(s.values.at("step"), std::to_string(i + 1));
    EXPECT_EQ(s.values.at("epoch"), std::to_string(i / 64 + 1));
  }
  for (std::size_t e = 0; e < 4; ++e) {
    const Record& rec = log.epochs[e];
    // The printed metrics first, then the other test metrics (logged only), then the time.
    ASSERT_GE(rec.keys.size(), 5u);
    EXPECT_EQ(std::vector<std::string>(rec.keys.begin(), rec.keys.begin() + 4),
              (std::vector<std::string>{"epoch", "train_loss", "test_loss", "test_accuracy"}));
    EXPECT_EQ(rec.keys[4], "test_top3_accuracy");
    EXPECT_EQ(rec.keys.back(), "seconds");
    EXPECT_GE(rec.num("test_f1_macro"), 0.0);
    EXPECT_EQ(rec.values.at("epoch"), std::to_string(e + 1));
    double sum = 0;
    for (std::size_t i = e * 64; i < (e + 1) * 64; ++i) sum += log.steps[i].num("loss");
    EXPECT_NEAR(rec.num("train_loss"), sum / 64, 1e-6);
    EXPECT_GE(rec.num("seconds"), 0.0);
    // 66 test images: accuracy is a multiple of 1/66 only if the 2 padded rows were ignored.
    const double correct = rec.num("test_accuracy") * 66;
    EXPECT_NEAR(correct, std::round(correct), 1e-6);

    ASSERT_TRUE(std::regex_match(out[2 + e], m, summary)) << out[2 + e];
    EXPECT_EQ(m[1], std::to_string(e + 1));
    EXPECT_NEAR(std::stod(m[2]), rec.num("train_loss"), 6e-5);
    EXPECT_NEAR(std::stod(m[3]), rec.num("test_loss"), 6e-5);
    EXPECT_NEAR(std::stod(m[4]), rec.num("test_accuracy"), 6e-5);
  }
  char final_line[64];
  std::snprintf(final_line, sizeof final_line, "final test_accuracy %.4f", log.epochs[3].num("test_accuracy"));
  EXPECT_EQ(out[6], final_line);

  // The toy labels are a linear function of the pixels, so this must learn.
  EXPECT_LT(log.epochs[3].num("train_loss"), 0.8 * log.epochs[0].num("train_loss"));
  EXPECT_LT(log.epochs[3].num("test_loss"), log.epochs[0].num("test_loss"));
  EXPECT_GT(log.epochs[3].num("test_accuracy"), 0.75);
  double first = 0, last = 0;
  for (std::size_t i = 0; i < 16; ++i) first += log.steps[i].num("loss"), last += log.steps[240 + i].num("loss");
  EXPECT_LT(last, first);
}

TEST_F(TrainerTest, AdamModelTrains) {
  const std::string log_path = dir_.file("adam.jsonl");
  ProcessResult r = run({"--data=" + data_, "--epochs=3", "--lr=0.05", "--log=" + log_path}, FAKE_TRAINER_ADAM);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(split_lines(r.out)[0],
            "model: 15 params in 2 tensors, batch 4, optimizer adam (lr 0.05, beta1 0.9, beta2 0.999, epsilon 1e-08), "
            "loss cross_entropy");
  Log log = read_log(log_path);
  ASSERT_EQ(log.epochs.size(), 3u);
  EXPECT_LT(log.epochs[2].num("train_loss"), log.epochs[0].num("train_loss"));
  EXPECT_GT(log.epochs[2].num("test_accuracy"), 0.75);
}

TEST_F(TrainerTest, SeedDeterminesTheRun) {
  auto losses = [&](const std::vector<std::string>& extra) {
    const std::string log_path = dir_.file("seed.jsonl");
    std::vector<std::string> args = {"--data=" + data_, "--epochs=2", "--log=" + log_path};
    args.insert(args.end(), extra.begin(), extra.end());
    ProcessResult r = run(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> v;
    for (const Record& s : read_log(log_path).steps) v.push_back(s.values.at("loss"));
    return v;
  };
  const auto a = losses({"--seed=5"});
  EXPECT_EQ(a.size(), 128u);
  EXPECT_EQ(a, losses({"--seed=5"}));
  EXPECT_NE(a, losses({"--seed=6"}));
  const auto file_order = losses({"--no-shuffle"});
  EXPECT_NE(a, file_order);
  EXPECT_EQ(file_order, losses({"--no-shuffle", "--seed=6"}));
}

TEST_F(TrainerTest, LimitsAndThreads) {
  const std::string log_path = dir_.file("limits.jsonl");
  ProcessResult r = run({"--data=" + data_, "--epochs=2", "--limit-train=41", "--limit-test=10", "--threads=2",
                         "--log=" + log_path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(split_lines(r.out)[1], "data: 41 train samples (10 steps per epoch, 1 dropped), 10 test samples");
  // The fake model is not linked with OpenMP, so --threads can only warn.
  EXPECT_EQ(r.err, "warning: --threads ignored: the model is not linked with OpenMP\n");
  Log log = read_log(log_path);
  EXPECT_EQ(log.steps.size(), 20u);
  EXPECT_EQ(log.epochs.size(), 2u);
  const double correct = log.epochs[1].num("test_accuracy") * 10;
  EXPECT_NEAR(correct, std::round(correct), 1e-6);
}

TEST_F(TrainerTest, DivergenceExitsWithStatus2) {
  const std::string log_path = dir_.file("nan.jsonl");
  ProcessResult r = run({"--data=" + data_, "--lr=1e38", "--divergence-factor=0", "--log=" + log_path});
  EXPECT_EQ(r.exit_code, 2);
  std::vector<std::string> lines = split_lines(r.err);
  ASSERT_EQ(lines.size(), 1u) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_match(lines[0], m, std::regex(R"(error: training diverged at step (\d+) \(loss = (nan|inf)\))")))
      << lines[0];
  // Every step before the diverging one is logged with a finite loss.
  Log log = read_log(log_path);
  EXPECT_EQ(log.steps.size(), std::stoul(m[1]) - 1);
  for (const Record& s : log.steps) EXPECT_TRUE(std::isfinite(s.num("loss")));
  EXPECT_EQ(r.out.find("final"), std::string::npos);
}

TEST_F(TrainerTest, ValidationSplitEarlyStoppingAndKeepBest) {
  const std::string log_path = dir_.file("val.jsonl");
  ProcessResult r = run({"--data=" + data_, "--epochs=200", "--lr=0.5", "--val-split=0.25", "--early-stopping=val_loss",
                         "--patience=2", "--min-delta=0.01", "--keep-best", "--metrics=loss,accuracy,f1_macro",
                         "--log=" + log_path});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> out = split_lines(r.out);
  std::smatch m;
  ASSERT_TRUE(std::regex_match(out[1], m, std::regex(R"(data: (\d+) train samples \((\d+) steps per epoch, \d+ dropped\), (\d+) validation samples, 66 test samples)")))
      << out[1];
  EXPECT_EQ(std::stoul(m[1]) + std::stoul(m[3]), 258u);
  EXPECT_NEAR(std::stod(m[3]), 258 * 0.25, 3);
  Log log = read_log(log_path);
  ASSERT_GE(log.epochs.size(), 3u);
  ASSERT_LT(log.epochs.size(), 200u) << "early stopping never triggered";
  // Validation metrics each epoch, printed in --metrics order; the test set only at the end.
  const Record& e = log.epochs[0];
  EXPECT_EQ(std::vector<std::string>(e.keys.begin(), e.keys.begin() + 5),
            (std::vector<std::string>{"epoch", "train_loss", "val_loss", "val_accuracy", "val_f1_macro"}));
  for (const std::string& k : e.keys) EXPECT_EQ(k.rfind("test_", 0), std::string::npos) << k;
  EXPECT_NE(r.out.find("val_f1_macro"), std::string::npos);
  // The best epoch is the one with the lowest val_loss (improving by more than min_delta).
  std::size_t best = 0;
  for (std::size_t i = 1; i < log.epochs.size(); ++i) {
    if (log.epochs[i].num("val_loss") + 0.01 < log.epochs[best].num("val_loss")) best = i;
  }
  EXPECT_EQ(log.epochs.size(), best + 1 + 2);  // stopped after `patience` epochs without improvement
  EXPECT_NE(r.out.find("early stopping after epoch " + std::to_string(log.epochs.size())), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("restored the weights of epoch " + std::to_string(best + 1)), std::string::npos) << r.out;
  ASSERT_EQ(log.events.size(), 2u);
  EXPECT_EQ(log.events[0].keys[0], "early_stopping");
  EXPECT_EQ(log.events[1].keys[0], "final");
  EXPECT_GT(log.events[1].num("test_accuracy"), 0.7);

  expect_one_error_line(run({"--data=" + data_, "--early-stopping=val_loss"}), 1,
                        "--early-stopping: 'val_loss' needs validation data (--val-split=F or --val=DIR)");
  expect_one_error_line(run({"--data=" + data_, "--metrics=accuracy,bogus"}), 1, "--metrics: unknown metric 'bogus'");
  expect_one_error_line(run({"--data=" + data_, "--keep-best"}), 1, "--keep-best needs --early-stopping=METRIC");
}

TEST_F(TrainerTest, BadDataDirectory) {
  ProcessResult r = run({"--data=" + dir_.file("missing")});
  expect_one_error_line(r, 1, dir_.file("missing") + ": cannot open data directory");
  r = run({"--data=" + dir_.path()});
  expect_one_error_line(r, 1, dir_.file("train-images-idx3-ubyte") + ": not found");
}

TEST_F(TrainerTest, DataThatDoesNotFitTheModel) {
  test::SplitBytes wrong = test::toy_split(8, 3);
  wrong.rows = 1;
  wrong.cols = 4;
  wrong.labels[5] = 3;  // the fake model has 3 classes
  test::write_mnist_dir(data_, test::toy_split(8, 1), wrong, true);
  expect_one_error_line(run({"--data=" + data_}), 1,
                        "t10k-labels-idx1-ubyte.gz: label 3 at index 5 is out of range for a model with 3 classes");
  test::write_mnist_dir(data_, test::toy_split(12, 1), test::toy_split(4, 2), true);
  expect_one_error_line(run({"--data=" + data_, "--limit-train=3"}), 1,
                        "the training set has 3 samples, fewer than one batch of 4");
}

TEST_F(TrainerTest, UsageErrors) {
  ProcessResult r = run({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("usage: fake_trainer --data=DIR [options]\n", 0), 0u) << r.out;
  EXPECT_EQ(r.err, "");
  expect_one_error_line(run({}), 1, "--data=DIR (or --train=FILE --test=FILE) is required");
  expect_one_error_line(run({"--data=" + data_, "--bogus"}), 1, "unknown option '--bogus'");
  expect_one_error_line(run({"--data=" + data_, "--epochs=x"}), 1, "--epochs=x: expected a positive integer");
  expect_one_error_line(run({"--data=" + data_, "--beta1=0.5"}), 1, "--beta1 given, but the model (optimizer sgd)");
  expect_one_error_line(run({"--data=" + data_, "--log=" + dir_.file("no/such/dir/log")}), 1, "cannot open log file");
  // The fake model carries no ONNX template: refused before any training.
  ProcessResult exp = run({"--data=" + data_, "--export=" + dir_.file("m.onnx")});
  expect_one_error_line(exp, 1, "--export: this trainer was not compiled from an ONNX model");
  EXPECT_EQ(exp.out, "");
}

}  // namespace
}  // namespace mlc
