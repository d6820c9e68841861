#!/usr/bin/python3
"""mlc's tabular examples on scikit-learn's bundled data sets, each against a scikit-learn reference.

Every example writes its CSV files (models/tabular/make_csv.py: one fixed 80/20 split), exports its
PyTorch model (models/tabular/export_tabular.py), compiles it with `mlc compile`, trains it from the
CSV files with the trainer, reads the trainer's final test metric, fits the scikit-learn reference on
the same rows and prints both. Acceptance per example:
  logistic breast_cancer   test accuracy >= LogisticRegression's (standardized features; mlc with
                           the same L2 penalty: weight decay 1/(C n) on the weights, C = 1)
  linear diabetes          |test R^2 - LinearRegression's| <= 0.01
  mlp diabetes             test R^2 >= MLPRegressor's - 0.05
  mlp wine_missing         test accuracy >= LogisticRegression's - 0.03 (mean imputation, one-hot region)
  imbalanced digits_nine   a logistic model on a 1:9 task, unweighted, with --class-weights=auto and
                           with --sampler=balanced: the minority class's test recall >= scikit-learn's
                           LogisticRegression (class_weight None / "balanced") - 0.03, and higher
                           with either remedy than without

Usage: tabular_examples.py --mlc build/bin/mlc [--only NAME,...]
"""
import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(os.path.dirname(os.path.dirname(HERE)), "models", "tabular")
sys.path.insert(0, MODELS)
import export_tabular  # noqa: E402
import make_csv  # noqa: E402


def read_table(path, target):
    """(numeric features with NaN for missing, text columns, target) of a CSV file."""
    with open(path) as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    t = header.index(target)
    numeric, text = [], []
    for c, name in enumerate(header):
        if c == t:
            continue
        cells = [r[c] for r in body]
        try:
            numeric.append([np.nan if v == "NA" else float(v) for v in cells])
        except ValueError:
            text.append(cells)
    y = [r[t] for r in body]
    return np.array(numeric).T, text, np.array(y)


def sklearn_reference(example, train, test):
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from sklearn.neural_network import MLPRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    target = example["target"]
    xn, xt, y = read_table(train, target)
    tn, tt, ty = read_table(test, target)
    kind = example["reference"]
    if kind == "wine":
        # Numeric columns: mean imputation then scaling; the text column: one-hot, missing as all zeros.
        def frame(n, t):
            return np.concatenate([n, np.array(t, dtype=object).T], axis=1)
        k = xn.shape[1]
        pre = ColumnTransformer([
            ("num", make_pipeline(SimpleImputer(strategy="mean"), StandardScaler()), list(range(k))),
            ("cat", OneHotEncoder(handle_unknown="ignore", categories=[["high", "low", "mid"]]), [k]),
        ])
        xt_ = [[v if v != "NA" else "missing" for v in col] for col in xt]
        tt_ = [[v if v != "NA" else "missing" for v in col] for col in tt]
        m = make_pipeline(pre, LogisticRegression(max_iter=5000)).fit(frame(xn, xt_), y)
        return float(m.score(frame(tn, tt_), ty)), ""
    if kind == "imbalanced":
        from sklearn.metrics import balanced_accuracy_score, recall_score
        m = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000, class_weight=example["sk_weight"]))
        p = m.fit(xn, y).predict(tn)
        return float(recall_score(ty, p, pos_label="1")), "balanced accuracy %.4f" % balanced_accuracy_score(ty, p)
    if kind == "logistic":
        from sklearn.metrics import log_loss
        m = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)).fit(xn, y)
        return float(m.score(tn, ty)), "test log loss %.4f" % log_loss(ty, m.predict_proba(tn))
    y, ty = y.astype(float), ty.astype(float)
    if kind == "linear":
        return float(LinearRegression().fit(xn, y).score(tn, ty)), ""
    if kind == "mlp":
        m = make_pipeline(StandardScaler(), MLPRegressor(hidden_layer_sizes=(64,), max_iter=5000, random_state=0))
        return float(m.fit(xn, y).score(tn, ty)), ""
    raise ValueError(kind)


