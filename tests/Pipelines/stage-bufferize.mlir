// Stage bufferize's contract: no tensors at the step functions' boundary, no results, no heap
// allocation (one planned workspace argument), parameters updated in place (no copy into them).
// RUN: mlc compile %S/Inputs/mlp.mlir --emit=mlir --stage=bufferize | FileCheck %s
// RUN: mlc compile %S/Inputs/mlp.mlir --optimizer=adam --emit=mlir --stage=bufferize | FileCheck %s --check-prefix=ADAM

// mlc-opt registers only the graph stage and the whole pipeline: `mlc compile --stage=bufferize`
// stops after this stage, running exactly what the driver runs.

// CHECK-LABEL: func.func @train_step
// CHECK-SAME: (%[[W1:[^:]*]]: memref<64x48xf32> {{.*}}mlc.param = "fc1.weight"}
// CHECK-SAME: %[[B1:[^:]*]]: memref<64xf32> {{.*}}mlc.param = "fc1.bias"}
// CHECK-SAME: %[[W2:[^:]*]]: memref<10x64xf32> {{.*}}mlc.param = "fc2.weight"}
// CHECK-SAME: %[[B2:[^:]*]]: memref<10xf32> {{.*}}mlc.param = "fc2.bias"}
// CHECK-SAME: %{{[^:]*}}: memref<32x48xf32> {mlc.input = "x"}, %{{[^:]*}}: memref<32xi32> {mlc.label = "label"}
// CHECK-SAME: %{{[^:]*}}: memref<f32> {mlc.hyper = "lr"}, %{{[^:]*}}: memref<f32> {mlc.loss}
// CHECK-SAME: %{{[^:]*}}: memref<{{[0-9]+}}xi8> {mlc.workspace})
// CHECK-SAME: attributes {mlc.profile_ops = [{{.*}}], mlc.workspace_bytes = {{[0-9]+}} : i64} {
// CHECK-NOT: tensor.
// CHECK-NOT: bufferization.
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc
// CHECK-NOT: memref.copy %{{.*}}, %[[W1]] :
// CHECK-NOT: memref.copy %{{.*}}, %[[B1]] :
// CHECK-NOT: memref.copy %{{.*}}, %[[W2]] :
// CHECK-NOT: memref.copy %{{.*}}, %[[B2]] :
// CHECK-NOT: vector.contract
// CHECK: return{{$}}
// CHECK-LABEL: func.func @eval_step
// CHECK-SAME: %{{[^:]*}}: memref<32x10xf32> {mlc.output = "logits"}, %{{[^:]*}}: memref<{{[0-9]+}}xi8> {mlc.workspace})
// CHECK-NOT: tensor.
// CHECK-NOT: memref.alloc
// CHECK: return{{$}}
// The only other functions: the runtime's --profile hooks that @train_step calls around its ops.
// CHECK-NOT: func.func @
// CHECK: func.func private @mlc_profile_begin(i32)
// CHECK-NEXT: func.func private @mlc_profile_end(i32)
// CHECK-NOT: func.func

// Adam: parameters and both moments are updated in place too, and the loss is computed straight
// into its output argument: nothing is copied into any argument.
// ADAM-LABEL: func.func @train_step
// ADAM-SAME: {mlc.param_of = "fc2.bias", mlc.state = "v"}
// ADAM-NOT: memref.copy {{.*}}, %arg{{[0-9]+}} :
// ADAM: return{{$}}
