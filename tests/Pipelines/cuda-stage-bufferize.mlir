// Stage bufferize for cuda: the step functions' host code only computes views and launches kernels; every memory access is inside a gpu.launch.
// RUN: mlc-opt %S/Inputs/mlp.mlir --mlc-stage-graph --mlc-stage-linalg --mlc-stage-schedule="target=cuda" \
// RUN:   --mlc-stage-bufferize="target=cuda" > %t.sgd
// RUN: FileCheck %s < %t.sgd
// RUN: %python %S/Inputs/check_host_ops.py < %t.sgd | FileCheck %s --check-prefix=HOST
// RUN: mlc-opt %S/Inputs/mlp.mlir --mlc-stage-graph="loss=mse optimizer=adam" --mlc-stage-linalg \
// RUN:   --mlc-stage-schedule="target=cuda" --mlc-stage-bufferize="target=cuda" \
// RUN:   | %python %S/Inputs/check_host_ops.py | FileCheck %s --check-prefix=HOST

// check_host_ops.py lists the top-level ops of each function that are not constants, index
// arithmetic, views or gpu.launch.
// HOST: @train_step: {{[1-9][0-9]*}} gpu.launch, host ops ok
// HOST-NEXT: @eval_step: {{[1-9][0-9]*}} gpu.launch, host ops ok
// HOST-NOT: host op

// The step ABI as for the CPU: buffers in, one workspace, no results.
// CHECK-LABEL: func.func @train_step
// CHECK-SAME: %[[LOSS:[^:]*]]: memref<f32> {mlc.loss}, %[[WS:[^:]*]]: memref<{{[0-9]+}}xi8> {mlc.workspace})
// CHECK-NOT: {{tensor\.|bufferization\.|memref\.alloc|memref\.copy|linalg\.|scf\.forall}}
// The forward matmul on tensor cores: one block of 2x1 warps.
// CHECK: gpu.launch blocks({{.*}}) in (%{{[^ ]*}} = %c1, %{{[^ ]*}} = %c1, %{{[^ ]*}} = %c1) threads({{.*}}) in (%{{[^ ]*}} = %c64, %{{[^ ]*}} = %c1, %{{[^ ]*}} = %c1) workgroup(
// CHECK: nvgpu.mma.sync
// The bias and ReLU after it: a 2x4 grid of 32x8 threads.
// CHECK: gpu.launch blocks({{.*}}) in (%{{[^ ]*}} = %c2, %{{[^ ]*}} = %c4, %{{[^ ]*}} = %c1) threads({{.*}}) in (%{{[^ ]*}} = %c32, %{{[^ ]*}} = %c8, %{{[^ ]*}} = %c1)
// The softmax's row maximum (10 classes) as tree reductions of 4 lanes, 32 rows per block.
// CHECK: gpu.launch blocks({{.*}}) in (%{{[^ ]*}} = %c1, %{{[^ ]*}} = %c1, %{{[^ ]*}} = %c1) threads({{.*}}) in (%{{[^ ]*}} = %c128, %{{[^ ]*}} = %c1, %{{[^ ]*}} = %c1) workgroup(%{{.*}} : memref<128xf32, #gpu.address_space<workgroup>>)
// CHECK: arith.maximumf
// CHECK: gpu.barrier
// The loss, a sum over the batch of 32: one block of 8 threads.
// CHECK: gpu.launch blocks({{.*}}) in (%{{[^ ]*}} = %c1, %{{[^ ]*}} = %c1, %{{[^ ]*}} = %c1) threads({{.*}}) in (%{{[^ ]*}} = %c8, %{{[^ ]*}} = %c1, %{{[^ ]*}} = %c1) workgroup(%{{.*}} : memref<8xf32, #gpu.address_space<workgroup>>)
// CHECK: gpu.barrier
// CHECK: memref.store %{{.*}}, %[[LOSS]][] : memref<f32>
// CHECK-NOT: {{tensor\.|bufferization\.|memref\.alloc|memref\.copy|linalg\.|scf\.forall}}
// CHECK: return{{$}}
// CHECK-LABEL: func.func @eval_step
// CHECK-NOT: {{tensor\.|bufferization\.|memref\.alloc|memref\.copy|linalg\.|scf\.forall}}
// CHECK: return{{$}}
