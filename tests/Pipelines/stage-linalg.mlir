// Stage linalg's contract: no mlc op remains; parameter updates are computed into their arguments.
// RUN: mlc compile %S/Inputs/mlp.mlir --emit=mlir --stage=linalg | FileCheck %s

// mlc-opt registers only the graph stage and the whole pipeline: `mlc compile --stage=linalg`
// stops after this stage, running exactly what the driver runs.

// Every parameter of @train_step is writable (its update happens in place); the input is not.
// CHECK-LABEL: func.func @train_step
// CHECK-SAME: %{{[^:]*}}: tensor<64x48xf32> {bufferization.writable = true, {{.*}}mlc.param = "fc1.weight"}
// CHECK-SAME: %{{[^:]*}}: tensor<10xf32> {bufferization.writable = true, {{.*}}mlc.param = "fc2.bias"}
// CHECK-SAME: %{{[^:]*}}: tensor<32x48xf32> {mlc.input = "x"}
// CHECK-NOT: = mlc.
// CHECK: linalg.matmul
// CHECK-NOT: = mlc.
// CHECK: return
// CHECK-LABEL: func.func @eval_step
// CHECK-NOT: bufferization.writable
// CHECK-NOT: = mlc.
// CHECK: return
