#!/usr/bin/python3
"""Per-step loss parity of mlc-compiled trainers (every optimizer, with and without weight decay)
against PyTorch float32 from the same ONNX weights."""
import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from torch_reference import (DEFAULT_DATA, OnnxTorchModel, evaluate, load_split,  # noqa: E402
                             read_log, reference_losses)

BATCH = 64
# (label, --optimizer, lr, trainer hyperparameters other than lr). Non-default values exercise each
# hyperparameter's path; weight_decay on an optimizer other than AdamW compiles with --weight-decay.
CONFIGS = [
    ("sgd", "sgd", 0.1, {}),
    ("momentum", "momentum", 0.05, {}),
    ("nesterov", "nesterov", 0.05, {"momentum": 0.8}),
    ("adagrad", "adagrad", 0.05, {"lr_decay": 0.01}),
    # RMSprop divides by sqrt(v) + eps: at eps 1e-8, rounding-noise gradients take full-size steps
    # and PyTorch drifts 2.3e-4 from itself over 50 steps from weights perturbed by 1e-6.
    ("rmsprop", "rmsprop", 1e-3, {"alpha": 0.95, "epsilon": 1e-3}),
    ("adam", "adam", 1e-3, {}),
    ("adamw", "adamw", 1e-3, {"weight_decay": 0.1}),
    ("sgd+wd", "sgd", 0.1, {"weight_decay": 0.01}),
    ("adam+wd", "adam", 1e-3, {"weight_decay": 0.01}),
]


def cosine_with_warmup(warmup):
    """torch's equivalent of --lr-schedule=cosine --warmup-steps=W over a run of `steps` steps."""
    def make(opt, steps):
        import warnings
        import torch
        warnings.filterwarnings("ignore", category=UserWarning, module="torch.optim.lr_scheduler")
        S = torch.optim.lr_scheduler
        return S.SequentialLR(opt, [S.LinearLR(opt, start_factor=1.0 / 3.0, total_iters=warmup),
                                    S.CosineAnnealingLR(opt, T_max=steps - warmup)], milestones=[warmup])
    return make


# Configurations with a learning-rate schedule: (label, --optimizer, lr, hypers, trainer flags, torch
# scheduler factory), compared over --schedule-steps steps.
SCHEDULED = [
    ("adam+cosine+warmup", "adam", 3e-3, {}, ["--lr-schedule=cosine", "--warmup-steps=20"], cosine_with_warmup(20)),
]
FLAGS = {"momentum": "--momentum", "lr_decay": "--lr-decay", "alpha": "--alpha", "epsilon": "--epsilon",
         "weight_decay": "--weight-decay"}


def rel_diffs(got, ref):
    return [abs(a - b) / max(abs(b), 1e-12) for a, b in zip(got, ref)]


def run(cmd):
    print("+ " + " ".join(cmd), flush=True)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
    if r.returncode != 0:
        sys.stdout.write(r.stdout)
        raise RuntimeError("command failed with exit status %d: %s" % (r.returncode, cmd[0]))
    return r.stdout


