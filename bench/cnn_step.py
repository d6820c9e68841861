#!/usr/bin/python3
"""Benchmark: a convolutional model (batch 64) -- by default the two-conv Fashion-MNIST CNN with
dropout and Adam; --model picks the CNN with batch norm, ResNet-18 or MobileNetV2 of models/zoo
(trained with SGD, exported in training mode) -- mlc's compile time and time per training step
against PyTorch eager on the same machine, threads and batches.

mlc's step time is an epoch of --steps steps over the trainer's own loop (batching included), as
the trainer's log reports it; PyTorch's is the same number of steps (forward, loss, backward,
Adam) over tensors already in memory, after two warm-up steps.
"""
import reference_env  # noqa: F401  (first: PyTorch without the OpenBLAS overrides)
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
sys.path.insert(0, os.path.join(ROOT, "models", "zoo"))
from export_cnn import build_cnn, export  # noqa: E402
import export_zoo  # noqa: E402


def build(a):
    return build_cnn(seed=0) if a.model == "cnn" else export_zoo.build(a.model)


def optimizer_of(a):
    return "adam" if a.model == "cnn" else "sgd"
from torch_reference import load_split  # noqa: E402


def mlc_timing(a, work):
    path = os.path.join(work, a.model + ".onnx")
    if a.model == "cnn":
        export(build(a), path, training=True)
    else:
        export_zoo.export(build(a), path)
    trainer = os.path.join(work, "trainer")
    start = time.perf_counter()
    subprocess.run([a.mlc, "compile", path, "--loss=cross_entropy", "--optimizer=" + optimizer_of(a), "--batch=64",
                    "--target=cpu", "-o", trainer], check=True)
    compile_s = time.perf_counter() - start
    log = os.path.join(work, "log.jsonl")
    subprocess.run([trainer, "--data=" + a.data, "--epochs=1", "--threads=%d" % a.threads, "--no-shuffle",
                    "--lr=%g" % (1e-3 if optimizer_of(a) == "adam" else 0.01),
                    "--limit-train=%d" % (64 * a.steps), "--limit-test=64", "--log=" + log],
                   check=True, stdout=subprocess.DEVNULL)
    epochs = [json.loads(l) for l in open(log) if '"seconds"' in l]
    return compile_s, epochs[-1]["seconds"] / a.steps


def torch_timing(a):
    torch.set_num_threads(a.threads)
    model = build(a).train()
    if optimizer_of(a) == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    else:
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
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
    ap.add_argument("--model", default="cnn", choices=("cnn",) + export_zoo.MODELS)
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        compile_s, mlc_step = mlc_timing(a, work)
    torch_step = torch_timing(a)
    print("%s step, %d thread(s): mlc compile %.1fs, mlc %.1f ms/step, pytorch %.1f ms/step, "
          "speedup (pytorch/mlc) %.2fx" % (a.model, a.threads, compile_s, mlc_step * 1e3, torch_step * 1e3,
                                           torch_step / mlc_step))


if __name__ == "__main__":
    main()
