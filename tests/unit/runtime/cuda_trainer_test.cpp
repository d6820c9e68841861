// End-to-end tests of a --target=cuda trainer without a GPU: the fake CUDA model linked with
// libmlc_runtime.a, run against the fake driver (fake_cuda_driver.c), a missing driver and CUDA's stub.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
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

const std::string kNoDriver =
    "error: no CUDA driver found: this trainer was compiled with --target=cuda "
    "(/nonexistent/libcuda.so.1: cannot open shared object file: No such file or directory)\n";
const std::string kNoDevice = "error: no CUDA device found: this trainer was compiled with --target=cuda\n";

using test::file_exists;

// The fake driver's FAKE_CUDA_STATS file: "name value" per line.
std::map<std::string, long> read_stats(const std::string& path) {
  std::map<std::string, long> stats;
  for (const std::string& line : split_lines(test::read_text(path))) {
    const std::size_t space = line.find(' ');
    stats[line.substr(0, space)] = std::stol(line.substr(space + 1));
  }
  return stats;
}

using test::log_without_seconds;

// Stdout with the epoch time ("  12.3s" at the end of epoch lines) removed.
std::vector<std::string> stdout_without_seconds(const std::string& out) {
  std::vector<std::string> lines;
  for (const std::string& l : split_lines(out)) lines.push_back(std::regex_replace(l, std::regex(R"(  \d+\.\ds$)"), ""));
  return lines;
}

class CudaTrainerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = dir_.file("data");
    ASSERT_EQ(mkdir(data_.c_str(), 0755), 0);
    // 258 = 64 full batches of 4 + 2 dropped; 66 test images = 16 full batches + a padded one.
    test::write_mnist_dir(data_, test::toy_split(258, 1), test::toy_split(66, 2), /*gz=*/true);
  }

  ProcessResult run(const std::string& trainer, const std::vector<std::string>& args,
                    const std::vector<std::string>& env = {}) {
    std::vector<std::string> argv = {trainer};
    argv.insert(argv.end(), args.begin(), args.end());
    return test::run_process(argv, dir_.path(), env);
  }

  // The fake driver, writing its statistics to `stats` at exit, plus `extra` settings.
  std::vector<std::string> fake_env(const std::string& stats, std::vector<std::string> extra = {}) {
    extra.push_back(std::string("MLC_CUDA_DRIVER=") + FAKE_CUDA_DRIVER);
    extra.push_back("FAKE_CUDA_STATS=" + stats);
    return extra;
  }

  static void expect_only_error(const ProcessResult& r, int code, const std::string& line) {
    EXPECT_EQ(r.exit_code, code);
    EXPECT_EQ(r.err, line);
  }

  // Trains the CPU and the CUDA build of one fake model on the same data and expects identical results.
  // `cuda_extra` are options for the CUDA trainer only (e.g. --cuda-graph).
  std::map<std::string, long> expect_same_training(const std::string& cpu_trainer, const std::string& cuda_trainer,
                                                   const std::vector<std::string>& args,
                                                   const std::vector<std::string>& cuda_extra = {}) {
    const std::string cpu_log = dir_.file("cpu.jsonl"), cuda_log = dir_.file("cuda.jsonl");
    const std::string stats = dir_.file("stats.txt");
    std::vector<std::string> cpu_args = args, cuda_args = args;
    cuda_args.insert(cuda_args.end(), cuda_extra.begin(), cuda_extra.end());
    cpu_args.push_back("--log=" + cpu_log);
    cuda_args.push_back("--log=" + cuda_log);
    ProcessResult cpu = run(cpu_trainer, cpu_args);
    EXPECT_EQ(cpu.exit_code, 0) << cpu.err;
    ProcessResult cuda = run(cuda_trainer, cuda_args, fake_env(stats));
    EXPECT_EQ(cuda.exit_code, 0) << cuda.err;
    EXPECT_EQ(cuda.err, "");

    std::vector<std::string> cpu_out = stdout_without_seconds(cpu.out), cuda_out = stdout_without_seconds(cuda.out);
    EXPECT_EQ(cuda_out.size(), cpu_out.size() + 1) << cuda.out;
    if (cuda_out.size() > 1 && !cpu_out.empty()) {
      EXPECT_EQ(cuda_out[0], cpu_out[0]);
      EXPECT_EQ(cuda_out[1], "device: Fake CUDA Device 0 (CUDA device 0)");
      cuda_out.erase(cuda_out.begin() + 1);
      EXPECT_EQ(cuda_out, cpu_out);
    }
    // Same math on the same batches: bit-identical losses, accuracies and summaries.
    const std::vector<std::string> cpu_lines = log_without_seconds(cpu_log);
    EXPECT_GT(cpu_lines.size(), 100u);
    EXPECT_EQ(log_without_seconds(cuda_log), cpu_lines);
    return file_exists(stats) ? read_stats(stats) : std::map<std::string, long>();
  }

  TempDir dir_;
  std::string data_;
};

