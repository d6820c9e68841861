#!/usr/bin/python3
"""--export end to end: train a PyTorch-exported model with mlc, export it as an ONNX inference model,
and check that the export (1) passes onnx.checker with full shape inference, (2) loaded into the same
PyTorch architecture by initializer name gives the trainer's test accuracy and logits, and (3)
re-imports into mlc (mlc-onnx-run) with PyTorch's logits as the expected output.

Usage: export_onnx.py --mlc BUILD/bin/mlc --model cnn|cnn_bn [--data DIR] [--work DIR]
Prints figures and '<model>: PASS' or FAIL lines; exits non-zero on failure.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import torch
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "models", "cnn"))
sys.path.insert(0, os.path.join(ROOT, "models", "zoo"))
from torch_reference import DEFAULT_DATA, load_split  # noqa: E402

BATCH = 64


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        raise RuntimeError("%s exited %d:\n%s" % (os.path.basename(cmd[0]), r.returncode, r.stdout))
    return r.stdout


def export_training_model(name, out):
    if name == "cnn":
        import export_cnn
        export_cnn.export(export_cnn.build_cnn(0), out, batch=BATCH, training=True)
        return lambda: export_cnn.build_cnn(0)
    import export_zoo
    export_zoo.export(export_zoo.build(name), out, batch=BATCH)
    return lambda: export_zoo.build(name)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mlc", required=True)
    p.add_argument("--model", default="cnn", choices=("cnn", "cnn_bn"))
    p.add_argument("--data", default=DEFAULT_DATA)
    p.add_argument("--work")
    p.add_argument("--limit-train", type=int, default=1280)
    p.add_argument("--limit-test", type=int, default=1000)
    a = p.parse_args()
    work = a.work or tempfile.mkdtemp(prefix="mlc_export_")
    os.makedirs(work, exist_ok=True)
    name = a.model
    tool_dir = os.path.dirname(os.path.abspath(a.mlc))
    fails = []

    model_path, trainer = os.path.join(work, name + ".onnx"), os.path.join(work, name + "_trainer")
    build = export_training_model(name, model_path)
    run([a.mlc, "compile", model_path, "--optimizer=adam", "--batch=%d" % BATCH, "-o", trainer])
    exported, weights, log = (os.path.join(work, f) for f in ("trained.onnx", "weights.mlcckpt", "run.jsonl"))
    run([trainer, "--data=" + a.data, "--epochs=1", "--seed=1", "--limit-train=%d" % a.limit_train,
         "--limit-test=%d" % a.limit_test, "--export=" + exported, "--save-weights=" + weights, "--log=" + log])
    final = [json.loads(l) for l in open(log) if l.startswith('{"final"')][-1]

    # (1) A valid ONNX inference model: no Dropout, BatchNormalization without training outputs.
    m = onnx.load(exported)
    onnx.checker.check_model(m, full_check=True)
    ops = [n.op_type for n in m.graph.node]
    bn_outputs = [len(n.output) for n in m.graph.node if n.op_type == "BatchNormalization"]
    print("%s: export passes onnx.checker (full check): %d nodes, %d initializers, no Dropout: %s, "
          "BatchNormalization outputs: %s" % (name, len(ops), len(m.graph.initializer), "Dropout" not in ops, bn_outputs))
    if "Dropout" in ops or any(k != 1 for k in bn_outputs):
        fails.append("training-only nodes left in the export")

    # (2) PyTorch, the same architecture with the exported initializers, in evaluation mode.
    net = build()
    state = net.state_dict()
    loaded = 0
    for init in m.graph.initializer:
        if init.name in state:
            state[init.name] = torch.from_numpy(numpy_helper.to_array(init).copy())
            loaded += 1
    float_keys = [k for k, v in net.state_dict().items() if v.dtype == torch.float32]
    if loaded != len(float_keys):
        fails.append("%d of %d PyTorch tensors found in the export" % (loaded, len(float_keys)))
    net.load_state_dict(state)
    net.eval()
    x, y = load_split(a.data, "test", limit=a.limit_test)
    x = torch.as_tensor(x).reshape(-1, 1, 28, 28)
    with torch.no_grad():
        logits = net(x).numpy()
    y = np.asarray(y)
    acc = float((logits.argmax(1) == y).mean())
    print("%s: test accuracy on %d images: mlc %.6f, PyTorch from the export %.6f (difference %.1e)"
          % (name, len(y), final["test_accuracy"], acc, abs(acc - final["test_accuracy"])))
    if abs(acc - final["test_accuracy"]) > 1e-4:
        fails.append("accuracies differ")

    # The trainer's own logits for the same images, from its saved weights.
    preds = os.path.join(work, "logits.csv")
    images = os.path.join(work, "t10k-images-idx3-ubyte")
    with open(images, "wb") as f:  # the first limit-test test images as an IDX file
        f.write(bytes([0, 0, 8, 3]) + len(y).to_bytes(4, "big") + (28).to_bytes(4, "big") + (28).to_bytes(4, "big"))
        f.write((x.numpy().reshape(-1) * 255.0).round().astype(np.uint8).tobytes())
    run([trainer, "--predict", "--resume=" + weights, "--input=" + images, "--output=" + preds, "--raw-outputs"])
    ours = np.loadtxt(preds, delimiter=",", skiprows=1)[:, 2:]
    diff = float(np.abs(ours - logits).max())
    print("%s: max logit difference, mlc --predict vs PyTorch from the export: %.3g" % (name, diff))
    if not diff <= 1e-3:
        fails.append("logits differ by %.3g" % diff)

    # (3) The export re-imports into mlc: compiled for inference, it reproduces PyTorch's logits.
    inp, expected = os.path.join(work, "input_0.pb"), os.path.join(work, "output_0.pb")
    with open(inp, "wb") as f:
        f.write(numpy_helper.from_array(x[:BATCH].numpy(), "image").SerializeToString())
    with open(expected, "wb") as f:
        f.write(numpy_helper.from_array(logits[:BATCH].astype(np.float32), "logits").SerializeToString())
    out = run([os.path.join(tool_dir, "mlc-onnx-run"), exported, "--input=" + inp, "--expected=" + expected,
               "--rtol=1e-3", "--atol=1e-4"])
    print("%s: mlc-onnx-run on the export: %s" % (name, out.strip().splitlines()[-1]))

    for f in fails:
        print("%s: FAIL %s" % (name, f))
    print("%s: %s" % (name, "PASS" if not fails else "FAIL"))
    return 0 if not fails else 1


if __name__ == "__main__":
    sys.exit(main())
