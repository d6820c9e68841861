#!/usr/bin/python3
"""Export the issue-4 model zoo to ONNX for mlc, in PyTorch's training mode (BatchNormalization with
its running-statistic outputs, opset 15): a two-conv CNN with batch norm, and torchvision's ResNet-18
and MobileNetV2 with the first convolution adapted to 1x28x28 input (one input channel, stride 1)."""
import argparse
import os

import onnx
import torch
import torch.nn as nn
from onnx import numpy_helper
import torchvision

MODELS = ("cnn_bn", "resnet18", "mobilenet_v2")


def cnn_bn():
    """The two-conv Fashion-MNIST CNN with batch norm after each convolution."""
    return nn.Sequential(
        nn.Conv2d(1, 32, 5, padding=2), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5, padding=2), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 1024), nn.ReLU(), nn.Linear(1024, 10))


def resnet18():
    """torchvision ResNet-18 for 1x28x28: a 3x3 stride-1 stem (the max-pool then halves 28 to 14)."""
    model = torchvision.models.resnet18(num_classes=10)
    model.conv1 = nn.Conv2d(1, 64, kernel_size=3, stride=1, padding=1, bias=False)
    return model


def mobilenet_v2(dropout=0.0):
    """torchvision MobileNetV2 for 1x28x28: the stem convolution takes one channel at stride 1.
    The classifier's dropout defaults to 0 so PyTorch and mlc train the same function (mlc draws
    its own dropout masks)."""
    model = torchvision.models.mobilenet_v2(num_classes=10, dropout=dropout)
    stem = model.features[0][0]
    model.features[0][0] = nn.Conv2d(1, stem.out_channels, kernel_size=3, stride=1, padding=1, bias=False)
    return model


def lenet5():
    """LeNet-5 as LeCun et al. (1998) drew it, for 28x28 inputs: tanh, average pooling, 6 and 16
    5x5 filters (the first padded), 120-84-10 dense layers."""
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.Tanh(), nn.AvgPool2d(2),
                         nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2), nn.Flatten(),
                         nn.Linear(400, 120), nn.Tanh(), nn.Linear(120, 84), nn.Tanh(), nn.Linear(84, 10))


def build(name, seed=0):
    """Model `name` (one of MODELS, or lenet5), initialised deterministically from `seed`."""
    torch.manual_seed(seed)
    return {"cnn_bn": cnn_bn, "resnet18": resnet18, "mobilenet_v2": mobilenet_v2, "lenet5": lenet5}[name]()


def export(model, out, batch=64):
    """Export `model` (input [batch, 1, 28, 28]) in training mode; its weights are left as they were."""
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    state = {k: v.clone() for k, v in model.state_dict().items()}
    model.train()
    torch.onnx.export(model, torch.zeros(batch, 1, 28, 28), out, input_names=["image"],
                      output_names=["logits"], opset_version=15, do_constant_folding=False,
                      training=torch.onnx.TrainingMode.TRAINING)
    # Tracing ran the model once in training mode, which updated its running statistics before
    # they were written out: restore them, in the module and in the ONNX initializers.
    model.load_state_dict(state)
    onnx_model = onnx.load(out)
    for init in onnx_model.graph.initializer:
        if init.name in state and ("running_" in init.name):
            init.CopyFrom(numpy_helper.from_array(state[init.name].numpy(), init.name))
    onnx.save(onnx_model, out)
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("model", choices=MODELS)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--batch", type=int, default=64)
    a = p.parse_args(argv)
    print(export(build(a.model, a.seed), a.out, a.batch))


if __name__ == "__main__":
    main()
