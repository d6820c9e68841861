// The core ops of the mlc dialect: what a model, its loss, its gradients and its optimizer are built of.
#ifndef MLC_OPS_TD
#define MLC_OPS_TD

include "dialects/Mlc/MlcDialect.td"
include "dialects/Mlc/MlcInterfaces.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Mlc_FloatTensor : StaticShapeTensorOf<[AnyFloat]>;
def Mlc_IndexTensor : StaticShapeTensorOf<[I32, I64]>;
// A rank-0 f32 tensor: runtime scalars such as a step counter.
def Mlc_F32Scalar : 0DTensorOf<[F32]>,
    BuildableType<"::mlir::RankedTensorType::get({}, $_builder.getF32Type())">;

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

class Mlc_UnaryOp<string mnemonic, string what> : Mlc_Op<mnemonic,
    [Pure, SameOperandsAndResultType]> {
  let summary = "elementwise " # what;
  let description = "Applies " # what # [{ to every element.

    ```mlir
    %y = mlc.}] # mnemonic # [{ %x : tensor<64x128xf32>
    ```
  }];
  let arguments = (ins Mlc_FloatTensor:$input);
  let results = (outs Mlc_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

def Mlc_NegOp : Mlc_UnaryOp<"neg", "negation">;
def Mlc_ExpOp : Mlc_UnaryOp<"exp", "the exponential">;
def Mlc_LogOp : Mlc_UnaryOp<"log", "the natural logarithm">;
def Mlc_SqrtOp : Mlc_UnaryOp<"sqrt", "the square root">;
def Mlc_ReluOp : Mlc_UnaryOp<"relu", "max(x, 0)">;
def Mlc_SigmoidOp : Mlc_UnaryOp<"sigmoid", "the logistic function 1 / (1 + exp(-x))">;
def Mlc_TanhOp : Mlc_UnaryOp<"tanh", "the hyperbolic tangent">;

class Mlc_BinaryOp<string mnemonic, string what> : Mlc_Op<mnemonic,
    [Pure, SameOperandsAndResultType]> {
  let summary = "elementwise " # what;
  let description = "Computes " # what # [{ of two tensors of the same shape. Broadcasting is
    explicit (`mlc.broadcast`), which keeps every VJP rule shape-preserving.

    ```mlir
    %z = mlc.}] # mnemonic # [{ %x, %y : tensor<64x10xf32>
    ```
  }];
  let arguments = (ins Mlc_FloatTensor:$lhs, Mlc_FloatTensor:$rhs);
  let results = (outs Mlc_FloatTensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($result)";
}

def Mlc_AddOp : Mlc_BinaryOp<"add", "the sum">;
def Mlc_SubOp : Mlc_BinaryOp<"sub", "the difference">;
def Mlc_MulOp : Mlc_BinaryOp<"mul", "the product">;
def Mlc_DivOp : Mlc_BinaryOp<"div", "the quotient">;
def Mlc_PowOp : Mlc_BinaryOp<"pow", "lhs raised to the power rhs">;

def Mlc_WhereGtOp : Mlc_Op<"where_gt", [Pure, SameOperandsAndResultType]> {
  let summary = "elementwise choice by comparison: lhs > rhs ? on_true : on_false";
  let description = [{
    The piecewise building block of max, min, abs, clip and the rectifier family (LeakyRelu, Elu,
    HardSigmoid, ...), which the ONNX importer decomposes into it. Gradients flow to the chosen
    operand only; the comparison operands get none (the choice is piecewise constant).

    ```mlir
    %max = mlc.where_gt %b, %a, %b, %a : tensor<64x10xf32>
    ```
  }];
  let arguments = (ins Mlc_FloatTensor:$lhs, Mlc_FloatTensor:$rhs, Mlc_FloatTensor:$on_true,
                       Mlc_FloatTensor:$on_false);
  let results = (outs Mlc_FloatTensor:$result);
  let assemblyFormat = "$lhs `,` $rhs `,` $on_true `,` $on_false attr-dict `:` type($result)";
}

