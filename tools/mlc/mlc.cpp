// mlc: compiles a model, a loss and an optimizer into a native training executable.
#include "compiler/InitAll.h"
#include "llvm/Pass.h"
#include "compiler/Pipelines/Pipelines.h"
#include "compiler/Target/CPU/Emit.h"
#include "compiler/Codegen/Common/StepReport.h"
#include "compiler/Target/NVPTX/GPUBinaries.h"
#include "dialects/Mlc/StepSignature.h"
#include "frontends/onnx/InferenceExport.h"
#include "frontends/onnx/Importer.h"
#include "tools/mlc/PhaseTimes.h"
#include "tools/mlc/Plot.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/FileUtilities.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/FormatVariadic.h"

#include <unistd.h>

using namespace mlir;
namespace cl = llvm::cl;

namespace {

cl::OptionCategory category("mlc compile options");
cl::opt<std::string> inputPath(cl::Positional, cl::desc("<model.onnx | model.mlir>"), cl::Required,
                               cl::cat(category));
cl::opt<std::string> outputPath("o", cl::desc("Output file"), cl::value_desc("path"), cl::cat(category));
cl::opt<std::string> loss("loss",
                          cl::desc("Loss, as torch.nn computes it: cross_entropy (softmax cross-entropy of "
                                   "logits against class labels), nll (of log-probabilities), mse, l1, "
                                   "huber, smooth_l1 (the trainer's --delta), bce_logits (binary "
                                   "cross-entropy of logits) or bce (of probabilities) against float targets"),
                          cl::init("cross_entropy"), cl::cat(category));
cl::opt<std::string> reduction("reduction", cl::desc("The loss over a batch: mean (default) or sum"),
                               cl::init("mean"), cl::cat(category));
cl::opt<bool> labelSmoothing("label-smoothing",
                             cl::desc("With --loss=cross_entropy: the trainer takes --label-smoothing"),
                             cl::init(false), cl::cat(category));
cl::opt<std::string> optimizer("optimizer",
                               cl::desc("Optimizer: sgd, momentum, nesterov, adagrad, rmsprop, adam "
                                        "or adamw (torch.optim's semantics)"),
                               cl::init("sgd"), cl::cat(category));
cl::opt<bool> weightDecay("weight-decay",
                          cl::desc("The trainer takes --weight-decay (L2 regularization added to the "
                                   "gradient; AdamW always takes it and decouples it)"),
                          cl::init(false), cl::cat(category));
cl::opt<bool> classWeights("class-weights",
                           cl::desc("The trainer takes --class-weights (cross_entropy, nll, bce_logits, bce): "
                                    "per-class loss weights, e.g. inverse frequency"),
                           cl::init(false), cl::cat(category));
cl::opt<bool> decayAll("decay-all",
                       cl::desc("Weight decay and --l1 on every parameter (default: weights only, not "
                                "biases or normalization parameters; torch's weight_decay decays all)"),
                       cl::init(false), cl::cat(category));
cl::opt<bool> l1Penalty("l1", cl::desc("The trainer takes --l1 (an L1 penalty on the weights)"), cl::init(false),
                        cl::cat(category));
cl::opt<bool> clipGradients("clip",
                            cl::desc("The trainer takes --clip-norm and --clip-value (gradient clipping)"),
                            cl::init(false), cl::cat(category));
cl::opt<int64_t> batch("batch", cl::desc("Batch size (sets the model input's first dimension)"),
                       cl::init(0), cl::cat(category));
cl::opt<std::string> targetName("target",
                                cl::desc("Target: cpu or cuda (cuda-emulated: the CUDA kernels run "
                                         "on the host, for testing without a GPU)"),
                                cl::init("cpu"), cl::cat(category));
cl::opt<std::string> gpuArch("gpu-arch", cl::desc("With --target=cuda: the GPU architecture (sm_80, sm_90, ...)"),
                             cl::init("sm_80"), cl::cat(category));
cl::opt<std::string> gpuMatmulPrecision(
    "gpu-matmul-precision",
    cl::desc("With --target=cuda (sm_80 and newer): fp32 (default; tensor-core GEMMs in three TF32 "
             "passes, about f32 accuracy) or tf32 (one pass on TF32-rounded inputs, faster)"),
    cl::init("fp32"), cl::cat(category));
cl::opt<std::string> emit("emit",
                          cl::desc("What to write: exe (default), obj, llvm (LLVM IR), mlir, "
                                   "ptx (--target=cuda: the PTX of every kernel)"),
                          cl::init("exe"), cl::cat(category));
cl::opt<std::string> stopAfter("stage",
                               cl::desc("With --emit=mlir: the last stage to run (graph, linalg, "
                                        "schedule, bufferize, llvm; default llvm), or 'import'"),
                               cl::init("llvm"), cl::cat(category));
cl::opt<mlc::ConvAlgorithm> convAlgorithm(
    "conv", cl::desc("How dense 3x3 stride-1 convolutions of ONNX models are computed"),
    cl::values(clEnumValN(mlc::ConvAlgorithm::Auto, "auto",
                          "Winograd where it saves enough multiply-adds, else windows times filters (default)"),
               clEnumValN(mlc::ConvAlgorithm::Im2Col, "im2col", "windows times filters (one GEMM)"),
               clEnumValN(mlc::ConvAlgorithm::Winograd, "winograd", "Winograd F(2x2,3x3) or F(4x4,3x3) always")),
    cl::init(mlc::ConvAlgorithm::Auto), cl::cat(category));
cl::opt<std::string> layout("layout",
                           cl::desc("Image layout of convolutions and poolings: auto (channels last where that "
                                    "transposes less, default) or nchw (as ONNX defines them)"),
                           cl::init("auto"), cl::cat(category));
cl::opt<std::string> cpu("cpu", cl::desc("CPU to generate code for (default: this machine's)"),
                         cl::init(""), cl::cat(category));
cl::opt<bool> report("report",
                     cl::desc("Print what one training step costs (GFLOP and bytes moved per op group) and "
                              "its memory plan (parameters, optimizer state, data, workspace)"),
                     cl::init(false), cl::cat(category));
cl::opt<double> memoryLimit("memory-limit",
                             cl::desc("GB of memory a training step may need (default: this machine's); a step "
                                      "that needs more is refused"),
                             cl::init(0), cl::cat(category));
cl::opt<int64_t> parallelChunks("parallel-chunks", cl::desc("Parallel tiles per op (threads)"),
                                cl::init(8), cl::cat(category));

/// Whether an error diagnostic was printed: the failure it caused then needs no line of its own.
bool errorPrinted = false;

/// Prints diagnostics as single "mlc: error: <location>: <message>" lines.
class OneLineDiagnostics {
public:
  explicit OneLineDiagnostics(MLIRContext &ctx)
      : handler(&ctx, [](Diagnostic &d) {
          errorPrinted |= d.getSeverity() == DiagnosticSeverity::Error;
          std::string text;
          llvm::raw_string_ostream os(text);
          os << "mlc: " << (d.getSeverity() == DiagnosticSeverity::Error ? "error" : "note") << ": ";
          if (auto name = dyn_cast<NameLoc>(d.getLocation()))
            os << "node '" << name.getName().getValue() << "': ";
          else if (auto file = dyn_cast<FileLineColLoc>(d.getLocation()))
            os << file.getFilename().getValue() << ":" << file.getLine() << ":" << file.getColumn() << ": ";
          os << d.str();
          std::replace(text.begin(), text.end(), '\n', ' ');
          llvm::errs() << text << "\n";
          return success();
        }) {}

private:
  ScopedDiagnosticHandler handler;
};

int fail(const llvm::Twine &message) {
  llvm::errs() << "mlc: error: " << message << "\n";
  return 1;
}

/// Deepest nesting of brackets a .mlir model may have. MLIR's parser recurses once per level of
/// nested types, attributes, parentheses and regions; 100000 levels overflowed the stack (SIGSEGV).
/// Real models nest a few dozen levels.
constexpr int kMaxMlirNesting = 512;

/// "LINE:COL: ..." where `text` nests brackets ((, [, {, <) deeper than kMaxMlirNesting, outside
/// string literals and comments; empty when it does not.
std::string tooDeeplyNested(llvm::StringRef text) {
  int depth = 0, line = 1, column = 0;
  bool inString = false, inComment = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    ++column;
    if (c == '\n') {
      ++line, column = 0, inComment = false;
      continue;
    }
    if (inComment)
      continue;
    if (inString) {
      if (c == '\\')
        ++i, ++column;
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      inComment = true;
    } else if (c == '(' || c == '[' || c == '{' || c == '<') {
      if (++depth > kMaxMlirNesting)
        return std::to_string(line) + ":" + std::to_string(column) + ": nested more than " +
               std::to_string(kMaxMlirNesting) + " levels deep";
    } else if (c == ')' || c == ']' || c == '}' ||
               (c == '>' && (i == 0 || text[i - 1] != '-') && (i + 1 >= text.size() || text[i + 1] != '='))) {
      depth = std::max(0, depth - 1);
    }
  }
  return "";
}

