#!/usr/bin/python3
"""Export the PyTorch models of mlc's tabular and autoencoder examples to ONNX (seeded default init).

  logistic      IN -> 1 (a logit; bce_logits)
  linear        IN -> 1 (mse)
  mlp_regressor IN -> 64 -> ReLU -> 1 (mse)
  mlp_classifier IN -> 32 -> ReLU -> OUT (cross_entropy)
  autoencoder   784 -> 128 -> ReLU -> 32 -> ReLU -> 128 -> ReLU -> 784 -> Sigmoid (mse on the input)
Usage: export_tabular.py --model NAME --inputs IN [--outputs OUT] --out X.onnx [--seed S]
"""
import argparse

import torch
import torch.nn as nn


def build(model, inputs, outputs=1, seed=0):
    torch.manual_seed(seed)
    if model == "logistic" or model == "linear":
        return nn.Sequential(nn.Linear(inputs, 1))
    if model == "mlp_regressor":
        return nn.Sequential(nn.Linear(inputs, 64), nn.ReLU(), nn.Linear(64, 1))
    if model == "mlp_classifier":
        return nn.Sequential(nn.Linear(inputs, 32), nn.ReLU(), nn.Linear(32, outputs))
    if model == "autoencoder":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 32), nn.ReLU(),
                             nn.Linear(32, 128), nn.ReLU(), nn.Linear(128, 784), nn.Sigmoid())
    raise ValueError(model)


def export(model, inputs, out, outputs=1, seed=0):
    net = build(model, inputs, outputs, seed)
    shape = (1, 1, 28, 28) if model == "autoencoder" else (1, inputs)
    torch.onnx.export(net, torch.zeros(*shape), out, input_names=["x"], output_names=["y"], opset_version=13,
                      do_constant_folding=False, dynamic_axes={"x": {0: "N"}, "y": {0: "N"}})
    return net


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", required=True)
    p.add_argument("--inputs", type=int, default=784)
    p.add_argument("--outputs", type=int, default=1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    export(a.model, a.inputs, a.out, a.outputs, a.seed)


if __name__ == "__main__":
    main()
