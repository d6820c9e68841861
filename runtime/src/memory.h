// Where the step functions' buffers live, behind one interface so the training loop has no per-target
// branches. HostMemory (target cpu): ordinary aligned host memory, transfers are no-ops. CudaMemory
// (target cuda, cuda/cuda_memory.h): every step argument in device memory, with pinned host staging
// buffers for what the runtime writes (batches, hypers) and reads back (loss, eval output).
#ifndef MLC_RUNTIME_MEMORY_H
#define MLC_RUNTIME_MEMORY_H

#include <cstddef>
#include <memory>
#include <string>

#include "model_meta.h"

namespace mlc {

// A step argument as both sides see it: `device` goes into the step's args array, `host` is where the
// runtime fills inputs and reads results. With HostMemory both are the same buffer.
struct Staged {
  void* host = nullptr;
  void* device = nullptr;
  std::size_t bytes = 0;

  template <typename T>
  T* host_as() const { return static_cast<T*>(host); }
};

class Memory {
 public:
  virtual ~Memory() = default;

  // A zero-filled buffer for the step functions, MLC_BUFFER_ALIGNMENT aligned, owned by this object.
  // Even 0 bytes gets a real allocation: the ABI passes a non-null pointer for every argument.
  virtual void* alloc(std::size_t bytes) = 0;
  // A zero-filled step buffer together with its host staging buffer (the same buffer for host memory).
  virtual Staged alloc_staged(std::size_t bytes) = 0;
  // Copies host memory into a step buffer (from alloc() or Staged::device).
  virtual void copy_to_device(void* device, const void* host, std::size_t bytes) = 0;
  // Staging transfers of the whole buffer: host -> step buffer before a step, step buffer -> host after.
  // Synchronous today; double buffering would add an asynchronous upload on a copy stream here.
  virtual void upload(const Staged& buffer) = 0;
  virtual void download(const Staged& buffer) = 0;
  // Waits until every buffer written so far holds its value for the step functions.
  virtual void synchronize() = 0;
  // What the step functions run on, for the startup report; empty for host memory.
  virtual std::string description() const = 0;
};

// HostMemory for Target::Cpu (never touches the CUDA driver); CudaMemory for Target::Cuda, which loads
// and initializes the driver or ends the process with a one-line error.
std::unique_ptr<Memory> make_memory(Target target);

}  // namespace mlc

#endif  // MLC_RUNTIME_MEMORY_H
