// mlc-gpu-map-forall rejects a loop nest that maps two loop dimensions to the same hardware id.
// RUN: mlc-opt %s --mlc-gpu-map-forall --verify-diagnostics


func.func @same_id_twice(%a: memref<4x8xf32>) {
  %one = arith.constant 1.0 : f32
  // expected-error @below {{mlc-gpu-map-forall}}
  scf.forall (%i, %j) in (4, 8) {
    scf.forall (%t) in (1) {
      memref.store %one, %a[%i, %j] : memref<4x8xf32>
    } {mapping = [#gpu.thread<x>]}
  } {mapping = [#gpu.block<x>, #gpu.block<x>]}
  return
}
