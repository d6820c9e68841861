// LLVM-dialect module -> LLVM IR with the trainer's entry points -> optimized native object.
#include "compiler/Target/CPU/Emit.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/Pass.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/StandardInstrumentations.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <atomic>
#include <thread>

using namespace mlir;

void mlc::addPackedEntryPoint(llvm::Module &module, llvm::StringRef name) {
  llvm::Function *step = module.getFunction(name);
  if (!step)
    return;
  llvm::LLVMContext &ctx = module.getContext();
  auto *ptrType = llvm::PointerType::getUnqual(ctx);
  auto *type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptrType}, false);
  auto *entry = llvm::Function::Create(type, llvm::Function::ExternalLinkage, "mlc_" + name, module);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", entry));
  llvm::SmallVector<llvm::Value *> args;
  for (unsigned i = 0; i < step->arg_size(); ++i) {
    llvm::Value *slot = b.CreateConstGEP1_64(ptrType, entry->getArg(0), i);
    args.push_back(b.CreateLoad(ptrType, slot));
  }
  b.CreateCall(step, args);
  b.CreateRetVoid();
  step->setLinkage(llvm::Function::InternalLinkage);
}

namespace {

void addMetaGlobals(llvm::Module &module, const mlc::ModelMeta &meta) {
  llvm::LLVMContext &ctx = module.getContext();
  auto *text = llvm::ConstantDataArray::getString(ctx, meta.fullText(), /*AddNull=*/true);
  new llvm::GlobalVariable(module, text->getType(), true, llvm::GlobalValue::ExternalLinkage, text,
                           "mlc_model_meta");
  auto *init = llvm::ConstantDataArray::get(ctx, llvm::ArrayRef<float>(meta.paramInit));
  auto *g = new llvm::GlobalVariable(module, init->getType(), true,
                                     llvm::GlobalValue::ExternalLinkage, init, "mlc_param_init");
  g->setAlignment(llvm::Align(64));
  auto *onnx = llvm::ConstantDataArray::get(
      ctx, llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(meta.exportTemplate.data()),
                                   meta.exportTemplate.size()));
  new llvm::GlobalVariable(module, onnx->getType(), true, llvm::GlobalValue::ExternalLinkage, onnx,
                           "mlc_export_onnx");
  new llvm::GlobalVariable(module, llvm::Type::getInt64Ty(ctx), true, llvm::GlobalValue::ExternalLinkage,
                           llvm::ConstantInt::get(llvm::Type::getInt64Ty(ctx), meta.exportTemplate.size()),
                           "mlc_export_onnx_size");
}

std::unique_ptr<llvm::TargetMachine> makeTargetMachine(const mlc::HostTarget &target,
                                                       std::string &error) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  std::string triple = llvm::sys::getDefaultTargetTriple();
  const llvm::Target *t = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!t)
    return nullptr;
  std::string cpu = target.cpu.empty() ? llvm::sys::getHostCPUName().str() : target.cpu;
  std::unique_ptr<llvm::MCSubtargetInfo> sti(t->createMCSubtargetInfo(triple, "", ""));
  if (!sti || !sti->isCPUStringValid(cpu)) {
    error = "unknown CPU '" + cpu + "' for " + triple + " (try --cpu=x86-64-v3, skylake-avx512, ...)";
    return nullptr;
  }
  std::string features = target.features;
  if (target.cpu.empty() && features.empty()) {
    llvm::SubtargetFeatures f;
    for (auto &kv : llvm::sys::getHostCPUFeatures())
      f.AddFeature(kv.first(), kv.second);
    features = f.getString();
  }
  llvm::TargetOptions options;
  // Fuse multiply-adds into FMAs (like -ffp-contract=fast): the kernels' accumulations are
  // mul+add pairs, and FMA is both faster and more accurate.
  options.AllowFPOpFusion = llvm::FPOpFusion::Fast;
  return std::unique_ptr<llvm::TargetMachine>(t->createTargetMachine(
      triple, cpu, features, options, llvm::Reloc::PIC_, std::nullopt,
      llvm::CodeGenOptLevel::Aggressive));
}

} // namespace

int64_t mlc::vectorBits(const HostTarget &target, std::string &error) {
  std::unique_ptr<llvm::TargetMachine> tm = makeTargetMachine(target, error);
  if (!tm)
    return 0;
  const llvm::MCSubtargetInfo *sti = tm->getMCSubtargetInfo();
  if (sti->checkFeatures("+avx512f"))
    return 512;
  return sti->checkFeatures("+avx") ? 256 : 128;
}

