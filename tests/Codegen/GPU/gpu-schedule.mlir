// mlc-gpu-schedule: block foralls (innermost parallel dimension on x, up to 32 wide) around thread foralls of one element each.
// RUN: mlc-opt %s --split-input-file --mlc-gpu-schedule | FileCheck %s
// RUN: mlc-opt %s --split-input-file --mlc-gpu-schedule=max-threads=64 | FileCheck %s --check-prefix=T64

#id = affine_map<(d0, d1) -> (d0, d1)>

// 256 threads per block: 32 columns on x, 8 rows on y.
// CHECK-LABEL: func.func @elementwise_2d
// CHECK: %[[E:.*]] = tensor.empty() : tensor<64x128xf32>
// CHECK: scf.forall (%[[I:.*]], %[[J:.*]]) = (0, 0) to (64, 128) step (8, 32) shared_outs(%[[O:.*]] = %[[E]])
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (8, 32) shared_outs(
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<1x1xf32>) outs(%{{.*}} : tensor<1x1xf32>)
// CHECK: } {mapping = [#gpu.thread<y>, #gpu.thread<x>]}
// CHECK: tensor.parallel_insert_slice %{{.*}} into %[[O]][%[[I]], %[[J]]] [8, 32] [1, 1]
// CHECK: } {mapping = [#gpu.block<y>, #gpu.block<x>]}
// With 64 threads per block: still 32 on x, 2 rows on y.
// T64-LABEL: func.func @elementwise_2d
// T64: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (64, 128) step (2, 32)
// T64: scf.forall (%{{.*}}, %{{.*}}) in (2, 32)
func.func @elementwise_2d(%a: tensor<64x128xf32>) -> tensor<64x128xf32> {
  %e = tensor.empty() : tensor<64x128xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<64x128xf32>) outs(%e : tensor<64x128xf32>) {
  ^bb0(%x: f32, %o: f32):
    %z = arith.constant 0.0 : f32
    %m = arith.maximumf %x, %z : f32
    linalg.yield %m : f32
  } -> tensor<64x128xf32>
  return %r : tensor<64x128xf32>
}

// -----

// m and n are tiled; each thread computes one element over the whole k (256).
// CHECK-LABEL: func.func @matmul
// CHECK: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (64, 128) step (8, 32)
// CHECK: scf.forall
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x256xf32>, tensor<256x1xf32>) outs(%{{.*}} : tensor<1x1xf32>)
// CHECK: {mapping = [#gpu.thread<y>, #gpu.thread<x>]}
// CHECK: {mapping = [#gpu.block<y>, #gpu.block<x>]}
func.func @matmul(%a: tensor<64x256xf32>, %b: tensor<256x128xf32>, %c: tensor<64x128xf32>) -> tensor<64x128xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<64x256xf32>, tensor<256x128xf32>) outs(%c : tensor<64x128xf32>) -> tensor<64x128xf32>
  return %r : tensor<64x128xf32>
}

// -----

#id1 = affine_map<(d0) -> (d0)>

// One parallel dimension: x only, up to the whole block (1000 = 4 x 250).
// CHECK-LABEL: func.func @elementwise_1d
// CHECK: scf.forall (%{{.*}}) = (0) to (1000) step (250)
// CHECK: scf.forall (%{{.*}}) in (250)
// CHECK: linalg.generic {{.*}} tensor<1xf32>
// CHECK: {mapping = [#gpu.thread<x>]}
// CHECK: {mapping = [#gpu.block<x>]}
func.func @elementwise_1d(%a: tensor<1000xf32>) -> tensor<1000xf32> {
  %e = tensor.empty() : tensor<1000xf32>
  %r = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%a : tensor<1000xf32>) outs(%e : tensor<1000xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  } -> tensor<1000xf32>
  return %r : tensor<1000xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// 784 columns (28 x 28): the x tile is the largest divisor up to 32, 28; y gets 256 / 28 -> 8.
// CHECK-LABEL: func.func @width_784
// CHECK: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (32, 784) step (8, 28)
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (8, 28)
// T64-LABEL: func.func @width_784
// T64: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (32, 784) step (2, 28)
func.func @width_784(%a: tensor<32x784xf32>) -> tensor<32x784xf32> {
  %e = tensor.empty() : tensor<32x784xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<32x784xf32>) outs(%e : tensor<32x784xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.mulf %x, %x : f32
    linalg.yield %s : f32
  } -> tensor<32x784xf32>
  return %r : tensor<32x784xf32>
}

// -----

#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// Three parallel dimensions: z, y, x from the outermost; 32 x 8 threads use up the block.
// CHECK-LABEL: func.func @elementwise_3d
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0) to (4, 8, 32) step (1, 8, 32)
// CHECK: {mapping = [#gpu.thread<z>, #gpu.thread<y>, #gpu.thread<x>]}
// CHECK: {mapping = [#gpu.block<z>, #gpu.block<y>, #gpu.block<x>]}
func.func @elementwise_3d(%a: tensor<4x8x32xf32>) -> tensor<4x8x32xf32> {
  %e = tensor.empty() : tensor<4x8x32xf32>
  %r = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%a : tensor<4x8x32xf32>) outs(%e : tensor<4x8x32xf32>) {
  ^bb0(%x: f32, %o: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  } -> tensor<4x8x32xf32>
  return %r : tensor<4x8x32xf32>
}

// -----

// A full reduction has no parallel dimension: left for mlc-gpu-wrap-serial.
// CHECK-LABEL: func.func @full_reduction
// CHECK-NOT: scf.forall
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<100xf32>) outs(%{{.*}} : tensor<f32>)
// CHECK-NOT: scf.forall
// CHECK: return
func.func @full_reduction(%a: tensor<100xf32>, %acc: tensor<f32>) -> tensor<f32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]}
      ins(%a : tensor<100xf32>) outs(%acc : tensor<f32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  } -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// A splat constant returned as it is (a zero gradient) becomes a fill that runs as a kernel
// rather than a host-memory global.
// CHECK-LABEL: func.func @returned_splat
// CHECK-NOT: arith.constant dense
// CHECK: scf.forall
// CHECK: linalg.fill ins(%{{.*}} : f32)
// CHECK: } {mapping = [#gpu.thread<x>]}
func.func @returned_splat() -> tensor<8xf32> {
  %zero = arith.constant dense<0.0> : tensor<8xf32>
  return %zero : tensor<8xf32>
}
