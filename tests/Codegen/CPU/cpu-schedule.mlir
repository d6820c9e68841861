// mlc-cpu-schedule: thread tiles (scf.forall) for ops with enough work, register tiles, vectors.
// RUN: mlc-opt %s --split-input-file --mlc-cpu-schedule | FileCheck %s
// RUN: mlc-opt %s --split-input-file --mlc-cpu-schedule=parallel-chunks=2 | FileCheck %s --check-prefix=CHUNKS
// RUN: mlc-opt %s --split-input-file --mlc-cpu-schedule=min-parallel-work=100000000 | FileCheck %s --check-prefix=SERIAL
// RUN: mlc-opt %s --split-input-file --mlc-cpu-schedule=vector-bits=256 | FileCheck %s --check-prefix=AVX2

// 64 rows, 128 columns: the larger N is split, 4 chunks of 32 columns (8 would be narrower than
// the register tile), so each thread reads only its columns of B; an 8x32 register tile with k
// by 1, as one vector.contract. The accumulator's zero fill moves into the forall: each thread
// fills the slice it accumulates into.
// CHECK-LABEL: func.func @matmul
// CHECK: %[[E:.*]] = tensor.empty() : tensor<64x128xf32>
// CHECK: scf.forall (%[[J:.*]]) = (0) to (128) step (32) shared_outs(%[[O:.*]] = %[[E]])
// CHECK: tensor.extract_slice %{{.*}}[0, %[[J]]] [256, 32]
// CHECK: %[[S:.*]] = tensor.extract_slice %[[O]][0, %[[J]]] [64, 32]
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[S]] : tensor<64x32xf32>)
// CHECK: scf.for
// CHECK: vector.contract {{.*}} : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
// CHECK-NOT: linalg.matmul
// CHECK: scf.forall.in_parallel
// CHECK-NEXT: tensor.parallel_insert_slice %{{.*}} into %[[O]][0, %[[J]]] [64, 32]
// CHUNKS-LABEL: func.func @matmul
// CHUNKS: scf.forall (%{{.*}}) = (0) to (128) step (64)
// SERIAL-LABEL: func.func @matmul
// SERIAL-NOT: scf.forall
// SERIAL: vector.contract
// With AVX2's 16 registers of 8 floats, 8x32 would need 32 accumulators: 6 x 16 tiles (12
// accumulators) over the first 60 rows, the last 4 rows split off with 4 x 16 tiles; chunks of
// 16 columns.
// AVX2-LABEL: func.func @matmul
// AVX2: scf.forall (%{{.*}}) = (0) to (128) step (16)
// AVX2: vector.contract {{.*}} : vector<6x1xf32>, vector<1x16xf32> into vector<6x16xf32>
// AVX2: tensor<60x128xf32>
// AVX2: scf.forall (%{{.*}}) = (0) to (128) step (16)
// AVX2: vector.contract {{.*}} : vector<4x1xf32>, vector<1x16xf32> into vector<4x16xf32>
func.func @matmul(%a: tensor<64x256xf32>, %b: tensor<256x128xf32>) -> tensor<64x128xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x128xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<64x128xf32>) -> tensor<64x128xf32>
  %r = linalg.matmul ins(%a, %b : tensor<64x256xf32>, tensor<256x128xf32>) outs(%c : tensor<64x128xf32>) -> tensor<64x128xf32>
  return %r : tensor<64x128xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// 32 elements of work: the two loops read every operand contiguously, so they collapse into one
// loop of 32 elements, one thread, one 32-wide vector (no loop at all).
// CHECK-LABEL: func.func @small_add
// CHECK-NOT: scf.forall
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1]] : tensor<4x8xf32> into tensor<32xf32>
// CHECK-NOT: scf.for
// CHECK: %[[A:.*]] = vector.transfer_read {{.*}} : tensor<32xf32>, vector<32xf32>
// CHECK: %[[B:.*]] = vector.transfer_read {{.*}} : tensor<32xf32>, vector<32xf32>
// CHECK: arith.addf %[[A]], %[[B]] : vector<32xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [4, 8]
// CHECK-NOT: linalg.generic
func.func @small_add(%a: tensor<4x8xf32>, %b: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a, %b : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// A large elementwise op, collapsed to 65536 elements: 8 thread chunks of 8192, 64-wide vectors.
// CHECK-LABEL: func.func @large_relu
// CHECK: scf.forall (%{{.*}}) = (0) to (65536) step (8192)
// CHECK: %[[V:.*]] = vector.transfer_read {{.*}} : tensor<64xf32>, vector<64xf32>
// CHECK: arith.maximumf %[[V]], %{{.*}} : vector<64xf32>
// CHECK: vector.transfer_write
// CHECK-NOT: linalg.generic
// CHUNKS-LABEL: func.func @large_relu
// CHUNKS: scf.forall (%{{.*}}) = (0) to (65536) step (32768)
func.func @large_relu(%a: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %e = tensor.empty() : tensor<256x256xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<256x256xf32>) outs(%e : tensor<256x256xf32>) {
  ^bb0(%x: f32, %o: f32):
    %z = arith.constant 0.0 : f32
    %m = arith.maximumf %x, %z : f32
    linalg.yield %m : f32
  } -> tensor<256x256xf32>
  return %r : tensor<256x256xf32>
}

