#!/usr/bin/python3
"""Test double of the mlc CLI (compile + trainer) backed by PyTorch, to exercise the e2e/bench scripts without a built mlc.

  fake_mlc.py compile MODEL.onnx --loss=L --optimizer=O --batch=N --target=cpu -o OUT
writes OUT, a shell script that runs `fake_mlc.py train` with the trainer's flags
(--data --epochs --lr --seed --no-shuffle --limit-train --limit-test --threads --log).
Its numbers come from PyTorch, so parity against it only tests the plumbing.
"""
import argparse
import json
import os
import shlex
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def compile_(argv):
    p = argparse.ArgumentParser(prog="fake_mlc.py compile")
    p.add_argument("model")
    p.add_argument("--loss", choices=["cross_entropy", "mse"], required=True)
    p.add_argument("--optimizer", choices=["sgd", "adam"], required=True)
    p.add_argument("--batch", type=int, required=True)
    p.add_argument("--target", default="cpu")
    p.add_argument("-o", dest="out", required=True)
    a = p.parse_args(argv)
    out = os.path.abspath(a.out)
    model_copy = out + ".onnx"
    shutil.copyfile(a.model, model_copy)
    cmd = [sys.executable, os.path.abspath(__file__), "train", "--model=" + model_copy,
           "--loss=" + a.loss, "--optimizer=" + a.optimizer, "--batch=%d" % a.batch]
    with open(out, "w") as f:
        f.write("#!/bin/bash\n# fake mlc trainer (PyTorch-backed test double)\nexec %s \"$@\"\n"
                % " ".join(shlex.quote(c) for c in cmd))
    os.chmod(out, 0o755)
    return 0


def train(argv):
    p = argparse.ArgumentParser(prog="fake_mlc.py train")
    p.add_argument("--model", required=True)
    p.add_argument("--loss", required=True)
    p.add_argument("--optimizer", required=True)
    p.add_argument("--batch", type=int, required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--lr", type=float, default=None)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-shuffle", action="store_true")
    p.add_argument("--limit-train", type=int, default=None)
    p.add_argument("--limit-test", type=int, default=None)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--log", default=None)
    a = p.parse_args(argv)

    import torch
    from torch_reference import OnnxTorchModel, evaluate, load_split, loss_fn, make_optimizer
    torch.set_num_threads(a.threads)
    lr = a.lr if a.lr is not None else (1e-3 if a.optimizer == "adam" else 0.01)
    model = OnnxTorchModel(a.model)
    shape = (-1,) + model.sample_shape()
    x, y = load_split(a.data, "train", a.limit_train)
    xt, yt = load_split(a.data, "test", a.limit_test)
    x, xt = x.reshape(shape), xt.reshape(shape)
    opt = make_optimizer(a.optimizer, model.parameters(), lr)
    gen = torch.Generator().manual_seed(a.seed)
    log = open(a.log, "w") if a.log else None
    nsteps = x.shape[0] // a.batch
    step = 0
    for epoch in range(1, a.epochs + 1):
        order = torch.arange(x.shape[0]) if a.no_shuffle else torch.randperm(x.shape[0], generator=gen)
        total, seconds = 0.0, 0.0
        for s in range(nsteps):
            t0 = time.perf_counter()
            idx = order[s * a.batch:(s + 1) * a.batch]
            opt.zero_grad()
            l = loss_fn(a.loss, model(x[idx]), y[idx])
            l.backward()
            opt.step()
            lv = float(l)
            seconds += time.perf_counter() - t0
            step += 1
            total += lv
            if log:
                log.write(json.dumps({"step": step, "epoch": epoch, "loss": lv}) + "\n")
        tl, ta = evaluate(model, xt, yt, a.loss)
        rec = {"epoch": epoch, "train_loss": total / max(nsteps, 1), "test_loss": tl,
               "test_accuracy": ta, "seconds": seconds}
        print("epoch %d: train_loss %.4f test_loss %.4f test_accuracy %.4f (%.2fs)"
              % (epoch, rec["train_loss"], tl, ta, seconds))
        if log:
            log.write(json.dumps(rec) + "\n")
            log.flush()
    if log:
        log.close()
    return 0


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("compile", "train"):
        print(__doc__)
        return 2
    return (compile_ if sys.argv[1] == "compile" else train)(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
