#!/usr/bin/python3
"""Per-step loss parity of mlc-trained convolutional models with PyTorch.

Each model is built in PyTorch (seeded), exported to ONNX, compiled by mlc and trained on the
first STEPS batches of Fashion-MNIST in file order; PyTorch trains the same module from the same
weights on the same batches. The worst relative difference of the per-step losses must stay
within --tol. Models: LeNet-5 (conv, average and max pooling), a depthwise-separable block
(stride-2 conv, depthwise conv, 1x1 conv, ReLU6 as Clip, global average pooling) and the
two-conv CNN of the accuracy run without its dropout layer (mlc's masks are not PyTorch's); a
pixel-token embedding classifier (int64 token-id input, Gather on a trained table: models/embedding);
and, exported in training mode, the CNN with batch norm, ResNet-18 and MobileNetV2 (models/zoo).

Batch-norm models train with batch statistics and evaluate with running statistics. After the
steps the script also compares mlc's test loss on the first 64 test images (its @eval_step, on
the running statistics its train steps kept) with PyTorch's in eval mode. ONNX blends the biased
batch variance into the running variance where PyTorch blends the unbiased one, so the reference
converts PyTorch's running variances to ONNX's before evaluating (an exact, per-layer rescaling).

SGD is the gradient check (issue 4: within 1e-3 over 20 steps). Adam is held to a looser
--adam-tol: it divides each gradient by its running RMS, so parameters whose gradients are at
float-rounding level early on take full-size steps in rounding-dependent directions, and two
correct implementations that sum in different orders drift apart (most on the 3.2M-parameter CNN).

--floor also trains PyTorch from weights perturbed by 1e-6 (relative) and reports how far PyTorch
drifts from itself; where that floor is above the tolerance (a run chaotic at float32 rounding,
MobileNetV2 at 1.5e-2), mlc is held to twice the floor instead (issue 17's criterion).

--f64 also trains the PyTorch model in float64 from the same weights and reports how far mlc and
PyTorch (both float32) each are from it: where float32 training is itself ill-conditioned
(MobileNetV2), the two float32 runs cannot agree more closely than either agrees with the
float64 one, and this shows whether mlc is as accurate as PyTorch.
"""
import argparse
import copy
import os
import subprocess
import sys
import tempfile

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "models", "cnn"))
from torch_reference import load_split, read_log  # noqa: E402
sys.path.insert(0, os.path.join(HERE, "..", "..", "models", "zoo"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "models", "embedding"))
from export_cnn import build_cnn, export  # noqa: E402
import export_embedding  # noqa: E402
import export_token_encoder  # noqa: E402
import export_zoo  # noqa: E402