TEST_F(CudaTrainerTest, SgdTrainsLikeTheCpuBuildWithEveryBufferOnTheDevice) {
  std::map<std::string, long> s =
      expect_same_training(FAKE_TRAINER, FAKE_TRAINER_CUDA, {"--data=" + data_, "--epochs=2", "--lr=0.5", "--seed=3"});
  ASSERT_FALSE(s.empty()) << "the fake driver wrote no statistics";
  const long steps = 2 * 64, evals = 2 * 17;  // 17 eval batches per epoch (16 full + 1 padded)

  EXPECT_EQ(s["cuInit"], 1);
  EXPECT_EQ(s["cuDevicePrimaryCtxRetain"], 1);
  EXPECT_EQ(s["cuCtxSetCurrent"], 1);
  // Module loaded (JIT) once for the whole run despite a load/unload around every launch.
  EXPECT_EQ(s["cuModuleLoadDataEx"], 1);
  EXPECT_EQ(s["jit_opt_level"], 3);
  EXPECT_EQ(s.count("cuModuleLoadData"), 0u);
  EXPECT_EQ(s.count("cuModuleUnload"), 0u);
  EXPECT_EQ(s["cuModuleGetFunction"], 2);  // one per kernel, then cached
  EXPECT_EQ(s["cuLaunchKernel"], steps + evals);
  EXPECT_EQ(s["launches"], steps + evals);
  // Two streams, created non-blocking: the compute stream (the pool's first), reused for every launch,
  // and the runtime's copy stream.
  EXPECT_EQ(s["cuStreamCreate"], 2);
  EXPECT_EQ(s["stream_flags"], 1);
  EXPECT_EQ(s["cuStreamSynchronize"], steps + evals);

  // Buffers: 2 params, 0 state, 1 model buffer, 7 staged (2 inputs, 2 labels: double buffering;
  // output, hypers, loss) + workspace; staged ones have a pinned host side. Everything is freed by the
  // end of the run.
  EXPECT_EQ(s["cuMemAlloc_v2"], 2 + 1 + 7 + 1);
  EXPECT_EQ(s["cuMemHostAlloc"], 7);
  EXPECT_EQ(s["cuMemsetD32_v2"], 11);
  EXPECT_EQ(s["live_device_allocs"], 0);
  EXPECT_EQ(s["live_pinned_allocs"], 0);
  EXPECT_GE(s["cuCtxSynchronize"], 1);

  // Synchronous host to device: the 2 params and the model buffer from mlc_param_init (pageable) and
  // the initial hypers, then per train step only the hypers (the model has `step`): no synchronous copy
  // of the batch; per eval batch the input.
  EXPECT_EQ(s["htod_pageable"], 3);
  EXPECT_EQ(s["htod_pinned"], 1 + steps + evals);
  EXPECT_EQ(s["htod_bytes"], 16 * 4 + 2 * 64 + steps * 2 * 64 + evals * 16 * 4);
  // The batch: input and label per train step, asynchronous from pinned memory on the copy stream; the
  // fake ran every one of them (none was left behind or dropped).
  EXPECT_EQ(s["htod_async_pinned"], 2 * steps);
  EXPECT_EQ(s.count("htod_async_pageable"), 0u);
  EXPECT_EQ(s["htod_async_bytes"], steps * (16 * 4 + 4 * 4));
  EXPECT_EQ(s["async_copies_run"], 2 * steps);
  EXPECT_EQ(s["pending_async_copies"], 0);
  // One event per slot, recorded after each batch's copies; the compute stream waits on it before each
  // step; the host waits on it before refilling a slot (each staged batch but the first two) and before
  // each evaluation (both slots).
  EXPECT_EQ(s["cuEventCreate"], 2);
  EXPECT_EQ(s["event_flags"], 2);  // CU_EVENT_DISABLE_TIMING
  EXPECT_EQ(s["cuEventRecord"], steps);
  EXPECT_EQ(s["cuStreamWaitEvent"], steps);
  EXPECT_EQ(s["cuEventSynchronize"], (steps - 2) + 2 * 2);
  EXPECT_EQ(s["live_events"], 0);
  EXPECT_EQ(s["live_streams"], 1);  // the compute stream lives for the process
  // Device to host: the loss after each train step (4 bytes), the output after each eval batch.
  EXPECT_EQ(s["dtoh_pinned"], steps + evals);
  EXPECT_EQ(s.count("dtoh_pageable"), 0u);
  EXPECT_EQ(s["dtoh_bytes"], steps * 4 + evals * 4 * 3 * 4);
}

