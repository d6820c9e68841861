// mlc-gpu-wrap-serial's error: an op that reads device memory into a value the host uses.
// RUN: mlc-opt %s --mlc-gpu-wrap-serial --verify-diagnostics

func.func @load_on_host(%b: memref<f32>, %c: memref<f32>) {
  // expected-error @below {{mlc-gpu-wrap-serial: cannot run 'memref.load' on the device: its results are used on the host}}
  %v = memref.load %b[] : memref<f32>
  memref.store %v, %c[] : memref<f32>
  return
}