EXAMPLES = [
    dict(name="logistic breast_cancer", data="breast_cancer", target="diagnosis", model="logistic", inputs=30,
         loss="bce_logits", batch=16, metric="accuracy", reference="logistic", accept="ge", slack=0.0,
         compile=["--weight-decay"],
         flags=["--standardize", "--epochs=100", "--lr=0.05", "--lr-schedule=cosine", "--weight-decay=%g" % (1 / 455)]),
    dict(name="linear diabetes", data="diabetes", target="progression", model="linear", inputs=10, loss="mse",
         batch=16, metric="r2", reference="linear", accept="abs", slack=0.01,
         flags=["--standardize", "--epochs=200", "--lr=1", "--lr-schedule=cosine"]),
    dict(name="mlp diabetes", data="diabetes", target="progression", model="mlp_regressor", inputs=10, loss="mse",
         batch=16, metric="r2", reference="mlp", accept="ge", slack=0.05,
         flags=["--standardize", "--epochs=100", "--lr=0.01", "--lr-schedule=cosine"]),
    dict(name="mlp wine_missing", data="wine_missing", target="cultivar", model="mlp_classifier", inputs=16,
         outputs=3, loss="cross_entropy", batch=16, metric="accuracy", reference="wine", accept="ge", slack=0.03,
         flags=["--standardize", "--missing=mean", "--epochs=60", "--lr=0.01"]),
] + [
    # sklearn's C = 1 penalty as weight decay 1 / (C n) on the weights, n = 1437 training rows.
    dict(name="imbalanced " + label, data="digits_nine", target="is_nine", model="logistic", inputs=64,
         loss="bce_logits", batch=32, metric="recall_1", reference="imbalanced", sk_weight=sk, accept="ge",
         slack=0.03, compile=["--weight-decay", "--class-weights"],
         flags=["--standardize", "--epochs=100", "--lr=0.01", "--lr-schedule=cosine", "--weight-decay=%g" % (1 / 1437),
                "--metrics=loss,accuracy,recall_1,recall_macro"] + extra)
    for label, sk, extra in (("unweighted", None, []), ("weights auto", "balanced", ["--class-weights=auto"]),
                             ("sampler", "balanced", ["--sampler=balanced"]))
]


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise RuntimeError(" ".join(cmd) + " failed:\n" + r.stdout + r.stderr)
    return r.stdout


def run_example(ex, args, work):
    train, test = make_csv.make(ex["data"], work)
    tag = ex["name"].replace(" ", "_")
    onnx_path = os.path.join(work, tag + ".onnx")
    export_tabular.export(ex["model"], ex["inputs"], onnx_path, ex.get("outputs", 1), seed=0)
    exe = os.path.join(work, tag)
    run([args.mlc, "compile", onnx_path, "--loss=" + ex["loss"], "--optimizer=adam", "--batch=%d" % ex["batch"],
         "-o", exe] + ex.get("compile", []))
    out = run([exe, "--train=" + train, "--test=" + test, "--target=" + ex["target"], "--threads=1"] + ex["flags"])
    if ex["metric"] == "recall_1":
        got = float(re.findall(r"test_recall_1 ([0-9.]+)", out)[-1])
    elif ex["metric"] == "accuracy":
        got = float(re.search(r"final test_accuracy ([0-9.]+)", out).group(1))
    else:
        got = float(re.search(r"final test_loss \S+ test_mse \S+ test_r2 (-?[0-9.]+)", out).group(1))
    notes = re.findall(r"^.*missing values.*$", out, re.M)
    if ex["reference"] == "logistic":
        losses = re.findall(r"test_loss ([0-9.]+)", out)
        notes.append("mlc test log loss %s" % losses[-1])
    if ex["reference"] == "imbalanced":
        notes.append("mlc balanced accuracy %s" % re.findall(r"test_recall_macro ([0-9.]+)", out)[-1])
    ref, ref_note = sklearn_reference(ex, train, test)
    if ref_note:
        notes.append("sklearn " + ref_note)
    ok = abs(got - ref) <= ex["slack"] + 5e-5 if ex["accept"] == "abs" else got >= ref - ex["slack"] - 5e-5
    return got, ref, ok, notes


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mlc", required=True)
    p.add_argument("--only", default="", help="comma-separated example names")
    args = p.parse_args(argv)
    only = [s for s in args.only.split(",") if s]
    failed = 0
    minority = {}
    print("%-24s %-9s %10s %10s  %s" % ("example", "metric", "mlc", "sklearn", "result"))
    with tempfile.TemporaryDirectory(prefix="mlc_tabular.") as work:
        for ex in EXAMPLES:
            if only and ex["name"] not in only:
                continue
            got, ref, ok, missing = run_example(ex, args, work)
            failed += not ok
            if ex["reference"] == "imbalanced":
                minority[ex["name"]] = got
            rule = ("|diff| <= %g" if ex["accept"] == "abs" else ">= sklearn - %g") % ex["slack"]
            print("%-24s %-9s %10.4f %10.4f  %s (%s)" % (ex["name"], ex["metric"], got, ref, "PASS" if ok else "FAIL", rule))
            for line in missing:
                print("    " + line)
            sys.stdout.flush()
    if len(minority) == 3:
        base = minority["imbalanced unweighted"]
        better = all(minority[k] > base for k in ("imbalanced weights auto", "imbalanced sampler"))
        print("minority recall: unweighted %.4f, class weights %.4f, balanced sampler %.4f: %s" % (
            base, minority["imbalanced weights auto"], minority["imbalanced sampler"],
            "both remedies raise it" if better else "FAIL: a remedy does not raise it"))
        failed += not better
    print("tabular examples: %s" % ("PASS" if failed == 0 else "FAIL (%d examples)" % failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
