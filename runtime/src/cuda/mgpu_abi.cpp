// The mgpu* host ABI of MLIR 19.1.7 (see mlc_cuda_abi.h) on the run-time-loaded CUDA driver.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "cuda/driver.h"
#include "mlc_cuda_abi.h"

namespace mlc::cuda {
namespace {

constexpr int32_t kDefaultMaxSharedBytes = 48 * 1024;  // above this a kernel must opt in
constexpr std::size_t kStreamPoolSize = 16;

CUdeviceptr dptr(const void* p) { return static_cast<CUdeviceptr>(reinterpret_cast<std::uintptr_t>(p)); }

// Modules by blob address and functions by (module, name). Both live for the process (never freed, so
// nothing calls the driver during static destruction).
class ModuleCache {
 public:
  template <typename Load>
  CUmodule get(const void* data, Load load) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = modules_.find(data);
    if (it != modules_.end()) return it->second;
    CUmodule module = load();  // under the lock: concurrent first launches load once
    modules_.emplace(data, module);
    return module;
  }

  CUfunction function(CUmodule module, const char* name) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& by_name = functions_[module];
    auto it = by_name.find(name);
    if (it != by_name.end()) return it->second;
    CUfunction f = nullptr;
    check(driver().cuModuleGetFunction(&f, module, name), "cuModuleGetFunction",
          std::string("for kernel ") + name);
    by_name.emplace(name, f);
    names_.emplace(f, name);
    return f;
  }

  std::string name(CUfunction f) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = names_.find(f);
    return it == names_.end() ? std::string("<unknown kernel>") : it->second;
  }

 private:
  std::mutex mutex_;
  std::unordered_map<const void*, CUmodule> modules_;
  std::unordered_map<CUmodule, std::unordered_map<std::string, CUfunction>> functions_;
  std::unordered_map<CUfunction, std::string> names_;
};

ModuleCache& cache() {
  static auto* c = new ModuleCache;
  return *c;
}

// Generated code creates and destroys a stream around every step (or every synchronous launch); reuse
// them. The pool's first stream is the compute stream (mlc_runtime.h): mgpuStreamCreate hands it out
// whenever it is not already taken, so a step's stream is the one the trainer enqueued its waits on.
class StreamPool {
 public:
  CUstream compute() {
    std::lock_guard<std::mutex> lock(mutex_);
    return compute_locked();
  }
  CUstream take() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      CUstream c = compute_locked();
      if (!compute_taken_) {
        compute_taken_ = true;
        return c;
      }
      if (!free_.empty()) {
        CUstream s = free_.back();
        free_.pop_back();
        return s;
      }
    }
    CUstream s = nullptr;
    MLC_CU(cuStreamCreate, (&s, CU_STREAM_NON_BLOCKING));
    return s;
  }
  void give(CUstream s) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (s == compute_ && s != nullptr) {
        compute_taken_ = false;  // never destroyed: it lives for the process
        return;
      }
      if (free_.size() < kStreamPoolSize) {
        free_.push_back(s);
        return;
      }
    }
    MLC_CU(cuStreamDestroy, (s));
  }

 private:
  CUstream compute_locked() {
    if (compute_ == nullptr) MLC_CU(cuStreamCreate, (&compute_, CU_STREAM_NON_BLOCKING));
    return compute_;
  }

  std::mutex mutex_;
  CUstream compute_ = nullptr;
  bool compute_taken_ = false;
  std::vector<CUstream> free_;
};

StreamPool& streams() {
  static auto* p = new StreamPool;
  return *p;
}

unsigned int launch_dim(intptr_t v, const char* what, CUfunction f) {
  if (v < 1 || static_cast<uintmax_t>(v) > std::numeric_limits<unsigned int>::max()) {
    fatal("kernel " + cache().name(f) + " launched with " + what + " " + std::to_string(v));
  }
  return static_cast<unsigned int>(v);
}

std::string launch_text(CUfunction f, intptr_t gx, intptr_t gy, intptr_t gz, intptr_t bx, intptr_t by, intptr_t bz,
                        int32_t smem) {
  char dims[160];
  std::snprintf(dims, sizeof dims, "<<<(%jd,%jd,%jd), (%jd,%jd,%jd), %d>>>", static_cast<intmax_t>(gx),
                static_cast<intmax_t>(gy), static_cast<intmax_t>(gz), static_cast<intmax_t>(bx),
                static_cast<intmax_t>(by), static_cast<intmax_t>(bz), static_cast<int>(smem));
  return "launching " + cache().name(f) + dims;
}

void allow_shared_memory(CUfunction f, int32_t smem) {
  if (smem > kDefaultMaxSharedBytes) {
    check(driver().cuFuncSetAttribute(f, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, smem), "cuFuncSetAttribute",
          "for " + std::to_string(smem) + " bytes of dynamic shared memory in kernel " + cache().name(f));
  }
}