OwningOpRef<ModuleOp> loadModel(MLIRContext &ctx, std::string &error) {
  if (llvm::StringRef(inputPath).ends_with(".mlir")) {
    llvm::SourceMgr sm;
    std::string message;
    auto file = openInputFile(inputPath, &message);
    if (!file) {
      error = inputPath + ": " + message;
      return nullptr;
    }
    std::string deep = tooDeeplyNested(file->getBuffer());
    if (!deep.empty()) {
      error = inputPath + ":" + deep;
      return nullptr;
    }
    sm.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
    auto module = parseSourceFile<ModuleOp>(sm, &ctx);
    if (!module) {
      // The parser's diagnostic (file:line:col: what) is the one line, unless it printed none.
      error = errorPrinted ? "" : inputPath + ": cannot parse the MLIR module";
      return nullptr;
    }
    // An initial value must have its parameter's type: the trainer copies it in by element count.
    for (auto func : module->getOps<func::FuncOp>())
      for (unsigned i = 0; i < func.getNumArguments(); ++i)
        if (auto init = func.getArgAttrOfType<TypedAttr>(i, mlc::attr::kInitializer))
          if (init.getType() != func.getArgumentTypes()[i]) {
            std::string text;
            llvm::raw_string_ostream os(text);
            auto name = func.getArgAttrOfType<StringAttr>(i, mlc::attr::kParam);
            if (!name)
              name = func.getArgAttrOfType<StringAttr>(i, mlc::attr::kBuffer);
            os << inputPath << ": @" << func.getName() << " argument #" << i;
            if (name)
              os << " ('" << name.getValue() << "')";
            os << " is " << func.getArgumentTypes()[i] << " but its initial value is " << init.getType();
            error = os.str();
            return nullptr;
          }
    // A .mlir model's shapes are fixed; --batch may only confirm them.
    auto forward = module->lookupSymbol<func::FuncOp>("forward");
    if (batch > 0 && forward) {
      for (unsigned i = 0; i < forward.getNumArguments(); ++i) {
        auto type = dyn_cast<RankedTensorType>(forward.getArgumentTypes()[i]);
        if (forward.getArgAttr(i, "mlc.input") && type && type.getRank() > 0 &&
            type.getDimSize(0) != batch) {
          error = inputPath + ": the model's batch is " + std::to_string(type.getDimSize(0)) +
                  " and --batch=" + std::to_string(batch) +
                  " cannot change it (--batch rebatches ONNX models only)";
          return nullptr;
        }
      }
    }
    return module;
  }
  mlc::OnnxImportOptions options;
  options.batch = batch;
  options.convAlgorithm = convAlgorithm;
  return mlc::importOnnxModel(inputPath, ctx, options, error);
}

