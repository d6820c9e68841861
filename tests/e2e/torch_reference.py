#!/usr/bin/python3
"""PyTorch reference for mlc trainers: IDX loading, a generic ONNX-MLP evaluator, and reference training."""
import gzip
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

DEFAULT_DATA = "/usr/share/datasets/fashion-mnist"
FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}


# ---------------------------------------------------------------- data ----

def read_idx(path):
    """Read an IDX file (optionally .gz) into a numpy array of its declared shape."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError("%s: not an unsigned-byte IDX file" % path)
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if arr.size != int(np.prod(dims)):
        raise ValueError("%s: size mismatch" % path)
    return arr.reshape(dims)


def load_split(data_dir, split, limit=None):
    """Return (images float32 [n,28,28] scaled by 1/255, labels int64 [n]) as torch tensors."""
    img_name, lbl_name = FILES[split]
    images = read_idx(os.path.join(data_dir, img_name))
    labels = read_idx(os.path.join(data_dir, lbl_name))
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
    x = torch.from_numpy(images.astype(np.float32) / np.float32(255.0))
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


# ---------------------------------------------------------------- model ---

class OnnxTorchModel(torch.nn.Module):
    """Evaluates an ONNX graph of Flatten/Gemm/MatMul/Add/Relu(/Identity/Reshape) nodes in torch.

    Float initializers become trainable parameters (in initializer order); other
    initializers (e.g. int64 shapes) are constants.
    """

    def __init__(self, model_path):
        super().__init__()
        import onnx
        from onnx import numpy_helper
        m = onnx.load(model_path)
        g = m.graph
        self.param_names = []
        self.params = torch.nn.ParameterList()
        self.consts = {}
        init_names = set()
        for init in g.initializer:
            arr = numpy_helper.to_array(init)
            init_names.add(init.name)
            if arr.dtype.kind == "f":
                self.param_names.append(init.name)
                self.params.append(torch.nn.Parameter(torch.from_numpy(arr.astype(np.float32).copy())))
            else:
                self.consts[init.name] = torch.from_numpy(arr.copy())
        inputs = [i for i in g.input if i.name not in init_names]
        if len(inputs) != 1 or len(g.output) != 1:
            raise ValueError("expected one data input and one output")
        self.input_name = inputs[0].name
        dims = inputs[0].type.tensor_type.shape.dim
        self.input_shape = [d.dim_value if d.HasField("dim_value") else None for d in dims]
        self.output_name = g.output[0].name
        self.nodes = []
        for n in g.node:
            attrs = {a.name: onnx.helper.get_attribute_value(a) for a in n.attribute}
            self.nodes.append((n.op_type, list(n.input), list(n.output), attrs))

    def sample_shape(self):
        """Per-example input shape (input shape without the batch dimension)."""
        return tuple(self.input_shape[1:])

    def named_onnx_params(self):
        return dict(zip(self.param_names, self.params))

    def forward(self, x):
        env = dict(self.consts)
        env.update(self.named_onnx_params())
        env[self.input_name] = x
        for op, ins, outs, attrs in self.nodes:
            a = [env[i] if i else None for i in ins]
            if op == "Flatten":
                axis = attrs.get("axis", 1)
                if axis < 0:
                    axis += a[0].dim()
                lead = int(np.prod(a[0].shape[:axis])) if axis > 0 else 1
                y = a[0].reshape(lead, -1)
            elif op == "Gemm":
                A, B = a[0], a[1]
                if attrs.get("transA", 0):
                    A = A.t()
                if attrs.get("transB", 0):
                    B = B.t()
                y = torch.matmul(A, B)
                alpha = attrs.get("alpha", 1.0)
                if alpha != 1.0:
                    y = alpha * y
                if len(a) > 2 and a[2] is not None:
                    beta = attrs.get("beta", 1.0)
                    y = y + (a[2] if beta == 1.0 else beta * a[2])
            elif op == "MatMul":
                y = torch.matmul(a[0], a[1])
            elif op == "Add":
                y = a[0] + a[1]
            elif op == "Relu":
                y = torch.relu(a[0])
            elif op == "Sigmoid":
                y = torch.sigmoid(a[0])
            elif op == "Tanh":
                y = torch.tanh(a[0])
            elif op == "LogSoftmax":
                y = torch.log_softmax(a[0], dim=attrs.get("axis", -1))
            elif op == "Identity":
                y = a[0]
            elif op == "Reshape":
                shape = [int(s) for s in a[1].tolist()]
                shape = [a[0].shape[i] if s == 0 else s for i, s in enumerate(shape)]
                y = a[0].reshape(shape)
            else:
                raise NotImplementedError("ONNX op %s not supported by the reference" % op)
            env[outs[0]] = y
        return env[self.output_name]


# ------------------------------------------------------------- training ---

def loss_fn(name, logits, labels):
    """mlc's losses: cross_entropy (mean softmax CE) or mse (mean over all elements vs one-hot)."""
    if name == "cross_entropy":
        return F.cross_entropy(logits, labels)
    if name == "mse":
        target = F.one_hot(labels, logits.shape[1]).to(logits.dtype)
        return F.mse_loss(logits, target)
    raise ValueError("unknown loss %r" % name)


