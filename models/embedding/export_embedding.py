#!/usr/bin/python3
"""Export a token-embedding classifier to ONNX for mlc: each Fashion-MNIST pixel's intensity
(0..255, as the IDX file stores it) is a token id looked up in a trained 256 x D embedding table
(ONNX Gather on an int64 input), then two dense layers classify the 784 embedded tokens."""
import argparse
import os

import torch
import torch.nn as nn


class PixelEmbedding(nn.Module):
    def __init__(self, dim=8, hidden=64):
        super().__init__()
        self.embed = nn.Embedding(256, dim)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(784 * dim, hidden), nn.ReLU(), nn.Linear(hidden, 10))

    def forward(self, tokens):  # tokens: int64 [batch, 784]
        return self.head(self.embed(tokens))


def build(dim=8, hidden=64, seed=0):
    """The model, initialised deterministically from `seed`."""
    torch.manual_seed(seed)
    return PixelEmbedding(dim, hidden)


def export(model, out, batch=64):
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    torch.onnx.export(model.eval(), torch.zeros(batch, 784, dtype=torch.int64), out, input_names=["tokens"],
                      output_names=["logits"], opset_version=13)
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--out", required=True)
    p.add_argument("--dim", type=int, default=8)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    print(export(build(a.dim, seed=a.seed), a.out))


if __name__ == "__main__":
    main()
