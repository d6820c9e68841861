// Memory for the CUDA target: step buffers in device memory (cuMemAlloc), staging in pinned host memory
// (cuMemHostAlloc), synchronous copies between them, and asynchronous batch uploads on a copy stream
// ordered before the steps through events waited on by the compute stream (memory.h, mlc_runtime.h).
#ifndef MLC_RUNTIME_CUDA_CUDA_MEMORY_H
#define MLC_RUNTIME_CUDA_CUDA_MEMORY_H

#include <memory>

#include "core/memory.h"

namespace mlc::cuda {

// Loads and initializes the driver (cuda/driver.h), ending the process with one error line if it cannot.
std::unique_ptr<Memory> make_cuda_memory();

}  // namespace mlc::cuda

#endif  // MLC_RUNTIME_CUDA_CUDA_MEMORY_H
