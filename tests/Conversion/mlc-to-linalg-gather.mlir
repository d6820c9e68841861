// convert-mlc-to-linalg, integer-indexed ops: gather reads its input at the (normalized, clamped)
// index; gather_grad reduces over the index dimensions; to_float, to_int and convert_float convert elementwise.
// RUN: mlc-opt %s --split-input-file --convert-mlc-to-linalg | FileCheck %s

// CHECK-DAG: #[[IDX:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @gather_rows
// CHECK-SAME: (%[[T:[^:]*]]: tensor<10x4xf32>, %[[IDS:[^:]*]]: tensor<2x3xi64>)
// CHECK: linalg.generic {indexing_maps = [#[[IDX]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME: ins(%[[IDS]] : tensor<2x3xi64>)
// CHECK: ^bb0(%[[I:.*]]: i64, %{{.*}}: f32):
// CHECK: %[[RAW:.*]] = arith.index_cast %[[I]] : i64 to index
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[RAW]]
// CHECK: %[[WRAP:.*]] = arith.select %[[NEG]]
// CHECK: %[[LO:.*]] = arith.maxsi %[[WRAP]]
// CHECK: %[[ROW:.*]] = arith.minsi %[[LO]]
// CHECK: %[[COL:.*]] = linalg.index 2 : index
// CHECK: %[[V:.*]] = tensor.extract %[[T]][%[[ROW]], %[[COL]]] : tensor<10x4xf32>
// CHECK: linalg.yield %[[V]] : f32
func.func @gather_rows(%t: tensor<10x4xf32>, %ids: tensor<2x3xi64>) -> tensor<2x3x4xf32> {
  %g = mlc.gather %t, %ids axis = 0 : tensor<10x4xf32>, tensor<2x3xi64> -> tensor<2x3x4xf32>
  return %g : tensor<2x3x4xf32>
}

// -----

// Loops (v, k, j0, j1): the adjoint is read at (j0, j1, k), the index at (j0, j1); each row v of
// the zero-filled result adds the adjoint rows whose index is v.
// CHECK-DAG: #[[ADJ:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d3, d1)>
// CHECK-DAG: #[[IDX:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-DAG: #[[RES:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-LABEL: func.func @gather_grad_rows
// CHECK: %[[Z:.*]] = linalg.fill
// CHECK: linalg.generic {indexing_maps = [#[[ADJ]], #[[IDX]], #[[RES]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME: outs(%[[Z]] : tensor<10x4xf32>)
// CHECK: ^bb0(%[[DY:.*]]: f32, %{{.*}}: i64, %[[ACC:.*]]: f32):
// CHECK: %[[V:.*]] = linalg.index 0 : index
// CHECK: %[[HIT:.*]] = arith.cmpi eq, %[[V]], %{{.*}} : index
// CHECK: %[[TERM:.*]] = arith.select %[[HIT]], %[[DY]], %{{.*}} : f32
// CHECK: %[[SUM:.*]] = arith.addf %[[ACC]], %[[TERM]] : f32
// CHECK: linalg.yield %[[SUM]]
func.func @gather_grad_rows(%dy: tensor<2x3x4xf32>, %ids: tensor<2x3xi64>) -> tensor<10x4xf32> {
  %b = mlc.gather_grad %dy, %ids axis = 0 : tensor<2x3x4xf32>, tensor<2x3xi64> -> tensor<10x4xf32>
  return %b : tensor<10x4xf32>
}

// -----

// CHECK-LABEL: func.func @to_float
// CHECK: linalg.generic
// CHECK: arith.sitofp %{{.*}} : i64 to f32
func.func @to_float(%n: tensor<i64>) -> tensor<f32> {
  %f = mlc.to_float %n : tensor<i64> -> tensor<f32>
  return %f : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @to_int
// CHECK: linalg.generic
// CHECK: arith.fptosi %{{.*}} : f32 to i64
func.func @to_int(%x: tensor<5xf32>) -> tensor<5xi64> {
  %i = mlc.to_int %x : tensor<5xf32> -> tensor<5xi64>
  return %i : tensor<5xi64>
}

// -----

// CHECK-LABEL: func.func @convert_float
// CHECK: linalg.generic
// CHECK: arith.extf %{{.*}} : f32 to f64
// CHECK: linalg.generic
// CHECK: arith.truncf %{{.*}} : f64 to f32
func.func @convert_float(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %w = mlc.convert_float %x : tensor<3x4xf32> -> tensor<3x4xf64>
  %n = mlc.convert_float %w : tensor<3x4xf64> -> tensor<3x4xf32>
  return %n : tensor<3x4xf32>
}
