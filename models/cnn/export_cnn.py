#!/usr/bin/python3
"""Export the two-conv Fashion-MNIST CNN (conv 5x5 32 -> max-pool -> conv 5x5 64 -> max-pool ->
dense 1024 -> dropout 0.4 -> dense 10) to ONNX for mlc."""
import argparse
import os

import torch
import torch.nn as nn

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_OUT = os.path.join(REPO_ROOT, "build", "models", "cnn.onnx")


def build_cnn(seed=0, dropout=0.4):
    """Return the PyTorch CNN, initialised deterministically from `seed`."""
    torch.manual_seed(seed)
    layers = [
        nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 1024), nn.ReLU(),
    ]
    if dropout > 0:
        layers.append(nn.Dropout(dropout))
    layers.append(nn.Linear(1024, 10))
    return nn.Sequential(*layers)


def export(model, out, batch=None, training=False):
    """Export `model` (input [N, 1, 28, 28]) to `out`; batch=None gives a symbolic batch.
    training=True exports training mode (Dropout with ratio and training_mode inputs)."""
    dummy = torch.zeros(batch or 1, 1, 28, 28, dtype=torch.float32)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    kwargs = {}
    if batch is None:
        kwargs["dynamic_axes"] = {"image": {0: "N"}, "logits": {0: "N"}}
    mode = torch.onnx.TrainingMode.TRAINING if training else torch.onnx.TrainingMode.EVAL
    model.train(training)
    torch.onnx.export(model, dummy, out, input_names=["image"], output_names=["logits"],
                      opset_version=13, do_constant_folding=False, export_params=True,
                      training=mode, **kwargs)
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--out", default=DEFAULT_OUT)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--dropout", type=float, default=0.4, help="dropout rate (0: no dropout layer)")
    p.add_argument("--training", action="store_true", help="export in training mode")
    p.add_argument("--batch", type=int, default=None, help="fixed batch size (default: symbolic)")
    a = p.parse_args(argv)
    print(export(build_cnn(a.seed, a.dropout), a.out, a.batch, a.training))


if __name__ == "__main__":
    main()
