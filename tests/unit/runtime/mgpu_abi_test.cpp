// In-process tests of the mgpu* ABI (runtime/src/cuda/mgpu_abi.cpp) on the fake CUDA driver: module and
// function caching, launches, copies, streams, events, host registration and the one-line failures.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <vector>

#include "cuda/driver.h"
#include "mlc_cuda_abi.h"

// Kernels the fake driver runs on the host (found with dlsym: the test binary exports its symbols).
// mgpu_test_scale(float *data, int n, float factor): data[i] *= factor.
extern "C" void mgpu_test_scale(void** params) {
  float* data = *static_cast<float**>(params[0]);
  const int n = *static_cast<int*>(params[1]);
  const float factor = *static_cast<float*>(params[2]);
  for (int i = 0; i < n; ++i) data[i] *= factor;
}

// mgpu_test_axpy(float *data, int64_t n, double a): data[i] += a, with pointer-sized parameters only, so
// the fake driver can capture it (it records <kernel>_nparams parameter values of 8 bytes each).
extern "C" const int mgpu_test_axpy_nparams = 3;
extern "C" void mgpu_test_axpy(void** params) {
  float* data = *static_cast<float**>(params[0]);
  const long long n = *static_cast<long long*>(params[1]);
  const double a = *static_cast<double*>(params[2]);
  for (long long i = 0; i < n; ++i) data[i] += static_cast<float>(a);
}

namespace mlc {
namespace {

// Each test uses its own blobs: the module cache lives for the process, which may run several tests.
const char kPtxA[] = "//fake ptx A\n.entry mgpu_test_scale\n";
const char kPtxB[] = "//fake ptx A\n.entry mgpu_test_scale\n";  // same text, another address
const char kCubin[] = "//fake cubin\n.entry mgpu_test_scale\n";
const char kPtxLaunch[] = "//fake ptx launch\n.entry mgpu_test_scale\n";
const char kPtxCluster[] = "//fake ptx cluster\n.entry mgpu_test_scale\n";
const char kPtxShared[] = "//fake ptx shared\n.entry mgpu_test_scale\n";
const char kPtxDeath[] = "//fake ptx death\n.entry mgpu_test_scale\n";
const char kPtxGraph[] = "//fake ptx graph\n.entry mgpu_test_axpy\n";
const char kBadPtx[] = "//fake ptx FAKE_INVALID_PTX\n";

long (*g_counter)(const char*) = nullptr;

class MgpuAbi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Before the runtime's first driver call; dlopen of the same path later returns this same library.
    setenv("MLC_CUDA_DRIVER", FAKE_CUDA_DRIVER, 1);
    void* driver = dlopen(FAKE_CUDA_DRIVER, RTLD_NOW);
    ASSERT_NE(driver, nullptr) << dlerror();
    g_counter = reinterpret_cast<long (*)(const char*)>(dlsym(driver, "fake_cuda_counter"));
    ASSERT_NE(g_counter, nullptr);
  }

  static long count(const char* name) { return g_counter(name); }

  // A device buffer holding `values`.
  static float* upload(const std::vector<float>& values, CUstream stream) {
    void* d = mgpuMemAlloc(values.size() * sizeof(float), stream, false);
    mgpuMemcpy(d, const_cast<float*>(values.data()), values.size() * sizeof(float), stream);
    return static_cast<float*>(d);
  }
  static std::vector<float> download(float* d, std::size_t n, CUstream stream) {
    std::vector<float> out(n);
    mgpuMemcpy(out.data(), d, n * sizeof(float), stream);
    return out;
  }
};

TEST_F(MgpuAbi, ModulesAreLoadedOncePerBlobAddress) {
  const long jit = count("cuModuleLoadDataEx"), bin = count("cuModuleLoadData");
  CUmodule a = mgpuModuleLoadJIT(const_cast<char*>(kPtxA), 2);
  EXPECT_EQ(count("jit_opt_level"), 2);
  mgpuModuleUnload(a);  // as generated code does after every launch
  EXPECT_EQ(mgpuModuleLoadJIT(const_cast<char*>(kPtxA), 2), a);
  EXPECT_EQ(mgpuModuleLoadJIT(const_cast<char*>(kPtxA), 2), a);
  EXPECT_EQ(count("cuModuleLoadDataEx"), jit + 1);
  EXPECT_EQ(count("cuModuleUnload"), 0);

  CUmodule b = mgpuModuleLoadJIT(const_cast<char*>(kPtxB), 9);
  EXPECT_NE(b, a);
  EXPECT_EQ(count("cuModuleLoadDataEx"), jit + 2);
  EXPECT_EQ(count("jit_opt_level"), 4);  // clamped to the driver's range 0..4

  CUmodule c = mgpuModuleLoad(const_cast<char*>(kCubin), sizeof kCubin);
  EXPECT_EQ(mgpuModuleLoad(const_cast<char*>(kCubin), sizeof kCubin), c);
  EXPECT_EQ(count("cuModuleLoadData"), bin + 1);
  EXPECT_EQ(count("cuModuleLoadDataEx"), jit + 2);
}

