// The whole CPU pipeline: only LLVM-dialect and OpenMP ops remain, pointer arguments, no malloc.
// RUN: mlc-opt %S/Inputs/mlp.mlir --mlc-cpu-pipeline | FileCheck %s
// RUN: mlc-opt %S/Inputs/mlp.mlir --mlc-cpu-pipeline="loss=mse optimizer=adam parallel-chunks=4" | FileCheck %s --check-prefix=ADAM

// CHECK-NOT: func.func
// CHECK-NOT: malloc
// Memrefs pass as bare pointers: one !llvm.ptr per parameter, input, label, hyperparameter,
// loss output and the workspace.
// CHECK-LABEL: llvm.func @train_step
// CHECK-SAME: (%{{[^:]*}}: !llvm.ptr {{.*}}mlc.param = "fc1.weight"}
// CHECK-SAME: %{{[^:]*}}: !llvm.ptr {mlc.loss}, %{{[^:]*}}: !llvm.ptr {mlc.workspace})
// CHECK-SAME: attributes {mlc.workspace_bytes = {{[0-9]+}} : i64}
// CHECK-NOT: {{ (linalg|memref|scf|vector|tensor|arith|math|affine|cf|mlc)\.|unrealized_conversion_cast|malloc}}
// CHECK: omp.parallel
// CHECK-NEXT: omp.wsloop
// CHECK-NOT: {{ (linalg|memref|scf|vector|tensor|arith|math|affine|cf|mlc)\.|unrealized_conversion_cast|malloc}}
// CHECK: llvm.return
// CHECK-LABEL: llvm.func @eval_step
// CHECK-SAME: %{{[^:]*}}: !llvm.ptr {mlc.output = "logits"}, %{{[^:]*}}: !llvm.ptr {mlc.workspace})
// CHECK-NOT: {{ (linalg|memref|scf|vector|tensor|arith|math|affine|cf|mlc)\.|unrealized_conversion_cast|malloc}}
// CHECK: omp.parallel
// CHECK-NOT: {{ (linalg|memref|scf|vector|tensor|arith|math|affine|cf|mlc)\.|unrealized_conversion_cast|malloc}}
// CHECK: llvm.return
// CHECK-NOT: func.func

// Adam: the state and its five hyperparameters are pointers too.
// ADAM-LABEL: llvm.func @train_step
// ADAM-SAME: !llvm.ptr {mlc.param_of = "fc2.bias", mlc.state = "v"}
// ADAM-SAME: !llvm.ptr {mlc.hyper = "step"}
// ADAM-NOT: {{ (linalg|memref|scf|vector|tensor|arith|math|affine|cf|mlc)\.|unrealized_conversion_cast|malloc}}
// ADAM: omp.parallel
// ADAM-NOT: {{ (linalg|memref|scf|vector|tensor|arith|math|affine|cf|mlc)\.|unrealized_conversion_cast|malloc}}
// ADAM: llvm.return
// ADAM-LABEL: llvm.func @eval_step
