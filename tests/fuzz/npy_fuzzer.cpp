// libFuzzer target: arbitrary bytes through the .npy parser and the .npz (zip + deflate) parser, with a
// small size limit so a forged uncompressed size cannot make it allocate much. Only mlc::Error may
// come out.
#include <cstddef>
#include <cstdint>

#include "core/error.h"
#include "data/npy_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    mlc::NpyArray a = mlc::parse_npy(data, size, "fuzz");
    a.to_float();
  } catch (const mlc::Error&) {
  }
  try {
    mlc::parse_npz(data, size, "fuzz", 1 << 20);
  } catch (const mlc::Error&) {
  }
  return 0;
}
