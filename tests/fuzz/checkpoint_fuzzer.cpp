// libFuzzer target: checkpoint bytes through the container reader, then the run state and flags
// sections through their parsers, as --resume reads them. Only mlc::Error may come out.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "state/checkpoint_file.h"
#include "state/key_values.h"
#include "train/cli.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    mlc::Checkpoint ck = mlc::parse_checkpoint(std::vector<char>(data, data + size), "fuzz");
    for (const std::string& name : ck.names()) {
      try {
        mlc::KeyValues kv(ck.text(name), "fuzz");
        kv.get_u64("step");
        kv.get_double("epoch_loss_sum");
        kv.get_bool("has_best");
      } catch (const mlc::Error&) {
      }
      try {
        mlc::apply_flags(mlc::parse_flags_text(ck.text(name)));
      } catch (const mlc::Error&) {
      }
      try {
        std::vector<float> values(4);
        ck.floats(name, values.data(), values.size());
      } catch (const mlc::Error&) {
      }
    }
  } catch (const mlc::Error&) {
  }
  return 0;
}