// -----

// A small row reduction: the reduced dimension is kept whole in the vector (multi_reduction),
// with 4 rows in the same tile (64 / 10 elements rounded to a divisor of 64), so that the sum is
// adds between vectors of results rather than a reduction across lanes per row.
// CHECK-LABEL: func.func @row_sum
// CHECK-NOT: scf.forall
// CHECK: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<4x10xf32> to vector<4xf32>
// CHECK-NOT: linalg.generic
func.func @row_sum(%a: tensor<64x10xf32>) -> tensor<64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<64xf32>) -> tensor<64xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>],
                       iterator_types = ["parallel", "reduction"]}
      ins(%a : tensor<64x10xf32>) outs(%c : tensor<64xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  } -> tensor<64xf32>
  return %r : tensor<64xf32>
}

// -----

// A long contraction (k = 12544, a convolution's weight gradient): threads split N (128 > 64
// rows) into chunks of 32; k is split into panels carried by an scf.for, inside which the 8x32
// register tiles run over one panel at a time. The lhs is transposed ([K, M], read a row of M
// per step): panels of 256, deeper than a plain product's 64.
// CHECK-LABEL: func.func @long_k
// CHECK: scf.forall (%{{.*}}) = (0) to (128) step (32)
// CHECK: scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: tensor.extract_slice %{{.*}}[%[[K]], 0] [256, 64] [1, 1]
// CHECK: tensor.extract_slice %{{.*}}[%[[K]], 0] [256, 32] [1, 1]
// CHECK: vector.contract
func.func @long_k(%a: tensor<12544x64xf32>, %b: tensor<12544x128xf32>) -> tensor<64x128xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x128xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<64x128xf32>) -> tensor<64x128xf32>
  %r = linalg.matmul_transpose_a ins(%a, %b : tensor<12544x64xf32>, tensor<12544x128xf32>)
                                 outs(%c : tensor<64x128xf32>) -> tensor<64x128xf32>
  return %r : tensor<64x128xf32>
}

// -----

// Cache blocks: each thread's 128 rows run as blocks of 64 rows x 128 columns of C, each over
// panels of 64 of k (loops M, N, K), and the 8x32 register tiles inside a block read its
// [64, 64] panel of A and [64, 128] panel of B.
// CHECK-LABEL: func.func @cache_blocks
// CHECK: scf.forall (%{{.*}}) = (0) to (1024) step (128)
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %[[C64:.*]] iter_args
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %[[C128:.*]] iter_args
// CHECK: scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %[[C64]] iter_args
// CHECK-DAG: tensor.extract_slice %{{.*}}[%[[I]], %[[K]]] [64, 64] [1, 1]
// CHECK-DAG: tensor.extract_slice %{{.*}}[%[[K]], %[[J]]] [64, 128] [1, 1]
// CHECK-DAG: tensor.extract_slice %{{.*}}[%[[I]], %[[J]]] [64, 128] [1, 1]
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[C64]] step %{{.*}} iter_args
// CHECK: vector.contract {{.*}} : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
func.func @cache_blocks(%a: tensor<1024x256xf32>, %b: tensor<256x256xf32>) -> tensor<1024x256xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1024x256xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<1024x256xf32>) -> tensor<1024x256xf32>
  %r = linalg.matmul ins(%a, %b : tensor<1024x256xf32>, tensor<256x256xf32>)
                     outs(%c : tensor<1024x256xf32>) -> tensor<1024x256xf32>
  return %r : tensor<1024x256xf32>
}

// -----

