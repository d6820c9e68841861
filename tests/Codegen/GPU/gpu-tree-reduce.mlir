// mlc-gpu-tree-reduce: reductions become shared-memory tree reductions in which a group of lanes
// shares each output (strided per-lane partials, then halving steps between barriers). Row
// reductions put a group's lanes on neighbouring threads, column reductions (bias gradients)
// put neighbouring outputs there; elementwise results fused into the op are stored on the way;
// a fill just before the op is folded into the start value.
// RUN: mlc-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(mlc-gpu-tree-reduce), canonicalize, cse)" | FileCheck %s

// A full sum of 64 elements: one group of 16 lanes, 4 elements each.
// CHECK-LABEL: func.func @loss_mean
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c1, {{.*}} = %c1, {{.*}} = %c1) threads(%[[T:[^,]*]], %{{.*}}, %{{.*}}) in ({{.*}} = %c16, {{.*}} = %c1, {{.*}} = %c1)
// CHECK-SAME: workgroup(%[[P:.*]] : memref<16xf32, #gpu.address_space<workgroup>>)
// CHECK: %[[LANE:.*]] = arith.remui %[[T]], %c16
// CHECK: scf.for %{{.*}} = %[[LANE]] to %{{.*}} step %c16
// CHECK: arith.mulf
// CHECK: memref.store %{{.*}}, %[[P]][%[[T]]]
// One barrier after the partials, then one per halving step (8, 4, 2, 1).
// CHECK: gpu.barrier
// CHECK: arith.cmpi ult, %[[LANE]], %c8
// CHECK: arith.addi %[[T]], %c8
// CHECK-COUNT-4: gpu.barrier
// CHECK-NOT: gpu.barrier
// CHECK: arith.cmpi eq, %[[LANE]], %c0
// CHECK: memref.load %arg1[]
// CHECK: memref.store %{{.*}}, %arg1[]
// CHECK-NOT: linalg.generic
func.func @loss_mean(%x: memref<64xf32>, %s: memref<f32>) {
  %scale = arith.constant 0.015625 : f32
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]}
      ins(%x : memref<64xf32>) outs(%s : memref<f32>) {
  ^bb0(%a: f32, %acc: f32):
    %m = arith.mulf %a, %scale : f32
    %t = arith.addf %acc, %m : f32
    linalg.yield %t : f32
  }
  return
}

// -----

