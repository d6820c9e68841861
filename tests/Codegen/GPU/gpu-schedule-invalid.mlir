// mlc-gpu-schedule rejects a max-threads outside what a CUDA block can hold.
// RUN: mlc-opt %s --mlc-gpu-schedule=max-threads=0 --verify-diagnostics
// RUN: mlc-opt %s --mlc-gpu-schedule=max-threads=2048 --verify-diagnostics

// expected-error @below {{mlc-gpu-schedule: max-threads must be in [1, 1024]}}
module {
  func.func @unused() {
    return
  }
}