def Mlc_ReluGradOp : Mlc_Op<"relu_grad", [Pure, SameOperandsAndResultType]> {
  let summary = "adjoint of relu";
  let description = [{
    `dx = x > 0 ? dy : 0`: the input adjoint of `mlc.relu`, produced by autodiff. It is not itself
    differentiable (second-order gradients of relu are zero almost everywhere).

    ```mlir
    %dx = mlc.relu_grad %x, %dy : tensor<64x128xf32>
    ```
  }];
  let arguments = (ins Mlc_FloatTensor:$input, Mlc_FloatTensor:$grad);
  let results = (outs Mlc_FloatTensor:$result);
  let assemblyFormat = "$input `,` $grad attr-dict `:` type($result)";
}

def Mlc_DropoutOp : Mlc_Op<"dropout", [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "inverted dropout with a counter-based random mask";
  let description = [{
    `result = keep ? input / (1 - ratio) : 0` where `keep = u >= ratio` and `u` in [0, 1) is a
    hash of (`seed`, `step`, `stream`, the element's row-major index). The mask is a pure function
    of those values: a step recomputes it (its gradient is dropout of the adjoint with the same
    mask) and a run resumed at step `s` draws the same masks as the run that got there. `step`
    and `seed` are rank-0 f32 runtime arguments holding integers (exact below 2^24); `stream`
    tells the dropout layers of one model apart.

    ```mlir
    %y = mlc.dropout %x, %step, %seed ratio = 4.000000e-01 stream = 0 : tensor<64x1024xf32>
    ```
  }];
  let arguments = (ins Mlc_FloatTensor:$input, Mlc_F32Scalar:$step, Mlc_F32Scalar:$seed,
                       F64Attr:$ratio, I64Attr:$stream);
  let results = (outs Mlc_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $step `,` $seed `ratio` `=` $ratio `stream` `=` $stream attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}

def Mlc_PhaseSelectOp : Mlc_Op<"phase_select", [Pure, AllTypesMatch<["train", "eval", "result"]>]> {
  let summary = "a value that differs between training and evaluation";
  let description = [{
    `train` in the training step, `eval` in evaluation: batch normalization normalizes with the
    batch's statistics while training and with its running statistics in evaluation. The op has no
    meaning of its own; `mlc-attach-loss` keeps `train` in the training objective and
    `mlc-attach-optimizer` keeps `eval` in `@eval_step`, so none reaches lowering.

    ```mlir
    %y = mlc.phase_select train %batch_norm, eval %running_norm : tensor<64x32x24x24xf32>
    ```
  }];
  let arguments = (ins Mlc_FloatTensor:$train, Mlc_FloatTensor:$eval);
  let results = (outs Mlc_FloatTensor:$result);
  let assemblyFormat = "`train` $train `,` `eval` $eval attr-dict `:` type($result)";
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

def Mlc_BroadcastOp : Mlc_Op<"broadcast", [Pure]> {
  let summary = "broadcast a tensor to a larger shape";
  let description = [{
    Input dimension `i` becomes result dimension `dims[i]`; its size must equal that result
    dimension or be 1 (then it is repeated). Result dimensions not named in `dims` are new.
    `dims` is strictly increasing.

    ```mlir
    %b = mlc.broadcast %bias dims = [1] : tensor<128xf32> -> tensor<64x128xf32>
    %s = mlc.broadcast %lr dims = [] : tensor<f32> -> tensor<128x784xf32>
    ```
  }];
  let arguments = (ins Mlc_FloatTensor:$input, DenseI64ArrayAttr:$dims);
  let results = (outs Mlc_FloatTensor:$result);
  let assemblyFormat = "$input `dims` `=` $dims attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

class Mlc_ReductionOp<string mnemonic, string what> : Mlc_Op<mnemonic, [Pure]> {
  let summary = what # " over dimensions";
  let description = "Takes " # what # [{ over the (strictly increasing) dimensions `dims`. With
    `keep_dims` the reduced dimensions stay as size 1; otherwise they are removed.

    ```mlir
    %r = mlc.}] # mnemonic # [{ %dy dims = [0] : tensor<64x128xf32> -> tensor<128xf32>
    %k = mlc.}] # mnemonic # [{ %x dims = [1] keep_dims : tensor<64x10xf32> -> tensor<64x1xf32>
    ```
  }];
  let arguments = (ins Mlc_FloatTensor:$input, DenseI64ArrayAttr:$dims, UnitAttr:$keep_dims);
  let results = (outs Mlc_FloatTensor:$result);
  let assemblyFormat =
      "$input `dims` `=` $dims (`keep_dims` $keep_dims^)? attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Mlc_ReduceSumOp : Mlc_ReductionOp<"reduce_sum", "the sum">;
// Its adjoint goes to the first element (row-major over the reduced dimensions) equal to the
// maximum, as PyTorch's max-pool and max(dim) route it.
def Mlc_ReduceMaxOp : Mlc_ReductionOp<"reduce_max", "the maximum">;

def Mlc_ReshapeOp : Mlc_Op<"reshape", [Pure]> {
  let summary = "reinterpret the shape, keeping the row-major element order";
  let description = [{
    ```mlir
    %f = mlc.reshape %x : tensor<64x1x28x28xf32> -> tensor<64x784xf32>
    ```
  }];
  let arguments = (ins Mlc_FloatTensor:$input);
  let results = (outs Mlc_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Mlc_TransposeOp : Mlc_Op<"transpose", [Pure]> {
  let summary = "permute dimensions";
  let description = [{
    Result dimension `i` is input dimension `permutation[i]`.

    ```mlir
    %t = mlc.transpose %w permutation = [1, 0] : tensor<128x784xf32> -> tensor<784x128xf32>
    ```
  }];
  let arguments = (ins Mlc_FloatTensor:$input, DenseI64ArrayAttr:$permutation);
  let results = (outs Mlc_FloatTensor:$result);
  let assemblyFormat = "$input `permutation` `=` $permutation attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Mlc_SliceOp : Mlc_Op<"slice", [Pure]> {
  let summary = "a strided box of a tensor";
  let description = [{
    `result[i] = input[offsets + strides * i]` per dimension; the result's shape gives the sizes.
    Strides are positive. Its adjoint is `pad` with `interior = strides - 1`.

    ```mlir
    %s = mlc.slice %x offsets = [0, 2] strides = [1, 2] : tensor<4x9xf32> -> tensor<4x4xf32>
    ```
  }];
  let arguments = (ins Mlc_FloatTensor:$input, DenseI64ArrayAttr:$offsets, DenseI64ArrayAttr:$strides);
  let results = (outs Mlc_FloatTensor:$result);
  let assemblyFormat = [{
    $input `offsets` `=` $offsets `strides` `=` $strides attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Mlc_PadOp : Mlc_Op<"pad", [Pure]> {
  let summary = "pad with a constant: before, after and between elements";
  let description = [{
    Per dimension, `low` elements before, `high` after and `interior` between every two input
    elements, all equal to `value` (XLA's pad, non-negative amounts). Result size:
    `low + size + (size - 1) * interior + high`. Its adjoint is `slice`; ONNX Pad and Concat (a sum
    of pads) build on it.

    ```mlir
    %p = mlc.pad %x low = [0, 1] high = [0, 2] interior = [0, 0] value = 0.0 : tensor<4x5xf32> -> tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Mlc_FloatTensor:$input, DenseI64ArrayAttr:$low, DenseI64ArrayAttr:$high,
                       DenseI64ArrayAttr:$interior, F64Attr:$value);
  let results = (outs Mlc_FloatTensor:$result);
  let assemblyFormat = [{
    $input `low` `=` $low `high` `=` $high `interior` `=` $interior `value` `=` $value attr-dict
    `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Mlc_ErfOp : Mlc_UnaryOp<"erf", "the error function">;

//===----------------------------------------------------------------------===//
// Contractions and normalizations
//===----------------------------------------------------------------------===//

def Mlc_MatmulOp : Mlc_Op<"matmul", [Pure]> {
  let summary = "matrix product (or a batch of them), optionally of transposed operands";
  let description = [{
    `result = op(lhs) x op(rhs)` where `op` transposes the operand when `transpose_lhs` /
    `transpose_rhs` is set. Transposes are attributes so that gradients (which multiply by
    transposed operands) lower to transposed-operand GEMMs without materializing a transpose.
    With 3-D operands the leading dimension is a batch: one independent product per index
    (Winograd convolutions multiply per transform point), and the flags transpose each matrix.

    ```mlir
    %y = mlc.matmul %x, %w {transpose_rhs} : tensor<64x784xf32>, tensor<128x784xf32> -> tensor<64x128xf32>
    ```
  }];
  let arguments = (ins Mlc_FloatTensor:$lhs, Mlc_FloatTensor:$rhs,
                       UnitAttr:$transpose_lhs, UnitAttr:$transpose_rhs);
  let results = (outs Mlc_FloatTensor:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)";
  let hasVerifier = 1;
}

class Mlc_SoftmaxLikeOp<string mnemonic, string what> : Mlc_Op<mnemonic, [Pure,
    SameOperandsAndResultType]> {
  let summary = what # " along one axis";
  let description = "Computes " # what # [{ along `axis`, stably (the maximum is subtracted first).

    ```mlir
    %p = mlc.}] # mnemonic # [{ %logits axis = 1 : tensor<64x10xf32>
    ```
  }];
  let arguments = (ins Mlc_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Mlc_FloatTensor:$result);
  let assemblyFormat = "$input `axis` `=` $axis attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Mlc_SoftmaxOp : Mlc_SoftmaxLikeOp<"softmax", "softmax">;
def Mlc_LogSoftmaxOp : Mlc_SoftmaxLikeOp<"log_softmax", "log-softmax">;

//===----------------------------------------------------------------------===//
// Sliding windows (convolution and pooling)
//===----------------------------------------------------------------------===//

// The geometry shared by im2col and col2im: an image [N, C, H, W] and its windows
// [N, OH, OW, C, KH, KW]. `pads` is [top, left, bottom, right]; OH = (H + top + bottom -
// dilation_h * (KH - 1) - 1) / stride_h + 1 exactly (and OW alike).
defvar Mlc_WindowAttrs = (ins DenseI64ArrayAttr:$kernel, DenseI64ArrayAttr:$strides,
                              DenseI64ArrayAttr:$dilations, DenseI64ArrayAttr:$pads);
defvar Mlc_WindowGeometryAccessor = [{
  ::mlc::WindowGeometry getGeometry() {
    return {::llvm::SmallVector<int64_t, 2>(getKernel()), ::llvm::SmallVector<int64_t, 2>(getStrides()),
            ::llvm::SmallVector<int64_t, 2>(getDilations()), ::llvm::SmallVector<int64_t, 4>(getPads())};
  }
}];

def Mlc_Im2ColOp : Mlc_Op<"im2col", [Pure]> {
  let summary = "the sliding windows of an image, as a tensor";
  let description = [{
    `result[n, oh, ow, c, kh, kw] = x[n, c, oh * sh - top + kh * dh, ow * sw - left + kw * dw]`,
    or `pad_value` where that position lies in the padding. A convolution is im2col followed by a
    matmul; a pooling is im2col followed by a reduction. Its adjoint is `col2im`.

    ```mlir
    %w = mlc.im2col %x kernel = [5, 5] strides = [1, 1] dilations = [1, 1] pads = [2, 2, 2, 2]
        pad_value = 0.0 : tensor<64x1x28x28xf32> -> tensor<64x28x28x1x5x5xf32>
    ```
  }];
  let arguments = !con((ins Mlc_FloatTensor:$input), Mlc_WindowAttrs, (ins F64Attr:$pad_value));
  let results = (outs Mlc_FloatTensor:$result);
  let assemblyFormat = [{
    $input `kernel` `=` $kernel `strides` `=` $strides `dilations` `=` $dilations `pads` `=` $pads
    `pad_value` `=` $pad_value attr-dict `:` type($input) `->` type($result)
  }];
  let extraClassDeclaration = Mlc_WindowGeometryAccessor;
  let hasVerifier = 1;
}

def Mlc_Col2ImOp : Mlc_Op<"col2im", [Pure]> {
  let summary = "sum sliding windows back into an image (the adjoint of im2col)";
  let description = [{
    Every window element adds into the image position it was taken from; elements that fall in
    the padding are dropped.

    ```mlir
    %dx = mlc.col2im %dw kernel = [5, 5] strides = [1, 1] dilations = [1, 1] pads = [2, 2, 2, 2]
        : tensor<64x28x28x1x5x5xf32> -> tensor<64x1x28x28xf32>
    ```
  }];
  let arguments = !con((ins Mlc_FloatTensor:$input), Mlc_WindowAttrs);
  let results = (outs Mlc_FloatTensor:$result);
  let assemblyFormat = [{
    $input `kernel` `=` $kernel `strides` `=` $strides `dilations` `=` $dilations `pads` `=` $pads
    attr-dict `:` type($input) `->` type($result)
  }];
  let extraClassDeclaration = Mlc_WindowGeometryAccessor;
  let hasVerifier = 1;
}

def Mlc_DepthwiseConvOp : Mlc_Op<"depthwise_conv", [Pure]> {
  let summary = "a convolution with one filter per channel (groups = channels)";
  let description = [{
    `result[n, c, oh, ow] = sum over kh, kw of x[n, c, oh * sh - top + kh * dh, ow * sw - left + kw * dw]
    * filters[c, kh, kw]` (zero where the position lies in the padding). With `flip_kernel` the
    filters are read rotated by 180 degrees, `filters[c, KH - 1 - kh, KW - 1 - kw]`, as the
    gradient with respect to the image needs. Its image adjoint is a depthwise convolution of the
    result adjoint (spread by the strides and padded) with the flipped filters; its filter adjoint
    sums, per tap, the result adjoint times the image shifted by that tap. `mlc-decompose-depthwise-conv`
    lowers it to a sum of shifted slices of the padded image times per-channel weights. With
    `channels_last` the image and result are [N, H, W, C] (`mlc-channels-last` makes them so), the
    filters still [C, KH, KW].

    ```mlir
    %y = mlc.depthwise_conv %x, %f kernel = [3, 3] strides = [1, 1] dilations = [1, 1] pads = [1, 1, 1, 1]
        : tensor<64x32x28x28xf32>, tensor<32x3x3xf32> -> tensor<64x32x28x28xf32>
    ```
  }];
  let arguments = !con((ins Mlc_FloatTensor:$input, Mlc_FloatTensor:$filters), Mlc_WindowAttrs,
                       (ins UnitAttr:$flip_kernel, UnitAttr:$channels_last));
  let results = (outs Mlc_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $filters `kernel` `=` $kernel `strides` `=` $strides `dilations` `=` $dilations `pads` `=` $pads
    (`flip_kernel` $flip_kernel^)? (`channels_last` $channels_last^)? attr-dict `:` type($input) `,` type($filters)
    `->` type($result)
  }];
  let extraClassDeclaration = Mlc_WindowGeometryAccessor;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Losses and labels
//===----------------------------------------------------------------------===//

def Mlc_SoftmaxCrossEntropyOp : Mlc_Op<"softmax_cross_entropy", [Pure]> {
  let summary = "mean softmax cross-entropy of logits against integer class labels";
  let description = [{
    `result = mean_n(logsumexp(logits[n, :]) - logits[n, labels[n]])` for logits of shape [N, C]
    and labels of shape [N]. One op instead of log_softmax + gather so that the gradient is the
    stable `(softmax(logits) - one_hot(labels)) / N`. Labels outside [0, C) are undefined
    behaviour; the runtime validates data before training.

    ```mlir
    %l = mlc.softmax_cross_entropy %logits, %labels : tensor<64x10xf32>, tensor<64xi32> -> tensor<f32>
    ```
  }];
  let arguments = (ins Mlc_FloatTensor:$logits, Mlc_IndexTensor:$labels);
  let results = (outs Mlc_FloatTensor:$result);
  let assemblyFormat = "$logits `,` $labels attr-dict `:` type($logits) `,` type($labels) `->` type($result)";
  let hasVerifier = 1;
}

def Mlc_OneHotOp : Mlc_Op<"one_hot", [Pure]> {
  let summary = "one-hot encoding of integer class labels";
  let description = [{
    `result[n, c] = labels[n] == c ? 1 : 0`; the number of classes is the result's last dimension.

    ```mlir
    %t = mlc.one_hot %labels : tensor<64xi32> -> tensor<64x10xf32>
    ```
  }];
  let arguments = (ins Mlc_IndexTensor:$labels);
  let results = (outs Mlc_FloatTensor:$result);
  let assemblyFormat = "$labels attr-dict `:` type($labels) `->` type($result)";
  let hasVerifier = 1;
}

def Mlc_IotaOp : Mlc_Op<"iota", [Pure]> {
  let summary = "each element's index along one dimension";
  let description = [{
    `result[i0, ..., in] = i_dim`, as a float. Autodiff builds index arithmetic from it (the
    first maximum of a reduction, which receives its adjoint) without constant tensors.

    ```mlir
    %i = mlc.iota dim = 1 : tensor<64x9xf32>
    ```
  }];
  let arguments = (ins I64Attr:$dim);
  let results = (outs Mlc_FloatTensor:$result);
  let assemblyFormat = "`dim` `=` $dim attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Mlc_ConvertFloatOp : Mlc_Op<"convert_float", [Pure]> {
  let summary = "float tensor to another float type, elementwise";
  let description = [{
    Widens or rounds each element to the result's float type (ONNX Cast between float32 and
    float64). The adjoint is the result adjoint converted back to the operand's type.

    ```mlir
    %y = mlc.convert_float %x : tensor<4x8xf32> -> tensor<4x8xf64>
    ```
  }];
  let arguments = (ins Mlc_FloatTensor:$input);
  let results = (outs Mlc_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Mlc_ToFloatOp : Mlc_Op<"to_float", [Pure]> {
  let summary = "integer tensor to float, elementwise";
  let description = [{
    Converts signed integers to the result's float type (ONNX Cast of a runtime integer tensor,
    the step count of ONNX's training ops). Not differentiable: its operand is an integer.

    ```mlir
    %t = mlc.to_float %steps : tensor<i64> -> tensor<f32>
    ```
  }];
  let arguments = (ins Mlc_IndexTensor:$input);
  let results = (outs Mlc_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Mlc_ToIntOp : Mlc_Op<"to_int", [Pure]> {
  let summary = "float tensor to signed integer, elementwise (rounding toward zero)";
  let description = [{
    Gives integer results their integer type: ONNX ArgMax/ArgMin find indices with float
    arithmetic (exact below 2^24) and return them as int64. Not differentiable: its result is an
    integer, so no adjoint reaches it.

    ```mlir
    %i = mlc.to_int %x : tensor<64xf32> -> tensor<64xi64>
    ```
  }];
  let arguments = (ins Mlc_FloatTensor:$input);
  let results = (outs Mlc_IndexTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Mlc_GatherOp : Mlc_Op<"gather", [Pure]> {
  let summary = "rows of a tensor picked by integer indices (ONNX Gather, embeddings)";
  let description = [{
    With `axis = a`, input shape `D` and indices shape `Q`, the result has shape
    `D[:a] ++ Q ++ D[a+1:]` and `result[i, j, k] = input[i, indices[j], k]`. A negative index
    counts from the end, as in ONNX; an index outside `[-D[a], D[a])` is clamped into range (the
    generated code never reads out of bounds). Its adjoint is `gather_grad`.

    ```mlir
    %e = mlc.gather %table, %ids axis = 0 : tensor<1000x64xf32>, tensor<32x16xi64> -> tensor<32x16x64xf32>
    ```
  }];
  let arguments = (ins Mlc_FloatTensor:$input, Mlc_IndexTensor:$indices, I64Attr:$axis);
  let results = (outs Mlc_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $indices `axis` `=` $axis attr-dict `:` type($input) `,` type($indices) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Mlc_GatherGradOp : Mlc_Op<"gather_grad", [Pure]> {
  let summary = "the adjoint of gather: scatter-add of rows back to their indices";
  let description = [{
    `result[i, v, k] = sum over j with indices[j] == v of adjoint[i, j, k]` (indices normalized
    as by `gather`); the result has the gathered tensor's shape. Repeated indices accumulate.
    Lowered as a reduction over the index dimensions, so it needs no atomics on any target.

    ```mlir
    %g = mlc.gather_grad %dy, %ids axis = 0 : tensor<32x16x64xf32>, tensor<32x16xi64> -> tensor<1000x64xf32>
    ```
  }];
  let arguments = (ins Mlc_FloatTensor:$adjoint, Mlc_IndexTensor:$indices, I64Attr:$axis);
  let results = (outs Mlc_FloatTensor:$result);
  let assemblyFormat = [{
    $adjoint `,` $indices `axis` `=` $axis attr-dict `:` type($adjoint) `,` type($indices) `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // MLC_OPS_TD
