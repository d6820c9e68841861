// The CPU pipeline, as a straight list of named stages; each stage is a textual pass pipeline so
// that `mlc-opt --pass-pipeline=...` reproduces exactly what the driver runs.
#include "compiler/Pipelines/Pipelines.h"

#include "llvm/Support/FormatVariadic.h"

std::string mlc::linalgStagePipeline(llvm::StringRef gatherGrad, bool transposedProducts) {
  return llvm::formatv("builtin.module(convert-mlc-to-linalg{{gather-grad={0} transposed-products={1}}, "
                       "canonicalize, cse, func.func(mlc-fuse-elementwise), mlc-update-in-place, canonicalize, cse)",
                       gatherGrad, transposedProducts ? "true" : "false");
}

std::string mlc::cpuStagePipeline(Stage stage, const PipelineOptions &o) {
  switch (stage) {
  // Model + loss + optimizer -> @train_step / @eval_step in the mlc dialect.
  case Stage::Graph:
    return llvm::formatv("builtin.module(mlc-attach-loss{{loss={0} reduction={3} label-smoothing={4} "
                         "class-weights={8}}, "
                         "mlc-autodiff{{function=loss}, mlc-attach-optimizer{{optimizer={1} weight-decay={2} "
                         "decay-all={5} l1={6} clip={7}}, inline, symbol-dce, canonicalize, cse, "
                         "mlc-tag-op-groups)",
                         o.loss, o.optimizer, o.weightDecay ? "true" : "false", o.reduction,
                         o.labelSmoothing ? "true" : "false", o.decayAll ? "true" : "false",
                         o.l1 ? "true" : "false", o.clip ? "true" : "false", o.classWeights ? "true" : "false");
  // mlc -> linalg on tensors; elementwise chains fused; updates computed into their arguments.
  // Embedding adjoints scatter (one thread, O(indices)) rather than reduce (O(table x indices)).
  case Stage::Linalg:
    return linalgStagePipeline("scatter", /*transposedProducts=*/true);
  // Threads (scf.forall), register tiles, vectors; first, with `profile`, the trainer's
  // --profile calls around each op.
  case Stage::Schedule:
    return llvm::formatv("builtin.module({2}mlc-cpu-schedule{{parallel-chunks={0} vector-bits={1}}, "
                         "canonicalize, cse)",
                         o.parallelChunks, o.vectorBits, o.profile ? "mlc-cpu-profile-ops, " : "");
  // Buffers: in place where possible, the step ABI, vector lowering, one planned workspace.
  // Vector hoisting runs while temporaries are still distinct allocations: once they are views
  // of one workspace, they may alias as far as the hoisting can tell.
  case Stage::Bufferize:
    return "builtin.module(one-shot-bufferize{bufferize-function-boundaries "
           "function-boundary-type-conversion=identity-layout-map}, canonicalize, cse, "
           "mlc-finalize-step-abi, func.func(mlc-cpu-lower-vectors), canonicalize, cse, "
           "mlc-plan-buffers, canonicalize, cse)";
  // Loops, OpenMP, LLVM dialect (memrefs passed as bare pointers: every shape is static). Math
  // ops become LLVM intrinsics where one exists (sqrt, fma stay vector instructions); the rest
  // (f64 tanh, ...) become libm calls, before vectors are lowered since that unrolls them.
  // The stack buffers of n-D vector transfers are hoisted out of loops: inside an OpenMP
  // worksharing loop nothing frees them before the thread's stack runs out. No canonicalize at
  // the end: on the LLVM dialect of a large model (MobileNetV2's unrolled reductions) it took
  // two thirds of the compile, for nothing LLVM's own -O3 does not do again.
  case Stage::LLVM:
    return "builtin.module(convert-linalg-to-loops, scf-forall-to-parallel, convert-scf-to-openmp, "
           "convert-vector-to-scf, func.func(buffer-loop-hoisting), convert-math-to-llvm, convert-math-to-libm, expand-strided-metadata, lower-affine, finalize-memref-to-llvm, "
           "convert-scf-to-cf, convert-vector-to-llvm, "
           "convert-arith-to-llvm, convert-index-to-llvm, "
           "convert-func-to-llvm{use-bare-ptr-memref-call-conv=1}, convert-cf-to-llvm, "
           "convert-openmp-to-llvm, reconcile-unrealized-casts)";
  }
  llvm_unreachable("unknown stage");
}
