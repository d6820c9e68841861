#!/usr/bin/python3
"""Rewrite an MNIST-layout directory as int32 IDX files (type 0x0C, big-endian): the same values,
first --limit-train / --limit-test samples, as a token-id dataset for vocabularies beyond 256."""
import argparse
import os
import struct
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_reference import FILES, read_idx  # noqa: E402


def write_int32_idx(path, array):
    with open(path, "wb") as f:
        f.write(struct.pack(">HBB", 0, 0x0C, array.ndim))
        f.write(struct.pack(">" + "I" * array.ndim, *array.shape))
        f.write(array.astype(">i4").tobytes())


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("src")
    p.add_argument("dst")
    p.add_argument("--limit-train", type=int, default=None)
    p.add_argument("--limit-test", type=int, default=None)
    a = p.parse_args()
    os.makedirs(a.dst, exist_ok=True)
    for split, limit in (("train", a.limit_train), ("test", a.limit_test)):
        for name in FILES[split]:
            data = read_idx(os.path.join(a.src, name))[:limit]
            write_int32_idx(os.path.join(a.dst, os.path.basename(name).replace(".gz", "")), data)


if __name__ == "__main__":
    main()
