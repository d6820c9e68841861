// mlc-cpu-profile-ops: @train_step's ops between the runtime's profiling calls, with a record of
// each op's group, FLOPs and bytes (what ./trainer --profile reports against).
// RUN: mlc-opt %s --mlc-cpu-profile-ops | FileCheck %s
// RUN: mlc-opt %s --mlc-cpu-profile-ops --mlc-cpu-schedule | FileCheck %s --check-prefix=SCHEDULED

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

// Op 0: a 16x64 by 64x32 GEMM, 2 * 16 * 32 * 64 = 65536 FLOPs, (16*64 + 64*32 + 16*32) * 4
// bytes. Op 1: a bias add and ReLU, two FLOPs per element (max counts) on 16x32. Op 2: an
// optimizer update written into its argument. The fill is not timed: scheduling moves it into
// the GEMM's tiles.
// CHECK-LABEL: func.func @train_step
// CHECK-SAME: attributes {mlc.profile_ops = ["gemm 65536 14336", "elementwise 1024 4224", "optimizer 4096 24576"]}
// CHECK: linalg.fill
// CHECK-NEXT: %[[ID0:.*]] = arith.constant 0 : i32
// CHECK-NEXT: call @mlc_profile_begin(%[[ID0]]) : (i32) -> ()
// CHECK-NEXT: linalg.matmul
// CHECK-NEXT: call @mlc_profile_end(%[[ID0]]) : (i32) -> ()
// CHECK: call @mlc_profile_begin(%[[ID1:.*]]) : (i32) -> ()
// CHECK-NEXT: linalg.generic
// CHECK: call @mlc_profile_end(%[[ID1]])
// CHECK: call @mlc_profile_begin(%[[ID2:.*]]) : (i32) -> ()
// CHECK-NEXT: linalg.generic
// CHECK: call @mlc_profile_end(%[[ID2]])
// CHECK: func.func @eval_step
// CHECK-NOT: call @mlc_profile
// CHECK: func.func private @mlc_profile_begin(i32)
// CHECK: func.func private @mlc_profile_end(i32)
// The calls still bracket the op once it is a loop nest.
// SCHEDULED: call @mlc_profile_begin
// SCHEDULED-NEXT: scf.for
// SCHEDULED: call @mlc_profile_end
func.func @train_step(%a: tensor<16x64xf32>, %w: tensor<64x32xf32>, %b: tensor<32xf32>,
                      %p: tensor<64x32xf32>) -> (tensor<16x32xf32>, tensor<64x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x32xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<16x32xf32>) -> tensor<16x32xf32>
  %m = linalg.matmul ins(%a, %w : tensor<16x64xf32>, tensor<64x32xf32>) outs(%c : tensor<16x32xf32>) -> tensor<16x32xf32>
  %r = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m, %b : tensor<16x32xf32>, tensor<32xf32>) outs(%e : tensor<16x32xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    %t = arith.maximumf %s, %zero : f32
    linalg.yield %t : f32
  } -> tensor<16x32xf32>
  %u = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%w, %p : tensor<64x32xf32>, tensor<64x32xf32>) outs(%p : tensor<64x32xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.mulf %x, %y : f32
    %t = arith.subf %o, %s : f32
    linalg.yield %t : f32
  } -> tensor<64x32xf32>
  return %r, %u : tensor<16x32xf32>, tensor<64x32xf32>
}

func.func @eval_step(%a: tensor<16x64xf32>, %w: tensor<64x32xf32>) -> tensor<16x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x32xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<16x32xf32>) -> tensor<16x32xf32>
  %m = linalg.matmul ins(%a, %w : tensor<16x64xf32>, tensor<64x32xf32>) outs(%c : tensor<16x32xf32>) -> tensor<16x32xf32>
  return %m : tensor<16x32xf32>
}
