#!/usr/bin/python3
"""SIGKILL a real training run at random moments, resume it each time, and compare the final weights
byte for byte with an uninterrupted run of the same command (same seed, threads, shuffling, dropout).

Usage: kill_resume.py TRAINER --work DIR [--kills N] [--seed S] -- TRAINER_FLAGS...
Prints one line per kill, then 'kill_resume: PASS' or 'kill_resume: FAIL ...'; exits non-zero on failure.
"""
import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time


def run(cmd, timeout=None):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout)


def step_records(path):
    with open(path) as f:
        return [line for line in f if line.startswith('{"step"')]


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("trainer")
    p.add_argument("--work", required=True)
    p.add_argument("--kills", type=int, default=5)
    p.add_argument("--seed", type=int, default=None, help="seed of the kill moments (default: random, printed)")
    p.add_argument("--name", default="kill_resume")
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    a = p.parse_args(argv[:split])
    a.flags = argv[split + 1:]
    os.makedirs(a.work, exist_ok=True)
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    ref_w, res_w = os.path.join(a.work, "ref.w"), os.path.join(a.work, "res.w")
    ref_log, res_log = os.path.join(a.work, "ref.jsonl"), os.path.join(a.work, "res.jsonl")
    ckpt = os.path.join(a.work, "ckpt")

    # The uninterrupted run, timing its start-up (until the first step is logged) and its whole length.
    start = time.monotonic()
    proc = subprocess.Popen([a.trainer] + a.flags + ["--save-weights=" + ref_w, "--log=" + ref_log],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    startup = None
    for line in proc.stdout:  # the trainer flushes its "data: ..." line just before the first step
        if startup is None and line.startswith("data:"):
            startup = time.monotonic() - start
    proc.wait()
    duration = time.monotonic() - start
    if proc.returncode != 0:
        print(f"{a.name}: FAIL (uninterrupted run exited {proc.returncode}: {proc.stderr.read().strip()})")
        return 1
    startup = startup if startup is not None else duration / 2
    print(f"{a.name}: uninterrupted run {duration:.1f} s ({startup:.1f} s to the first step), kill seed {seed}")

    # One command line both starts and continues the job.
    cmd = [a.trainer] + a.flags + ["--checkpoint=" + ckpt, "--resume", "--save-weights=" + res_w, "--log=" + res_log]
    kills = 0
    attempts = 0
    while kills < a.kills:
        attempts += 1
        if attempts > 4 * a.kills:
            print(f"{a.name}: FAIL (only {kills} of {a.kills} kills landed before the run finished)")
            return 1
        # The first kill lands in start-up (data loading); the others anywhere in a slice of training
        # short enough that N kills fit before the run ends: mid-step or while a checkpoint is written.
        if kills == 0:
            delay = rng.uniform(0.1, 0.9) * startup
        else:
            delay = startup + rng.uniform(0.1, 1.0) * (duration - startup) / a.kills
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
            ckpts = sorted(f for f in os.listdir(ckpt) if f.endswith(".mlcckpt")) if os.path.isdir(ckpt) else []
            last = ckpts[-1] if ckpts else "none"
            print(f"{a.name}: kill {kills} after {delay:.2f} s (newest checkpoint: {last})")
            continue
        err = proc.stderr.read()
        if proc.returncode != 0:
            print(f"{a.name}: FAIL (a resumed run exited {proc.returncode}: {err.strip()})")
            return 1
        # It finished before the kill: start the interrupted job over so every kill lands in training.
        for f in (res_w, res_log):
            if os.path.exists(f):
                os.remove(f)
        for f in os.listdir(ckpt):
            os.remove(os.path.join(ckpt, f))
        kills = 0
        print(f"{a.name}: the run finished within {delay:.2f} s; starting over")

    final = run(cmd)
    if final.returncode != 0:
        print(f"{a.name}: FAIL (the last resume exited {final.returncode}: {final.stderr.strip()})")
        return 1
    with open(ref_w, "rb") as f:
        ref_bytes = f.read()
    with open(res_w, "rb") as f:
        res_bytes = f.read()
    if ref_bytes != res_bytes:
        i = first_difference(ref_bytes, res_bytes)
        print(f"{a.name}: FAIL final weights differ: {len(res_bytes)} vs {len(ref_bytes)} bytes, first difference at byte {i}")
        return 1
    print(f"{a.name}: final weights after {kills} kills: {len(res_bytes)} bytes, byte-identical to the uninterrupted run")
    ref_steps, res_steps = step_records(ref_log), step_records(res_log)
    if ref_steps != res_steps:
        i = first_difference(ref_steps, res_steps)
        print(f"{a.name}: FAIL step logs differ at record {i} ({len(res_steps)} vs {len(ref_steps)} records)")
        return 1
    print(f"{a.name}: step log: {len(res_steps)} records identical (losses and learning rates)")
    print(f"{a.name}: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
