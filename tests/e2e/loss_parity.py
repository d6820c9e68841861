#!/usr/bin/python3
"""Per-step loss parity of every loss, loss option and regularization mlc compiles against PyTorch.

For each case: a small MLP (8 inputs) is exported to ONNX with a seeded init, compiled with
`mlc compile --loss=... [--reduction=sum] [--label-smoothing]`, trained by the trainer with SGD on
seeded synthetic .npz data in file order (--no-shuffle) for 50 steps, and its logged per-step losses
are compared with PyTorch float32 training the same weights on the same batches with the matching
torch loss; and the trainer's test loss of the final weights (on 100 samples: a padded last batch) is
compared with torch's on the same test set. Regularization cases compile --weight-decay, --l1 or
--clip (with --decay-all or not) and compare with torch's optimizer weight_decay (on the weights'
parameter group, or all), an L1 penalty added to the loss, and clip_grad_value_/clip_grad_norm_
before the step; the logged data loss is compared. Prints one table row per case (the worst relative
per-step difference, the test-loss difference) and PASS/FAIL against --tol (relative).

Usage: loss_parity.py --mlc build/bin/mlc [--steps 50] [--tol 1e-4] [--only NAME,...]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from torch_reference import OnnxTorchModel, make_optimizer  # noqa: E402

BATCH = 32
FEATURES = 8


def make_data(kind, n, seed):
    """Seeded synthetic samples: float targets (3 outputs), classes (3), binary (0/1), or inputs."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, FEATURES)).astype(np.float32)
    w = np.random.default_rng(99).standard_normal((FEATURES, 3)).astype(np.float32)
    z = x @ w
    if kind == "regression":
        y = (z + 0.1 * rng.standard_normal(z.shape)).astype(np.float32)
    elif kind == "classes":
        y = z.argmax(1).astype(np.int64)
    elif kind == "binary":
        y = (z[:, :1] + 0.3 * rng.standard_normal((n, 1)) > 0).astype(np.int64)
    else:  # autoencoder: the target is the input
        y = x
    return x, y


def build_model(outputs, head, hidden, seed):
    torch.manual_seed(seed)
    layers = [nn.Linear(FEATURES, hidden), nn.Tanh(), nn.Linear(hidden, outputs)]
    if head == "sigmoid":
        layers.append(nn.Sigmoid())
    elif head == "log_softmax":
        layers.append(nn.LogSoftmax(dim=1))
    return nn.Sequential(*layers)


def torch_loss(case, out, y):
    name, red = case["loss"], case.get("reduction", "mean")
    w = torch.tensor(case["weights"], dtype=torch.float32) if "weights" in case else None
    if name == "cross_entropy":
        return F.cross_entropy(out, y, weight=w, reduction=red, label_smoothing=case.get("smoothing", 0.0))
    if name == "nll":
        return F.nll_loss(out, y, weight=w, reduction=red)
    if w is not None:  # a binary loss: each term weighted by its target's class
        w = w[y.long()].reshape(out.shape)
    if y.dtype == torch.int64:  # class data for a float-target loss: one-hot, or 0/1 for one output
        y = F.one_hot(y, out.shape[1]).float() if out.shape[1] > 1 and y.dim() == 1 else y.float()
    if name == "mse":
        return F.mse_loss(out, y, reduction=red)
    if name == "l1":
        return F.l1_loss(out, y, reduction=red)
    if name == "huber":
        return F.huber_loss(out, y, reduction=red, delta=case["delta"])
    if name == "smooth_l1":
        return F.smooth_l1_loss(out, y, reduction=red, beta=case["delta"])
    if name == "bce_logits":
        return F.binary_cross_entropy_with_logits(out, y, weight=w, reduction=red)
    if name == "bce":
        return F.binary_cross_entropy(out, y, weight=w, reduction=red)
    raise ValueError(name)


