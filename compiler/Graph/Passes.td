// Graph-level passes: the training step built from the model (loss, optimizer, regularization) and its ops named by what they do.
#ifndef MLC_COMPILER_GRAPH_PASSES_TD
#define MLC_COMPILER_GRAPH_PASSES_TD

include "mlir/Pass/PassBase.td"

def AttachLoss : Pass<"mlc-attach-loss", "mlir::ModuleOp"> {
  let summary = "Append a loss to the model's @forward function, giving @loss";
  let description = [{
    Creates `@loss(params..., input, label) -> tensor<f32>` that computes the model's output as
    `@forward` does and reduces it against the label with the chosen loss, as torch.nn's loss of the
    same name with `reduction` computes it. `cross_entropy` (softmax cross-entropy of logits) and `nll`
    (of log-probabilities) take integer class indices (`tensor<Nxi32>`); `mse`, `l1`, `huber`,
    `smooth_l1`, `bce_logits` (binary cross-entropy of logits) and `bce` (of probabilities) take a
    float target of the output's shape. Runtime scalars the loss reads (`delta` for huber and
    smooth_l1, `label_smoothing` with `label-smoothing`) become `mlc.hyper` arguments of `@loss`.
    With `class-weights`, `@loss` takes a `tensor<Kxf32> {mlc.class_weights}` after the label and
    weighs the terms as torch's `weight` argument does: cross_entropy and nll per class (K classes;
    a mean divides by the sum of the batch's weights), bce_logits and bce per target value (K = 2:
    the weights of a 0 and a 1 target) or per output column (K outputs).

    Before:
    ```mlir
    func.func @forward(%w: tensor<10x784xf32> {mlc.param = "w"}, %x: tensor<64x784xf32> {mlc.input = "x"})
        -> (tensor<64x10xf32> {mlc.output = "logits"})
    ```
    After (`loss=cross_entropy`), in addition:
    ```mlir
    func.func private @loss(%w: ..., %x: ..., %y: tensor<64xi32> {mlc.label = "label"}) -> tensor<f32> {
      %logits = ...
      %l = mlc.softmax_cross_entropy %logits, %y : tensor<64x10xf32>, tensor<64xi32> -> tensor<f32>
      return %l : tensor<f32>
    }
    ```
    With `loss=mse` the loss is the mean over all elements of `(output - label)^2`.

    `@loss` is the training phase of the model: every `mlc.phase_select` becomes its `train`
    operand. @forward's results after the output (the new values of its `mlc.buffer` state, such
    as batch-norm running statistics) stay results of `@loss`, after the loss.
  }];
  let options = [
    Option<"loss", "loss", "std::string", /*default=*/"\"cross_entropy\"",
           "The loss: cross_entropy, nll, mse, l1, huber, smooth_l1, bce_logits or bce">,
    Option<"reduction", "reduction", "std::string", /*default=*/"\"mean\"",
           "How the loss's terms combine over the batch: mean or sum">,
    Option<"labelSmoothing", "label-smoothing", "bool", /*default=*/"false",
           "cross_entropy takes a label_smoothing runtime scalar">,
    Option<"classWeights", "class-weights", "bool", /*default=*/"false",
           "The loss takes class weights (cross_entropy, nll, bce_logits, bce)">,
  ];
  let dependentDialects = ["::mlc::MlcDialect", "::mlir::arith::ArithDialect"];
}

