// Passes that belong to the pipelines themselves: the contract each stage leaves behind.
#ifndef MLC_COMPILER_PIPELINES_PASSES_TD
#define MLC_COMPILER_PIPELINES_PASSES_TD

include "mlir/Pass/PassBase.td"

def CheckStageContract : Pass<"mlc-check-contract", "mlir::ModuleOp"> {
  let summary = "Check what a stage of the pipeline promises the next one";
  let description = [{
    Ends every stage of the CPU and CUDA pipelines, so a broken stage fails where it broke, with
    the op that breaks the promise, instead of somewhere downstream:
    - `graph`: public `@train_step` and `@eval_step`; only graph-level ops in them (no linalg,
      memref, scf or vector op); every argument of `@train_step` has one role (`mlc.param`,
      `mlc.state`, `mlc.buffer`, `mlc.input`, `mlc.label`, `mlc.class_weights`, `mlc.hyper`).
    - `linalg`: no `mlc` op left.
    - `schedule`: no `mlc` op; on the CPU no contraction left whole at a step's top level (each
      is tiled for threads or registers).
    - `bufferize`: no tensor anywhere in the step functions, no heap allocation, no results.
    - `llvm`: nothing but the LLVM dialect, OpenMP's ops (translated with it) and, for CUDA, the
      kernels' `gpu.binary` and the host's `gpu.launch_func`s.

    ```mlir
    // mlc-opt --mlc-check-contract=stage=bufferize on a step that still allocates:
    %b = memref.alloc() : memref<64xf32>
    // error: stage 'bufferize' breaks its contract: heap allocation left in @train_step
    ```
  }];
  let options = [
    Option<"stage", "stage", "std::string", /*default=*/"\"llvm\"",
           "The stage whose contract to check: graph, linalg, schedule, bufferize or llvm">,
    Option<"target", "target", "std::string", /*default=*/"\"cpu\"", "cpu or cuda">,
  ];
}

#endif // MLC_COMPILER_PIPELINES_PASSES_TD
