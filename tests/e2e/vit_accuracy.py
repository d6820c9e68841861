#!/usr/bin/python3
"""Test accuracy of the small vision transformer (models/zoo/export_zoo.py's vit: 7x7 patches,
4 layers of 4-head attention, width 64) on Fashion-MNIST, trained by mlc and by PyTorch with the
same schedule: Adam at --lr, cosine decay per step to 0 over all steps, batch 64, --epochs over
the shuffled training set (each side its own seeded shuffle), the same initial weights.

mlc: the model exported by PyTorch in training mode (opset 17), `mlc compile --optimizer=adam`,
the trainer's last epoch record (`test_accuracy` on the 10000 test images). PyTorch: eager, the
same module. Prints both accuracies and passes when mlc's reaches --min-accuracy.

Run: /usr/bin/python3 tests/e2e/vit_accuracy.py --mlc build/bin/mlc [--epochs 10] [--skip-torch]
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
import export_zoo  # noqa: E402
from torch_reference import load_split, read_log  # noqa: E402

BATCH = 64


def mlc_accuracy(a, model, work):
    path = os.path.join(work, "vit.onnx")
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        export_zoo.export(model, path, batch=BATCH, opset=17)
    trainer = os.path.join(work, "vit_trainer")
    subprocess.run([a.mlc, "compile", path, "--loss=cross_entropy", "--optimizer=adam", "--batch=%d" % BATCH,
                    "-o", trainer], check=True)
    log = os.path.join(work, "vit.jsonl")
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
    x, tx = x.reshape(-1, 1, 28, 28), tx.reshape(-1, 1, 28, 28)
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
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--min-accuracy", type=float, default=0.85)
    ap.add_argument("--skip-torch", action="store_true", help="only train with mlc")
    a = ap.parse_args()
    torch.manual_seed(0)
    model = export_zoo.build("vit")
    with tempfile.TemporaryDirectory() as work:
        got, mlc_s = mlc_accuracy(a, model, work)  # exporting leaves the weights as they were
    print("mlc vit: test accuracy per epoch %s; final %.4f (%.0f s)" % (" ".join("%.4f" % g for g in got), got[-1],
                                                                         mlc_s))
    if not a.skip_torch:
        torch.set_num_threads(2)
        want, torch_s = torch_accuracy(a, model.train())
        print("pytorch vit: test accuracy per epoch %s; final %.4f (%.0f s)"
              % (" ".join("%.4f" % w for w in want), want[-1], torch_s))
    ok = got[-1] >= a.min_accuracy
    print("vit_accuracy: mlc %.4f %s %.2f: %s" % (got[-1], ">=" if ok else "<", a.min_accuracy, "PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
