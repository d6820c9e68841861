#!/usr/bin/python3
"""What --augment adds to a training step: the two-conv CNN (models/cnn, dropout, Adam, batch 64)
trained for --steps steps on Fashion-MNIST with and without --augment=SPEC, alternating, --runs
times each, the best epoch time of each (the log's training seconds). One line:

    augment SPEC on the two-conv CNN, T thread(s): A ms/step without, B ms/step with, overhead +X.X%

Run: /usr/bin/python3 bench/augment_overhead.py --mlc build/bin/mlc [--spec crop:2,flip] [--threads 2]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def epoch_seconds(trainer, args, extra, log):
    cmd = [trainer, "--data=" + args.data, "--epochs=1", "--limit-train=%d" % (64 * args.steps), "--limit-test=64",
           "--threads=%d" % args.threads, "--log=" + log] + extra
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(log) as f:
        return [json.loads(l)["seconds"] for l in f if '"train_loss"' in l][0]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mlc", required=True)
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--spec", default="crop:2,flip")
    p.add_argument("--steps", type=int, default=40)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="mlc_augment_bench.") as work:
        onnx_path = os.path.join(work, "cnn.onnx")
        subprocess.run([sys.executable, os.path.join(ROOT, "models/cnn/export_cnn.py"), "--training", "--out", onnx_path],
                       check=True, stdout=subprocess.DEVNULL)
        trainer = os.path.join(work, "trainer")
        subprocess.run([args.mlc, "compile", onnx_path, "--optimizer=adam", "--batch=64", "-o", trainer], check=True)
        plain, augmented = [], []
        for r in range(args.runs):
            log = os.path.join(work, "run%d.jsonl" % r)
            plain.append(epoch_seconds(trainer, args, [], log))
            augmented.append(epoch_seconds(trainer, args, ["--augment=" + args.spec], log))
    a, b = min(plain) * 1000 / args.steps, min(augmented) * 1000 / args.steps
    print("augment %s on the two-conv CNN, %d thread(s): %.1f ms/step without, %.1f ms/step with, overhead %+.1f%%"
          % (args.spec, args.threads, a, b, (b / a - 1) * 100))


if __name__ == "__main__":
    main()
