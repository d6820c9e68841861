#!/usr/bin/python3
"""Export the 784-H-10 ReLU MLP (Fashion-MNIST classifier) to ONNX for mlc."""
import argparse
import os
import sys

import torch
import torch.nn as nn

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_OUT = os.path.join(REPO_ROOT, "build", "models", "mlp.onnx")


def build_mlp(hidden=128, seed=0, dropout=0.0):
    """Return the PyTorch MLP, initialised deterministically from `seed` (dropout > 0: a Dropout layer
    after the hidden activation)."""
    torch.manual_seed(seed)
    layers = [nn.Flatten(), nn.Linear(784, hidden), nn.ReLU()]
    if dropout > 0:
        layers.append(nn.Dropout(dropout))
    layers.append(nn.Linear(hidden, 10))
    return nn.Sequential(*layers)


def export_mlp(out=DEFAULT_OUT, hidden=128, seed=0, batch=None, dropout=0.0):
    """Export the MLP to `out`. batch=None gives a symbolic batch dimension. With dropout the export is
    in training mode, so Dropout keeps its training_mode input."""
    model = build_mlp(hidden, seed, dropout).train(dropout > 0)
    dummy = torch.zeros(batch or 1, 1, 28, 28, dtype=torch.float32)
    d = os.path.dirname(os.path.abspath(out))
    os.makedirs(d, exist_ok=True)
    kwargs = {}
    if batch is None:
        kwargs["dynamic_axes"] = {"image": {0: "N"}, "logits": {0: "N"}}
    torch.onnx.export(
        model,
        dummy,
        out,
        input_names=["image"],
        output_names=["logits"],
        opset_version=13,
        do_constant_folding=False,
        export_params=True,
        training=torch.onnx.TrainingMode.TRAINING if dropout > 0 else torch.onnx.TrainingMode.EVAL,
        **kwargs,
    )
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--out", default=DEFAULT_OUT, help="output ONNX path (default <repo>/build/models/mlp.onnx)")
    p.add_argument("--hidden", type=int, default=128, help="hidden layer width")
    p.add_argument("--seed", type=int, default=0, help="torch.manual_seed for the init")
    p.add_argument("--dropout", type=float, default=0.0, help="dropout rate after the hidden layer (0: none)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--batch", type=int, default=None, help="fixed batch size N")
    g.add_argument("--dynamic-batch", action="store_true",
                   help="symbolic batch dimension (the default)")
    p.add_argument("--print", action="store_true", help="print the exported graph")
    a = p.parse_args(argv)
    out = export_mlp(a.out, a.hidden, a.seed, a.batch, a.dropout)
    import onnx
    m = onnx.load(out)
    onnx.checker.check_model(m)
    if a.print:
        print(onnx.helper.printable_graph(m.graph))
    print("wrote %s" % out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
