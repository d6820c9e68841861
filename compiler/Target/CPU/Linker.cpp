// Links a model object with the mlc runtime into a standalone trainer executable.
#include "compiler/Target/CPU/Emit.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

using namespace mlir;

namespace {

/// The runtime archive: <dir of mlc>/../lib/libmlc_runtime.a (the build tree's layout).
std::string findRuntimeArchive() {
  static int anchor;
  std::string exe = llvm::sys::fs::getMainExecutable(nullptr, &anchor);
  llvm::SmallString<256> path(llvm::sys::path::parent_path(llvm::sys::path::parent_path(exe)));
  llvm::sys::path::append(path, "lib", "libmlc_runtime.a");
  return std::string(path);
}

} // namespace

LogicalResult mlc::linkRelocatable(llvm::ArrayRef<std::string> objects, llvm::StringRef outputPath,
                                   std::string &error) {
  auto linker = llvm::sys::findProgramByName("clang++-19");
  if (!linker) {
    error = "clang++-19 not found: it links objects (apt-get install clang-19)";
    return failure();
  }
  std::string out = outputPath.str();
  llvm::SmallVector<llvm::StringRef> args{*linker, "-r", "-nostdlib", "-o", out};
  for (const std::string &o : objects)
    args.push_back(o);
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(*linker, args, std::nullopt, {}, 0, 0, &message);
  if (rc != 0) {
    error = "linking '" + out + "' failed" + (message.empty() ? "" : ": " + message);
    return failure();
  }
  return success();
}

LogicalResult mlc::linkTrainer(llvm::StringRef objectPath, llvm::StringRef outputPath,
                               std::string &error) {
  std::string runtime = findRuntimeArchive();
  if (!llvm::sys::fs::exists(runtime)) {
    error = "mlc runtime not found at '" + runtime + "'";
    return failure();
  }
  // clang++ knows where Debian's LLVM libomp lives (-fopenmp=libomp); g++ would pick libgomp,
  // which lacks the __kmpc entry points the generated code calls.
  auto linker = llvm::sys::findProgramByName("clang++-19");
  if (!linker) {
    error = "clang++-19 not found: it links trainers (apt-get install clang-19)";
    return failure();
  }
  std::string out = outputPath.str(), obj = objectPath.str();
  llvm::SmallVector<llvm::StringRef> args{*linker, obj,  runtime, "-lz", "-lm",
                                          "-fopenmp=libomp", "-o", out};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(*linker, args, std::nullopt, {}, 0, 0, &message);
  if (rc != 0) {
    error = "linking '" + out + "' failed" + (message.empty() ? "" : ": " + message);
    return failure();
  }
  return success();
}