def AttachOptimizer : Pass<"mlc-attach-optimizer", "mlir::ModuleOp"> {
  let summary = "Build @train_step and @eval_step from @forward and the loss gradient";
  let description = [{
    Expects `@forward` and `@loss_grad` (made by `mlc-autodiff{function=loss}`), and creates

    ```mlir
    func.func @train_step(%params..., %state..., %buffers..., %input, %label, %hypers...)
        -> (%new_params..., %new_state..., %new_buffers..., %loss)
    func.func @eval_step(%params..., %buffers..., %input) -> %output
    ```

    where the hyperparameters are rank-0 f32 arguments, so schedules and resumption need no
    recompilation. Results that replace an argument carry `mlc.updates = <argument index>`; the
    loss carries `mlc.loss`. The optimizers follow torch.optim (rules in MlcUpdateRules.h):

    | optimizer | hyperparameters | state | update |
    |---|---|---|---|
    | sgd | lr | | `p -= lr g` |
    | momentum | lr, momentum | velocity | `v = mu v + g; p -= lr v` |
    | nesterov | lr, momentum | velocity | `v = mu v + g; p -= lr (g + mu v)` |
    | adagrad | lr, lr_decay, epsilon, step | sum | `s += g^2; p -= lr / (1 + (t-1) lr_decay) g / (sqrt(s) + eps)` |
    | rmsprop | lr, alpha, epsilon | square_avg | `a = alpha a + (1-alpha) g^2; p -= lr g / (sqrt(a) + eps)` |
    | adam | lr, beta1, beta2, epsilon, step | m, v | `p -= lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)` |
    | adamw | adam's, weight_decay | m, v | `p *= 1 - lr wd`, then adam |

    With `weight-decay`, every optimizer but AdamW also takes `weight_decay` and adds
    `weight_decay * p` to the gradient (L2 regularization, torch's weight_decay). Weight decay
    (coupled or AdamW's) applies to the weights only, parameters of rank >= 2, not to biases and
    normalization parameters, unless `decay-all`.

    Between the gradient and the update, in this order (as PyTorch users write them): with `l1`,
    `l1 * sign(p)` is added to the weights' gradients (an L1 penalty `l1 * sum |w|` in the loss);
    with `clip`, every gradient element is clamped to `[-clip_value, clip_value]`, then all
    gradients are scaled by `min(1, clip_norm / (||g|| + 1e-6))` with `||g||` the global L2 norm
    (torch.nn.utils.clip_grad_value_ and clip_grad_norm_); a limit of 0 disables its clip.
    The model's own runtime scalars (`mlc.hyper` arguments of @forward, e.g. dropout's `step` and
    `seed`) become hyperparameters of @train_step too, shared by name with the optimizer's.
    Buffers (`mlc.buffer` arguments, e.g. batch-norm running statistics) are model state that the
    step replaces with @loss's new values of them, not the optimizer. @eval_step has inference
    semantics: a copy of @forward in which dropout is the identity and every `mlc.phase_select` its
    `eval` operand (batch norm with running statistics), without the training-only scalars.
  }];
  let options = [
    Option<"optimizer", "optimizer", "std::string", /*default=*/"\"sgd\"",
           "The optimizer: sgd, momentum, nesterov, adagrad, rmsprop, adam or adamw">,
    Option<"weightDecay", "weight-decay", "bool", /*default=*/"false",
           "Take a weight_decay hyperparameter (L2 regularization added to the gradient)">,
    Option<"decayAll", "decay-all", "bool", /*default=*/"false",
           "Weight decay and L1 on every parameter, not only the weights (rank >= 2)">,
    Option<"l1", "l1", "bool", /*default=*/"false",
           "Take an l1 hyperparameter: l1 * sign(w) added to the weights' gradients">,
    Option<"clip", "clip", "bool", /*default=*/"false",
           "Take clip_norm and clip_value hyperparameters (gradient clipping; 0 disables)">,
  ];
  let dependentDialects = ["::mlc::MlcDialect", "::mlir::arith::ArithDialect"];
}

def DecomposeDepthwiseConv : Pass<"mlc-decompose-depthwise-conv", "mlir::ModuleOp"> {
  let summary = "Depthwise convolutions as sums of shifted image slices times per-channel weights";
  let description = [{
    Runs after autodiff (the first pass of the linalg stage), so that `mlc.depthwise_conv` keeps
    its own adjoint: the image gradient is a depthwise convolution of the spread, padded result
    gradient with the flipped filters, not a sum of scattered (padded) taps. Each
    `mlc.depthwise_conv` becomes, for every window tap (kh, kw), a strided `mlc.slice` of the padded
    image times that tap's filter weights broadcast per channel, summed over the taps; fusion then
    makes the sum one loop nest that reads the image in place.

    ```mlir
    %y = mlc.depthwise_conv %x, %f kernel = [3, 3] strides = [1, 1] dilations = [1, 1] pads = [1, 1, 1, 1]
        : tensor<2x6x3x3xf32>, tensor<6x3x3xf32> -> tensor<2x6x3x3xf32>
    // becomes
    %p = mlc.pad %x low = [0, 0, 1, 1] high = [0, 0, 1, 1] ...   : -> tensor<2x6x5x5xf32>
    %t0 = mlc.slice %p offsets = [0, 0, 0, 0] strides = [1, 1, 1, 1] : -> tensor<2x6x3x3xf32>
    %w0 = mlc.broadcast (mlc.slice of %f: column 0) dims = [1]
    %y0 = mlc.mul %t0, %w0
    ...                                                            // 8 more taps, summed
    ```
  }];
}

def ParamLayout : Pass<"mlc-param-layout", "mlir::ModuleOp"> {
  let summary = "Parameters stored in the layout their uses read: no per-step transposes of filters";
  let description = [{
    Runs on the model before autodiff (after `mlc-channels-last`), so the gradients and the
    optimizer state are derived in the stored layout too. A parameter of rank 3 or more whose every
    use reads it transposed the same way takes that layout as its own: its argument type is
    permuted, its initial value (`mlc.initializer`) permuted with it, and the argument gets
    `mlc.layout = array<i64: P>` (stored dimension i is dimension P[i] of the model's tensor) so
    that the trainer converts at its boundaries (checkpoints, export). Uses it takes:
    `mlc.transpose %w permutation = P` (channels-last filters [KH, KW, C, F]), and a reshape to a
    matrix [A, B] (leading dimensions merged, then trailing ones) used only as the transposed
    right-hand side of products (Winograd's filter transforms, convolutions channels first): the
    stored tensor is the trailing dimensions first, the reshape [B, A] and the products plain.

    ```mlir
    func.func @forward(%f: tensor<64x32x5x5xf32> {mlc.param = "f", mlc.initializer = ...}, ...) {
      %t = mlc.transpose %f permutation = [2, 3, 1, 0] : tensor<64x32x5x5xf32> -> tensor<5x5x32x64xf32>
    // becomes
    func.func @forward(%f: tensor<5x5x32x64xf32> {mlc.param = "f", mlc.layout = array<i64: 2, 3, 1, 0>, ...}, ...) {
      // %t's uses read %f
    ```
  }];
  let dependentDialects = ["::mlc::MlcDialect"];
}

def ChannelsLast : Pass<"mlc-channels-last", "mlir::ModuleOp"> {
  let summary = "Convolutions and poolings channels last, the layout transposes between them cancelled";
  let description = [{
    Runs on the model before autodiff, so the gradients are derived in the chosen layout. A dense
    convolution as the importer builds it (windows [N OH OW, C KH KW] of the [N, C, H, W] image
    times the filters, the product transposed back to [N, F, OH, OW]) becomes the same product over
    the image channels last: im2col of [N, 1, H, W C] with kernel [KH, KW C] and strides
    [SH, SW C] (each window row KW C contiguous elements), the filters as [F, KH KW C], the
    product [N OH OW, F] already the next layer's image. The transposes left between layouts move
    through the ops after them (elementwise ops, whose broadcasts and splats are re-targeted;
    reductions, whose dimensions are renamed; poolings, rebuilt over channels-last windows;
    slices; Winograd convolutions, whose input tiles become windows of the channels-last image
    and whose output tiles reorder to [N, OH, OW, F]; depthwise convolutions, which take
    `channels_last`, unless `depthwise=false`) and cancel where they meet the next convolution's. Each function is rewritten as a copy, kept
    only when it transposes fewer elements per call (ops that stay channels first, Winograd and
    depthwise convolutions, can make it transpose more); `force` keeps any change.

    ```mlir
    %w = mlc.im2col %x kernel = [5, 5] ... : tensor<64x32x14x14xf32> -> tensor<64x14x14x32x5x5xf32>
    %y = mlc.matmul (reshape %w), (reshape %f) {transpose_rhs} -> tensor<12544x64xf32>
    %o = mlc.transpose (reshape %y) permutation = [0, 3, 1, 2] -> tensor<64x64x14x14xf32>
    // becomes, with %xl the image channels last (from the previous convolution)
    %w = mlc.im2col (reshape %xl) kernel = [5, 160] strides = [1, 32] pads = [2, 64, 2, 64]
        : tensor<64x1x14x448xf32> -> tensor<64x14x14x1x5x160xf32>
    %y = mlc.matmul (reshape %w), (reshape (mlc.transpose %f permutation = [0, 2, 3, 1])) {transpose_rhs}
    ```
  }];
  let options = [
    Option<"force", "force", "bool", /*default=*/"false",
           "Keep the rewrite even where it does not transpose fewer elements">,
    Option<"depthwise", "depthwise", "bool", /*default=*/"true",
           "Depthwise convolutions follow too (mlc.depthwise_conv channels_last)">,
  ];
  let dependentDialects = ["::mlc::MlcDialect", "::mlir::arith::ArithDialect"];
}

def ConvDataGradAsConv : Pass<"mlc-conv-data-grad-as-conv", "mlir::ModuleOp"> {
  let summary = "Stride-1 convolutions' image gradients as convolutions, not windows summed by col2im";
  let description = [{
    Runs after autodiff. For `mlc.col2im` (stride 1, no dilation, pads below the kernel) of
    `mlc.matmul dY, filters` (the adjoint of windows x filters), builds the same image gradient as
    a convolution: the windows (`mlc.im2col`) of dY padded by K - 1 - pad, times the filters with
    their taps reversed and their channel dimensions swapped, one GEMM tagged `conv_bwd_data`.
    col2im gathers KH x KW elements per image element with bounds checks; im2col is a copy. Only
    where it pays: at least `min-channels` image channels, and dY's windows at most 4 times the
    size of col2im's (many filters over few channels without padding make them larger).

    ```mlir
    %d = mlc.matmul %dy, %w : tensor<12544x64xf32>, tensor<64x800xf32> -> tensor<12544x800xf32>
    %dx = mlc.col2im (mlc.reshape %d) kernel = [5, 5] strides = [1, 1] pads = [2, 2, 2, 2] ...
    // becomes
    %win = mlc.im2col (dy as [64, 64, 14, 14]) kernel = [5, 5] strides = [1, 1] pads = [2, 2, 2, 2] ...
    %wt = (the filters [64, 32, 25], taps reversed by mlc.gather, as [64 x 25, 32])
    %dx = mlc.matmul (mlc.reshape %win), %wt {mlc.op_group = "conv_bwd_data"} ... -> [N, C, H, W]
    ```
  }];
  let options = [
    Option<"minChannels", "min-channels", "int64_t", /*default=*/"16",
           "Rewrite only images of at least this many channels (the new product's columns)">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def TagOpGroups : Pass<"mlc-tag-op-groups", "mlir::ModuleOp"> {
  let summary = "Name what each matrix product is for: convolution forward or gradient, or GEMM";
  let description = [{
    Sets `mlc.op_group` on every `mlc.matmul`: `conv_fwd` when one operand is (a reshape of) an
    `mlc.im2col` and the other a step argument (the filters), `conv_bwd_weights` when the other
    operand is computed (an incoming gradient), `conv_bwd_data` when the product feeds a
    `mlc.col2im`, and `gemm` otherwise; a product already tagged (by mlc-conv-data-grad-as-conv)
    keeps its group. Lowering copies the attribute onto the linalg op, so that
    `mlc compile --report` and the trainer's `--profile` can account time and FLOPs per group.
  }];
}

#endif // MLC_COMPILER_GRAPH_PASSES_TD