// The bytes a dense StridedMemRefType<char, rank> descriptor covers, and its first element.
struct MemRefRange {
  char* begin;
  std::uint64_t bytes;
};
MemRefRange dense_range(int64_t rank, void* descriptor, int64_t element_bytes, const char* caller) {
  struct Header {
    char* allocated;
    char* aligned;
    int64_t offset;
  };
  auto* header = static_cast<Header*>(descriptor);
  const int64_t* sizes = reinterpret_cast<const int64_t*>(header + 1);
  const int64_t* strides = sizes + rank;
  int64_t stride = 1;
  for (int64_t i = rank - 1; i >= 0; --i) {
    if (sizes[i] > 1 && strides[i] != stride) {
      fatal(std::string(caller) + ": only dense row-major memrefs can be registered (dimension " +
            std::to_string(i) + " has stride " + std::to_string(strides[i]) + ", expected " +
            std::to_string(stride) + ")");
    }
    stride *= sizes[i];
  }
  return {header->aligned + header->offset * element_bytes,
          static_cast<std::uint64_t>(stride) * static_cast<std::uint64_t>(element_bytes)};
}

// The stream under capture (begin_capture .. end_capture), if any.
std::atomic<CUstream> g_capturing{nullptr};

}  // namespace

CUstream compute_stream() { return streams().compute(); }

void begin_capture(CUstream stream) {
  const Driver& d = driver();
  CUstreamCaptureStatus status = CU_STREAM_CAPTURE_STATUS_NONE;
  MLC_CU(cuStreamIsCapturing, (stream, &status));
  if (status != CU_STREAM_CAPTURE_STATUS_NONE || g_capturing.load() != nullptr) {
    fatal("internal: a stream capture began while another one is active");
  }
  check(d.cuStreamBeginCapture(stream, CU_STREAM_CAPTURE_MODE_THREAD_LOCAL), "cuStreamBeginCapture");
  g_capturing.store(stream);
}

CUgraph end_capture(CUstream stream) {
  CUgraph graph = nullptr;
  g_capturing.store(nullptr);
  check(driver().cuStreamEndCapture(stream, &graph), "cuStreamEndCapture",
        "(with --cuda-graph the train step must launch its work only on the compute stream and must not "
        "synchronize other streams or events, allocate or copy to or from the host)");
  return graph;
}

CUstream capturing_stream() { return g_capturing.load(); }

}  // namespace mlc::cuda

using namespace mlc::cuda;

