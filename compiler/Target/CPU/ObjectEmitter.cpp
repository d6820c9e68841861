// LLVM-dialect module -> LLVM IR with the trainer's entry points -> optimized native object.
#include "compiler/Target/CPU/Emit.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/IR/IRBuilder.h"
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
  optimize(module, *tm);

  std::error_code ec;
  llvm::ToolOutputFile out(path, ec, asText ? llvm::sys::fs::OF_Text : llvm::sys::fs::OF_None);
  if (ec) {
    error = "cannot write '" + path.str() + "': " + ec.message();
    return failure();
  }
  if (asText) {
    module.print(out.os(), nullptr);
  } else {
    llvm::legacy::PassManager pm;
    if (tm->addPassesToEmitFile(pm, out.os(), nullptr, llvm::CodeGenFileType::ObjectFile)) {
      error = "the target cannot emit object files";
      return failure();
    }
    pm.run(module);
  }
  out.keep();
  return success();
}
