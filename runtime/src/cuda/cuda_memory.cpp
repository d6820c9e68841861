// Device buffers and pinned staging buffers for the CUDA target, all freed with the Memory object, and
// the double-buffered batch uploads (a copy stream and one event per slot).
#include "cuda/cuda_memory.h"

#include <cstdint>
#include <cstring>
#include <vector>

#include "cuda/driver.h"
#include "mlc_runtime.h"

namespace mlc::cuda {
namespace {

CUdeviceptr dptr(const void* p) { return static_cast<CUdeviceptr>(reinterpret_cast<std::uintptr_t>(p)); }

// Whole MLC_BUFFER_ALIGNMENT units, at least one: a non-null pointer even for 0 bytes, and a size
// cuMemsetD32 can clear in 4-byte words.
std::size_t rounded(std::size_t bytes) {
  std::size_t r = (bytes + MLC_BUFFER_ALIGNMENT - 1) / MLC_BUFFER_ALIGNMENT * MLC_BUFFER_ALIGNMENT;
  return r == 0 ? MLC_BUFFER_ALIGNMENT : r;
}

class CudaMemory final : public Memory {
 public:
  CudaMemory() { driver(); }  // fail before anything else if there is no driver or device

  ~CudaMemory() override {
    MLC_CU(cuCtxSynchronize, ());  // nothing may still read or write what is freed below
    for (int slot = 0; slot < kSlots; ++slot) {
      if (execs_[slot] != nullptr) MLC_CU(cuGraphExecDestroy, (execs_[slot]));
      if (graphs_[slot] != nullptr) MLC_CU(cuGraphDestroy, (graphs_[slot]));
    }
    for (CUevent e : events_) {
      if (e != nullptr) MLC_CU(cuEventDestroy, (e));
    }
    if (copy_stream_ != nullptr) MLC_CU(cuStreamDestroy, (copy_stream_));
    for (CUdeviceptr p : device_) MLC_CU(cuMemFree, (p));
    for (void* p : pinned_) MLC_CU(cuMemFreeHost, (p));
  }

  // cuMemAlloc memory is 256-byte aligned, beyond MLC_BUFFER_ALIGNMENT. It is cleared with cuMemsetD32,
  // which is asynchronous: synchronize() before a step reads it.
  void* alloc(std::size_t bytes) override {
    const std::size_t size = rounded(bytes);
    CUdeviceptr p = 0;
    check(driver().cuMemAlloc(&p, size), "cuMemAlloc", "allocating " + std::to_string(size) + " bytes");
    device_.push_back(p);
    MLC_CU(cuMemsetD32, (p, 0u, size / 4));
    return reinterpret_cast<void*>(static_cast<std::uintptr_t>(p));
  }

  Staged alloc_staged(std::size_t bytes) override {
    const std::size_t size = rounded(bytes);
    void* host = nullptr;
    check(driver().cuMemHostAlloc(&host, size, 0), "cuMemHostAlloc",
          "allocating " + std::to_string(size) + " bytes of pinned host memory");
    pinned_.push_back(host);
    std::memset(host, 0, size);
    return Staged{host, alloc(bytes), bytes};
  }

  void copy_to_device(void* device, const void* host, std::size_t bytes) override {
    if (bytes != 0) MLC_CU(cuMemcpyHtoD, (dptr(device), host, bytes));
  }

  // Every step has finished its device work when it returns (mlc_runtime.h), so this reads final values.
  void copy_to_host(void* host, const void* device, std::size_t bytes) override {
    if (bytes != 0) MLC_CU(cuMemcpyDtoH, (host, dptr(device), bytes));
  }

  // From pinned memory cuMemcpyHtoD is synchronous with the host, so the copy is complete before a step
  // (whose kernels run on their own non-blocking streams) starts; cuMemcpyDtoH always is.
  void upload(const Staged& b) override {
    if (b.bytes != 0) MLC_CU(cuMemcpyHtoD, (dptr(b.device), b.host, b.bytes));
  }
  void download(const Staged& b) override {
    if (b.bytes != 0) MLC_CU(cuMemcpyDtoH, (b.host, dptr(b.device), b.bytes));
  }

  void synchronize() override { MLC_CU(cuCtxSynchronize, ()); }

  // Double buffering: while a step runs on the compute stream, the next batch is copied on copy_stream_
  // from the other slot's pinned buffers into the other slot's device buffers. events_[slot] completes
  // with the slot's last copies: the compute stream waits on it before the step that reads them, and the
  // host before it overwrites the slot's pinned buffers.
  int upload_slots() const override { return kSlots; }

  void begin_refill(int slot) override {
    if (recorded_[slot]) MLC_CU(cuEventSynchronize, (events_[slot]));
  }

  void upload_async(const Staged& b, int slot) override {
    (void)slot;
    if (b.bytes != 0) MLC_CU(cuMemcpyHtoDAsync, (dptr(b.device), b.host, b.bytes, copy_stream()));
  }

  void end_refill(int slot) override {
    MLC_CU(cuEventRecord, (event(slot), copy_stream()));
    recorded_[slot] = true;
  }

  void wait_uploads(int slot) override {
    if (recorded_[slot]) MLC_CU(cuStreamWaitEvent, (compute_stream(), events_[slot], 0));
  }

  bool supports_graphs() const override { return true; }

  void begin_capture() override { ::mlc::cuda::begin_capture(compute_stream()); }

  void end_capture(int slot) override {
    CUstream s = compute_stream();
    CUgraph graph = ::mlc::cuda::end_capture(s);
    CUgraphExec exec = nullptr;
    MLC_CU(cuGraphInstantiate, (&exec, graph, 0));
    if (execs_[slot] != nullptr) MLC_CU(cuGraphExecDestroy, (execs_[slot]));
    if (graphs_[slot] != nullptr) MLC_CU(cuGraphDestroy, (graphs_[slot]));
    graphs_[slot] = graph;
    execs_[slot] = exec;
    launch_graph(slot);  // the captured step was recorded, not run
  }

  bool has_graph(int slot) const override { return execs_[slot] != nullptr; }

  void launch_graph(int slot) override {
    CUstream s = compute_stream();
    MLC_CU(cuGraphLaunch, (execs_[slot], s));
    MLC_CU(cuStreamSynchronize, (s));
  }

  std::string description() const override {
    return device_name() + " (CUDA device " + std::to_string(device_ordinal()) + ")";
  }

 private:
  static constexpr int kSlots = 2;

  CUstream copy_stream() {
    if (copy_stream_ == nullptr) MLC_CU(cuStreamCreate, (&copy_stream_, CU_STREAM_NON_BLOCKING));
    return copy_stream_;
  }
  CUevent event(int slot) {
    if (events_[slot] == nullptr) MLC_CU(cuEventCreate, (&events_[slot], CU_EVENT_DISABLE_TIMING));
    return events_[slot];
  }

  CUstream copy_stream_ = nullptr;  // our own, not from the mgpu* pool: no step ever gets it
  CUevent events_[kSlots] = {nullptr, nullptr};
  bool recorded_[kSlots] = {false, false};
  CUgraph graphs_[kSlots] = {nullptr, nullptr};  // --cuda-graph: each slot's captured train step
  CUgraphExec execs_[kSlots] = {nullptr, nullptr};
  std::vector<CUdeviceptr> device_;
  std::vector<void*> pinned_;
};

}  // namespace

std::unique_ptr<Memory> make_cuda_memory() { return std::make_unique<CudaMemory>(); }

}  // namespace mlc::cuda