extern "C" {

CUmodule mgpuModuleLoad(void* data, size_t /*gpuBlobSize*/) {
  return cache().get(data, [&] {
    CUmodule m = nullptr;
    MLC_CU(cuModuleLoadData, (&m, data));
    return m;
  });
}

CUmodule mgpuModuleLoadJIT(void* data, int optLevel) {
  return cache().get(data, [&] {
    CUmodule m = nullptr;
    std::vector<char> log(16384, '\0');
    CUjit_option options[] = {CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES, CU_JIT_OPTIMIZATION_LEVEL};
    void* values[] = {log.data(), reinterpret_cast<void*>(static_cast<std::uintptr_t>(log.size() - 1)),
                      reinterpret_cast<void*>(static_cast<std::uintptr_t>(std::clamp(optLevel, 0, 4)))};
    CUresult r = driver().cuModuleLoadDataEx(&m, data, 3, options, values);
    if (r != CUDA_SUCCESS) {
      std::string text(log.data());
      while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
      for (std::size_t i = 0; (i = text.find('\n', i)) != std::string::npos;) text.replace(i, 1, "; ");
      check(r, "cuModuleLoadDataEx", text.empty() ? std::string() : "(PTX JIT log: " + text + ")");
    }
    return m;
  });
}

void mgpuModuleUnload(CUmodule /*module*/) {}  // cached for the process

CUfunction mgpuModuleGetFunction(CUmodule module, const char* name) { return cache().function(module, name); }

void mgpuLaunchKernel(CUfunction function, intptr_t gridX, intptr_t gridY, intptr_t gridZ, intptr_t blockX,
                      intptr_t blockY, intptr_t blockZ, int32_t smem, CUstream stream, void** params, void** extra,
                      size_t /*paramsCount*/) {
  const Driver& d = driver();
  const unsigned gx = launch_dim(gridX, "gridX", function), gy = launch_dim(gridY, "gridY", function),
                 gz = launch_dim(gridZ, "gridZ", function), bx = launch_dim(blockX, "blockX", function),
                 by = launch_dim(blockY, "blockY", function), bz = launch_dim(blockZ, "blockZ", function);
  allow_shared_memory(function, smem);
  CUresult r = d.cuLaunchKernel(function, gx, gy, gz, bx, by, bz, static_cast<unsigned>(smem), stream, params, extra);
  if (r != CUDA_SUCCESS) {
    check(r, "cuLaunchKernel", launch_text(function, gridX, gridY, gridZ, blockX, blockY, blockZ, smem));
  }
}

void mgpuLaunchClusterKernel(CUfunction function, intptr_t clusterX, intptr_t clusterY, intptr_t clusterZ,
                             intptr_t gridX, intptr_t gridY, intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                             intptr_t blockZ, int32_t smem, CUstream stream, void** params, void** extra) {
  const Driver& d = driver();
  CUlaunchAttribute attribute;
  std::memset(&attribute, 0, sizeof attribute);
  attribute.id = CU_LAUNCH_ATTRIBUTE_CLUSTER_DIMENSION;
  attribute.value.clusterDim.x = launch_dim(clusterX, "clusterX", function);
  attribute.value.clusterDim.y = launch_dim(clusterY, "clusterY", function);
  attribute.value.clusterDim.z = launch_dim(clusterZ, "clusterZ", function);
  CUlaunchConfig config;
  std::memset(&config, 0, sizeof config);
  config.gridDimX = launch_dim(gridX, "gridX", function);
  config.gridDimY = launch_dim(gridY, "gridY", function);
  config.gridDimZ = launch_dim(gridZ, "gridZ", function);
  config.blockDimX = launch_dim(blockX, "blockX", function);
  config.blockDimY = launch_dim(blockY, "blockY", function);
  config.blockDimZ = launch_dim(blockZ, "blockZ", function);
  config.sharedMemBytes = static_cast<unsigned>(smem);
  config.hStream = stream;
  config.attrs = &attribute;
  config.numAttrs = 1;
  allow_shared_memory(function, smem);
  CUresult r = d.cuLaunchKernelEx(&config, function, params, extra);
  if (r != CUDA_SUCCESS) {
    check(r, "cuLaunchKernelEx",
          launch_text(function, gridX, gridY, gridZ, blockX, blockY, blockZ, smem) + " with clusters of (" +
              std::to_string(clusterX) + "," + std::to_string(clusterY) + "," + std::to_string(clusterZ) + ")");
  }
}

CUstream mgpuStreamCreate(void) { return streams().take(); }
void mgpuStreamDestroy(CUstream stream) { streams().give(stream); }
void mgpuStreamSynchronize(CUstream stream) {
  // Illegal on a capturing stream; the captured work runs (and is waited for) when the graph is launched.
  if (stream != nullptr && stream == capturing_stream()) return;
  MLC_CU(cuStreamSynchronize, (stream));
}
void mgpuStreamWaitEvent(CUstream stream, CUevent event) { MLC_CU(cuStreamWaitEvent, (stream, event, 0)); }

CUevent mgpuEventCreate(void) {
  CUevent e = nullptr;
  MLC_CU(cuEventCreate, (&e, CU_EVENT_DISABLE_TIMING));
  return e;
}
void mgpuEventDestroy(CUevent event) { MLC_CU(cuEventDestroy, (event)); }
void mgpuEventSynchronize(CUevent event) { MLC_CU(cuEventSynchronize, (event)); }
void mgpuEventRecord(CUevent event, CUstream stream) { MLC_CU(cuEventRecord, (event, stream)); }

void* mgpuMemAlloc(uint64_t sizeBytes, CUstream /*stream*/, bool isHostShared) {
  const Driver& d = driver();
  if (sizeBytes == 0) return nullptr;
  CUdeviceptr p = 0;
  if (isHostShared) {
    check(d.cuMemAllocManaged(&p, sizeBytes, CU_MEM_ATTACH_GLOBAL), "cuMemAllocManaged",
          "allocating " + std::to_string(sizeBytes) + " bytes");
  } else {
    check(d.cuMemAlloc(&p, sizeBytes), "cuMemAlloc", "allocating " + std::to_string(sizeBytes) + " bytes");
  }
  return reinterpret_cast<void*>(static_cast<std::uintptr_t>(p));
}

void mgpuMemFree(void* ptr, CUstream /*stream*/) {
  if (ptr != nullptr) MLC_CU(cuMemFree, (dptr(ptr)));
}

void mgpuMemcpy(void* dst, void* src, size_t sizeBytes, CUstream stream) {
  MLC_CU(cuMemcpyAsync, (dptr(dst), dptr(src), sizeBytes, stream));
}

void mgpuMemset32(void* dst, unsigned int value, size_t count, CUstream stream) {
  MLC_CU(cuMemsetD32Async, (dptr(dst), value, count, stream));
}

void mgpuMemset16(void* dst, unsigned short value, size_t count, CUstream stream) {
  MLC_CU(cuMemsetD16Async, (dptr(dst), value, count, stream));
}

void mgpuSetDefaultDevice(int32_t device) { set_default_device(device); }

void mgpuMemHostRegister(void* ptr, uint64_t sizeBytes) { MLC_CU(cuMemHostRegister, (ptr, sizeBytes, 0)); }
void mgpuMemHostUnregister(void* ptr) { MLC_CU(cuMemHostUnregister, (ptr)); }

void mgpuMemHostRegisterMemRef(int64_t rank, void* descriptor, int64_t elementSizeBytes) {
  MemRefRange r = dense_range(rank, descriptor, elementSizeBytes, "mgpuMemHostRegisterMemRef");
  mgpuMemHostRegister(r.begin, r.bytes);
}

void mgpuMemHostUnregisterMemRef(int64_t rank, void* descriptor, int64_t elementSizeBytes) {
  MemRefRange r = dense_range(rank, descriptor, elementSizeBytes, "mgpuMemHostUnregisterMemRef");
  mgpuMemHostUnregister(r.begin);
}

}  // extern "C"
