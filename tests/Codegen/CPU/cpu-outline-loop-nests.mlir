// mlc-cpu-outline-loop-nests: each loop nest of a step in a no_inline function of its own, the
// values it reads as arguments except constants (and pure computations of them), which are
// copied in; equal nests, in one step or across steps, call one function.
// RUN: mlc-opt %s --mlc-cpu-outline-loop-nests | FileCheck %s
// RUN: mlc-opt %s --mlc-cpu-outline-loop-nests --mlc-check-contract="stage=bufferize target=cpu" -o /dev/null

// Both scaling nests of @train_step and the one of @eval_step are equal (same shapes, same
// constants): one function serves the three calls. The nest over 8x32 differs in its shape and
// gets its own.
// CHECK-LABEL: func.func private @train_step_nest0
// CHECK-SAME: (%[[X:.*]]: memref<4x16xf32>, %[[S:.*]]: f32, %[[Y:.*]]: memref<4x16xf32>) attributes {no_inline}
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK: scf.for %{{.*}} = %[[C0]] to %[[C4]]
// CHECK: memref.load %[[X]]
// CHECK: arith.mulf %{{.*}}, %[[S]]
// CHECK: memref.store %{{.*}}, %[[Y]]
// CHECK: return
// CHECK-NOT: func.func private @train_step_nest1(

// A nest that computes a value returns it.
// CHECK-LABEL: func.func private @train_step_nest2
// CHECK-SAME: (%{{.*}}: memref<4x16xf32>) -> f32 attributes {no_inline}
// CHECK: %[[SUM:.*]] = scf.for
// CHECK: return %[[SUM]] : f32

// A vector computed from constants is copied in, not passed by value.
// CHECK-LABEL: func.func private @train_step_nest3
// CHECK-SAME: (%{{.*}}: memref<8x32xf32>) attributes {no_inline}
// CHECK: %[[BASE:.*]] = vector.step : vector<8xindex>
// CHECK: %[[STEP:.*]] = arith.constant dense<2> : vector<8xindex>
// CHECK: %[[IDX:.*]] = arith.muli %[[BASE]], %[[STEP]] : vector<8xindex>
// CHECK: vector.gather {{.*}}[%[[IDX]]]

// CHECK-LABEL: func.func @train_step
// CHECK-SAME: (%[[A:.*]]: memref<4x16xf32>, %[[B:.*]]: memref<4x16xf32>, %[[C:.*]]: memref<4x16xf32>, %[[W:.*]]: memref<8x32xf32>, %[[D:.*]]: memref<4x16xf32, strided<[?, 1]>>, %[[LR:.*]]: f32)
// CHECK: call @train_step_nest0(%[[A]], %[[LR]], %[[B]])
// CHECK: call @train_step_nest0(%[[B]], %[[LR]], %[[C]])
// CHECK: %[[T:.*]] = call @train_step_nest2(%[[C]]) : (memref<4x16xf32>) -> f32
// CHECK: call @train_step_nest3(%[[W]])
// A memref whose layout is not static cannot pass as a bare pointer: its nest stays.
// CHECK: scf.for
// CHECK: memref.store %[[T]], %[[D]]
// CHECK: return
// CHECK-LABEL: func.func @eval_step
// CHECK: call @train_step_nest0(
// CHECK-NOT: func.func private

func.func @train_step(%a: memref<4x16xf32>, %b: memref<4x16xf32>, %c: memref<4x16xf32>,
                      %w: memref<8x32xf32>, %d: memref<4x16xf32, strided<[?, 1]>>, %lr: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %zero = arith.constant 0.0 : f32
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %j = %c0 to %c16 step %c1 {
      %x = memref.load %a[%i, %j] : memref<4x16xf32>
      %y = arith.mulf %x, %lr : f32
      memref.store %y, %b[%i, %j] : memref<4x16xf32>
    }
  }
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %j = %c0 to %c16 step %c1 {
      %x = memref.load %b[%i, %j] : memref<4x16xf32>
      %y = arith.mulf %x, %lr : f32
      memref.store %y, %c[%i, %j] : memref<4x16xf32>
    }
  }
  %t = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %zero) -> f32 {
    %x = memref.load %c[%i, %c0] : memref<4x16xf32>
    %s = arith.addf %acc, %x : f32
    scf.yield %s : f32
  }
  %base = vector.step : vector<8xindex>
  %two = arith.constant dense<2> : vector<8xindex>
  %idx = arith.muli %base, %two : vector<8xindex>
  %mask = arith.constant dense<true> : vector<8xi1>
  %pass = arith.constant dense<0.0> : vector<8xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    %g = vector.gather %w[%i, %c0][%idx], %mask, %pass : memref<8x32xf32>, vector<8xindex>, vector<8xi1>, vector<8xf32> into vector<8xf32>
    vector.transfer_write %g, %w[%i, %c16] {in_bounds = [true]} : vector<8xf32>, memref<8x32xf32>
  }
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %t, %d[%i, %c0] : memref<4x16xf32, strided<[?, 1]>>
  }
  return
}

func.func @eval_step(%a: memref<4x16xf32>, %b: memref<4x16xf32>, %lr: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %j = %c0 to %c16 step %c1 {
      %x = memref.load %a[%i, %j] : memref<4x16xf32>
      %y = arith.mulf %x, %lr : f32
      memref.store %y, %b[%i, %j] : memref<4x16xf32>
    }
  }
  return
}
