// mlc-gradcheck: checks reverse-mode gradients against central finite differences, by compiling
// each function of a .mlir file and its autodiff gradient through the CPU pipeline and running both.
//
// Every public function must return one rank-0 float tensor. Float arguments are filled with
// seeded random values of magnitude in [0.1, 1] (in [0.5, 2] with {mlc.positive}); integer
// arguments with values in [0, N) for {mlc.range = N}. Use f64 where the ops allow it.
//
// An .onnx input is imported whole (every graph input an argument) as the function @forward, whose
// one output must be a scalar. With --data-dir, argument i of @f is read from DIR/f.arg<i>.bin when
// that file exists (raw little-endian values), and the value and gradients are written back as
// DIR/f.value.bin and DIR/f.grad<i>.bin: an outside reference (PyTorch) can check the same numbers.
#include "compiler/Autodiff/Passes.h"
#include "compiler/Graph/Passes.h"
#include "compiler/InitAll.h"
#include "compiler/Target/CPU/Jit.h"
#include "frontends/onnx/Importer.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"

#include <cmath>
#include <fstream>
#include <random>

using namespace mlir;
namespace cl = llvm::cl;

namespace {

cl::opt<std::string> inputPath(cl::Positional, cl::desc("<file.mlir | model.onnx>"), cl::Required);
cl::opt<std::string> dataDir("data-dir",
                             cl::desc("Read arguments from DIR/<func>.arg<i>.bin where present; write "
                                      "DIR/<func>.value.bin and DIR/<func>.grad<i>.bin"),
                             cl::init(""));
cl::opt<unsigned> maxChecks("max-checks", cl::desc("Finite-difference probes per argument"),
                            cl::init(12));
cl::opt<double> rtol("rtol", cl::desc("Relative tolerance"), cl::init(1e-6));
cl::opt<double> atol("atol", cl::desc("Absolute tolerance"), cl::init(1e-9));
cl::opt<mlc::ConvAlgorithm> convAlgorithm(
    "conv", cl::desc("ONNX input: how dense 3x3 stride-1 convolutions are built"),
    cl::values(clEnumValN(mlc::ConvAlgorithm::Auto, "auto", "by the cost model"),
               clEnumValN(mlc::ConvAlgorithm::Im2Col, "im2col", "windows times filters"),
               clEnumValN(mlc::ConvAlgorithm::Winograd, "winograd", "Winograd wherever it applies")),
    cl::init(mlc::ConvAlgorithm::Auto));
cl::opt<std::string> targetName(
    "target",
    cl::desc("cpu, or cuda-emulated: the CUDA pipeline's kernels (schedule, bufferize and kernel "
             "stages) run on the host as loops, checking their numerics without a GPU"),
    cl::init("cpu"));

/// One buffer per argument, as raw bytes, with the element type's width.
struct Buffer {
  std::vector<uint8_t> bytes;
  bool isF64 = false, isFloat = false;
  int64_t numel = 0;
  int64_t width = 4; // bytes per element
  double get(int64_t i) const {
    return isF64 ? reinterpret_cast<const double *>(bytes.data())[i]
                 : reinterpret_cast<const float *>(bytes.data())[i];
  }
  void set(int64_t i, double v) {
    if (isF64)
      reinterpret_cast<double *>(bytes.data())[i] = v;
    else
      reinterpret_cast<float *>(bytes.data())[i] = static_cast<float>(v);
  }
};

Buffer makeBuffer(Type type) {
  auto shaped = cast<ShapedType>(type);
  Buffer b;
  b.numel = shaped.getNumElements();
  b.isFloat = isa<FloatType>(shaped.getElementType());
  b.isF64 = shaped.getElementType().isF64();
  b.width = (shaped.getElementTypeBitWidth() + 7) / 8;
  b.bytes.assign(std::max<int64_t>(b.numel * b.width, 8), 0);
  return b;
}

std::string dataPath(const std::string &func, const std::string &what) {
  return dataDir + "/" + func + "." + what + ".bin";
}

/// Fills `b` from `path` if the file exists; false (with `error`) if it exists with the wrong size.
bool readIfPresent(const std::string &path, Buffer &b, std::string &error) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in)
    return true;
  auto size = static_cast<int64_t>(in.tellg());
  int64_t want = b.numel * b.width;
  if (size != want) {
    error = path + ": " + std::to_string(size) + " bytes, expected " + std::to_string(want);
    return false;
  }
  in.seekg(0);
  in.read(reinterpret_cast<char *>(b.bytes.data()), size);
  return true;
}

