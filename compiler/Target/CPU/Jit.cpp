// Compiling mlc-dialect functions for the host and running them in-process.
#include "compiler/Target/CPU/Jit.h"
#include "compiler/Target/CPU/Emit.h"
#include "dialects/Mlc/StepSignature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/Support/TargetSelect.h"

using namespace mlir;

std::unique_ptr<mlc::JitModule> mlc::JitModule::compile(ModuleOp module, ArrayRef<std::string> names,
                                                        Target kernelTarget, std::string &error) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  MLIRContext *ctx = module.getContext();
  PipelineOptions options;
  // Register tiles for this machine's vectors.
  options.vectorBits = vectorBits(HostTarget{}, error);
  if (options.vectorBits == 0)
    return nullptr;
  PipelineOptions kernelOptions = options;
  if (kernelTarget == Target::CUDAEmulated)
    kernelOptions.target = Target::CUDA;
  // Pass failures print their diagnostics; the caller's one line says which step failed.
  PassManager pm = PassManager::on<ModuleOp>(ctx);
  // --mlir-print-ir-* and friends, where the tool registered them.
  (void)applyPassManagerCLOptions(pm);
  for (Stage stage : {Stage::Linalg, Stage::Schedule, Stage::Bufferize})
    if (failed(addStage(pm, stage, kernelOptions))) {
      error = "cannot build the pipeline";
      return nullptr;
    }
  if (kernelOptions.target == Target::CUDA &&
      failed(parsePassPipeline("func.func(mlc-gpu-launch-to-loops), canonicalize", pm))) {
    error = "cannot build the emulation pipeline";
    return nullptr;
  }
  if (failed(pm.run(module))) {
    error = "lowering to buffers failed";
    return nullptr;
  }
  auto jit = std::unique_ptr<JitModule>(new JitModule());
  for (const std::string &name : names) {
    auto fn = module.lookupSymbol<func::FuncOp>(name);
    auto bytes = fn ? fn->getAttrOfType<IntegerAttr>(attr::kWorkspaceBytes) : IntegerAttr();
    jit->workspaceBytes[name] = bytes ? bytes.getInt() : 0;
  }
  PassManager lower = PassManager::on<ModuleOp>(ctx);
  if (failed(addStage(lower, Stage::LLVM, options)) || failed(lower.run(module))) {
    error = "lowering to LLVM failed";
    return nullptr;
  }
  stripMlcArgAttrs(module);

  ExecutionEngineOptions engineOptions;
  // llvmModuleBuilder is a function_ref: the callable must outlive the options.
  auto buildLLVMModule = [&](Operation *op, llvm::LLVMContext &llvmCtx) {
    auto m = translateModuleToLLVMIR(op, llvmCtx);
    if (!m)
      return m;
    for (const std::string &n : names)
      addPackedEntryPoint(*m, n);
    return m;
  };
  engineOptions.llvmModuleBuilder = buildLLVMModule;
  auto optimize = makeOptimizingTransformer(2, 0, nullptr);
  engineOptions.transformer = optimize;
  std::vector<llvm::StringRef> libs{"/usr/lib/x86_64-linux-gnu/libomp.so.5"};
  engineOptions.sharedLibPaths = libs;
  auto engine = ExecutionEngine::create(module, engineOptions);
  if (!engine) {
    error = "JIT failed: " + llvm::toString(engine.takeError());
    return nullptr;
  }
  jit->engine = std::move(*engine);
  // Symbols resolve on first lookup: an unresolved external fails here, as a compile error.
  for (const std::string &name : names) {
    auto fn = jit->engine->lookup("mlc_" + name);
    if (!fn) {
      error = "JIT failed for " + name + ": " + llvm::toString(fn.takeError());
      return nullptr;
    }
    jit->entryPoints[name] = reinterpret_cast<void (*)(void **)>(*fn);
  }
  return jit;
}

// Generated code carries no function-type signature before its entry point (what UBSan's
// -fsanitize=function reads, 8 bytes before the callee: unmapped when the code starts a page).
__attribute__((no_sanitize("function")))
void mlc::JitModule::call(llvm::StringRef name, ArrayRef<void *> buffers) {
  auto fn = entryPoints.lookup(name);
  if (!fn)
    llvm::report_fatal_error(llvm::Twine("JitModule::call: ") + name + " was not compiled");
  std::vector<uint8_t> ws(std::max<int64_t>(workspaceBytes.lookup(name), 64) + 64);
  std::vector<void *> ptrs(buffers.begin(), buffers.end());
  ptrs.push_back(reinterpret_cast<void *>((reinterpret_cast<uintptr_t>(ws.data()) + 63) & ~uintptr_t(63)));
  fn(ptrs.data());
}
