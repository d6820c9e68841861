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
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"
#include "llvm/Transforms/Utils/SplitModule.h"

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
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(&tm);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3).run(module, mam);
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

/// Optimizes `module` at -O3 and emits it as an object into `out`.
LogicalResult compileToObject(llvm::Module &module, llvm::TargetMachine &tm, llvm::raw_pwrite_stream &out,
                              std::string &error) {
  optimize(module, tm);
  llvm::legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, out, nullptr, llvm::CodeGenFileType::ObjectFile)) {
    error = "the target cannot emit object files";
    return failure();
  }
  pm.run(module);
  return success();
}

/// How many pieces the module is compiled in at once: one per core, at most 8; one when pass
/// timings are on (they are process-wide and would interleave).
unsigned codegenPartitions(const llvm::Module &module) {
  if (llvm::TimePassesIsEnabled)
    return 1;
  unsigned functions = 0;
  for (const llvm::Function &f : module)
    functions += !f.isDeclaration();
  return std::max(1u, std::min({std::thread::hardware_concurrency(), 8u, functions}));
}

/// Splits `module` into `parts` modules by function (the step, eval step and OpenMP bodies are
/// independent), then optimizes and emits each on a thread of its own, in an LLVMContext of its
/// own (contexts are not shared between threads: the pieces travel as bitcode). Returns the
/// objects' paths (temporary files).
FailureOr<std::vector<std::string>> compilePartitions(llvm::Module &module, const mlc::HostTarget &target,
                                                      unsigned parts, std::string &error) {
  std::vector<llvm::SmallString<0>> bitcode;
  llvm::SplitModule(module, parts, [&](std::unique_ptr<llvm::Module> part) {
    bitcode.emplace_back();
    llvm::raw_svector_ostream os(bitcode.back());
    llvm::WriteBitcodeToFile(*part, os);
  });
  // Target machines are made here: target registration is not thread-safe.
  std::vector<std::unique_ptr<llvm::TargetMachine>> machines;
  for (size_t i = 0; i < bitcode.size(); ++i) {
    machines.push_back(makeTargetMachine(target, error));
    if (!machines.back())
      return failure();
  }
  std::vector<llvm::SmallString<0>> objects(bitcode.size());
  std::vector<std::string> errors(bitcode.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < bitcode.size(); ++i)
    threads.emplace_back([&, i] {
      llvm::LLVMContext ctx;
      auto part = llvm::parseBitcodeFile(llvm::MemoryBufferRef(bitcode[i], "mlc_model_part"), ctx);
      if (!part) {
        errors[i] = "internal error: " + llvm::toString(part.takeError());
        return;
      }
      llvm::raw_svector_ostream os(objects[i]);
      (void)compileToObject(**part, *machines[i], os, errors[i]);
    });
  for (std::thread &t : threads)
    t.join();
  for (const std::string &e : errors)
    if (!e.empty()) {
      error = e;
      return failure();
    }
  std::vector<std::string> paths;
  for (size_t i = 0; i < objects.size(); ++i) {
    llvm::SmallString<128> path;
    int fd;
    if (auto ec = llvm::sys::fs::createTemporaryFile("mlc-model-part", "o", fd, path)) {
      error = "cannot create a temporary file: " + ec.message();
      for (const std::string &p : paths)
        llvm::sys::fs::remove(p);
      return failure();
    }
    llvm::raw_fd_ostream out(fd, /*shouldClose=*/true);
    out << objects[i];
    paths.push_back(std::string(path));
  }
  return paths;
}

} // namespace

LogicalResult mlc::emitObject(llvm::Module &module, const HostTarget &target, llvm::StringRef path,
                              bool asText, std::string &error) {
  std::unique_ptr<llvm::TargetMachine> tm = makeTargetMachine(target, error);
  if (!tm)
    return failure();
  module.setDataLayout(tm->createDataLayout());
  module.setTargetTriple(tm->getTargetTriple().str());
  if (llvm::verifyModule(module, &llvm::errs())) {
    error = "internal error: generated LLVM IR does not verify";
    return failure();
  }
  unsigned parts = asText ? 1 : codegenPartitions(module);
  if (parts > 1) {
    // Compile time: a large model's step is hundreds of independent functions; LLVM's -O3 and
    // code generation take most of `mlc compile`, and one thread would leave the other cores idle.
    auto objects = compilePartitions(module, target, parts, error);
    if (failed(objects))
      return failure();
    LogicalResult linked = linkRelocatable(*objects, path, error);
    for (const std::string &o : *objects)
      llvm::sys::fs::remove(o);
    return linked;
  }

  std::error_code ec;
  llvm::ToolOutputFile out(path, ec, asText ? llvm::sys::fs::OF_Text : llvm::sys::fs::OF_None);
  if (ec) {
    error = "cannot write '" + path.str() + "': " + ec.message();
    return failure();
  }
  if (asText) {
    optimize(module, *tm);
    module.print(out.os(), nullptr);
  } else if (failed(compileToObject(module, *tm, out.os(), error))) {
    return failure();
  }
  out.keep();
  return success();
}
