#!/usr/bin/python3
"""Compares the per-step losses of two trainer --log files (e.g. CUDA vs CPU) and the final test accuracy."""
import argparse
import json
import sys


def read(path):
    steps, epochs = [], []
    with open(path) as f:
        for line in f:
            rec = json.loads(line)
            if "step" in rec:
                steps.append(rec)
            elif "train_loss" in rec:  # epoch records, not the final or confusion records
                epochs.append(rec)
    return steps, epochs


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("log", help="the log to check")
    p.add_argument("reference", help="the reference log")
    p.add_argument("--tol", type=float, default=1e-5, help="max per-step relative loss difference")
    p.add_argument("--steps", type=int, default=0, help="compare only the first N steps (0: all)")
    p.add_argument("--accuracy-tol", type=float, default=None,
                   help="max absolute difference of the last epoch's test accuracy")
    p.add_argument("--name", default="compare")
    a = p.parse_args()
    steps, epochs = read(a.log)
    ref_steps, ref_epochs = read(a.reference)
    n = a.steps or len(ref_steps)
    if len(steps) < n or len(ref_steps) < n or n == 0:
        print("%s: FAIL step counts %d and %d, need %d" % (a.name, len(steps), len(ref_steps), n))
        return 1
    worst, at = 0.0, 0
    for i in range(n):
        x, y = steps[i]["loss"], ref_steps[i]["loss"]
        rel = abs(x - y) / max(abs(y), 1e-12)
        if rel > worst:
            worst, at = rel, i + 1
    ok = worst <= a.tol
    print("%s: worst relative difference %.1e over %d steps (step %d)" % (a.name, worst, n, at))
    if a.accuracy_tol is not None:
        acc, ref_acc = epochs[-1]["test_accuracy"], ref_epochs[-1]["test_accuracy"]
        print("%s: test_accuracy %.4f vs %.4f" % (a.name, acc, ref_acc))
        ok &= abs(acc - ref_acc) <= a.accuracy_tol
    print("%s: %s" % (a.name, "PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