// A full reduction over [N, H, W] of [N, C, H, W] (a convolution's bias gradient): H and W are
// read contiguously by the input and not at all by the output, so they collapse into one
// reduced dimension of 784. The innermost reduced dimension stays in the vector, which stays
// within 256 elements (16 x 16); the other reduced dimensions are loops, instead of one
// 64x784 vector unrolled into scalar adds. N and C do not collapse (C is parallel, N reduced).
// CHECK-LABEL: func.func @bias_grad
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] : tensor<64x32x28x28xf32> into tensor<64x32x784xf32>
// CHECK: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [0, 2] : vector<16x1x16xf32> to vector<1xf32>
// CHECK-NOT: vector<64x1x784xf32>
func.func @bias_grad(%a: tensor<64x32x28x28xf32>) -> tensor<32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<32xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<32xf32>) -> tensor<32xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (c)>],
                       iterator_types = ["reduction", "parallel", "reduction", "reduction"]}
      ins(%a : tensor<64x32x28x28xf32>) outs(%c : tensor<32xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  } -> tensor<32xf32>
  return %r : tensor<32xf32>
}

// -----

// A gather (col2im's form: tensor.extract at computed indices) is vectorized into vector.gather
// rather than left as scalar loops...
// CHECK-LABEL: func.func @gather
// CHECK: vector.gather
// CHECK-NOT: tensor.extract %
func.func @gather(%src: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %e = tensor.empty() : tensor<16x64xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      outs(%e : tensor<16x64xf32>) {
  ^bb0(%o: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %c63 = arith.constant 63 : index
    %jr = arith.subi %c63, %j : index
    %v = tensor.extract %src[%i, %jr] : tensor<16x64xf32>
    linalg.yield %v : f32
  } -> tensor<16x64xf32>
  return %r : tensor<16x64xf32>
}

// -----

// ... unless its source is a tensor.extract_slice: that becomes a strided view, which
// vector.gather would index as if it were contiguous. The extract stays scalar.
// CHECK-LABEL: func.func @gather_from_view
// CHECK-NOT: vector.gather
// CHECK: tensor.extract %
func.func @gather_from_view(%big: tensor<16x80xf32>) -> tensor<16x64xf32> {
  %src = tensor.extract_slice %big[0, 8] [16, 64] [1, 1] : tensor<16x80xf32> to tensor<16x64xf32>
  %e = tensor.empty() : tensor<16x64xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      outs(%e : tensor<16x64xf32>) {
  ^bb0(%o: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %c63 = arith.constant 63 : index
    %jr = arith.subi %c63, %j : index
    %v = tensor.extract %src[%i, %jr] : tensor<16x64xf32>
    linalg.yield %v : f32
  } -> tensor<16x64xf32>
  return %r : tensor<16x64xf32>
}

// -----

// N = 150 (LeNet's windows of 6 channels x 5 x 5) is not a whole number of AVX2 vectors: the
// matmul is split at 144 columns, which get full 4x16 register tiles, and the last 6 columns
// get their own narrow tiles (instead of 15-column tiles for all of it).
// AVX2-LABEL: func.func @ragged_n
// AVX2: vector.contract {{.*}} : vector<4x1xf32>, vector<1x16xf32> into vector<4x16xf32>
// AVX2: vector.contract {{.*}} : vector<8x1xf32>, vector<1x6xf32> into vector<8x6xf32>
// AVX2-NOT: vector<{{[0-9]+}}x15xf32>
func.func @ragged_n(%a: tensor<64x16xf32>, %b: tensor<16x150xf32>) -> tensor<64x150xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x150xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<64x150xf32>) -> tensor<64x150xf32>
  %r = linalg.matmul ins(%a, %b : tensor<64x16xf32>, tensor<16x150xf32>) outs(%c : tensor<64x150xf32>) -> tensor<64x150xf32>
  return %r : tensor<64x150xf32>
}

// -----

// A product summed over the batch (a bias gradient through a mask): the vectorizer's
// multiply-reduce becomes a vector.contract of two same-shaped operands, which is an elementwise
// product and a reduction, not a matrix product; it stays mulf + multi_reduction (plain vector
// adds over the reduced rows) rather than one horizontal reduction per output column.
// CHECK-LABEL: func.func @masked_column_sum
// CHECK: %[[P:.*]] = arith.mulf %{{.*}}, %{{.*}} : vector<16x60xf32>
// CHECK: vector.multi_reduction <add>, %[[P]], %{{.*}} [0] : vector<16x60xf32> to vector<60xf32>
// CHECK-NOT: vector.contract
func.func @masked_column_sum(%g: tensor<64x120xf32>, %m: tensor<64x120xf32>) -> tensor<120xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<120xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<120xf32>) -> tensor<120xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>,
                                        affine_map<(d0, d1) -> (d1)>],
                       iterator_types = ["reduction", "parallel"]}
      ins(%g, %m : tensor<64x120xf32>, tensor<64x120xf32>) outs(%c : tensor<120xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %p, %o : f32
    linalg.yield %s : f32
  } -> tensor<120xf32>
  return %r : tensor<120xf32>
}

