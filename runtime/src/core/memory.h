// Where the step functions' buffers live, behind one interface so the training loop has no per-target
// branches. HostMemory (target cpu): ordinary aligned host memory, transfers are no-ops. CudaMemory
// (target cuda, cuda/cuda_memory.h): every step argument in device memory, with pinned host staging
// buffers for what the runtime writes (batches, hypers) and reads back (loss, eval output).
#ifndef MLC_RUNTIME_MEMORY_H
#define MLC_RUNTIME_MEMORY_H

#include <cstddef>
#include <memory>
#include <string>

#include "core/model_meta.h"

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
  // Copies a step buffer back into host memory (checkpoints, export); synchronous.
  virtual void copy_to_host(void* host, const void* device, std::size_t bytes) = 0;
  // Staging transfers of the whole buffer: host -> step buffer before a step, step buffer -> host after.
  // Synchronous with the host (complete on return).
  virtual void upload(const Staged& buffer) = 0;
  virtual void download(const Staged& buffer) = 0;

  // Asynchronous batch uploads through `upload_slots()` alternating slots (double buffering on CUDA,
  // where a slot is a pair of staged buffers, a copy stream and one event per slot). Per batch:
  //   begin_refill(slot)     waits until the slot's previous uploads have read its host buffers, so the
  //                          host may overwrite them;
  //   upload_async(b, slot)  enqueues the copy of b (a staged buffer of that slot) on the copy stream;
  //   end_refill(slot)       marks the end of the slot's uploads (records its event);
  //   wait_uploads(slot)     makes the compute stream (mlc_runtime.h) wait for them: the next step that
  //                          runs on it sees the uploaded data.
  // HostMemory has one slot and does nothing here (its step buffers are the host buffers).
  virtual int upload_slots() const { return 1; }
  virtual void begin_refill(int /*slot*/) {}
  virtual void upload_async(const Staged& buffer, int /*slot*/) { upload(buffer); }
  virtual void end_refill(int /*slot*/) {}
  virtual void wait_uploads(int /*slot*/) {}
  // CUDA graphs of train steps (--cuda-graph, mlc_runtime.h), one per upload slot. HostMemory has none
  // (supports_graphs() is false) and never gets the other calls.
  //   begin_capture()        starts capturing the compute stream; the train step called next is recorded,
  //                          not run (its stream synchronizations are skipped);
  //   end_capture(slot)      ends the capture, instantiates it as the slot's graph, launches it once on
  //                          the compute stream and waits for it: the captured step has run on return;
  //   has_graph(slot)        whether end_capture made one for the slot;
  //   launch_graph(slot)     runs the slot's graph on the compute stream (after the waits enqueued there,
  //                          e.g. by wait_uploads) and waits for it: a step, without calling train_step.
  // The graphs are destroyed with the Memory object.
  virtual bool supports_graphs() const { return false; }
  virtual void begin_capture() {}
  virtual void end_capture(int /*slot*/) {}
  virtual bool has_graph(int /*slot*/) const { return false; }
  virtual void launch_graph(int /*slot*/) {}
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
