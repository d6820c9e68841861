#!/usr/bin/python3
"""Helpers of train_csv.test: CSV files from the toy IDX data, and the accuracy of a --predict file.

  csv_data.py write IDX_DIR OUT_DIR   train.csv / t10k.csv with the IDX samples as float32 byte/255
                                      (as the IDX reader scales them), the class as 'label'; and
                                      named.csv / named_test.csv with two pixels, a text column
                                      'tint' (one-hot), missing cells and the classes as words
  csv_data.py accuracy PRED TEST      the share of PRED's 'class' column equal to TEST's 'label'
"""
import csv
import os
import sys

import numpy as np

WORDS = ["ant", "bee", "cat"]


def read_idx(path, offset):
    return np.fromfile(path, np.uint8)[offset:]


def write(idx, out):
    for split in ("train", "t10k"):
        x = read_idx(os.path.join(idx, split + "-images-idx3-ubyte"), 16).reshape(-1, 4)
        y = read_idx(os.path.join(idx, split + "-labels-idx1-ubyte"), 8)
        v = x.astype(np.float32) / np.float32(255)
        with open(os.path.join(out, split + ".csv"), "w") as f:
            f.write("x0,x1,x2,x3,label\n")
            for r in range(len(y)):
                f.write(",".join(repr(float(a)) for a in v[r]) + ",%d\n" % y[r])
        # Two numeric columns and a text column (two one-hot values), classes as words; every 7th
        # row misses x1.
        name = "named.csv" if split == "train" else "named_test.csv"
        with open(os.path.join(out, name), "w") as f:
            f.write("x0,x1,tint,label\n")
            for r in range(len(y)):
                cells = [repr(float(a)) for a in v[r, :2]]
                if r % 7 == 3:
                    cells[1] = "NA"
                cells.append("dark" if x[r, 3] < 128 else "light")
                f.write(",".join(cells) + ",%s\n" % WORDS[y[r]])


def accuracy(pred, test):
    with open(pred) as f:
        rows = list(csv.DictReader(f))
    with open(test) as f:
        truth = [r["label"] for r in csv.DictReader(f)]
    hits = sum(r["class"] == truth[int(r["index"])] for r in rows)
    print("predicted accuracy %.4f over %d rows" % (hits / len(rows), len(rows)))


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2], sys.argv[3])
    else:
        accuracy(sys.argv[2], sys.argv[3])