TEST_F(MgpuAbi, LaunchRunsTheKernelWithItsParameters) {
  CUmodule m = mgpuModuleLoadJIT(const_cast<char*>(kPtxLaunch), 3);
  const long lookups = count("cuModuleGetFunction");
  CUfunction f = mgpuModuleGetFunction(m, "mgpu_test_scale");
  EXPECT_EQ(mgpuModuleGetFunction(m, "mgpu_test_scale"), f);
  EXPECT_EQ(count("cuModuleGetFunction"), lookups + 1);

  CUstream s = mgpuStreamCreate();
  float* d = upload({1, 2, 3, 4, 5}, s);
  int n = 4;
  float factor = 2.5f;
  void* params[] = {&d, &n, &factor};
  const long launches = count("launches");
  mgpuLaunchKernel(f, 2, 3, 1, 32, 4, 1, 0, s, params, nullptr, 3);
  mgpuStreamSynchronize(s);
  EXPECT_EQ(count("launches"), launches + 1);
  EXPECT_EQ(count("grid_x"), 2);
  EXPECT_EQ(count("grid_y"), 3);
  EXPECT_EQ(count("block_x"), 32);
  EXPECT_EQ(count("block_y"), 4);
  EXPECT_EQ(download(d, 5, s), (std::vector<float>{2.5f, 5, 7.5f, 10, 5}));
  mgpuMemFree(d, s);
  mgpuStreamDestroy(s);
}

TEST_F(MgpuAbi, MemsetsAndDeviceToDeviceCopies) {
  CUstream s = mgpuStreamCreate();
  void* a = mgpuMemAlloc(32, s, false);
  void* b = mgpuMemAlloc(32, s, false);
  float one = 1.0f;
  unsigned bits;
  std::memcpy(&bits, &one, sizeof bits);
  mgpuMemset32(a, bits, 8, s);
  mgpuMemcpy(b, a, 32, s);
  EXPECT_EQ(download(static_cast<float*>(b), 8, s), std::vector<float>(8, 1.0f));
  mgpuMemset16(a, 0xABCD, 16, s);
  std::vector<unsigned short> halves(16);
  mgpuMemcpy(halves.data(), a, 32, s);
  EXPECT_EQ(halves, std::vector<unsigned short>(16, 0xABCD));
  mgpuMemFree(a, s);
  mgpuMemFree(b, s);
  mgpuMemFree(nullptr, s);  // no-op
  mgpuStreamDestroy(s);
}

TEST_F(MgpuAbi, AllocationKinds) {
  const long device = count("cuMemAlloc_v2"), managed = count("cuMemAllocManaged");
  EXPECT_EQ(mgpuMemAlloc(0, nullptr, false), nullptr);
  EXPECT_EQ(count("cuMemAlloc_v2"), device);
  // host_shared: managed memory, usable from the host directly (plain device memory is not, on the fake).
  float* shared = static_cast<float*>(mgpuMemAlloc(16, nullptr, true));
  ASSERT_NE(shared, nullptr);
  shared[3] = 7.0f;
  EXPECT_EQ(shared[3], 7.0f);
  EXPECT_EQ(count("cuMemAllocManaged"), managed + 1);
  EXPECT_EQ(count("cuMemAlloc_v2"), device);
  mgpuMemFree(shared, nullptr);
}

TEST_F(MgpuAbi, StreamsAreCreatedNonBlockingAndReused) {
  CUstream a = mgpuStreamCreate();
  EXPECT_EQ(count("stream_flags"), 1);  // CU_STREAM_NON_BLOCKING
  const long created = count("cuStreamCreate"), destroyed = count("cuStreamDestroy_v2");
  mgpuStreamDestroy(a);
  CUstream b = mgpuStreamCreate();
  EXPECT_EQ(b, a);
  CUstream c = mgpuStreamCreate();  // a second one in flight at the same time
  EXPECT_NE(c, b);
  EXPECT_EQ(count("cuStreamCreate"), created + 1);
  mgpuStreamDestroy(b);
  mgpuStreamDestroy(c);
  EXPECT_EQ(count("cuStreamDestroy_v2"), destroyed);
}