TEST_F(CudaTrainerTest, AdamTrainsLikeTheCpuBuild) {
  // Device memory starts as 0xFF (NaN) on the fake, so unzeroed optimizer state would abort the kernel.
  std::map<std::string, long> s =
      expect_same_training(FAKE_TRAINER_ADAM, FAKE_TRAINER_CUDA_ADAM, {"--data=" + data_, "--epochs=2", "--lr=0.05"});
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s["cuMemAlloc_v2"], 2 + 2 * 2 + 1 + 7 + 1);
  EXPECT_EQ(s["cuStreamWaitEvent"], 2 * 64);
  EXPECT_EQ(s["async_copies_run"], 2 * 2 * 64);
  EXPECT_EQ(s["live_device_allocs"], 0);
  EXPECT_EQ(s["live_pinned_allocs"], 0);
}

// --augment with double-buffered device batches: the batch prepared on the worker thread lands in the
// right upload slot, so the CUDA build sees exactly the CPU build's augmented batches.
TEST_F(CudaTrainerTest, AugmentedBatchesTrainLikeTheCpuBuild) {
  std::map<std::string, long> s = expect_same_training(
      FAKE_TRAINER, FAKE_TRAINER_CUDA,
      {"--data=" + data_, "--epochs=2", "--lr=0.5", "--seed=3", "--augment=crop:1,flip,rotate:15,cutout:1"});
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s["live_device_allocs"], 0);
}

// --cuda-graph: the losses of every step, the epoch summaries and the output are bit-identical to the CPU
// build's and to the CUDA build's without graphs; after the first step (warm-up) and one capture per
// slot, no step calls the step function: each is one cuGraphLaunch replaying the captured kernel.
TEST_F(CudaTrainerTest, CudaGraphSgdTrainsLikeTheCpuBuildAndTheCudaBuildWithoutGraphs) {
  const std::vector<std::string> args = {"--data=" + data_, "--epochs=3", "--lr=0.5", "--seed=3"};
  expect_same_training(FAKE_TRAINER, FAKE_TRAINER_CUDA, args);
  const std::vector<std::string> plain = log_without_seconds(dir_.file("cuda.jsonl"));
  std::map<std::string, long> s = expect_same_training(FAKE_TRAINER, FAKE_TRAINER_CUDA, args, {"--cuda-graph"});
  EXPECT_EQ(log_without_seconds(dir_.file("cuda.jsonl")), plain);
  ASSERT_FALSE(s.empty()) << "the fake driver wrote no statistics";
  const long steps = 3 * 64, evals = 3 * 17;

  // The step function ran 3 times (cuLaunchKernel is called once per mgpuLaunchKernel): step 1 (warm-up,
  // loads the module) and one capture per slot (steps 2 and 3), whose launches were recorded, not run.
  EXPECT_EQ(s["cuLaunchKernel"], 3 + evals);
  EXPECT_EQ(s["captured_ops"], 2);
  EXPECT_EQ(s["cuStreamBeginCapture_v2"], 2);
  EXPECT_EQ(s["capture_mode"], 1);  // CU_STREAM_CAPTURE_MODE_THREAD_LOCAL
  EXPECT_EQ(s["cuStreamEndCapture"], 2);
  EXPECT_EQ(s["cuGraphInstantiateWithFlags"], 2);
  EXPECT_EQ(s.count("capture_unsupported"), 0u);
  // Every other step is a graph launch, and each capture is launched once right away.
  EXPECT_EQ(s["cuGraphLaunch"], steps - 1);
  EXPECT_EQ(s["launches"], steps + evals);  // every step's kernel ran exactly once
  EXPECT_EQ(s["cuModuleLoadDataEx"], 1);
  EXPECT_EQ(s["cuModuleGetFunction"], 2);
  // The captured steps' mgpuStreamSynchronize was skipped (the fake aborts on a sync of a capturing
  // stream); the runtime synchronized after each graph launch instead.
  EXPECT_EQ(s["cuStreamSynchronize"], steps + evals);
  // The batch uploads are still asynchronous and waited for on the compute stream before every step.
  EXPECT_EQ(s["cuStreamWaitEvent"], steps);
  EXPECT_EQ(s["htod_async_pinned"], 2 * steps);
  EXPECT_EQ(s["async_copies_run"], 2 * steps);
  EXPECT_EQ(s["pending_async_copies"], 0);
  EXPECT_EQ(s["htod_pinned"], 1 + steps + evals);  // hypers before every step, eval inputs
  EXPECT_EQ(s["dtoh_pinned"], steps + evals);
  // Graphs and executable graphs destroyed at exit, like everything else.
  EXPECT_EQ(s["cuGraphExecDestroy"], 2);
  EXPECT_EQ(s["cuGraphDestroy"], 2);
  EXPECT_EQ(s["live_graphs"], 0);
  EXPECT_EQ(s["live_graph_execs"], 0);
  EXPECT_EQ(s["active_captures"], 0);
  EXPECT_EQ(s["live_device_allocs"], 0);
  EXPECT_EQ(s["live_pinned_allocs"], 0);
  EXPECT_EQ(s["live_events"], 0);
  EXPECT_EQ(s["live_streams"], 1);
}

