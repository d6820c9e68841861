#!/usr/bin/python3
"""Benchmark: one training epoch of the 784-128-10 MLP (Adam, Fashion-MNIST 60k), mlc trainer vs PyTorch eager."""
import reference_env  # noqa: F401  (first: PyTorch without the OpenBLAS overrides)
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
EXPORT = os.path.join(ROOT, "models", "mlp", "export_mlp.py")
DEFAULT_DATA = "/usr/share/datasets/fashion-mnist"


def run(cmd):
    print("+ " + " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


def read_epochs(log):
    recs = []
    with open(log) as f:
        for line in f:
            line = line.strip()
            if line:
                r = json.loads(line)
                if "seconds" in r and "test_accuracy" in r:
                    recs.append(r)
    return recs


def bench_mlc(a, model, workdir, steps_per_epoch):
    trainer = os.path.join(workdir, "trainer_adam")
    log = os.path.join(workdir, "mlc_epoch.jsonl")
    run([a.mlc, "compile", model, "--loss=cross_entropy", "--optimizer=adam",
         "--batch=%d" % a.batch, "--target=cpu", "-o", trainer])
    run([trainer, "--data=" + a.data, "--epochs=%d" % a.epochs, "--lr=%g" % a.lr,
         "--seed=%d" % a.seed, "--threads=%d" % a.threads, "--log=" + log])
    recs = read_epochs(log)
    if len(recs) != a.epochs:
        raise SystemExit("mlc log %s has %d epoch records, expected %d" % (log, len(recs), a.epochs))
    for r in recs:
        print("mlc     epoch %d: %.3fs (%.3f ms/step over %d steps), train_loss %.4f, test_accuracy %.4f"
              % (r["epoch"], r["seconds"], 1e3 * r["seconds"] / steps_per_epoch, steps_per_epoch,
                 r["train_loss"], r["test_accuracy"]))
    return sum(r["seconds"] for r in recs), recs[-1]["test_accuracy"]


def blas_info():
    """Which BLAS this PyTorch uses (its speed dominates the PyTorch number for this MLP)."""
    import re
    import torch
    m = re.search(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1]
                if re.search(r"lib(open)?blas|libmkl", os.path.basename(path)):
                    libs.add(os.path.realpath(path))
    except OSError:
        pass
    return "BLAS_INFO=%s, MKL %s, loaded %s" % (m.group(1) if m else "?",
                                                "yes" if torch.backends.mkl.is_available() else "no",
                                                ", ".join(sorted(libs)) or "?")


def bench_pytorch(a, model_path):
    import numpy as np
    import torch
    import torch.nn.functional as F
    from onnx import load, numpy_helper
    sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
    sys.path.insert(0, os.path.dirname(EXPORT))
    from torch_reference import load_split
    import export_mlp

    torch.set_num_threads(a.threads)
    print("pytorch %s, %d thread(s), %s" % (torch.__version__, torch.get_num_threads(), blas_info()))
    # Same model and initial weights as the exported ONNX file (initializer names = state_dict keys).
    net = export_mlp.build_mlp(a.hidden, a.seed)
    state = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in load(model_path).graph.initializer}
    net.load_state_dict(state)
    x, y = load_split(a.data, "train")
    xt, yt = load_split(a.data, "test")
    x, xt = x.reshape(-1, 1, 28, 28).contiguous(), xt.reshape(-1, 1, 28, 28).contiguous()
    opt = torch.optim.Adam(net.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8)
    gen = torch.Generator().manual_seed(a.seed)
    steps = x.shape[0] // a.batch
    total = 0.0
    for epoch in range(1, a.epochs + 1):
        order = torch.randperm(x.shape[0], generator=gen)
        loss_sum = 0.0
        t0 = time.perf_counter()
        for s in range(steps):  # partial last batch dropped, as in the mlc trainer
            idx = order[s * a.batch:(s + 1) * a.batch]
            xb, yb = x[idx], y[idx]
            opt.zero_grad()
            loss = F.cross_entropy(net(xb), yb)
            loss.backward()
            opt.step()
            loss_sum += loss.item()
        sec = time.perf_counter() - t0
        total += sec
        with torch.no_grad():
            acc = float((net(xt).argmax(1) == yt).float().mean())
        print("pytorch epoch %d: %.3fs (%.3f ms/step over %d steps), train_loss %.4f, test_accuracy %.4f"
              % (epoch, sec, 1e3 * sec / steps, steps, loss_sum / steps, acc))
    return total, acc


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--mlc", help="path to BUILD_DIR/bin/mlc")
    p.add_argument("--pytorch-only", action="store_true", help="skip mlc, time PyTorch only")
    p.add_argument("--threads", default="1,2",
                   help="comma-separated thread counts; each is run for both (default 1,2)")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=0, help="init seed and shuffle seed")
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--data", default=DEFAULT_DATA)
    p.add_argument("--workdir", help="where the model, trainer and log go (default: a temporary directory)")
    a = p.parse_args(argv)
    if not a.mlc and not a.pytorch_only:
        p.error("--mlc is required (or --pytorch-only)")

    tmp = None
    if a.workdir:
        os.makedirs(a.workdir, exist_ok=True)
        workdir = a.workdir
    else:
        tmp = tempfile.TemporaryDirectory(prefix="mlc_bench_")
        workdir = tmp.name
    try:
        model = os.path.join(workdir, "mlp.onnx")
        run([sys.executable, EXPORT, "--out", model, "--hidden", str(a.hidden), "--seed", str(a.seed)])
        sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
        from torch_reference import FILES, read_idx
        n_train = read_idx(os.path.join(a.data, FILES["train"][1])).shape[0]
        steps = n_train // a.batch
        counts = [int(t) for t in str(a.threads).split(",")]
        print("mlp epoch benchmark: %d training images, batch %d, %d steps/epoch, %d epoch(s), Adam lr %g, threads %s"
              % (n_train, a.batch, steps, a.epochs, a.lr, ",".join(map(str, counts))))
        results = []
        for t in counts:
            a.threads = t
            mlc_s = mlc_acc = None
            if not a.pytorch_only:
                mlc_s, mlc_acc = bench_mlc(a, model, workdir, steps)
            pt_s, pt_acc = bench_pytorch(a, model)
            results.append((t, mlc_s, mlc_acc, pt_s, pt_acc))
        per_step = lambda sec: 1e3 * sec / (steps * a.epochs)
        for t, mlc_s, mlc_acc, pt_s, pt_acc in results:
            if mlc_s is None:
                print("mlp epoch, %d thread(s): pytorch %.2fs (%.3f ms/step), test accuracy %.4f"
                      % (t, pt_s / a.epochs, per_step(pt_s), pt_acc))
                continue
            print("mlp epoch, %d thread(s): mlc %.2fs (%.3f ms/step), pytorch %.2fs (%.3f ms/step), "
                  "speedup (pytorch/mlc) %.2fx; test accuracy mlc %.4f, pytorch %.4f"
                  % (t, mlc_s / a.epochs, per_step(mlc_s), pt_s / a.epochs, per_step(pt_s), pt_s / mlc_s,
                     mlc_acc, pt_acc))
        if not a.pytorch_only:
            best_mlc = min(results, key=lambda r: r[1])
            best_pt = min(results, key=lambda r: r[3])
            print("mlp epoch, best of each: mlc %.3f ms/step (%d thread(s)), pytorch %.3f ms/step (%d thread(s)), "
                  "speedup (pytorch/mlc) %.2fx" % (per_step(best_mlc[1]), best_mlc[0], per_step(best_pt[3]),
                                                    best_pt[0], best_pt[3] / best_mlc[1]))
    finally:
        if tmp is not None:
            tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