namespace {

void optimize(llvm::Module &module, llvm::TargetMachine &tm) {
  // With --time-passes the -O3 pipeline's passes are timed too (their report prints when the
  // instrumentation goes away, after the analyses that refer to it).
  llvm::PassInstrumentationCallbacks callbacks;
  llvm::StandardInstrumentations instrumentations(module.getContext(), /*DebugLogging=*/false);
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  instrumentations.registerCallbacks(callbacks, &mam);
  llvm::PassBuilder pb(&tm, llvm::PipelineTuningOptions(), std::nullopt, &callbacks);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3).run(module, mam);
}

/// Emits `module` as it is (no IR optimization) as an object into `out`.
LogicalResult emitMachineCode(llvm::Module &module, llvm::TargetMachine &tm, llvm::raw_pwrite_stream &out,
                              std::string &error) {
  llvm::legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, out, nullptr, llvm::CodeGenFileType::ObjectFile)) {
    error = "the target cannot emit object files";
    return failure();
  }
  pm.run(module);
  return success();
}

} // namespace

std::unique_ptr<llvm::Module> mlc::translateTrainingModule(ModuleOp module, llvm::LLVMContext &ctx,
                                                           const ModelMeta &meta) {
  // mlc's argument attributes describe the model to the compiler; LLVM IR has no use for them.
  stripMlcArgAttrs(module);
  std::unique_ptr<llvm::Module> llvmModule = translateModuleToLLVMIR(module, ctx, "mlc_model");
  if (!llvmModule)
    return nullptr;
  addPackedEntryPoint(*llvmModule, "train_step");
  addPackedEntryPoint(*llvmModule, "eval_step");
  addMetaGlobals(*llvmModule, meta);
  return llvmModule;
}

void mlc::stripMlcArgAttrs(ModuleOp module) {
  module.walk([](LLVM::LLVMFuncOp func) {
    for (unsigned i = 0; i < func.getNumArguments(); ++i)
      if (DictionaryAttr attrs = func.getArgAttrDict(i))
        for (NamedAttribute a : attrs)
          if (a.getName().getValue().starts_with("mlc."))
            func.removeArgAttr(i, a.getName());
  });
}