LogicalResult writeModule(ModuleOp module) {
  std::string message;
  auto out = openOutputFile(outputPath.empty() ? std::string("-") : outputPath.getValue(), &message);
  if (!out) {
    llvm::errs() << "mlc: error: " << message << "\n";
    return failure();
  }
  module.print(out->os());
  out->keep();
  return success();
}

/// Why the planned step cannot run within --memory-limit (or this machine's memory), or "": a
/// trainer that would fail to allocate its buffers, or swap, is refused before it is built.
std::string exceedsMemory(const mlc::StepReport &r) {
  int64_t total = r.parameters + r.optimizerState + r.buffers + r.data + r.workspace;
  double limit = memoryLimit * 1e9;
  if (limit <= 0)
    limit = static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGE_SIZE));
  if (limit <= 0 || static_cast<double>(total) <= limit)
    return "";
  auto mb = [](int64_t bytes) { return llvm::formatv("{0:F1} MB", static_cast<double>(bytes) / 1e6).str(); };
  return "the training step needs " + mb(total) + " (batch data " + mb(r.data) + ", workspace " + mb(r.workspace) +
         ", parameters and optimizer state " + mb(r.parameters + r.optimizerState + r.buffers) + "), more than " +
         llvm::formatv("{0:F1}", limit / 1e9).str() + " GB" +
         (memoryLimit > 0 ? " (--memory-limit)" : " of this machine's memory (--memory-limit=GB for a larger one)");
}

