#!/usr/bin/python3
"""Test accuracy of the transformers on Fashion-MNIST, trained by mlc and by PyTorch with the same
schedule: Adam at --lr, cosine decay per step to 0 over all steps, batch 64, --epochs over the
shuffled training set (each side its own seeded shuffle), the same initial weights. Models:
  vit            the small vision transformer of models/zoo/export_zoo.py (7x7 patches, 4 layers of
                 4-head attention, width 64) on the images;
  token_encoder  the text-style encoder of models/embedding/export_token_encoder.py (each pixel's
                 byte a token id, pooled into 49 tokens, 2 layers of nn.TransformerEncoder).

mlc: the model exported by PyTorch in training mode (opset 17), `mlc compile --optimizer=adam`,
the trainer's last epoch record (`test_accuracy` on the 10000 test images). PyTorch: eager, the
same module. Prints both accuracies and passes when mlc's reaches --min-accuracy.

Run: /usr/bin/python3 tests/e2e/transformer_accuracy.py --mlc build/bin/mlc [--model vit|token_encoder]
     [--epochs 10] [--skip-torch]
"""
import argparse
import contextlib
import io
import os
import subprocess
import sys
import tempfile
import time
import warnings

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "models", "zoo"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "models", "embedding"))
import export_token_encoder  # noqa: E402
import export_zoo  # noqa: E402
from torch_reference import load_split, read_log  # noqa: E402

BATCH = 64


def build(name):
    torch.manual_seed(0)
    return export_zoo.build("vit") if name == "vit" else export_token_encoder.build()


def model_input(name, x):
    """The images [n, 28, 28] (bytes / 255) as the model takes them."""
    return x.reshape(-1, 1, 28, 28) if name == "vit" else (x * 255).round().long().reshape(-1, 784)


def mlc_accuracy(a, model, work):
    path = os.path.join(work, a.model + ".onnx")
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        if a.model == "vit":
            export_zoo.export(model, path, batch=BATCH, opset=17)
        else:
            export_token_encoder.export(model, path, batch=BATCH, opset=17)
    trainer = os.path.join(work, a.model + "_trainer")
    subprocess.run([a.mlc, "compile", path, "--loss=cross_entropy", "--optimizer=adam", "--batch=%d" % BATCH,
                    "-o", trainer], check=True)
    log = os.path.join(work, a.model + ".jsonl")
    start = time.perf_counter()
    subprocess.run([trainer, "--data=" + a.data, "--epochs=%d" % a.epochs, "--lr=%g" % a.lr, "--lr-schedule=cosine",
                    "--log=" + log], check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    epochs = read_log(log)[1]
    return [float(e["test_accuracy"]) for e in epochs], seconds


def torch_accuracy(a, model):
    torch.manual_seed(0)
    x, y = load_split(a.data, "train")
    tx, ty = load_split(a.data, "test")
    x, tx = model_input(a.model, x), model_input(a.model, tx)
    steps_per_epoch = len(x) // BATCH  # the last partial batch dropped, as mlc's trainer does
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=steps_per_epoch * a.epochs)
    accuracies = []
    start = time.perf_counter()
    for epoch in range(a.epochs):
        model.train()
        order = torch.randperm(len(x))
        for s in range(steps_per_epoch):
            idx = order[s * BATCH:(s + 1) * BATCH]
            loss = nn.functional.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        model.eval()
        with torch.no_grad():
            correct = sum((model(tx[i:i + 1000]).argmax(1) == ty[i:i + 1000]).sum().item()
                          for i in range(0, len(tx), 1000))
        accuracies.append(correct / len(tx))
        print("pytorch epoch %d/%d test_accuracy %.4f" % (epoch + 1, a.epochs, accuracies[-1]), flush=True)
    return accuracies, time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mlc", required=True)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--model", default="vit", choices=("vit", "token_encoder"))
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--min-accuracy", type=float, default=0.85)
    ap.add_argument("--skip-torch", action="store_true", help="only train with mlc")
    a = ap.parse_args()
    model = build(a.model)
    with tempfile.TemporaryDirectory() as work:
        got, mlc_s = mlc_accuracy(a, model, work)  # exporting leaves the weights as they were
    print("mlc %s: test accuracy per epoch %s; final %.4f (%.0f s)"
          % (a.model, " ".join("%.4f" % g for g in got), got[-1], mlc_s))
    if not a.skip_torch:
        torch.set_num_threads(2)
        want, torch_s = torch_accuracy(a, model.train())
        print("pytorch %s: test accuracy per epoch %s; final %.4f (%.0f s)"
              % (a.model, " ".join("%.4f" % w for w in want), want[-1], torch_s))
    ok = got[-1] >= a.min_accuracy
    print("transformer_accuracy %s: mlc %.4f %s %.2f: %s" % (a.model, got[-1], ">=" if ok else "<", a.min_accuracy, "PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
