#!/usr/bin/python3
"""Export the model zoo to ONNX for mlc, in PyTorch's training mode (BatchNormalization with its
running-statistic outputs; opset 15 unless --opset says otherwise): a two-conv CNN with batch norm,
LeNet-5, and torchvision's classification zoo adapted to 1x28x28 input (the stem convolution takes
one channel at stride 1 where the original's downsampling would leave nothing of 28x28; dropout
and stochastic depth off, so that PyTorch and mlc train the same function: mlc draws its own
masks)."""
import argparse
import os

import onnx
import torch
import torch.nn as nn
from onnx import numpy_helper
import torchvision

MODELS = ("cnn_bn", "resnet18", "mobilenet_v2", "resnet34", "resnet50", "mobilenet_v3_small", "shufflenet_v2",
          "squeezenet", "densenet121", "efficientnet_b0", "regnet_y_400mf", "vgg11_bn", "googlenet", "vit")


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


def one_channel(conv, stride=1, kernel=None, padding=None):
    """`conv` rebuilt for one input channel at `stride` (and optionally another kernel / padding)."""
    kernel = conv.kernel_size if kernel is None else kernel
    padding = conv.padding if padding is None else padding
    return nn.Conv2d(1, conv.out_channels, kernel_size=kernel, stride=stride, padding=padding,
                     bias=conv.bias is not None)


def resnet(depth):
    """ResNet-34/50 as ResNet-18 above: a 3x3 stride-1 stem."""
    model = getattr(torchvision.models, "resnet%d" % depth)(num_classes=10)
    model.conv1 = nn.Conv2d(1, 64, kernel_size=3, stride=1, padding=1, bias=False)
    return model


def mobilenet_v3_small():
    model = torchvision.models.mobilenet_v3_small(num_classes=10, dropout=0.0)
    model.features[0][0] = one_channel(model.features[0][0])
    return model


def shufflenet_v2():
    """ShuffleNetV2 x0.5: channel shuffles are Reshape/Transpose/Reshape, branches Split (chunk)."""
    model = torchvision.models.shufflenet_v2_x0_5(num_classes=10)
    model.conv1[0] = one_channel(model.conv1[0])
    return model


def squeezenet():
    """SqueezeNet 1.1: fire modules (1x1 squeeze, 1x1 and 3x3 expands concatenated), ceil-mode
    max pools, a convolutional classifier averaged globally."""
    model = torchvision.models.squeezenet1_1(num_classes=10, dropout=0.0)
    model.features[0] = one_channel(model.features[0])
    return model


def densenet121():
    """DenseNet-121: every layer's input the concatenation of all before it in its block."""
    model = torchvision.models.densenet121(num_classes=10)
    model.features.conv0 = one_channel(model.features.conv0, kernel=3, padding=1)
    return model


def efficientnet_b0():
    """EfficientNet-B0: MBConv blocks with squeeze-and-excitation and SiLU."""
    model = torchvision.models.efficientnet_b0(num_classes=10, stochastic_depth_prob=0.0)
    model.classifier[0].p = 0.0  # the builder fixes B0's dropout at 0.2
    model.features[0][0] = one_channel(model.features[0][0])
    return model


def regnet_y_400mf():
    """RegNetY-400MF: grouped 3x3 convolutions (group width 8) with squeeze-and-excitation."""
    model = torchvision.models.regnet_y_400mf(num_classes=10)
    model.stem[0] = one_channel(model.stem[0])
    return model


def vgg11_bn():
    """VGG-11 with batch norm: four of its five max pools (28 -> 1), the average pool global and the
    first classifier layer 512 -> 4096 instead of 25088 -> 4096."""
    model = torchvision.models.vgg11_bn(num_classes=10, dropout=0.0)
    model.features[0] = one_channel(model.features[0], padding=1)
    model.features = nn.Sequential(*list(model.features)[:-1])
    model.avgpool = nn.AdaptiveAvgPool2d(1)
    model.classifier[0] = nn.Linear(512, 4096)
    return model


def googlenet():
    """GoogLeNet (Inception v1) without its auxiliary heads, a 3x3 stride-1 stem."""
    model = torchvision.models.googlenet(num_classes=10, aux_logits=False, init_weights=True, dropout=0.0)
    model.conv1.conv = one_channel(model.conv1.conv, kernel=3, padding=1)
    return model


def vit():
    """A ViT-B/16-style vision transformer at a small size: 7x7 patches of 28x28 (16 tokens and a
    class token), 4 encoder layers of 4-head attention, width 64, MLP 128 (GELU), LayerNorm."""
    model = torchvision.models.VisionTransformer(image_size=28, patch_size=7, num_layers=4, num_heads=4,
                                                 hidden_dim=64, mlp_dim=128, num_classes=10)
    model.conv_proj = nn.Conv2d(1, 64, kernel_size=7, stride=7)
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
    return {"cnn_bn": cnn_bn, "resnet18": resnet18, "mobilenet_v2": mobilenet_v2, "lenet5": lenet5,
            "resnet34": lambda: resnet(34), "resnet50": lambda: resnet(50), "mobilenet_v3_small": mobilenet_v3_small,
            "shufflenet_v2": shufflenet_v2, "squeezenet": squeezenet, "densenet121": densenet121,
            "efficientnet_b0": efficientnet_b0, "regnet_y_400mf": regnet_y_400mf, "vgg11_bn": vgg11_bn,
            "googlenet": googlenet, "vit": vit}[name]()


def export(model, out, batch=64, opset=15):
    """Export `model` (input [batch, 1, 28, 28]) in training mode at `opset`; its weights are left as
    they were."""
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    state = {k: v.clone() for k, v in model.state_dict().items()}
    model.train()
    torch.onnx.export(model, torch.zeros(batch, 1, 28, 28), out, input_names=["image"],
                      output_names=["logits"], opset_version=opset, do_constant_folding=False,
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
    p.add_argument("--opset", type=int, default=15, help="ONNX opset of the export (11 to 17)")
    a = p.parse_args(argv)
    print(export(build(a.model, a.seed), a.out, a.batch, a.opset))


if __name__ == "__main__":
    main()