// -----

// A product with a broadcast operand summed to a scalar (a loss over an Expand): one flat
// vector.reduction; MLIR 19's reduction-to-contract pattern made it a vector.contract with a
// scalar accumulator, which does not verify.
// CHECK-LABEL: func.func @broadcast_product_sum
// CHECK: vector.shape_cast %{{.*}} : vector<1x9xf64> to vector<9xf64>
// CHECK: vector.reduction <add>, %{{.*}}, %{{.*}} : vector<9xf64> into f64
// CHECK-NOT: vector.contract
func.func @broadcast_product_sum(%x: tensor<9xf64>, %w: tensor<1x9xf64>) -> tensor<f64> {
  %zero = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<f64>
  %c = linalg.fill ins(%zero : f64) outs(%e : tensor<f64>) -> tensor<f64>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>,
                                        affine_map<(d0, d1) -> ()>],
                       iterator_types = ["reduction", "reduction"]}
      ins(%x, %w : tensor<9xf64>, tensor<1x9xf64>) outs(%c : tensor<f64>) {
  ^bb0(%a: f64, %b: f64, %o: f64):
    %p = arith.mulf %a, %b : f64
    %s = arith.addf %p, %o : f64
    linalg.yield %s : f64
  } -> tensor<f64>
  return %r : tensor<f64>
}

// -----

// A reduction over the batch that reads many inputs (a depthwise filter gradient: each tap's
// window times dY, summed per channel) shares the tile budget among its inputs, each pair a
// share: six inputs, a third of 1024 elements, four rows of 64 per input and step, not the 16
// rows that one or two inputs get. Ten [16, 64] tiles were 1500 lines of LLVM IR per op, and
// slower.
// CHECK-LABEL: func.func @many_input_column_sums
// CHECK: vector.transfer_read {{.*}} : tensor<4x64xf32>, vector<4x64xf32>
// CHECK-NOT: vector<16x64xf32>
func.func @many_input_column_sums(%a: tensor<64x128xf32>, %b: tensor<64x128xf32>, %c: tensor<64x128xf32>,
                                  %d: tensor<64x128xf32>, %e: tensor<64x128xf32>, %f: tensor<64x128xf32>)
    -> (tensor<128xf32>, tensor<128xf32>, tensor<128xf32>, tensor<128xf32>, tensor<128xf32>) {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<128xf32>
  %z = linalg.fill ins(%zero : f32) outs(%empty : tensor<128xf32>) -> tensor<128xf32>
  %r:5 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>,
                                          affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>,
                                          affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>,
                                          affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d1)>,
                                          affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d1)>,
                                          affine_map<(d0, d1) -> (d1)>],
                         iterator_types = ["reduction", "parallel"]}
      ins(%a, %b, %c, %d, %e, %f : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>,
                                   tensor<64x128xf32>, tensor<64x128xf32>)
      outs(%z, %z, %z, %z, %z : tensor<128xf32>, tensor<128xf32>, tensor<128xf32>, tensor<128xf32>, tensor<128xf32>) {
  ^bb0(%x0: f32, %x1: f32, %x2: f32, %x3: f32, %x4: f32, %dy: f32, %o0: f32, %o1: f32, %o2: f32, %o3: f32, %o4: f32):
    %p0 = arith.mulf %x0, %dy : f32
    %p1 = arith.mulf %x1, %dy : f32
    %p2 = arith.mulf %x2, %dy : f32
    %p3 = arith.mulf %x3, %dy : f32
    %p4 = arith.mulf %x4, %dy : f32
    %s0 = arith.addf %p0, %o0 : f32
    %s1 = arith.addf %p1, %o1 : f32
    %s2 = arith.addf %p2, %o2 : f32
    %s3 = arith.addf %p3, %o3 : f32
    %s4 = arith.addf %p4, %o4 : f32
    linalg.yield %s0, %s1, %s2, %s3, %s4 : f32, f32, f32, f32, f32
  } -> (tensor<128xf32>, tensor<128xf32>, tensor<128xf32>, tensor<128xf32>, tensor<128xf32>)
  return %r#0, %r#1, %r#2, %r#3, %r#4 : tensor<128xf32>, tensor<128xf32>, tensor<128xf32>, tensor<128xf32>, tensor<128xf32>
}

