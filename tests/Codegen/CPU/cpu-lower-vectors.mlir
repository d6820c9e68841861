// mlc-cpu-lower-vectors: accumulators hoisted out of the k loop, contractions as FMAs, math
// functions as polynomials, multi-reductions as plain vector arithmetic.
// RUN: mlc-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(mlc-cpu-lower-vectors))" | FileCheck %s

#lhs = affine_map<(d0, d1, d2) -> (d0, d2)>
#rhs = affine_map<(d0, d1, d2) -> (d2, d1)>
#acc = affine_map<(d0, d1, d2) -> (d0, d1)>

// The 8x32 accumulator is read once before the k loop, carried in registers, written once after;
// the 8x1 x 1x32 contraction becomes 8 FMAs on vector<32xf32>.
// CHECK-LABEL: func.func @matmul_register_tile
// CHECK-SAME: %[[C:[^:]*]]: memref<8x32xf32>)
// CHECK: %[[INIT:.*]] = vector.transfer_read %[[C]]
// CHECK: %[[R:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[INIT]]) -> (vector<8x32xf32>)
// CHECK-NOT: vector.transfer_read %[[C]]
// CHECK-NOT: vector.contract
// CHECK-NOT: vector.outerproduct
// CHECK-COUNT-8: vector.fma %{{.*}} : vector<32xf32>
// CHECK-NOT: vector.fma
// CHECK: scf.yield
// CHECK: vector.transfer_write %[[R]], %[[C]]
func.func @matmul_register_tile(%a: memref<8x256xf32>, %b: memref<256x32xf32>, %c: memref<8x32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  %cst = arith.constant 0.0 : f32
  scf.for %k = %c0 to %c256 step %c1 {
    %sa = memref.subview %a[0, %k] [8, 1] [1, 1] : memref<8x256xf32> to memref<8x1xf32, strided<[256, 1], offset: ?>>
    %sb = memref.subview %b[%k, 0] [1, 32] [1, 1] : memref<256x32xf32> to memref<1x32xf32, strided<[32, 1], offset: ?>>
    %va = vector.transfer_read %sa[%c0, %c0], %cst {in_bounds = [true, true]} : memref<8x1xf32, strided<[256, 1], offset: ?>>, vector<8x1xf32>
    %vb = vector.transfer_read %sb[%c0, %c0], %cst {in_bounds = [true, true]} : memref<1x32xf32, strided<[32, 1], offset: ?>>, vector<1x32xf32>
    %vc = vector.transfer_read %c[%c0, %c0], %cst {in_bounds = [true, true]} : memref<8x32xf32>, vector<8x32xf32>
    %r = vector.contract {indexing_maps = [#lhs, #rhs, #acc], iterator_types = ["parallel", "parallel", "reduction"],
                          kind = #vector.kind<add>} %va, %vb, %vc : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
    vector.transfer_write %r, %c[%c0, %c0] {in_bounds = [true, true]} : vector<8x32xf32>, memref<8x32xf32>
  }
  return
}

// -----

#lhs = affine_map<(d0, d1, d2) -> (d0, d2)>
#rhs = affine_map<(d0, d1, d2) -> (d2, d1)>
#acc = affine_map<(d0, d1, d2) -> (d0, d1)>

// The register tile of a thread's chunk (an scf.forall, as the schedule leaves it): its
// accumulator is a view at an offset (%i + %r), so folding the views gives the read and the
// write each their own index computation. They are the same, and the tile still leaves the
// k loop (it used to be loaded and stored at every k).
// CHECK-LABEL: func.func @chunk_register_tile
// CHECK: scf.forall (%[[I:.*]]) =
// CHECK: scf.for %[[R:.*]] =
// CHECK: %[[INIT:.*]] = vector.transfer_read %{{.*}}[%[[ROW:.*]], %{{.*}}], %{{.*}} : memref<64x32xf32>, vector<4x16xf32>
// CHECK: %[[ACC:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[INIT]]) -> (vector<4x16xf32>)
// CHECK-NOT: memref<64x32xf32>
// CHECK-COUNT-4: vector.fma
// CHECK: scf.yield
// CHECK: vector.transfer_write %[[ACC]], %{{.*}}[%[[ROW]], %{{.*}}] {{.*}} : vector<4x16xf32>, memref<64x32xf32>
func.func @chunk_register_tile(%a: memref<64x128xf32>, %b: memref<128x32xf32>, %c: memref<64x32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %c128 = arith.constant 128 : index
  %cst = arith.constant 0.0 : f32
  scf.forall (%i) = (0) to (64) step (32) {
    %ca = memref.subview %a[%i, 0] [32, 128] [1, 1] : memref<64x128xf32> to memref<32x128xf32, strided<[128, 1], offset: ?>>
    %cc = memref.subview %c[%i, 0] [32, 32] [1, 1] : memref<64x32xf32> to memref<32x32xf32, strided<[32, 1], offset: ?>>
    scf.for %r = %c0 to %c32 step %c4 {
      scf.for %j = %c0 to %c32 step %c16 {
        scf.for %k = %c0 to %c128 step %c1 {
          %sa = memref.subview %ca[%r, %k] [4, 1] [1, 1] : memref<32x128xf32, strided<[128, 1], offset: ?>> to memref<4x1xf32, strided<[128, 1], offset: ?>>
          %sb = memref.subview %b[%k, %j] [1, 16] [1, 1] : memref<128x32xf32> to memref<1x16xf32, strided<[32, 1], offset: ?>>
          %sc = memref.subview %cc[%r, %j] [4, 16] [1, 1] : memref<32x32xf32, strided<[32, 1], offset: ?>> to memref<4x16xf32, strided<[32, 1], offset: ?>>
          %va = vector.transfer_read %sa[%c0, %c0], %cst {in_bounds = [true, true]} : memref<4x1xf32, strided<[128, 1], offset: ?>>, vector<4x1xf32>
          %vb = vector.transfer_read %sb[%c0, %c0], %cst {in_bounds = [true, true]} : memref<1x16xf32, strided<[32, 1], offset: ?>>, vector<1x16xf32>
          %vc = vector.transfer_read %sc[%c0, %c0], %cst {in_bounds = [true, true]} : memref<4x16xf32, strided<[32, 1], offset: ?>>, vector<4x16xf32>
          %m = vector.contract {indexing_maps = [#lhs, #rhs, #acc], iterator_types = ["parallel", "parallel", "reduction"],
                                kind = #vector.kind<add>} %va, %vb, %vc : vector<4x1xf32>, vector<1x16xf32> into vector<4x16xf32>
          vector.transfer_write %m, %sc[%c0, %c0] {in_bounds = [true, true]} : vector<4x16xf32>, memref<4x16xf32, strided<[32, 1], offset: ?>>
        }
      }
    }
  }
  return
}

// -----

// exp, log and tanh on f32 vectors become polynomial approximations (no libm calls later).
// CHECK-LABEL: func.func @math_polynomials
// CHECK-NOT: math.exp
// CHECK-NOT: math.log
// CHECK-NOT: math.tanh
// CHECK: math.fma {{.*}} : vector<64xf32>
// CHECK-NOT: math.exp
// CHECK-NOT: math.log
// CHECK-NOT: math.tanh
// CHECK: return
func.func @math_polynomials(%x: memref<64xf32>, %y: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %cst = arith.constant 0.0 : f32
  %v = vector.transfer_read %x[%c0], %cst {in_bounds = [true]} : memref<64xf32>, vector<64xf32>
  %e = math.exp %v : vector<64xf32>
  %l = math.log %e : vector<64xf32>
  %t = math.tanh %l : vector<64xf32>
  vector.transfer_write %t, %y[%c0] {in_bounds = [true]} : vector<64xf32>, memref<64xf32>
  return
}

// -----

// A row reduction becomes adds of vector<4xf32> slices into the accumulator.
// CHECK-LABEL: func.func @multi_reduction
// CHECK-NOT: vector.multi_reduction
// CHECK: %[[ACC:.*]] = vector.transfer_read %{{.*}} : memref<4xf32>, vector<4xf32>
// CHECK: arith.addf %{{.*}}, %[[ACC]] : vector<4xf32>
// CHECK-COUNT-15: arith.addf {{.*}} : vector<4xf32>
// CHECK-NOT: vector.multi_reduction
func.func @multi_reduction(%x: memref<4x16xf32>, %y: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %cst = arith.constant 0.0 : f32
  %v = vector.transfer_read %x[%c0, %c0], %cst {in_bounds = [true, true]} : memref<4x16xf32>, vector<4x16xf32>
  %acc = vector.transfer_read %y[%c0], %cst {in_bounds = [true]} : memref<4xf32>, vector<4xf32>
  %r = vector.multi_reduction <add>, %v, %acc [1] : vector<4x16xf32> to vector<4xf32>
  vector.transfer_write %r, %y[%c0] {in_bounds = [true]} : vector<4xf32>, memref<4xf32>
  return
}

// -----

// A whole tile reduced to one value (a channel's sum over a [7, 28] tile of its plane): the rows
// are added as vectors, the last one reduced by one reassociable vector.reduction, not
// transposed into a column and added element by element.
// CHECK-LABEL: func.func @reduce_whole_tile
// CHECK-NOT: vector.multi_reduction
// CHECK: vector.transfer_read {{.*}} : memref<7x28xf32>, vector<{{(1x)?}}7x28xf32>
// CHECK: %[[ACC:.*]] = vector.transfer_read {{.*}} : memref<1xf32>, vector<1xf32>
// CHECK-COUNT-6: arith.addf {{.*}} fastmath<reassoc> : vector<28xf32>
// CHECK: %[[A:.*]] = vector.extract %[[ACC]][0] : f32 from vector<1xf32>
// CHECK: vector.reduction <add>, %{{.*}}, %[[A]] fastmath<reassoc> : vector<28xf32> into f32
// CHECK-NOT: vector.insert
func.func @reduce_whole_tile(%x: memref<7x28xf32>, %y: memref<1xf32>) {
  %c0 = arith.constant 0 : index
  %cst = arith.constant 0.0 : f32
  %v = vector.transfer_read %x[%c0, %c0], %cst {in_bounds = [true, true, true], permutation_map = affine_map<(d0, d1) -> (0, d0, d1)>} : memref<7x28xf32>, vector<1x7x28xf32>
  %acc = vector.transfer_read %y[%c0], %cst {in_bounds = [true]} : memref<1xf32>, vector<1xf32>
  %r = vector.multi_reduction <add>, %v, %acc [1, 2] : vector<1x7x28xf32> to vector<1xf32>
  vector.transfer_write %r, %y[%c0] {in_bounds = [true]} : vector<1xf32>, memref<1xf32>
  return
}

// -----

// A copy between strided views becomes linalg.copy (loops, no memrefCopy runtime call); a
// contiguous one stays memref.copy (memcpy); a self-copy disappears.
// CHECK-LABEL: func.func @copies
// CHECK: linalg.copy ins(%{{.*}} : memref<2x1x5xf64, strided<[15, 5, 1], offset: ?>>) outs(%{{.*}} : memref<2x1x5xf64, strided<[15, 5, 1], offset: ?>>)
// CHECK-NEXT: memref.copy %{{.*}}, %{{.*}} : memref<3x5xf64> to memref<3x5xf64>
// CHECK-NEXT: return
func.func @copies(%a: memref<2x3x5xf64>, %b: memref<2x3x5xf64>, %c: memref<3x5xf64>, %d: memref<3x5xf64>, %i: index) {
  %sa = memref.subview %a[0, %i, 0] [2, 1, 5] [1, 1, 1] : memref<2x3x5xf64> to memref<2x1x5xf64, strided<[15, 5, 1], offset: ?>>
  %sb = memref.subview %b[0, %i, 0] [2, 1, 5] [1, 1, 1] : memref<2x3x5xf64> to memref<2x1x5xf64, strided<[15, 5, 1], offset: ?>>
  memref.copy %sa, %sb : memref<2x1x5xf64, strided<[15, 5, 1], offset: ?>> to memref<2x1x5xf64, strided<[15, 5, 1], offset: ?>>
  memref.copy %c, %d : memref<3x5xf64> to memref<3x5xf64>
  memref.copy %c, %c : memref<3x5xf64> to memref<3x5xf64>
  return
}

// -----

#clhs = affine_map<(d0, d1, d2) -> (d0, d2)>
#crhs = affine_map<(d0, d1, d2) -> (d2, d1)>
#cacc = affine_map<(d0, d1, d2) -> (d0, d1)>

// A contraction with a constant lhs (a Winograd transform's rows: 0, +-1, 0.5): no multiply by
// 0 or +-1. Row 0 = b0 - b1, row 1 = b1 + 0.5 b2 (one FMA), row 2 = nothing added.
// CHECK-LABEL: func.func @constant_lhs
// CHECK-NOT: vector.outerproduct
// CHECK: %[[B0:.*]] = vector.extract %arg0[0]
// CHECK: %[[ROW0:.*]] = arith.addf %{{.*}}, %[[B0]] : vector<16xf32>
// CHECK: %[[B1:.*]] = vector.extract %arg0[1]
// CHECK: arith.subf %[[ROW0]], %[[B1]] : vector<16xf32>
// CHECK: %[[ROW1:.*]] = arith.addf %{{.*}}, %[[B1]] : vector<16xf32>
// CHECK: %[[B2:.*]] = vector.extract %arg0[2]
// CHECK: vector.fma %{{.*}}, %[[B2]], %[[ROW1]] : vector<16xf32>
// CHECK-NOT: vector.fma
// CHECK: return
func.func @constant_lhs(%b: vector<3x16xf32>, %acc: vector<3x16xf32>) -> vector<3x16xf32> {
  %a = arith.constant dense<[[1.0, -1.0, 0.0], [0.0, 1.0, 0.5], [0.0, 0.0, 0.0]]> : vector<3x3xf32>
  %r = vector.contract {indexing_maps = [#clhs, #crhs, #cacc], iterator_types = ["parallel", "parallel", "reduction"],
                        kind = #vector.kind<add>} %a, %b, %acc : vector<3x3xf32>, vector<3x16xf32> into vector<3x16xf32>
  return %r : vector<3x16xf32>
}