LogicalResult runStage(ModuleOp module, mlc::Stage stage, const mlc::PipelineOptions &options) {
  PassManager pm = PassManager::on<ModuleOp>(module->getContext());
  // --time-passes: MLIR's pass timings per stage as well as LLVM's.
  if (llvm::TimePassesIsEnabled)
    pm.enableTiming();
  if (failed(mlc::addStage(pm, stage, options)))
    return failure();
  if (failed(pm.run(module))) {
    // A pass that fails says why in its diagnostic; a line of our own only if none did.
    if (!errorPrinted)
      llvm::errs() << "mlc: error: stage '" << mlc::stageName(stage) << "' failed\n";
    return failure();
  }
  return success();
}

int compile() {
  if (targetName != "cpu" && targetName != "cuda" && targetName != "cuda-emulated")
    return fail("unsupported --target=" + targetName + " (supported: cpu, cuda)");
  bool cuda = targetName == "cuda";
  bool emulated = targetName == "cuda-emulated";
  if (emit != "exe" && emit != "obj" && emit != "llvm" && emit != "mlir" && emit != "ptx")
    return fail("unsupported --emit=" + emit + " (supported: exe, obj, llvm, mlir, ptx)");
  if (emit == "ptx" && !cuda)
    return fail("--emit=ptx needs --target=cuda");
  // LLVM 19's NVPTX backend knows up to sm_90a; CUDA 13's ptxas starts at sm_75.
  static const char *const archs[] = {"sm_75", "sm_80", "sm_86", "sm_87", "sm_89", "sm_90", "sm_90a"};
  if (llvm::none_of(archs, [&](const char *a) { return gpuArch == a; }))
    return fail("unsupported --gpu-arch=" + gpuArch +
                " (supported: sm_75, sm_80, sm_86, sm_87, sm_89, sm_90, sm_90a)");
  if (gpuMatmulPrecision != "fp32" && gpuMatmulPrecision != "tf32")
    return fail("unsupported --gpu-matmul-precision=" + gpuMatmulPrecision + " (supported: fp32, tf32)");
  if (emit != "mlir" && emit != "ptx" && outputPath.empty())
    return fail("-o is required with --emit=" + emit);
  if (batch < 0 || (batch.getNumOccurrences() && batch == 0))
    return fail("--batch must be positive");
  if (!mlc::isKnownLoss(loss))
    return fail("unknown --loss=" + loss + " (supported: " + mlc::lossNames() + ")");
  if (reduction != "mean" && reduction != "sum")
    return fail("unknown --reduction=" + reduction + " (supported: mean, sum)");
  if (labelSmoothing && loss != "cross_entropy")
    return fail("--label-smoothing needs --loss=cross_entropy, not " + loss);
  if (classWeights && loss != "cross_entropy" && loss != "nll" && loss != "bce_logits" && loss != "bce")
    return fail("--class-weights needs --loss=cross_entropy, nll, bce_logits or bce, not " + loss);
  if (!mlc::isKnownOptimizer(optimizer))
    return fail("unknown --optimizer=" + optimizer + " (supported: " + mlc::optimizerNames() + ")");
  if (parallelChunks < 1)
    return fail("--parallel-chunks must be at least 1");
  if (layout != "auto" && layout != "nchw")
    return fail("unknown --layout=" + layout + " (supported: auto, nchw)");
  if (stopAfter.getNumOccurrences() && emit != "mlir")
    return fail("--stage selects the IR that --emit=mlir prints; it needs --emit=mlir");
  std::optional<mlc::Stage> last = mlc::parseStage(stopAfter);
  if (!last && stopAfter != "import")
    return fail("unknown stage '" + stopAfter + "' (graph, linalg, schedule, bufferize, llvm, import)");
  // The output is checked before any work: a compile of minutes must not end in "cannot open",
  // and `-o model.onnx` must not replace the model it reads.
  if (!outputPath.empty() && outputPath != "-") {
    if (llvm::sys::fs::equivalent(inputPath, outputPath))
      return fail("-o " + outputPath + " is the input model; refusing to overwrite it");
    if (llvm::sys::fs::is_directory(outputPath))
      return fail("-o " + outputPath + " is a directory");
    llvm::SmallString<256> dir(llvm::sys::path::parent_path(outputPath));
    if (dir.empty())
      dir = ".";
    if (!llvm::sys::fs::is_directory(dir))
      return fail("-o " + outputPath + ": directory '" + dir.str().str() + "' does not exist");
    if (llvm::sys::fs::access(dir, llvm::sys::fs::AccessMode::Write))
      return fail("-o " + outputPath + ": directory '" + dir.str().str() + "' is not writable");
  }

  DialectRegistry registry;
  mlc::registerAllDialects(registry);
  MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();
  OneLineDiagnostics diagnostics(ctx);

  // --time-passes: the wall time of each phase, after the per-pass tables.
  mlc::PhaseTimes phases;
  auto printPhases = llvm::make_scope_exit([&] {
    if (llvm::TimePassesIsEnabled)
      phases.print(llvm::errs());
  });
  std::string error;
  phases.start("import");
  OwningOpRef<ModuleOp> module = loadModel(ctx, error);
  if (!module)
    return error.empty() ? 1 : fail(error);
  if (emit == "mlir" && stopAfter == "import")
    return failed(writeModule(*module)) ? 1 : 0;

  mlc::PipelineOptions options;
  options.loss = loss;
  options.reduction = reduction;
  options.labelSmoothing = labelSmoothing;
  options.optimizer = optimizer;
  options.weightDecay = weightDecay;
  options.decayAll = decayAll;
  options.classWeights = classWeights;
  options.l1 = l1Penalty;
  options.clip = clipGradients;
  options.parallelChunks = parallelChunks;
  options.channelsLast = layout == "auto";
  if (!cuda) {
    // Register tiles are sized for the CPU the code is generated for (--cpu, or this machine).
    options.vectorBits = mlc::vectorBits(mlc::HostTarget{cpu, ""}, error);
    if (options.vectorBits == 0)
      return fail(error);
    // Every CPU trainer can time its ops (./trainer --profile); off, a call per op returns at once.
    options.profile = true;
  }
  options.target = cuda ? mlc::Target::CUDA : emulated ? mlc::Target::CUDAEmulated : mlc::Target::CPU;
  options.gpuArch = gpuArch;
  options.gpuMatmulPrecision = gpuMatmulPrecision;
  // Embed the cubin (with the PTX, for newer GPUs to JIT) when ptxas is there to make it.
  bool havePtxas = llvm::sys::fs::can_execute(options.cudaToolkit + "/bin/ptxas");
  options.gpuFormat = (emit != "ptx" && havePtxas) ? "fatbin" : "isa";
  mlc::ModelMeta meta;
  mlc::StepReport stepReport;
  for (mlc::Stage stage : {mlc::Stage::Graph, mlc::Stage::Linalg, mlc::Stage::Schedule,
                              mlc::Stage::Bufferize, mlc::Stage::LLVM}) {
    phases.start(std::string("stage ") + mlc::stageName(stage).str());
    if (failed(runStage(*module, stage, options)))
      return 1;
    if (stage == mlc::Stage::Graph) {
      // An emulated CUDA program runs on the host: for the runtime it is a CPU program.
      auto collected = mlc::collectModelMeta(*module, loss, reduction, optimizer, cuda ? "cuda" : "cpu");
      if (failed(collected))
        return 1;
      meta = *collected;
      if (StringRef(inputPath).ends_with(".onnx")) {
        auto exported = mlc::buildOnnxExportTemplate(inputPath, error);
        if (!exported)
          return fail(error);
        meta.exportTemplate = std::move(*exported);
      }
    }
    if (stage == mlc::Stage::Linalg && report)
      mlc::collectStepCosts(*module, stepReport);
    if (stage == mlc::Stage::Schedule)
      mlc::collectProfileOps(*module, meta);
    if (stage == mlc::Stage::Bufferize && failed(mlc::collectWorkspaceSizes(*module, meta)))
      return 1;
    if (stage == mlc::Stage::Bufferize) {
      mlc::collectMemoryPlan(*module, stepReport);
      // On stdout, unless the output goes there.
      if (report)
        mlc::printStepReport(stepReport, outputPath == "-" ? llvm::errs() : llvm::outs());
      if (std::string tooLarge = exceedsMemory(stepReport); !tooLarge.empty())
        return fail(tooLarge);
    }
    if (emit == "mlir" && stage == *last)
      return failed(writeModule(*module)) ? 1 : 0;
  }

  if (emit == "ptx") {
    std::string ptx;
    if (failed(mlc::collectPTX(*module, ptx)))
      return 1;
    std::string message;
    auto out = openOutputFile(outputPath.empty() ? std::string("-") : outputPath.getValue(), &message);
    if (!out)
      return fail(message);
    out->os() << ptx;
    out->keep();
    return 0;
  }

  phases.start("translation to LLVM IR");
  llvm::LLVMContext llvmCtx;
  auto llvmModule = mlc::translateTrainingModule(*module, llvmCtx, meta);
  if (!llvmModule)
    return fail("translation to LLVM IR failed");
  mlc::HostTarget target{cpu, ""};
  if (emit == "llvm" || emit == "obj") {
    if (failed(mlc::emitObject(*llvmModule, target, outputPath, emit == "llvm", error)))
      return fail(error);
    return 0;
  }
  phases.start("LLVM -O3 and code generation");
  auto objects = mlc::emitObjects(*llvmModule, target, error);
  if (failed(objects))
    return fail(error);
  auto removeObjects = llvm::make_scope_exit([&] { mlc::removeFiles(*objects); });
  phases.start("link");
  if (failed(mlc::linkTrainer(*objects, outputPath, error)))
    return fail(error);
  return 0;
}

