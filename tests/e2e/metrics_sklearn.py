#!/usr/bin/python3
"""The runtime's metrics (tests/unit/runtime/metrics_cli) against scikit-learn on random inputs.

Classification: random softmax scores with labels correlated to them (binary and 3/10 classes, with
ties), accuracy, top-k, per-class and macro/weighted precision/recall/F1, ROC-AUC and PR-AUC
(one-vs-rest macro); regression (1 and 3 outputs): MSE, RMSE, MAE, R^2. Prints the worst absolute
difference and PASS/FAIL (tolerance 1e-6).

Usage: metrics_sklearn.py METRICS_CLI [--trials N]
"""
import argparse
import subprocess
import sys

import warnings

import numpy as np
from sklearn import metrics as skm
from sklearn.preprocessing import label_binarize


def ours(cli, header, rows):
    text = header + "\n" + "\n".join(" ".join(repr(float(v)) if not isinstance(v, (int, np.integer)) else str(v)
                                             for v in row) for row in rows) + "\n"
    r = subprocess.run([cli], input=text, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=True)
    return {k: float(v) for k, v in (line.split() for line in r.stdout.splitlines())}


def classification_case(rng, k, n):
    logits = rng.normal(size=(n, k))
    labels = np.argmax(logits + rng.normal(scale=1.5, size=(n, k)), axis=1)
    labels[:k] = np.arange(k)  # every class present
    logits = np.round(logits, 1)  # ties, in scores and in the argmax
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    return p, labels


def expected_classification(p, y, k, top_k):
    labels = list(range(k))
    pred = np.argmax(p, axis=1)
    e = {"accuracy": skm.accuracy_score(y, pred),
         "top%d_accuracy" % top_k: skm.top_k_accuracy_score(y, p, k=top_k, labels=labels) if k > 2 else
         skm.accuracy_score(y, pred) if top_k == 1 else 1.0}
    for avg in ("macro", "weighted"):
        e["precision_" + avg] = skm.precision_score(y, pred, labels=labels, average=avg, zero_division=0)
        e["recall_" + avg] = skm.recall_score(y, pred, labels=labels, average=avg, zero_division=0)
        e["f1_" + avg] = skm.f1_score(y, pred, labels=labels, average=avg, zero_division=0)
    for name, fn in (("precision", skm.precision_score), ("recall", skm.recall_score), ("f1", skm.f1_score)):
        for c, v in enumerate(fn(y, pred, labels=labels, average=None, zero_division=0)):
            e["%s_%d" % (name, c)] = v
    if k == 2:
        e["roc_auc"] = skm.roc_auc_score(y, p[:, 1])
        e["pr_auc"] = skm.average_precision_score(y, p[:, 1])
    else:
        e["roc_auc"] = skm.roc_auc_score(y, p, multi_class="ovr", average="macro", labels=labels)
        e["pr_auc"] = skm.average_precision_score(label_binarize(y, classes=labels), p, average="macro")
    return e


def main():
    warnings.filterwarnings("ignore", module="sklearn")  # k >= classes makes top-k trivially 1
    ap = argparse.ArgumentParser()
    ap.add_argument("cli")
    ap.add_argument("--trials", type=int, default=5)
    ap.add_argument("--tol", type=float, default=1e-6)
    a = ap.parse_args()
    rng = np.random.default_rng(0)
    worst, worst_name, compared = 0.0, "", 0
    for trial in range(a.trials):
        for k in (2, 3, 10):
            n = int(rng.integers(50, 400))
            p, y = classification_case(rng, k, n)
            top_k = min(5, k)
            got = ours(a.cli, "classification %d %d" % (k, n), [[int(y[i])] + list(p[i]) for i in range(n)])
            for name, v in expected_classification(p, y, k, top_k).items():
                d = abs(got[name] - v)
                compared += 1
                if not d <= worst:
                    worst, worst_name = d, "%s (k=%d, n=%d)" % (name, k, n)
        for outputs in (1, 3):
            n = int(rng.integers(20, 300))
            target = rng.normal(size=(n, outputs)).astype(np.float32)
            pred = (target + rng.normal(scale=0.5, size=(n, outputs))).astype(np.float32)
            got = ours(a.cli, "regression %d %d" % (outputs, n),
                       [list(pred[i]) + list(target[i]) for i in range(n)])
            t, q = target.astype(np.float64), pred.astype(np.float64)
            mse = skm.mean_squared_error(t, q)
            for name, v in (("mse", mse), ("rmse", np.sqrt(mse)), ("mae", skm.mean_absolute_error(t, q)),
                            ("r2", skm.r2_score(t, q))):
                d = abs(got[name] - v)
                compared += 1
                if not d <= worst:
                    worst, worst_name = d, "%s (outputs=%d, n=%d)" % (name, outputs, n)
    print("metrics_sklearn: %d values compared, worst absolute difference %.3g (%s)" % (compared, worst, worst_name))
    ok = worst <= a.tol
    print("metrics_sklearn: " + ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