TEST_F(CudaTrainerTest, CudaGraphAdamTrainsLikeTheCpuBuildAndTheCudaBuildWithoutGraphs) {
  // Adam reads `step` from the hyper buffer: the replayed graph must see each step's new value.
  const std::vector<std::string> args = {"--data=" + data_, "--epochs=3", "--lr=0.05"};
  expect_same_training(FAKE_TRAINER_ADAM, FAKE_TRAINER_CUDA_ADAM, args);
  const std::vector<std::string> plain = log_without_seconds(dir_.file("cuda.jsonl"));
  std::map<std::string, long> s =
      expect_same_training(FAKE_TRAINER_ADAM, FAKE_TRAINER_CUDA_ADAM, args, {"--cuda-graph"});
  EXPECT_EQ(log_without_seconds(dir_.file("cuda.jsonl")), plain);
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s["cuLaunchKernel"], 3 + 3 * 17);
  EXPECT_EQ(s["cuGraphLaunch"], 3 * 64 - 1);
  EXPECT_EQ(s["launches"], 3 * 64 + 3 * 17);
  EXPECT_EQ(s["live_graph_execs"], 0);
  EXPECT_EQ(s["live_graphs"], 0);
}

TEST_F(CudaTrainerTest, CudaGraphWithAnOddNumberOfStepsPerEpoch) {
  // 3 steps per epoch: slot 0 runs steps 1 and 3 of each epoch, slot 1 step 2; epoch 1's first step is
  // the warm-up, slot 1 is captured at step 2 and slot 0 at step 3.
  std::map<std::string, long> s = expect_same_training(
      FAKE_TRAINER, FAKE_TRAINER_CUDA, {"--data=" + data_, "--epochs=30", "--limit-train=12", "--lr=0.5"},
      {"--cuda-graph"});
  ASSERT_FALSE(s.empty());
  EXPECT_EQ(s["cuLaunchKernel"], 3 + 30 * 17);
  EXPECT_EQ(s["cuGraphLaunch"], 30 * 3 - 1);
  EXPECT_EQ(s["live_graph_execs"], 0);
}

TEST_F(CudaTrainerTest, CudaGraphOnACpuTrainerIsAUsageError) {
  ProcessResult r = run(FAKE_TRAINER, {"--data=" + data_, "--cuda-graph"});
  expect_only_error(r, 1, "error: --cuda-graph needs a trainer compiled with --target=cuda (this one runs on the CPU)\n");
  EXPECT_EQ(r.out, "");
}

TEST_F(CudaTrainerTest, CudaGraphInvalidatedCaptureEndsTheRunWithOneLine) {
  const std::string stats = dir_.file("stats.txt");
  ProcessResult r = run(FAKE_TRAINER_CUDA, {"--data=" + data_, "--cuda-graph"},
                        fake_env(stats, {"FAKE_CUDA_FAIL=cuStreamEndCapture", "FAKE_CUDA_FAIL_RESULT=901"}));
  expect_only_error(r, 1,
                    "error: CUDA call cuStreamEndCapture failed: CUDA_ERROR_STREAM_CAPTURE_INVALIDATED (operation "
                    "failed due to a previous error during capture) (with --cuda-graph the train step must launch "
                    "its work only on the compute stream and must not synchronize other streams or events, "
                    "allocate or copy to or from the host)\n");
}

