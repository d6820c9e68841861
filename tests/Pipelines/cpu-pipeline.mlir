// The whole CPU pipeline: only LLVM-dialect and OpenMP ops remain, pointer arguments, no malloc;
// each loop nest in a no_inline function of its own, which the steps call.
// RUN: mlc-opt %S/Inputs/mlp.mlir --mlc-cpu-pipeline | FileCheck %s --implicit-check-not="{{(linalg|memref|scf|vector|tensor|arith|math|affine|cf|mlc|func)\.[a-z_]+ [%@(]|unrealized_conversion_cast|malloc}}"
// RUN: mlc-opt %S/Inputs/mlp.mlir --mlc-cpu-pipeline="loss=mse optimizer=adam parallel-chunks=4" | FileCheck %s --check-prefix=ADAM --implicit-check-not="{{(linalg|memref|scf|vector|tensor|arith|math|affine|cf|mlc|func)\.[a-z_]+ [%@(]|unrealized_conversion_cast|malloc}}"

// CHECK: llvm.func @train_step_nest{{[0-9]+}}({{.*}}attributes {no_inline
// CHECK: omp.parallel
// CHECK-NEXT: omp.wsloop
// Memrefs pass as bare pointers: one !llvm.ptr per parameter, input, label, hyperparameter,
// loss output and the workspace.
// CHECK-LABEL: llvm.func @train_step(
// CHECK-SAME: %{{[^:]*}}: !llvm.ptr {{.*}}mlc.param = "fc1.weight"}
// CHECK-SAME: %{{[^:]*}}: !llvm.ptr {mlc.loss}, %{{[^:]*}}: !llvm.ptr {mlc.workspace})
// CHECK-SAME: attributes {mlc.workspace_bytes = {{[0-9]+}} : i64}
// CHECK: llvm.call @train_step_nest
// CHECK: llvm.return
// CHECK: llvm.func @eval_step_nest{{[0-9]+}}(
// CHECK-LABEL: llvm.func @eval_step(
// CHECK-SAME: %{{[^:]*}}: !llvm.ptr {mlc.output = "logits"}, %{{[^:]*}}: !llvm.ptr {mlc.workspace})
// CHECK: llvm.call @{{(train|eval)}}_step_nest
// CHECK: llvm.return

// Adam: the state and its five hyperparameters are pointers too.
// ADAM: omp.parallel
// ADAM-LABEL: llvm.func @train_step(
// ADAM-SAME: !llvm.ptr {mlc.param_of = "fc2.bias", mlc.state = "v"}
// ADAM-SAME: !llvm.ptr {mlc.hyper = "step"}
// ADAM: llvm.return
// ADAM-LABEL: llvm.func @eval_step(