// -----

// A product with a small constant lhs (a Winograd transform) takes it whole in the register tile
// (all rows, all of the contraction) against one vector of columns, read as a constant vector:
// CPULowerVectors then adds and subtracts rows of B instead of multiplying by 0 and +-1.
// CHECK-LABEL: func.func @constant_lhs_product
// CHECK: %[[A:.*]] = arith.constant dense<{{.*}}> : vector<4x4xf32>
// CHECK: vector.contract {{.*}} %[[A]], %{{.*}}, %{{.*}} : vector<4x4xf32>, vector<4x16xf32> into vector<4x16xf32>
// AVX2-LABEL: func.func @constant_lhs_product
// AVX2: vector.contract {{.*}} : vector<4x4xf32>, vector<4x8xf32> into vector<4x8xf32>
func.func @constant_lhs_product(%b: tensor<4x256xf32>) -> tensor<4x256xf32> {
  %a = arith.constant dense<[[1.0, 0.0, -1.0, 0.0], [0.0, 1.0, 1.0, 0.0], [0.0, -1.0, 1.0, 0.0], [0.0, 1.0, 0.0, -1.0]]> : tensor<4x4xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x256xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<4x256xf32>) -> tensor<4x256xf32>
  %r = linalg.matmul ins(%a, %b : tensor<4x4xf32>, tensor<4x256xf32>) outs(%c : tensor<4x256xf32>) -> tensor<4x256xf32>
  return %r : tensor<4x256xf32>
}

// -----

// A weight-sized elementwise op (Adam's update of a 64x16x5x5 filter): one loop of 25600
// elements in 64-wide vectors rather than three loops around 5-wide vectors.
// CHECK-LABEL: func.func @collapse_elementwise
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2, 3]] : tensor<64x16x5x5xf32> into tensor<25600xf32>
// CHECK: arith.divf %{{.*}}, %{{.*}} : vector<64xf32>
// CHECK-NOT: vector<1x1x1x5xf32>
func.func @collapse_elementwise(%a: tensor<64x16x5x5xf32>, %b: tensor<64x16x5x5xf32>) -> tensor<64x16x5x5xf32> {
  %e = tensor.empty() : tensor<64x16x5x5xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>,
                                        affine_map<(a, b, c, d) -> (a, b, c, d)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%a, %b : tensor<64x16x5x5xf32>, tensor<64x16x5x5xf32>) outs(%e : tensor<64x16x5x5xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %q = arith.divf %x, %y : f32
    linalg.yield %q : f32
  } -> tensor<64x16x5x5xf32>
  return %r : tensor<64x16x5x5xf32>
}

// -----

// A channel bias broadcast over [N, C, H, W]: the bias indexes only C, so H and W collapse into
// one 196-element dimension (the bias reads neither); N and C stay apart (the bias reads C alone).
// CHECK-LABEL: func.func @collapse_channel_bias
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] : tensor<64x8x14x14xf32> into tensor<64x8x196xf32>
// CHECK-NOT: tensor.collapse_shape %{{.*}} : tensor<8xf32>
func.func @collapse_channel_bias(%a: tensor<64x8x14x14xf32>, %bias: tensor<8xf32>) -> tensor<64x8x14x14xf32> {
  %e = tensor.empty() : tensor<64x8x14x14xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (c)>,
                                        affine_map<(n, c, h, w) -> (n, c, h, w)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%a, %bias : tensor<64x8x14x14xf32>, tensor<8xf32>) outs(%e : tensor<64x8x14x14xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<64x8x14x14xf32>
  return %r : tensor<64x8x14x14xf32>
}

// -----

// A transpose reads its input in the other order: no run of loops is contiguous in both
// operands, so nothing collapses.
// CHECK-LABEL: func.func @no_collapse_transpose
// CHECK-NOT: tensor.collapse_shape
// CHECK: return
func.func @no_collapse_transpose(%a: tensor<64x32xf32>) -> tensor<32x64xf32> {
  %e = tensor.empty() : tensor<32x64xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (j, i)>, affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<64x32xf32>) outs(%e : tensor<32x64xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  } -> tensor<32x64xf32>
  return %r : tensor<32x64xf32>
}

// -----

