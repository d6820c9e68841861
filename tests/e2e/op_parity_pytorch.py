#!/usr/bin/python3
"""Per-op gradient parity with PyTorch, in float64, on random shapes and attributes.

For each case: one ONNX node with random (seeded) shapes and attributes, reduced to a scalar by
loss = ReduceSum(node_output * W) with a random W. mlc imports the graph, differentiates it and
runs it (mlc-gradcheck --data-dir, which also checks finite differences); torch.autograd computes
the same loss from the same inputs with torch.nn.functional. The value and the gradient of every
float input (W's gradient is the op's forward output) must agree within --tol, relative to the
largest magnitude of the reference tensor.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper

OPSET = 17


class Case:
    """One random instance: graph inputs, constant initializers, one node and its torch reference."""

    def __init__(self, op, label=""):
        self.op, self.label = op, label
        self.floats = []     # (name, shape, kind): differentiable graph inputs
        self.indices = []    # (name, shape, high): int64 graph inputs in [-high, high)
        self.constants = {}  # name -> np.ndarray (int64 or float64 initializers)
        self.node_inputs, self.attrs, self.num_outputs = [], {}, 1
        self.then = []  # (op, attrs): single-input nodes applied to the output before the loss
        # Finite differences in float64 say nothing of a function that rounds through float32.
        self.finite_differences = True
        self.reference = None  # fn(dict of torch tensors) -> torch tensor
        self.mlc_flags = []  # extra mlc-gradcheck flags (e.g. how convolutions are built)
        self.opset = OPSET  # older forms of an op: the opset that has them
        # Several outputs (Split): named S0.., joined in reverse order by a Concat on this axis into Y.
        self.join_axis = None
        # Nodes before the op (op, inputs, output, attrs): a Where's condition, say.
        self.prelude = []

    def x(self, name, shape, kind="normal"):
        self.floats.append((name, list(shape), kind))
        self.node_inputs.append(name)
        return self

    def index(self, name, shape, high):
        self.indices.append((name, list(shape), high))
        self.node_inputs.append(name)
        return self

    def const(self, name, value):
        self.constants[name] = np.asarray(value)
        self.node_inputs.append(name)
        return self


def f32(v):
    """ONNX stores float attributes as float32: the reference uses the same rounded value."""
    return float(np.float32(v))


def shape(rng, rank, lo=1, hi=5):
    return [int(d) for d in rng.integers(lo, hi + 1, size=rank)]


def sample(rng, shp, kind):
    return np.asarray(draw(rng, shp, kind), dtype=np.float64)


def draw(rng, shp, kind):
    if kind == "positive":
        return rng.uniform(0.5, 2.0, size=shp)
    if kind == "spread":  # distinct values: no ties for max/min
        n = int(np.prod(shp))
        return (rng.permutation(n) / n * 4 - 2 + rng.uniform(0, 0.5 / n, size=n)).reshape(shp)
    if kind == "ties":  # few distinct values: ties decide ArgMax's first or last index
        return rng.integers(-2, 3, size=shp).astype(np.float64)
    if kind == "wide":  # both sides of the kinks of hard activations at +-3 (away from them)
        return rng.uniform(0.1, 4.5, size=shp) * rng.choice([-1.0, 1.0], size=shp)
    return rng.uniform(0.1, 1.0, size=shp) * rng.choice([-1.0, 1.0], size=shp)


# ---- cases -------------------------------------------------------------------------------------

def unary(op, fn, kind="normal", **attrs):
    def make(rng):
        xs = shape(rng, int(rng.integers(1, 5)))
        c = Case(op, "x=%s" % xs).x("X", xs, kind)
        c.attrs = attrs
        c.reference = lambda t: fn(t["X"])
        return c
    return make


def broadcast_binary(op, fn, rhs_kind="normal"):
    def make(rng):
        a = shape(rng, int(rng.integers(1, 5)))
        # The right operand drops leading dims and sets some dims to 1 (numpy broadcasting).
        b = [d if rng.random() < 0.6 else 1 for d in a[int(rng.integers(0, len(a))):]]
        if rng.random() < 0.5:
            a, b = b, a
            kinds = (rhs_kind, "normal") if op in ("Div", "Pow") else ("normal", "normal")
            kinds = ("positive", rhs_kind) if op == "Pow" else kinds
        else:
            kinds = ("positive" if op == "Pow" else "normal", rhs_kind)
        c = Case(op, "%s op %s" % (a, b)).x("A", a, kinds[0]).x("B", b, kinds[1])
        c.reference = lambda t: fn(t["A"], t["B"])
        return c
    return make


def variadic(op, fn):
    def make(rng):
        base = shape(rng, 3)
        shapes = [base, [d if rng.random() < 0.5 else 1 for d in base], base[1:]]
        c = Case(op, " ".join(str(s) for s in shapes))
        for i, s in enumerate(shapes):
            c.x("X%d" % i, s, "spread")
        c.reference = lambda t: fn([t["X%d" % i] for i in range(3)])
        return c
    return make


def make_conv(rng):
    groups = int(rng.choice([1, 2, 3]))
    depthwise = rng.random() < 0.3
    cin = groups * int(rng.integers(1, 3))
    cout = cin if depthwise else groups * int(rng.integers(1, 3))
    groups = cin if depthwise else groups
    k = [int(rng.integers(1, 4)), int(rng.integers(1, 4))]
    strides = [int(rng.integers(1, 3)), int(rng.integers(1, 3))]
    dil = [int(rng.integers(1, 3)), int(rng.integers(1, 3))]
    hw = [int(rng.integers(k[i] * dil[i], k[i] * dil[i] + 5)) for i in range(2)]
    auto_pad = rng.random() < 0.25
    pads = [int(rng.integers(0, k[i])) for i in (0, 1, 0, 1)]
    n = int(rng.integers(1, 3))
    c = Case("Conv").x("X", [n, cin] + hw).x("Wt", [cout, cin // groups] + k)
    bias = rng.random() < 0.6
    if bias:
        c.x("Bias", [cout])
    c.attrs = dict(group=groups, kernel_shape=k, strides=strides)
    if auto_pad:
        c.attrs["auto_pad"] = "SAME_UPPER"
        dil = [1, 1]
        total = [max((-(-hw[i] // strides[i]) - 1) * strides[i] + k[i] - hw[i], 0) for i in range(2)]
        pads = [total[0] // 2, total[1] // 2, total[0] - total[0] // 2, total[1] - total[1] // 2]
    else:
        c.attrs.update(pads=pads, dilations=dil)
    c.label = "x=%s w=%s groups=%d strides=%s dilations=%s pads=%s%s%s" % (
        [n, cin] + hw, [cout, cin // groups] + k, groups, strides, dil, pads, " SAME_UPPER" if auto_pad else "",
        " bias" if bias else "")

    def ref(t):
        x = F.pad(t["X"], [pads[1], pads[3], pads[0], pads[2]])
        return F.conv2d(x, t["Wt"], t.get("Bias"), stride=strides, dilation=dil, groups=groups)
    c.reference = ref
    return c


def make_conv_transpose(rng):
    groups = int(rng.choice([1, 1, 2, 3]))
    n, c, f = int(rng.integers(1, 3)), groups * int(rng.integers(1, 3)), int(rng.integers(1, 4))  # f per group
    h, w = int(rng.integers(2, 5)), int(rng.integers(2, 5))
    kh, kw = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    stride = [int(rng.integers(1, 3)), int(rng.integers(1, 3))]
    dil = [int(rng.integers(1, 3)), 1]
    # Pads below the kernel that leave at least one output row and column.
    pads = [int(rng.integers(0, 1 + min(k - 1, ((size - 1) * st + dl * (k - 1)) // 2)))
            for k, size, st, dl in ((kh, h, stride[0], dil[0]), (kw, w, stride[1], dil[1]))]
    extra = [int(rng.integers(0, stride[0])), int(rng.integers(0, stride[1]))]
    bias = rng.random() < 0.5
    c_ = Case("ConvTranspose", "x=%s w=%s group=%d strides=%s dilations=%s pads=%s output_padding=%s%s" % (
        [n, c, h, w], [c, f, kh, kw], groups, stride, dil, pads, extra, " bias" if bias else ""))
    c_.x("X", [n, c, h, w]).x("Filters", [c, f, kh, kw])
    if bias:
        c_.x("B", [f * groups])
    c_.attrs = dict(strides=stride, dilations=dil, pads=pads + pads, output_padding=extra, group=groups)
    c_.reference = lambda t: F.conv_transpose2d(t["X"], t["Filters"], t["B"] if bias else None, stride=stride,
                                                padding=pads, output_padding=extra, dilation=dil, groups=groups)
    return c_


def make_conv_winograd(rng):
    """A dense 3x3 stride-1 convolution built by Winograd (mlc-gradcheck --conv=winograd): output
    sizes that are and are not multiples of the tiles, pads 0 to 2, more filters than tiles and
    fewer (the two orientations of the products per point)."""
    n, cin, cout = int(rng.integers(1, 3)), int(rng.integers(1, 5)), int(rng.integers(1, 9))
    hw = [int(rng.integers(3, 10)), int(rng.integers(3, 10))]
    pads = [int(rng.integers(0, 3)) for _ in range(4)]
    c = Case("Conv").x("X", [n, cin] + hw).x("Wt", [cout, cin, 3, 3])
    c.attrs = dict(kernel_shape=[3, 3], pads=pads)
    # F(4x4, 3x3)'s transforms (coefficients up to 8 and 5, squared in 2-D) round the value of
    # the function more than a direct sum does, and central differences divide that rounding by
    # the step: their own error reaches about 2e-6 here while the gradients match PyTorch's to 1e-15.
    c.mlc_flags = ["--conv=winograd", "--rtol=1e-5"]
    c.label = "winograd x=%s w=%s pads=%s" % ([n, cin] + hw, [cout, cin, 3, 3], pads)

    def ref(t):
        return F.conv2d(F.pad(t["X"], [pads[1], pads[3], pads[0], pads[2]]), t["Wt"])
    c.reference = ref
    return c


def pool_geometry(rng):
    k = [int(rng.integers(1, 4)), int(rng.integers(1, 4))]
    strides = [int(rng.integers(1, 3)), int(rng.integers(1, 3))]
    pad = [int(rng.integers(0, k[0] // 2 + 1)), int(rng.integers(0, k[1] // 2 + 1))]
    hw = [int(rng.integers(k[i], k[i] + 6)) for i in range(2)]
    return k, strides, pad, [int(rng.integers(1, 3)), int(rng.integers(1, 4))] + hw


def make_maxpool(rng):
    k, s, p, xs = pool_geometry(rng)
    c = Case("MaxPool", "x=%s kernel=%s strides=%s pads=%s" % (xs, k, s, p)).x("X", xs, "spread")
    c.attrs = dict(kernel_shape=k, strides=s, pads=p + p)
    c.reference = lambda t: F.max_pool2d(t["X"], k, s, p)
    return c


def make_avgpool(rng):
    k, s, p, xs = pool_geometry(rng)
    include = int(rng.integers(0, 2))
    c = Case("AveragePool", "x=%s kernel=%s strides=%s pads=%s count_include_pad=%d" % (xs, k, s, p, include))
    c.x("X", xs)
    c.attrs = dict(kernel_shape=k, strides=s, pads=p + p, count_include_pad=include)
    c.reference = lambda t: F.avg_pool2d(t["X"], k, s, p, count_include_pad=bool(include))
    return c


def make_global_pool(op, fn, **attrs):
    def make(rng):
        xs = shape(rng, 4)
        c = Case(op, "x=%s%s" % (xs, "".join(" %s=%s" % kv for kv in attrs.items()))).x("X", xs, "spread")
        c.attrs = attrs
        c.reference = lambda t: fn(t["X"])
        return c
    return make


def make_batchnorm(training, opset=OPSET):
    """Opset 14 on: training_mode and 3 outputs; before (opsets 7 to 13) the training form is the
    one with 5 outputs (Y, running mean and variance, the batch's mean and variance)."""
    def make(rng):
        xs = shape(rng, int(rng.integers(2, 5)), 2, 4)
        ch = [xs[1]]
        eps, momentum = float(rng.choice([1e-5, 1e-3])), float(rng.choice([0.9, 0.7]))
        c = Case("BatchNormalization", "x=%s %s eps=%g opset %d" % (xs, "training" if training else "inference",
                                                                      eps, opset))
        c.opset = opset
        c.x("X", xs).x("Scale", ch).x("Bias", ch).x("Mean", ch).x("Var", ch, "positive")
        c.attrs = dict(epsilon=eps, momentum=momentum)
        if training and opset >= 14:
            c.attrs["training_mode"] = 1
            c.num_outputs = 3
        elif training:
            c.num_outputs = 5
        if training:
            c.reference = lambda t: F.batch_norm(t["X"], t["Mean"].detach().clone(), t["Var"].detach().clone(),
                                                 t["Scale"], t["Bias"], training=True, eps=f32(eps))
        else:  # torch's batch_norm does not differentiate the statistics: the definition instead
            def ref(t):
                view = [1, -1] + [1] * (len(xs) - 2)
                norm = (t["X"] - t["Mean"].reshape(view)) / torch.sqrt(t["Var"].reshape(view) + f32(eps))
                return norm * t["Scale"].reshape(view) + t["Bias"].reshape(view)
            c.reference = ref
        return c
    return make


def make_layernorm(rng):
    xs = shape(rng, int(rng.integers(2, 5)), 2, 5)
    axis = int(rng.integers(-len(xs) + 1, len(xs)))
    norm = xs[axis:]
    eps = float(rng.choice([1e-5, 1e-3]))
    c = Case("LayerNormalization", "x=%s axis=%d" % (xs, axis)).x("X", xs).x("Scale", norm).x("Bias", norm)
    c.attrs = dict(axis=axis, epsilon=eps)
    c.reference = lambda t: F.layer_norm(t["X"], norm, t["Scale"], t["Bias"], f32(eps))
    return c


def make_instancenorm(rng):
    xs = shape(rng, 4, 2, 4)
    c = Case("InstanceNormalization", "x=%s" % xs).x("X", xs).x("Scale", [xs[1]]).x("Bias", [xs[1]])
    c.attrs = dict(epsilon=1e-5)
    c.reference = lambda t: F.instance_norm(t["X"], weight=t["Scale"], bias=t["Bias"], eps=f32(1e-5))
    return c


def make_matmul(rng):
    m, k, n = shape(rng, 3, 1, 6)
    batch = shape(rng, int(rng.integers(0, 3)), 1, 3)
    a = batch + [m, k]
    b = ([d if rng.random() < 0.5 else 1 for d in batch] if rng.random() < 0.5 else batch[1:]) + [k, n]
    if rng.random() < 0.2:
        a = [k]  # vector operands follow numpy's promotion
    c = Case("MatMul", "%s x %s" % (a, b)).x("A", a).x("B", b)
    c.reference = lambda t: torch.matmul(t["A"], t["B"])
    return c


def make_gemm(rng):
    m, k, n = shape(rng, 3, 1, 6)
    ta, tb = int(rng.integers(0, 2)), int(rng.integers(0, 2))
    alpha, beta = float(rng.choice([1.0, 0.5])), float(rng.choice([1.0, 2.0]))
    cshape = [[n], [m, n], [1, n], [m, 1]][int(rng.integers(0, 4))]
    a, b = ([k, m] if ta else [m, k]), ([n, k] if tb else [k, n])
    c = Case("Gemm", "A=%s B=%s C=%s transA=%d transB=%d alpha=%g beta=%g" % (a, b, cshape, ta, tb, alpha, beta))
    c.x("A", a).x("B", b).x("C", cshape)
    c.attrs = dict(transA=ta, transB=tb, alpha=alpha, beta=beta)
    c.reference = lambda t: alpha * ((t["A"].T if ta else t["A"]) @ (t["B"].T if tb else t["B"])) + beta * t["C"]
    return c


def make_softmax(op, fn):
    def make(rng):
        xs = shape(rng, int(rng.integers(1, 4)), 1, 6)
        axis = int(rng.integers(-len(xs), len(xs)))
        c = Case(op, "x=%s axis=%d" % (xs, axis)).x("X", xs)
        c.attrs = dict(axis=axis)
        c.reference = lambda t: fn(t["X"], dim=axis)
        return c
    return make


def make_reduce(op, fn, kind="normal", axes_input=False):
    def make(rng):
        xs = shape(rng, int(rng.integers(1, 5)))
        axes = sorted(int(a) for a in rng.choice(len(xs), size=int(rng.integers(1, len(xs) + 1)), replace=False))
        keep = int(rng.integers(0, 2))
        c = Case(op, "x=%s axes=%s keepdims=%d" % (xs, axes, keep)).x("X", xs, kind)
        if axes_input:
            c.const("axes", np.array(axes, dtype=np.int64))
            c.attrs = dict(keepdims=keep)
        else:
            c.attrs = dict(axes=axes, keepdims=keep)
        c.reference = lambda t: fn(t["X"], axes, bool(keep))
        return c
    return make


def reduce_max(x, axes, keep):
    for a in sorted(axes, reverse=True):
        x = x.max(dim=a, keepdim=keep).values
    return x


def reduce_min(x, axes, keep):
    for a in sorted(axes, reverse=True):
        x = x.min(dim=a, keepdim=keep).values
    return x


def make_transpose(rng):
    xs = shape(rng, int(rng.integers(2, 5)))
    perm = [int(p) for p in rng.permutation(len(xs))]
    c = Case("Transpose", "x=%s perm=%s" % (xs, perm)).x("X", xs)
    c.attrs = dict(perm=perm)
    c.reference = lambda t: t["X"].permute(*perm)
    return c


def make_reshape(rng):
    xs = shape(rng, int(rng.integers(1, 5)))
    n = int(np.prod(xs))
    target = [n // xs[-1], xs[-1]] if rng.random() < 0.5 else [-1]
    if len(xs) >= 2 and rng.random() < 0.5:
        target = [0, -1]  # 0 copies the input dimension
    c = Case("Reshape", "x=%s shape=%s" % (xs, target)).x("X", xs).const("shape", np.array(target, dtype=np.int64))
    real = [xs[0] if d == 0 else d for d in target]
    c.reference = lambda t: t["X"].reshape(real)
    return c


def make_flatten(rng):
    xs = shape(rng, int(rng.integers(1, 5)))
    axis = int(rng.integers(-len(xs), len(xs) + 1))
    c = Case("Flatten", "x=%s axis=%d" % (xs, axis)).x("X", xs)
    c.attrs = dict(axis=axis)
    a = axis + len(xs) if axis < 0 else axis
    c.reference = lambda t: t["X"].reshape(int(np.prod(xs[:a])), -1)
    return c


def make_squeeze(rng):
    xs = shape(rng, int(rng.integers(2, 5)))
    ones = sorted(int(i) for i in rng.choice(len(xs), size=int(rng.integers(1, len(xs))), replace=False))
    for i in ones:
        xs[i] = 1
    c = Case("Squeeze", "x=%s axes=%s" % (xs, ones)).x("X", xs).const("axes", np.array(ones, dtype=np.int64))
    c.reference = lambda t: t["X"].reshape([d for i, d in enumerate(xs) if i not in ones])
    return c


def make_unsqueeze(rng):
    xs = shape(rng, int(rng.integers(1, 4)))
    axes = sorted(int(i) for i in rng.choice(len(xs) + 2, size=2, replace=False))
    c = Case("Unsqueeze", "x=%s axes=%s" % (xs, axes)).x("X", xs).const("axes", np.array(axes, dtype=np.int64))

    def ref(t):
        y = t["X"]
        for a in axes:
            y = y.unsqueeze(a)
        return y
    c.reference = ref
    return c


def make_concat(rng):
    xs = shape(rng, int(rng.integers(1, 4)))
    axis = int(rng.integers(-len(xs), len(xs)))
    shapes = []
    for _ in range(int(rng.integers(2, 4))):
        s = list(xs)
        s[axis] = int(rng.integers(1, 4))
        shapes.append(s)
    c = Case("Concat", "%s axis=%d" % (shapes, axis))
    for i, s in enumerate(shapes):
        c.x("X%d" % i, s)
    c.attrs = dict(axis=axis)
    c.reference = lambda t: torch.cat([t["X%d" % i] for i in range(len(shapes))], dim=axis)
    return c


def make_slice(rng):
    xs = shape(rng, int(rng.integers(1, 4)), 2, 7)
    axes = sorted(int(i) for i in rng.choice(len(xs), size=int(rng.integers(1, len(xs) + 1)), replace=False))
    starts, ends, steps = [], [], []
    for a in axes:
        step = int(rng.choice([1, 2, -1, -2]))
        lo, hi = sorted(int(v) for v in rng.choice(xs[a] + 1, size=2, replace=False))
        if step < 0:
            lo, hi = hi - 1, lo - 1 if lo > 0 else -xs[a] - 1  # walk down from hi-1 to lo
        starts.append(lo)
        ends.append(hi)
        steps.append(step)
    c = Case("Slice", "x=%s starts=%s ends=%s axes=%s steps=%s" % (xs, starts, ends, axes, steps)).x("X", xs)
    for name, v in (("starts", starts), ("ends", ends), ("axes", axes), ("steps", steps)):
        c.const(name, np.array(v, dtype=np.int64))

    def ref(t):
        idx = [slice(None)] * len(xs)
        for a, s, e, st in zip(axes, starts, ends, steps):
            idx[a] = np.arange(xs[a])[s:e if e >= -xs[a] else None:st].tolist()
        y = t["X"]
        for a, sel in enumerate(idx):  # torch lacks negative steps: index lists
            if isinstance(sel, list):
                y = y.index_select(a, torch.tensor(sel, dtype=torch.long))
        return y
    c.reference = ref
    return c


def make_split(rng):
    xs = shape(rng, int(rng.integers(1, 4)), 2, 7)
    axis = int(rng.integers(-len(xs), len(xs)))
    a = axis % len(xs)
    form = ["input", "attribute", "equal"][int(rng.integers(0, 3))]
    if form == "equal":
        parts = int(rng.choice([p for p in (1, 2, 3) if xs[a] % p == 0]))
        sizes = [xs[a] // parts] * parts
    else:
        cuts = sorted(int(v) for v in rng.choice(np.arange(1, xs[a]), size=int(rng.integers(0, min(3, xs[a] - 1) + 1)),
                                                 replace=False)) if xs[a] > 1 else []
        sizes = [e - b for b, e in zip([0] + cuts, cuts + [xs[a]])]
    c = Case("Split", "x=%s axis=%d split=%s %s" % (xs, axis, sizes, form)).x("X", xs)
    c.attrs = dict(axis=axis)
    if form == "input":
        c.const("split", np.array(sizes, dtype=np.int64))
    elif form == "attribute":
        c.attrs["split"], c.opset = sizes, 11
    c.num_outputs, c.join_axis = len(sizes), axis
    c.reference = lambda t: torch.cat(list(reversed(torch.split(t["X"], sizes, dim=axis))), dim=axis)
    return c


def make_expand(rng):
    xs = shape(rng, int(rng.integers(1, 4)))
    xs = [1 if rng.random() < 0.4 else d for d in xs]  # size-1 axes grow
    target = [int(rng.integers(1, 3)) for _ in range(int(rng.integers(0, 2)))]  # new leading axes
    target += [int(rng.integers(2, 4)) if d == 1 else d for d in xs]
    # A 1 in the shape keeps the input's size there.
    off = len(target) - len(xs)
    given = [1 if i >= off and xs[i - off] == d and rng.random() < 0.3 else d for i, d in enumerate(target)]
    c = Case("Expand", "x=%s shape=%s" % (xs, given)).x("X", xs).const("shape", np.array(given, dtype=np.int64))
    c.reference = lambda t: t["X"].expand(*target)
    return c


def make_tile(rng):
    xs = shape(rng, int(rng.integers(1, 4)))
    repeats = [int(rng.integers(1, 4)) for _ in xs]
    c = Case("Tile", "x=%s repeats=%s" % (xs, repeats)).x("X", xs).const("repeats", np.array(repeats, dtype=np.int64))
    c.reference = lambda t: t["X"].repeat(*repeats)
    return c


def broadcastable(rng, base):
    """A shape that broadcasts against `base`: trailing dims, some of them 1."""
    return [d if rng.random() < 0.6 else 1 for d in base[int(rng.integers(0, len(base))):]]


# Conditions: a comparison of floats, of runtime integers (token ids), logic over comparisons, or a
# constant boolean mask. Comparison operands get no gradient (as in torch.where).
CONDITIONS = {
    "Greater": lambda t: t["A"] > t["B"],
    "Less": lambda t: t["A"] < t["B"],
    "GreaterOrEqual": lambda t: t["A"] >= t["B"],
    "LessOrEqual": lambda t: t["A"] <= t["B"],
    "Equal": lambda t: t["I"] == t["J"],
    "Not": lambda t: ~(t["A"] > t["B"]),
    "And": lambda t: (t["A"] > t["B"]) & (t["I"] == t["J"]),
    "Or": lambda t: (t["A"] > t["B"]) | (t["I"] == t["J"]),
    "Xor": lambda t: (t["A"] > t["B"]) ^ (t["I"] == t["J"]),
    "mask": lambda t: t["M"],
}


def condition_nodes(c, rng, kind, shp):
    """Adds the inputs and prelude nodes of condition `kind` (of a shape broadcasting to `shp`) to `c`."""
    a, b = broadcastable(rng, shp), broadcastable(rng, shp)
    if kind in ("Greater", "Less", "GreaterOrEqual", "LessOrEqual", "Not", "And", "Or", "Xor"):
        c.floats += [("A", a, "normal"), ("B", b, "normal")]
        cmp = kind if kind in ("Greater", "Less", "GreaterOrEqual", "LessOrEqual") else "Greater"
        c.prelude.append((cmp, ["A", "B"], "P", {}))
    if kind in ("Equal", "And", "Or", "Xor"):
        c.indices += [("I", a, 2), ("J", b, 2)]  # small integers: equal often
        c.prelude.append(("Equal", ["I", "J"], "Q", {}))
    if kind == "Not":
        c.prelude.append(("Not", ["P"], "C", {}))
    elif kind in ("And", "Or", "Xor"):
        c.prelude.append((kind, ["P", "Q"], "C", {}))
    elif kind == "Equal":
        c.prelude.append(("Identity", ["Q"], "C", {}))
    elif kind == "mask":
        c.constants["M"] = rng.random(size=a) < 0.5
        c.prelude.append(("Identity", ["M"], "C", {}))
    else:
        c.prelude.append(("Identity", ["P"], "C", {}))


def with_constants(c, fn):
    """`fn` seeing the case's constants (a mask) beside the graph inputs."""
    return lambda t: fn(dict(t, **{k: torch.from_numpy(v) for k, v in c.constants.items()}))


def where_case(kind):
    return lambda rng: make_where(rng, kind)


def make_where(rng, kind):
    shp = shape(rng, int(rng.integers(1, 4)))
    xs, ys = broadcastable(rng, shp), shp
    if rng.random() < 0.5:
        xs, ys = ys, xs
    c = Case("Where", "%s x=%s y=%s" % (kind, xs, ys))
    condition_nodes(c, rng, kind, shp)
    c.x("OnTrue", xs).x("OnFalse", ys)
    c.node_inputs = ["C", "OnTrue", "OnFalse"]
    cond = with_constants(c, CONDITIONS[kind])
    c.reference = lambda t: torch.where(cond(t), t["OnTrue"], t["OnFalse"])
    return c


def make_bool_cast(rng):
    shp = shape(rng, int(rng.integers(1, 4)))
    kind = ["Greater", "Equal", "Or"][int(rng.integers(0, 3))]
    c = Case("Cast", "bool from %s" % kind)
    condition_nodes(c, rng, kind, shp)
    c.node_inputs = ["C"]
    c.attrs = dict(to=TensorProto.DOUBLE)
    cond = with_constants(c, CONDITIONS[kind])
    c.reference = lambda t: cond(t).double()
    return c


def make_cumsum(rng):
    xs = shape(rng, int(rng.integers(1, 4)), 1, 6)
    axis = int(rng.integers(-len(xs), len(xs)))
    exclusive, reverse = int(rng.integers(0, 2)), int(rng.integers(0, 2))
    c = Case("CumSum", "x=%s axis=%d exclusive=%d reverse=%d" % (xs, axis, exclusive, reverse)).x("X", xs)
    c.const("axis", np.array(axis, dtype=np.int64))
    c.attrs = dict(exclusive=exclusive, reverse=reverse)

    def ref(t):
        x = t["X"].flip(axis) if reverse else t["X"]
        y = x.cumsum(axis)
        if exclusive:
            y = y - x
        return y.flip(axis) if reverse else y
    c.reference = ref
    return c


def make_trilu(rng):
    xs = shape(rng, int(rng.integers(2, 4)), 1, 6)
    upper, k = int(rng.integers(0, 2)), int(rng.integers(-2, 3))
    c = Case("Trilu", "x=%s upper=%d k=%d" % (xs, upper, k)).x("X", xs).const("k", np.array(k, dtype=np.int64))
    c.attrs = dict(upper=upper)
    c.reference = lambda t: torch.triu(t["X"], k) if upper else torch.tril(t["X"], k)
    return c


def make_resize(rng):
    n, ch, h, w = int(rng.integers(1, 3)), int(rng.integers(1, 3)), int(rng.integers(2, 5)), int(rng.integers(2, 5))
    oh, ow = int(rng.integers(1, 9)), int(rng.integers(1, 9))
    form = ["nearest", "bilinear", "bilinear_corners"][int(rng.integers(0, 3))]
    c = Case("Resize", "x=%s sizes=%s %s" % ([n, ch, h, w], [oh, ow], form)).x("X", [n, ch, h, w])
    c.node_inputs += ["", ""]  # no roi, no scales
    c.const("sizes", np.array([n, ch, oh, ow], dtype=np.int64))
    if form == "nearest":  # torch's 'nearest': asymmetric coordinates, rounded down
        c.attrs = dict(mode="nearest", coordinate_transformation_mode="asymmetric", nearest_mode="floor")
        c.reference = lambda t: F.interpolate(t["X"], size=(oh, ow), mode="nearest")
    else:  # torch's align_corners=False is ONNX's half_pixel (pytorch_half_pixel differs at size 1)
        corners = form == "bilinear_corners"
        c.attrs = dict(mode="linear",
                       coordinate_transformation_mode="align_corners" if corners else "half_pixel")
        c.reference = lambda t: F.interpolate(t["X"], size=(oh, ow), mode="bilinear", align_corners=corners)
    return c


# Equations as exports and hand-written models use them: products, attention, transposes, sums,
# outer products, a diagonal, a trace, implicit outputs, ellipses and three operands.
EINSUMS = ["ij,jk->ik", "bij,bjk->bik", "bhqd,bhkd->bhqk", "ij->ji", "ij->", "i,j->ij", "ij,ij->i",
           "...ij,...jk->...ik", "ii->i", "ii", "ij,jk", "bn,anm,bm->ba", "bij->bj", "ab,cd->acbd"]


def make_einsum(rng):
    equation = EINSUMS[int(rng.integers(0, len(EINSUMS)))]
    lhs = equation.split("->")[0]
    sizes = {l: int(rng.integers(1, 5)) for l in set(lhs) if l.isalpha()}
    ellipsis = [int(d) for d in rng.integers(1, 4, size=int(rng.integers(0, 3)))]
    c = Case("Einsum", "%s %s" % (equation, sizes))
    for i, term in enumerate(lhs.split(",")):
        shp = ellipsis + [sizes[l] for l in term.replace("...", "")] if "..." in term else [sizes[l] for l in term]
        c.x("In%d" % i, shp)
    c.attrs = dict(equation=equation)
    names = ["In%d" % i for i in range(len(lhs.split(",")))]
    c.reference = lambda t: torch.einsum(equation, *[t[n] for n in names])
    return c


def make_onehot(rng):
    ishape = shape(rng, int(rng.integers(0, 3)), 1, 4)
    depth = int(rng.integers(1, 6))
    axis = int(rng.integers(-len(ishape) - 1, len(ishape) + 1))
    c = Case("OneHot", "indices=%s depth=%d axis=%d" % (ishape, depth, axis)).index("I", ishape, depth)
    c.const("depth", np.array(depth, dtype=np.int64)).x("Values", [2])
    c.attrs = dict(axis=axis)

    def ref(t):
        hot = F.one_hot(t["I"] % depth, depth).double()
        hot = hot.movedim(-1, axis % (len(ishape) + 1))
        return t["Values"][0] + (t["Values"][1] - t["Values"][0]) * hot
    c.reference = ref
    return c


def make_arg_extreme(op):
    def make(rng):
        xs = shape(rng, int(rng.integers(1, 4)))
        axis = int(rng.integers(-len(xs), len(xs)))
        keep, last = int(rng.integers(0, 2)), int(rng.integers(0, 2))
        c = Case(op, "x=%s axis=%d keepdims=%d select_last_index=%d" % (xs, axis, keep, last)).x("X", xs, "ties")
        c.attrs = dict(axis=axis, keepdims=keep, select_last_index=last)
        c.then = [("Cast", dict(to=TensorProto.DOUBLE))]
        c.finite_differences = False  # piecewise constant: no gradient reaches X

        def ref(t):
            x = t["X"].detach() if op == "ArgMax" else -t["X"].detach()
            a = axis % len(xs)
            if last:  # torch.argmax takes the first maximum: search the flipped axis
                y = xs[a] - 1 - x.flip(a).argmax(a, keepdim=bool(keep))
            else:
                y = x.argmax(a, keepdim=bool(keep))
            return y.double()
        c.reference = ref
        return c
    return make


def make_pad(rng):
    xs = shape(rng, int(rng.integers(1, 5)))
    pads = [int(p) for p in rng.integers(0, 3, size=2 * len(xs))]
    value = float(rng.choice([0.0, 1.5]))
    c = Case("Pad", "x=%s pads=%s value=%g" % (xs, pads, value)).x("X", xs)
    c.const("pads", np.array(pads, dtype=np.int64)).const("value", np.array(value, dtype=np.float64))
    torch_pads = []
    for d in reversed(range(len(xs))):
        torch_pads += [pads[d], pads[d + len(xs)]]
    c.reference = lambda t: F.pad(t["X"], torch_pads, value=value)
    return c


def make_gather(rng):
    xs = shape(rng, int(rng.integers(1, 4)), 2, 6)
    axis = int(rng.integers(-len(xs), len(xs)))
    ishape = shape(rng, int(rng.integers(0, 3)), 1, 4)
    c = Case("Gather", "x=%s axis=%d indices=%s" % (xs, axis, ishape)).x("X", xs).index("I", ishape, xs[axis])
    c.attrs = dict(axis=axis)

    def ref(t):
        i = t["I"] % xs[axis]
        y = t["X"].index_select(axis, i.reshape(-1))
        a = axis % len(xs)
        return y.reshape(xs[:a] + ishape + xs[a + 1:])
    c.reference = ref
    return c


def make_clip(rng):
    xs = shape(rng, int(rng.integers(1, 4)))
    lo, hi = float(rng.uniform(-0.8, -0.2)), float(rng.uniform(0.2, 0.8))
    c = Case("Clip", "x=%s min=%.3f max=%.3f" % (xs, lo, hi)).x("X", xs)
    c.const("min", np.array(lo)).const("max", np.array(hi))
    c.reference = lambda t: t["X"].clamp(lo, hi)
    return c


def make_prelu(rng):
    xs = shape(rng, 4)
    c = Case("PRelu", "x=%s slope=[%d,1,1]" % (xs, xs[1])).x("X", xs).x("Slope", [xs[1], 1, 1])
    c.reference = lambda t: torch.where(t["X"] > 0, t["X"], t["X"] * t["Slope"])
    return c


def make_cast(rng):
    xs = shape(rng, 3)
    c = Case("Cast", "x=%s to=FLOAT, then to=DOUBLE" % xs).x("X", xs)
    c.attrs = dict(to=TensorProto.FLOAT)
    c.then = [("Cast", dict(to=TensorProto.DOUBLE))]
    c.reference = lambda t: t["X"].float().double()
    c.finite_differences = False
    return c


def make_dropout_inference(rng):
    xs = shape(rng, 3)
    c = Case("Dropout", "x=%s ratio=0.4 (inference: identity)" % xs).x("X", xs)
    c.const("ratio", np.array(0.4))
    c.reference = lambda t: t["X"] * 1
    return c


CASES = [
    ("Neg", unary("Neg", torch.neg)), ("Abs", unary("Abs", torch.abs)),
    ("Exp", unary("Exp", torch.exp)), ("Log", unary("Log", torch.log, "positive")),
    ("Sqrt", unary("Sqrt", torch.sqrt, "positive")), ("Reciprocal", unary("Reciprocal", torch.reciprocal)),
    ("Relu", unary("Relu", torch.relu)), ("Sigmoid", unary("Sigmoid", torch.sigmoid)),
    ("Tanh", unary("Tanh", torch.tanh)), ("Erf", unary("Erf", torch.erf)),
    ("LeakyRelu", unary("LeakyRelu", lambda x: F.leaky_relu(x, f32(0.13)), alpha=0.13)),
    ("Elu", unary("Elu", lambda x: F.elu(x, f32(0.7)), alpha=0.7)),
    # ONNX's default alpha and gamma are float32 roundings of torch's constants.
    ("Selu", unary("Selu", lambda x: f32(1.0507009873554805) * F.elu(x, f32(1.6732632423543772)))),
    ("Celu", unary("Celu", lambda x: F.celu(x, f32(1.3)), alpha=1.3)),
    ("Softplus", unary("Softplus", F.softplus)), ("Softsign", unary("Softsign", F.softsign)),
    ("HardSigmoid", unary("HardSigmoid", lambda x: torch.clamp(f32(0.3) * x + f32(0.4), 0, 1), "wide",
                                      alpha=0.3, beta=0.4)),
    ("HardSwish", unary("HardSwish", F.hardswish, "wide")),
    ("ThresholdedRelu", unary("ThresholdedRelu", lambda x: torch.where(x > f32(0.3), x, torch.zeros_like(x)),
                                              alpha=0.3)),
    ("PRelu", make_prelu), ("Clip", make_clip),
    ("Add", broadcast_binary("Add", torch.add)), ("Sub", broadcast_binary("Sub", torch.sub)),
    ("Mul", broadcast_binary("Mul", torch.mul)), ("Div", broadcast_binary("Div", torch.div, "positive")),
    ("Pow", broadcast_binary("Pow", torch.pow)),
    ("Max", variadic("Max", lambda xs: torch.maximum(torch.maximum(xs[0], xs[1]), xs[2]))),
    ("Min", variadic("Min", lambda xs: torch.minimum(torch.minimum(xs[0], xs[1]), xs[2]))),
    ("Sum", variadic("Sum", lambda xs: xs[0] + xs[1] + xs[2])),
    ("Mean", variadic("Mean", lambda xs: (xs[0] + xs[1] + xs[2]) / 3)),
    ("MatMul", make_matmul), ("Gemm", make_gemm),
    ("Conv", make_conv), ("Conv", make_conv_winograd), ("ConvTranspose", make_conv_transpose), ("MaxPool", make_maxpool), ("AveragePool", make_avgpool),
    ("GlobalAveragePool", make_global_pool("GlobalAveragePool", lambda x: x.mean(dim=(2, 3), keepdim=True))),
    ("GlobalMaxPool", make_global_pool("GlobalMaxPool", lambda x: x.amax(dim=(2, 3), keepdim=True))),
    ("GlobalLpPool", make_global_pool("GlobalLpPool", lambda x: x.pow(2).sum(dim=(2, 3), keepdim=True).sqrt())),
    ("GlobalLpPool", make_global_pool("GlobalLpPool", lambda x: x.abs().pow(3).sum(dim=(2, 3), keepdim=True)
                                      .pow(1 / 3), p=3)),
    ("GlobalLpPool", make_global_pool("GlobalLpPool", lambda x: x.abs().sum(dim=(2, 3), keepdim=True), p=1)),
    ("BatchNormalization", make_batchnorm(True)), ("BatchNormalization", make_batchnorm(False)),
    ("BatchNormalization", make_batchnorm(True, opset=9)),
    ("LayerNormalization", make_layernorm), ("InstanceNormalization", make_instancenorm),
    ("Softmax", make_softmax("Softmax", torch.softmax)), ("LogSoftmax", make_softmax("LogSoftmax", torch.log_softmax)),
    ("ReduceSum", make_reduce("ReduceSum", lambda x, a, k: x.sum(dim=a, keepdim=k), axes_input=True)),
    ("ReduceMean", make_reduce("ReduceMean", lambda x, a, k: x.mean(dim=a, keepdim=k))),
    ("ReduceSumSquare", make_reduce("ReduceSumSquare", lambda x, a, k: (x * x).sum(dim=a, keepdim=k))),
    ("ReduceLogSum", make_reduce("ReduceLogSum", lambda x, a, k: x.sum(dim=a, keepdim=k).log(), "positive")),
    ("ReduceLogSumExp", make_reduce("ReduceLogSumExp", lambda x, a, k: torch.logsumexp(x, dim=a, keepdim=k))),
    ("ReduceMax", make_reduce("ReduceMax", reduce_max, "spread")),
    ("ReduceMin", make_reduce("ReduceMin", reduce_min, "spread")),
    ("Transpose", make_transpose), ("Reshape", make_reshape), ("Flatten", make_flatten),
    ("Squeeze", make_squeeze), ("Unsqueeze", make_unsqueeze), ("Concat", make_concat),
    ("Slice", make_slice), ("Pad", make_pad), ("Gather", make_gather),
    ("Split", make_split), ("Expand", make_expand), ("Tile", make_tile),
    ("Cast", make_bool_cast), ("CumSum", make_cumsum), ("Trilu", make_trilu), ("Resize", make_resize),
    ("Einsum", make_einsum), ("OneHot", make_onehot), ("ArgMax", make_arg_extreme("ArgMax")),
    ("ArgMin", make_arg_extreme("ArgMin"))] + [("Where", where_case(kind)) for kind in CONDITIONS] + [
    ("Identity", unary("Identity", lambda x: x * 1)), ("Cast", make_cast), ("Dropout", make_dropout_inference),
]


# ---- running -----------------------------------------------------------------------------------

def build_model(case, rng, path):
    """Writes the ONNX graph loss = ReduceSum(op(...) * W); returns {input name: np.ndarray} in argument order."""
    values = {}
    inputs, inits = [], []
    for name, shp, kind in case.floats:
        values[name] = sample(rng, shp, kind)
        inputs.append(helper.make_tensor_value_info(name, TensorProto.DOUBLE, shp))
    for name, shp, high in case.indices:
        values[name] = np.asarray(rng.integers(-high, high, size=shp), dtype=np.int64)
        inputs.append(helper.make_tensor_value_info(name, TensorProto.INT64, shp))
    for name, v in case.constants.items():
        dtype = {"i": TensorProto.INT64, "b": TensorProto.BOOL}.get(v.dtype.kind, TensorProto.DOUBLE)
        inits.append(helper.make_tensor(name, dtype, list(v.shape), v.flatten().tolist()))
    first = "Y" if not case.then else "T0"
    prelude = [helper.make_node(op, ins, [out], **attrs) for op, ins, out, attrs in case.prelude]
    if case.join_axis is not None:
        parts = ["S%d" % i for i in range(case.num_outputs)]
        nodes = [helper.make_node(case.op, case.node_inputs, parts, **case.attrs),
                 helper.make_node("Concat", list(reversed(parts)), [first], axis=case.join_axis)]
    else:
        outputs = [first] + ["Y%d" % i for i in range(1, case.num_outputs)]
        nodes = [helper.make_node(case.op, case.node_inputs, outputs, **case.attrs)]
    for i, (op, attrs) in enumerate(case.then):
        nodes.append(helper.make_node(op, ["T%d" % i], ["Y" if i + 1 == len(case.then) else "T%d" % (i + 1)], **attrs))
    # W's shape is the op's output shape, which the torch reference tells.
    with torch.no_grad():
        y = case.reference({k: torch.from_numpy(v) for k, v in values.items()})
    values["W"] = sample(rng, list(y.shape), "normal")
    inputs.append(helper.make_tensor_value_info("W", TensorProto.DOUBLE, list(y.shape)))
    nodes = prelude + nodes + [helper.make_node("Mul", ["Y", "W"], ["Prod"]),
                               helper.make_node("ReduceSum", ["Prod"], ["loss"], keepdims=0)]
    graph = helper.make_graph(nodes, case.op, inputs, [helper.make_tensor_value_info("loss", TensorProto.DOUBLE, [])],
                              initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", case.opset)])
    onnx.checker.check_model(model)
    onnx.save(model, path)
    return values


def torch_reference(case, values):
    t = {k: torch.from_numpy(v).requires_grad_(v.dtype == np.float64) for k, v in values.items()}
    loss = (case.reference(t) * t["W"]).sum()
    names = [k for k in values if values[k].dtype == np.float64]
    grads = torch.autograd.grad(loss, [t[k] for k in names], allow_unused=True)
    return loss.item(), {k: (g.numpy() if g is not None else np.zeros_like(values[k])) for k, g in zip(names, grads)}


def rel_error(got, ref):
    scale = max(float(np.max(np.abs(ref))) if ref.size else 0.0, 1e-30)
    return float(np.max(np.abs(got - ref))) / scale if ref.size else 0.0


def check_case(args, case, values, model, workdir):
    order = list(values)  # graph input order: floats, indices, then W
    for i, k in enumerate(order):
        values[k].tofile(os.path.join(workdir, "forward.arg%d.bin" % i))
    r = subprocess.run([args.mlc_gradcheck, model, "--data-dir=" + workdir, "--target=" + args.target] +
                       case.mlc_flags, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True)
    if "gradcheck @forward:" not in r.stdout:
        return None, "mlc-gradcheck failed: " + r.stdout.strip().splitlines()[-1] if r.stdout.strip() else "no output"
    fd_ok = r.returncode == 0 or not case.finite_differences
    ref_loss, ref_grads = torch_reference(case, values)
    got_loss = float(np.fromfile(os.path.join(workdir, "forward.value.bin"), dtype=np.float64)[0])
    worst = abs(got_loss - ref_loss) / max(abs(ref_loss), 1e-30)
    for i, k in enumerate(order):
        if k in ref_grads:
            got = np.fromfile(os.path.join(workdir, "forward.grad%d.bin" % i), dtype=np.float64)
            worst = max(worst, rel_error(got, ref_grads[k].reshape(-1)))
    return worst, ("" if fd_ok else "finite differences disagree: " + r.stdout.strip().splitlines()[-1])


# Ops whose constant operand was an attribute before opset 13: the attribute's name.
INPUTS_THAT_WERE_ATTRIBUTES = {"Split": "split", "Squeeze": "axes", "Unsqueeze": "axes", "ReduceSum": "axes"}


def down_convert(path, opset):
    """Rewrites the model at `path` (written at a newer opset) in `opset`'s forms of its ops, as an
    exporter at that opset writes them; returns why it cannot be, or "". (onnx.version_converter
    has no down adapters for most ops in libonnx 1.12.)"""
    from onnx import defs, numpy_helper
    m = onnx.load(path)
    consts = {t.name: numpy_helper.to_array(t) for t in m.graph.initializer}
    attrs = lambda node: {a.name: helper.get_attribute_value(a) for a in node.attribute}  # noqa: E731
    for node in m.graph.node:
        try:
            defs.get_schema(node.op_type, opset, node.domain)
        except Exception:
            return "%s does not exist at opset %d" % (node.op_type, opset)
        op = node.op_type
        if opset < 13 and op in INPUTS_THAT_WERE_ATTRIBUTES and len(node.input) > 1 and node.input[1]:
            node.attribute.append(helper.make_attribute(INPUTS_THAT_WERE_ATTRIBUTES[op],
                                                        consts[node.input[1]].reshape(-1).tolist()))
            del node.input[1]
        if opset < 14 and op == "BatchNormalization":
            training = attrs(node).get("training_mode", 0)
            for i, a in enumerate(node.attribute):
                if a.name == "training_mode":
                    del node.attribute[i]
                    break
            if training:  # opsets 9 to 13: the training form has 5 outputs
                node.output.extend(["%s_saved_mean" % node.output[0], "%s_saved_var" % node.output[0]])
        if opset < 12 and op == "Dropout":
            if len(node.input) > 2 and node.input[2]:
                return "Dropout has no training_mode before opset 12"
            if len(node.input) > 1 and node.input[1]:
                node.attribute.append(helper.make_attribute("ratio", float(consts[node.input[1]])))
            del node.input[1:]
        if opset < 13 and op in ("Softmax", "LogSoftmax"):
            rank = {v.name: len(v.type.tensor_type.shape.dim) for v in m.graph.input}.get(node.input[0])
            axis = attrs(node).get("axis", -1)
            if rank is None or axis not in (-1, rank - 1):
                return "%s before opset 13 flattens to 2-D (a different function unless the axis is last)" % op
        if opset < 12 and op in ("ArgMax", "ArgMin"):
            if attrs(node).get("select_last_index", 0):
                return "%s has no select_last_index before opset 12" % op
            kept = [a for a in node.attribute if a.name != "select_last_index"]
            del node.attribute[:]
            node.attribute.extend(kept)
        if opset < 13 and op == "Resize":  # roi and scales are required inputs (empty when unused)
            for i, name in ((1, "roi_empty"), (2, "scales_empty")):
                if not node.input[i]:
                    m.graph.initializer.append(helper.make_tensor(name, TensorProto.FLOAT, [0], []))
                    node.input[i] = name
    for o in m.opset_import:
        if o.domain in ("", "ai.onnx"):
            o.version = opset
    try:
        onnx.checker.check_model(m, full_check=True)
    except Exception as e:
        return "not valid at opset %d: %s" % (opset, str(e).strip().splitlines()[0][:120])
    onnx.save(m, path)
    return ""


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mlc-gradcheck", required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--target", default="cpu", help="cpu, or cuda-emulated (the CUDA kernels, run on the host)")
    p.add_argument("--trials", type=int, default=3, help="random instances per case")
    p.add_argument("--tol", type=float, default=1e-10)
    p.add_argument("--ops", default="", help="comma-separated op types to run (default: all)")
    p.add_argument("--keep", default="", help="work in this directory and leave the last case there")
    p.add_argument("--opset", type=int, default=0,
                   help="convert each case down to this opset (onnx.version_converter: the older forms of ops "
                        "whose attributes became inputs) before mlc imports it; cases of ops that opset lacks, "
                        "or that the converter cannot take down, are skipped and counted")
    args = p.parse_args()
    only = set(filter(None, args.ops.split(",")))
    torch.set_default_dtype(torch.float64)
    passed = failed = skipped = 0
    worst_overall = 0.0
    with tempfile.TemporaryDirectory(prefix="mlc_op_parity.") as tmp:
        workdir = args.keep or tmp
        for ci, (op, make) in enumerate(CASES):
            if only and op not in only:
                continue
            for trial in range(args.trials):
                rng = np.random.default_rng([args.seed, ci, trial])
                case = make(rng)
                model = os.path.join(workdir, "case.onnx")
                for f in os.listdir(workdir):
                    if f.endswith(".bin"):
                        os.remove(os.path.join(workdir, f))
                values = build_model(case, rng, model)
                if args.opset and args.opset < case.opset:
                    why = down_convert(model, args.opset)
                    if why:
                        skipped += 1
                        print("op %s [%s]: SKIP at opset %d (%s)" % (op, case.label, args.opset, why), flush=True)
                        continue
                worst, problem = check_case(args, case, values, model, workdir)
                ok = worst is not None and worst <= args.tol and not problem
                passed += ok
                failed += not ok
                if worst is not None:
                    worst_overall = max(worst_overall, worst)
                print("op %s [%s]: %s (worst relative difference %s)%s" % (
                    op, case.label, "PASS" if ok else "FAIL", "n/a" if worst is None else "%.1e" % worst,
                    "; " + problem if problem else ""), flush=True)
    print("op parity: %d passed, %d failed, worst relative difference %.1e%s" % (
        passed, failed, worst_overall, ", %d skipped (not expressible at opset %d)" % (skipped, args.opset)
        if args.opset else ""))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
