// mlc-gpu-merge-modules keeps one copy of a constant tensor that kernel outlining copied into
// several kernel modules; a different global of the same name is renamed, not merged.
// RUN: mlc-opt %s --mlc-gpu-merge-modules | FileCheck %s

// CHECK: gpu.module @mlc_kernels {
// CHECK: memref.global "private" constant @ids : memref<4xi64> = dense<[1, 3, 3, -1]>
// CHECK-NOT: memref.global "private" constant @ids :
// CHECK: gpu.func @k1
// CHECK-NEXT: memref.get_global @ids :
// CHECK: memref.global "private" constant @[[OTHER:ids_[0-9]+]] : memref<4xi64> = dense<[0, 1, 2, 3]>
// CHECK: gpu.func @k2
// CHECK-NEXT: memref.get_global @[[OTHER]] :
module attributes {gpu.container_module} {
  gpu.module @k0 {
    memref.global "private" constant @ids : memref<4xi64> = dense<[1, 3, 3, -1]>
    gpu.func @k0() kernel {
      %g = memref.get_global @ids : memref<4xi64>
      gpu.return
    }
  }
  gpu.module @k1 {
    memref.global "private" constant @ids : memref<4xi64> = dense<[1, 3, 3, -1]>
    gpu.func @k1() kernel {
      %g = memref.get_global @ids : memref<4xi64>
      gpu.return
    }
  }
  gpu.module @k2 {
    memref.global "private" constant @ids : memref<4xi64> = dense<[0, 1, 2, 3]>
    gpu.func @k2() kernel {
      %g = memref.get_global @ids : memref<4xi64>
      gpu.return
    }
  }
  func.func @step() {
    %c1 = arith.constant 1 : index
    gpu.launch_func @k0::@k0 blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    gpu.launch_func @k1::@k1 blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    gpu.launch_func @k2::@k2 blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    return
  }
}
