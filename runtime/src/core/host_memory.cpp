// Host memory for the CPU target: AlignedBuffers that the step functions read and write directly.
#include "core/host_memory.h"

#include <cstring>

namespace mlc {

void* HostMemory::alloc(std::size_t bytes) {
  buffers_.emplace_back(bytes);
  return buffers_.back().data();
}

Staged HostMemory::alloc_staged(std::size_t bytes) {
  void* p = alloc(bytes);
  return Staged{p, p, bytes};
}

void HostMemory::copy_to_device(void* device, const void* host, std::size_t bytes) {
  std::memcpy(device, host, bytes);
}

void HostMemory::copy_to_host(void* host, const void* device, std::size_t bytes) {
  std::memcpy(host, device, bytes);
}

}  // namespace mlc
