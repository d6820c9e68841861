// Loads and validates an MNIST-layout directory of IDX files into float images and int32 labels.
#ifndef MLC_RUNTIME_DATASET_H
#define MLC_RUNTIME_DATASET_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mlc {

struct Split {
  std::size_t count = 0;        // number of samples
  std::size_t pixels = 0;       // values per sample
  std::vector<float> images;    // count * pixels, each byte / 255
  std::vector<std::int32_t> labels;  // count class indices

  // Keeps only the first `n` samples (no-op if there are fewer).
  void truncate(std::size_t n);
};

struct Dataset {
  Split train;
  Split test;
};

// Reads one images/labels file pair and checks it against the model: equal counts, `pixels` values
// per image, labels < `classes`. Errors name the offending file.
Split load_split(const std::string& images_path, const std::string& labels_path, std::size_t pixels,
                 std::size_t classes);

// Returns dir/name if it exists, else dir/name.gz if that exists; otherwise throws naming both.
std::string find_idx_file(const std::string& dir, const std::string& name);

// Loads train-{images-idx3,labels-idx1}-ubyte and t10k-... (each raw or .gz) from `dir`.
Dataset load_dataset(const std::string& dir, std::size_t pixels, std::size_t classes);

}  // namespace mlc

#endif  // MLC_RUNTIME_DATASET_H
