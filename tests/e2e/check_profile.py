#!/usr/bin/python3
"""Checks a trainer's --profile report against the two-conv CNN it profiled (models/cnn, batch 64):
the FLOPs per group equal the model's own arithmetic (2 N OH OW F C KH KW per convolution pass,
2 M N K per dense product), every group a CNN step has is there, and the ops' times add up to the
step's time. Prints `NAME: PASS` or `NAME: FAIL (...)`.

Usage: check_profile.py REPORT_FILE [--name NAME]
"""
import argparse
import re
import sys


def expected_gflop():
    n = 64
    conv = [(28, 28, 32, 1, 5, 5), (14, 14, 64, 32, 5, 5)]  # OH, OW, F, C, KH, KW (same padding)
    per_pass = sum(2 * n * oh * ow * f * c * kh * kw for oh, ow, f, c, kh, kw in conv)
    dense = [(64, 1024, 3136), (64, 10, 1024)]  # M, N, K
    gemm = sum(2 * m * nn * k for m, nn, k in dense)
    # Forward and the filters' gradient of both convolutions; the input's gradient of the second
    # only (the first convolution's input is the data); forward and both gradients of the dense
    # layers (the first layer's input gradient flows back into the pooling).
    return {"conv_fwd": per_pass / 1e9, "conv_bwd_weights": per_pass / 1e9,
            "conv_bwd_data": 2 * n * 14 * 14 * 64 * 32 * 25 / 1e9, "gemm": 3 * gemm / 1e9}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report")
    ap.add_argument("--name", default="profile")
    a = ap.parse_args()
    text = open(a.report).read()
    problems = []
    head = re.search(r"profile: (\d+) steps? timed, ([\d.]+) ms/step; the step's (\d+) ops ([\d.]+) ms \(([\d.]+)%\)", text)
    if not head:
        print("%s: FAIL (no profile headline in the report)" % a.name)
        return 1
    share = float(head.group(5))
    if not 80.0 <= share <= 100.5:
        problems.append("ops take %.1f%% of the step (expected 80..100)" % share)
    groups = {}
    for m in re.finditer(r"^  ([a-z_]+) +(\d+) +([\d.]+) +([\d.]+)% +([\d.]+) +([\d.]+) +([\d.]+)$", text, re.M):
        groups[m.group(1)] = {"ops": int(m.group(2)), "ms": float(m.group(3)), "gflop": float(m.group(5)),
                              "gflops": float(m.group(6))}
    for name, gflop in expected_gflop().items():
        if name not in groups:
            problems.append("no %s group" % name)
        elif abs(groups[name]["gflop"] - gflop) > 1e-3 * gflop + 1e-4:
            problems.append("%s: %.4f GFLOP/step, the model has %.4f" % (name, groups[name]["gflop"], gflop))
        elif groups[name]["gflops"] <= 0:
            problems.append("%s: no GFLOP/s" % name)
    for name in ("optimizer", "windows"):
        if name not in groups:
            problems.append("no %s group" % name)
    if problems:
        print("%s: FAIL (%s)" % (a.name, "; ".join(problems)))
        return 1
    print("%s: PASS" % a.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
