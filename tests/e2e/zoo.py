#!/usr/bin/python3
"""The model zoo end to end: every model imported at every opset, compiled, trained against PyTorch.

For each model of models/zoo/export_zoo.py (torchvision's classification zoo adapted to 1x28x28,
exported by PyTorch in training mode):
  1. import: exported at each of --opsets (11, 13, 15, 17) and imported by `mlc compile
     --stage=import`; the first error line is reported where one fails;
  2. compile: the newest opset's export compiled into a trainer (batch 64, SGD, cross-entropy);
     its wall time;
  3. parity: --steps SGD steps on the first Fashion-MNIST batches in file order, mlc against PyTorch
     from the same weights; the worst relative per-step loss difference must be within --tol, or
     within twice PyTorch's own float32 floor where that is larger (PyTorch from weights perturbed
     by 1e-6 relative: how far PyTorch drifts from itself, as parity_cnn.py --floor measures);
  4. with --f64, where that floor is above --tol (a run chaotic at float32 rounding): PyTorch
     trained in float64 from the same weights, and how far mlc and PyTorch (float32) each are
     from it: whether mlc is as accurate as PyTorch where the two cannot agree closely;
  5. with --timing: the time per step of mlc (the trainer's --profile, warm-up excluded) and of
     PyTorch (eager, data preloaded, after two warm-up steps), each the faster of 1 and 2 threads.
     PyTorch runs without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE (bench/reference_env.py).

Prints one line per stage and model and a markdown table (--table FILE writes it too: docs/zoo.md's
table). Exit status 1 when any model fails a stage.

Run: /usr/bin/python3 tests/e2e/zoo.py --mlc build/bin/mlc [--models resnet18,vit] [--timing]
     [--table /tmp/zoo.md]
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import reference_env  # noqa: F401,E402  (first: PyTorch without the OpenBLAS overrides)
import argparse  # noqa: E402
import contextlib  # noqa: E402
import io  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import copy  # noqa: E402

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "models", "zoo"))
import export_zoo  # noqa: E402
from parity_cnn import model_input, perturbed, torch_losses, worst_relative  # noqa: E402
from torch_reference import load_split, read_log  # noqa: E402

ZOO = ("resnet18", "resnet34", "resnet50", "mobilenet_v2", "mobilenet_v3_small", "shufflenet_v2", "squeezenet",
       "densenet121", "efficientnet_b0", "regnet_y_400mf", "vgg11_bn", "googlenet", "vit")
BATCH = 64
# SGD learning rates: small enough that 20 steps of PyTorch are not chaotic at float32 rounding
# (parity_cnn.py's ResNet-18 rate); the transformer trains at a larger one.
LR = {"vit": 0.01}


def export(name, path, opset):
    """The seeded model `name` exported at `opset`; PyTorch's export warnings are kept quiet."""
    torch.manual_seed(0)
    model = export_zoo.build(name)
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        export_zoo.export(model, path, batch=BATCH, opset=opset)
    return model


def first_error(stderr):
    lines = [l for l in stderr.splitlines() if l.strip()]
    return lines[0] if lines else "(no message)"


def mlc_train(a, trainer, work, steps, lr, threads, profile=False):
    """Per-step losses of the trainer (and with `profile` its ms/step)."""
    log = os.path.join(work, "train_%d.jsonl" % threads)
    cmd = [trainer, "--data=" + a.data, "--epochs=1", "--lr=%g" % lr, "--no-shuffle", "--threads=%d" % threads,
           "--limit-train=%d" % (BATCH * steps), "--limit-test=%d" % BATCH, "--log=" + log]
    if profile:
        cmd.append("--profile")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    ms = None
    if profile:
        m = re.search(r"profile: \d+ steps? timed, ([\d.]+) ms/step", out)
        ms = float(m.group(1)) if m else None
    return [float(r["loss"]) for r in read_log(log)[0]], ms


def torch_step_ms(name, steps, threads, data):
    """PyTorch's eager SGD step time in ms (data preloaded, two warm-up steps)."""
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = export_zoo.build(name).train()
    opt = torch.optim.SGD(model.parameters(), lr=1e-3)
    x, y = load_split(data, "train", limit=BATCH * steps)
    x = model_input(x)
    for s in range(2):
        loss = nn.functional.cross_entropy(model(x[:BATCH]), y[:BATCH])
        opt.zero_grad()
        loss.backward()
        opt.step()
    start = time.perf_counter()
    for s in range(steps):
        loss = nn.functional.cross_entropy(model(x[s * BATCH:(s + 1) * BATCH]), y[s * BATCH:(s + 1) * BATCH])
        opt.zero_grad()
        loss.backward()
        opt.step()
    return (time.perf_counter() - start) * 1000 / steps


