// Steps that break the bufferize stage's contract (mlc-check-contract stage=bufferize).
// expected-error @below {{stage 'bufferize' breaks its contract: @train_step still returns values}}
func.func @train_step(%w: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %v = memref.load %w[%c0] : memref<4xf32>
  return %v : f32
}

// -----

func.func @train_step(%w: memref<4xf32>) {
  // expected-error @below {{stage 'bufferize' breaks its contract: heap allocation left in @train_step}}
  %b = memref.alloc() : memref<4xf32>
  memref.copy %w, %b : memref<4xf32> to memref<4xf32>
  return
}

// -----

func.func @eval_step(%w: memref<4xf32>) {
  // expected-error @below {{stage 'bufferize' breaks its contract: tensor value left in @eval_step ('bufferization.to_tensor')}}
  %t = bufferization.to_tensor %w : memref<4xf32>
  return
}
