// An owning, zero-initialized heap buffer aligned to MLC_BUFFER_ALIGNMENT, as the step functions require.
#ifndef MLC_RUNTIME_ALIGNED_BUFFER_H
#define MLC_RUNTIME_ALIGNED_BUFFER_H

#include <cstddef>

namespace mlc {

class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  // Even a 0-byte request gets a real allocation: the ABI passes a non-null pointer for every argument.
  explicit AlignedBuffer(std::size_t bytes);
  ~AlignedBuffer();
  AlignedBuffer(AlignedBuffer&& other) noexcept;
  AlignedBuffer& operator=(AlignedBuffer&& other) noexcept;
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;

  void* data() const { return data_; }
  template <typename T>
  T* as() const { return static_cast<T*>(data_); }
  std::size_t size() const { return bytes_; }

 private:
  void* data_ = nullptr;
  std::size_t bytes_ = 0;
};

}  // namespace mlc

#endif  // MLC_RUNTIME_ALIGNED_BUFFER_H