// Window extraction (a strided pool's or convolution's im2col) reads its input at h * 2 + kh:
// not a projected permutation, so its loops are not collapsed (MLIR's collapsing would not
// accept the map) and it is scheduled as it is: loops around rows of the window.
// CHECK-LABEL: func.func @no_collapse_windows
// CHECK-NOT: tensor.collapse_shape
// CHECK: scf.for
// CHECK: tensor.extract_slice %{{.*}} [1, 1, 1, 2] [1, 1, 1, 1] : tensor<64x1x10x10xf32> to tensor<1x1x1x2xf32>
func.func @no_collapse_windows(%a: tensor<64x1x10x10xf32>) -> tensor<64x5x5x1x2x2xf32> {
  %e = tensor.empty() : tensor<64x5x5x1x2x2xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, h, w, c, kh, kw) -> (n, c, h * 2 + kh, w * 2 + kw)>,
                                        affine_map<(n, h, w, c, kh, kw) -> (n, h, w, c, kh, kw)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%a : tensor<64x1x10x10xf32>) outs(%e : tensor<64x5x5x1x2x2xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  } -> tensor<64x5x5x1x2x2xf32>
  return %r : tensor<64x5x5x1x2x2xf32>
}

// -----

// A convolution tap reads 28 of every 30 columns of the padded image (an extract_slice, a
// strided view once bufferized): merging its rows and columns would make bufferization copy the
// slice, so H and W stay apart (N and C, whole planes of the source, do merge).
// CHECK-LABEL: func.func @no_collapse_partial_rows
// CHECK: %[[TAP:.*]] = tensor.extract_slice
// CHECK: tensor.collapse_shape %[[TAP]] {{\[\[}}0, 1], [2], [3]] : tensor<4x8x28x28xf32> into tensor<32x28x28xf32>
// CHECK-NOT: into tensor<32x784xf32>
// CHECK-NOT: into tensor<25088xf32>
// CHECK: vector.transfer_read {{.*}} : tensor<1x1x28xf32>, vector<1x1x28xf32>
func.func @no_collapse_partial_rows(%padded: tensor<4x8x30x30xf32>, %b: tensor<4x8x28x28xf32>) -> tensor<4x8x28x28xf32> {
  %tap = tensor.extract_slice %padded[0, 0, 1, 1] [4, 8, 28, 28] [1, 1, 1, 1] : tensor<4x8x30x30xf32> to tensor<4x8x28x28xf32>
  %e = tensor.empty() : tensor<4x8x28x28xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>,
                                        affine_map<(n, c, h, w) -> (n, c, h, w)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%tap, %b : tensor<4x8x28x28xf32>, tensor<4x8x28x28xf32>) outs(%e : tensor<4x8x28x28xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %m = arith.mulf %x, %y : f32
    linalg.yield %m : f32
  } -> tensor<4x8x28x28xf32>
  return %r : tensor<4x8x28x28xf32>
}

// -----

// A batch of 16 products [256, 64] x [64, 64] (Winograd's per point): the threads take whole
// products (2 each with 8 chunks), a loop runs a thread's products one by one, and each is a
// plain matmul on rank-reduced views with the matmul's register tile.
// CHECK-LABEL: func.func @batch_matmul
// CHECK: scf.forall (%[[B:.*]]) = (0) to (16) step (2)
// CHECK: linalg.fill
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0] [1, 256, 64] [1, 1, 1] : tensor<1x256x64xf32> to tensor<256x64xf32>
// CHECK: vector.contract {{.*}} : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0] [1, 256, 64] [1, 1, 1] : tensor<256x64xf32> into tensor<1x256x64xf32>
// CHECK-NOT: linalg.batch_matmul
// CHECK-NOT: scf.forall (
// CHECK: scf.forall.in_parallel
// SERIAL-LABEL: func.func @batch_matmul
// SERIAL-NOT: scf.forall
// SERIAL: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// SERIAL: vector.contract
func.func @batch_matmul(%v: tensor<16x256x64xf32>, %u: tensor<16x64x64xf32>) -> tensor<16x256x64xf32> {
  %e = tensor.empty() : tensor<16x256x64xf32>
  %z = arith.constant 0.0 : f32
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<16x256x64xf32>) -> tensor<16x256x64xf32>
  %r = linalg.batch_matmul ins(%v, %u : tensor<16x256x64xf32>, tensor<16x64x64xf32>) outs(%f : tensor<16x256x64xf32>) -> tensor<16x256x64xf32>
  return %r : tensor<16x256x64xf32>
}

