#!/usr/bin/python3
"""`mlc compile` wall time and peak memory against the batch size, for the MLP (models/mlp) and the
two-conv CNN (models/cnn), and against graph depth: the MLP followed by a chain of N ReLUs
(--depths, at batch 64). Compile time should not depend on the batch and should grow linearly with
depth. One line per compile:

    compile MODEL batch B: X.XX s, Y MB peak
    compile chainN batch 64: X.XX s, Y MB peak

Run: /usr/bin/python3 bench/compile_time.py --mlc build/bin/mlc [--batches 64,256,1024,4096]
     [--depths 300,1000] [--models mlp,cnn]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write_chain(mlp_path, depth, out):
    """The MLP at `mlp_path` with `depth` ReLUs appended to its output."""
    import onnx
    from onnx import helper
    model = onnx.load(mlp_path)
    graph = model.graph
    last = graph.output[0].name
    for i in range(depth):
        name = "%s_relu%d" % (last, i)
        graph.node.append(helper.make_node("Relu", [graph.output[0].name if i == 0 else prev], [name],
                                           name="chain%d" % i))
        prev = name
    graph.output[0].name = prev
    onnx.save(model, out)


def compile_once(args, onnx_path, batch, label, work):
    start = time.perf_counter()
    # Peak memory of this child alone: wait4's rusage (the children maximum would carry over).
    proc = subprocess.Popen([args.mlc, "compile", onnx_path, "--optimizer=adam", "--batch=" + batch,
                             "-o", os.path.join(work, "trainer")])
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit("mlc compile failed for %s at batch %s" % (label, batch))
    print("compile %s batch %s: %.2f s, %d MB peak" % (label, batch, seconds, usage.ru_maxrss // 1024))
    sys.stdout.flush()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mlc", required=True)
    p.add_argument("--batches", default="64,256,1024,4096")
    p.add_argument("--models", default="mlp,cnn")
    p.add_argument("--depths", default="300,1000", help="ReLU chains after the MLP ('' for none)")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="mlc_compile_time.") as work:
        exporters = {"mlp": ["models/mlp/export_mlp.py"], "cnn": ["models/cnn/export_cnn.py", "--training"]}
        for model in args.models.split(","):
            onnx_path = os.path.join(work, model + ".onnx")
            script = exporters[model]
            subprocess.run([sys.executable, os.path.join(ROOT, script[0])] + script[1:] + ["--out", onnx_path],
                           check=True, stdout=subprocess.DEVNULL)
            for batch in args.batches.split(","):
                compile_once(args, onnx_path, batch, model, work)
        if args.depths:
            mlp = os.path.join(work, "mlp_for_chain.onnx")
            subprocess.run([sys.executable, os.path.join(ROOT, "models/mlp/export_mlp.py"), "--out", mlp],
                           check=True, stdout=subprocess.DEVNULL)
            for depth in args.depths.split(","):
                chain = os.path.join(work, "chain%s.onnx" % depth)
                write_chain(mlp, int(depth), chain)
                compile_once(args, chain, "64", "chain" + depth, work)


if __name__ == "__main__":
    main()
