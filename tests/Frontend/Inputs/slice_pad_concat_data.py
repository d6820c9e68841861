"""Writes an input and the NumPy reference output of make_onnx.py's slice_pad_concat model.

    slice_pad_concat_data.py DIR   (DIR/input_0.pb, DIR/output_0.pb)
"""
import math
import os
import sys

import numpy as np
from onnx import numpy_helper


def reference(x):
    s = x[1:8:2, -3:]
    p = np.pad(s[:, 1:], ((0, 0), (0, 2)), constant_values=0.5)
    c = np.concatenate([p, s, p], axis=1)
    return np.vectorize(math.erf)(c).astype(np.float32)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    x = np.random.default_rng(0).standard_normal((8, 5)).astype(np.float32)
    for name, array in (("input_0.pb", x), ("output_0.pb", reference(x))):
        with open(os.path.join(out, name), "wb") as f:
            f.write(numpy_helper.from_array(array).SerializeToString())


if __name__ == "__main__":
    main()