// -----

// A transpose moves square blocks of one register's lanes: rows of the input read as vectors,
// transposed in registers, written as rows of the output (not one element per input row). The
// threads split the 4096 columns: the 16 rows are one register block.
// CHECK-LABEL: func.func @transpose_blocks
// CHECK: scf.forall (%{{.*}}) = (0) to (4096) step (512)
// CHECK: vector.transfer_read {{.*}} : tensor<16x16xf32>, vector<16x16xf32>
// CHECK: vector.transpose %{{.*}}, [1, 0] : vector<16x16xf32> to vector<16x16xf32>
// CHECK: vector.transfer_write {{.*}} : vector<16x16xf32>, tensor<16x16xf32>
// AVX2-LABEL: func.func @transpose_blocks
// AVX2: vector.transfer_read {{.*}} : tensor<8x8xf32>, vector<8x8xf32>
// AVX2: vector.transpose %{{.*}}, [1, 0] : vector<8x8xf32> to vector<8x8xf32>
// AVX2: vector.transfer_write {{.*}} : vector<8x8xf32>, tensor<8x8xf32>
func.func @transpose_blocks(%x: tensor<4096x16xf32>) -> tensor<16x4096xf32> {
  %e = tensor.empty() : tensor<16x4096xf32>
  %r = linalg.transpose ins(%x : tensor<4096x16xf32>) outs(%e : tensor<16x4096xf32>) permutation = [1, 0]
  return %r : tensor<16x4096xf32>
}

// -----

// The same for a copy through a permutation written as a generic (NHWC -> NCHW of a 7x7 map,
// whose rows and columns collapse into 49 pixels: blocks of 7 pixels by 8 channels on AVX2).
// AVX2-LABEL: func.func @transpose_generic
// AVX2: vector.transfer_read {{.*}} : tensor<1x7x8xf32>, vector<1x7x8xf32>
// AVX2: vector.transpose %{{.*}}, [0, 2, 1] : vector<1x7x8xf32> to vector<1x8x7xf32>
// AVX2: vector.transfer_write {{.*}} : vector<1x8x7xf32>, tensor<1x8x7xf32>
#nhwc = affine_map<(n, c, h, w) -> (n, h, w, c)>
#nchw = affine_map<(n, c, h, w) -> (n, c, h, w)>
func.func @transpose_generic(%x: tensor<2x7x7x64xf32>) -> tensor<2x64x7x7xf32> {
  %e = tensor.empty() : tensor<2x64x7x7xf32>
  %r = linalg.generic {indexing_maps = [#nhwc, #nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<2x7x7x64xf32>) outs(%e : tensor<2x64x7x7xf32>) {
    ^bb0(%in: f32, %out: f32):
      linalg.yield %in : f32
  } -> tensor<2x64x7x7xf32>
  return %r : tensor<2x64x7x7xf32>
}

// -----

// A per-channel sum over the batch and a short innermost dimension (batch norm's statistics of a
// 2x2 map) has two reduced loops: it keeps one result per tile (several would be transposed in
// registers element by element).
// CHECK-LABEL: func.func @channel_sum_short_rows
// CHECK: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [0, 2] : vector<8x1x4xf32> to vector<1xf32>
func.func @channel_sum_short_rows(%a: tensor<8x64x4xf32>) -> tensor<64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<64xf32>) -> tensor<64xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d1)>],
                       iterator_types = ["reduction", "parallel", "reduction"]}
      ins(%a : tensor<8x64x4xf32>) outs(%c : tensor<64xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  } -> tensor<64xf32>
  return %r : tensor<64xf32>
}

// -----