// The trainer's double buffering enqueues its waits on the compute stream before a step, and relies on
// the step's first mgpuStreamCreate returning that stream (mlc_runtime.h).
// --cuda-graph: while the runtime captures the compute stream, a step's launches are recorded with their
// parameter VALUES and its mgpuStreamSynchronize is skipped; the graph replays them.
TEST_F(MgpuAbi, CaptureRecordsLaunchesAndSkipsTheStreamSynchronize) {
  CUstream s = mgpuStreamCreate();
  ASSERT_EQ(s, mlc::cuda::compute_stream());
  float* d = upload({1, 2, 3}, s);
  CUmodule m = mgpuModuleLoadJIT(const_cast<char*>(kPtxGraph), 3);
  CUfunction f = mgpuModuleGetFunction(m, "mgpu_test_axpy");
  mgpuStreamDestroy(s);

  const long launches = count("launches"), syncs = count("cuStreamSynchronize");
  mlc::cuda::begin_capture(mlc::cuda::compute_stream());
  EXPECT_EQ(mlc::cuda::capturing_stream(), mlc::cuda::compute_stream());
  {  // what a generated step does; its parameters live on its stack
    CUstream step = mgpuStreamCreate();
    EXPECT_EQ(step, mlc::cuda::compute_stream());
    long long n = 2;
    double a = 10;
    void* params[] = {&d, &n, &a};
    mgpuLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, step, params, nullptr, 3);
    n = 3, a = 1000;  // the graph keeps the values at capture
    mgpuMemset32(d + 2, 0, 1, step);
    mgpuStreamSynchronize(step);  // would abort the fake during capture
    mgpuStreamDestroy(step);
  }
  mlc::cuda::CUgraph graph = mlc::cuda::end_capture(mlc::cuda::compute_stream());
  EXPECT_EQ(mlc::cuda::capturing_stream(), nullptr);
  EXPECT_EQ(count("launches"), launches);  // recorded, not run
  EXPECT_EQ(count("cuStreamSynchronize"), syncs);

  const mlc::cuda::Driver& drv = mlc::cuda::driver();
  mlc::cuda::CUgraphExec exec = nullptr;
  ASSERT_EQ(drv.cuGraphInstantiate(&exec, graph, 0), 0);
  s = mgpuStreamCreate();
  EXPECT_EQ(download(d, 3, s), (std::vector<float>{1, 2, 3}));
  ASSERT_EQ(drv.cuGraphLaunch(exec, s), 0);
  ASSERT_EQ(drv.cuGraphLaunch(exec, s), 0);
  mgpuStreamSynchronize(s);
  EXPECT_EQ(count("launches"), launches + 2);
  EXPECT_EQ(download(d, 3, s), (std::vector<float>{21, 22, 0}));
  EXPECT_EQ(drv.cuGraphExecDestroy(exec), 0);
  EXPECT_EQ(drv.cuGraphDestroy(graph), 0);
  mgpuMemFree(d, s);
  mgpuStreamDestroy(s);
}

TEST_F(MgpuAbi, TheComputeStreamIsHandedOutWheneverItIsFree) {
  CUstream compute = mlc::cuda::compute_stream();
  ASSERT_NE(compute, nullptr);
  EXPECT_EQ(mlc::cuda::compute_stream(), compute);
  const long destroyed = count("cuStreamDestroy_v2");
  CUstream a = mgpuStreamCreate();
  EXPECT_EQ(a, compute);
  CUstream b = mgpuStreamCreate();  // taken: another one
  EXPECT_NE(b, compute);
  mgpuStreamDestroy(b);
  CUstream b2 = mgpuStreamCreate();  // a is still out: a pooled one, not the compute stream
  EXPECT_NE(b2, compute);
  mgpuStreamDestroy(b2);
  mgpuStreamDestroy(a);
  CUstream c = mgpuStreamCreate();
  EXPECT_EQ(c, compute);  // free again: handed out first, never destroyed
  mgpuStreamDestroy(c);
  EXPECT_EQ(count("cuStreamDestroy_v2"), destroyed);
}