void write(const std::string &path, const Buffer &b) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char *>(b.bytes.data()), b.numel * b.width);
}

struct Function {
  std::string name;
  SmallVector<Type> argTypes;
  SmallVector<DictionaryAttr> argAttrs;
  Type resultType;
};

class Checker {
public:
  Checker(mlc::JitModule &jit) : jit(jit) {}

  /// Calls mlc_<name>(args..., outs..., workspace).
  void call(const std::string &name, std::vector<Buffer> &args, std::vector<Buffer> &outs) {
    std::vector<void *> ptrs;
    for (Buffer &b : args)
      ptrs.push_back(b.bytes.data());
    for (Buffer &b : outs)
      ptrs.push_back(b.bytes.data());
    jit.call(name, ptrs);
  }

  bool check(const Function &f, std::mt19937_64 &rng) {
    std::vector<Buffer> args;
    std::uniform_real_distribution<double> mag(0.1, 1.0), pos(0.5, 2.0);
    for (auto [type, attrs] : llvm::zip(f.argTypes, f.argAttrs)) {
      Buffer b = makeBuffer(type);
      auto range = attrs ? attrs.getAs<IntegerAttr>("mlc.range") : IntegerAttr();
      bool positive = attrs && attrs.get("mlc.positive");
      for (int64_t i = 0; i < b.numel; ++i) {
        if (!b.isFloat) {
          int64_t v = range ? static_cast<int64_t>(rng() % range.getInt()) : 0;
          if (cast<ShapedType>(type).getElementTypeBitWidth() == 64)
            reinterpret_cast<int64_t *>(b.bytes.data())[i] = v;
          else
            reinterpret_cast<int32_t *>(b.bytes.data())[i] = static_cast<int32_t>(v);
          continue;
        }
        // Magnitudes away from 0 keep probes off the kinks of relu and friends.
        double v = positive ? pos(rng) : mag(rng) * ((rng() & 1) ? 1.0 : -1.0);
        b.set(i, v);
      }
      std::string error;
      if (!dataDir.empty() && !readIfPresent(dataPath(f.name, "arg" + std::to_string(args.size())), b, error)) {
        llvm::outs() << "gradcheck @" << f.name << ": FAIL (" << error << ")\n";
        return false;
      }
      args.push_back(std::move(b));
    }

    // Analytic: value, then one gradient per float argument.
    std::vector<Buffer> gradOuts{makeBuffer(f.resultType)};
    for (auto [type, b] : llvm::zip(f.argTypes, args))
      if (b.isFloat)
        gradOuts.push_back(makeBuffer(type));
    call(f.name + "_grad", args, gradOuts);
    if (!dataDir.empty()) {
      write(dataPath(f.name, "value"), gradOuts[0]);
      size_t g = 1;
      for (auto [i, b] : llvm::enumerate(args))
        if (b.isFloat)
          write(dataPath(f.name, "grad" + std::to_string(i)), gradOuts[g++]);
    }

    auto value = [&]() {
      std::vector<Buffer> out{makeBuffer(f.resultType)};
      call(f.name, args, out);
      return out[0].get(0);
    };
    double base = value();
    bool ok = std::abs(base - gradOuts[0].get(0)) <= atol + rtol * std::abs(base);
    double worst = 0;
    int checks = 0;
    size_t g = 1;
    for (Buffer &b : args) {
      if (!b.isFloat)
        continue;
      const Buffer &grad = gradOuts[g++];
      int64_t stride = std::max<int64_t>(1, b.numel / maxChecks);
      for (int64_t i = 0; i < b.numel; i += stride) {
        double x = b.get(i);
        double h = (b.isF64 ? 1e-6 : 1e-2) * std::max(1.0, std::abs(x));
        b.set(i, x + h);
        double up = value();
        b.set(i, x - h);
        double down = value();
        b.set(i, x);
        double numeric = (up - down) / (2 * h), analytic = grad.get(i);
        double err = std::abs(numeric - analytic) / (atol + rtol * std::abs(numeric));
        worst = std::max(worst, std::abs(numeric - analytic) / std::max(1e-12, std::abs(numeric)));
        ++checks;
        if (err > 1.0) {
          llvm::outs() << "  @" << f.name << ": d/d(arg element " << i << ") analytic " << analytic
                       << " numeric " << numeric << "\n";
          ok = false;
        }
      }
    }
    llvm::outs() << "gradcheck @" << f.name << ": " << (ok ? "PASS" : "FAIL") << " (" << checks
                 << " probes, worst relative error " << llvm::format("%.2e", worst) << ")\n";
    return ok;
  }

private:
  mlc::JitModule &jit;
};

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  mlc::registerAllPasses();
  mlir::registerPassManagerCLOptions();
  cl::ParseCommandLineOptions(argc, argv, "mlc gradient checker\n");

  DialectRegistry registry;
  mlc::registerAllDialects(registry);
  MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();
  llvm::SourceMgr sm;
  std::string message;
  OwningOpRef<ModuleOp> module;
  if (StringRef(inputPath).ends_with(".onnx")) {
    mlc::OnnxImportOptions options;
    options.wholeGraph = true;
    options.convAlgorithm = convAlgorithm;
    module = mlc::importOnnxModel(inputPath, ctx, options, message);
  } else if (auto file = openInputFile(inputPath, &message)) {
    sm.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
    module = parseSourceFile<ModuleOp>(sm, &ctx);
    message.clear();
  }
  if (!module) {
    if (!message.empty())
      llvm::errs() << "mlc-gradcheck: " << message << "\n";
    return 1;
  }

  std::vector<Function> functions;
  for (auto func : llvm::to_vector(module->getOps<func::FuncOp>())) {
    if (func.isPrivate() || func.isExternal())
      continue;
    auto result = func.getNumResults() == 1 ? dyn_cast<RankedTensorType>(func.getResultTypes()[0])
                                            : RankedTensorType();
    if (!result || result.getRank() != 0 || !isa<FloatType>(result.getElementType())) {
      llvm::errs() << "mlc-gradcheck: @" << func.getSymName() << " must return one rank-0 float tensor\n";
      return 1;
    }
    Function f{func.getSymName().str(), SmallVector<Type>(func.getArgumentTypes()), {},
               func.getResultTypes()[0]};
    for (unsigned i = 0; i < func.getNumArguments(); ++i)
      f.argAttrs.push_back(func.getArgAttrDict(i));
    SmallVector<bool> wrt;
    for (Type t : func.getArgumentTypes())
      wrt.push_back(isa<FloatType>(getElementTypeOrSelf(t)));
    if (failed(mlc::buildGradientFunction(func, wrt)))
      return 1;
    functions.push_back(f);
  }

  // The graph rewrites that the training pipeline applies after autodiff, so that what is
  // checked is the gradient as mlc computes it.
  {
    PassManager pm(&ctx);
    // Any channel count: the checks use small images, and the rewrite's arithmetic is the
    // same at every size.
    mlc::ConvDataGradAsConvOptions dataGrad;
    dataGrad.minChannels = 1;
    pm.addPass(mlc::createConvDataGradAsConv(dataGrad));
    if (failed(pm.run(*module))) {
      llvm::errs() << "mlc-gradcheck: the graph rewrites after autodiff failed\n";
      return 1;
    }
  }

  if (targetName != "cpu" && targetName != "cuda-emulated") {
    llvm::errs() << "mlc-gradcheck: unknown --target=" << targetName << "\n";
    return 1;
  }
  std::vector<std::string> names;
  for (const Function &f : functions) {
    names.push_back(f.name);
    names.push_back(f.name + "_grad");
  }
  std::string error;
  auto jit = mlc::JitModule::compile(
      *module, names, targetName == "cpu" ? mlc::Target::CPU : mlc::Target::CUDAEmulated, error);
  if (!jit) {
    llvm::errs() << "mlc-gradcheck: " << error << "\n";
    return 1;
  }
  Checker checker(*jit);
  std::mt19937_64 rng(42);
  bool ok = true;
  for (const Function &f : functions)
    ok &= checker.check(f, rng);
  return ok ? 0 : 1;
}