TEST_F(CudaTrainerTest, CudaGraphDivergenceFreesTheGraphs) {
  const std::string stats = dir_.file("stats.txt");
  ProcessResult r = run(FAKE_TRAINER_CUDA, {"--data=" + data_, "--lr=1e38", "--divergence-factor=0", "--cuda-graph"}, fake_env(stats));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  std::map<std::string, long> s = read_stats(stats);
  EXPECT_EQ(s["live_graphs"], 0);
  EXPECT_EQ(s["live_graph_execs"], 0);
  EXPECT_EQ(s["live_device_allocs"], 0);
}

TEST_F(CudaTrainerTest, DivergenceExitsWithStatus2AndFreesTheDevice) {
  const std::string stats = dir_.file("stats.txt");
  ProcessResult r = run(FAKE_TRAINER_CUDA, {"--data=" + data_, "--lr=1e38", "--divergence-factor=0"}, fake_env(stats));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(std::regex_match(r.err, std::regex(R"(error: training diverged at step \d+ \(loss = (nan|inf)\)\n)")))
      << r.err;
  std::map<std::string, long> s = read_stats(stats);
  EXPECT_EQ(s["live_device_allocs"], 0);
  EXPECT_EQ(s["live_pinned_allocs"], 0);
}

TEST_F(CudaTrainerTest, NoDriver) {
  ProcessResult r = run(FAKE_TRAINER_CUDA, {"--data=" + data_}, {"MLC_CUDA_DRIVER=/nonexistent/libcuda.so.1"});
  expect_only_error(r, 1, kNoDriver);
  EXPECT_EQ(r.out, "");  // before anything else: no model line, no data load
}

TEST_F(CudaTrainerTest, StubDriverFailsCuInitCleanly) {
  const std::string stub = CUDA_STUB_DRIVER;
  if (!file_exists(stub)) GTEST_SKIP() << stub << " does not exist";
  ProcessResult r = run(FAKE_TRAINER_CUDA, {"--data=" + data_}, {"MLC_CUDA_DRIVER=" + stub});
  EXPECT_EQ(r.exit_code, 1);  // not a signal: the stub's failing cuGetErrorName is handled too
  EXPECT_TRUE(std::regex_match(r.err, std::regex(R"(error: CUDA call cuInit failed: CUDA_ERROR_\w+ \([^\n]+\)\n)")))
      << r.err;
  EXPECT_EQ(r.err, "error: CUDA call cuInit failed: CUDA_ERROR_STUB_LIBRARY (CUDA driver is a stub library)\n");
}

TEST_F(CudaTrainerTest, NoDevice) {
  const std::string stats = dir_.file("stats.txt");
  expect_only_error(run(FAKE_TRAINER_CUDA, {"--data=" + data_}, fake_env(stats, {"FAKE_CUDA_DEVICES=0"})), 1,
                    kNoDevice);
  // A driver without devices fails cuInit with CUDA_ERROR_NO_DEVICE: the same message.
  expect_only_error(run(FAKE_TRAINER_CUDA, {"--data=" + data_}, fake_env(stats, {"FAKE_CUDA_INIT_RESULT=100"})), 1,
                    kNoDevice);
}

TEST_F(CudaTrainerTest, FailingDriverCallsEndTheRunWithOneLine) {
  const std::string stats = dir_.file("stats.txt");
  expect_only_error(run(FAKE_TRAINER_CUDA, {"--data=" + data_}, fake_env(stats, {"FAKE_CUDA_FAIL=cuMemAlloc_v2"})), 1,
                    "error: CUDA call cuMemAlloc failed: CUDA_ERROR_OUT_OF_MEMORY (out of memory) allocating 64 bytes\n");
  expect_only_error(
      run(FAKE_TRAINER_CUDA, {"--data=" + data_}, fake_env(stats, {"FAKE_CUDA_FAIL=cuMemcpyDtoH_v2"})), 1,
      "error: CUDA call cuMemcpyDtoH failed: CUDA_ERROR_OUT_OF_MEMORY (out of memory)\n");

  // A launch failing at the 6th step: the kernel is named, and the steps before it were logged.
  const std::string log = dir_.file("log.jsonl");
  ProcessResult r = run(FAKE_TRAINER_CUDA, {"--data=" + data_, "--log=" + log},
                        fake_env(stats, {"FAKE_CUDA_FAIL=cuLaunchKernel", "FAKE_CUDA_FAIL_AFTER=5",
                                         "FAKE_CUDA_FAIL_RESULT=719"}));
  expect_only_error(r, 1,
                    "error: CUDA call cuLaunchKernel failed: CUDA_ERROR_LAUNCH_FAILED (unspecified launch failure) "
                    "launching fake_train_kernel<<<(1,1,1), (1,1,1), 0>>>\n");
  EXPECT_EQ(split_lines(test::read_text(log)).size(), 5u);
  std::vector<std::string> out = split_lines(r.out);
  ASSERT_EQ(out.size(), 3u) << r.out;
  EXPECT_EQ(out[1], "device: Fake CUDA Device 0 (CUDA device 0)");
}

