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
Each side runs --repeats times per thread count, mlc and PyTorch alternating, and the fastest run
counts (this shared machine has slow spells of 10-20%); peak memory is the largest, measured by GNU
time for the child alone.
First, one core's fp32 peak as a GEMM measures it: OpenBLAS's SGEMM (numpy, 1 thread) on 2048^3.

One line per model, then a table:

    MODEL: compile Xs (Y MB), mlc A/B ms/step (1/2 threads), pytorch C/D ms/step, ratio R (best/best),
           mlc G GFLOP/s (1 thread, P% of peak), peak RSS mlc M MB, pytorch T MB

Run: /usr/bin/python3 bench/training_step.py --mlc build/bin/mlc [--models mlp,lenet5,cnn,cnn_bn,resnet18,mobilenet_v2]
     [--steps 20] [--threads 1,2] [--repeats 3]
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
    """Runs `cmd`; returns (stdout, seconds, peak resident MB) of that child alone. The peak comes
    from GNU time, whose child starts small: a child forked from this process (PyTorch loaded)
    would report this process's resident memory as its own peak."""
    with tempfile.NamedTemporaryFile(prefix="mlc_bench_rss.", mode="r") as rss_file:
        start = time.perf_counter()
        proc = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", rss_file.name] + cmd, stdout=subprocess.PIPE,
                                text=True, **kwargs)
        out = proc.stdout.read()
        status = proc.wait()
        seconds = time.perf_counter() - start
        if status != 0:
            raise SystemExit("failed (status %d): %s" % (status, " ".join(cmd)))
        return out, seconds, int(rss_file.read().split()[-1]) / 1024.0


def mlc_compile(a, name, work):
    onnx_path = os.path.join(work, name + ".onnx")
    export(name, onnx_path)
    trainer = os.path.join(work, name + "_trainer")
    _, compile_s, compile_mb = run_measured([a.mlc, "compile", onnx_path, "--loss=cross_entropy", "--optimizer=adam",
                                             "--batch=%d" % BATCH, "--target=cpu", "-o", trainer])
    return trainer, compile_s, compile_mb


def mlc_run(a, trainer, name, threads):
    out, _, rss = run_measured([trainer, "--data=" + a.data, "--epochs=1", "--threads=%d" % threads,
                                "--no-shuffle", "--lr=1e-3", "--limit-train=%d" % (BATCH * (a.steps + 1)),
                                "--limit-test=%d" % BATCH, "--profile"])
    head = re.search(r"profile: \d+ steps? timed, ([\d.]+) ms/step;.* ([\d.]+) GFLOP/step, ([\d.]+) GFLOP/s", out)
    if not head:
        raise SystemExit("no --profile report from the %s trainer:\n%s" % (name, out))
    return {"ms": float(head.group(1)), "gflop": float(head.group(2)), "gflops": float(head.group(3)),
            "rss": rss, "report": out[out.find("profile:"):]}


def keep_fastest(runs, threads, run):
    """Records `run` for `threads`: the fastest time (and its report), the largest peak memory."""
    best = runs.get(threads)
    if best is None or run["ms"] < best["ms"]:
        run = dict(run, rss=max(run["rss"], best["rss"]) if best else run["rss"])
        runs[threads] = run
    else:
        best["rss"] = max(best["rss"], run["rss"])


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


def torch_run(a, name, threads):
    out, _, rss = run_measured([sys.executable, os.path.abspath(__file__), "--torch-worker", name,
                                "--threads", str(threads), "--steps", str(a.steps), "--data", a.data,
                                "--mlc", "-"])
    return dict(json.loads(out.strip().splitlines()[-1]), rss=rss)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mlc", required=True)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--models", default=",".join(MODELS))
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--repeats", type=int, default=3,
                    help="runs per side and thread count, alternating mlc and PyTorch; the fastest counts")
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
            trainer, compile_s, compile_mb = mlc_compile(a, name, work)
            mlc, ref = {}, {}
            # Alternating the two sides spreads this machine's slow spells over both.
            for _ in range(a.repeats):
                for threads in a.threads:
                    keep_fastest(mlc, threads, mlc_run(a, trainer, name, threads))
                for threads in a.threads:
                    keep_fastest(ref, threads, torch_run(a, name, threads))
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
