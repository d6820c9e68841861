// The CPU pipeline as typed code: each stage appends its passes, constructed with their options
// (no pass-pipeline text is parsed back). The graph stage is shared with the CUDA pipeline.
#include "compiler/Pipelines/Pipelines.h"
#include "compiler/Pipelines/StagePasses.h"

#include "compiler/Autodiff/Passes.h"
#include "compiler/Codegen/CPU/Passes.h"
#include "compiler/Codegen/Common/Passes.h"
#include "compiler/Conversion/Passes.h"
#include "compiler/Graph/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void mlc::addCanonicalizeCSE(OpPassManager &pm) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

// Model + loss + optimizer -> @train_step / @eval_step in the mlc dialect; every matmul named
// by what it is for (the report and the profile group by it).
void mlc::addGraphStage(OpPassManager &pm, const PipelineOptions &o) {
  if (o.channelsLast) {
    pm.addPass(createChannelsLast());
    pm.addPass(createParamLayout());
  }
  AttachLossOptions loss;
  loss.loss = o.loss;
  loss.reduction = o.reduction;
  loss.labelSmoothing = o.labelSmoothing;
  loss.classWeights = o.classWeights;
  pm.addPass(createAttachLoss(loss));
  AutodiffOptions autodiff;
  autodiff.function = "loss";
  pm.addPass(createAutodiff(autodiff));
  AttachOptimizerOptions optimizer;
  optimizer.optimizer = o.optimizer;
  optimizer.weightDecay = o.weightDecay;
  optimizer.decayAll = o.decayAll;
  optimizer.l1 = o.l1;
  optimizer.clip = o.clip;
  pm.addPass(createAttachOptimizer(optimizer));
  pm.addPass(createInlinerPass());
  pm.addPass(createSymbolDCEPass());
  addCanonicalizeCSE(pm);
  pm.addPass(createConvDataGradAsConv());
  addCanonicalizeCSE(pm);
  pm.addPass(createTagOpGroups());
}

// mlc -> linalg on tensors; elementwise chains fused; updates computed into their arguments.
void mlc::addLinalgStage(OpPassManager &pm, llvm::StringRef gatherGrad, bool transposedProducts,
                         bool splitLongProducts) {
  pm.addPass(createDecomposeDepthwiseConv());
  ConvertMlcToLinalgOptions lower;
  lower.gatherGrad = gatherGrad.str();
  lower.transposedProducts = transposedProducts;
  lower.splitLongProducts = splitLongProducts;
  pm.addPass(createConvertMlcToLinalg(lower));
  addCanonicalizeCSE(pm);
  pm.addNestedPass<func::FuncOp>(createRematerialize());
  pm.addNestedPass<func::FuncOp>(createFuseElementwise());
  pm.addPass(createUpdateInPlace());
  addCanonicalizeCSE(pm);
}

/// One-shot bufferization across function boundaries, identity layouts at the boundary (every
/// buffer of a step is a whole, contiguous argument or workspace view).
void mlc::addBufferize(OpPassManager &pm) {
  bufferization::OneShotBufferizationOptions options;
  options.bufferizeFunctionBoundaries = true;
  options.setFunctionBoundaryTypeConversion(bufferization::LayoutMapOption::IdentityLayoutMap);
  pm.addPass(bufferization::createOneShotBufferizePass(options));
  addCanonicalizeCSE(pm);
}

static void addCPUSchedule(OpPassManager &pm, const mlc::PipelineOptions &o) {
  pm.addNestedPass<func::FuncOp>(mlc::createExplicitSliceCopies());
  // With `profile`, the trainer's --profile calls around each op first.
  if (o.profile)
    pm.addPass(mlc::createCPUProfileOps());
  mlc::CPUScheduleOptions schedule;
  schedule.parallelChunks = o.parallelChunks;
  schedule.vectorBits = o.vectorBits;
  pm.addPass(mlc::createCPUSchedule(schedule));
  mlc::addCanonicalizeCSE(pm);
}