// The fake driver defers cuMemcpyHtoDAsync until something orders it, so a kernel on another stream
// that was not made to wait for the copy reads stale data: what makes the trainer's tests able to fail.
TEST_F(MgpuAbi, FakeDriverRunsAsyncCopiesOnlyWhenAWaitOrdersThem) {
  using namespace mlc::cuda;
  CUfunction f = mgpuModuleGetFunction(mgpuModuleLoadJIT(const_cast<char*>(kPtxLaunch), 3), "mgpu_test_scale");
  CUstream s = mgpuStreamCreate();
  CUstream copy_stream = nullptr;
  MLC_CU(cuStreamCreate, (&copy_stream, CU_STREAM_NON_BLOCKING));
  CUevent e = mgpuEventCreate();
  float* d = upload({0, 0, 0, 0}, s);
  void* host = nullptr;
  MLC_CU(cuMemHostAlloc, (&host, 4 * sizeof(float), 0));
  const float values[4] = {1, 2, 3, 4};
  std::memcpy(host, values, sizeof values);
  MLC_CU(cuMemcpyHtoDAsync, (reinterpret_cast<CUdeviceptr>(d), host, sizeof values, copy_stream));
  mgpuEventRecord(e, copy_stream);

  int n = 4;
  float factor = 2;
  void* params[] = {&d, &n, &factor};
  mgpuLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, s, params, nullptr, 3);  // no wait: the copy has not run
  mgpuStreamSynchronize(s);
  EXPECT_EQ(download(d, 4, s), (std::vector<float>{0, 0, 0, 0}));

  mgpuStreamWaitEvent(s, e);
  mgpuLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, s, params, nullptr, 3);  // after the copy
  mgpuStreamSynchronize(s);
  EXPECT_EQ(download(d, 4, s), (std::vector<float>{2, 4, 6, 8}));

  mgpuEventSynchronize(e);
  std::memcpy(host, values, sizeof values);  // the copy has read it: writable again
  mgpuEventDestroy(e);
  MLC_CU(cuMemFreeHost, (host));
  MLC_CU(cuStreamDestroy, (copy_stream));
  mgpuMemFree(d, s);
  mgpuStreamDestroy(s);
}

TEST_F(MgpuAbi, EventsJoinStreams) {
  CUstream s1 = mgpuStreamCreate(), s2 = mgpuStreamCreate();
  const long waits = count("cuStreamWaitEvent");
  CUevent e = mgpuEventCreate();
  EXPECT_EQ(count("event_flags"), 2);  // CU_EVENT_DISABLE_TIMING
  mgpuEventRecord(e, s1);
  mgpuStreamWaitEvent(s2, e);
  mgpuEventSynchronize(e);
  mgpuEventDestroy(e);
  EXPECT_EQ(count("cuStreamWaitEvent"), waits + 1);
  mgpuStreamDestroy(s1);
  mgpuStreamDestroy(s2);
}

TEST_F(MgpuAbi, ClusterLaunch) {
  CUfunction f = mgpuModuleGetFunction(mgpuModuleLoadJIT(const_cast<char*>(kPtxCluster), 3), "mgpu_test_scale");
  CUstream s = mgpuStreamCreate();
  float* d = upload({1, 2}, s);
  int n = 2;
  float factor = -1.0f;
  void* params[] = {&d, &n, &factor};
  mgpuLaunchClusterKernel(f, 2, 1, 1, 4, 2, 1, 128, 1, 1, 0, s, params, nullptr);
  mgpuStreamSynchronize(s);
  EXPECT_EQ(count("cluster_x"), 2);
  EXPECT_EQ(count("cluster_y"), 1);
  EXPECT_EQ(count("grid_x"), 4);
  EXPECT_EQ(count("grid_y"), 2);
  EXPECT_EQ(count("block_x"), 128);
  EXPECT_EQ(download(d, 2, s), (std::vector<float>{-1, -2}));
  mgpuMemFree(d, s);
  mgpuStreamDestroy(s);
}

TEST_F(MgpuAbi, LargeDynamicSharedMemoryIsOptedInto) {
  CUfunction f = mgpuModuleGetFunction(mgpuModuleLoadJIT(const_cast<char*>(kPtxShared), 3), "mgpu_test_scale");
  float* d = upload({1}, nullptr);
  int n = 1;
  float factor = 1.0f;
  void* params[] = {&d, &n, &factor};
  const long attrs = count("cuFuncSetAttribute");
  mgpuLaunchKernel(f, 1, 1, 1, 1, 1, 1, 48 * 1024, nullptr, params, nullptr, 3);
  EXPECT_EQ(count("cuFuncSetAttribute"), attrs);
  mgpuLaunchKernel(f, 1, 1, 1, 1, 1, 1, 100 * 1024, nullptr, params, nullptr, 3);
  EXPECT_EQ(count("cuFuncSetAttribute"), attrs + 1);
  EXPECT_EQ(count("max_dynamic_shared"), 100 * 1024);
  EXPECT_EQ(count("smem"), 100 * 1024);
  mgpuMemFree(d, nullptr);
}