def check_one(args, label, optimizer, lr, hypers, workdir, n_steps=None, extra_flags=(), schedule=None):
    """Compile + run the mlc trainer for one config, compare with PyTorch. Returns True if within tol."""
    opt = label
    n_steps = n_steps or args.steps
    trainer = os.path.join(workdir, "trainer_" + label.replace("+", "_"))
    log = os.path.join(workdir, label.replace("+", "_") + ".jsonl")
    if os.path.exists(log):
        os.remove(log)
    compile_flags = ["--weight-decay"] if "weight_decay" in hypers and optimizer != "adamw" else []
    run([args.mlc, "compile", args.model, "--loss=cross_entropy", "--optimizer=" + optimizer,
         "--batch=%d" % BATCH, "--target=cpu", "-o", trainer] + compile_flags)
    run([trainer, "--data=" + args.data, "--no-shuffle", "--epochs=1",
         "--limit-train=%d" % (BATCH * n_steps), "--limit-test=%d" % BATCH,
         "--lr=%g" % lr, "--threads=1", "--log=" + log] +
        ["%s=%g" % (FLAGS[k], v) for k, v in sorted(hypers.items())] + list(extra_flags))
    steps, epochs = read_log(log)
    got = [float(r["loss"]) for r in steps]
    ref, model = reference_losses(args.model, args.data, optimizer, lr, n_steps, batch=BATCH,
                                  loss="cross_entropy", threads=1, return_model=True, hypers=hypers,
                                  schedule=schedule)
    ok = True
    if len(got) != len(ref):
        print("parity %s: FAIL step count differs: mlc %d, pytorch %d" % (opt, len(got), len(ref)))
        ok = False
    step_ids = [int(r["step"]) for r in steps]
    if step_ids != list(range(1, len(steps) + 1)):
        print("parity %s: FAIL step numbers are not 1..%d" % (opt, len(steps)))
        ok = False
    d = rel_diffs(got, ref)
    if d:
        i = max(range(len(d)), key=d.__getitem__)
        print("parity %s: worst relative difference %.1e over %d steps (step %d: mlc %.8g, pytorch %.8g)"
              % (opt, d[i], len(d), i + 1, got[i], ref[i]))
        if not d[i] <= args.tol:  # also catches NaN
            bad = [k + 1 for k, v in enumerate(d) if not v <= args.tol]
            print("parity %s: FAIL %d step(s) exceed tol %.1e, first at step %d"
                  % (opt, len(bad), args.tol, bad[0]))
            ok = False
    else:
        print("parity %s: FAIL no step losses in %s" % (opt, log))
        ok = False
    # Informational: the epoch's test metrics on the first BATCH test images.
    if epochs:
        xt, yt = load_split(args.data, "test", limit=BATCH)
        tl, ta = evaluate(model, xt.reshape((-1,) + model.sample_shape()), yt)
        e = epochs[-1]
        print("info %s: test_loss mlc %.6g pytorch %.6g; test_accuracy mlc %.4f pytorch %.4f"
              % (opt, float(e.get("test_loss", float("nan"))), tl,
                 float(e.get("test_accuracy", float("nan"))), ta))
    return ok