// Softmax's row maxima over 10 classes with the logits (bias added) stored on the way: groups of
// 4 lanes, 64 rows per block; the -inf fill is folded (max(-inf, x) = x).
// CHECK-LABEL: func.func @softmax_max
// CHECK-NOT: linalg.fill
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c1, {{.*}} = %c1, {{.*}} = %c1) threads(%[[T:[^,]*]], %{{.*}}, %{{.*}}) in ({{.*}} = %c256, {{.*}} = %c1, {{.*}} = %c1)
// CHECK-SAME: workgroup(%[[P:.*]] : memref<256xf32, #gpu.address_space<workgroup>>)
// CHECK: %[[LANE:.*]] = arith.remui %[[T]], %c4
// CHECK: %[[ROW:.*]] = arith.divui %[[T]], %c4
// CHECK: scf.for %[[J:.*]] = %[[LANE]] to %{{.*}} step %c4
// CHECK: %[[X:.*]] = memref.load %arg0[%[[ROW]], %[[J]]]
// CHECK: %[[B:.*]] = memref.load %arg1[%[[J]]]
// CHECK: %[[L:.*]] = arith.addf %[[X]], %[[B]]
// CHECK: memref.store %[[L]], %arg2[%[[ROW]], %[[J]]]
// CHECK: arith.maximumf %{{.*}}, %[[L]]
// CHECK: gpu.barrier
// CHECK: arith.addi %[[T]], %c2
// CHECK: arith.maximumf
// CHECK: gpu.barrier
// CHECK: arith.addi %[[T]], %c1
// CHECK: gpu.barrier
// CHECK: scf.if
// CHECK-NEXT: %[[M:.*]] = memref.load %[[P]][%[[T]]]
// CHECK-NEXT: memref.store %[[M]], %arg3[%[[ROW]]]
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @softmax_max(%x: memref<64x10xf32>, %b: memref<10xf32>, %y: memref<64x10xf32>, %m: memref<64xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  linalg.fill ins(%ninf : f32) outs(%m : memref<64xf32>)
  linalg.generic {indexing_maps = [#id2, #col, #id2, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x, %b : memref<64x10xf32>, memref<10xf32>) outs(%y, %m : memref<64x10xf32>, memref<64xf32>) {
  ^bb0(%a: f32, %c: f32, %unused: f32, %acc: f32):
    %l = arith.addf %a, %c : f32
    %t = arith.maximumf %l, %acc : f32
    linalg.yield %l, %t : f32, f32
  }
  return
}

// -----

// A bias gradient (sum over a batch of 64 for 128 outputs): neighbouring threads take
// neighbouring outputs (coalesced rows), 8 lanes per output, 32 outputs per block, 4 blocks; the
// halving steps pair lanes 32 threads apart.
// CHECK-LABEL: func.func @bias_grad
// CHECK: gpu.launch blocks(%[[BX:[^,]*]], %{{.*}}, %{{.*}}) in ({{.*}} = %c4, {{.*}} = %c1, {{.*}} = %c1) threads(%[[T:[^,]*]], %{{.*}}, %{{.*}}) in ({{.*}} = %c256, {{.*}} = %c1, {{.*}} = %c1)
// CHECK: %[[G:.*]] = arith.remui %[[T]], %c32
// CHECK: %[[LANE:.*]] = arith.divui %[[T]], %c32
// CHECK: %[[B0:.*]] = arith.muli %[[BX]], %c32
// CHECK: %[[OUT:.*]] = arith.addi %[[B0]], %[[G]]
// CHECK: scf.for %[[I:.*]] = %[[LANE]] to %{{.*}} step %c8
// CHECK: memref.load %arg0[%[[I]], %[[OUT]]]
// CHECK: arith.addi %[[T]], %c128
// CHECK: arith.addi %[[T]], %c64
// CHECK: arith.addi %[[T]], %c32
// CHECK: memref.load %arg1[%[[OUT]]]
// CHECK: memref.store %{{.*}}, %arg1[%[[OUT]]]
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @bias_grad(%g: memref<64x128xf32>, %db: memref<128xf32>) {
  linalg.generic {indexing_maps = [#id2, #col], iterator_types = ["reduction", "parallel"]}
      ins(%g : memref<64x128xf32>) outs(%db : memref<128xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %t = arith.addf %a, %acc : f32
    linalg.yield %t : f32
  }
  return
}

// -----

// A cross-entropy's label pick (the last class equal to the label) keeps the iteration that
// set it, in shared memory next to the value: partials combine to the later one.
// CHECK-LABEL: func.func @label_pick
// CHECK: gpu.launch
// CHECK-SAME: workgroup(%[[V:.*]] : memref<256xf32, #gpu.address_space<workgroup>>, %[[K:.*]] : memref<256xi32, #gpu.address_space<workgroup>>)
// CHECK: scf.for %[[J:[^ ]*]] = {{.*}} iter_args(%[[VAL:.*]] = %{{.*}}, %[[IT:.*]] = %c-1_i32)
// CHECK: %[[HIT:.*]] = arith.cmpi eq, %[[J]]
// CHECK: arith.select %[[HIT]], %{{.*}}, %[[VAL]]
// CHECK: arith.select %[[HIT]], %{{.*}}, %[[IT]]
// CHECK: gpu.barrier
// CHECK: %[[LATER:.*]] = arith.cmpi sgt
// CHECK: arith.select %[[LATER]]
// CHECK: arith.cmpi sge, %{{.*}}, %c0_i32
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @label_pick(%x: memref<64x10xf32>, %labels: memref<64xi32>, %picked: memref<64xf32>) {
  linalg.generic {indexing_maps = [#id2, #row, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x, %labels : memref<64x10xf32>, memref<64xi32>) outs(%picked : memref<64xf32>) {
  ^bb0(%a: f32, %label: i32, %acc: f32):
    %j = linalg.index 1 : index
    %l = arith.index_cast %label : i32 to index
    %hit = arith.cmpi eq, %j, %l : index
    %r = arith.select %hit, %a, %acc : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Left to a thread per output: a reduction of 4 elements (too short to share) and a product
// (not a combiner the tree knows).
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: gpu.launch
// CHECK: linalg.generic
// CHECK: linalg.generic
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @left_alone(%x: memref<4x16xf32>, %v: memref<16xf32>, %y: memref<64x16xf32>, %w: memref<16xf32>) {
  linalg.generic {indexing_maps = [#id2, #col], iterator_types = ["reduction", "parallel"]}
      ins(%x : memref<4x16xf32>) outs(%v : memref<16xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %t = arith.addf %acc, %a : f32
    linalg.yield %t : f32
  }
  linalg.generic {indexing_maps = [#id2, #col], iterator_types = ["reduction", "parallel"]}
      ins(%y : memref<64x16xf32>) outs(%w : memref<16xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %t = arith.mulf %acc, %a : f32
    linalg.yield %t : f32
  }
  return
}
