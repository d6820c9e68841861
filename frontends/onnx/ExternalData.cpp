// Loading ONNX tensors stored as external data (files beside the model), confined to the model's directory.
#include "frontends/onnx/ExternalData.h"
#include "frontends/onnx/NodeImporter.h"
#include "frontends/onnx/Tensors.h"
#include "frontends/onnx/Validate.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <sstream>

using namespace mlc::onnx_import;

namespace {

/// A decimal byte count (digits only, within int64), or -1.
int64_t parseByteCount(const std::string &s) {
  if (s.empty() || s.size() > 19)
    return -1;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9' || __builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, c - '0', &v))
      return -1;
  }
  return v;
}

/// The canonical absolute form of `path` (symbolic links resolved), or "" when it does not exist.
std::string canonical(const std::string &path) {
  char buf[PATH_MAX];
  return ::realpath(path.c_str(), buf) ? std::string(buf) : std::string();
}

class ExternalReader {
public:
  explicit ExternalReader(const std::string &modelDir) : dir(modelDir.empty() ? "." : modelDir) {}

  void load(onnx::TensorProto &t, const std::string &what) {
    std::string location, offsetText, lengthText;
    bool hasOffset = false, hasLength = false;
    for (const auto &entry : t.external_data()) {
      if (entry.key() == "location")
        location = entry.value();
      else if (entry.key() == "offset")
        offsetText = entry.value(), hasOffset = true;
      else if (entry.key() == "length")
        lengthText = entry.value(), hasLength = true;
    }
    const std::string culprit = what + " '" + t.name() + "'";
    if (location.empty())
      throw ImportError{culprit + " is external data without a 'location'"};
    const std::string shown = "external data '" + location + "'";
    if (location.find('\0') != std::string::npos || location.front() == '/')
      throw ImportError{culprit + ": " + shown + " must be a path relative to the model's directory"};
    std::istringstream parts(location);
    for (std::string part; std::getline(parts, part, '/');)
      if (part == "..")
        throw ImportError{culprit + ": " + shown + " leaves the model's directory ('..' is refused)"};

    int64_t offset = hasOffset ? parseByteCount(offsetText) : 0;
    if (offset < 0)
      throw ImportError{culprit + ": " + shown + " has offset '" + offsetText + "', not a byte count"};
    int64_t length = hasLength ? parseByteCount(lengthText) : -1;
    if (hasLength && length < 0)
      throw ImportError{culprit + ": " + shown + " has length '" + lengthText + "', not a byte count"};
    int64_t elemBytes = elementBytes(t.data_type());
    if (elemBytes == 0)
      throw ImportError{culprit + ": element type " + std::to_string(t.data_type()) +
                        " cannot be read from external data"};
    int64_t bytes = elemBytes;
    for (int64_t d : t.dims())
      if (d < 0 || __builtin_mul_overflow(bytes, d, &bytes))
        throw ImportError{culprit + " has a negative dimension or more bytes than int64 counts"};
    if (hasLength && length != bytes)
      throw ImportError{culprit + ": " + shown + " declares " + std::to_string(length) +
                        " bytes; its dims and type need " + std::to_string(bytes)};

    // Confinement: the file, symbolic links resolved, must lie inside the model's directory.
    std::string root = canonical(dir);
    std::string file = canonical(dir + "/" + location);
    if (root.empty() || file.empty())
      throw ImportError{culprit + ": " + shown + " not found beside the model (in '" + dir + "')"};
    if (file.compare(0, root.size() + 1, root + "/") != 0)
      throw ImportError{culprit + ": " + shown + " leaves the model's directory through a symbolic link"};
    struct stat st;
    if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
      throw ImportError{culprit + ": " + shown + " is not a regular file"};
    int64_t end;
    if (__builtin_add_overflow(offset, bytes, &end) || end > static_cast<int64_t>(st.st_size))
      throw ImportError{culprit + ": " + shown + " has " + std::to_string(st.st_size) + " bytes; the tensor needs " +
                        std::to_string(bytes) + " from offset " + std::to_string(offset)};

    // Only now, with the size known to be in the file, is memory taken for it.
    std::string data(static_cast<size_t>(bytes), '\0');
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      throw ImportError{culprit + ": cannot open " + shown + ": " + std::strerror(errno)};
    int64_t done = 0;
    while (done < bytes) {
      ssize_t n = ::pread(fd, &data[done], static_cast<size_t>(bytes - done), offset + done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0) {
        ::close(fd);
        throw ImportError{culprit + ": reading " + shown + " failed after " + std::to_string(done) + " bytes"};
      }
      done += n;
    }
    ::close(fd);
    t.clear_external_data();
    t.clear_data_location();
    t.set_raw_data(std::move(data));
  }

private:
  std::string dir;
};

bool isExternal(const onnx::TensorProto &t) {
  return t.has_data_location() && t.data_location() == onnx::TensorProto::EXTERNAL;
}

} // namespace

void mlc::onnx_import::loadExternalData(onnx::ModelProto &model, const std::string &modelDir) {
  ExternalReader reader(modelDir);
  onnx::GraphProto *graph = model.mutable_graph();
  for (auto &t : *graph->mutable_initializer())
    if (isExternal(t))
      reader.load(t, "initializer");
  for (auto &node : *graph->mutable_node())
    for (auto &a : *node.mutable_attribute())
      if (a.has_t() && isExternal(a.t()))
        reader.load(*a.mutable_t(), nodeLabel(node) + ": tensor");
}
