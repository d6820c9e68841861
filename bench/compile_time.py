#!/usr/bin/python3
"""`mlc compile` wall time and peak memory against the batch size, for the MLP (models/mlp) and the
two-conv CNN (models/cnn). Compile time should not depend on the batch. One line per compile:

    compile MODEL batch B: X.XX s, Y MB peak

Run: /usr/bin/python3 bench/compile_time.py --mlc build/bin/mlc [--batches 64,256,1024,4096]
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mlc", required=True)
    p.add_argument("--batches", default="64,256,1024,4096")
    p.add_argument("--models", default="mlp,cnn")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="mlc_compile_time.") as work:
        exporters = {"mlp": ["models/mlp/export_mlp.py"], "cnn": ["models/cnn/export_cnn.py", "--training"]}
        for model in args.models.split(","):
            onnx_path = os.path.join(work, model + ".onnx")
            script = exporters[model]
            subprocess.run([sys.executable, os.path.join(ROOT, script[0])] + script[1:] + ["--out", onnx_path],
                           check=True, stdout=subprocess.DEVNULL)
            for batch in args.batches.split(","):
                start = time.perf_counter()
                # Peak memory of this child alone: wait4's rusage (the children maximum would carry over).
                proc = subprocess.Popen([args.mlc, "compile", onnx_path, "--optimizer=adam", "--batch=" + batch,
                                         "-o", os.path.join(work, "trainer")])
                _, status, usage = os.wait4(proc.pid, 0)
                seconds = time.perf_counter() - start
                if status != 0:
                    raise SystemExit("mlc compile failed for %s at batch %s" % (model, batch))
                print("compile %s batch %s: %.2f s, %d MB peak" % (model, batch, seconds, usage.ru_maxrss // 1024))
                sys.stdout.flush()


if __name__ == "__main__":
    main()
