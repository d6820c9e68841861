// mlc-onnx-run: compiles an ONNX graph's inference (every input an argument, every output a
// result) through mlc's CPU pipeline, runs it in-process on TensorProto inputs and compares the
// results with expected TensorProto outputs. The ONNX conformance runner drives it per test.
//
// Prints one line and exits 0 (PASS), 1 (FAIL: wrong result, or the compiler failed on a model
// it imported) or 2 (UNSUPPORTED: the importer rejected the model, e.g. an op it lacks).
#include "compiler/InitAll.h"
#include "compiler/Target/CPU/Jit.h"
#include "frontends/onnx/Importer.h"
#include "frontends/onnx/Tensors.h"
#include "dialects/Mlc/StepSignature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>

using namespace mlir;
using namespace mlc::onnx_import;
namespace cl = llvm::cl;

namespace {

cl::opt<std::string> modelPath(cl::Positional, cl::desc("<model.onnx>"), cl::Required);
cl::list<std::string> inputPaths("input", cl::desc("An input TensorProto (.pb), in graph input order"));
cl::list<std::string> expectedPaths("expected",
                                    cl::desc("An expected output TensorProto (.pb), in graph output order"));
cl::opt<double> relTol("rtol", cl::desc("Relative tolerance"), cl::init(1e-4));
cl::opt<double> absTol("atol", cl::desc("Absolute tolerance"), cl::init(1e-5));
cl::opt<std::string> targetName("target", cl::desc("cpu, or cuda-emulated (the CUDA kernels run on the host)"),
                                cl::init("cpu"));

/// A tensor as raw bytes of its MLIR element type (f32, f64, i32, i64), or read back as doubles.
struct Buffer {
  Type element;
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes;

