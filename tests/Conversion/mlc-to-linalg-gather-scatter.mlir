// convert-mlc-to-linalg{gather-grad=scatter} (the CPU pipeline's choice): gather_grad becomes one
// scf.for per adjoint dimension, each adjoint element added into the table element its (normalized,
// clamped) index selects; the default reduction is in mlc-to-linalg-gather.mlir. A bad strategy
// name is an error.
// RUN: mlc-opt %s --convert-mlc-to-linalg=gather-grad=scatter | FileCheck %s
// RUN: not mlc-opt %s --convert-mlc-to-linalg=gather-grad=atomic 2>&1 | FileCheck %s --check-prefix=BAD

// CHECK-LABEL: func.func @gather_grad_rows
// CHECK-SAME: (%[[DY:[^:]*]]: tensor<2x3x4xf32>, %[[IDS:[^:]*]]: tensor<2x3xi64>)
// CHECK: %[[ZERO:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<10x4xf32>)
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[A0:.*]] = %[[ZERO]])
// CHECK: scf.for %[[J:.*]] = {{.*}} iter_args(%[[A1:.*]] = %[[A0]])
// CHECK: scf.for %[[K:.*]] = {{.*}} iter_args(%[[A2:.*]] = %[[A1]])
// CHECK: %[[RAW:.*]] = tensor.extract %[[IDS]][%[[I]], %[[J]]] : tensor<2x3xi64>
// CHECK: arith.cmpi slt
// CHECK: %[[ROW:.*]] = arith.minsi
// CHECK: %[[T:.*]] = tensor.extract %[[DY]][%[[I]], %[[J]], %[[K]]] : tensor<2x3x4xf32>
// CHECK: %[[OLD:.*]] = tensor.extract %[[A2]][%[[ROW]], %[[K]]] : tensor<10x4xf32>
// CHECK: %[[NEW:.*]] = arith.addf %[[OLD]], %[[T]] : f32
// CHECK: tensor.insert %[[NEW]] into %[[A2]][%[[ROW]], %[[K]]] : tensor<10x4xf32>
// CHECK-NOT: linalg.generic
func.func @gather_grad_rows(%dy: tensor<2x3x4xf32>, %ids: tensor<2x3xi64>) -> tensor<10x4xf32> {
  %g = mlc.gather_grad %dy, %ids axis = 0 : tensor<2x3x4xf32>, tensor<2x3xi64> -> tensor<10x4xf32>
  return %g : tensor<10x4xf32>
}

// BAD: gather-grad must be 'reduce' or 'scatter', got 'atomic'
