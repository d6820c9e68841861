#!/usr/bin/python3
"""Writes one model twice: DIR/embedded.onnx with every tensor inside, and DIR/ext/model.onnx whose
initializers and Constant tensors (float and int64) live in DIR/ext/weights.bin as external data."""
import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnx.external_data_helper import convert_model_to_external_data


def model():
    rng = np.random.default_rng(3)
    w = numpy_helper.from_array(rng.standard_normal((12, 5)).astype(np.float32), "w")
    b = numpy_helper.from_array(rng.standard_normal((5,)).astype(np.float32), "b")
    shape = numpy_helper.from_array(np.array([2, 12], dtype=np.int64), "shape")
    scale = numpy_helper.from_array(np.linspace(0.5, 1.5, 5).astype(np.float32), "scale_value")
    nodes = [helper.make_node("Reshape", ["x", "shape"], ["flat"], name="reshape"),
             helper.make_node("Gemm", ["flat", "w", "b"], ["h"], name="gemm"),
             helper.make_node("Constant", [], ["scale"], name="scale", value=scale),
             helper.make_node("Mul", ["h", "scale"], ["y"], name="mul")]
    g = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3, 4])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 5])], [w, b, shape])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    d = p.parse_args().dir
    os.makedirs(os.path.join(d, "ext"), exist_ok=True)
    onnx.save(model(), os.path.join(d, "embedded.onnx"))
    m = model()
    convert_model_to_external_data(m, all_tensors_to_one_file=True, location="weights.bin", size_threshold=0,
                                   convert_attribute=True)
    onnx.save(m, os.path.join(d, "ext", "model.onnx"))
    external = [t.name for t in m.graph.initializer if t.data_location == TensorProto.EXTERNAL]
    external += [n.name for n in m.graph.node for a in n.attribute
                 if a.HasField("t") and a.t.data_location == TensorProto.EXTERNAL]
    print("external:", " ".join(external))
    # An input and the output NumPy computes, for mlc-onnx-run.
    x = np.random.default_rng(4).standard_normal((2, 3, 4)).astype(np.float32)
    ref = model()
    t = {i.name: numpy_helper.to_array(i) for i in ref.graph.initializer}
    y = (x.reshape(2, 12) @ t["w"] + t["b"]) * np.linspace(0.5, 1.5, 5).astype(np.float32)
    for name, value in (("x", x), ("y", y.astype(np.float32))):
        with open(os.path.join(d, name + ".pb"), "wb") as f:
            f.write(numpy_helper.from_array(value, name).SerializeToString())


if __name__ == "__main__":
    main()
