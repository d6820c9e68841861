// The whole CUDA pipeline: host code in the LLVM dialect launching the kernels of one gpu.binary (PTX for the chosen chip).
// RUN: mlc-opt %S/Inputs/mlp.mlir --mlc-cuda-pipeline="optimizer=adam gpu-arch=sm_90" \
// RUN:   | FileCheck %s --implicit-check-not=gpu.binary --implicit-check-not=gpu.module --implicit-check-not="gpu.launch blocks"

// gpu.launch_func stays in the LLVM dialect: translating it to LLVM IR emits the mgpu* calls
// (mgpuModuleLoad, mgpuLaunchKernel, ...), see tests/Driver/cuda-obj.test.
// CHECK-LABEL: llvm.func @train_step
// CHECK-SAME: !llvm.ptr {mlc.param_of = "fc2.bias", mlc.state = "v"}
// CHECK-SAME: %{{[^:]*}}: !llvm.ptr {mlc.workspace})
// CHECK-NOT: {{ (linalg|memref|scf|vector|tensor|arith|math|affine|cf|mlc|func)\.|unrealized_conversion_cast|malloc}}
// CHECK: gpu.launch_func {{(<.*> )?}}@mlc_kernels::@train_step_kernel blocks in ({{.*}}) threads in ({{.*}}) : i64 args(
// CHECK-NOT: {{ (linalg|memref|scf|vector|tensor|arith|math|affine|cf|mlc|func)\.|unrealized_conversion_cast|malloc}}
// CHECK: llvm.return
// One binary for all kernels, PTX text for sm_90.
// CHECK: gpu.binary @mlc_kernels [#gpu.object<#nvvm.target<O = 3, chip = "sm_90">, {{.*}}assembly = "{{.*}}\0A.target sm_90\0A{{.*}}.visible .entry train_step_kernel(
// CHECK-LABEL: llvm.func @eval_step
// CHECK-SAME: %{{[^:]*}}: !llvm.ptr {mlc.output = "logits"}, %{{[^:]*}}: !llvm.ptr {mlc.workspace})
// CHECK: gpu.launch_func {{(<.*> )?}}@mlc_kernels::@eval_step_kernel blocks
// CHECK: llvm.return
