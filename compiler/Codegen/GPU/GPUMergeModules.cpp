// mlc-gpu-merge-modules: one gpu.module for all of a program's kernels.
#include "compiler/Codegen/GPU/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"

namespace mlc {
#define GEN_PASS_DEF_GPUMERGEMODULES
#include "compiler/Codegen/GPU/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

struct GPUMergeModulesPass : public mlc::impl::GPUMergeModulesBase<GPUMergeModulesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto modules = llvm::to_vector(module.getOps<gpu::GPUModuleOp>());
    if (modules.empty())
      return;
    gpu::GPUModuleOp merged = modules.front();
    SymbolTable top(module);
    if (failed(top.rename(merged, "mlc_kernels")))
      return signalPassFailure();
    SymbolTable kernels(merged);

    // Old (module, function) reference -> new function name in the merged module.
    DenseMap<SymbolRefAttr, StringAttr> renamed;
    for (gpu::GPUModuleOp m : llvm::drop_begin(modules)) {
      // Kernels take their (unique) module's name; other symbols (device functions the kernels
      // call) keep theirs unless taken. Either way, uses inside the module follow the rename.
      for (Operation &op : llvm::make_early_inc_range(m.getBody()->without_terminator())) {
        auto sym = dyn_cast<SymbolOpInterface>(op);
        if (!sym)
          continue;
        StringAttr oldName = sym.getNameAttr();
        // A constant tensor that kernels of several modules read (each module got its own copy
        // at outlining) is kept once.
        if (auto global = dyn_cast<memref::GlobalOp>(op)) {
          auto kept = dyn_cast_or_null<memref::GlobalOp>(kernels.lookup(oldName));
          if (kept && kept.getConstant() && global.getConstant() && kept.getType() == global.getType() &&
              kept.getInitialValueAttr() == global.getInitialValueAttr()) {
            op.erase();
            continue;
          }
        }
        bool isKernel = op.hasAttr(gpu::GPUDialect::getKernelFuncAttrName());
        std::string wanted = isKernel ? m.getName().str() : oldName.str();
        std::string name = wanted;
        for (int i = 0; kernels.lookup(name); ++i)
          name = wanted + "_" + std::to_string(i);
        if (name != oldName.getValue() &&
            failed(SymbolTable::replaceAllSymbolUses(oldName, StringAttr::get(&getContext(), name), m)))
          return signalPassFailure();
        sym.setName(StringAttr::get(&getContext(), name));
        op.moveBefore(merged.getBody(), merged.getBody()->without_terminator().end());
        kernels.insert(&op);
        renamed[SymbolRefAttr::get(m.getNameAttr(), {FlatSymbolRefAttr::get(oldName)})] =
            sym.getNameAttr();
      }
      m.erase();
    }
    module.walk([&](gpu::LaunchFuncOp launch) {
      auto it = renamed.find(launch.getKernel());
      if (it != renamed.end())
        launch.setKernelAttr(SymbolRefAttr::get(merged.getNameAttr(),
                                                {FlatSymbolRefAttr::get(it->second)}));
      else if (launch.getKernelModuleName() != merged.getName())
        launch.setKernelAttr(SymbolRefAttr::get(merged.getNameAttr(),
                                                {FlatSymbolRefAttr::get(launch.getKernelName())}));
    });
  }
};

} // namespace
