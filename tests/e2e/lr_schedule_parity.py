#!/usr/bin/python3
"""Per-step learning rates of the trainer's --lr-schedule against torch.optim.lr_scheduler.

Trains a fake model (tests/unit/runtime/fake_trainer: the runtime's real training loop around a tiny
softmax regression) on generated 2x2 IDX data with each schedule, reads the "lr" of every step from
its JSON log, and replays the same schedule in PyTorch (stepped once per batch; plateau once per epoch
on the logged train_loss). Prints the largest difference per schedule and PASS/FAIL.

Usage: lr_schedule_parity.py TRAINER [--tol 1e-8]
"""
import argparse
import gzip
import json
import os
import struct
import subprocess
import sys
import tempfile

import warnings

import torch

# SequentialLR steps its schedules with an epoch argument internally, which torch 1.13 warns about.
warnings.filterwarnings("ignore", category=UserWarning, module="torch.optim.lr_scheduler")


def write_idx(path, dims, data):
    with open(path, "wb") as f:
        f.write(struct.pack(">BBBB", 0, 0, 0x08, len(dims)))
        f.write(struct.pack(">" + "I" * len(dims), *dims))
        f.write(bytes(data))


def write_toy_data(d, n_train=258, n_test=20):
    """Learnable toy data for the fake model: 4 pixels, label = which of the first 3 is brightest."""
    import random
    rng = random.Random(1)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        px = [rng.randrange(256) for _ in range(4 * n)]
        labels = [max(range(3), key=lambda c: px[4 * i + c]) for i in range(n)]
        write_idx(os.path.join(d, prefix + "-images-idx3-ubyte"), [n, 2, 2], px)
        write_idx(os.path.join(d, prefix + "-labels-idx1-ubyte"), [n], labels)


def run_trainer(trainer, data, flags, log, field="lr"):
    cmd = [trainer, "--data=" + data, "--log=" + log] + flags
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise RuntimeError(" ".join(cmd) + " failed: " + r.stderr.strip())
    steps, epochs = [], []
    for line in open(log):
        rec = json.loads(line)
        if "step" in rec:
            steps.append(rec.get(field))
        elif "train_loss" in rec:
            epochs.append(rec["train_loss"])
    return steps, epochs


