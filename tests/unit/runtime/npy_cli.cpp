// Prints what the runtime's .npy/.npz reader makes of a file: "NAME DTYPE SHAPE SUM" per array, or one
// error line and exit status 1. Used by tests/e2e/npy_numpy.test with files NumPy wrote.
#include <cstdio>

#include "core/error.h"
#include "data/npy_reader.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: npy_cli FILE.npy|FILE.npz\n");
    return 2;
  }
  try {
    for (const auto& [name, a] : mlc::read_npy_file(argv[1])) {
      std::string shape;
      for (std::size_t d : a.shape) shape += (shape.empty() ? "" : "x") + std::to_string(d);
      double sum = 0;
      for (std::size_t i = 0; i < a.size(); ++i) sum += a.value(i);
      std::printf("%s %s %s %.17g\n", name.empty() ? "-" : name.c_str(), mlc::npy_type_name(a.type),
                  shape.empty() ? "scalar" : shape.c_str(), sum);
    }
    return 0;
  } catch (const mlc::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
