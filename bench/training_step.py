#!/usr/bin/python3
"""Benchmark: one training step of each model, mlc against PyTorch (eager, CPU) on this machine.

Per model (batch 64, Adam, cross-entropy, the same first 64 x --steps Fashion-MNIST images in file
order on both sides, models exported by PyTorch in training mode):
  - mlc: `mlc compile` wall time and peak memory; the trainer run with --profile at 1 and 2
    threads, whose report gives the time per step (warm-up step excluded) and the achieved
    GFLOP/s (the step's FLOPs as the compiler counts them, over the step time); its peak
    resident memory.
  - PyTorch: the same module in a child process (so its peak resident memory is its own), data
    preloaded, two warm-up steps, then --steps timed steps, at 1 and 2 threads; run as fast as it
    goes here (reference_env.py drops OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which force slower
    kernels, for PyTorch's processes only).
First, one core's fp32 peak as a GEMM measures it: OpenBLAS's SGEMM (numpy, 1 thread) on 2048^3.

One line per model, then a table:

    MODEL: compile Xs (Y MB), mlc A/B ms/step (1/2 threads), pytorch C/D ms/step, ratio R (best/best),
           mlc G GFLOP/s (1 thread, P% of peak), peak RSS mlc M MB, pytorch T MB

Run: /usr/bin/python3 bench/training_step.py --mlc build/bin/mlc [--models mlp,lenet5,cnn,cnn_bn,resnet18,mobilenet_v2]
     [--steps 20] [--threads 1,2]
"""
import reference_env  # noqa: F401  (first: PyTorch and numpy without the OpenBLAS overrides)
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "models", "mlp"))
sys.path.insert(0, os.path.join(ROOT, "models", "cnn"))
sys.path.insert(0, os.path.join(ROOT, "models", "zoo"))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))

MODELS = ("mlp", "lenet5", "cnn", "cnn_bn", "resnet18", "mobilenet_v2")
BATCH = 64


def build(name):
    if name == "mlp":
        from export_mlp import build_mlp
        return build_mlp(seed=0)
    if name == "cnn":
        from export_cnn import build_cnn
        return build_cnn(seed=0)
    import export_zoo
    return export_zoo.build(name)


def export(name, path):
    import warnings
    import export_zoo
    with warnings.catch_warnings():
        # The exporter's notes on batch norm's num_batches_tracked, once per layer.
        warnings.simplefilter("ignore")
        export_zoo.export(build(name), path, batch=BATCH)


def gemm_peak_gflops():
    """One core's fp32 GEMM rate: OpenBLAS SGEMM through numpy on one thread, best of 5."""
    code = ("import numpy as np, time\n"
            "a = np.random.rand(2048, 2048).astype(np.float32); b = np.random.rand(2048, 2048).astype(np.float32)\n"
            "a @ b\n"
            "best = min((lambda t: (a @ b, time.perf_counter() - t)[1])(time.perf_counter()) for _ in range(5))\n"
            "print(2 * 2048 ** 3 / best / 1e9)\n")
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", "import reference_env\n" + code], cwd=HERE, env=env, check=True,
                         capture_output=True, text=True).stdout
    return float(out.strip())


def run_measured(cmd, **kwargs):
    """Runs `cmd`; returns (stdout, seconds, peak resident MB) of that child alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, **kwargs)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit("failed (status %d): %s" % (status, " ".join(cmd)))
    return out, seconds, usage.ru_maxrss / 1024.0


def mlc_runs(a, name, work):
    onnx_path = os.path.join(work, name + ".onnx")
    export(name, onnx_path)
    trainer = os.path.join(work, name + "_trainer")
    _, compile_s, compile_mb = run_measured([a.mlc, "compile", onnx_path, "--loss=cross_entropy", "--optimizer=adam",
                                             "--batch=%d" % BATCH, "--target=cpu", "-o", trainer])
    runs = {}
    for threads in a.threads:
        out, _, rss = run_measured([trainer, "--data=" + a.data, "--epochs=1", "--threads=%d" % threads,
                                    "--no-shuffle", "--lr=1e-3", "--limit-train=%d" % (BATCH * (a.steps + 1)),
                                    "--limit-test=%d" % BATCH, "--profile"])
        head = re.search(r"profile: \d+ steps? timed, ([\d.]+) ms/step;.* ([\d.]+) GFLOP/step, ([\d.]+) GFLOP/s", out)
        if not head:
            raise SystemExit("no --profile report from the %s trainer:\n%s" % (name, out))
        runs[threads] = {"ms": float(head.group(1)), "gflop": float(head.group(2)), "gflops": float(head.group(3)),
                         "rss": rss, "report": out[out.find("profile:"):]}
    return compile_s, compile_mb, runs


def torch_worker(name, threads, steps, data):
    """In a child process: PyTorch's time per step (ms) for `name` at `threads`; prints JSON."""
    import torch
    import torch.nn as nn
    from torch_reference import load_split
    torch.set_num_threads(threads)
    model = build(name).train()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = load_split(data, "train", limit=BATCH * (steps + 2))
    x = x.reshape(-1, 1, 28, 28)

    def step(s):
        loss = nn.functional.cross_entropy(model(x[s * BATCH:(s + 1) * BATCH]), y[s * BATCH:(s + 1) * BATCH])
        opt.zero_grad()
        loss.backward()
        opt.step()

    step(0)
    step(1)
    start = time.perf_counter()
    for s in range(2, steps + 2):
        step(s)
    print(json.dumps({"ms": (time.perf_counter() - start) / steps * 1e3}))


