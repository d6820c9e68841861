#!/usr/bin/python3
"""Check an mlc trainer --log file: record count/keys, falling step loss, and minimum test accuracy."""
import argparse
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_reference import read_log  # noqa: E402  (imports torch; fine for a test)

STEP_KEYS = ("step", "epoch", "loss")
EPOCH_KEYS = ("epoch", "train_loss", "test_loss", "test_accuracy", "seconds")


def check(path, steps, epochs, min_accuracy, drop, window=10, name="train"):
    """Return a list of failure messages (empty if the log passes)."""
    fails = []
    try:
        srecs, erecs = read_log(path)
    except (OSError, ValueError) as e:
        return ["cannot read log %s: %s" % (path, e)]
    if len(srecs) != steps:
        fails.append("%d step records, expected %d" % (len(srecs), steps))
    if len(erecs) != epochs:
        fails.append("%d epoch records, expected %d" % (len(erecs), epochs))
    for r in srecs:
        missing = [k for k in STEP_KEYS if k not in r]
        if missing:
            fails.append("step record missing %s: %s" % (missing, r))
            break
    for r in erecs:
        missing = [k for k in EPOCH_KEYS if k not in r]
        if missing:
            fails.append("epoch record missing %s: %s" % (missing, r))
    if [r.get("step") for r in srecs] != list(range(1, len(srecs) + 1)):
        fails.append("step numbers are not 1..%d" % len(srecs))
    losses = [float(r.get("loss", "nan")) for r in srecs]
    if any(not math.isfinite(l) for l in losses):
        fails.append("non-finite step loss")
    if len(losses) >= 2 * window:
        first = sum(losses[:window]) / window
        last = sum(losses[-window:]) / window
        print("%s: mean loss of first %d steps %.4f, last %d steps %.4f (ratio %.3f, need < %.2f)"
              % (name, window, first, window, last, last / first if first else float("nan"), drop))
        if not last < drop * first:
            fails.append("loss did not fall enough: last/first = %.3f, need < %.2f" % (last / first, drop))
    else:
        fails.append("too few steps (%d) to judge the loss curve" % len(losses))
    for r in erecs:
        acc = float(r.get("test_accuracy", "nan"))
        print("%s: epoch %s train_loss %.4f test_loss %.4f test_accuracy %.4f seconds %.3f"
              % (name, r.get("epoch"), float(r.get("train_loss", "nan")), float(r.get("test_loss", "nan")),
                 acc, float(r.get("seconds", "nan"))))
    if erecs:
        acc = float(erecs[-1].get("test_accuracy", "nan"))
        if not acc > min_accuracy:
            fails.append("test_accuracy %.4f not > %.2f" % (acc, min_accuracy))
    return fails


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("log")
    p.add_argument("--steps", type=int, required=True, help="expected number of step records")
    p.add_argument("--epochs", type=int, default=1, help="expected number of epoch records")
    p.add_argument("--min-accuracy", type=float, required=True, help="final test_accuracy must exceed this")
    p.add_argument("--drop", type=float, default=0.6,
                   help="mean loss of the last 10 steps must be < DROP * mean of the first 10")
    p.add_argument("--name", default="train", help="label for the PASS/FAIL line")
    a = p.parse_args(argv)
    fails = check(a.log, a.steps, a.epochs, a.min_accuracy, a.drop, name=a.name)
    for f in fails:
        print("%s: %s" % (a.name, f))
    print("%s: %s" % (a.name, "PASS" if not fails else "FAIL"))
    return 0 if not fails else 1


if __name__ == "__main__":
    sys.exit(main())
