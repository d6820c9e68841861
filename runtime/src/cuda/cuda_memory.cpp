// Device buffers and pinned staging buffers for the CUDA target, all freed with the Memory object.
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

  // From pinned memory cuMemcpyHtoD is synchronous with the host, so the copy is complete before a step
  // (whose kernels run on their own non-blocking streams) starts; cuMemcpyDtoH always is.
  void upload(const Staged& b) override {
    if (b.bytes != 0) MLC_CU(cuMemcpyHtoD, (dptr(b.device), b.host, b.bytes));
  }
  void download(const Staged& b) override {
    if (b.bytes != 0) MLC_CU(cuMemcpyDtoH, (b.host, dptr(b.device), b.bytes));
  }

  void synchronize() override { MLC_CU(cuCtxSynchronize, ()); }

  std::string description() const override {
    return device_name() + " (CUDA device " + std::to_string(device_ordinal()) + ")";
  }

 private:
  std::vector<CUdeviceptr> device_;
  std::vector<void*> pinned_;
};

}  // namespace

std::unique_ptr<Memory> make_cuda_memory() { return std::make_unique<CudaMemory>(); }

}  // namespace mlc::cuda
