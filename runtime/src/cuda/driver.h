// The CUDA driver API, loaded at run time: no CUDA header or library is needed to build or link a trainer.
//
// driver() dlopens libcuda.so.1 (or $MLC_CUDA_DRIVER, for tests) once per process, resolves every entry
// point below, runs cuInit(0), picks device 0 (or the one given to mgpuSetDefaultDevice before that) and
// retains its primary context; it then makes that context current on each calling thread. Nothing here
// runs for a CPU trainer: the driver is loaded on the first call of driver().
//
// Every failure ends the process with exit status 1 and ONE line on stderr (the step functions that
// call into this are generated code, through which no exception may propagate):
//   error: no CUDA driver found: this trainer was compiled with --target=cuda (<dlerror text>)
//   error: no CUDA device found: this trainer was compiled with --target=cuda
//   error: CUDA call cuXxx failed: CUDA_ERROR_NAME (description)[ detail]
//   error: the CUDA driver <path> has no entry point cuXxx (it is too old for this trainer)
#ifndef MLC_RUNTIME_CUDA_DRIVER_H
#define MLC_RUNTIME_CUDA_DRIVER_H

#include <cstddef>
#include <string>

#include "mlc_cuda_abi.h"

struct CUctx_st;  // global, as in cuda.h (declared inside the namespace it would be another type)
struct CUgraph_st;
struct CUgraphExec_st;

