// The exception type every runtime failure is reported with; its message is one line, no "error: " prefix.
#ifndef MLC_RUNTIME_ERROR_H
#define MLC_RUNTIME_ERROR_H

#include <stdexcept>
#include <string>

namespace mlc {

// One type for all user-facing failures so the driver can print them uniformly and exit non-zero;
// anything else that escapes (e.g. std::bad_alloc) is a different kind of problem.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace mlc

#endif  // MLC_RUNTIME_ERROR_H