TEST_F(CudaTrainerTest, DriverTooOld) {
  ProcessResult r = run(FAKE_TRAINER_CUDA, {"--data=" + data_},
                        {std::string("MLC_CUDA_DRIVER=") + FAKE_CUDA_DRIVER_OLD});
  expect_only_error(r, 1,
                    std::string("error: the CUDA driver ") + FAKE_CUDA_DRIVER_OLD +
                        " has no entry point cuStreamCreate (it is too old for this trainer)\n");
}

TEST_F(CudaTrainerTest, CpuTrainerNeverLoadsTheDriver) {
  const std::string stats = dir_.file("stats.txt");
  ProcessResult r = run(FAKE_TRAINER, {"--data=" + data_}, fake_env(stats));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(file_exists(stats)) << "the CPU trainer loaded the CUDA driver";
  EXPECT_EQ(split_lines(r.out)[1].rfind("data: ", 0), 0u) << r.out;  // no device line
  r = run(FAKE_TRAINER, {"--data=" + data_}, {"MLC_CUDA_DRIVER=/nonexistent/libcuda.so.1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(CudaTrainerTest, HelpAndUsageErrorsNeedNoDriver) {
  const std::vector<std::string> env = {"MLC_CUDA_DRIVER=/nonexistent/libcuda.so.1"};
  ProcessResult r = run(FAKE_TRAINER_CUDA, {"--help"}, env);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err, "");
  r = run(FAKE_TRAINER_CUDA, {"--data=" + data_, "--beta1=0.5"}, env);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--beta1 given, but the model (optimizer sgd)"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace mlc

namespace mlc {
namespace {

// Checkpoints hold host copies of the device state: a CUDA run (with and without graphs) resumed from a
// mid-epoch checkpoint ends with the weights of an uninterrupted CPU run, and checkpoints move between
// the CPU and the CUDA build of a model.
TEST_F(CudaTrainerTest, ResumeFromDeviceCheckpointsIsBitExactAndCheckpointsMoveBetweenTargets) {
  const std::vector<std::string> args = {"--data=" + data_, "--epochs=3", "--lr=0.05", "--seed=3"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> a = args;
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };
  ASSERT_EQ(run(FAKE_TRAINER_ADAM, with({"--save-weights=" + dir_.file("cpu.w")})).exit_code, 0);
  for (const char* graph : {"", "--cuda-graph"}) {
    const std::string ck = dir_.file(std::string("ck") + graph);
    std::vector<std::string> first = with({"--checkpoint=" + ck, "--checkpoint-every=50", "--keep-checkpoints=10"});
    if (*graph) first.push_back(graph);
    ProcessResult r = run(FAKE_TRAINER_CUDA_ADAM, first, fake_env(dir_.file("s1")));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> second = with({"--resume=" + ck + "/ckpt-0000000150.mlcckpt", "--save-weights=" + dir_.file("cuda.w")});
    if (*graph) second.push_back(graph);
    r = run(FAKE_TRAINER_CUDA_ADAM, second, fake_env(dir_.file("s2")));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(test::read_bytes(dir_.file("cuda.w")), test::read_bytes(dir_.file("cpu.w"))) << graph;
    // The CPU build resumes the CUDA build's checkpoint to the same end.
    r = run(FAKE_TRAINER_ADAM, with({"--resume=" + ck + "/ckpt-0000000100.mlcckpt", "--save-weights=" + dir_.file("mixed.w")}));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(test::read_bytes(dir_.file("mixed.w")), test::read_bytes(dir_.file("cpu.w"))) << graph;
  }
}

}  // namespace
}  // namespace mlc