namespace mlc::cuda {

// Minimal declarations, ABI-identical to cuda.h's (checked against it by tests/unit/runtime/
// cuda_abi_layout_test.cpp where cuda.h is installed).
using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using CUcontext = ::CUctx_st*;
using CUjit_option = int;
using CUfunction_attribute = int;
using CUgraph = ::CUgraph_st*;
using CUgraphExec = ::CUgraphExec_st*;
using CUstreamCaptureMode = int;    // enum in cuda.h
using CUstreamCaptureStatus = int;  // enum in cuda.h

constexpr CUresult CUDA_SUCCESS = 0;
constexpr CUresult CUDA_ERROR_NO_DEVICE = 100;
constexpr unsigned CU_STREAM_NON_BLOCKING = 0x1;
constexpr unsigned CU_EVENT_DISABLE_TIMING = 0x2;
constexpr unsigned CU_MEM_ATTACH_GLOBAL = 0x1;
constexpr CUjit_option CU_JIT_ERROR_LOG_BUFFER = 5;
constexpr CUjit_option CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6;
constexpr CUjit_option CU_JIT_OPTIMIZATION_LEVEL = 7;
constexpr CUfunction_attribute CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8;
constexpr int CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION = 4;
constexpr CUstreamCaptureMode CU_STREAM_CAPTURE_MODE_THREAD_LOCAL = 1;
constexpr CUstreamCaptureStatus CU_STREAM_CAPTURE_STATUS_NONE = 0;

struct CUlaunchAttribute {
  int id;  // CUlaunchAttributeID
  char pad[8 - sizeof(int)];
  union {
    char pad[64];
    struct {
      unsigned int x, y, z;
    } clusterDim;
    void* align;  // the real union holds pointers: 8-byte aligned
  } value;
};

struct CUlaunchConfig {
  unsigned int gridDimX, gridDimY, gridDimZ;
  unsigned int blockDimX, blockDimY, blockDimZ;
  unsigned int sharedMemBytes;
  CUstream hStream;
  CUlaunchAttribute* attrs;
  unsigned int numAttrs;
};

// X(name, symbol, parameters): `name` is the API name used in messages, `symbol` the versioned entry point
// the driver exports for it (what cuda.h maps the name to).
#define MLC_CUDA_DRIVER_FUNCTIONS(X)                                                                            \
  X(cuInit, cuInit, (unsigned int flags))                                                                       \
  X(cuDeviceGetCount, cuDeviceGetCount, (int* count))                                                           \
  X(cuDeviceGet, cuDeviceGet, (CUdevice * device, int ordinal))                                                 \
  X(cuDeviceGetName, cuDeviceGetName, (char* name, int length, CUdevice device))                                \
  X(cuDevicePrimaryCtxRetain, cuDevicePrimaryCtxRetain, (CUcontext * context, CUdevice device))                 \
  X(cuCtxSetCurrent, cuCtxSetCurrent, (CUcontext context))                                                      \
  X(cuCtxSynchronize, cuCtxSynchronize, ())                                                                     \
  X(cuGetErrorName, cuGetErrorName, (CUresult error, const char** name))                                        \
  X(cuGetErrorString, cuGetErrorString, (CUresult error, const char** description))                             \
  X(cuMemAlloc, cuMemAlloc_v2, (CUdeviceptr * pointer, std::size_t bytes))                                      \
  X(cuMemFree, cuMemFree_v2, (CUdeviceptr pointer))                                                             \
  X(cuMemAllocManaged, cuMemAllocManaged, (CUdeviceptr * pointer, std::size_t bytes, unsigned int flags))       \
  X(cuMemHostAlloc, cuMemHostAlloc, (void** pointer, std::size_t bytes, unsigned int flags))                    \
  X(cuMemFreeHost, cuMemFreeHost, (void* pointer))                                                              \
  X(cuMemHostRegister, cuMemHostRegister_v2, (void* pointer, std::size_t bytes, unsigned int flags))            \
  X(cuMemHostUnregister, cuMemHostUnregister, (void* pointer))                                                  \
  X(cuMemcpyHtoD, cuMemcpyHtoD_v2, (CUdeviceptr dst, const void* src, std::size_t bytes))                       \
  X(cuMemcpyDtoH, cuMemcpyDtoH_v2, (void* dst, CUdeviceptr src, std::size_t bytes))                             \
  X(cuMemcpyHtoDAsync, cuMemcpyHtoDAsync_v2, (CUdeviceptr dst, const void* src, std::size_t bytes, CUstream s)) \
  X(cuMemcpyAsync, cuMemcpyAsync, (CUdeviceptr dst, CUdeviceptr src, std::size_t bytes, CUstream stream))       \
  X(cuMemsetD32, cuMemsetD32_v2, (CUdeviceptr dst, unsigned int value, std::size_t count))                      \
  X(cuMemsetD32Async, cuMemsetD32Async, (CUdeviceptr dst, unsigned int value, std::size_t count, CUstream s))   \
  X(cuMemsetD16Async, cuMemsetD16Async, (CUdeviceptr dst, unsigned short value, std::size_t count, CUstream s)) \
  X(cuModuleLoadData, cuModuleLoadData, (CUmodule * module, const void* image))                                 \
  X(cuModuleLoadDataEx, cuModuleLoadDataEx,                                                                     \
    (CUmodule * module, const void* image, unsigned int count, CUjit_option* options, void** values))           \
  X(cuModuleGetFunction, cuModuleGetFunction, (CUfunction * function, CUmodule module, const char* name))       \
  X(cuFuncSetAttribute, cuFuncSetAttribute, (CUfunction function, CUfunction_attribute attribute, int value))   \
  X(cuLaunchKernel, cuLaunchKernel,                                                                             \
    (CUfunction function, unsigned int gridX, unsigned int gridY, unsigned int gridZ, unsigned int blockX,      \
     unsigned int blockY, unsigned int blockZ, unsigned int smem, CUstream stream, void** params, void** extra)) \
  X(cuLaunchKernelEx, cuLaunchKernelEx,                                                                         \
    (const CUlaunchConfig* config, CUfunction function, void** params, void** extra))                           \
  X(cuStreamCreate, cuStreamCreate, (CUstream * stream, unsigned int flags))                                    \
  X(cuStreamSynchronize, cuStreamSynchronize, (CUstream stream))                                                \
  X(cuStreamDestroy, cuStreamDestroy_v2, (CUstream stream))                                                     \
  X(cuStreamWaitEvent, cuStreamWaitEvent, (CUstream stream, CUevent event, unsigned int flags))                 \
  X(cuEventCreate, cuEventCreate, (CUevent * event, unsigned int flags))                                        \
  X(cuEventRecord, cuEventRecord, (CUevent event, CUstream stream))                                             \
  X(cuEventSynchronize, cuEventSynchronize, (CUevent event))                                                    \
  X(cuEventDestroy, cuEventDestroy_v2, (CUevent event))                                                         \
  X(cuStreamBeginCapture, cuStreamBeginCapture_v2, (CUstream stream, CUstreamCaptureMode mode))                 \
  X(cuStreamEndCapture, cuStreamEndCapture, (CUstream stream, CUgraph * graph))                                 \
  X(cuStreamIsCapturing, cuStreamIsCapturing, (CUstream stream, CUstreamCaptureStatus * status))                \
  X(cuGraphInstantiate, cuGraphInstantiateWithFlags, (CUgraphExec * exec, CUgraph graph, unsigned long long f)) \
  X(cuGraphLaunch, cuGraphLaunch, (CUgraphExec exec, CUstream stream))                                          \
  X(cuGraphExecDestroy, cuGraphExecDestroy, (CUgraphExec exec))                                                 \
  X(cuGraphDestroy, cuGraphDestroy, (CUgraph graph))

#define MLC_CUDA_DECLARE_PFN(name, symbol, params) using PFN_##name = CUresult (*) params;
MLC_CUDA_DRIVER_FUNCTIONS(MLC_CUDA_DECLARE_PFN)
#undef MLC_CUDA_DECLARE_PFN

// The resolved entry points. One the driver lacks points at a stub that ends the process with the
// "has no entry point" message when called, so only what is actually used must exist.
struct Driver {
#define MLC_CUDA_DECLARE_FIELD(name, symbol, params) PFN_##name name;
  MLC_CUDA_DRIVER_FUNCTIONS(MLC_CUDA_DECLARE_FIELD)
#undef MLC_CUDA_DECLARE_FIELD
};

// Loads and initializes on first use (thread-safe); makes the primary context current on this thread.
const Driver& driver();

// The device in use and its name, e.g. "NVIDIA H100 80GB HBM3" (initializes like driver()).
int device_ordinal();
const std::string& device_name();

// Records the device driver() will use; ignored once the driver has been initialized (as upstream).
void set_default_device(int ordinal);

// The compute stream (see mlc_runtime.h): the stream of the mgpu* stream pool that mgpuStreamCreate
// hands out whenever it is not already taken, created non-blocking on first use and kept for the
// process. The trainer enqueues a step's waits (cuStreamWaitEvent) on it before calling the step.
CUstream compute_stream();

// Stream capture (--cuda-graph, mlc_runtime.h). While a capture of `stream` is active (between
// begin_capture and end_capture), mgpuStreamSynchronize(stream) enqueues nothing and returns at once:
// synchronizing a capturing stream is illegal, and the captured work runs only when the graph is launched.
// begin_capture starts a thread-local capture of `stream`; end_capture ends it and returns the graph.
void begin_capture(CUstream stream);
CUgraph end_capture(CUstream stream);
// The stream being captured, or nullptr.
CUstream capturing_stream();

// Returns if `result` is CUDA_SUCCESS; otherwise ends the process with
// "error: CUDA call <call> failed: CUDA_ERROR_NAME (description)" plus " <detail>" if given.
void check(CUresult result, const char* call, const std::string& detail = std::string());

// Ends the process: flushes stdout, prints "error: <message>" as one line on stderr, exits with status 1.
[[noreturn]] void fatal(const std::string& message);

}  // namespace mlc::cuda

// Calls a driver entry point and checks it: MLC_CU(cuMemAlloc, (&pointer, bytes)).
#define MLC_CU(name, args) ::mlc::cuda::check(::mlc::cuda::driver().name args, #name)

#endif  // MLC_RUNTIME_CUDA_DRIVER_H
