// The choice of Memory implementation for a model's target.
#include "core/memory.h"

#include "cuda/cuda_memory.h"
#include "core/host_memory.h"

namespace mlc {

std::unique_ptr<Memory> make_memory(Target target) {
  switch (target) {
    case Target::Cuda:
      return cuda::make_cuda_memory();
    case Target::Cpu:
      break;
  }
  return std::make_unique<HostMemory>();
}

}  // namespace mlc