def make_optimizer(name, params, lr, hypers=None, decay_all=False):
    """The torch.optim optimizer that mlc's --optimizer=`name` implements, with the trainer's defaults
    (momentum 0.9, lr_decay 0, alpha 0.99, betas 0.9/0.999, eps 1e-10 for Adagrad else 1e-8, weight
    decay 0.01 for AdamW else 0); `hypers` overrides them by the trainer's hyperparameter names.
    Weight decay applies to the weights (parameters of rank >= 2) only, as mlc's does unless the
    model is compiled with --decay-all (`decay_all`): two parameter groups."""
    h = dict(hypers or {})
    wd = h.pop("weight_decay", 0.01 if name == "adamw" else 0.0)
    params = list(params)
    if not decay_all:
        params = [{"params": [p for p in params if p.dim() >= 2]},
                  {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}]
    momentum = h.pop("momentum", 0.9)
    lr_decay = h.pop("lr_decay", 0.0)
    alpha = h.pop("alpha", 0.99)
    betas = (h.pop("beta1", 0.9), h.pop("beta2", 0.999))
    eps = h.pop("epsilon", 1e-10 if name == "adagrad" else 1e-8)
    if h:
        raise ValueError("unknown hyperparameters %s" % sorted(h))
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, weight_decay=wd)
    if name in ("momentum", "nesterov"):
        return torch.optim.SGD(params, lr=lr, momentum=momentum, nesterov=name == "nesterov", weight_decay=wd)
    if name == "adagrad":
        return torch.optim.Adagrad(params, lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=wd)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=alpha, eps=eps, weight_decay=wd)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, betas=betas, eps=eps, weight_decay=wd)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=lr, betas=betas, eps=eps, weight_decay=wd)
    raise ValueError("unknown optimizer %r" % name)


def evaluate(model, x, y, loss="cross_entropy", batch=1000):
    """Return (mean loss over examples, accuracy) of `model` on x, y."""
    model.eval()
    total, correct = 0.0, 0
    with torch.no_grad():
        for i in range(0, x.shape[0], batch):
            out = model(x[i:i + batch])
            n = out.shape[0]
            total += float(loss_fn(loss, out, y[i:i + batch])) * n
            correct += int((out.argmax(1) == y[i:i + batch]).sum())
    model.train()
    n = max(x.shape[0], 1)
    return total / n, correct / n


def reference_losses(model_path, data_dir, optimizer, lr, steps, batch=64,
                     loss="cross_entropy", threads=1, return_model=False, hypers=None, schedule=None):
    """PyTorch float32 per-step losses of training `model_path` from its ONNX initial weights.

    Batches are the first `steps` full batches of the training set in file order
    (as with the trainer's --no-shuffle --limit-train=batch*steps). Each entry is
    the loss of the forward pass at that step, before the parameter update. `schedule(opt, steps)`, if
    given, returns an lr_scheduler that is stepped after every batch (the trainer's --lr-schedule).
    """
    torch.set_num_threads(threads)
    model = OnnxTorchModel(model_path)
    x, y = load_split(data_dir, "train", limit=batch * steps)
    x = x.reshape((-1,) + model.sample_shape())
    opt = make_optimizer(optimizer, model.parameters(), lr, hypers)
    sched = schedule(opt, x.shape[0] // batch) if schedule else None
    losses = []
    for s in range(x.shape[0] // batch):
        xb, yb = x[s * batch:(s + 1) * batch], y[s * batch:(s + 1) * batch]
        opt.zero_grad()
        l = loss_fn(loss, model(xb), yb)
        l.backward()
        opt.step()
        if sched:
            sched.step()
        losses.append(float(l))
    return (losses, model) if return_model else losses


def read_log(path):
    """Parse a trainer --log file: returns (step records, epoch records)."""
    steps, epochs = [], []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            rec = json.loads(line)
            if "step" in rec:
                steps.append(rec)
            elif "epoch" in rec and "train_loss" in rec:  # not the final or confusion records
                epochs.append(rec)
    return steps, epochs


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import parity_pytorch
    sys.exit(parity_pytorch.self_test())
