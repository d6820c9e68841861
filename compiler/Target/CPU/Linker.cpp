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

/// Runs clang++-19 with `args` (after the program name) to write `out`.
static LogicalResult runClang(llvm::ArrayRef<std::string> args, llvm::StringRef out, std::string &error) {
  auto clang = llvm::sys::findProgramByName("clang++-19");
  if (!clang) {
    error = "clang++-19 not found: it links trainers and objects (apt-get install clang-19)";
    return failure();
  }
  llvm::SmallVector<llvm::StringRef> argv{*clang};
  argv.append(args.begin(), args.end());
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(*clang, argv, std::nullopt, {}, 0, 0, &message);
  if (rc != 0) {
    error = "linking '" + out.str() + "' failed" + (message.empty() ? "" : ": " + message);
    return failure();
  }
  return success();
}

LogicalResult mlc::linkRelocatable(llvm::ArrayRef<std::string> objects, llvm::StringRef outputPath,
                                   std::string &error) {
  std::vector<std::string> args{"-r", "-nostdlib", "-o", outputPath.str()};
  args.insert(args.end(), objects.begin(), objects.end());
  return runClang(args, outputPath, error);
}

LogicalResult mlc::linkTrainer(llvm::ArrayRef<std::string> objects, llvm::StringRef outputPath,
                               std::string &error) {
  std::string runtime = findRuntimeArchive();
  if (!llvm::sys::fs::exists(runtime)) {
    error = "mlc runtime not found at '" + runtime + "'";
    return failure();
  }
  // clang++ knows where Debian's LLVM libomp lives (-fopenmp=libomp); g++ would pick libgomp,
  // which lacks the __kmpc entry points the generated code calls.
  std::vector<std::string> args(objects.begin(), objects.end());
  args.insert(args.end(), {runtime, "-lz", "-lm", "-fopenmp=libomp", "-o", outputPath.str()});
  // LLVM's linker when it is there (tools/setup.sh installs lld-19): 0.30 s against GNU ld's
  // 0.48 s for the CNN's trainer, most of it the 13 MB of initial parameters.
  if (llvm::sys::findProgramByName("ld.lld-19"))
    args.push_back("-fuse-ld=lld");
#ifdef MLC_TRAINER_SANITIZE_FLAG
  args.push_back(MLC_TRAINER_SANITIZE_FLAG);
#endif
  return runClang(args, outputPath, error);
}
