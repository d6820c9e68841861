// mlc-gpu-map-forall: a block forall around one thread forall becomes a gpu.launch (grid and block = trip counts by x/y/z).
// RUN: mlc-opt %s --split-input-file --mlc-gpu-map-forall --canonicalize | FileCheck %s

// (canonicalize folds the `lb + id * step` index arithmetic where lb = 0 or step = 1.)
// 64x128 in 8x32 tiles: a 4x8 grid (x, y) of 32x8 threads; the tile offsets come from the block
// ids, the element from the thread ids.
// CHECK-LABEL: func.func @relu_2d
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
// CHECK: gpu.launch blocks(%[[BX:[^,]*]], %[[BY:[^,]*]], %{{[^)]*}}) in (%{{[^ ]*}} = %[[C4]], %{{[^ ]*}} = %[[C8]], %{{[^ ]*}} = %[[C1]])
// CHECK-SAME: threads(%[[TX:[^,]*]], %[[TY:[^,]*]], %{{[^)]*}}) in (%{{[^ ]*}} = %[[C32]], %{{[^ ]*}} = %[[C8]], %{{[^ ]*}} = %[[C1]])
// CHECK-NEXT: %[[I:.*]] = arith.muli %[[BY]], %[[C8]] : index
// CHECK-NEXT: %[[J:.*]] = arith.muli %[[BX]], %[[C32]] : index
// CHECK-NEXT: %[[SA:.*]] = memref.subview %{{.*}}[%[[I]], %[[J]]] [8, 32] [1, 1]
// CHECK-NEXT: %[[SB:.*]] = memref.subview %{{.*}}[%[[I]], %[[J]]] [8, 32] [1, 1]
// CHECK-NEXT: %[[V:.*]] = memref.load %[[SA]][%[[TY]], %[[TX]]]
// CHECK-NEXT: %[[R:.*]] = arith.maximumf %[[V]]
// CHECK-NEXT: memref.store %[[R]], %[[SB]][%[[TY]], %[[TX]]]
// CHECK-NEXT: gpu.terminator
// CHECK-NOT: scf.forall
func.func @relu_2d(%a: memref<64x128xf32>, %b: memref<64x128xf32>) {
  %zero = arith.constant 0.0 : f32
  scf.forall (%i, %j) = (0, 0) to (64, 128) step (8, 32) {
    %sa = memref.subview %a[%i, %j] [8, 32] [1, 1] : memref<64x128xf32> to memref<8x32xf32, strided<[128, 1], offset: ?>>
    %sb = memref.subview %b[%i, %j] [8, 32] [1, 1] : memref<64x128xf32> to memref<8x32xf32, strided<[128, 1], offset: ?>>
    scf.forall (%ti, %tj) in (8, 32) {
      %v = memref.load %sa[%ti, %tj] : memref<8x32xf32, strided<[128, 1], offset: ?>>
      %r = arith.maximumf %v, %zero : f32
      memref.store %r, %sb[%ti, %tj] : memref<8x32xf32, strided<[128, 1], offset: ?>>
    } {mapping = [#gpu.thread<y>, #gpu.thread<x>]}
  } {mapping = [#gpu.block<y>, #gpu.block<x>]}
  return
}

// -----

// Lower bounds and steps other than 0 and 1: (100 - 4) / 24 = 4 blocks of 24 / 2 = 12 threads;
// i = 4 + bx * 24, t = tx * 2.
// CHECK-LABEL: func.func @offset_and_step
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C12:.*]] = arith.constant 12 : index
// CHECK-DAG: %[[C24:.*]] = arith.constant 24 : index
// CHECK: gpu.launch blocks(%[[BX:[^,]*]], %{{[^)]*}}) in (%{{[^ ]*}} = %[[C4]], %{{[^ ]*}} = %[[C1]], %{{[^ ]*}} = %[[C1]])
// CHECK-SAME: threads(%[[TX:[^,]*]], %{{[^)]*}}) in (%{{[^ ]*}} = %[[C12]], %{{[^ ]*}} = %[[C1]], %{{[^ ]*}} = %[[C1]])
// CHECK-NEXT: %[[B:.*]] = arith.muli %[[BX]], %[[C24]] : index
// CHECK-NEXT: %[[I:.*]] = arith.addi %[[B]], %[[C4]] : index
// CHECK-NEXT: %[[T:.*]] = arith.muli %[[TX]], %[[C2]] : index
// CHECK-NEXT: %[[K:.*]] = arith.addi %[[I]], %[[T]] : index
// CHECK-NEXT: memref.store %{{.*}}, %{{.*}}[%[[K]]]
func.func @offset_and_step(%a: memref<100xf32>) {
  %one = arith.constant 1.0 : f32
  scf.forall (%i) = (4) to (100) step (24) {
    scf.forall (%t) = (0) to (24) step (2) {
      %k = arith.addi %i, %t : index
      memref.store %one, %a[%k] : memref<100xf32>
    } {mapping = [#gpu.thread<x>]}
  } {mapping = [#gpu.block<x>]}
  return
}

// -----

// The mapping, not the loop order, picks the hardware dimension: i is on x, j on y.
// CHECK-LABEL: func.func @mapping_order
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
// CHECK: gpu.launch blocks(%{{[^,]*}}, %[[BY:[^,]*]], %{{[^)]*}}) in (%{{[^ ]*}} = %[[C1]], %{{[^ ]*}} = %[[C32]], %{{[^ ]*}} = %[[C1]])
// CHECK-SAME: threads(%[[TX:[^,]*]], %[[TY:[^,]*]], %{{[^)]*}}) in (%{{[^ ]*}} = %[[C16]], %{{[^ ]*}} = %[[C2]], %{{[^ ]*}} = %[[C1]])
// CHECK-NEXT: %[[J:.*]] = arith.muli %[[BY]], %[[C2]] : index
// CHECK-NEXT: %[[C:.*]] = arith.addi %[[J]], %[[TY]] : index
// CHECK-NEXT: memref.store %{{.*}}, %{{.*}}[%[[TX]], %[[C]]]
func.func @mapping_order(%a: memref<16x64xf32>) {
  %one = arith.constant 1.0 : f32
  scf.forall (%i, %j) = (0, 0) to (16, 64) step (16, 2) {
    scf.forall (%ti, %tj) in (16, 2) {
      %r = arith.addi %i, %ti : index
      %c = arith.addi %j, %tj : index
      memref.store %one, %a[%r, %c] : memref<16x64xf32>
    } {mapping = [#gpu.thread<x>, #gpu.thread<y>]}
  } {mapping = [#gpu.block<x>, #gpu.block<y>]}
  return
}

// -----

// Three dimensions: z, y, x grid from the block loop.
// CHECK-LABEL: func.func @grid_3d
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
// CHECK: gpu.launch blocks(%[[BX:[^,]*]], %[[BY:[^,]*]], %[[BZ:[^)]*]]) in (%{{[^ ]*}} = %[[C32]], %{{[^ ]*}} = %[[C8]], %{{[^ ]*}} = %[[C4]])
// CHECK-SAME: threads(%{{[^)]*}}) in (%{{[^ ]*}} = %[[C1]], %{{[^ ]*}} = %[[C1]], %{{[^ ]*}} = %[[C1]])
// CHECK-NEXT: memref.store %{{.*}}, %{{.*}}[%[[BZ]], %[[BY]], %[[BX]]]
func.func @grid_3d(%a: memref<4x8x32xf32>) {
  %one = arith.constant 1.0 : f32
  scf.forall (%i, %j, %k) in (4, 8, 32) {
    scf.forall (%ti, %tj, %tk) in (1, 1, 1) {
      memref.store %one, %a[%i, %j, %k] : memref<4x8x32xf32>
    } {mapping = [#gpu.thread<z>, #gpu.thread<y>, #gpu.thread<x>]}
  } {mapping = [#gpu.block<z>, #gpu.block<y>, #gpu.block<x>]}
  return
}

// -----

// Foralls without a GPU mapping are not kernels.
// CHECK-LABEL: func.func @unmapped
// CHECK-NOT: gpu.launch
// CHECK: scf.forall
func.func @unmapped(%a: memref<64xf32>) {
  %one = arith.constant 1.0 : f32
  scf.forall (%i) in (64) {
    memref.store %one, %a[%i] : memref<64xf32>
  }
  return
}
