// Tests of command-line parsing and of how options become the model's hyperparameter values.
#include "train/cli.h"

#include <gtest/gtest.h>

#include "train/hypers.h"
#include "test_util.h"

namespace mlc {
namespace {

Options parse(std::vector<std::string> args) {
  args.insert(args.begin(), "trainer");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return parse_cli(static_cast<int>(args.size()), argv.data());
}

TEST(Cli, Defaults) {
  Options o = parse({"--data=/d"});
  EXPECT_EQ(o.data_dir, "/d");
  EXPECT_EQ(o.epochs, 1u);
  EXPECT_FALSE(o.lr || o.beta1 || o.beta2 || o.epsilon || o.weight_decay);
  EXPECT_EQ(o.seed, 0u);
  EXPECT_TRUE(o.shuffle);
  EXPECT_FALSE(o.limit_train || o.limit_test || o.threads);
  EXPECT_TRUE(o.log_path.empty());
  EXPECT_FALSE(o.help);
  EXPECT_FALSE(o.cuda_graph);
}

TEST(Cli, CudaGraphIsAFlag) {
  EXPECT_TRUE(parse({"--data=/d", "--cuda-graph"}).cuda_graph);
  EXPECT_NE(usage("trainer").find("--cuda-graph"), std::string::npos);
  try {
    parse({"--data=/d", "--cuda-graph=1"});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "--cuda-graph takes no value");
  }
}

TEST(Cli, ProfileListsTenSlowestOpsUnlessTold) {
  Options plain = parse({"--data=/d", "--profile"});
  EXPECT_TRUE(plain.profile);
  EXPECT_EQ(plain.profile_ops, 10u);
  Options forty = parse({"--data=/d", "--profile=40"});
  EXPECT_TRUE(forty.profile);
  EXPECT_EQ(forty.profile_ops, 40u);
  try {
    parse({"--data=/d", "--profile=0"});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--profile"), std::string::npos) << e.what();
  }
}

TEST(Cli, AllOptionsBothSpellings) {
  Options o = parse({"--data", "/d", "--epochs=5", "--lr=0.5", "--beta1=0.8", "--beta2", "0.99", "--epsilon=1e-7",
                     "--weight-decay=0.01", "--seed=18446744073709551615", "--no-shuffle", "--limit-train=100",
                     "--limit-test=7", "--threads=3", "--log=/tmp/x.jsonl"});
  EXPECT_EQ(o.data_dir, "/d");
  EXPECT_EQ(o.epochs, 5u);
  EXPECT_DOUBLE_EQ(*o.lr, 0.5);
  EXPECT_DOUBLE_EQ(*o.beta1, 0.8);
  EXPECT_DOUBLE_EQ(*o.beta2, 0.99);
  EXPECT_DOUBLE_EQ(*o.epsilon, 1e-7);
  EXPECT_DOUBLE_EQ(*o.weight_decay, 0.01);
  EXPECT_EQ(o.seed, 18446744073709551615ull);
  EXPECT_FALSE(o.shuffle);
  EXPECT_EQ(*o.limit_train, 100u);
  EXPECT_EQ(*o.limit_test, 7u);
  EXPECT_EQ(*o.threads, 3);
  EXPECT_EQ(o.log_path, "/tmp/x.jsonl");
}

TEST(Cli, HelpNeedsNoData) {
  EXPECT_TRUE(parse({"--help"}).help);
  EXPECT_TRUE(parse({"-h"}).help);
  EXPECT_NE(usage("trainer").find("--limit-train=N"), std::string::npos);
}

TEST(Cli, RejectsBadInput) {
  const std::pair<std::vector<std::string>, std::string> cases[] = {
      {{}, "--data=DIR (or --train=FILE --test=FILE) is required"},
      {{"--data=/d", "--frobnicate=1"}, "unknown option '--frobnicate'"},
      {{"--data=/d", "extra"}, "unexpected argument 'extra'"},
      {{"--data=/d", "--epochs=0"}, "--epochs=0: expected a positive integer"},
      {{"--data=/d", "--epochs=two"}, "--epochs=two: expected a positive integer"},
      {{"--data=/d", "--epochs=-1"}, "--epochs=-1: expected a positive integer"},
      {{"--data=/d", "--lr=0"}, "--lr=0: expected a positive number"},
      {{"--data=/d", "--lr=abc"}, "--lr=abc: expected a positive number"},
      {{"--data=/d", "--lr=0.1x"}, "--lr=0.1x"},
      {{"--data=/d", "--lr=nan"}, "--lr=nan"},
      {{"--data=/d", "--lr=1e39"}, "--lr=1e39"},
      {{"--data=/d", "--beta1=1"}, "--beta1=1: expected a number in [0, 1)"},
      {{"--data=/d", "--weight-decay=-0.1"}, "--weight-decay=-0.1: expected a non-negative number"},
      {{"--data=/d", "--seed=18446744073709551616"}, "--seed=18446744073709551616"},
      {{"--data=/d", "--threads=0"}, "--threads=0"},
      {{"--data=/d", "--limit-train="}, "--limit-train=: expected a positive integer"},
      {{"--data=/d", "--no-shuffle=yes"}, "--no-shuffle takes no value"},
      {{"--data=/d", "--log"}, "--log needs a value"},
      {{"--data="}, "--data needs a directory"},
  };
  for (const auto& [args, message] : cases) {
    SCOPED_TRACE(message);
    EXPECT_MLC_ERROR(parse(args), message);
  }
}

ModelMeta meta_with(OptimizerKind opt, std::vector<std::string> hypers) {
  ModelMeta m;
  m.optimizer = opt;
  m.hypers = std::move(hypers);
  return m;
}

TEST(Hypers, DefaultsFollowTheOptimizerAndTheModelsOrder) {
  HyperValues h = resolve_hypers(meta_with(OptimizerKind::Sgd, {"step", "lr"}), parse({"--data=/d"}));
  EXPECT_EQ(h.values, (std::vector<float>{0.0f, 0.01f}));
  EXPECT_EQ(h.step_index, 0);
  EXPECT_EQ(h.describe, "lr 0.01");

  h = resolve_hypers(meta_with(OptimizerKind::Adam, {"lr", "beta1", "beta2", "epsilon", "weight_decay"}),
                     parse({"--data=/d"}));
  EXPECT_EQ(h.values, (std::vector<float>{1e-3f, 0.9f, 0.999f, 1e-8f, 0.0f}));
  EXPECT_EQ(h.step_index, -1);
}

TEST(Hypers, EachOptimizerHasTorchsDefaults) {
  HyperValues h = resolve_hypers(meta_with(OptimizerKind::Momentum, {"lr", "momentum"}), parse({"--data=/d"}));
  EXPECT_EQ(h.values, (std::vector<float>{0.01f, 0.9f}));
  h = resolve_hypers(meta_with(OptimizerKind::Adagrad, {"lr", "lr_decay", "epsilon", "step"}), parse({"--data=/d"}));
  EXPECT_EQ(h.values, (std::vector<float>{0.01f, 0.0f, 1e-10f, 0.0f}));
  h = resolve_hypers(meta_with(OptimizerKind::Rmsprop, {"lr", "alpha", "epsilon"}), parse({"--data=/d"}));
  EXPECT_EQ(h.values, (std::vector<float>{0.01f, 0.99f, 1e-8f}));
  h = resolve_hypers(meta_with(OptimizerKind::AdamW, {"lr", "epsilon", "weight_decay"}), parse({"--data=/d"}));
  EXPECT_EQ(h.values, (std::vector<float>{1e-3f, 1e-8f, 0.01f}));
  EXPECT_EQ(h.describe, "lr 0.001, epsilon 1e-08, weight_decay 0.01");
  h = resolve_hypers(meta_with(OptimizerKind::Nesterov, {"lr", "momentum"}),
                     parse({"--data=/d", "--momentum=0.5", "--lr=0.2"}));
  EXPECT_EQ(h.values, (std::vector<float>{0.2f, 0.5f}));
  h = resolve_hypers(meta_with(OptimizerKind::Rmsprop, {"alpha"}), parse({"--data=/d", "--alpha=0.75"}));
  EXPECT_EQ(h.values, (std::vector<float>{0.75f}));
  h = resolve_hypers(meta_with(OptimizerKind::Adagrad, {"lr_decay"}), parse({"--data=/d", "--lr-decay", "0.5"}));
  EXPECT_EQ(h.values, (std::vector<float>{0.5f}));
}

TEST(Hypers, OptimizerOptionsAreChecked) {
  EXPECT_MLC_ERROR(parse({"--data=/d", "--momentum=1"}), "--momentum");
  EXPECT_MLC_ERROR(parse({"--data=/d", "--alpha=-0.1"}), "--alpha");
  EXPECT_MLC_ERROR(parse({"--data=/d", "--lr-decay=x"}), "--lr-decay");
  EXPECT_MLC_ERROR(resolve_hypers(meta_with(OptimizerKind::Adam, {"lr"}), parse({"--data=/d", "--momentum=0.5"})),
                   "--momentum given, but the model (optimizer adam) has no 'momentum' hyperparameter");
}

TEST(Hypers, SeedComesFromTheSeedOptionModulo2To24) {
  HyperValues h = resolve_hypers(meta_with(OptimizerKind::Sgd, {"lr", "step", "seed"}), parse({"--data=/d", "--seed=7"}));
  EXPECT_EQ(h.values, (std::vector<float>{0.01f, 0.0f, 7.0f}));
  EXPECT_EQ(h.step_index, 1);
  h = resolve_hypers(meta_with(OptimizerKind::Sgd, {"seed"}), parse({"--data=/d", "--seed=16777221"}));
  EXPECT_EQ(h.values, (std::vector<float>{5.0f}));
  EXPECT_EQ(h.describe, "");
}

TEST(Hypers, GivenOptionsOverrideDefaults) {
  HyperValues h = resolve_hypers(meta_with(OptimizerKind::Adam, {"epsilon", "lr", "beta2", "beta1", "weight_decay"}),
                                 parse({"--data=/d", "--lr=0.1", "--beta1=0.5", "--beta2=0.6", "--epsilon=0.25",
                                        "--weight-decay=0.125"}));
  EXPECT_EQ(h.values, (std::vector<float>{0.25f, 0.1f, 0.6f, 0.5f, 0.125f}));
}

TEST(Hypers, OptionWithoutMatchingHyperIsAnError) {
  EXPECT_MLC_ERROR(resolve_hypers(meta_with(OptimizerKind::Sgd, {"lr"}), parse({"--data=/d", "--weight-decay=0.1"})),
                   "--weight-decay given, but the model (optimizer sgd) has no 'weight_decay' hyperparameter");
  EXPECT_MLC_ERROR(resolve_hypers(meta_with(OptimizerKind::Sgd, {"lr"}), parse({"--data=/d", "--beta1=0.1"})),
                   "--beta1 given");
}

}  // namespace
}  // namespace mlc
