// Registers every dialect, extension, pass and pipeline that mlc and mlc-opt use.
#include "compiler/InitAll.h"
#include "compiler/Autodiff/Passes.h"
#include "compiler/Conversion/Passes.h"
#include "compiler/Pipelines/Passes.h"
#include "compiler/Pipelines/Pipelines.h"
#include "compiler/Codegen/CPU/Passes.h"
#include "compiler/Codegen/Common/Passes.h"
#include "compiler/Codegen/GPU/Passes.h"
#include "compiler/Graph/Passes.h"
#include "dialects/Mlc/MlcDialect.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

void mlc::registerAllDialects(mlir::DialectRegistry &registry) {
  // Upstream passes rely on external interface models (bufferization, tiling, ...) that only
  // the registerAll* functions attach; a missing one shows up as "op was not bufferized".
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllToLLVMIRTranslations(registry);
  registry.insert<MlcDialect>();
  registerVJPRules(registry);
}

void mlc::registerAllPasses() {
  mlir::registerAllPasses();
  registerAutodiffPasses();
  registerGraphPasses();
  registerCodegenCommonPasses();
  registerCodegenCPUPasses();
  registerCodegenGPUPasses();
  registerConversionPasses();
  registerPipelinesPasses();
  registerPipelines();
}