namespace {

/// Turns LLVM's post-RA list scheduler off unless the command line set it
/// (--post-RA-scheduler=true). The X86 subtargets of the AVX-512 hosts here enable it; it took
/// 15-30% of code generation (cnn_bn: 6.30-6.96 -> 5.47-5.63 s per compile, alternating) and its
/// code ran no faster (65.1-67.0 ms per step without it, 66.8-67.9 ms with it): out-of-order cores
/// reorder the instructions themselves. Before any thread compiles: the option is process-wide.
void disablePostRAScheduling() {
  auto &options = llvm::cl::getRegisteredOptions();
  auto it = options.find("post-RA-scheduler");
  if (it == options.end() || it->second->getNumOccurrences() > 0)
    return;
  auto *option = static_cast<llvm::cl::opt<bool> *>(it->second);
  option->setValue(false);
  // The scheduler obeys the option only where it was given: a position marks it so.
  option->setPosition(1);
}

/// Optimizes `module` at -O3 and emits it as an object into `out`.
LogicalResult compileToObject(llvm::Module &module, llvm::TargetMachine &tm, llvm::raw_pwrite_stream &out,
                              std::string &error) {
  optimize(module, tm);
  return emitMachineCode(module, tm, out, error);
}

/// A constant the runtime reads by name (initial parameters, metadata, export template) that no
/// code of the module uses: its bytes are emitted apart from the code (see takeDataGlobals).
struct DataGlobal {
  std::string name;
  std::string bytes;
  llvm::MaybeAlign align;
};

/// Takes the module's unused external constant arrays out of it. Nothing in -O3 needs them, and
/// left in they cost more than the code: a 13 MB float array travels through bitcode to a
/// partition, and the asm printer emits a float array element by element, where it emits
/// bytes (i8) at once.
std::vector<DataGlobal> takeDataGlobals(llvm::Module &module) {
  std::vector<DataGlobal> data;
  for (llvm::GlobalVariable &g : llvm::make_early_inc_range(module.globals())) {
    auto *init = g.hasInitializer() ? llvm::dyn_cast<llvm::ConstantDataSequential>(g.getInitializer()) : nullptr;
    if (!init || !g.isConstant() || !g.hasExternalLinkage() || !g.use_empty())
      continue;
    data.push_back({g.getName().str(), init->getRawDataValues().str(), g.getAlign()});
    g.eraseFromParent();
  }
  return data;
}

/// The data globals as byte arrays in a module of their own, emitted without optimization.
LogicalResult compileData(const std::vector<DataGlobal> &data, llvm::TargetMachine &tm,
                          llvm::raw_pwrite_stream &out, std::string &error) {
  llvm::LLVMContext ctx;
  llvm::Module module("mlc_model_data", ctx);
  module.setDataLayout(tm.createDataLayout());
  module.setTargetTriple(tm.getTargetTriple().str());
  for (const DataGlobal &d : data) {
    auto *init = llvm::ConstantDataArray::getRaw(d.bytes, d.bytes.size(), llvm::Type::getInt8Ty(ctx));
    auto *g = new llvm::GlobalVariable(module, init->getType(), true, llvm::GlobalValue::ExternalLinkage, init,
                                       d.name);
    g->setAlignment(d.align);
  }
  return emitMachineCode(module, tm, out, error);
}

/// How many threads compile the code's pieces: one per core, at most 8; one when pass timings are
/// on (they are process-wide and would interleave).
unsigned codegenWorkers() {
  return llvm::TimePassesIsEnabled ? 1 : std::max(1u, std::min(std::thread::hardware_concurrency(), 8u));
}

/// How many pieces the code is compiled in: two per thread, so that a thread done early takes
/// another piece (a piece's instruction count only estimates its compile time); one when pass
/// timings are on.
unsigned codegenPartitions(const llvm::Module &module) {
  if (llvm::TimePassesIsEnabled)
    return 1;
  unsigned functions = 0;
  for (const llvm::Function &f : module)
    functions += !f.isDeclaration();
  return std::max(1u, std::min(2 * codegenWorkers(), functions));
}

/// Splits `module` into `parts` modules as bitcode, dealing its functions out largest first to
/// the piece with the fewest instructions so far (LLVM's SplitModule balances by hashing names,
/// which here put two thirds of the code in one piece). Local functions become hidden external
/// ones, so that a function may call or fork one in another piece; local constants are copied
/// into every piece, where -O3 can still fold their loads (unused copies are dropped).
std::vector<llvm::SmallString<0>> partitionModule(llvm::Module &module, unsigned parts) {
  std::vector<llvm::SmallString<0>> bitcode(1);
  if (parts <= 1) {
    llvm::raw_svector_ostream os(bitcode.back());
    llvm::WriteBitcodeToFile(module, os);
    return bitcode;
  }
  std::vector<std::pair<size_t, llvm::Function *>> functions;
  for (llvm::Function &f : module) {
    if (f.isDeclaration())
      continue;
    if (f.hasLocalLinkage()) {
      f.setLinkage(llvm::GlobalValue::ExternalLinkage);
      f.setVisibility(llvm::GlobalValue::HiddenVisibility);
    }
    functions.push_back({f.getInstructionCount(), &f});
  }
  for (llvm::GlobalVariable &g : module.globals())
    if (g.hasLocalLinkage() && !g.isConstant()) {
      g.setLinkage(llvm::GlobalValue::ExternalLinkage);
      g.setVisibility(llvm::GlobalValue::HiddenVisibility);
    }
  for (llvm::GlobalValue &g : module.global_values())
    if (!g.hasName())
      g.setName("mlc_unnamed");
  // Largest first, equal sizes by name: the same module always splits the same way.
  llvm::sort(functions, [&](auto &a, auto &b) {
    return a.first != b.first ? a.first > b.first : a.second->getName() < b.second->getName();
  });
  std::vector<size_t> load(parts, 0);
  llvm::DenseMap<const llvm::GlobalValue *, unsigned> home;
  for (auto [size, f] : functions) {
    unsigned least = std::min_element(load.begin(), load.end()) - load.begin();
    load[least] += size;
    home[f] = least;
  }
  bitcode.assign(parts, {});
  for (unsigned i = 0; i < parts; ++i) {
    llvm::ValueToValueMapTy map;
    std::unique_ptr<llvm::Module> part = llvm::CloneModule(module, map, [&](const llvm::GlobalValue *g) {
      if (auto *v = llvm::dyn_cast<llvm::GlobalVariable>(g))
        return v->hasLocalLinkage() || i == 0;
      auto it = home.find(g);
      return it != home.end() ? it->second == i : i == 0;
    });
    llvm::raw_svector_ostream os(bitcode[i]);
    llvm::WriteBitcodeToFile(*part, os);
  }
  return bitcode;
}

/// A target machine for `target`, with `module` set to its data layout and triple and verified;
/// null with `error` set otherwise.
std::unique_ptr<llvm::TargetMachine> prepareModule(llvm::Module &module, const mlc::HostTarget &target,
                                                   std::string &error) {
  std::unique_ptr<llvm::TargetMachine> tm = makeTargetMachine(target, error);
  if (!tm)
    return nullptr;
  module.setDataLayout(tm->createDataLayout());
  module.setTargetTriple(tm->getTargetTriple().str());
  if (llvm::verifyModule(module, &llvm::errs())) {
    error = "internal error: generated LLVM IR does not verify";
    return nullptr;
  }
  return tm;
}

/// Writes `bytes` to a new temporary object file; its path goes to `paths`.
LogicalResult writeTemporaryObject(llvm::StringRef bytes, std::vector<std::string> &paths, std::string &error) {
  llvm::SmallString<128> path;
  int fd;
  if (auto ec = llvm::sys::fs::createTemporaryFile("mlc-model-part", "o", fd, path)) {
    error = "cannot create a temporary file: " + ec.message();
    return failure();
  }
  llvm::raw_fd_ostream out(fd, /*shouldClose=*/true);
  out << bytes;
  paths.push_back(std::string(path));
  return success();
}

} // namespace