void printUsage() {
  llvm::outs() << "mlc: an ahead-of-time training compiler\n\n"
                  "usage: mlc compile MODEL.onnx --loss=cross_entropy|nll|mse|l1|huber|smooth_l1|bce_logits|bce --optimizer=sgd|momentum|nesterov|adagrad|rmsprop|adam|adamw "
                  "--batch=N --target=cpu|cuda -o OUT [--gpu-arch=sm_80|sm_90] "
                  "[--emit=exe|obj|llvm|mlir|ptx] [--stage=STAGE]\n\n"
                  "Run `mlc compile --help` for every option. The executable trains the model:\n"
                  "  OUT --data=DIR [--epochs=N] [--lr=X] [--seed=S] [--no-shuffle] [--log=FILE] ...\n"
                  "(`OUT --help` lists its options).\n\n"
                  "usage: mlc plot RUN.jsonl -o CURVES.svg|CURVES.html   (the charts of a trainer's --log)\n";
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  if (argc < 2 || llvm::StringRef(argv[1]) == "--help" || llvm::StringRef(argv[1]) == "-h") {
    printUsage();
    return argc < 2 ? 1 : 0;
  }
  if (llvm::StringRef(argv[1]) == "plot")
    return mlc::runPlot(argc - 2, argv + 2);
  if (llvm::StringRef(argv[1]) != "compile")
    return fail(llvm::Twine("unknown command '") + argv[1] + "' (try: mlc compile --help, mlc plot --help)");
  mlc::registerAllPasses();
  cl::HideUnrelatedOptions(category);
  std::vector<char *> args{argv[0]};
  args.insert(args.end(), argv + 2, argv + argc);
  std::string program = std::string(argv[0]) + " compile";
  args[0] = program.data();
  // LLVM's option parser reports a bad flag on two lines ("Unknown command line argument", "Did
  // you mean"): one line of both.
  std::string parseErrors;
  llvm::raw_string_ostream parseStream(parseErrors);
  if (!cl::ParseCommandLineOptions(static_cast<int>(args.size()), args.data(),
                                   "mlc compile: model + loss + optimizer -> training executable\n", &parseStream)) {
    llvm::SmallVector<llvm::StringRef> lines;
    llvm::StringRef(parseStream.str()).split(lines, '\n', -1, /*KeepEmpty=*/false);
    std::string message;
    for (llvm::StringRef line : lines) {
      line = line.trim();
      if (line.consume_front(program + ": "))
        line = line.trim();
      message += (message.empty() ? "" : " ") + line.str();
    }
    return fail(message);
  }
  return compile();
}
