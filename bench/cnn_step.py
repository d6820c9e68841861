#!/usr/bin/python3
"""Benchmark: the two-conv Fashion-MNIST CNN (with dropout, Adam, batch 64): mlc's compile time and
time per training step against PyTorch eager on the same machine, threads and batches.

mlc's step time is an epoch of --steps steps over the trainer's own loop (batching included), as
the trainer's log reports it; PyTorch's is the same number of steps (forward, loss, backward,
Adam) over tensors already in memory, after two warm-up steps.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "models", "cnn"))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from export_cnn import build_cnn, export  # noqa: E402
from torch_reference import load_split  # noqa: E402


def mlc_timing(a, work):
    path = export(build_cnn(seed=0), os.path.join(work, "cnn.onnx"), training=True)
    trainer = os.path.join(work, "trainer")
    start = time.perf_counter()
    subprocess.run([a.mlc, "compile", path, "--loss=cross_entropy", "--optimizer=adam", "--batch=64",
                    "--target=cpu", "-o", trainer], check=True)
    compile_s = time.perf_counter() - start
    log = os.path.join(work, "log.jsonl")
    subprocess.run([trainer, "--data=" + a.data, "--epochs=1", "--threads=%d" % a.threads, "--no-shuffle",
                    "--limit-train=%d" % (64 * a.steps), "--limit-test=64", "--log=" + log],
                   check=True, stdout=subprocess.DEVNULL)
    epochs = [json.loads(l) for l in open(log) if '"seconds"' in l]
    return compile_s, epochs[-1]["seconds"] / a.steps


def torch_timing(a):
    torch.set_num_threads(a.threads)
    model = build_cnn(seed=0).train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = load_split(a.data, "train", limit=64 * a.steps)
    x = x.reshape(-1, 1, 28, 28)

    def step(s):
        loss = nn.functional.cross_entropy(model(x[s * 64:(s + 1) * 64]), y[s * 64:(s + 1) * 64])
        opt.zero_grad()
        loss.backward()
        opt.step()

    step(0)
    step(1)
    start = time.perf_counter()
    for s in range(a.steps):
        step(s)
    return (time.perf_counter() - start) / a.steps


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mlc", required=True)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        compile_s, mlc_step = mlc_timing(a, work)
    torch_step = torch_timing(a)
    print("cnn step, %d thread(s): mlc compile %.1fs, mlc %.1f ms/step, pytorch %.1f ms/step, "
          "speedup (pytorch/mlc) %.2fx" % (a.threads, compile_s, mlc_step * 1e3, torch_step * 1e3, torch_step / mlc_step))


if __name__ == "__main__":
    main()
