// Wall time of each phase of `mlc compile` (import, each stage, translation, LLVM, link), printed
// under --time-passes after MLIR's and LLVM's own per-pass tables.
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace mlc {

class PhaseTimes {
public:
  /// Ends the running phase (if any) and starts `name`.
  void start(llvm::StringRef name) {
    stop();
    current = name.str();
    began = std::chrono::steady_clock::now();
  }
  /// Ends the running phase.
  void stop() {
    if (current.empty())
      return;
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    phases.emplace_back(std::move(current), s);
    current.clear();
  }
  /// One line per phase and the total, in seconds of wall time.
  void print(llvm::raw_ostream &os) {
    stop();
    double total = 0;
    for (auto &p : phases)
      total += p.second;
    os << "===-------------------------------------------------------------------------===\n"
       << "                         mlc compile: wall time per phase\n"
       << "===-------------------------------------------------------------------------===\n";
    for (auto &p : phases)
      os << llvm::format("  %8.3f s (%5.1f%%)  ", p.second, total > 0 ? 100 * p.second / total : 0.0) << p.first
         << "\n";
    os << llvm::format("  %8.3f s (100.0%%)  total\n", total);
  }

private:
  std::vector<std::pair<std::string, double>> phases;
  std::string current;
  std::chrono::steady_clock::time_point began;
};

} // namespace mlc