  static Buffer of(RankedTensorType type) {
    Buffer b{type.getElementType(), std::vector<int64_t>(type.getShape()), {}};
    b.bytes.assign(std::max<int64_t>(type.getNumElements() * (type.getElementTypeBitWidth() / 8), 8), 0);
    return b;
  }
  int64_t numel() const {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  }
  double get(int64_t i) const {
    if (element.isF32())
      return reinterpret_cast<const float *>(bytes.data())[i];
    if (element.isF64())
      return reinterpret_cast<const double *>(bytes.data())[i];
    if (element.isInteger(32))
      return reinterpret_cast<const int32_t *>(bytes.data())[i];
    return static_cast<double>(reinterpret_cast<const int64_t *>(bytes.data())[i]);
  }
  void set(int64_t i, double v) {
    if (element.isF32())
      reinterpret_cast<float *>(bytes.data())[i] = static_cast<float>(v);
    else if (element.isF64())
      reinterpret_cast<double *>(bytes.data())[i] = v;
    else if (element.isInteger(32))
      reinterpret_cast<int32_t *>(bytes.data())[i] = static_cast<int32_t>(v);
    else
      reinterpret_cast<int64_t *>(bytes.data())[i] = static_cast<int64_t>(v);
  }
};

std::string shapeString(llvm::ArrayRef<int64_t> shape) {
  std::string s = "[";
  for (auto [i, d] : llvm::enumerate(shape))
    s += (i ? "x" : "") + std::to_string(d);
  return s + "]";
}

/// Reads `path` into a buffer of `type`; the file's shape must match.
std::optional<Buffer> readTensor(const std::string &path, RankedTensorType type, std::string &error) {
  std::ifstream in(path, std::ios::binary);
  onnx::TensorProto t;
  if (!in || !t.ParseFromIstream(&in)) {
    error = path + ": not a readable TensorProto";
    return std::nullopt;
  }
  Buffer b = Buffer::of(type);
  if (tensorDims(t) != b.shape) {
    error = path + ": shape " + shapeString(tensorDims(t)) + " does not match the graph's " +
            shapeString(b.shape);
    return std::nullopt;
  }
  if (t.data_type() == onnx::TensorProto::FLOAT || t.data_type() == onnx::TensorProto::DOUBLE) {
    bool wide = t.data_type() == onnx::TensorProto::DOUBLE;
    if (!(wide ? b.element.isF64() : b.element.isF32())) {
      error = path + ": " + (wide ? "float64" : "float32") + " data for a tensor of another type";
      return std::nullopt;
    }
    std::optional<std::vector<double>> values;
    if (wide)
      values = doubleValues(t, error);
    else if (auto narrow = floatValues(t, error))
      values.emplace(narrow->begin(), narrow->end());
    if (!values) {
      error = path + ": " + error;
      return std::nullopt;
    }
    for (auto [i, v] : llvm::enumerate(*values))
      b.set(i, v);
    return b;
  }
  auto values = intValues(t, error);
  // Booleans are 0/1: int32 arguments, float results (mlc has no boolean tensors).
  if (!values || (isa<FloatType>(b.element) && t.data_type() != onnx::TensorProto::BOOL)) {
    error = path + ": " + (values ? "integer data for a float tensor" : error);
    return std::nullopt;
  }
  for (auto [i, v] : llvm::enumerate(*values))
    b.set(i, static_cast<double>(v));
  return b;
}

/// `v` with enough digits to tell two floats apart.
std::string digits(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

/// The names of the graph inputs without initializers, in order (what --input gives values for).
std::optional<std::vector<std::string>> argumentNames(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  onnx::ModelProto model;
  if (!in || !model.ParseFromIstream(&in))
    return std::nullopt;
  std::set<std::string> initialized;
  for (const auto &t : model.graph().initializer())
    initialized.insert(t.name());
  std::vector<std::string> names;
  for (const auto &v : model.graph().input())
    if (!initialized.count(v.name()))
      names.push_back(v.name());
  return names;
}

int finish(int code, const std::string &line) {
  llvm::outs() << line << "\n";
  return code;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  mlc::registerAllPasses();
  mlir::registerPassManagerCLOptions();
  cl::ParseCommandLineOptions(argc, argv, "mlc ONNX inference runner\n");
  if (targetName != "cpu" && targetName != "cuda-emulated")
    return finish(1, "FAIL: unknown --target=" + targetName);

  DialectRegistry registry;
  mlc::registerAllDialects(registry);
  MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();
  // Diagnostics of a failing pass go to stderr; stdout keeps the one result line.
  std::string error;
  mlc::OnnxImportOptions options;
  options.wholeGraph = true;
  // mlc compiles static shapes: integer inputs that are shapes, axes or sizes take the test's values.
  options.inputValueFiles.assign(inputPaths.begin(), inputPaths.end());
  std::optional<std::vector<std::string>> names = argumentNames(modelPath);
  if (!names)
    return finish(2, "UNSUPPORTED: " + modelPath + ": not a valid ONNX model");
  if (names->size() != inputPaths.size())
    return finish(1, "FAIL: the graph takes " + std::to_string(names->size()) + " inputs; got " +
                         std::to_string(inputPaths.size()));
  OwningOpRef<ModuleOp> module = mlc::importOnnxModel(modelPath, ctx, options, error);
  if (!module)
    return finish(2, "UNSUPPORTED: " + error);
  auto forward = module->lookupSymbol<func::FuncOp>("forward");
  FunctionType type = forward.getFunctionType();
  if (expectedPaths.size() != type.getNumResults())
    return finish(1, "FAIL: the graph gives " + std::to_string(type.getNumResults()) + " outputs; got " +
                         std::to_string(expectedPaths.size()));
  std::vector<Buffer> buffers;
  for (auto [i, t] : llvm::enumerate(type.getInputs())) {
    // The arguments left after specialization, each named by its graph input.
    auto name = forward.getArgAttrOfType<StringAttr>(i, mlc::attr::kInput);
    auto at = name ? llvm::find(*names, name.getValue().str()) : names->end();
    if (at == names->end())
      return finish(1, "FAIL: argument " + std::to_string(i) + " of @forward is no graph input");
    const std::string &path = inputPaths[at - names->begin()];
    auto b = readTensor(path, cast<RankedTensorType>(t), error);
    if (!b)
      return finish(1, "FAIL: " + error);
    buffers.push_back(std::move(*b));
  }
  std::vector<Buffer> expected;
  for (auto [path, t] : llvm::zip(expectedPaths, type.getResults())) {
    auto b = readTensor(path, cast<RankedTensorType>(t), error);
    if (!b)
      return finish(1, "FAIL: output " + error);
    expected.push_back(std::move(*b));
    buffers.push_back(Buffer::of(cast<RankedTensorType>(t)));
  }

  auto jit = mlc::JitModule::compile(*module, {"forward"},
                                     targetName == "cpu" ? mlc::Target::CPU : mlc::Target::CUDAEmulated, error);
  if (!jit)
    return finish(1, "FAIL: compile: " + error);
  std::vector<void *> ptrs;
  for (Buffer &b : buffers)
    ptrs.push_back(b.bytes.data());
  jit->call("forward", ptrs);

  double worst = 0;
  size_t firstResult = type.getNumInputs();
  for (auto [k, want] : llvm::enumerate(expected)) {
    const Buffer &got = buffers[firstResult + k];
    for (int64_t i = 0, n = want.numel(); i < n; ++i) {
      double g = got.get(i), w = want.get(i);
      if (std::isnan(w) && std::isnan(g))
        continue;
      double diff = std::abs(g - w);
      bool ok = isa<FloatType>(want.element) ? diff <= absTol + relTol * std::abs(w) : g == w;
      if (!ok || std::isnan(g))
        return finish(1, "FAIL: output " + std::to_string(k) + " element " + std::to_string(i) + ": got " +
                             digits(g) + ", expected " + digits(w));
      worst = std::max(worst, diff);
    }
  }
  return finish(0, "PASS (max abs error " + llvm::formatv("{0:e2}", worst).str() + ")");
}
