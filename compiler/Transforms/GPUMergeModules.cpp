// mlc-gpu-merge-modules: one gpu.module for all of a program's kernels.
#include "compiler/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/SymbolTable.h"

namespace mlc {
#define GEN_PASS_DEF_GPUMERGEMODULES
#include "compiler/Transforms/Passes.h.inc"
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
      for (Operation &op : llvm::make_early_inc_range(m.getBody()->without_terminator())) {
        auto sym = dyn_cast<SymbolOpInterface>(op);
        if (!sym)
          continue;
        auto oldRef = SymbolRefAttr::get(m.getNameAttr(),
                                         {FlatSymbolRefAttr::get(sym.getNameAttr())});
        op.moveBefore(merged.getBody(), merged.getBody()->without_terminator().end());
        // The kernel takes its (unique) module's name; SymbolTable::insert renames on clashes.
        sym.setName(m.getNameAttr());
        StringAttr name = kernels.insert(&op);
        renamed[oldRef] = name;
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
