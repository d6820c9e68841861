"""Writes small ONNX models for the frontend and driver tests.

    make_onnx.py VARIANT OUT.onnx
    make_onnx.py --dir DIR VARIANT...     (DIR/VARIANT.onnx for each)

Every model has one float input 'x' whose first dimension is the symbolic 'batch' unless the
variant says otherwise, float initializers (trainable parameters) and one output 'y'.
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def init(name, shape, value=0.1, dtype=np.float32):
    return numpy_helper.from_array(np.full(shape, value, dtype=dtype), name)


def inp(name, shape, elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def out(shape, name="y"):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def model(nodes, inputs, outputs, inits=(), opset=13, check=True):
    graph = helper.make_graph(nodes, "g", inputs, outputs, list(inits))
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                          producer_name="mlc-tests")
    if check:
        onnx.checker.check_model(m)
    return m


def gemm_transA():
    # y = x^T W: x is [batch, 3], transposed to [3, batch]; W is [batch, 5] (batch fixed at 6).
    return model([helper.make_node("Gemm", ["x", "W"], ["y"], name="gemm", transA=1)],
                 [inp("x", [6, 3])], [out([3, 5])], [init("W", [6, 5])])


def gemm_transB():
    # The torch.nn.Linear export: y = x W^T + b.
    return model([helper.make_node("Gemm", ["x", "fc.weight", "fc.bias"], ["y"], name="fc", transB=1)],
                 [inp("x", ["batch", 8])], [out(["batch", 5])],
                 [init("fc.weight", [5, 8]), init("fc.bias", [5])])


def gemm_alpha_beta():
    return model([helper.make_node("Gemm", ["x", "W", "C"], ["y"], name="gemm", alpha=0.5, beta=2.0)],
                 [inp("x", ["batch", 8])], [out(["batch", 5])],
                 [init("W", [8, 5]), init("C", [1, 5])])


def matmul_add_broadcast():
    return model([helper.make_node("MatMul", ["x", "W"], ["h"], name="mm"),
                  helper.make_node("Add", ["h", "b"], ["y"], name="bias")],
                 [inp("x", ["batch", 8])], [out(["batch", 5])], [init("W", [8, 5]), init("b", [5])])


def sub_div_broadcast():
    # Rank-1 and rank-0 operands on either side of Sub and Div.
    return model([helper.make_node("Sub", ["m", "x"], ["d"], name="center"),
                  helper.make_node("Div", ["d", "s"], ["y"], name="scale")],
                 [inp("x", ["batch", 4])], [out(["batch", 4])], [init("m", [4]), init("s", [], 2.0)])


def flatten_axis2():
    return model([helper.make_node("Flatten", ["x"], ["y"], name="flat", axis=2)],
                 [inp("x", ["batch", 2, 3, 4])], [out(["batch2", 12])])


def reshape_minus1_zero():
    shape = numpy_helper.from_array(np.array([0, -1], dtype=np.int64), "shape")
    return model([helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape")],
                 [inp("x", ["batch", 3, 4])], [out(["batch", 12])], [shape])


def softmax():
    return model([helper.make_node("Softmax", ["x"], ["y"], name="probs")],
                 [inp("x", ["batch", 10])], [out(["batch", 10])])


def logsoftmax():
    return model([helper.make_node("LogSoftmax", ["x"], ["y"], name="logp", axis=-1)],
                 [inp("x", ["batch", 3, 4])], [out(["batch", 3, 4])])


def sigmoid_tanh():
    return model([helper.make_node("Sigmoid", ["x"], ["s"], name="sig"),
                  helper.make_node("Tanh", ["s"], ["t"], name="tanh"),
                  helper.make_node("Relu", ["t"], ["y"], name="relu")],
                 [inp("x", ["batch", 4])], [out(["batch", 4])])


def constant_scale():
    c = helper.make_tensor("c", TensorProto.FLOAT, [], [2.5])
    return model([helper.make_node("Constant", [], ["c"], name="two_and_a_half", value=c),
                  helper.make_node("Mul", ["x", "c"], ["y"], name="scale")],
                 [inp("x", ["batch", 4])], [out(["batch", 4])])


def leaky_clip():
    lo = helper.make_tensor("lo", TensorProto.FLOAT, [], [-1.0])
    return model([helper.make_node("LeakyRelu", ["x"], ["l"], name="leaky", alpha=0.1),
                  helper.make_node("Constant", [], ["lo"], name="lower", value=lo),
                  helper.make_node("Clip", ["l", "lo", ""], ["y"], name="clip")],
                 [inp("x", ["batch", 4])], [out(["batch", 4])])


def elu_max():
    return model([helper.make_node("Elu", ["x"], ["e"], name="elu", alpha=2.0),
                  helper.make_node("Max", ["e", "m"], ["y"], name="max")],
                 [inp("x", ["batch", 4])], [out(["batch", 4])], inits=[init("m", [4])])


def transpose_unsqueeze_mean():
    axes = helper.make_tensor("axes", TensorProto.INT64, [1], [0])
    return model([helper.make_node("Transpose", ["x"], ["t"], name="swap", perm=[1, 0]),
                  helper.make_node("Constant", [], ["axes"], name="axes", value=axes),
                  helper.make_node("Unsqueeze", ["t", "axes"], ["u"], name="unsq"),
                  helper.make_node("ReduceMean", ["u"], ["y"], name="mean", axes=[2], keepdims=0)],
                 [inp("x", ["batch", 4])], [out([1, 4])])


def shape_subgraph_flatten(index=0):
    """x.view(x.size(0), -1) as PyTorch exports it: the target shape computed from Shape."""
    idx = helper.make_tensor("idx", TensorProto.INT64, [], [index])
    axes = helper.make_tensor("axes", TensorProto.INT64, [1], [0])
    minus1 = helper.make_tensor("minus1", TensorProto.INT64, [1], [-1])
    return model([helper.make_node("Shape", ["x"], ["s"], name="shape"),
                  helper.make_node("Constant", [], ["idx"], name="idx", value=idx),
                  helper.make_node("Gather", ["s", "idx"], ["b"], name="batch", axis=0),
                  helper.make_node("Constant", [], ["axes"], name="axes", value=axes),
                  helper.make_node("Unsqueeze", ["b", "axes"], ["bu"], name="unsq"),
                  helper.make_node("Constant", [], ["minus1"], name="minus1", value=minus1),
                  helper.make_node("Concat", ["bu", "minus1"], ["target"], name="cat", axis=0),
                  helper.make_node("Reshape", ["x", "target"], ["y"], name="flatten")],
                 [inp("x", ["batch", 2, 3])], [out(["batch", 6])])


def shape_subgraph_bad_index():
    return shape_subgraph_flatten(index=7)


def identity():
    return model([helper.make_node("Relu", ["x"], ["r"], name="relu"),
                  helper.make_node("Identity", ["r"], ["y"], name="same")],
                 [inp("x", ["batch", 4])], [out(["batch", 4])])


def mlp():
    # A classifier the driver can compile end to end: Flatten, Gemm, Relu, Gemm.
    return model([helper.make_node("Flatten", ["x"], ["f"], name="flatten"),
                  helper.make_node("Gemm", ["f", "fc1.weight", "fc1.bias"], ["h"], name="fc1", transB=1),
                  helper.make_node("Relu", ["h"], ["r"], name="relu"),
                  helper.make_node("Gemm", ["r", "fc2.weight", "fc2.bias"], ["y"], name="fc2", transB=1)],
                 [inp("x", ["batch", 1, 4, 4])], [out(["batch", 3])],
                 [init("fc1.weight", [8, 16]), init("fc1.bias", [8], 0.0),
                  init("fc2.weight", [3, 8]), init("fc2.bias", [3], 0.0)])


# --- Models the importer must reject ------------------------------------------------------------

def unsupported_op():
    return model([helper.make_node("LRN", ["x"], ["y"], name="lrn1", size=3)],
                 [inp("x", ["batch", 1, 8, 8])], [out(["batch", 1, 8, 8])])


def unsupported_attr():
    # Valid ONNX (opset 14 Reshape), but allowzero=1 is not implemented.
    shape = numpy_helper.from_array(np.array([0, -1], dtype=np.int64), "shape")
    return model([helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape_az", allowzero=1)],
                 [inp("x", ["batch", 3, 4])], [out(["batch", 12])], [shape], opset=14)


def softmax_rank3_no_axis():
    return model([helper.make_node("Softmax", ["x"], ["y"], name="probs3")],
                 [inp("x", ["batch", 3, 4])], [out(["batch", 3, 4])])


def softmax_opset11_axis1():
    # Opset 11 Softmax coerces the input to 2-D at `axis`: here it normalizes over 3*4 = 12 values
    # per row, not over the axis of size 3.
    return model([helper.make_node("Softmax", ["x"], ["y"], name="probs11", axis=1)],
                 [inp("x", ["batch", 3, 4])], [out(["batch", 3, 4])], opset=11)


def two_inputs():
    return model([helper.make_node("Add", ["x", "z"], ["y"], name="sum")],
                 [inp("x", ["batch", 4]), inp("z", ["batch", 4])], [out(["batch", 4])])


def symbolic_batch():
    return model([helper.make_node("Relu", ["x"], ["y"], name="relu")],
                 [inp("x", ["N", 4])], [out(["N", 4])])


def symbolic_feature_dim():
    return model([helper.make_node("Relu", ["x"], ["y"], name="relu")],
                 [inp("x", [2, "F"])], [out([2, "F"])])


def int_input():
    return model([helper.make_node("Identity", ["x"], ["y"], name="id")],
                 [inp("x", ["batch", 4], TensorProto.INT64)],
                 [helper.make_tensor_value_info("y", TensorProto.INT64, ["batch", 4])])


def matmul_3d():
    return model([helper.make_node("MatMul", ["x", "W"], ["y"], name="bmm")],
                 [inp("x", ["batch", 2, 8])], [out(["batch", 2, 5])], [init("W", [8, 5])])


def matmul_4d():
    # Attention-shaped: x [batch, 2, 3, 8] times W [1, 2, 8, 5], W's leading 1 broadcast over the batch.
    return model([helper.make_node("MatMul", ["x", "W"], ["y"], name="bmm")],
                 [inp("x", ["batch", 2, 3, 8])], [out(["batch", 2, 3, 5])], [init("W", [1, 2, 8, 5])])


def matmul_batched_mismatch():
    # Batch dimensions 3 and 2 do not broadcast.
    return model([helper.make_node("MatMul", ["x", "W"], ["y"], name="bmm")],
                 [inp("x", [3, 2, 8])], [out([3, 2, 5])], [init("W", [2, 8, 5])], check=False)


def gemm_shape_mismatch():
    # Valid per the checker (shapes are not checked there), wrong inner dimensions.
    return model([helper.make_node("Gemm", ["x", "W"], ["y"], name="bad_gemm")],
                 [inp("x", [2, 8])], [out([2, 5])], [init("W", [7, 5])], check=False)


def gemm_unknown_attr():
    # libonnx's checker rejects attributes an op does not define, before the importer sees them.
    return model([helper.make_node("Gemm", ["x", "W"], ["y"], name="gemm_foo", foo=3)],
                 [inp("x", ["batch", 8])], [out(["batch", 5])], [init("W", [8, 5])], check=False)


def custom_domain():
    graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"], name="r", domain="com.example")],
                              "g", [inp("x", ["batch", 4])], [out(["batch", 4])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13),
                                                   helper.make_opsetid("com.example", 1)])


def conv_pool():
    # Conv 3x3 (4 -> 6 channels, pads 1, stride 2, bias) -> MaxPool 2x2 ceil_mode -> depthwise
    # Conv (group 6) -> AveragePool SAME_UPPER (padding excluded) -> GlobalAveragePool.
    nodes = [
        helper.make_node("Conv", ["x", "W", "B"], ["c"], name="conv", pads=[1, 1, 1, 1], strides=[2, 2]),
        helper.make_node("MaxPool", ["c"], ["p"], name="pool", kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1),
        helper.make_node("Conv", ["p", "D"], ["d"], name="depthwise", group=6, kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("AveragePool", ["d"], ["a"], name="avg", kernel_shape=[2, 2], auto_pad="SAME_UPPER"),
        helper.make_node("GlobalAveragePool", ["a"], ["y"], name="gap"),
    ]
    return model(nodes, [inp("x", ["batch", 4, 9, 9])], [out(["batch", 6, 1, 1])],
                 [init("W", [6, 4, 3, 3]), init("B", [6]), init("D", [6, 1, 3, 3])])


def conv_winograd():
    # Three dense 3x3 stride-1 convolutions: 4 -> 8 channels on 8x8 (pads 1), 8 -> 64 on 8x8 (no
    # pads: 6x6), 64 -> 64 on 6x6 (no pads: 4x4, where Winograd F(4x4, 3x3) needs 2.2x fewer
    # multiply-adds than the windows).
    nodes = [
        helper.make_node("Conv", ["x", "Wa"], ["a"], name="conv_a", pads=[1, 1, 1, 1]),
        helper.make_node("Conv", ["a", "Wb"], ["b"], name="conv_b"),
        helper.make_node("Conv", ["b", "Wc"], ["y"], name="conv_c"),
    ]
    return model(nodes, [inp("x", ["batch", 4, 8, 8])], [out(["batch", 64, 4, 4])],
                 [init("Wa", [8, 4, 3, 3]), init("Wb", [64, 8, 3, 3]), init("Wc", [64, 64, 3, 3])])


def conv_group_mismatch():
    return model([helper.make_node("Conv", ["x", "W"], ["y"], name="conv", group=3)],
                 [inp("x", ["batch", 4, 5, 5])], [out(["batch", 6, 3, 3])], [init("W", [6, 2, 3, 3])],
                 check=False)


def conv_too_big():
    return model([helper.make_node("Conv", ["x", "W"], ["y"], name="conv", dilations=[3, 3])],
                 [inp("x", ["batch", 1, 5, 5])], [out(["batch", 2, 1, 1])], [init("W", [2, 1, 3, 3])],
                 check=False)


def dropout_training():
    # Two training-mode Dropouts (PyTorch's training export: ratio and training_mode constants)
    # and one in inference mode (training_mode absent).
    ratio = helper.make_tensor("r", TensorProto.FLOAT, [], [0.25])
    train = helper.make_tensor("t", TensorProto.BOOL, [], [True])
    nodes = [
        helper.make_node("Constant", [], ["ratio"], name="ratio", value=ratio),
        helper.make_node("Constant", [], ["mode"], name="mode", value=train),
        helper.make_node("Gemm", ["x", "W"], ["h"], name="fc"),
        helper.make_node("Dropout", ["h", "ratio", "mode"], ["d1", "mask1"], name="drop1"),
        helper.make_node("Dropout", ["d1"], ["d2"], name="drop_eval"),
        helper.make_node("Dropout", ["d2", "ratio", "mode"], ["y"], name="drop2"),
    ]
    return model(nodes, [inp("x", ["batch", 4])], [out(["batch", 3])], [init("W", [4, 3])])


def slice_pad_concat():
    # Slice rows 1.. with step 2 and columns -3.. (negative start); Pad crops one column at the
    # start (negative pad) and adds two at the end with 0.5; Concat [p, s, p] along axis 1; Erf (what
    # PyTorch's GELU exports to before opset 20, which libonnx 1.12 does not know).
    def ints(name, values):
        return numpy_helper.from_array(np.array(values, dtype=np.int64), name)
    value = helper.make_tensor("v", TensorProto.FLOAT, [], [0.5])
    nodes = [
        helper.make_node("Slice", ["x", "starts", "ends", "axes", "steps"], ["s"], name="slice"),
        helper.make_node("Constant", [], ["value"], name="value", value=value),
        helper.make_node("Pad", ["s", "pads", "value"], ["p"], name="pad"),
        helper.make_node("Concat", ["p", "s", "p"], ["c"], name="concat", axis=1),
        helper.make_node("Erf", ["c"], ["y"], name="erf"),
    ]
    inits = [ints("starts", [1, -3]), ints("ends", [8, 100]), ints("axes", [0, 1]), ints("steps", [2, 1]),
             ints("pads", [0, -1, 0, 2])]
    return model(nodes, [inp("x", [8, 5])], [out([4, 11])], inits)


def split_expand_tile(opset=13, sizes=(1, 3)):
    # Split x [2, 4] into [2, 1] and [2, 3] on axis 1 (the sizes an input from opset 13, the
    # `split` attribute before); Expand the first with shape [3, 1, 4] to [3, 2, 4] (1 keeps the
    # input's 2, the input's 1 grows to 4) and reshape it to [4, 6]; Tile the second by [2, 2] to
    # [4, 6]; add them.
    def ints(name, values):
        return numpy_helper.from_array(np.array(values, dtype=np.int64), name)
    split_inputs = ["x", "split"] if opset >= 13 else ["x"]
    split_attrs = {} if opset >= 13 else {"split": list(sizes)}
    nodes = [helper.make_node("Split", split_inputs, ["a", "b"], name="split", axis=1, **split_attrs),
             helper.make_node("Expand", ["a", "shape"], ["e"], name="expand"),
             helper.make_node("Reshape", ["e", "flat"], ["r"], name="reshape"),
             helper.make_node("Tile", ["b", "repeats"], ["t"], name="tile"),
             helper.make_node("Add", ["r", "t"], ["y"], name="add")]
    inits = [ints("shape", [3, 1, 4]), ints("flat", [4, 6]), ints("repeats", [2, 2])]
    inits += [ints("split", list(sizes))] if opset >= 13 else []
    return model(nodes, [inp("x", [2, 4])], [out([4, 6])], inits, opset=opset, check=sum(sizes) == 4)


def split_opset11():
    return split_expand_tile(opset=11)


def split_bad_sizes():
    return split_expand_tile(sizes=(1, 2))


def where_mask():
    # Attention-style masking: keep x where it exceeds 0.5 and a constant boolean mask allows it,
    # else -inf (Where's unchosen branch is never computed with, so -inf stays harmless).
    mask = numpy_helper.from_array(np.array([[True, False, True, True]] * 2), "mask")
    half = numpy_helper.from_array(np.array(0.5, dtype=np.float32), "half")
    ninf = numpy_helper.from_array(np.array(-np.inf, dtype=np.float32), "ninf")
    nodes = [helper.make_node("Constant", [], ["half"], name="half", value=half),
             helper.make_node("Greater", ["x", "half"], ["big"], name="greater"),
             helper.make_node("And", ["big", "mask"], ["keep"], name="and"),
             helper.make_node("Constant", [], ["neg"], name="neg", value=ninf),
             helper.make_node("Where", ["keep", "x", "neg"], ["y"], name="where")]
    return model(nodes, [inp("x", [2, 4])], [out([2, 4])], [mask])


def where_mask_moved():
    # A key-padding mask as PyTorch's attention moves it: Greater of x [2, 4] (per key), Unsqueeze
    # to [2, 1, 4], Expand to [2, 3, 4] (per query), then masked_fill of scores s [2, 3, 4] with -inf.
    axes = numpy_helper.from_array(np.array([1], dtype=np.int64), "axes")
    shape = numpy_helper.from_array(np.array([2, 3, 4], dtype=np.int64), "shape")
    half = numpy_helper.from_array(np.array(0.5, dtype=np.float32), "half")
    ninf = numpy_helper.from_array(np.array(-np.inf, dtype=np.float32), "ninf")
    nodes = [helper.make_node("Constant", [], ["half"], name="half", value=half),
             helper.make_node("Constant", [], ["ninf"], name="ninf", value=ninf),
             helper.make_node("Greater", ["x", "half"], ["pad"], name="greater"),
             helper.make_node("Unsqueeze", ["pad", "axes"], ["pad1"], name="unsqueeze"),
             helper.make_node("Expand", ["pad1", "shape"], ["padq"], name="expand"),
             helper.make_node("Where", ["padq", "ninf", "s"], ["y"], name="masked_fill")]
    return model(nodes, [inp("x", [2, 4])], [out([2, 3, 4])], [axes, shape, init("s", [2, 3, 4])])


def cumsum_trilu():
    # A reverse CumSum along axis 0 of x [3, 4] (a product with a constant triangular matrix, the
    # axis moved last and back), then the lower triangle below the diagonal (k = -1) of the result.
    def ints(name, values):
        return numpy_helper.from_array(np.array(values, dtype=np.int64), name)
    nodes = [helper.make_node("CumSum", ["x", "axis"], ["c"], name="cumsum", reverse=1),
             helper.make_node("Trilu", ["c", "k"], ["y"], name="trilu", upper=0)]
    return model(nodes, [inp("x", [3, 4])], [out([3, 4])], [ints("axis", 0), ints("k", -1)], opset=14)


def einsum_attention():
    # Attention scores as hand-written models spell them: q [2, 3, 4] against keys w [2, 5, 4],
    # "bqd,bkd->bqk": one batched matmul, the keys transposed into [b, d, k].
    nodes = [helper.make_node("Einsum", ["x", "w"], ["y"], name="scores", equation="bqd,bkd->bqk")]
    return model(nodes, [inp("x", [2, 3, 4])], [out([2, 3, 5])], [init("w", [2, 5, 4])], opset=12)


def argmax_onehot():
    # Predicted classes re-encoded: ArgMax over the classes of x [3, 4] (int64 at run time), then
    # OneHot of them with depth 4 and learned [off, on] values, classes last.
    depth = numpy_helper.from_array(np.array(4, dtype=np.int64), "depth")
    nodes = [helper.make_node("ArgMax", ["x"], ["cls"], name="argmax", axis=1, keepdims=0),
             helper.make_node("OneHot", ["cls", "depth", "values"], ["y"], name="onehot", axis=-1)]
    return model(nodes, [inp("x", [3, 4])], [out([3, 4])], [depth, init("values", [2])], opset=13)


def conv_transpose():
    # A decoder's upsampling: x [1, 2, 3, 3] to [1, 4, 6, 6] with 3x3 filters, stride 2, pads 1 and
    # output_padding 1 (PyTorch's ConvTranspose2d(2, 4, 3, stride=2, padding=1, output_padding=1)).
    nodes = [helper.make_node("ConvTranspose", ["x", "w", "b"], ["y"], name="up", strides=[2, 2], pads=[1, 1, 1, 1],
                              output_padding=[1, 1])]
    return model(nodes, [inp("x", [1, 2, 3, 3])], [out([1, 4, 6, 6])], [init("w", [2, 4, 3, 3]), init("b", [4])])


def resize_nearest_linear():
    # A U-Net's upsampling: x [1, 1, 2, 3] to [1, 1, 4, 6] nearest (scales 2, asymmetric, floor), then
    # linear (half_pixel) to [1, 1, 4, 5] by sizes. Separable: one gather per axis for nearest, two
    # gathers blended with constant weights per axis for linear.
    scales = numpy_helper.from_array(np.array([1, 1, 2, 2], dtype=np.float32), "scales")
    sizes = numpy_helper.from_array(np.array([1, 1, 4, 5], dtype=np.int64), "sizes")
    nodes = [helper.make_node("Constant", [], ["s"], name="s", value=scales),
             helper.make_node("Resize", ["x", "", "s"], ["up"], name="nearest", mode="nearest",
                              coordinate_transformation_mode="asymmetric", nearest_mode="floor"),
             helper.make_node("Resize", ["up", "", "", "sizes"], ["y"], name="linear", mode="linear")]
    return model(nodes, [inp("x", [1, 1, 2, 3])], [out([1, 1, 4, 5])], [sizes])


def global_lp_pool():
    # The 2-norm over the spatial dimensions (GlobalLpPool's default p = 2).
    nodes = [helper.make_node("GlobalLpPool", ["x"], ["y"], name="lp")]
    return model(nodes, [inp("x", [1, 3, 4, 4])], [out([1, 3, 1, 1])])


def batchnorm():
    nodes = [helper.make_node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"], name="bn")]
    return model(nodes, [inp("x", ["batch", 3, 4, 4])], [out(["batch", 3, 4, 4])],
                 [init("s", [3], 1.0), init("b", [3], 0.0), init("m", [3], 0.0), init("v", [3], 1.0)])


def batchnorm_trained(shared=False, computed=False):
    """BatchNormalization as PyTorch exports it in training mode (opset 15, running-statistic
    outputs), then Flatten and Gemm: a model mlc trains. `shared`: two such nodes on one set of
    running statistics; `computed`: the running mean is computed, not an initializer."""
    mean = "m_id" if computed else "m"
    nodes = [helper.make_node("BatchNormalization", ["x", "s", "b", mean, "v"], ["n", "nm", "nv"], name="bn",
                              epsilon=1e-5, momentum=0.9, training_mode=1)]
    if computed:
        nodes.insert(0, helper.make_node("Identity", ["m"], ["m_id"], name="copy"))
    if shared:
        nodes.append(helper.make_node("BatchNormalization", ["n", "s", "b", "m", "v"], ["n2"], name="bn2",
                                      training_mode=1))
    nodes += [helper.make_node("Flatten", ["n2" if shared else "n"], ["f"], name="flatten"),
              helper.make_node("Gemm", ["f", "w", "c"], ["y"], name="fc", transB=1)]
    return model(nodes, [inp("x", ["batch", 3, 4, 4])], [out(["batch", 5])],
                 [init("s", [3], 1.0), init("b", [3], 0.0), init("m", [3], 0.0), init("v", [3], 1.0),
                  init("w", [5, 48], 0.01), init("c", [5], 0.0)], opset=15)


def batchnorm_shared_stats():
    return batchnorm_trained(shared=True)


def batchnorm_computed_stats():
    return batchnorm_trained(computed=True)


def layernorm():
    nodes = [helper.make_node("LayerNormalization", ["x", "s", "b"], ["y"], name="ln", axis=-1, epsilon=1e-3)]
    return model(nodes, [inp("x", ["batch", 6])], [out(["batch", 6])],
                 [init("s", [6], 1.0), init("b", [6], 0.0)], opset=17)


def gather_rows():
    # y = x @ E[ids]^T: Gather picks rows 1, 3, 3, -1 of the trained table E [6, 4] (a repeated and
    # a negative index) by a constant index tensor.
    ids = numpy_helper.from_array(np.array([1, 3, 3, -1], dtype=np.int64), "ids")
    e = numpy_helper.from_array(np.arange(24, dtype=np.float32).reshape(6, 4) / 24, "E")
    nodes = [helper.make_node("Gather", ["E", "ids"], ["rows"], name="lookup", axis=0),
             helper.make_node("Gemm", ["x", "rows"], ["y"], name="fc", transB=1)]
    return model(nodes, [inp("x", ["batch", 4])], [out(["batch", 4])], [e, ids])


def sce_loss():
    # Per-sample softmax cross-entropy of a Gemm's logits against constant classes, with class
    # weights and an ignored class (reduction none: one loss per sample), and its log-probabilities.
    t = numpy_helper.from_array(np.array([0, 2, 1, 2], dtype=np.int64), "t")
    w = numpy_helper.from_array(np.array([0.5, 1.0, 2.0], dtype=np.float32), "w")
    nodes = [helper.make_node("Gemm", ["x", "W"], ["logits"], name="fc", transB=1),
             helper.make_node("SoftmaxCrossEntropyLoss", ["logits", "t", "w"], ["y", "logp"], name="sce",
                              reduction="none", ignore_index=1)]
    return model(nodes, [inp("x", [4, 3])], [out([4])], [init("W", [3, 3]), t, w])


def nll_loss_mean():
    # NegativeLogLikelihoodLoss of [N, C, d] log-probabilities, mean over the weights of the targets.
    t = numpy_helper.from_array(np.array([[0, 1], [2, 0]], dtype=np.int64), "t")
    nodes = [helper.make_node("Mul", ["x", "W"], ["logp"], name="scale"),
             helper.make_node("NegativeLogLikelihoodLoss", ["logp", "t"], ["y"], name="nll")]
    return model(nodes, [inp("x", [2, 3, 2])], [out([])], [init("W", [2, 3, 2]), t])


def optimizer_op():
    # An ONNX optimizer op (ai.onnx.preview.training) inside a model given to mlc compile.
    nodes = [helper.make_node("Relu", ["x"], ["y"], name="r"),
             helper.make_node("Momentum", ["R", "T", "W", "y", "V"], ["W_new", "V_new"], name="momentum",
                              domain="ai.onnx.preview.training", alpha=0.9, beta=1.0, mode="standard",
                              norm_coefficient=0.0)]
    graph = helper.make_graph(nodes, "g", [inp("x", ["batch", 4])], [out(["batch", 4])],
                              [init("R", [], 0.1), numpy_helper.from_array(np.array(0, dtype=np.int64), "T"),
                               init("W", [2, 4]), init("V", [2, 4])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13),
                                                   helper.make_opsetid("ai.onnx.preview.training", 1)])


def adam_default_domain():
    # Adam without its domain: not an ai.onnx op.
    nodes = [helper.make_node("Adam", ["R", "T", "x", "x", "x", "x"], ["y", "v", "h"], name="adam")]
    graph = helper.make_graph(nodes, "g", [inp("x", [2, 4])], [out([2, 4])],
                              [init("R", [], 0.1), numpy_helper.from_array(np.array(0, dtype=np.int64), "T")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])


def cast_double_slice_reverse():
    # y = Cast(Cast(x @ W, DOUBLE)[:, ::-2], FLOAT): a float64 stretch in a float32 model and a
    # Slice walking backwards with step -2 (columns 5, 3, 1 of 6).
    nodes = [helper.make_node("MatMul", ["x", "W"], ["h"], name="fc"),
             helper.make_node("Cast", ["h"], ["h64"], name="widen", to=TensorProto.DOUBLE),
             helper.make_node("Slice", ["h64", "starts", "ends", "axes", "steps"], ["s"], name="reverse"),
             helper.make_node("Cast", ["s"], ["y"], name="narrow", to=TensorProto.FLOAT)]
    ints = [numpy_helper.from_array(np.array(v, dtype=np.int64), n)
            for n, v in (("starts", [-1]), ("ends", [-100]), ("axes", [1]), ("steps", [-2]))]
    return model(nodes, [inp("x", ["batch", 4])], [out(["batch", 3])], [init("W", [4, 6])] + ints)


def cast_int8():
    nodes = [helper.make_node("Cast", ["x"], ["y"], name="to_int8", to=TensorProto.INT8)]
    return model(nodes, [inp("x", ["batch", 4])], [helper.make_tensor_value_info("y", TensorProto.INT8, ["batch", 4])])


def double_param():
    # A float64 initializer as a trainable parameter.
    nodes = [helper.make_node("Cast", ["x"], ["x64"], name="widen", to=TensorProto.DOUBLE),
             helper.make_node("Mul", ["x64", "S"], ["y64"], name="scale"),
             helper.make_node("Cast", ["y64"], ["y"], name="narrow", to=TensorProto.FLOAT)]
    return model(nodes, [inp("x", ["batch", 4])], [out(["batch", 4])], [init("S", [4], 0.5, np.float64)])


VARIANTS = {f.__name__: f for f in [
    gemm_transA, gemm_transB, gemm_alpha_beta, matmul_add_broadcast, sub_div_broadcast, flatten_axis2,
    reshape_minus1_zero, softmax, logsoftmax, sigmoid_tanh, constant_scale, identity, mlp,
    leaky_clip, elu_max, transpose_unsqueeze_mean, shape_subgraph_flatten, shape_subgraph_bad_index,
    unsupported_op, unsupported_attr, softmax_rank3_no_axis, softmax_opset11_axis1, two_inputs,
    symbolic_batch, symbolic_feature_dim, int_input, matmul_3d, gemm_shape_mismatch, gemm_unknown_attr,
    custom_domain, conv_pool, conv_winograd, conv_group_mismatch, conv_too_big, dropout_training,
    slice_pad_concat, batchnorm, layernorm, matmul_batched_mismatch, batchnorm_trained,
    batchnorm_shared_stats, batchnorm_computed_stats, gather_rows, optimizer_op, adam_default_domain,
    sce_loss, nll_loss_mean,
    cast_double_slice_reverse, cast_int8, double_param, split_expand_tile, split_opset11, split_bad_sizes,
    where_mask, cumsum_trilu, conv_transpose, resize_nearest_linear,
    global_lp_pool, einsum_attention, argmax_onehot, matmul_4d, where_mask_moved]}


def write(variant, path):
    if variant == "malformed":
        # Wire type 7 does not exist: no protobuf parser accepts this.
        with open(path, "wb") as f:
            f.write(b"\x0f\xff\xff\xff\xff this is not a protobuf")
    elif variant == "truncated":
        data = mlp().SerializeToString()
        with open(path, "wb") as f:
            f.write(data[: len(data) // 2])
    else:
        onnx.save(VARIANTS[variant](), path)


def main():
    names = ", ".join(list(VARIANTS) + ["malformed", "truncated"])
    args = sys.argv[1:]
    if len(args) >= 2 and args[0] == "--dir":
        # make_onnx.py --dir DIR VARIANT...: writes DIR/VARIANT.onnx for each (one Python start-up).
        os.makedirs(args[1], exist_ok=True)
        for variant in args[2:]:
            write(variant, os.path.join(args[1], variant + ".onnx"))
    elif len(args) == 2:
        write(args[0], args[1])
    else:
        sys.exit("usage: make_onnx.py VARIANT OUT | make_onnx.py --dir DIR VARIANT...\n"
                 "variants: " + names)


if __name__ == "__main__":
    main()