// An innermost parallel loop shorter than a vector (col2im's interleave of residue classes,
// [.., stride, B, stride]) takes the loops around it into the vector while they fit whole in 64
// elements: 2 x 7 x 2, not 2. The class values are read along b and broadcast.
// CHECK-LABEL: func.func @short_inner_loop
// CHECK: vector.transfer_read {{.*}} : tensor<1x1x1x7xf32>, vector<1x1x1x7xf32>
// CHECK: vector.transfer_write {{.*}} : vector<1x1x1x2x7x2xf32>, tensor<1x1x1x2x7x2xf32>
// CHECK-NOT: vector<1x1x1x1x1x2xf32>
// AVX2-LABEL: func.func @short_inner_loop
// AVX2: vector.transfer_write {{.*}} : vector<1x1x1x2x7x2xf32>
func.func @short_inner_loop(%even: tensor<4x8x7x7xf32>, %odd: tensor<4x8x7x7xf32>) -> tensor<4x8x7x2x7x2xf32> {
  %e = tensor.empty() : tensor<4x8x7x2x7x2xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, c, a, r, b, q) -> (n, c, a, b)>,
                                        affine_map<(n, c, a, r, b, q) -> (n, c, a, b)>,
                                        affine_map<(n, c, a, r, b, q) -> (n, c, a, r, b, q)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%even, %odd : tensor<4x8x7x7xf32>, tensor<4x8x7x7xf32>) outs(%e : tensor<4x8x7x2x7x2xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %q = linalg.index 5 : index
    %c1 = arith.constant 1 : index
    %isOdd = arith.cmpi eq, %q, %c1 : index
    %v = arith.select %isOdd, %y, %x : f32
    linalg.yield %v : f32
  } -> tensor<4x8x7x2x7x2xf32>
  return %r : tensor<4x8x7x2x7x2xf32>
}

// -----

// A batch of products (a weight gradient split over slices of its contraction): threads take
// products. In each, M = 64 is one block; N = 800 has no divisor near 128 that is a whole number
// of 32-wide tiles but 32, so the block takes all 800 columns (the [56, 800] panel of B, 175 KB,
// fits in L2) rather than reading 128 bytes per row of B from a different page; k runs in
// panels of 56 (the largest divisor of 1568 within 64).
// CHECK-LABEL: func.func @wide_blocks
// CHECK: scf.forall (%{{.*}}) in (8)
// CHECK: scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %[[C56:.*]] iter_args
// CHECK: tensor.extract_slice %{{.*}}[0, %[[K]]] [64, 56] [1, 1]
// CHECK: tensor.extract_slice %{{.*}}[%[[K]], 0] [56, 800] [1, 1]
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: vector.contract {{.*}} : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
func.func @wide_blocks(%a: tensor<8x64x1568xf32>, %b: tensor<8x1568x800xf32>) -> tensor<8x64x800xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x64x800xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<8x64x800xf32>) -> tensor<8x64x800xf32>
  %r = linalg.batch_matmul ins(%a, %b : tensor<8x64x1568xf32>, tensor<8x1568x800xf32>)
                           outs(%c : tensor<8x64x800xf32>) -> tensor<8x64x800xf32>
  return %r : tensor<8x64x800xf32>
}

// -----

// A product one register tile wide whose whole B fits in L2 (an image gradient's windows times
// [1600, 32] filters) is not split into panels of the contraction: each register tile streams
// its 8 rows of A from end to end. Its accumulator is filled block by block, in cache.
// CHECK-LABEL: func.func @thin_product
// CHECK-NOT: linalg.fill
// CHECK: scf.forall (%{{.*}}) = (0) to (12544) step (1568)
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<56x32xf32>)
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: scf.for %{{.*}} = %{{.*}} to %[[K:.*]] step %{{.*}} iter_args
// CHECK: vector.contract {{.*}} : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
// CHECK-NOT: scf.for
// CHECK: scf.forall.in_parallel
func.func @thin_product(%a: tensor<12544x1600xf32>, %b: tensor<1600x32xf32>) -> tensor<12544x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<12544x32xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<12544x32xf32>) -> tensor<12544x32xf32>
  %r = linalg.matmul ins(%a, %b : tensor<12544x1600xf32>, tensor<1600x32xf32>)
                     outs(%c : tensor<12544x32xf32>) -> tensor<12544x32xf32>
  return %r : tensor<12544x32xf32>
}

// -----

// A contraction within one panel: the zero-fill moves into the blocks of the output (M, then N),
// each filled just before its register tiles.
// CHECK-LABEL: func.func @block_fill
// CHECK-NOT: linalg.fill
// CHECK: scf.forall (%{{.*}}) = (0) to (1024) step (128)
// CHECK-NOT: linalg.fill
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %[[C64:.*]] iter_args
// CHECK-NOT: linalg.fill
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<64x128xf32>)
// CHECK: vector.contract
func.func @block_fill(%a: tensor<1024x64xf32>, %b: tensor<64x256xf32>) -> tensor<1024x256xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1024x256xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<1024x256xf32>) -> tensor<1024x256xf32>
  %r = linalg.matmul ins(%a, %b : tensor<1024x64xf32>, tensor<64x256xf32>)
                     outs(%c : tensor<1024x256xf32>) -> tensor<1024x256xf32>
  return %r : tensor<1024x256xf32>
}
