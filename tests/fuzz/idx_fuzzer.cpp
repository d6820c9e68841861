// libFuzzer target: arbitrary bytes as an IDX file (raw, or gzip when they start like one) through the
// reader, at every expected rank the trainer asks for. Only mlc::Error may come out; a forged header
// must not make it allocate more than the bytes present allow.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "core/error.h"
#include "data/idx_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The reader takes a path (it detects gzip from the content): one file per fuzzing process.
  static const std::string path = "/tmp/mlc_idx_fuzz_" + std::to_string(getpid());
  if (FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
  }
  for (unsigned rank : {0u, 1u, 3u}) {
    try {
      mlc::IdxArray a = mlc::read_idx(path, rank);
      for (std::size_t i = 0; i < a.size() && i < 64; ++i) (void)a.value(i);
    } catch (const mlc::Error&) {
    }
  }
  return 0;
}
