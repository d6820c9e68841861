#!/usr/bin/env python3
"""GPU benchmark: one epoch of the 784-128-10 MLP (Adam, batch 64) in PyTorch eager and torch.compile
on the same GPU, against an mlc CUDA trainer's epoch time read from its --log; prints the ratios.

Run on the GPU machine with the python3 that has torch (the Debian interpreter is not needed):
    python3 bench/gpu_mlp_epoch.py --model mlp.onnx --data DIR --mlc-log cuda_epoch.jsonl
"""
import reference_env  # noqa: F401  (first: PyTorch without the OpenBLAS overrides)
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))
sys.path.insert(0, os.path.join(HERE, "..", "models", "mlp"))


def epoch_seconds(log_path):
    for line in open(log_path):
        rec = json.loads(line)
        if "seconds" in rec:
            return rec["seconds"], rec["test_accuracy"]
    raise SystemExit("no epoch record in %s" % log_path)


def pytorch_epoch(model_path, data, batch, lr, compiled):
    import torch
    import torch.nn.functional as F
    from onnx import load, numpy_helper
    from torch_reference import load_split
    import export_mlp

    dev = torch.device("cuda")
    net = export_mlp.build_mlp(128, 0)
    state = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy())
             for i in load(model_path).graph.initializer}
    net.load_state_dict(state)
    net = net.to(dev)
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    x, y = load_split(data, "train")
    x = x.reshape(-1, 1, 28, 28).to(dev)
    y = y.to(dev)
    step_fn = net
    if compiled:
        step_fn = torch.compile(net)

    def step(xb, yb):
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(step_fn(xb), yb)
        loss.backward()
        opt.step()
        return loss

    steps = x.shape[0] // batch
    for s in range(3):  # warm-up (compilation for torch.compile), not timed
        step(x[s * batch:(s + 1) * batch], y[s * batch:(s + 1) * batch])
    torch.cuda.synchronize()
    order = torch.randperm(x.shape[0], device=dev)
    t0 = time.perf_counter()
    for s in range(steps):
        idx = order[s * batch:(s + 1) * batch]
        step(x[idx], y[idx])
    torch.cuda.synchronize()
    return time.perf_counter() - t0, steps


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--model", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--mlc-log", required=True, help="--log of one epoch of the mlc CUDA trainer")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    a = p.parse_args()
    import torch
    print("gpu: %s, torch %s" % (torch.cuda.get_device_name(0), torch.__version__))
    mlc_s, mlc_acc = epoch_seconds(a.mlc_log)
    eager_s, steps = pytorch_epoch(a.model, a.data, a.batch, a.lr, compiled=False)
    try:
        compiled_s, _ = pytorch_epoch(a.model, a.data, a.batch, a.lr, compiled=True)
    except Exception as e:  # torch.compile needs a working Triton; report instead of failing
        compiled_s = None
        print("torch.compile unavailable: %s" % str(e).splitlines()[0])
    ms = lambda sec: 1e3 * sec / steps
    print("gpu mlp epoch: mlc %.3f ms/step, pytorch eager %.3f ms/step, speedup (eager/mlc) %.2fx"
          % (ms(mlc_s), ms(eager_s), eager_s / mlc_s))
    if compiled_s is not None:
        print("gpu mlp epoch: torch.compile %.3f ms/step, speedup (compile/mlc) %.2fx"
              % (ms(compiled_s), compiled_s / mlc_s))
    print("gpu mlp test accuracy (mlc): %.4f" % mlc_acc)


if __name__ == "__main__":
    main()
