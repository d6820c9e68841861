#!/usr/bin/python3
"""Export a text-style transformer encoder over token data to ONNX for mlc: each Fashion-MNIST
pixel's intensity (0..255, as the IDX file stores it) is a token id looked up in a trained 256 x D
embedding table (ONNX Gather on an int64 input); the 28 x 28 token grid is pooled into 49 tokens of
4 x 4 (a sentence of 49 words), learned position embeddings are added, and nn.TransformerEncoder
layers (4-head self-attention, GELU feed-forward, LayerNorm; dropout 0 so that PyTorch and mlc train
the same function) encode them; the mean token is classified. With --mask, blank tokens (4 x 4
patches of black pixels) are masked out of attention as padding is in text: a key_padding_mask
computed from the token ids, which PyTorch exports as comparisons, reshapes and expands of a
boolean tensor and a masked_fill (Where). Exported in training mode."""
import argparse
import contextlib
import io
import os
import warnings

import torch
import torch.nn as nn


class TokenEncoder(nn.Module):
    def __init__(self, dim=32, heads=4, layers=2, hidden=64, mask=False):
        super().__init__()
        self.dim, self.mask = dim, mask
        self.embed = nn.Embedding(256, dim)
        self.position = nn.Parameter(torch.randn(1, 49, dim) * 0.02)
        layer = nn.TransformerEncoderLayer(dim, heads, dim_feedforward=hidden, dropout=0.0, activation="gelu",
                                           batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, 10)

    def forward(self, tokens):  # tokens: int64 [batch, 784]
        e = self.embed(tokens).reshape(-1, 7, 4, 7, 4, self.dim).mean(dim=(2, 4)).reshape(-1, 49, self.dim)
        blank = None
        if self.mask:  # patches whose 16 pixels are all 0: padding, not attended to
            black = (tokens == 0).float().reshape(-1, 7, 4, 7, 4).mean(dim=(2, 4)).reshape(-1, 49)
            blank = black == 1.0
        x = self.encoder(e + self.position, src_key_padding_mask=blank)
        return self.head(self.norm(x.mean(dim=1)))


def build(seed=0, mask=False):
    """The model, initialised deterministically from `seed`."""
    torch.manual_seed(seed)
    return TokenEncoder(mask=mask)


def export(model, out, batch=64, opset=17):
    """Export in training mode at `opset`; the weights are left as they were."""
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        torch.onnx.export(model.train(), torch.zeros(batch, 784, dtype=torch.int64), out, input_names=["tokens"],
                          output_names=["logits"], opset_version=opset, do_constant_folding=False,
                          training=torch.onnx.TrainingMode.TRAINING)
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--opset", type=int, default=17)
    p.add_argument("--mask", action="store_true", help="mask blank tokens out of attention")
    a = p.parse_args()
    print(export(build(a.seed, a.mask), a.out, opset=a.opset))


if __name__ == "__main__":
    main()
