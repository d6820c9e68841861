// Stage llvm for cuda: a kernel takes its memrefs as bare pointers, one parameter each, as the host's gpu.launch_func passes them.
// RUN: mlc-opt %s --mlc-stage-llvm="target=cuda" | FileCheck %s


// CHECK-LABEL: llvm.func @step
// CHECK: gpu.launch_func {{(<.*> )?}}@mlc_kernels::@step_kernel blocks in ({{.*}}) threads in ({{.*}}) : i64 args(%{{[^ ]*}} : !llvm.ptr){{$}}
// CHECK: .visible .entry step_kernel(\0A\09.param {{[^\\]*}}step_kernel_param_0\0A)
func.func @step(%a: memref<32x64xf32>) {
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant 0.0 : f32
  gpu.launch blocks(%bx, %by, %bz) in (%x = %c32, %y = %c1, %z = %c1)
             threads(%tx, %ty, %tz) in (%x1 = %c32, %y1 = %c1, %z1 = %c1) {
    memref.store %zero, %a[%bx, %tx] : memref<32x64xf32>
    gpu.terminator
  }
  return
}
