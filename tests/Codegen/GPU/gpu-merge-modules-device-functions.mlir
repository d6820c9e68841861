// mlc-gpu-merge-modules keeps the calls from a kernel to a device function of its module valid.
// RUN: mlc-opt %s --mlc-gpu-merge-modules | FileCheck %s


// CHECK: gpu.module @mlc_kernels {
// CHECK: func.func @[[HELPER:[a-z0-9_]+]](%{{.*}}: memref<4xf32>)
// CHECK: gpu.func @[[K1:[a-z0-9_]+]](%{{.*}}: memref<4xf32>) kernel
// CHECK-NEXT: func.call @[[HELPER]](
// CHECK-LABEL: func.func @step
// CHECK: gpu.launch_func @mlc_kernels::@k0 blocks
// CHECK-NEXT: gpu.launch_func @mlc_kernels::@[[K1]] blocks
module attributes {gpu.container_module} {
  gpu.module @k0 {
    gpu.func @k0(%a: memref<4xf32>) kernel { gpu.return }
  }
  gpu.module @k1 {
    func.func @helper(%a: memref<4xf32>) { return }
    gpu.func @k1(%a: memref<4xf32>) kernel {
      func.call @helper(%a) : (memref<4xf32>) -> ()
      gpu.return
    }
  }
  func.func @step(%a: memref<4xf32>) {
    %c1 = arith.constant 1 : index
    gpu.launch_func @k0::@k0 blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    gpu.launch_func @k1::@k1 blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    return
  }
}