def self_test(data=DEFAULT_DATA):
    """Checks of the PyTorch reference alone (no mlc needed). Returns 0 on success."""
    import numpy as np
    import onnx
    import torch
    from onnx import helper, numpy_helper, TensorProto
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "models", "mlp"))
    import export_mlp
    from torch_reference import loss_fn, make_optimizer

    torch.set_num_threads(1)
    failures = []

    def check(cond, msg):
        print(("ok   " if cond else "FAIL ") + msg)
        if not cond:
            failures.append(msg)

    with tempfile.TemporaryDirectory() as tmp:
        path = export_mlp.export_mlp(os.path.join(tmp, "mlp.onnx"), hidden=128, seed=0)
        steps = 20
        x, y = load_split(data, "train", limit=BATCH * steps)
        x = x.reshape(-1, 1, 28, 28)

        # 1. First-step loss == loss of a direct forward pass of the fresh model.
        m = OnnxTorchModel(path)
        with torch.no_grad():
            direct = float(loss_fn("cross_entropy", m(x[:BATCH]), y[:BATCH]))
        for _, opt, lr, hypers in CONFIGS:
            losses = reference_losses(path, data, opt, lr, steps, hypers=hypers)
            check(len(losses) == steps, "%s: %d losses" % (opt, len(losses)))
            check(abs(losses[0] - direct) <= 1e-6 * abs(direct),
                  "%s: first-step loss %.7f == direct forward %.7f" % (opt, losses[0], direct))
            check(abs(direct - np.log(10)) < 0.1, "fresh MLP loss %.4f ~ ln 10 = 2.3026" % direct)
            check(np.mean(losses[-5:]) < np.mean(losses[:5]),
                  "%s: loss falls (%.3f -> %.3f)" % (opt, np.mean(losses[:5]), np.mean(losses[-5:])))

            # 2. Independent implementation: nn.Sequential from the same seed, same batches.
            net = export_mlp.build_mlp(128, 0)
            o = make_optimizer(opt, net.parameters(), lr, hypers)
            ref = []
            for s in range(steps):
                o.zero_grad()
                l = loss_fn("cross_entropy", net(x[s * BATCH:(s + 1) * BATCH]), y[s * BATCH:(s + 1) * BATCH])
                l.backward()
                o.step()
                ref.append(float(l))
            worst = max(rel_diffs(losses, ref))
            check(worst < 1e-5, "%s: ONNX-graph reference vs nn.Sequential worst rel diff %.1e" % (opt, worst))

        # 3. MatMul+Add orientation: same weights stored as W^T [784,128] for MatMul.
        g = onnx.load(path).graph
        w = {i.name: numpy_helper.to_array(i) for i in g.initializer}
        names = [i.name for i in g.initializer]
        w1, b1, w2, b2 = (w[n] for n in names)
        nodes = [
            helper.make_node("Flatten", ["image"], ["f"], axis=1),
            helper.make_node("MatMul", ["f", "w1t"], ["h0"]),
            helper.make_node("Add", ["h0", "b1"], ["h1"]),
            helper.make_node("Relu", ["h1"], ["h2"]),
            helper.make_node("MatMul", ["h2", "w2t"], ["o0"]),
            helper.make_node("Add", ["o0", "b2"], ["logits"]),
        ]
        graph = helper.make_graph(
            nodes, "mlp_matmul",
            [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 1, 28, 28])],
            [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 10])],
            [numpy_helper.from_array(np.ascontiguousarray(w1.T), "w1t"), numpy_helper.from_array(b1, "b1"),
             numpy_helper.from_array(np.ascontiguousarray(w2.T), "w2t"), numpy_helper.from_array(b2, "b2")])
        mm = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
        onnx.checker.check_model(mm)
        mm_path = os.path.join(tmp, "mlp_matmul.onnx")
        onnx.save(mm, mm_path)
        for _, opt, lr, hypers in CONFIGS:
            a = reference_losses(path, data, opt, lr, steps, hypers=hypers)
            b = reference_losses(mm_path, data, opt, lr, steps, hypers=hypers)
            worst = max(rel_diffs(b, a))
            check(worst < 1e-5, "%s: MatMul+Add graph vs Gemm(transB=1) graph worst rel diff %.1e" % (opt, worst))

        # 4. mse loss definition.
        out = torch.randn(4, 10)
        lab = torch.tensor([0, 3, 9, 3])
        manual = float(((out - torch.eye(10)[lab]) ** 2).mean())
        check(abs(float(loss_fn("mse", out, lab)) - manual) < 1e-6, "mse = mean((out - one_hot)^2)")

    print("self-test: %s" % ("PASS" if not failures else "FAIL (%d)" % len(failures)))
    return 0 if not failures else 1


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--mlc", help="path to BUILD_DIR/bin/mlc")
    p.add_argument("--model", help="ONNX model (e.g. build/models/mlp.onnx)")
    p.add_argument("--data", default=DEFAULT_DATA, help="IDX data directory (default %(default)s)")
    p.add_argument("--steps", type=int, default=50, help="training steps to compare")
    p.add_argument("--tol", type=float, default=1e-4, help="max per-step relative loss difference")
    p.add_argument("--workdir", help="where trainers and logs go (default: a temporary directory)")
    p.add_argument("--optimizers", default="", help="comma-separated config labels to run (default: all)")
    p.add_argument("--schedule-steps", type=int, default=200, help="steps compared for scheduled configs")
    p.add_argument("--self-test", action="store_true", help="test the PyTorch reference only (no mlc)")
    a = p.parse_args(argv)
    if a.self_test:
        return self_test(a.data)
    if not a.mlc or not a.model:
        p.error("--mlc and --model are required (or use --self-test)")
    tmp = None
    if a.workdir:
        os.makedirs(a.workdir, exist_ok=True)
        workdir = a.workdir
    else:
        tmp = tempfile.TemporaryDirectory(prefix="mlc_parity_")
        workdir = tmp.name
    ok = True
    try:
        for label, opt, lr, hypers in CONFIGS:
            if a.optimizers and label not in a.optimizers.split(","):
                continue
            try:
                ok = check_one(a, label, opt, lr, hypers, workdir) and ok
            except (RuntimeError, OSError, ValueError) as e:
                print("parity %s: FAIL %s" % (label, e))
                ok = False
        for label, opt, lr, hypers, flags, schedule in SCHEDULED:
            if a.optimizers and label not in a.optimizers.split(","):
                continue
            try:
                ok = check_one(a, label, opt, lr, hypers, workdir, a.schedule_steps, flags, schedule) and ok
            except (RuntimeError, OSError, ValueError) as e:
                print("parity %s: FAIL %s" % (label, e))
                ok = False
    finally:
        if tmp is not None:
            tmp.cleanup()
    print("parity: %s" % ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
