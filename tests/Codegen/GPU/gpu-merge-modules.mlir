// mlc-gpu-merge-modules: every kernel in one gpu.module @mlc_kernels, with unique names, and the launches pointed at them.
// RUN: mlc-opt %s --split-input-file --mlc-gpu-merge-modules | FileCheck %s

// gpu-kernel-outlining's output: one module per kernel, every kernel named after its function.
// Each moved kernel takes its module's (unique) name.
// CHECK: gpu.module @mlc_kernels {
// CHECK-NEXT: gpu.func @step_kernel(
// CHECK: gpu.func @step_kernel_0(
// CHECK: gpu.func @step_kernel_1(
// CHECK-NOT: gpu.module
// CHECK-LABEL: func.func @step
// CHECK-NEXT: %[[C1:.*]] = arith.constant 1 : index
// CHECK-NEXT: gpu.launch_func @mlc_kernels::@step_kernel blocks
// CHECK-NEXT: gpu.launch_func @mlc_kernels::@step_kernel_0 blocks
// CHECK-NEXT: gpu.launch_func @mlc_kernels::@step_kernel_1 blocks
// CHECK-NEXT: gpu.launch_func @mlc_kernels::@step_kernel_0 blocks
module attributes {gpu.container_module} {
  gpu.module @step_kernel {
    gpu.func @step_kernel(%a: memref<4xf32>) kernel { gpu.return }
  }
  gpu.module @step_kernel_0 {
    gpu.func @step_kernel(%a: memref<4xf32>) kernel { gpu.return }
  }
  gpu.module @step_kernel_1 {
    gpu.func @step_kernel(%a: memref<4xf32>) kernel { gpu.return }
  }
  func.func @step(%a: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    gpu.launch_func @step_kernel::@step_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    gpu.launch_func @step_kernel_0::@step_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    gpu.launch_func @step_kernel_1::@step_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    gpu.launch_func @step_kernel_0::@step_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    return
  }
}

// -----

// Kernels of two functions (train and eval steps).
// CHECK: gpu.module @mlc_kernels {
// CHECK-NEXT: gpu.func @train_step_kernel(
// CHECK: gpu.func @eval_step_kernel(
// CHECK-NOT: gpu.module
// CHECK-LABEL: func.func @train_step
// CHECK: gpu.launch_func @mlc_kernels::@train_step_kernel blocks
// CHECK-LABEL: func.func @eval_step
// CHECK: gpu.launch_func @mlc_kernels::@eval_step_kernel blocks
module attributes {gpu.container_module} {
  gpu.module @train_step_kernel {
    gpu.func @train_step_kernel(%a: memref<4xf32>) kernel { gpu.return }
  }
  gpu.module @eval_step_kernel {
    gpu.func @eval_step_kernel(%a: memref<4xf32>) kernel { gpu.return }
  }
  func.func @train_step(%a: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    gpu.launch_func @train_step_kernel::@train_step_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    return
  }
  func.func @eval_step(%a: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    gpu.launch_func @eval_step_kernel::@eval_step_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    return
  }
}

// -----

// Name clash: the first module already holds a kernel named like the second module, whose kernel
// gets a fresh name; both launches still reach their own kernel.
// CHECK: gpu.module @mlc_kernels {
// CHECK-NEXT: gpu.func @b(%{{.*}}: memref<4xf32>) kernel {
// CHECK-NEXT: gpu.return
// CHECK: gpu.func @[[RENAMED:b_[0-9]+]](%{{.*}}: memref<8xf32>) kernel {
// CHECK-LABEL: func.func @clash
// CHECK: gpu.launch_func @mlc_kernels::@b blocks {{.*}} args(%{{.*}} : memref<4xf32>)
// CHECK-NEXT: gpu.launch_func @mlc_kernels::@[[RENAMED]] blocks {{.*}} args(%{{.*}} : memref<8xf32>)
module attributes {gpu.container_module} {
  gpu.module @a {
    gpu.func @b(%x: memref<4xf32>) kernel { gpu.return }
  }
  gpu.module @b {
    gpu.func @k(%x: memref<8xf32>) kernel { gpu.return }
  }
  func.func @clash(%x: memref<4xf32>, %y: memref<8xf32>) {
    %c1 = arith.constant 1 : index
    gpu.launch_func @a::@b blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%x : memref<4xf32>)
    gpu.launch_func @b::@k blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%y : memref<8xf32>)
    return
  }
}

// -----

// A single module is only renamed.
// CHECK: gpu.module @mlc_kernels {
// CHECK-NEXT: gpu.func @only(
// CHECK-LABEL: func.func @one
// CHECK: gpu.launch_func @mlc_kernels::@only blocks
module attributes {gpu.container_module} {
  gpu.module @only {
    gpu.func @only(%x: memref<4xf32>) kernel { gpu.return }
  }
  func.func @one(%x: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    gpu.launch_func @only::@only blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%x : memref<4xf32>)
    return
  }
}

// -----

// No kernels: nothing to do.
// CHECK-LABEL: func.func @no_kernels
// CHECK-NOT: gpu.module
module attributes {gpu.container_module} {
  func.func @no_kernels() {
    return
  }
}
