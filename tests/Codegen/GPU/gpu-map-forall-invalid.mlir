// mlc-gpu-map-forall's errors: block loops it cannot turn into one gpu.launch.
// RUN: mlc-opt %s --split-input-file --mlc-gpu-map-forall --verify-diagnostics

// A store at block level would run once per thread.
func.func @effect_at_block_level(%a: memref<64xf32>) {
  %one = arith.constant 1.0 : f32
  scf.forall (%i) = (0) to (64) step (32) {
    // expected-error @below {{mlc-gpu-map-forall: op with memory effects at block level}}
    memref.store %one, %a[%i] : memref<64xf32>
    scf.forall (%t) in (32) {
      %k = arith.addi %i, %t : index
      memref.store %one, %a[%k] : memref<64xf32>
    } {mapping = [#gpu.thread<x>]}
  } {mapping = [#gpu.block<x>]}
  return
}

// -----

// An inner loop without a thread mapping is just another op with memory effects.
func.func @unmapped_inner_loop(%a: memref<64xf32>) {
  %one = arith.constant 1.0 : f32
  scf.forall (%i) in (64) {
    // expected-error @below {{mlc-gpu-map-forall: op with memory effects at block level}}
    scf.forall (%t) in (1) {
      memref.store %one, %a[%i] : memref<64xf32>
    }
  } {mapping = [#gpu.block<x>]}
  return
}

// -----

func.func @no_thread_loop(%a: memref<64xf32>) {
  // expected-error @below {{mlc-gpu-map-forall: block loop without a thread loop}}
  scf.forall (%i) in (64) {
    %k = arith.addi %i, %i : index
  } {mapping = [#gpu.block<x>]}
  return
}

// -----

func.func @two_thread_loops(%a: memref<64xf32>) {
  %one = arith.constant 1.0 : f32
  // expected-error @below {{mlc-gpu-map-forall: more than one thread loop in a block loop}}
  scf.forall (%i) = (0) to (64) step (32) {
    scf.forall (%t) in (32) {
      %k = arith.addi %i, %t : index
      memref.store %one, %a[%k] : memref<64xf32>
    } {mapping = [#gpu.thread<x>]}
    scf.forall (%t) in (32) {
      %k = arith.addi %i, %t : index
      memref.store %one, %a[%k] : memref<64xf32>
    } {mapping = [#gpu.thread<x>]}
  } {mapping = [#gpu.block<x>]}
  return
}

// -----

func.func @dynamic_bound(%a: memref<?xf32>, %n: index) {
  %one = arith.constant 1.0 : f32
  // expected-error @below {{mlc-gpu-map-forall: loops must have static bounds and distinct x/y/z mappings}}
  scf.forall (%i) in (%n) {
    scf.forall (%t) in (1) {
      memref.store %one, %a[%i] : memref<?xf32>
    } {mapping = [#gpu.thread<x>]}
  } {mapping = [#gpu.block<x>]}
  return
}

// -----

func.func @linear_mapping(%a: memref<64xf32>) {
  %one = arith.constant 1.0 : f32
  // expected-error @below {{mlc-gpu-map-forall: loops must have static bounds and distinct x/y/z mappings}}
  scf.forall (%i) in (64) {
    scf.forall (%t) in (1) {
      memref.store %one, %a[%i] : memref<64xf32>
    } {mapping = [#gpu.thread<x>]}
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// Before bufferization.
func.func @on_tensors(%a: tensor<64xf32>) -> tensor<64xf32> {
  // expected-error @below {{mlc-gpu-map-forall: expected a bufferized scf.forall}}
  %r = scf.forall (%i) in (64) shared_outs(%o = %a) -> tensor<64xf32> {
    scf.forall (%t) in (1) {
    } {mapping = [#gpu.thread<x>]}
  } {mapping = [#gpu.block<x>]}
  return %r : tensor<64xf32>
}
