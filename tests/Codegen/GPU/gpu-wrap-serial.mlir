// mlc-gpu-wrap-serial: each top-level op that touches memory runs in its own 1x1x1 gpu.launch; memref.copy becomes linalg.copy; launches get their own reads of constant tensors.
// RUN: mlc-opt %s --split-input-file --mlc-gpu-wrap-serial | FileCheck %s

#scalar = affine_map<() -> ()>

// A scalar linalg op (a loss mean, Adam's bias correction) is a one-thread kernel.
// CHECK-LABEL: func.func @scalar_generic
// CHECK-SAME: (%[[B:[^:]*]]: memref<f32>, %[[C:[^:]*]]: memref<f32>)
// CHECK: %[[ONE:.*]] = arith.constant 1 : index
// CHECK-NEXT: gpu.launch blocks(%{{[^)]*}}) in (%{{[^ ]*}} = %[[ONE]], %{{[^ ]*}} = %[[ONE]], %{{[^ ]*}} = %[[ONE]])
// CHECK-SAME: threads(%{{[^)]*}}) in (%{{[^ ]*}} = %[[ONE]], %{{[^ ]*}} = %[[ONE]], %{{[^ ]*}} = %[[ONE]])
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[B]] : memref<f32>) outs(%[[C]] : memref<f32>)
// CHECK: gpu.terminator
// CHECK-NEXT: }
// CHECK-NEXT: return
func.func @scalar_generic(%b: memref<f32>, %c: memref<f32>) {
  linalg.generic {indexing_maps = [#scalar, #scalar], iterator_types = []}
      ins(%b : memref<f32>) outs(%c : memref<f32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.mulf %x, %x : f32
    linalg.yield %m : f32
  }
  return
}

// -----

// Views and constants stay on the host, launches stay as they are; the copy gets a launch of its
// own, as linalg.copy (a memref.copy would lower to a host runtime call).
// CHECK-LABEL: func.func @copy_and_views
// CHECK-SAME: (%[[A:[^:]*]]: memref<4xf32>, %[[WS:[^:]*]]: memref<64xi8>)
// CHECK: %[[V:.*]] = memref.view %[[WS]]
// CHECK-NEXT: %[[S:.*]] = memref.subview %[[V]][1] [2] [1]
// CHECK-NEXT: gpu.launch
// CHECK-NEXT: memref.store %{{.*}}, %[[S]]
// CHECK-NEXT: gpu.terminator
// CHECK-NEXT: }
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1 : index
// CHECK-NEXT: gpu.launch blocks(%{{[^)]*}}) in (%{{[^ ]*}} = %[[ONE]], %{{[^ ]*}} = %[[ONE]], %{{[^ ]*}} = %[[ONE]])
// CHECK-NEXT: linalg.copy ins(%[[V]] : memref<4xf32>) outs(%[[A]] : memref<4xf32>)
// CHECK-NEXT: gpu.terminator
// CHECK-NEXT: }
// CHECK-NEXT: return
// CHECK-NOT: memref.copy
func.func @copy_and_views(%a: memref<4xf32>, %ws: memref<64xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  %v = memref.view %ws[%c0][] : memref<64xi8> to memref<4xf32>
  %s = memref.subview %v[1] [2] [1] : memref<4xf32> to memref<2xf32, strided<[1], offset: 1>>
  gpu.launch blocks(%bx, %by, %bz) in (%x = %c1, %y = %c1, %z = %c1)
             threads(%tx, %ty, %tz) in (%x1 = %c1, %y1 = %c1, %z1 = %c1) {
    memref.store %one, %s[%tx] : memref<2xf32, strided<[1], offset: 1>>
    gpu.terminator
  }
  memref.copy %v, %a : memref<4xf32> to memref<4xf32>
  return
}

// -----

// Two effectful ops, two launches, in program order.
// CHECK-LABEL: func.func @two_ops
// CHECK: gpu.launch
// CHECK-NEXT: linalg.fill
// CHECK: gpu.launch
// CHECK-NEXT: linalg.copy
// CHECK-NOT: gpu.launch
// CHECK: return
func.func @two_ops(%a: memref<8xf32>, %b: memref<8xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%a : memref<8xf32>)
  memref.copy %a, %b : memref<8xf32> to memref<8xf32>
  return
}

// -----

// A function without memory accesses is left alone.
// CHECK-LABEL: func.func @pure
// CHECK-NOT: gpu.launch
// CHECK: return
func.func @pure(%a: index) -> index {
  %c2 = arith.constant 2 : index
  %r = arith.muli %a, %c2 : index
  return %r : index
}

// -----

// A constant tensor (an index table) that a kernel reads: each launch gets its own get_global
// (and view of it), so that outlining copies the global into the kernel's module; the host's
// are left dead, for canonicalize.
// CHECK-LABEL: func.func @constant_tensor
// CHECK: gpu.launch
// CHECK-NEXT: %[[G:.*]] = memref.get_global @ids : memref<4xi64>
// CHECK: %[[V:.*]] = memref.expand_shape %[[G]]
// CHECK: memref.load %[[V]]
// CHECK: gpu.terminator
// CHECK: gpu.launch
// CHECK: memref.get_global @ids : memref<4xi64>
// CHECK: gpu.terminator
memref.global "private" constant @ids : memref<4xi64> = dense<[1, 3, 3, -1]>
func.func @constant_tensor(%out: memref<2x2xi64>, %flat: memref<4xi64>) {
  %g = memref.get_global @ids : memref<4xi64>
  %v = memref.expand_shape %g [[0, 1]] output_shape [2, 2] : memref<4xi64> into memref<2x2xi64>
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%x = %c1, %y = %c1, %z = %c1) threads(%tx, %ty, %tz) in (%a = %c1, %b = %c1, %c = %c1) {
    %e = memref.load %v[%tx, %ty] : memref<2x2xi64>
    memref.store %e, %out[%tx, %ty] : memref<2x2xi64>
    gpu.terminator
  }
  gpu.launch blocks(%bx, %by, %bz) in (%x = %c1, %y = %c1, %z = %c1) threads(%tx, %ty, %tz) in (%a = %c1, %b = %c1, %c = %c1) {
    %e = memref.load %g[%tx] : memref<4xi64>
    memref.store %e, %flat[%tx] : memref<4xi64>
    gpu.terminator
  }
  return
}