// Buffers: in place where possible, the step ABI, each loop nest in a function of its own (equal
// ones shared), vector lowering, one planned workspace. Outlining first lets the vector lowering
// run on the nests' functions in parallel (it was a third of MobileNetV2's compile, on one huge
// function). Vector hoisting runs while temporaries are still distinct allocations: once they
// are views of one workspace, they may alias as far as the hoisting can tell.
static void addCPUBufferize(OpPassManager &pm) {
  mlc::addBufferize(pm);
  pm.addPass(mlc::createFinalizeStepABI());
  pm.addPass(mlc::createCPUOutlineLoopNests());
  // From here on the functions are many and independent: each is cleaned up on its own, in
  // parallel.
  OpPassManager &nests = pm.nest<func::FuncOp>();
  nests.addPass(mlc::createCPULowerVectors());
  mlc::addCanonicalizeCSE(nests);
  pm.addPass(mlc::createPlanBuffers());
  mlc::addCanonicalizeCSE(pm.nest<func::FuncOp>());
}

// Loops, OpenMP, LLVM dialect (memrefs passed as bare pointers: every shape is static). Math ops
// become LLVM intrinsics where one exists (sqrt, fma stay vector instructions); the rest (f64
// tanh, ...) become libm calls, before vectors are lowered since that unrolls them. The stack
// buffers of n-D vector transfers are hoisted out of loops: inside an OpenMP worksharing loop
// nothing frees them before the thread's stack runs out. No canonicalize at the end: on the
// LLVM dialect of a large model it took two thirds of the compile, for nothing LLVM's own -O3
// does not do again.
//
// Every conversion that works within one function runs on the functions in parallel (a large
// model's step is hundreds of outlined loop nests); only the passes that add or rewrite
// module-level symbols (reduction declarations, libm declarations, function signatures, memref
// globals) run on the module. The order is the same as one module-wide sequence.
void mlc::addCPULLVMStage(OpPassManager &pm) {
  OpPassManager &loops = pm.nest<func::FuncOp>();
  loops.addPass(createConvertLinalgToLoopsPass());
  loops.addPass(createForallToParallelLoopPass());
  pm.addPass(createConvertSCFToOpenMPPass());
  OpPassManager &vectors = pm.nest<func::FuncOp>();
  vectors.addPass(createConvertVectorToSCFPass());
  vectors.addPass(bufferization::createBufferLoopHoistingPass());
  vectors.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  OpPassManager &memrefs = pm.nest<func::FuncOp>();
  memrefs.addPass(memref::createExpandStridedMetadataPass());
  memrefs.addPass(createLowerAffinePass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  OpPassManager &bodies = pm.nest<func::FuncOp>();
  bodies.addPass(createConvertSCFToCFPass());
  bodies.addPass(createConvertVectorToLLVMPass());
  bodies.addPass(createArithToLLVMConversionPass());
  bodies.addPass(createConvertIndexToLLVMPass());
  ConvertFuncToLLVMPassOptions func;
  func.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(func));
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void mlc::addCPUStage(OpPassManager &pm, Stage stage, const PipelineOptions &o) {
  switch (stage) {
  case Stage::Graph:
    return addGraphStage(pm, o);
  // Embedding adjoints scatter (one thread, O(indices)) rather than reduce (O(table x indices));
  // x W^T with a large W is computed as (W x^T)^T; weight gradients over long contractions are
  // split into slices that threads take whole.
  case Stage::Linalg:
    return addLinalgStage(pm, "scatter", /*transposedProducts=*/true, /*splitLongProducts=*/true);
  case Stage::Schedule:
    return addCPUSchedule(pm, o);
  case Stage::Bufferize:
    return addCPUBufferize(pm);
  case Stage::LLVM:
    return addCPULLVMStage(pm);
  }
  llvm_unreachable("unknown stage");
}