FailureOr<std::vector<std::string>> mlc::emitObjects(llvm::Module &module, const HostTarget &target,
                                                     std::string &error) {
  std::unique_ptr<llvm::TargetMachine> tm = prepareModule(module, target, error);
  if (!tm)
    return failure();
  disablePostRAScheduling();
  std::vector<DataGlobal> data = takeDataGlobals(module);
  // Compile time: a large model's step is hundreds of independent functions (the step, the eval
  // step, the OpenMP bodies); LLVM's -O3 and code generation take most of `mlc compile`, and one
  // thread would leave the other cores idle. The functions are dealt into pieces of about equal
  // size; each piece is optimized and emitted in an LLVMContext of its own (contexts are not
  // shared between threads: the pieces travel as bitcode), the data on a thread of its own.
  unsigned workers = codegenWorkers();
  std::vector<llvm::SmallString<0>> bitcode = partitionModule(module, codegenPartitions(module));
  size_t jobs = bitcode.size() + (data.empty() ? 0 : 1);
  // Target machines are made here: target registration is not thread-safe.
  std::vector<std::unique_ptr<llvm::TargetMachine>> machines;
  for (size_t i = 0; i < jobs; ++i) {
    machines.push_back(makeTargetMachine(target, error));
    if (!machines.back())
      return failure();
  }
  std::vector<llvm::SmallString<0>> objects(jobs);
  std::vector<std::string> errors(jobs);
  auto run = [&](size_t i) {
    llvm::raw_svector_ostream os(objects[i]);
    if (i == bitcode.size()) {
      (void)compileData(data, *machines[i], os, errors[i]);
      return;
    }
    llvm::LLVMContext ctx;
    auto part = llvm::parseBitcodeFile(llvm::MemoryBufferRef(bitcode[i], "mlc_model_part"), ctx);
    if (!part) {
      errors[i] = "internal error: " + llvm::toString(part.takeError());
      return;
    }
    (void)compileToObject(**part, *machines[i], os, errors[i]);
  };
  // Jobs in order, largest first (the data last): each thread takes the next one when done (one
  // thread, one job after the other, with pass timings on).
  std::atomic<size_t> next{0};
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < std::min<size_t>(workers, jobs); ++t)
    threads.emplace_back([&] {
      for (size_t i = next++; i < jobs; i = next++)
        run(i);
    });
  for (std::thread &t : threads)
    t.join();
  for (const std::string &e : errors)
    if (!e.empty()) {
      error = e;
      return failure();
    }
  std::vector<std::string> paths;
  for (const llvm::SmallString<0> &object : objects)
    if (failed(writeTemporaryObject(object, paths, error))) {
      removeFiles(paths);
      return failure();
    }
  return paths;
}

void mlc::removeFiles(llvm::ArrayRef<std::string> paths) {
  for (const std::string &p : paths)
    llvm::sys::fs::remove(p);
}

LogicalResult mlc::emitObject(llvm::Module &module, const HostTarget &target, llvm::StringRef path,
                              bool asText, std::string &error) {
  if (!asText) {
    auto objects = emitObjects(module, target, error);
    if (failed(objects))
      return failure();
    LogicalResult linked = linkRelocatable(*objects, path, error);
    removeFiles(*objects);
    return linked;
  }
  std::unique_ptr<llvm::TargetMachine> tm = prepareModule(module, target, error);
  if (!tm)
    return failure();
  std::error_code ec;
  llvm::ToolOutputFile out(path, ec, llvm::sys::fs::OF_Text);
  if (ec) {
    error = "cannot write '" + path.str() + "': " + ec.message();
    return failure();
  }
  optimize(module, *tm);
  module.print(out.os(), nullptr);
  out.keep();
  return success();
}