def run_model(a, name, work):
    row = {"model": name, "imports": {}, "ok": True}
    opsets = [int(o) for o in a.opsets.split(",")]
    paths = {}
    for opset in opsets:
        path = os.path.join(work, "%s_opset%d.onnx" % (name, opset))
        try:
            export(name, path, opset)
        except Exception as e:  # an export PyTorch itself refuses is reported, not fatal to the run
            row["imports"][opset] = "export failed: %s" % str(e).splitlines()[0]
            row["ok"] = False
            continue
        r = subprocess.run([a.mlc, "compile", path, "--stage=import", "--emit=mlir", "-o", os.devnull],
                           capture_output=True, text=True)
        row["imports"][opset] = "OK" if r.returncode == 0 else first_error(r.stderr)
        row["ok"] &= r.returncode == 0
        paths[opset] = path
        print("zoo %s opset %d: import %s" % (name, opset, row["imports"][opset]), flush=True)
    newest = max(paths) if paths else None
    if newest is None or row["imports"][newest] != "OK":
        return row
    trainer = os.path.join(work, name + "_trainer")
    start = time.perf_counter()
    r = subprocess.run([a.mlc, "compile", paths[newest], "--loss=cross_entropy", "--optimizer=sgd",
                        "--batch=%d" % BATCH, "--target=cpu", "-o", trainer], capture_output=True, text=True)
    row["compile_s"] = time.perf_counter() - start
    if r.returncode != 0:
        row["compile"] = first_error(r.stderr)
        row["ok"] = False
        print("zoo %s: compile FAIL: %s" % (name, row["compile"]), flush=True)
        return row
    print("zoo %s: compile %.1f s (opset %d)" % (name, row["compile_s"], newest), flush=True)

    lr = LR.get(name, a.lr)
    got, ms1 = mlc_train(a, trainer, work, a.steps, lr, 1, profile=a.timing)
    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = export_zoo.build(name)
    twin = perturbed(model)
    wide = copy.deepcopy(model).double()
    want = torch_losses(model.train(), "sgd", lr, a.steps, a.data)
    floor_rel, floor_at = worst_relative(torch_losses(twin.train(), "sgd", lr, a.steps, a.data), want)
    rel, worst = worst_relative(got, want)
    row["floor"] = floor_rel[floor_at]
    row["parity"] = rel[worst]
    row["tolerance"] = max(a.tol, 2 * row["floor"])
    passed = len(got) == len(want) and rel[worst] <= row["tolerance"]
    row["ok"] &= passed
    print("zoo %s: parity worst relative difference %.1e over %d steps (step %d: mlc %.8g, pytorch %.8g), "
          "pytorch's own floor %.1e, tolerance %.1e %s" % (name, rel[worst], len(rel), worst + 1, got[worst],
                                                           want[worst], row["floor"], row["tolerance"],
                                                           "PASS" if passed else "FAIL"), flush=True)
    if a.f64 and row["floor"] > a.tol:
        # A chaotic run: how far each float32 run (mlc's, PyTorch's) is from PyTorch in float64.
        exact = torch_losses(wide.train(), "sgd", lr, a.steps, a.data, torch.float64)
        (mlc_rel, mlc_at), (pt_rel, pt_at) = worst_relative(got, exact), worst_relative(want, exact)
        row["f64"] = (mlc_rel[mlc_at], pt_rel[pt_at])
        print("zoo %s: from pytorch float64, mlc deviates %.1e (step %d), pytorch float32 %.1e (step %d)"
              % (name, mlc_rel[mlc_at], mlc_at + 1, pt_rel[pt_at], pt_at + 1), flush=True)
    if a.timing:
        _, ms2 = mlc_train(a, trainer, work, a.steps, lr, 2, profile=True)
        row["mlc_ms"] = min(m for m in (ms1, ms2) if m is not None)
        row["torch_ms"] = min(torch_step_ms(name, a.steps, t, a.data) for t in (1, 2))
        print("zoo %s: step mlc %.1f ms, pytorch %.1f ms (each the faster of 1 and 2 threads), ratio %.2f"
              % (name, row["mlc_ms"], row["torch_ms"], row["mlc_ms"] / row["torch_ms"]), flush=True)
    return row


def table(rows, opsets):
    head = "| model | " + " | ".join("opset %s" % o for o in opsets) + \
        " | compile (s) | parity (worst rel., 20 SGD steps) | PyTorch's floor | step mlc / PyTorch (ms) |"
    lines = [head, "|" + " --- |" * (head.count("|") - 1)]
    for r in rows:
        imports = " | ".join("OK" if r["imports"].get(int(o)) == "OK" else "FAIL: " + r["imports"].get(int(o), "-")
                             .replace("|", "/") for o in opsets)
        compile_s = ("%.1f" % r["compile_s"]) if "compile_s" in r and "compile" not in r else \
            ("FAIL: " + r["compile"] if "compile" in r else "-")
        parity = ("%.1e %s" % (r["parity"], "PASS" if r["parity"] <= r["tolerance"] else "FAIL")) if "parity" in r \
            else "-"
        floor = ("%.1e" % r["floor"]) if "floor" in r else "-"
        if "f64" in r:
            floor += " (from float64: mlc %.1e, PyTorch %.1e)" % r["f64"]
        timing = ("%.1f / %.1f (%.2fx)" % (r["mlc_ms"], r["torch_ms"], r["mlc_ms"] / r["torch_ms"])) \
            if "mlc_ms" in r else "-"
        lines.append("| %s | %s | %s | %s | %s | %s |" % (r["model"], imports, compile_s, parity, floor, timing))
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mlc", required=True)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--models", default=",".join(ZOO))
    ap.add_argument("--opsets", default="11,13,15,17")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--lr", type=float, default=0.001)
    ap.add_argument("--tol", type=float, default=1e-3)
    ap.add_argument("--timing", action="store_true", help="also time a step of mlc and PyTorch")
    ap.add_argument("--f64", action="store_true",
                    help="where PyTorch's own floor is above --tol, also train PyTorch in float64 and report how far "
                         "mlc and PyTorch (float32) each are from it")
    ap.add_argument("--table", help="also write the markdown table here")
    a = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for name in a.models.split(","):
            rows.append(run_model(a, name, work))
    text = table(rows, a.opsets.split(","))
    print(text)
    if a.table:
        with open(a.table, "w") as f:
            f.write(text)
    ok = all(r["ok"] for r in rows)
    print("zoo: %d models, %d passed: %s" % (len(rows), sum(r["ok"] for r in rows), "PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
