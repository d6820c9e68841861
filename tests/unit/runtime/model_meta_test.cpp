// Tests of the metadata parser: a full valid record set and each way metadata can be malformed.
#include "core/model_meta.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace mlc {
namespace {

const std::string kGood =
    "mlc-model 1\n"
    "batch 64\n"
    "loss cross_entropy\n"
    "optimizer adam\n"
    "input x f32 64 1 28 28\n"
    "label y i32 64\n"
    "output logits f32 64 10\n"
    "state 2\n"
    "hyper lr beta1 beta2 epsilon step\n"
    "param fc1.weight f32 0 128 784\n"
    "param fc1.bias f32 100352 128\n"
    "param fc2.weight f32 100480 10 128\n"
    "param fc2.bias f32 101760 10\n"
    "buffer bn.running_mean f32 101770 16\n"
    "buffer bn.running_var f32 101786 16\n"
    "workspace 1048576 524288\n";

// kGood with the first line starting with `prefix` replaced by `line` (or removed if empty).
std::string with_line(const std::string& prefix, const std::string& line) {
  std::string out;
  bool replaced = false;
  for (const std::string& l : test::split_lines(kGood)) {
    if (!replaced && l.compare(0, prefix.size(), prefix) == 0) {
      replaced = true;
      if (!line.empty()) out += line + "\n";
      continue;
    }
    out += l + "\n";
  }
  return out;
}

TEST(ModelMeta, ParsesGoodMetadata) {
  ModelMeta m = parse_model_meta(kGood);
  EXPECT_EQ(m.version, 1);
  EXPECT_EQ(m.batch, 64u);
  EXPECT_EQ(m.loss, LossKind::CrossEntropy);
  EXPECT_EQ(m.optimizer, OptimizerKind::Adam);
  EXPECT_EQ(m.input.name, "x");
  EXPECT_EQ(m.input.dims, (std::vector<std::size_t>{64, 1, 28, 28}));
  EXPECT_EQ(m.sample_size(), 784u);
  EXPECT_EQ(m.label.dims, (std::vector<std::size_t>{64}));
  EXPECT_EQ(m.output.name, "logits");
  EXPECT_EQ(m.classes(), 10u);
  EXPECT_EQ(m.state_slots, 2u);
  EXPECT_EQ(m.hypers, (std::vector<std::string>{"lr", "beta1", "beta2", "epsilon", "step"}));
  ASSERT_EQ(m.params.size(), 4u);
  EXPECT_EQ(m.params[1].name, "fc1.bias");
  EXPECT_EQ(m.params[1].offset, 100352u);
  EXPECT_EQ(m.params[2].dims, (std::vector<std::size_t>{10, 128}));
  EXPECT_EQ(m.param_count(), 101770u);
  ASSERT_EQ(m.buffers.size(), 2u);
  EXPECT_EQ(m.buffers[1].name, "bn.running_var");
  EXPECT_EQ(m.buffers[1].offset, 101786u);
  EXPECT_EQ(m.buffers[1].dims, (std::vector<std::size_t>{16}));
  EXPECT_EQ(m.workspace_train, 1048576u);
  EXPECT_EQ(m.workspace_eval, 524288u);
  EXPECT_TRUE(m.has_hyper("epsilon"));
  EXPECT_FALSE(m.has_hyper("weight_decay"));
}

// A float-target model: `loss mse` with an f32 label of the output's shape.
std::string float_target_meta(const std::string& loss, const std::string& output_dims) {
  std::string text = with_line("loss", "loss " + loss + "\nreduction sum");
  std::string out;
  for (const std::string& l : test::split_lines(text)) {
    if (l.compare(0, 6, "label ") == 0) out += "label y f32 " + output_dims + "\n";
    else if (l.compare(0, 7, "output ") == 0) out += "output y f32 " + output_dims + "\n";
    else out += l + "\n";
  }
  return out;
}

TEST(ModelMeta, AcceptsMseSgdEmptyHypersScalarParamAndBlankLines) {
  std::string text = float_target_meta("mse", "64 10");
  text = "\n" + text;
  ModelMeta m = parse_model_meta(text + "param scale f32 101802\n\n");
  EXPECT_EQ(m.loss, LossKind::Mse);
  EXPECT_EQ(m.reduction, Reduction::Sum);
  EXPECT_FALSE(m.class_labels);
  EXPECT_EQ(m.output_size(), 10u);
  EXPECT_EQ(m.classes(), 10u);  // class-labelled data becomes one-hot targets
  EXPECT_EQ(m.params.back().elements(), 1u);
  EXPECT_EQ(parse_model_meta(kGood).reduction, Reduction::Mean);  // absent: mean
  // One output per sample of any rank: a regression or binary model (class data: 0/1).
  m = parse_model_meta(float_target_meta("bce_logits", "64"));
  EXPECT_EQ(m.output_size(), 1u);
  EXPECT_EQ(m.classes(), 2u);
  EXPECT_EQ(parse_model_meta(float_target_meta("huber", "64 2 3 4")).output_size(), 24u);
  m = parse_model_meta(with_line("hyper", "hyper"));
  EXPECT_TRUE(m.hypers.empty());
  m = parse_model_meta(with_line("optimizer", "optimizer sgd"));
  EXPECT_EQ(m.optimizer, OptimizerKind::Sgd);
  // Buffers are optional (a model without batch norm has none).
  std::string without_buffers;
  for (const std::string& l : test::split_lines(kGood)) {
    if (l.compare(0, 7, "buffer ") != 0) without_buffers += l + "\n";
  }
  EXPECT_TRUE(parse_model_meta(without_buffers).buffers.empty());
}

TEST(ModelMeta, ParsesTokenInput) {
  ModelMeta m = parse_model_meta(with_line("input", "input tokens i32 64 784"));
  EXPECT_TRUE(m.token_input);
  EXPECT_EQ(m.input.name, "tokens");
  EXPECT_EQ(m.sample_size(), 784u);
  EXPECT_FALSE(parse_model_meta(kGood).token_input);
}

TEST(ModelMeta, RejectsMalformedRecords) {
  struct Case {
    std::string prefix, replacement, message;
  };
  const Case cases[] = {
      {"mlc-model", "mlc-model 2", "line 1: unsupported metadata version 2 (this runtime reads version 1)"},
      {"mlc-model", "", "line 1: expected 'mlc-model 1' first, got 'batch'"},
      {"batch", "batch 0", "line 2: batch must be a positive integer, got '0'"},
      {"batch", "batch -4", "line 2: batch must be a positive integer, got '-4'"},
      {"batch", "batch 64 64", "line 2: 'batch' takes 1 field, got 2"},
      {"batch", "", "missing 'batch' record"},
      {"loss", "loss hinge", "line 3: unknown loss 'hinge' (expected cross_entropy, nll, mse, l1, huber, smooth_l1, bce_logits or bce)"},
      {"loss", "loss mse", "line 6: loss mse takes f32 targets as its label"},
      {"loss", "loss cross_entropy\nreduction total", "line 4: unknown reduction 'total' (expected mean or sum)"},
      {"optimizer", "optimizer lamb", "line 4: unknown optimizer 'lamb' (expected sgd, momentum, nesterov, adagrad, rmsprop, adam or adamw)"},
      {"input", "input x f16 64 784", "line 5: input dtype must be f32 or i32, got 'f16'"},
      {"input", "input x f32", "line 5: input needs a name, a dtype and at least one dimension"},
      {"input", "input x f32 32 784", "line 5: input's first dimension is 32, not the batch 64"},
      {"input", "input x f32 64 7x", "line 5: dimension must be a positive integer, got '7x'"},
      {"label", "label y f32 64", "line 6: loss cross_entropy takes i32 class indices as its label"},
      {"label", "label y f16 64", "line 6: label dtype must be i32 or f32, got 'f16'"},
      {"label", "label y i32 64 10", "line 6: label must hold one class index per sample (64 values)"},
      {"output", "output logits f32 64", "line 7: output must be [batch, classes] (with batch 64)"},
      {"output", "output logits f32 64 10 2", "line 7: output must be [batch, classes]"},
      {"state", "state", "line 8: 'state' takes 1 field, got 0"},
      {"hyper", "hyper lr nu", "line 9: unknown hyperparameter 'nu'"},
      {"hyper", "hyper lr lr", "line 9: hyperparameter 'lr' listed twice"},
      {"param fc1.bias", "param fc1.bias f32 100351 128", "'fc1.weight' and 'fc1.bias' overlap"},
      {"buffer bn.running_var", "buffer bn.running_var f32 101780 16", "'bn.running_mean' and 'bn.running_var' overlap"},
      {"buffer bn.running_var", "buffer fc1.bias f32 101786 16", "line 15: 'fc1.bias' listed twice"},
      {"buffer bn.running_var", "buffer bn.running_var f64 101786 16", "line 15: buffer dtype must be f32"},
      {"buffer bn.running_var", "buffer bn.running_var f32", "line 15: buffer needs a name, a dtype and an offset"},
      {"param fc2.bias", "param fc1.bias f32 101760 10", "line 13: 'fc1.bias' listed twice"},
      {"param fc2.bias", "param fc2.bias f32", "line 13: param needs a name, a dtype and an offset"},
      {"param fc2.bias", "param fc2.bias i32 101760 10", "line 13: param dtype must be f32"},
      {"workspace", "workspace 10", "line 16: 'workspace' takes 2 fields, got 1"},
      {"workspace", "workspace 10 x", "line 16: workspace eval bytes must be a non-negative integer, got 'x'"},
      {"workspace", "workspace 1 1\nbatch 64", "line 17: duplicate 'batch' record (first on line 2)"},
      {"workspace", "workspace 1 1\nmodel_name foo", "line 17: unknown record 'model_name'"},
      {"workspace", "", "missing 'workspace' record"},
      {"label", "label y i32 64\nclass_weights f32 3", "line 7: the loss takes 3 class weights for a model with 10 classes"},
      {"label", "label y i32 64\nclass_weights f64 10", "line 7: class_weights dtype must be f32, got 'f64'"},
      {"label", "label y i32 64\nclass_weights f32", "line 7: 'class_weights' takes 2 fields, got 1"},
      {"workspace", "profile_op conv 10 20\nworkspace 1 1", "line 16: unknown op group 'conv' (expected conv_fwd,"},
      {"workspace", "profile_op gemm 10\nworkspace 1 1", "line 16: 'profile_op' takes 3 fields, got 2"},
      {"workspace", "profile_op gemm -1 8\nworkspace 1 1", "line 16: profile_op flops must be a non-negative integer"},
      {"workspace", "profile_op gemm 1 8x\nworkspace 1 1", "line 16: profile_op bytes must be a non-negative integer"},
      {"param fc2.weight", "param fc2.weight f32 100480 10 128\nparam_layout fc2.weight 1 1",
       "line 13: param_layout 'fc2.weight' is not a permutation of its dimensions"},
      {"param fc2.weight", "param fc2.weight f32 100480 10 128\nparam_layout fc2.weight 0 2",
       "line 13: param_layout 'fc2.weight' is not a permutation of its dimensions"},
      {"param fc2.weight", "param fc2.weight f32 100480 10 128\nparam_layout fc2.weight 1 0 2",
       "line 13: param_layout 'fc2.weight' has 3 dimensions, its param 2"},
      {"param fc2.weight", "param fc2.weight f32 100480 10 128\nparam_layout fc1.weight 1 0",
       "line 13: param_layout 'fc1.weight' does not follow its param record"},
      {"param fc2.weight", "param fc2.weight f32 100480 10 128\nparam_layout fc2.weight 1 0\nparam_layout fc2.weight 1 0",
       "line 14: 'fc2.weight' has two layouts"},
      {"param fc2.weight", "param fc2.weight f32 100480 10 128\nparam_layout fc2.weight",
       "line 13: param_layout needs a param name and a permutation"},
      {"buffer bn.running_var", "buffer bn.running_var f32 101786 16\nparam_layout fc2.bias 0",
       "line 16: param_layout 'fc2.bias' does not follow its param record"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.replacement);
    EXPECT_MLC_ERROR(parse_model_meta(with_line(c.prefix, c.replacement)), "model metadata");
    EXPECT_MLC_ERROR(parse_model_meta(with_line(c.prefix, c.replacement)), c.message);
  }
}

TEST(ModelMeta, ParsesParamLayouts) {
  ModelMeta m = parse_model_meta(with_line("param fc2.weight", "param fc2.weight f32 100480 128 10\nparam_layout fc2.weight 1 0"));
  EXPECT_EQ(m.params[2].dims, (std::vector<std::size_t>{128, 10}));
  EXPECT_EQ(m.params[2].layout, (std::vector<std::size_t>{1, 0}));
  EXPECT_EQ(m.params[2].model_dims(), (std::vector<std::size_t>{10, 128}));
  EXPECT_TRUE(m.params[1].layout.empty());
  EXPECT_EQ(m.params[1].model_dims(), (std::vector<std::size_t>{128}));
}

TEST(ModelMeta, ParsesProfileOpsInOrder) {
  EXPECT_TRUE(parse_model_meta(kGood).profile_ops.empty());
  ModelMeta m = parse_model_meta(
      with_line("workspace", "profile_op conv_fwd 1284505600 44302336\nprofile_op optimizer 0 12\n"
                             "profile_op conv_fwd 10 20\nworkspace 1 1"));
  ASSERT_EQ(m.profile_ops.size(), 3u);
  EXPECT_EQ(m.profile_ops[0].group, "conv_fwd");
  EXPECT_EQ(m.profile_ops[0].flops, 1284505600u);
  EXPECT_EQ(m.profile_ops[0].bytes, 44302336u);
  EXPECT_EQ(m.profile_ops[1].group, "optimizer");
  EXPECT_EQ(m.profile_ops[2].flops, 10u);
}

TEST(ModelMeta, ParsesClassWeights) {
  EXPECT_EQ(parse_model_meta(kGood).class_weights, 0u);
  EXPECT_EQ(parse_model_meta(with_line("label", "label y i32 64\nclass_weights f32 10")).class_weights, 10u);
}

TEST(ModelMeta, ParsesEveryOptimizerAndItsHyperparameters) {
  const std::pair<const char*, OptimizerKind> optimizers[] = {
      {"sgd", OptimizerKind::Sgd},         {"momentum", OptimizerKind::Momentum}, {"nesterov", OptimizerKind::Nesterov},
      {"adagrad", OptimizerKind::Adagrad}, {"rmsprop", OptimizerKind::Rmsprop},   {"adam", OptimizerKind::Adam},
      {"adamw", OptimizerKind::AdamW}};
  for (const auto& [name, kind] : optimizers) {
    std::string text = with_line("optimizer", std::string("optimizer ") + name);
    const std::string hypers = "hyper lr beta1 beta2 epsilon step";
    text.replace(text.find(hypers), hypers.size(), "hyper lr momentum lr_decay alpha epsilon step weight_decay");
    ModelMeta m = parse_model_meta(text);
    EXPECT_EQ(m.optimizer, kind) << name;
    EXPECT_STREQ(optimizer_name(m.optimizer), name);
    EXPECT_TRUE(m.has_hyper("lr_decay") && m.has_hyper("alpha") && m.has_hyper("momentum")) << name;
  }
}

TEST(ModelMeta, TargetIsOptionalAndDefaultsToCpu) {
  EXPECT_EQ(parse_model_meta(kGood).target, Target::Cpu);
  EXPECT_EQ(parse_model_meta(with_line("mlc-model", "mlc-model 1\ntarget cpu")).target, Target::Cpu);
  ModelMeta m = parse_model_meta(with_line("mlc-model", "mlc-model 1\ntarget cuda"));
  EXPECT_EQ(m.target, Target::Cuda);
  EXPECT_EQ(m.batch, 64u);  // the rest parses as before
  EXPECT_EQ(parse_model_meta(kGood + "target cuda\n").target, Target::Cuda);  // any position after mlc-model
  EXPECT_STREQ(target_name(Target::Cpu), "cpu");
  EXPECT_STREQ(target_name(Target::Cuda), "cuda");
}

TEST(ModelMeta, RejectsBadTargets) {
  EXPECT_MLC_ERROR(parse_model_meta(with_line("mlc-model", "mlc-model 1\ntarget rocm")),
                   "model metadata line 2: unknown target 'rocm' (expected cpu or cuda)");
  EXPECT_MLC_ERROR(parse_model_meta(with_line("mlc-model", "mlc-model 1\ntarget CUDA")), "unknown target 'CUDA'");
  EXPECT_MLC_ERROR(parse_model_meta(with_line("mlc-model", "mlc-model 1\ntarget")),
                   "model metadata line 2: 'target' takes 1 field, got 0");
  EXPECT_MLC_ERROR(parse_model_meta(with_line("mlc-model", "mlc-model 1\ntarget cuda cpu")),
                   "'target' takes 1 field, got 2");
  EXPECT_MLC_ERROR(parse_model_meta(with_line("mlc-model", "mlc-model 1\ntarget cuda\ntarget cuda")),
                   "model metadata line 3: duplicate 'target' record (first on line 2)");
  EXPECT_MLC_ERROR(parse_model_meta("target cuda\n" + kGood), "line 1: expected 'mlc-model 1' first, got 'target'");
}

TEST(ModelMeta, RejectsMetadataWithoutParams) {
  std::string text;
  for (const std::string& l : test::split_lines(kGood)) {
    if (l.compare(0, 6, "param ") != 0) text += l + "\n";
  }
  EXPECT_MLC_ERROR(parse_model_meta(text), "model metadata: missing 'param' record");
  EXPECT_MLC_ERROR(parse_model_meta(""), "missing 'mlc-model' record");
}

}  // namespace
}  // namespace mlc
