#!/usr/bin/python3
"""The Fashion-MNIST autoencoder (784-128-32-128-784, ReLU, sigmoid output; models/tabular/
export_tabular.py --model autoencoder) trained by mlc and by PyTorch for the same epochs from the
same initial weights: Adam (lr 1e-3), batch 64, MSE against the input (--target=input), each side
shuffling with its own generator. Prints both test MSEs (mean over the 10,000 test images' pixels)
and their relative difference; PASS when it is within --tol (default 5%).

Usage: autoencoder_parity.py --mlc build/bin/mlc [--data DIR] [--epochs 5] [--limit-train N]
       [--threads 2]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "models", "tabular"))
import export_tabular  # noqa: E402
from torch_reference import load_split  # noqa: E402

BATCH = 64


def torch_test_mse(args, net):
    # Best of 1 and 2 threads is for timing; the result does not depend on it.
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    x, _ = load_split(args.data, "train", args.limit_train)
    xt, _ = load_split(args.data, "test")
    x, xt = x.reshape(-1, 1, 28, 28), xt.reshape(-1, 1, 28, 28)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    steps = x.shape[0] // BATCH  # the partial last batch is dropped, as the trainer does
    for _ in range(args.epochs):
        order = torch.randperm(x.shape[0])
        for s in range(steps):
            xb = x[order[s * BATCH:(s + 1) * BATCH]]
            opt.zero_grad()
            loss = F.mse_loss(net(xb), xb.reshape(BATCH, -1))
            loss.backward()
            opt.step()
    with torch.no_grad():
        return float(F.mse_loss(net(xt), xt.reshape(xt.shape[0], -1)))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mlc", required=True)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--limit-train", type=int, default=None)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--tol", type=float, default=0.05)
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="mlc_autoencoder.") as work:
        onnx_path = os.path.join(work, "autoencoder.onnx")
        net = export_tabular.export("autoencoder", 784, onnx_path, seed=0)
        trainer = os.path.join(work, "trainer")
        subprocess.run([args.mlc, "compile", onnx_path, "--loss=mse", "--optimizer=adam", "--batch=%d" % BATCH,
                        "-o", trainer], check=True)
        cmd = [trainer, "--data=" + args.data, "--target=input", "--epochs=%d" % args.epochs, "--lr=0.001",
               "--threads=%d" % args.threads]
        if args.limit_train:
            cmd.append("--limit-train=%d" % args.limit_train)
        out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
        mlc = float(re.search(r"final test_loss \S+ test_mse (\S+)", out).group(1))
    ref = torch_test_mse(args, net)
    rel = abs(mlc - ref) / ref
    print("autoencoder 784-128-32-128-784, %d epoch(s)%s: test MSE mlc %.6f, pytorch %.6f, relative difference %.2f%%: %s"
          % (args.epochs, "" if not args.limit_train else " on %d images" % args.limit_train, mlc, ref, rel * 100,
             "PASS" if rel <= args.tol else "FAIL"))
    return 0 if rel <= args.tol else 1


if __name__ == "__main__":
    sys.exit(main())