# name, loss, data, outputs, head, lr, compile flags, trainer flags, torch options
CASES = [
    dict(name="cross_entropy", loss="cross_entropy", data="classes", outputs=3, lr=0.1),
    dict(name="cross_entropy sum", loss="cross_entropy", data="classes", outputs=3, lr=0.005, reduction="sum"),
    dict(name="cross_entropy smoothing 0.1", loss="cross_entropy", data="classes", outputs=3, lr=0.1, smoothing=0.1),
    dict(name="nll (log_softmax)", loss="nll", data="classes", outputs=3, head="log_softmax", lr=0.1),
    dict(name="mse", loss="mse", data="regression", outputs=3, lr=0.02),
    dict(name="mse sum", loss="mse", data="regression", outputs=3, lr=0.0005, reduction="sum"),
    dict(name="mse one-hot classes", loss="mse", data="classes", outputs=3, lr=0.1),
    dict(name="l1", loss="l1", data="regression", outputs=3, lr=0.05),
    dict(name="huber delta 0.5", loss="huber", data="regression", outputs=3, lr=0.05, delta=0.5),
    dict(name="smooth_l1 beta 2", loss="smooth_l1", data="regression", outputs=3, lr=0.05, delta=2.0),
    dict(name="bce_logits", loss="bce_logits", data="binary", outputs=1, lr=0.1),
    dict(name="bce (sigmoid)", loss="bce", data="binary", outputs=1, head="sigmoid", lr=0.1),
    dict(name="bce_logits sum", loss="bce_logits", data="binary", outputs=1, lr=0.005, reduction="sum"),
    dict(name="autoencoder mse", loss="mse", data="input", outputs=FEATURES, hidden=4, lr=0.05),
    dict(name="cross_entropy class weights", loss="cross_entropy", data="classes", outputs=3, lr=0.1,
         weights=[0.5, 2.0, 1.25]),
    dict(name="cross_entropy weights auto", loss="cross_entropy", data="classes", outputs=3, lr=0.1, weights="auto"),
    dict(name="ce weights+smoothing sum", loss="cross_entropy", data="classes", outputs=3, lr=0.005, reduction="sum",
         smoothing=0.2, weights=[0.5, 2.0, 1.25]),
    dict(name="nll class weights", loss="nll", data="classes", outputs=3, head="log_softmax", lr=0.1,
         weights=[2.0, 1.0, 0.3]),
    dict(name="bce_logits class weights", loss="bce_logits", data="binary", outputs=1, lr=0.1, weights=[0.4, 3.0]),
    dict(name="bce class weights sum", loss="bce", data="binary", outputs=1, head="sigmoid", lr=0.005,
         reduction="sum", weights=[1.5, 0.5]),
    dict(name="sgd wd weights only", loss="cross_entropy", data="classes", outputs=3, lr=0.1, wd=0.05),
    dict(name="sgd wd --decay-all", loss="cross_entropy", data="classes", outputs=3, lr=0.1, wd=0.05,
         decay_all=True),
    dict(name="adamw wd weights only", loss="mse", data="regression", outputs=3, lr=0.01, optimizer="adamw",
         wd=0.1),
    dict(name="l1 0.01", loss="cross_entropy", data="classes", outputs=3, lr=0.1, l1=0.01),
    dict(name="l1 --decay-all", loss="mse", data="regression", outputs=3, lr=0.02, l1=0.01, decay_all=True),
    dict(name="clip-norm 0.5", loss="mse", data="regression", outputs=3, lr=0.05, clip_norm=0.5),
    dict(name="clip-value 0.05", loss="cross_entropy", data="classes", outputs=3, lr=0.1, clip_value=0.05),
    dict(name="adam l1+clip both", loss="cross_entropy", data="classes", outputs=3, lr=0.01, optimizer="adam",
         l1=0.001, clip_norm=0.3, clip_value=0.02),
]


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise RuntimeError(" ".join(cmd) + " failed:\n" + r.stdout + r.stderr)
    return r.stdout


