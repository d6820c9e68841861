// Allocation of the 64-byte aligned buffers handed to the compiled step functions.
#include "core/aligned_buffer.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

#include "mlc_runtime.h"

namespace mlc {

AlignedBuffer::AlignedBuffer(std::size_t bytes) : bytes_(bytes) {
  // aligned_alloc requires the size to be a multiple of the alignment.
  std::size_t rounded = (bytes + MLC_BUFFER_ALIGNMENT - 1) / MLC_BUFFER_ALIGNMENT * MLC_BUFFER_ALIGNMENT;
  if (rounded == 0) rounded = MLC_BUFFER_ALIGNMENT;
  data_ = std::aligned_alloc(MLC_BUFFER_ALIGNMENT, rounded);
  if (data_ == nullptr) throw std::bad_alloc();
  std::memset(data_, 0, rounded);
}

AlignedBuffer::~AlignedBuffer() { std::free(data_); }

AlignedBuffer::AlignedBuffer(AlignedBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}

AlignedBuffer& AlignedBuffer::operator=(AlignedBuffer&& other) noexcept {
  if (this != &other) {
    std::free(data_);
    data_ = std::exchange(other.data_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
  }
  return *this;
}

}  // namespace mlc