// StridedMemRefType<char, 2>
struct MemRef2 {
  float* allocated;
  float* aligned;
  int64_t offset;
  int64_t sizes[2];
  int64_t strides[2];
};

TEST_F(MgpuAbi, HostRegisterMemRef) {
  static float host[6][4];
  MemRef2 m{&host[0][0], &host[0][0], 4, {5, 4}, {4, 1}};  // rows 1..5
  const long registers = count("cuMemHostRegister_v2"), unregisters = count("cuMemHostUnregister");
  mgpuMemHostRegisterMemRef(2, &m, sizeof(float));
  EXPECT_EQ(count("cuMemHostRegister_v2"), registers + 1);
  EXPECT_EQ(count("registered_bytes"), 5 * 4 * 4);
  // The fake fails (and the runtime exits) unless this is the pointer that was registered: &host[1][0].
  mgpuMemHostUnregisterMemRef(2, &m, sizeof(float));
  EXPECT_EQ(count("cuMemHostUnregister"), unregisters + 1);
}

TEST_F(MgpuAbi, SetDefaultDeviceAfterInitializationIsIgnored) {
  mgpuStreamDestroy(mgpuStreamCreate());  // initializes, if no test did yet
  mgpuSetDefaultDevice(5);                // the fake has 1 device: selecting it would fail
  mgpuStreamDestroy(mgpuStreamCreate());
  EXPECT_EQ(count("device"), 0);
}

using MgpuAbiDeathTest = MgpuAbi;

TEST_F(MgpuAbiDeathTest, FailuresEndTheProcessWithOneLine) {
  EXPECT_EXIT(mgpuModuleLoadJIT(const_cast<char*>(kBadPtx), 3), testing::ExitedWithCode(1),
              "^error: CUDA call cuModuleLoadDataEx failed: CUDA_ERROR_INVALID_PTX \\(a PTX JIT compilation "
              "failed\\) \\(PTX JIT log: ptxas fatal   : fake failure; second line\\)\n$");
  CUmodule m = mgpuModuleLoadJIT(const_cast<char*>(kPtxDeath), 3);
  EXPECT_EXIT(mgpuModuleGetFunction(m, "no_such_kernel"), testing::ExitedWithCode(1),
              "^error: CUDA call cuModuleGetFunction failed: CUDA_ERROR_NOT_FOUND \\(named symbol not found\\) for "
              "kernel no_such_kernel\n$");
  CUfunction f = mgpuModuleGetFunction(m, "mgpu_test_scale");
  void* params[] = {nullptr, nullptr, nullptr};
  EXPECT_EXIT(mgpuLaunchKernel(f, 0, 1, 1, 1, 1, 1, 0, nullptr, params, nullptr, 3), testing::ExitedWithCode(1),
              "^error: kernel mgpu_test_scale launched with gridX 0\n$");
  EXPECT_EXIT(mgpuLaunchKernel(f, 1, 1, 1, 2048, 1, 1, 0, nullptr, params, nullptr, 3), testing::ExitedWithCode(1),
              "^error: CUDA call cuLaunchKernel failed: CUDA_ERROR_INVALID_VALUE \\(invalid argument\\) launching "
              "mgpu_test_scale<<<\\(1,1,1\\), \\(2048,1,1\\), 0>>>\n$");
  MemRef2 strided{nullptr, nullptr, 0, {2, 3}, {1, 2}};  // column-major
  EXPECT_EXIT(mgpuMemHostRegisterMemRef(2, &strided, 4), testing::ExitedWithCode(1),
              "^error: mgpuMemHostRegisterMemRef: only dense row-major memrefs can be registered \\(dimension 1 has "
              "stride 2, expected 1\\)\n$");
  EXPECT_EXIT(mgpuMemFree(reinterpret_cast<void*>(0x1000), nullptr), testing::ExitedWithCode(1),
              "^error: CUDA call cuMemFree failed: CUDA_ERROR_INVALID_VALUE \\(invalid argument\\)\n$");
}

}  // namespace
}  // namespace mlc
