// Verifier errors of the mlc ops: shape rules, attribute ranges and the static-shape type constraints.
// RUN: mlc-opt %s --split-input-file --verify-diagnostics

func.func @dynamic_shape_rejected(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of floating-point values, but got 'tensor<?x4xf32>'}}
  %0 = mlc.relu %x : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

func.func @dynamic_logits_rejected(%x: tensor<4x?xf32>, %y: tensor<4xi32>) -> tensor<f32> {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of floating-point values}}
  %0 = mlc.softmax_cross_entropy %x, %y : tensor<4x?xf32>, tensor<4xi32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @integer_elementwise_rejected(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of floating-point values, but got 'tensor<4xi32>'}}
  %0 = mlc.add %x, %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

func.func @binary_types_differ(%x: tensor<4xf32>, %y: tensor<4xf64>) -> tensor<4xf32> {
  // expected-error @+1 {{requires the same type for all operands and results}}
  %0 = "mlc.add"(%x, %y) : (tensor<4xf32>, tensor<4xf64>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @binary_shapes_differ(%x: tensor<4xf32>, %y: tensor<1xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{requires the same type for all operands and results}}
  %0 = "mlc.mul"(%x, %y) : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @broadcast_dims_count(%x: tensor<4x5xf32>) -> tensor<3x4x5xf32> {
  // expected-error @+1 {{needs one entry in dims per input dimension (2), got 1}}
  %0 = mlc.broadcast %x dims = [1] : tensor<4x5xf32> -> tensor<3x4x5xf32>
  return %0 : tensor<3x4x5xf32>
}

// -----

func.func @broadcast_dims_out_of_range(%x: tensor<4xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{dims entry 2 is out of range for rank 2}}
  %0 = mlc.broadcast %x dims = [2] : tensor<4xf32> -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @broadcast_dims_not_increasing(%x: tensor<4x4xf32>) -> tensor<4x4x3xf32> {
  // expected-error @+1 {{dims entry must be strictly increasing}}
  %0 = mlc.broadcast %x dims = [1, 0] : tensor<4x4xf32> -> tensor<4x4x3xf32>
  return %0 : tensor<4x4x3xf32>
}

// -----

func.func @broadcast_size_mismatch(%x: tensor<4xf32>) -> tensor<3x5xf32> {
  // expected-error @+1 {{input dimension 0 (size 4) cannot broadcast to result dimension 1 (size 5)}}
  %0 = mlc.broadcast %x dims = [1] : tensor<4xf32> -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

func.func @broadcast_element_type(%x: tensor<4xf32>) -> tensor<3x4xf16> {
  // expected-error @+1 {{element types of input and result differ}}
  %0 = mlc.broadcast %x dims = [1] : tensor<4xf32> -> tensor<3x4xf16>
  return %0 : tensor<3x4xf16>
}

// -----

func.func @reduce_sum_dim_out_of_range(%x: tensor<4x5xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{reduced dimension -1 is out of range for rank 2}}
  %0 = mlc.reduce_sum %x dims = [-1] : tensor<4x5xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @reduce_sum_dims_not_increasing(%x: tensor<4x5xf32>) -> tensor<f32> {
  // expected-error @+1 {{reduced dimension must be strictly increasing}}
  %0 = mlc.reduce_sum %x dims = [1, 1] : tensor<4x5xf32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @reduce_sum_result_shape(%x: tensor<4x5xf32>) -> tensor<5xf32> {
  // expected-error @+1 {{result shape does not match the reduction of the input shape}}
  %0 = mlc.reduce_sum %x dims = [1] : tensor<4x5xf32> -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @reduce_sum_keep_dims_shape(%x: tensor<4x5xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{result shape does not match the reduction of the input shape}}
  %0 = mlc.reduce_sum %x dims = [1] keep_dims : tensor<4x5xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @reduce_sum_element_type(%x: tensor<4x5xf32>) -> tensor<4xf64> {
  // expected-error @+1 {{element types of input and result differ}}
  %0 = mlc.reduce_sum %x dims = [1] : tensor<4x5xf32> -> tensor<4xf64>
  return %0 : tensor<4xf64>
}

// -----

func.func @reshape_element_count(%x: tensor<4x5xf32>) -> tensor<21xf32> {
  // expected-error @+1 {{cannot reshape 20 elements into 21}}
  %0 = mlc.reshape %x : tensor<4x5xf32> -> tensor<21xf32>
  return %0 : tensor<21xf32>
}

// -----

func.func @reshape_element_type(%x: tensor<4x5xf32>) -> tensor<20xf16> {
  // expected-error @+1 {{element types of input and result differ}}
  %0 = mlc.reshape %x : tensor<4x5xf32> -> tensor<20xf16>
  return %0 : tensor<20xf16>
}

// -----

func.func @transpose_permutation_length(%x: tensor<4x5xf32>) -> tensor<5x4xf32> {
  // expected-error @+1 {{permutation has 3 entries for rank 2}}
  %0 = mlc.transpose %x permutation = [1, 0, 2] : tensor<4x5xf32> -> tensor<5x4xf32>
  return %0 : tensor<5x4xf32>
}

// -----

func.func @transpose_permutation_repeated(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{permutation is not a permutation of [0, 2)}}
  %0 = mlc.transpose %x permutation = [1, 1] : tensor<4x4xf32> -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @transpose_permutation_out_of_range(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{permutation is not a permutation of [0, 2)}}
  %0 = mlc.transpose %x permutation = [0, 2] : tensor<4x4xf32> -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

func.func @transpose_result_shape(%x: tensor<4x5xf32>) -> tensor<4x5xf32> {
  // expected-error @+1 {{result dimension 0 must be input dimension 1}}
  %0 = mlc.transpose %x permutation = [1, 0] : tensor<4x5xf32> -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

func.func @transpose_element_type(%x: tensor<4x5xf32>) -> tensor<5x4xf64> {
  // expected-error @+1 {{element types of input and result differ}}
  %0 = mlc.transpose %x permutation = [1, 0] : tensor<4x5xf32> -> tensor<5x4xf64>
  return %0 : tensor<5x4xf64>
}

// -----

func.func @matmul_rank(%a: tensor<2x4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  // expected-error @+1 {{operands and result must be all 2-D or all 3-D}}
  %0 = mlc.matmul %a, %b : tensor<2x4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

func.func @matmul_batch(%a: tensor<2x4x8xf32>, %b: tensor<3x8x16xf32>) -> tensor<2x4x16xf32> {
  // expected-error @+1 {{batch sizes differ: 2, 3 and 2}}
  %0 = mlc.matmul %a, %b : tensor<2x4x8xf32>, tensor<3x8x16xf32> -> tensor<2x4x16xf32>
  return %0 : tensor<2x4x16xf32>
}

// -----

func.func @matmul_batch_contraction(%a: tensor<2x4x8xf32>, %b: tensor<2x16x8xf32>) -> tensor<2x4x16xf32> {
  // expected-error @+1 {{contraction sizes differ: 8 vs 16}}
  %0 = mlc.matmul %a, %b : tensor<2x4x8xf32>, tensor<2x16x8xf32> -> tensor<2x4x16xf32>
  return %0 : tensor<2x4x16xf32>
}

// -----

func.func @matmul_contraction(%a: tensor<4x8xf32>, %b: tensor<7x16xf32>) -> tensor<4x16xf32> {
  // expected-error @+1 {{contraction sizes differ: 8 vs 7}}
  %0 = mlc.matmul %a, %b : tensor<4x8xf32>, tensor<7x16xf32> -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// Without transpose_rhs these operands would contract; with it, 8 meets 16.
func.func @matmul_contraction_transposed(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{contraction sizes differ: 8 vs 16}}
  %0 = mlc.matmul %a, %b {transpose_rhs} : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

func.func @matmul_result_shape(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<16x4xf32> {
  // expected-error @+1 {{result must be 4x16}}
  %0 = mlc.matmul %a, %b : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<16x4xf32>
  return %0 : tensor<16x4xf32>
}

// -----

func.func @matmul_result_shape_transposed_lhs(%a: tensor<8x4xf32>, %b: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{result must be 4x16}}
  %0 = mlc.matmul %a, %b {transpose_lhs} : tensor<8x4xf32>, tensor<8x16xf32> -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// -----

func.func @matmul_element_type(%a: tensor<4x8xf16>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  // expected-error @+1 {{element types of operands and result differ}}
  %0 = mlc.matmul %a, %b : tensor<4x8xf16>, tensor<8x16xf32> -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

func.func @softmax_axis(%x: tensor<4x10xf32>) -> tensor<4x10xf32> {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = mlc.softmax %x axis = 2 : tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

func.func @log_softmax_negative_axis(%x: tensor<4x10xf32>) -> tensor<4x10xf32> {
  // expected-error @+1 {{axis -1 is out of range for rank 2}}
  %0 = mlc.log_softmax %x axis = -1 : tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

func.func @cross_entropy_logits_rank(%x: tensor<4x10x2xf32>, %y: tensor<4xi32>) -> tensor<f32> {
  // expected-error @+1 {{logits must be 2-D [batch, classes]}}
  %0 = mlc.softmax_cross_entropy %x, %y : tensor<4x10x2xf32>, tensor<4xi32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @cross_entropy_label_count(%x: tensor<4x10xf32>, %y: tensor<5xi32>) -> tensor<f32> {
  // expected-error @+1 {{labels must be 1-D with one label per row of logits (4)}}
  %0 = mlc.softmax_cross_entropy %x, %y : tensor<4x10xf32>, tensor<5xi32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @cross_entropy_label_rank(%x: tensor<4x10xf32>, %y: tensor<4x1xi32>) -> tensor<f32> {
  // expected-error @+1 {{labels must be 1-D with one label per row of logits (4)}}
  %0 = mlc.softmax_cross_entropy %x, %y : tensor<4x10xf32>, tensor<4x1xi32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @cross_entropy_float_labels(%x: tensor<4x10xf32>, %y: tensor<4xf32>) -> tensor<f32> {
  // expected-error @+1 {{operand #1 must be statically shaped tensor of 32-bit signless integer or 64-bit signless integer values}}
  %0 = mlc.softmax_cross_entropy %x, %y : tensor<4x10xf32>, tensor<4xf32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @cross_entropy_result_rank(%x: tensor<4x10xf32>, %y: tensor<4xi32>) -> tensor<1xf32> {
  // expected-error @+1 {{result must be a scalar (rank-0) tensor}}
  %0 = mlc.softmax_cross_entropy %x, %y : tensor<4x10xf32>, tensor<4xi32> -> tensor<1xf32>
  return %0 : tensor<1xf32>
}

// -----

func.func @one_hot_rank(%y: tensor<4xi32>) -> tensor<4xf32> {
  // expected-error @+1 {{result shape must be the labels' shape plus a class dimension}}
  %0 = mlc.one_hot %y : tensor<4xi32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @one_hot_batch(%y: tensor<4xi32>) -> tensor<5x10xf32> {
  // expected-error @+1 {{result shape must be the labels' shape plus a class dimension}}
  %0 = mlc.one_hot %y : tensor<4xi32> -> tensor<5x10xf32>
  return %0 : tensor<5x10xf32>
}

// -----

func.func @one_hot_float_labels(%y: tensor<4xf32>) -> tensor<4x10xf32> {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<4xf32>'}}
  %0 = mlc.one_hot %y : tensor<4xf32> -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

func.func @one_hot_i16_labels(%y: tensor<4xi16>) -> tensor<4x10xf32> {
  // expected-error @+1 {{operand #0 must be statically shaped tensor of 32-bit signless integer or 64-bit signless integer values}}
  %0 = mlc.one_hot %y : tensor<4xi16> -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

func.func @missing_attribute(%x: tensor<4x10xf32>) -> tensor<4x10xf32> {
  // expected-error @+1 {{requires attribute 'axis'}}
  %0 = "mlc.softmax"(%x) : (tensor<4x10xf32>) -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

func.func @reduce_max_result_shape(%x: tensor<4x5xf32>) -> tensor<5xf32> {
  // expected-error @+1 {{result shape does not match the reduction of the input shape}}
  %0 = mlc.reduce_max %x dims = [1] : tensor<4x5xf32> -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @im2col_wrong_windows(%x: tensor<1x2x5x5xf32>) -> tensor<1x4x4x2x3x3xf32> {
  // expected-error @+1 {{windows must be 'tensor<1x3x3x2x3x3xf32>' for image 'tensor<1x2x5x5xf32>'}}
  %0 = mlc.im2col %x kernel = [3, 3] strides = [1, 1] dilations = [1, 1] pads = [0, 0, 0, 0] pad_value = 0.0 : tensor<1x2x5x5xf32> -> tensor<1x4x4x2x3x3xf32>
  return %0 : tensor<1x4x4x2x3x3xf32>
}

// -----

func.func @im2col_window_too_big(%x: tensor<1x2x5x5xf32>) -> tensor<1x1x1x2x3x3xf32> {
  // expected-error @+1 {{the window does not fit in the padded image}}
  %0 = mlc.im2col %x kernel = [3, 3] strides = [1, 1] dilations = [3, 3] pads = [0, 0, 0, 0] pad_value = 0.0 : tensor<1x2x5x5xf32> -> tensor<1x1x1x2x3x3xf32>
  return %0 : tensor<1x1x1x2x3x3xf32>
}

// -----

func.func @col2im_zero_stride(%w: tensor<1x3x3x2x3x3xf32>) -> tensor<1x2x5x5xf32> {
  // expected-error @+1 {{kernel sizes, strides and dilations must be positive}}
  %0 = mlc.col2im %w kernel = [3, 3] strides = [0, 1] dilations = [1, 1] pads = [0, 0, 0, 0] : tensor<1x3x3x2x3x3xf32> -> tensor<1x2x5x5xf32>
  return %0 : tensor<1x2x5x5xf32>
}

// -----

func.func @dropout_ratio_one(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{ratio must be in [0, 1), got 1}}
  %0 = mlc.dropout %x, %s, %s ratio = 1.0 stream = 0 : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @slice_past_end(%x: tensor<5x9xf32>) -> tensor<3x3xf32> {
  // expected-error @+1 {{dimension 0 reads past the input (size 5)}}
  %0 = mlc.slice %x offsets = [1, 2] strides = [2, 3] : tensor<5x9xf32> -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

func.func @pad_wrong_size(%x: tensor<2x3xf32>) -> tensor<6x8xf32> {
  // expected-error @+1 {{result dimension 1 must be 9}}
  %0 = mlc.pad %x low = [1, 0] high = [3, 2] interior = [0, 2] value = 0.0 : tensor<2x3xf32> -> tensor<6x8xf32>
  return %0 : tensor<6x8xf32>
}

// -----

func.func @iota_dim_out_of_range() -> tensor<4x9xf32> {
  // expected-error @+1 {{dim 2 is out of range for rank 2}}
  %0 = mlc.iota dim = 2 : tensor<4x9xf32>
  return %0 : tensor<4x9xf32>
}

// -----

func.func @phase_select_types(%a: tensor<4xf32>, %b: tensor<5xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{all of {train, eval, result} have same type}}
  %0 = "mlc.phase_select"(%a, %b) : (tensor<4xf32>, tensor<5xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @gather_axis_out_of_range(%t: tensor<10x4xf32>, %ids: tensor<3xi64>) -> tensor<3x4xf32> {
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = mlc.gather %t, %ids axis = 2 : tensor<10x4xf32>, tensor<3xi64> -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @gather_wrong_result(%t: tensor<10x4xf32>, %ids: tensor<3xi64>) -> tensor<4x3xf32> {
  // expected-error @+1 {{result shape must be the input's with dimension 0 replaced by the indices' shape}}
  %0 = mlc.gather %t, %ids axis = 0 : tensor<10x4xf32>, tensor<3xi64> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @gather_grad_wrong_adjoint(%dy: tensor<3x5xf32>, %ids: tensor<3xi64>) -> tensor<10x4xf32> {
  // expected-error @+1 {{adjoint shape must be the result's with dimension 0 replaced by the indices' shape}}
  %0 = mlc.gather_grad %dy, %ids axis = 0 : tensor<3x5xf32>, tensor<3xi64> -> tensor<10x4xf32>
  return %0 : tensor<10x4xf32>
}

// -----

func.func @to_float_shape(%n: tensor<3xi64>) -> tensor<4xf32> {
  // expected-error @+1 {{result shape must be the input's}}
  %0 = mlc.to_float %n : tensor<3xi64> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @to_int_shape(%x: tensor<3xf32>) -> tensor<4xi64> {
  // expected-error @+1 {{result shape must be the input's}}
  %0 = mlc.to_int %x : tensor<3xf32> -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

func.func @to_int_float_result(%x: tensor<3xf32>) -> tensor<3xf64> {
  // expected-error @+1 {{result #0 must be statically shaped tensor of 32-bit signless integer or 64-bit signless integer values}}
  %0 = mlc.to_int %x : tensor<3xf32> -> tensor<3xf64>
  return %0 : tensor<3xf64>
}

// -----

func.func @convert_float_same_type(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{converts to the type it has: 'f32'}}
  %0 = mlc.convert_float %x : tensor<3xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @convert_float_shape(%x: tensor<3xf32>) -> tensor<4xf64> {
  // expected-error @+1 {{result shape must be the input's}}
  %0 = mlc.convert_float %x : tensor<3xf32> -> tensor<4xf64>
  return %0 : tensor<4xf64>
}

// -----

func.func @depthwise_wrong_filters(%x: tensor<1x2x5x5xf32>, %f: tensor<3x3x3xf32>) -> tensor<1x2x3x3xf32> {
  // expected-error @+1 {{filters must be [2, 3, 3] for image 'tensor<1x2x5x5xf32>', got 'tensor<3x3x3xf32>'}}
  %0 = mlc.depthwise_conv %x, %f kernel = [3, 3] strides = [1, 1] dilations = [1, 1] pads = [0, 0, 0, 0] : tensor<1x2x5x5xf32>, tensor<3x3x3xf32> -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

func.func @depthwise_wrong_result(%x: tensor<1x2x5x5xf32>, %f: tensor<2x3x3xf32>) -> tensor<1x2x5x5xf32> {
  // expected-error @+1 {{result must be 'tensor<1x2x3x3xf32>' for image 'tensor<1x2x5x5xf32>'}}
  %0 = mlc.depthwise_conv %x, %f kernel = [3, 3] strides = [1, 1] dilations = [1, 1] pads = [0, 0, 0, 0] : tensor<1x2x5x5xf32>, tensor<2x3x3xf32> -> tensor<1x2x5x5xf32>
  return %0 : tensor<1x2x5x5xf32>
}

// -----

func.func @depthwise_window_too_big(%x: tensor<1x2x5x5xf32>, %f: tensor<2x3x3xf32>) -> tensor<1x2x1x1xf32> {
  // expected-error @+1 {{the window does not fit in the padded image}}
  %0 = mlc.depthwise_conv %x, %f kernel = [3, 3] strides = [1, 1] dilations = [3, 3] pads = [0, 0, 0, 0] : tensor<1x2x5x5xf32>, tensor<2x3x3xf32> -> tensor<1x2x1x1xf32>
  return %0 : tensor<1x2x1x1xf32>
}

// -----

func.func @depthwise_rank(%x: tensor<2x5x5xf32>, %f: tensor<2x3x3xf32>) -> tensor<2x3x3xf32> {
  // expected-error @+1 {{needs a rank-4 image and rank-3 filters [C, KH, KW], got ranks 3 and 3}}
  %0 = mlc.depthwise_conv %x, %f kernel = [3, 3] strides = [1, 1] dilations = [1, 1] pads = [0, 0, 0, 0] : tensor<2x5x5xf32>, tensor<2x3x3xf32> -> tensor<2x3x3xf32>
  return %0 : tensor<2x3x3xf32>
}