def check_case(case, args, work):
    tag = case["name"].replace(" ", "_").replace("(", "").replace(")", "")
    steps = args.steps
    x, y = make_data(case["data"], BATCH * steps, seed=1)
    xt, yt = make_data(case["data"], 100, seed=2)  # 3 full batches and a padded one
    train, test = os.path.join(work, tag + ".train.npz"), os.path.join(work, tag + ".test.npz")
    np.savez(train, x=x, y=y)
    np.savez(test, x=xt, y=yt)
    model = build_model(case["outputs"], case.get("head"), case.get("hidden", 16), seed=3)
    onnx_path = os.path.join(work, tag + ".onnx")
    torch.onnx.export(model, torch.zeros(1, FEATURES), onnx_path, input_names=["x"], output_names=["y"],
                      opset_version=13, do_constant_folding=False,
                      dynamic_axes={"x": {0: "N"}, "y": {0: "N"}})
    exe = os.path.join(work, tag)
    optimizer = case.get("optimizer", "sgd")
    compile_cmd = [args.mlc, "compile", onnx_path, "--loss=" + case["loss"], "--batch=%d" % BATCH,
                   "--optimizer=" + optimizer, "-o", exe]
    if "wd" in case and optimizer != "adamw":
        compile_cmd.append("--weight-decay")
    if case.get("decay_all"):
        compile_cmd.append("--decay-all")
    if "l1" in case:
        compile_cmd.append("--l1")
    if "clip_norm" in case or "clip_value" in case:
        compile_cmd.append("--clip")
    if "weights" in case:
        compile_cmd.append("--class-weights")
        if case["weights"] == "auto":  # n / (K n_c) over the training labels, as the trainer computes it
            counts = np.bincount(y, minlength=case["outputs"]).astype(np.float64)
            case = dict(case, flag_weights="auto", weights=list(len(y) / (case["outputs"] * counts)))
    if case.get("reduction"):
        compile_cmd.append("--reduction=" + case["reduction"])
    if "smoothing" in case:
        compile_cmd.append("--label-smoothing")
    run(compile_cmd)
    log = os.path.join(work, tag + ".jsonl")
    train_cmd = [exe, "--train=" + train, "--test=" + test, "--no-shuffle", "--epochs=1", "--lr=%g" % case["lr"],
                 "--log=" + log, "--threads=1"]
    if case["data"] == "input":
        train_cmd.append("--target=input")
    if "delta" in case:
        train_cmd.append("--delta=%g" % case["delta"])
    if "smoothing" in case:
        train_cmd.append("--label-smoothing=%g" % case["smoothing"])
    for key, flag in (("wd", "--weight-decay"), ("l1", "--l1"), ("clip_norm", "--clip-norm"),
                      ("clip_value", "--clip-value")):
        if key in case:
            train_cmd.append("%s=%g" % (flag, case[key]))
    if "weights" in case:
        train_cmd.append("--class-weights=" + case.get("flag_weights", ",".join("%r" % w for w in case["weights"])))
    run(train_cmd)
    records = [json.loads(l) for l in open(log)]
    got = [r["loss"] for r in records if "step" in r]
    final = [r for r in records if r.get("final")][0]

    torch.set_num_threads(1)
    ref_model = OnnxTorchModel(onnx_path)
    params = list(ref_model.parameters())
    opt = make_optimizer(optimizer, params, case["lr"], {"weight_decay": case["wd"]} if "wd" in case else {},
                         decay_all=case.get("decay_all", False))
    penalized = [p for p in params if case.get("decay_all") or p.dim() >= 2]
    xs, ys = torch.from_numpy(x), torch.from_numpy(y)
    ref = []
    for s in range(steps):
        xb, yb = xs[s * BATCH:(s + 1) * BATCH], ys[s * BATCH:(s + 1) * BATCH]
        opt.zero_grad()
        loss = torch_loss(case, ref_model(xb), yb)
        total = loss + case["l1"] * sum(p.abs().sum() for p in penalized) if "l1" in case else loss
        total.backward()
        if "clip_value" in case:
            torch.nn.utils.clip_grad_value_(params, case["clip_value"])
        if "clip_norm" in case:
            torch.nn.utils.clip_grad_norm_(params, case["clip_norm"])
        opt.step()
        ref.append(float(loss))
    # The trainer's test loss of the final weights: over the whole test set per term (mean), or as the
    # sum over one batch (sum: the test set's sum scaled to BATCH samples).
    with torch.no_grad():
        xt_, yt_ = torch.from_numpy(xt), torch.from_numpy(yt)
        test_ref = float(torch_loss(case, ref_model(xt_), yt_))
        if case.get("reduction") == "sum":
            test_ref *= BATCH / xt.shape[0]
    test_diff = abs(final["test_loss"] - test_ref) / max(abs(test_ref), 1e-12)
    if len(got) != len(ref):
        return float("inf"), 0, ref, got, test_diff
    diffs = [abs(a - b) / max(abs(b), 1e-12) for a, b in zip(got, ref)]
    worst = max(range(len(diffs)), key=lambda i: diffs[i])
    return diffs[worst], worst, ref, got, test_diff


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mlc", required=True)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--tol", type=float, default=1e-4)
    p.add_argument("--only", default="", help="comma-separated case names")
    args = p.parse_args(argv)
    only = [s for s in args.only.split(",") if s]
    failed = 0
    print("%-28s %6s %12s %12s %12s %12s  %s" % ("loss", "steps", "first", "last", "worst rel", "test loss", "result"))
    with tempfile.TemporaryDirectory(prefix="mlc_loss_parity.") as work:
        for case in CASES:
            if only and case["name"] not in only:
                continue
            worst, at, ref, got, test_diff = check_case(case, args, work)
            ok = worst <= args.tol and test_diff <= args.tol
            failed += not ok
            print("%-28s %6d %12.6g %12.6g %12.2e %12.2e  %s" % (case["name"], len(got), ref[0], ref[-1], worst, test_diff,
                                                        "PASS" if ok else "FAIL (step %d: mlc %.9g, torch %.9g)" %
                                                        (at + 1, got[at] if at < len(got) else float("nan"), ref[at])))
            sys.stdout.flush()
    print("loss parity: %s" % ("PASS" if failed == 0 else "FAIL (%d cases)" % failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
