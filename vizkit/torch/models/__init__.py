"""The five modern CNN families of lecture 5 in plain torch, layer for layer as torchvision builds them,
and a small Vision Transformer (:func:`vit`, with :func:`patchify`) for the ViT assignment.

Each function takes ``num_classes`` (default 1000) and returns an ``nn.Module``
with torchvision's module names and parameter counts, so a state dict saved
from torchvision loads into it. Build a model on the meta device to count or
chart it without allocating its weights:

>>> import torch
>>> from vizkit.torch import models
>>> with torch.device("meta"):
...     model = models.resnet50()
>>> sum(p.numel() for p in model.parameters())
25557032

:func:`architecture_table` gives parameters, depth and mult-adds of several
models as one table, for :func:`vizkit.architectures`.
"""

from __future__ import annotations

from vizkit.torch.models._classic import AlexNet, VGG, alexnet, vgg11, vgg16, vgg19
from vizkit.torch.models._dense import DenseBlock, DenseLayer, DenseNet, Transition, densenet121
from vizkit.torch.models._inception import BasicConv2d, GoogLeNet, Inception, InceptionAux, googlenet
from vizkit.torch.models._residual import BasicBlock, Bottleneck, ResNet, resnet18, resnet34, resnet50
from vizkit.torch.models._table import ARCHITECTURES, architecture_table
from vizkit.torch.models._vit import EncoderBlock, VisionTransformer, patchify, vit

__all__ = [
    "ARCHITECTURES",
    "AlexNet",
    "BasicBlock",
    "BasicConv2d",
    "Bottleneck",
    "DenseBlock",
    "DenseLayer",
    "DenseNet",
    "EncoderBlock",
    "GoogLeNet",
    "Inception",
    "InceptionAux",
    "ResNet",
    "Transition",
    "VGG",
    "VisionTransformer",
    "alexnet",
    "architecture_table",
    "densenet121",
    "googlenet",
    "patchify",
    "resnet18",
    "resnet34",
    "resnet50",
    "vgg11",
    "vgg16",
    "vgg19",
    "vit",
]