def lenet5():
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.AvgPool2d(2),
                         nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def depthwise_block():
    return nn.Sequential(nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.ReLU6(),
                         nn.Conv2d(16, 16, 3, padding=1, groups=16), nn.ReLU6(),
                         nn.Conv2d(16, 32, 1), nn.ReLU6(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(32, 10))


# name -> (builder, exporter, SGD learning rate). The batch-norm models train slower: at 0.05 (the
# CNN) or 0.01 (ResNet-18) their PyTorch training is chaotic enough that PyTorch disagrees with
# itself by more than 1e-3 within 20 steps when the initial weights move by 1e-6 (relative), as
# --floor shows (cnn_bn at 0.01: 1.0e-4; resnet18 at 0.01: 1.5e-2, at 0.001: 1.8e-4).
MODELS = {"lenet5": (lenet5, export, 0.05), "depthwise": (depthwise_block, export, 0.05),
          "cnn": (lambda: build_cnn(seed=0, dropout=0), export, 0.05)}
for _zoo, _lr in (("cnn_bn", 0.01), ("resnet18", 0.001), ("mobilenet_v2", 0.001)):
    MODELS[_zoo] = (lambda name=_zoo: export_zoo.build(name), export_zoo.export, _lr)
# Token ids: each pixel's byte value indexes an embedding table (the trainer feeds the bytes as i32).
MODELS["embedding"] = (export_embedding.build, export_embedding.export, 0.05)
# A text-style transformer encoder over the same tokens (models/embedding/export_token_encoder.py).
MODELS["token_encoder"] = (export_token_encoder.build, export_token_encoder.export, 0.01)
# The same with blank tokens masked out of attention (a key_padding_mask: boolean reshapes, Where).
MODELS["token_encoder_masked"] = (lambda: export_token_encoder.build(mask=True), export_token_encoder.export, 0.01)


def model_input(x, dtype=torch.float32):
    """The images [n, 28, 28] (bytes / 255) as the image models take them: [n, 1, 28, 28]."""
    return x.reshape(-1, 1, 28, 28).to(dtype)


def token_input(x, dtype=None):
    """The images as the embedding model takes them: each pixel's byte as a token id, [n, 784]
    (integers whatever `dtype`)."""
    return (x * 255).round().long().reshape(-1, 784)


INPUTS = {"embedding": token_input, "token_encoder": token_input, "token_encoder_masked": token_input}


def perturbed(model, eps=1e-6):
    """A copy of `model` with every parameter scaled by (1 + eps * N(0, 1)), seeded."""
    twin = copy.deepcopy(model)
    gen = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for p in twin.parameters():
            p.mul_(1 + eps * torch.randn(p.shape, generator=gen))
    return twin


def worst_relative(got, want):
    rel = [abs(g - w) / max(abs(w), 1e-12) for g, w in zip(got, want)]
    worst = max(range(len(rel)), key=rel.__getitem__)
    return rel, worst


class BatchNormSizes:
    """Records the number of values each batch-norm layer reduces over (N*H*W) while training."""

    def __init__(self, model):
        self.count = {}
        for m in model.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                m.register_forward_hook(self.hook)

    def hook(self, module, inputs, output):
        x = inputs[0]
        self.count[module] = x.numel() // x.shape[1]


def onnx_running_variances(model, sizes, steps):
    """Turn PyTorch's running variances (blends of unbiased batch variances) into ONNX's (biased):
    var = m^T v0 + sum_t w_t u_t with u_t = n/(n-1) b_t, so the biased blend is
    m^T v0 + (n-1)/n (var - m^T v0), v0 = 1 (PyTorch's initial running variance)."""
    for module, n in sizes.count.items():
        decay = (1 - module.momentum) ** steps
        with torch.no_grad():
            module.running_var.copy_(decay + (n - 1) / n * (module.running_var - decay))


def torch_eval_loss(model, sizes, steps, data, to_input=model_input):
    onnx_running_variances(model, sizes, steps)
    x, y = load_split(data, "test", limit=64)
    model.eval()
    with torch.no_grad():
        return nn.functional.cross_entropy(model(to_input(x)), y).item()


def torch_losses(model, optimizer, lr, steps, data, dtype=torch.float32, to_input=model_input):
    torch.set_num_threads(1)
    x, y = load_split(data, "train", limit=64 * steps)
    x = to_input(x, dtype)
    opt = torch.optim.SGD(model.parameters(), lr=lr) if optimizer == "sgd" else torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for s in range(steps):
        loss = nn.functional.cross_entropy(model(x[s * 64:(s + 1) * 64]), y[s * 64:(s + 1) * 64])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


def mlc_losses(mlc, onnx_path, optimizer, lr, steps, data, work):
    trainer = os.path.join(work, "trainer_" + optimizer)
    subprocess.run([mlc, "compile", onnx_path, "--loss=cross_entropy", "--optimizer=" + optimizer, "--batch=64",
                    "--target=cpu", "-o", trainer], check=True)
    log = os.path.join(work, optimizer + ".jsonl")
    subprocess.run([trainer, "--data=" + data, "--epochs=1", "--lr=%g" % lr, "--no-shuffle", "--threads=1",
                    "--limit-train=%d" % (64 * steps), "--limit-test=64", "--log=" + log],
                   check=True, stdout=subprocess.DEVNULL)
    steps, epochs = read_log(log)
    return [float(r["loss"]) for r in steps], float(epochs[-1]["test_loss"])


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mlc", required=True)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--models", default="lenet5,depthwise,cnn")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--optimizers", default="sgd,adam")
    ap.add_argument("--tol", type=float, default=1e-3, help="SGD: worst relative loss difference")
    ap.add_argument("--adam-tol", type=float, default=5e-2, help="Adam: worst relative loss difference")
    ap.add_argument("--sgd-lr", type=float, default=None, help="override every model's SGD learning rate")
    ap.add_argument("--floor", action="store_true",
                    help="also train PyTorch from weights perturbed by 1e-6, report how far it drifts from itself, "
                         "and where that is above the tolerance hold mlc to twice it")
    ap.add_argument("--f64", action="store_true",
                    help="also train PyTorch in float64 and report mlc's and PyTorch's distance from it")
    args = ap.parse_args()
    ok = True
    for name in args.models.split(","):
        for optimizer in args.optimizers.split(","):
            build, exporter, sgd_lr = MODELS[name]
            sgd_lr = args.sgd_lr or sgd_lr
            lr, tol = (sgd_lr, args.tol) if optimizer == "sgd" else (1e-3, args.adam_tol)
            torch.manual_seed(0)
            model = build()
            twin = perturbed(model) if args.floor else None
            wide = copy.deepcopy(model).double() if args.f64 else None
            with tempfile.TemporaryDirectory() as work:
                path = os.path.join(work, name + ".onnx")
                exporter(model, path)
                got, got_eval = mlc_losses(args.mlc, path, optimizer, lr, args.steps, args.data, work)
            sizes = BatchNormSizes(model)
            to_input = INPUTS.get(name, model_input)
            want = torch_losses(model.train(), optimizer, lr, args.steps, args.data, to_input=to_input)
            if len(got) != len(want):
                print("parity %s %s: FAIL (%d mlc steps, %d pytorch steps)" % (name, optimizer, len(got), len(want)))
                ok = False
                continue
            rel, worst = worst_relative(got, want)
            # Where PyTorch disagrees with itself by more than the tolerance (weights moved by
            # 1e-6: a chaotic run), mlc is held to twice that floor instead, as issue 17 states it.
            step_tol, why = tol, ""
            if twin is not None:
                floor, at = worst_relative(torch_losses(twin.train(), optimizer, lr, args.steps, args.data, to_input=to_input), want)
                print("floor %s %s: pytorch from weights perturbed by 1e-6 drifts %.1e from pytorch (step %d)"
                      % (name, optimizer, floor[at], at + 1))
                if 2 * floor[at] > tol:
                    step_tol, why = 2 * floor[at], " (tolerance %.1e: twice pytorch's own floor)" % (2 * floor[at])
            passed = rel[worst] <= step_tol
            ok &= passed
            print("parity %s %s: worst relative difference %.1e over %d steps (step %d: mlc %.8g, pytorch %.8g) %s%s"
                  % (name, optimizer, rel[worst], len(rel), worst + 1, got[worst], want[worst],
                     "PASS" if passed else "FAIL", why))
            if wide is not None:
                exact = torch_losses(wide.train(), optimizer, lr, args.steps, args.data, torch.float64, to_input)
                (mlc_rel, mlc_at), (pt_rel, pt_at) = worst_relative(got, exact), worst_relative(want, exact)
                print("float64 %s %s: from pytorch float64, mlc deviates %.1e (step %d), pytorch float32 %.1e (step %d)"
                      % (name, optimizer, mlc_rel[mlc_at], mlc_at + 1, pt_rel[pt_at], pt_at + 1))
            if sizes.count:
                want_eval = torch_eval_loss(model, sizes, args.steps, args.data, to_input)
                rel_eval = abs(got_eval - want_eval) / abs(want_eval)
                passed = rel_eval <= tol
                ok &= passed
                print("parity %s %s eval (running statistics): relative difference %.1e (mlc %.8g, pytorch %.8g) %s"
                      % (name, optimizer, rel_eval, got_eval, want_eval, "PASS" if passed else "FAIL"))
    print("parity_cnn: %s" % ("PASS" if ok else "FAIL"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
