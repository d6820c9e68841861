// libFuzzer target: arbitrary bytes as a trainer's command line (NUL- or newline-separated
// arguments) through the flag parser, and its canonical text back through the checkpoint's flag
// reader: mlc::Error or a parsed result, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "train/cli.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> args{"trainer"};
  std::string current;
  for (std::size_t i = 0; i < size; ++i) {
    char c = static_cast<char>(data[i]);
    if (c == '\0' || c == '\n') {
      args.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) args.push_back(current);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  try {
    std::vector<mlc::Flag> flags = mlc::tokenize_cli(static_cast<int>(argv.size()), argv.data());
    mlc::Options o = mlc::apply_flags(flags);
    (void)o;
    (void)mlc::parse_flags_text(mlc::flags_text(mlc::run_flags(flags)));
  } catch (const mlc::Error&) {
  }
  try {
    (void)mlc::parse_flags_text(std::string(reinterpret_cast<const char*>(data), size));
  } catch (const mlc::Error&) {
  }
  return 0;
}
