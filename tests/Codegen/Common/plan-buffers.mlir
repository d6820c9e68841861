// mlc-plan-buffers: temporaries become views of one workspace argument, sharing bytes when their
// live ranges are disjoint; loop-nested scratch is hoisted or moved to the stack.
// RUN: mlc-opt %s --split-input-file --verify-diagnostics --mlc-plan-buffers | FileCheck %s
// RUN: not mlc-opt %s --split-input-file --mlc-plan-buffers=max-stack-bytes=16 2>&1 | FileCheck %s --check-prefix=STACK

// STACK: error: mlc-plan-buffers: per-thread scratch of 32 bytes exceeds max-stack-bytes

// Live ranges: a [alloc a .. first add], b [alloc b .. second add], c [alloc c .. copy].
// a and b overlap, so b goes after a (64 bytes each); a is dead when c is allocated: c reuses 0.
// CHECK-LABEL: func.func @disjoint_lifetimes_share
// CHECK-SAME: (%{{.*}}: memref<16xf32>, %{{.*}}: memref<16xf32>, %[[WS:[^:]*]]: memref<128xi8> {mlc.workspace})
// CHECK-SAME: attributes {mlc.workspace_bytes = 128 : i64}
// CHECK-NOT: memref.alloc
// CHECK: %[[OA:.*]] = arith.constant 0 : index
// CHECK: %[[A:.*]] = memref.view %[[WS]][%[[OA]]][] : memref<128xi8> to memref<16xf32>
// CHECK: %[[OB:.*]] = arith.constant 64 : index
// CHECK: %[[B:.*]] = memref.view %[[WS]][%[[OB]]][] : memref<128xi8> to memref<16xf32>
// CHECK: linalg.add ins(%[[A]], %{{.*}} : {{.*}}) outs(%[[B]] : memref<16xf32>)
// CHECK: %[[OC:.*]] = arith.constant 0 : index
// CHECK: %[[C:.*]] = memref.view %[[WS]][%[[OC]]][] : memref<128xi8> to memref<16xf32>
// CHECK: linalg.add ins(%[[B]], %[[B]] : {{.*}}) outs(%[[C]] : memref<16xf32>)
// CHECK-NOT: memref.dealloc
// CHECK: return
func.func @disjoint_lifetimes_share(%in: memref<16xf32>, %out: memref<16xf32>) {
  %a = memref.alloc() : memref<16xf32>
  memref.copy %in, %a : memref<16xf32> to memref<16xf32>
  %b = memref.alloc() : memref<16xf32>
  linalg.add ins(%a, %in : memref<16xf32>, memref<16xf32>) outs(%b : memref<16xf32>)
  memref.dealloc %a : memref<16xf32>
  %c = memref.alloc() : memref<16xf32>
  linalg.add ins(%b, %b : memref<16xf32>, memref<16xf32>) outs(%c : memref<16xf32>)
  memref.copy %c, %out : memref<16xf32> to memref<16xf32>
  memref.dealloc %b : memref<16xf32>
  memref.dealloc %c : memref<16xf32>
  return
}

// -----

// Overlapping buffers never share: the larger one is placed first, the 12-byte one after it at
// the next 64-byte boundary. A use through a view (subview) extends the live range.
// CHECK-LABEL: func.func @overlapping_lifetimes
// CHECK-SAME: %[[WS:[^:]*]]: memref<1088xi8> {mlc.workspace}
// CHECK-SAME: mlc.workspace_bytes = 1088
// CHECK: %[[OS:.*]] = arith.constant 1024 : index
// CHECK: memref.view %[[WS]][%[[OS]]][] : memref<1088xi8> to memref<3xf32>
// CHECK: %[[OL:.*]] = arith.constant 0 : index
// CHECK: memref.view %[[WS]][%[[OL]]][] : memref<1088xi8> to memref<256xf32>
func.func @overlapping_lifetimes(%in: memref<3xf32>, %out: memref<3xf32>) {
  %small = memref.alloc() : memref<3xf32>
  %large = memref.alloc() : memref<256xf32>
  %sub = memref.subview %small[0] [3] [1] : memref<3xf32> to memref<3xf32, strided<[1]>>
  %lsub = memref.subview %large[0] [3] [1] : memref<256xf32> to memref<3xf32, strided<[1]>>
  memref.copy %in, %lsub : memref<3xf32> to memref<3xf32, strided<[1]>>
  memref.copy %lsub, %out : memref<3xf32, strided<[1]>> to memref<3xf32>
  memref.copy %sub, %out : memref<3xf32, strided<[1]>> to memref<3xf32>
  return
}

