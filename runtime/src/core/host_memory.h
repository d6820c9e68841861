// Memory for the CPU target: step buffers are aligned host memory and staging is the buffer itself.
#ifndef MLC_RUNTIME_HOST_MEMORY_H
#define MLC_RUNTIME_HOST_MEMORY_H

#include <vector>

#include "core/aligned_buffer.h"
#include "core/memory.h"

namespace mlc {

class HostMemory final : public Memory {
 public:
  void* alloc(std::size_t bytes) override;
  Staged alloc_staged(std::size_t bytes) override;
  void copy_to_device(void* device, const void* host, std::size_t bytes) override;
  void copy_to_host(void* host, const void* device, std::size_t bytes) override;
  void upload(const Staged&) override {}
  void download(const Staged&) override {}
  void synchronize() override {}
  std::string description() const override { return std::string(); }

 private:
  std::vector<AlignedBuffer> buffers_;
};

}  // namespace mlc

#endif  // MLC_RUNTIME_HOST_MEMORY_H
