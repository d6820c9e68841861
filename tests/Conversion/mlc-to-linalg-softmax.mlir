// convert-mlc-to-linalg, softmax family: stable max / sum-of-exp / normalize generics, and the
// fused cross-entropy that picks the label's logit in the same pass over classes (no gather).
// RUN: mlc-opt %s --split-input-file --convert-mlc-to-linalg | FileCheck %s

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[X:[^:]*]]: tensor<4x10xf32>)
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[MINIT:.*]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%{{.*}} : tensor<4xf32>)
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<4x10xf32>) outs(%[[MINIT]] : tensor<4xf32>)
// CHECK: arith.maximumf
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]], %[[MAX]] : tensor<4x10xf32>, tensor<4xf32>)
// CHECK: %[[SH:.*]] = arith.subf
// CHECK-NEXT: %[[EX:.*]] = math.exp %[[SH]]
// CHECK-NEXT: arith.addf %{{.*}}, %[[EX]]
// CHECK: %[[P:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[MAX]], %[[SUM]] : tensor<4x10xf32>, tensor<4xf32>, tensor<4xf32>)
// CHECK-NEXT: ^bb0(%[[XI:.*]]: f32, %[[MI:.*]]: f32, %[[SI:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[D:.*]] = arith.subf %[[XI]], %[[MI]] : f32
// CHECK-NEXT: %[[E:.*]] = math.exp %[[D]] : f32
// CHECK-NEXT: %[[Q:.*]] = arith.divf %[[E]], %[[SI]] : f32
// CHECK-NEXT: linalg.yield %[[Q]]
// CHECK: return %[[P]]
// CHECK-NOT: mlc.
func.func @softmax(%x: tensor<4x10xf32>) -> tensor<4x10xf32> {
  %0 = mlc.softmax %x axis = 1 : tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// Along a middle axis of a rank-3 tensor: the reductions drop d1; the result is x - max - log(sum).
// CHECK-DAG: #[[RED:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @log_softmax_middle_axis
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[RED]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK: arith.maximumf
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "parallel"]
// CHECK: math.exp
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel"]
// CHECK-NEXT: ^bb0(%[[XI:.*]]: f32, %[[MI:.*]]: f32, %[[SI:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[D:.*]] = arith.subf %[[XI]], %[[MI]] : f32
// CHECK-NEXT: %[[L:.*]] = math.log %[[SI]] : f32
// CHECK-NEXT: %[[R:.*]] = arith.subf %[[D]], %[[L]] : f32
// CHECK-NEXT: linalg.yield %[[R]]
// CHECK-NOT: mlc.
func.func @log_softmax_middle_axis(%x: tensor<2x3x5xf32>) -> tensor<2x3x5xf32> {
  %0 = mlc.log_softmax %x axis = 1 : tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// Per row: the sum of exp(x - max) and the label's logit (selected where the class index equals
// the label), in one generic with two results; then the mean of log(sum) + max - picked (1/4).
// CHECK-LABEL: func.func @softmax_cross_entropy
// CHECK-SAME: (%[[X:[^:]*]]: tensor<4x10xf32>, %[[Y:[^:]*]]: tensor<4xi32>)
// CHECK: %[[MAX:.*]] = linalg.generic {{.*}} ins(%[[X]] : tensor<4x10xf32>)
// CHECK: %[[ROW:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[X]], %[[MAX]], %[[Y]] : tensor<4x10xf32>, tensor<4xf32>, tensor<4xi32>)
// CHECK-NEXT: ^bb0(%[[XI:.*]]: f32, %{{.*}}: f32, %[[LBL:.*]]: i32, %{{.*}}: f32, %[[PICKED:.*]]: f32):
// CHECK: %[[C:.*]] = linalg.index 1 : index
// CHECK-NEXT: %[[LI:.*]] = arith.index_cast %[[LBL]] : i32 to index
// CHECK-NEXT: %[[HIT:.*]] = arith.cmpi eq, %[[C]], %[[LI]] : index
// CHECK-NEXT: arith.select %[[HIT]], %[[XI]], %[[PICKED]] : f32
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} iterator_types = ["reduction"]} ins(%[[ROW]]#0, %[[MAX]], %[[ROW]]#1 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<f32>)
// CHECK: math.log
// CHECK: arith.constant 2.500000e-01 : f32
// CHECK: return %[[MEAN]] : tensor<f32>
// CHECK-NOT: mlc.
func.func @softmax_cross_entropy(%x: tensor<4x10xf32>, %y: tensor<4xi32>) -> tensor<f32> {
  %0 = mlc.softmax_cross_entropy %x, %y : tensor<4x10xf32>, tensor<4xi32> -> tensor<f32>
  return %0 : tensor<f32>
}