def torch_runs(a, name):
    runs = {}
    for threads in a.threads:
        out, _, rss = run_measured([sys.executable, os.path.abspath(__file__), "--torch-worker", name,
                                    "--threads", str(threads), "--steps", str(a.steps), "--data", a.data,
                                    "--mlc", "-"])
        runs[threads] = dict(json.loads(out.strip().splitlines()[-1]), rss=rss)
    return runs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mlc", required=True)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--show-profile", action="store_true", help="print mlc's 1-thread --profile report per model")
    ap.add_argument("--torch-worker", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.torch_worker:
        torch_worker(a.torch_worker, int(a.threads), a.steps, a.data)
        return
    a.threads = [int(t) for t in a.threads.split(",")]
    peak = gemm_peak_gflops()
    print("peak: OpenBLAS SGEMM 2048^3, 1 thread: %.1f GFLOP/s" % peak)
    sys.stdout.flush()
    rows = []
    with tempfile.TemporaryDirectory(prefix="mlc_training_step.") as work:
        for name in a.models.split(","):
            compile_s, compile_mb, mlc = mlc_runs(a, name, work)
            ref = torch_runs(a, name)
            best_mlc = min(r["ms"] for r in mlc.values())
            best_ref = min(r["ms"] for r in ref.values())
            one = mlc[min(mlc)]
            row = {"name": name, "compile_s": compile_s, "compile_mb": compile_mb,
                   "mlc": {t: r["ms"] for t, r in mlc.items()}, "torch": {t: r["ms"] for t, r in ref.items()},
                   "ratio": best_mlc / best_ref, "gflops": one["gflops"], "gflop": one["gflop"],
                   "rss_mlc": max(r["rss"] for r in mlc.values()), "rss_torch": max(r["rss"] for r in ref.values())}
            rows.append(row)
            ts = "/".join(str(t) for t in a.threads)
            print("%s: compile %.1fs (%.0f MB), mlc %s ms/step (%s threads), pytorch %s ms/step, ratio %.2f (best/best), "
                  "mlc %.1f GFLOP/s (%d thread, %.0f%% of peak; %.3f GFLOP/step), peak RSS mlc %.0f MB, pytorch %.0f MB"
                  % (name, compile_s, compile_mb, "/".join("%.1f" % row["mlc"][t] for t in a.threads), ts,
                     "/".join("%.1f" % row["torch"][t] for t in a.threads), row["ratio"], row["gflops"], min(mlc),
                     100.0 * row["gflops"] / peak, row["gflop"], row["rss_mlc"], row["rss_torch"]))
            if a.show_profile:
                print(one["report"])
            sys.stdout.flush()
    print("\n| model | compile s | mlc ms/step (%s thr) | PyTorch ms/step | ratio | mlc GFLOP/s (1 thr) | RSS mlc / PyTorch MB |"
          % "/".join(str(t) for t in a.threads))
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print("| %s | %.1f | %s | %s | %.2f | %.1f (%.0f%%) | %.0f / %.0f |"
              % (r["name"], r["compile_s"], " / ".join("%.1f" % r["mlc"][t] for t in a.threads),
                 " / ".join("%.1f" % r["torch"][t] for t in a.threads), r["ratio"], r["gflops"],
                 100.0 * r["gflops"] / peak, r["rss_mlc"], r["rss_torch"]))


if __name__ == "__main__":
    main()