// -----

// Scratch inside a parallel loop is per thread: stack memory. Scratch inside a sequential loop is
// hoisted to just before the loop's top-level op (live only there) and planned like the others.
// CHECK-LABEL: func.func @loop_scratch
// CHECK-SAME: %[[WS:[^:]*]]: memref<64xi8> {mlc.workspace}
// CHECK-SAME: mlc.workspace_bytes = 64
// CHECK: scf.forall
// CHECK: memref.alloca() {alignment = 64 : i64} : memref<8xf32>
// CHECK: %[[H:.*]] = memref.view %[[WS]][%{{.*}}][] : memref<64xi8> to memref<8xf32>
// CHECK-NEXT: scf.for
// CHECK-NOT: memref.alloc
// CHECK: memref.copy %{{.*}}, %[[H]]
// CHECK-NOT: memref.dealloc
func.func @loop_scratch(%in: memref<4x8xf32>) {
  scf.forall (%i) in (4) {
    %t = memref.alloc() {alignment = 64 : i64} : memref<8xf32>
    %row = memref.subview %in[%i, 0] [1, 8] [1, 1] : memref<4x8xf32> to memref<8xf32, strided<[1], offset: ?>>
    memref.copy %row, %t : memref<8xf32, strided<[1], offset: ?>> to memref<8xf32>
    memref.dealloc %t : memref<8xf32>
  }
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %t = memref.alloc() : memref<8xf32>
    %row = memref.subview %in[%i, 0] [1, 8] [1, 1] : memref<4x8xf32> to memref<8xf32, strided<[1], offset: ?>>
    memref.copy %row, %t : memref<8xf32, strided<[1], offset: ?>> to memref<8xf32>
    memref.dealloc %t : memref<8xf32>
  }
  return
}

// -----

// Scratch inside a sequential loop inside a parallel loop: one stack buffer per parallel
// iteration, at the top of the parallel body, not one per trip of the inner loop.
// CHECK-LABEL: func.func @nested_scratch
// CHECK: scf.forall
// CHECK-NEXT: %[[T:.*]] = memref.alloca() {alignment = 64 : i64} : memref<8xf32>
// CHECK: scf.for
// CHECK-NOT: memref.alloca
// CHECK: memref.copy %{{.*}}, %[[T]]
func.func @nested_scratch(%in: memref<4x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.forall (%i) in (4) {
    scf.for %j = %c0 to %c4 step %c1 {
      %t = memref.alloc() {alignment = 64 : i64} : memref<8xf32>
      %row = memref.subview %in[%j, 0] [1, 8] [1, 1] : memref<4x8xf32> to memref<8xf32, strided<[1], offset: ?>>
      memref.copy %row, %t : memref<8xf32, strided<[1], offset: ?>> to memref<8xf32>
    }
  }
  return
}

// -----

// No temporaries: the workspace argument is still added, with the minimum size (one alignment
// unit), and the recorded size is the argument's.
// CHECK-LABEL: func.func @no_temporaries
// CHECK-SAME: memref<64xi8> {mlc.workspace}
// CHECK-SAME: mlc.workspace_bytes = 64
func.func @no_temporaries(%in: memref<4xf32>, %out: memref<4xf32>) {
  memref.copy %in, %out : memref<4xf32> to memref<4xf32>
  return
}

// -----

// Private functions are not step functions: left alone.
// CHECK-LABEL: func.func private @private_helper
// CHECK-NOT: mlc.workspace
// CHECK: memref.alloc
func.func private @private_helper(%in: memref<4xf32>) {
  %a = memref.alloc() : memref<4xf32>
  memref.copy %in, %a : memref<4xf32> to memref<4xf32>
  return
}

// -----

func.func @dynamic_alloc(%n: index) {
  // expected-error @+1 {{mlc-plan-buffers: only static identity-layout allocations are planned}}
  %a = memref.alloc(%n) : memref<?xf32>
  return
}

// -----

func.func @dynamic_nested_alloc(%n: index) {
  scf.forall (%i) in (4) {
    // expected-error @+1 {{mlc-plan-buffers: dynamically shaped allocation}}
    %t = memref.alloc(%n) : memref<?xf32>
  }
  return
}