def torch_lrs(case, base_lr, total, steps_per_epoch, epoch_losses, field="lr"):
    """The rate torch uses at each step: param_groups[0]['lr'] before optimizer.step() (field
    "momentum": Adam's beta1 as OneCycleLR cycles it)."""
    p = torch.nn.Parameter(torch.zeros(1))
    opt = (torch.optim.Adam([p], lr=base_lr) if field == "momentum" else
           torch.optim.SGD([p], lr=base_lr, momentum=0.9))
    S = torch.optim.lr_scheduler
    kind, kw = case["torch"]
    warmup = case.get("warmup", 0)
    main_steps = total - warmup
    if kind == "constant":
        main = S.LambdaLR(opt, lambda t: 1.0)
    elif kind == "step":
        main = S.StepLR(opt, step_size=kw["step"], gamma=kw["gamma"])
    elif kind == "multistep":
        main = S.MultiStepLR(opt, milestones=kw["milestones"], gamma=kw["gamma"])
    elif kind == "exponential":
        main = S.ExponentialLR(opt, gamma=kw["gamma"])
    elif kind == "cosine":
        main = S.CosineAnnealingLR(opt, T_max=kw.get("period", main_steps), eta_min=kw.get("min", 0.0))
    elif kind == "cosine-restarts":
        main = S.CosineAnnealingWarmRestarts(opt, T_0=kw["period"], T_mult=kw["t_mult"], eta_min=kw["min"])
    elif kind == "onecycle":
        main = S.OneCycleLR(opt, max_lr=base_lr, total_steps=main_steps)
    elif kind == "plateau":
        main = S.ReduceLROnPlateau(opt, mode="min", factor=kw["factor"], patience=kw["patience"],
                                   threshold=kw["threshold"], min_lr=kw.get("min", 0.0))
    sched = main
    if warmup:
        for g in opt.param_groups:  # LinearLR and the main schedule both start from the base rate
            g["lr"] = base_lr
        warm = S.LinearLR(opt, start_factor=kw.get("start_factor", 1.0 / 3.0), end_factor=1.0, total_iters=warmup)
        sched = S.SequentialLR(opt, [warm, main], milestones=[warmup])
    lrs = []
    for t in range(total):
        g = opt.param_groups[0]
        lrs.append(g["betas"][0] if field == "momentum" else g["lr"])
        opt.step()
        if kind == "plateau":
            if (t + 1) % steps_per_epoch == 0:
                main.step(epoch_losses[(t + 1) // steps_per_epoch - 1])
        else:
            sched.step()
    return lrs


CASES = [
    {"name": "constant", "flags": [], "torch": ("constant", {})},
    {"name": "step", "flags": ["--lr-schedule=step", "--lr-step=7", "--lr-gamma=0.5"],
     "torch": ("step", {"step": 7, "gamma": 0.5})},
    {"name": "multistep", "flags": ["--lr-schedule=multistep", "--lr-milestones=10,25,40", "--lr-gamma=0.3"],
     "torch": ("multistep", {"milestones": [10, 25, 40], "gamma": 0.3})},
    {"name": "exponential", "flags": ["--lr-schedule=exponential", "--lr-gamma=0.97"],
     "torch": ("exponential", {"gamma": 0.97})},
    {"name": "cosine", "flags": ["--lr-schedule=cosine", "--lr-min=0.001"], "torch": ("cosine", {"min": 0.001})},
    {"name": "cosine+warmup", "flags": ["--lr-schedule=cosine", "--warmup-steps=10"], "warmup": 10,
     "torch": ("cosine", {})},
    {"name": "cosine period 30", "flags": ["--lr-schedule=cosine", "--lr-period=30"], "torch": ("cosine", {"period": 30})},
    {"name": "cosine-restarts", "flags": ["--lr-schedule=cosine-restarts", "--lr-period=10", "--lr-t-mult=2", "--lr-min=0.0005"],
     "torch": ("cosine-restarts", {"period": 10, "t_mult": 2, "min": 0.0005})},
    {"name": "onecycle", "flags": ["--lr-schedule=onecycle"], "torch": ("onecycle", {})},
    {"name": "step+warmup 0.1", "flags": ["--lr-schedule=step", "--lr-step=20", "--warmup-steps=8", "--warmup-start-factor=0.1"],
     "warmup": 8, "torch": ("step", {"step": 20, "gamma": 0.1, "start_factor": 0.1})},
    {"name": "plateau", "flags": ["--lr-schedule=plateau", "--plateau-patience=1", "--plateau-factor=0.5",
                                  "--plateau-threshold=0.3", "--lr-min=0.02"],
     "torch": ("plateau", {"patience": 1, "factor": 0.5, "threshold": 0.3, "min": 0.02})},
]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("trainer")
    p.add_argument("--adam-trainer", help="the Adam fake trainer: also compares one-cycle's beta1 cycling")
    # The log prints rates with 9 significant digits (a float round-trips; the model takes the rate as
    # a float), so equal schedules differ by up to 5e-9 relative there.
    p.add_argument("--tol", type=float, default=1e-8, help="largest relative difference allowed")
    a = p.parse_args()
    base_lr = 0.2
    worst_all = 0.0
    ok = True
    with tempfile.TemporaryDirectory() as d:
        write_toy_data(d)
        for case in CASES:
            # 258 samples, batch 4: 64 steps per epoch; limit-train=40 gives 10 steps per epoch.
            flags = ["--lr=%r" % base_lr, "--epochs=8", "--limit-train=40", "--seed=1"] + case["flags"]
            ours, losses = run_trainer(a.trainer, d, flags, os.path.join(d, "log.jsonl"))
            ref = torch_lrs(case, base_lr, len(ours), 10, losses)
            worst = max(abs(x - y) / max(abs(y), 1e-30) for x, y in zip(ours, ref))
            worst_abs = max(abs(x - y) for x, y in zip(ours, ref))
            distinct = len(set("%.6g" % v for v in ours))
            good = len(ours) == len(ref) == 80 and worst <= a.tol
            ok = ok and good
            worst_all = max(worst_all, worst)
            print("%-18s %3d steps, %2d distinct rates, max abs difference %.3g, max relative difference %.3g %s"
                  % (case["name"], len(ours), distinct, worst_abs, worst, "ok" if good else "FAIL"))
        if a.adam_trainer:
            case = {"name": "onecycle beta1", "flags": ["--lr-schedule=onecycle"], "torch": ("onecycle", {})}
            flags = ["--lr=%r" % base_lr, "--epochs=8", "--limit-train=40", "--seed=1"] + case["flags"]
            ours, losses = run_trainer(a.adam_trainer, d, flags, os.path.join(d, "log.jsonl"), "momentum")
            ref = torch_lrs(case, base_lr, len(ours), 10, losses, "momentum")
            worst = max(abs(x - y) / max(abs(y), 1e-30) for x, y in zip(ours, ref))
            good = len(ours) == len(ref) == 80 and worst <= a.tol
            ok = ok and good
            worst_all = max(worst_all, worst)
            print("%-18s %3d steps, adam's beta1 cycled, max relative difference %.3g %s"
                  % (case["name"], len(ours), worst, "ok" if good else "FAIL"))
    print("lr_schedule_parity: worst relative difference %.3g over %d schedules" % (worst_all, len(CASES)))
    print("lr_schedule_parity: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
