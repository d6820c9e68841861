#!/usr/bin/python3
"""Write scikit-learn's bundled data sets as train/test CSV files for mlc's tabular examples.

Each set is split once with sklearn.model_selection.train_test_split (20% test, random_state 0,
stratified for classification), so mlc and the scikit-learn references see the same rows:
  breast_cancer   569 x 30 numeric, target 'diagnosis' as text (benign / malignant): binary
  diabetes        442 x 10 numeric, target 'progression' (float): regression
  wine_missing    178 x 13 numeric plus a text column 'region' derived from the class-free feature
                  'alcohol' (low/mid/high), target 'cultivar' (0, 1, 2); 10% of the feature cells
                  (seeded) replaced by NA: multi-class with missing values and a categorical column
  digits_nine     1797 x 64 pixel counts, target 'is_nine' (1 for the digit 9, else 0): a 1:9
                  imbalanced binary task
Usage: make_csv.py --out DIR [--only NAME,...]
"""
import argparse
import os

import numpy as np
from sklearn import datasets
from sklearn.model_selection import train_test_split

SETS = ["breast_cancer", "diabetes", "wine_missing", "digits_nine"]


def load(name):
    """(feature names, X as a list of columns (numbers or strings), target name, y, classification)."""
    if name == "breast_cancer":
        d = datasets.load_breast_cancer()
        names = [f.replace(" ", "_") for f in d.feature_names]
        y = np.array([d.target_names[t] for t in d.target])
        return names, [d.data[:, i] for i in range(d.data.shape[1])], "diagnosis", y, True
    if name == "diabetes":
        d = datasets.load_diabetes()
        return list(d.feature_names), [d.data[:, i] for i in range(d.data.shape[1])], "progression", d.target, False
    if name == "wine_missing":
        d = datasets.load_wine()
        cols = [d.data[:, i].astype(object) for i in range(d.data.shape[1])]
        alcohol = d.data[:, 0]
        region = np.where(alcohol < 12.5, "low", np.where(alcohol < 13.5, "mid", "high")).astype(object)
        rng = np.random.default_rng(0)
        for c in cols + [region]:
            c[rng.random(len(c)) < 0.1] = "NA"
        return list(d.feature_names) + ["region"], cols + [region], "cultivar", d.target, True
    if name == "digits_nine":
        d = datasets.load_digits()
        return ["px%d" % i for i in range(64)], [d.data[:, i] for i in range(64)], "is_nine", (d.target == 9).astype(int), True
    raise ValueError(name)


def cell(v):
    if isinstance(v, str):
        return v
    if isinstance(v, (np.floating, float)):
        return repr(float(v))
    return str(v)


def write(path, names, columns, target, y):
    with open(path, "w") as f:
        f.write(",".join(names + [target]) + "\n")
        for r in range(len(y)):
            f.write(",".join([cell(c[r]) for c in columns] + [cell(y[r])]) + "\n")


def make(name, out):
    """Writes OUT/NAME_train.csv and OUT/NAME_test.csv; returns their paths."""
    names, columns, target, y, classification = load(name)
    rows = np.arange(len(y))
    train, test = train_test_split(rows, test_size=0.2, random_state=0, stratify=y if classification else None)
    paths = []
    for part, idx in (("train", train), ("test", test)):
        path = os.path.join(out, "%s_%s.csv" % (name, part))
        write(path, names, [c[idx] for c in columns], target, y[idx])
        paths.append(path)
    return paths


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True)
    p.add_argument("--only", default=",".join(SETS))
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name in args.only.split(","):
        print(" ".join(make(name, args.out)))


if __name__ == "__main__":
    main()
