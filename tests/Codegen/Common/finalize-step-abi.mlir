// mlc-finalize-step-abi: bufferized step functions return nothing; updates land in their arguments.
// RUN: mlc-opt %s --split-input-file --verify-diagnostics --mlc-finalize-step-abi | FileCheck %s

// In place: the update result is argument 0's buffer (possibly through a cast): dropped, no copy.
// Not in place: argument 1's update is a new buffer, copied back. The loss is a fresh
// allocation: a trailing output argument replaces it.
// CHECK-LABEL: func.func @train_step
// CHECK-SAME: (%[[P:[^:]*]]: memref<16xf32>, %[[M:[^:]*]]: memref<16xf32>, %[[G:[^:]*]]: memref<16xf32>, %[[LOSS:[^:]*]]: memref<f32> {mlc.loss})
// CHECK-NOT: ->
// CHECK-NOT: memref.alloc() : memref<f32>
// CHECK: %[[NEWM:.*]] = memref.alloc() : memref<16xf32>
// CHECK: linalg.{{.*}}outs(%[[LOSS]] : memref<f32>)
// CHECK-NOT: memref.copy %{{.*}}, %[[P]]
// CHECK: memref.copy %[[NEWM]], %[[M]] : memref<16xf32> to memref<16xf32>
// CHECK-NOT: memref.copy
// CHECK: return{{$}}
func.func @train_step(%p: memref<16xf32>, %m: memref<16xf32>, %g: memref<16xf32>)
    -> (memref<16xf32, strided<[1]>> {mlc.updates = 0 : i64}, memref<16xf32> {mlc.updates = 1 : i64}, memref<f32> {mlc.loss}) {
  %newm = memref.alloc() : memref<16xf32>
  memref.copy %g, %newm : memref<16xf32> to memref<16xf32>
  %loss = memref.alloc() : memref<f32>
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%loss : memref<f32>)
  %cast = memref.cast %p : memref<16xf32> to memref<16xf32, strided<[1]>>
  return %cast, %newm, %loss : memref<16xf32, strided<[1]>>, memref<16xf32>, memref<f32>
}

// -----

// A result that is not a fresh allocation (here an argument) is copied into the output argument.
// CHECK-LABEL: func.func @eval_step
// CHECK-SAME: (%[[X:[^:]*]]: memref<4x2xf32>, %[[OUT:[^:]*]]: memref<4x2xf32> {mlc.output = "logits"})
// CHECK: memref.copy %[[X]], %[[OUT]]
// CHECK: return{{$}}
func.func @eval_step(%x: memref<4x2xf32>) -> (memref<4x2xf32> {mlc.output = "logits"}) {
  return %x : memref<4x2xf32>
}

// -----

// Private functions keep their results.
// CHECK-LABEL: func.func private @helper
// CHECK-SAME: -> memref<4xf32>
func.func private @helper(%x: memref<4xf32>) -> memref<4xf32> {
  return %x : memref<4xf32>
}

// -----

// expected-error @+1 {{mlc-finalize-step-abi: result 0 is not a memref}}
func.func @not_bufferized(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
