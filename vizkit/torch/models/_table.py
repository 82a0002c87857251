"""Parameters, depth and mult-adds of architectures, one row per model: the table :func:`vizkit.architectures` draws."""

from __future__ import annotations

import pandas as pd
import torch
from torch import fx, nn
from torch.utils.flop_counter import FlopCounterMode

from vizkit._core.errors import bad_choice, bad_type
from vizkit.torch.models._classic import alexnet, vgg11, vgg16, vgg19
from vizkit.torch.models._dense import densenet121
from vizkit.torch.models._inception import googlenet
from vizkit.torch.models._residual import resnet18, resnet34, resnet50

__all__ = ["ARCHITECTURES", "architecture_table"]

# name: (builder, family, year of the paper)
ARCHITECTURES = {
    "AlexNet": (alexnet, "AlexNet", 2012),
    "VGG-11": (vgg11, "VGG", 2014),
    "VGG-16": (vgg16, "VGG", 2014),
    "VGG-19": (vgg19, "VGG", 2014),
    "GoogLeNet": (googlenet, "GoogLeNet", 2014),
    "ResNet-18": (resnet18, "ResNet", 2015),
    "ResNet-34": (resnet34, "ResNet", 2015),
    "ResNet-50": (resnet50, "ResNet", 2015),
    "DenseNet-121": (densenet121, "DenseNet", 2016),
}

_WEIGHT_LAYERS = (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear)


def architecture_table(models=None, *, input_size=(3, 224, 224), mult_adds: bool = True) -> pd.DataFrame:
    """Parameters, weight layers, depth and mult-adds of each model, one row per model.

    Models are built on the meta device: nothing is allocated and no real
    forward pass runs. Mult-adds are ``torch.utils.flop_counter.FlopCounterMode``'s
    FLOPs of one image, halved (one multiply-add is two FLOPs).

    Parameters
    ----------
    models : None, list of str or dict, default None
        None: all of :data:`ARCHITECTURES` (AlexNet, VGG-11/16/19, GoogLeNet,
        ResNet-18/34/50, DenseNet-121). A list: names from it. A dict: a name
        for each ``nn.Module`` (or function that builds one) of your own.
    input_size : tuple of int, default (3, 224, 224)
        One image's shape, for mult-adds.
    mult_adds : bool, default True
        Count mult-adds (about a second for DenseNet-121 on one core); False leaves the column out.

    Returns
    -------
    pandas.DataFrame
        Columns ``model``, ``family``, ``year`` (empty for your own models), ``parameters``,
        ``weight_layers`` (convolutions and linear layers), ``depth`` (weight layers on the
        longest path from input to output, traced with ``torch.fx``: the 50 of ResNet-50, where
        ``weight_layers`` also counts its 4 projection shortcuts) and ``mult_adds``.

    Examples
    --------
    >>> from vizkit.torch.models import architecture_table
    >>> architecture_table(["AlexNet", "ResNet-18"])[["model", "parameters", "weight_layers", "depth", "mult_adds"]]
           model  parameters  weight_layers  depth   mult_adds
    0    AlexNet    61100840              8      8   714188480
    1  ResNet-18    11689512             21     18  1814073344
    """
    builders = _builders(models)
    rows = [_row(name, build, family, year, input_size, mult_adds) for name, (build, family, year) in builders.items()]
    return pd.DataFrame(rows)


def _builders(models) -> dict:
    if models is None:
        return dict(ARCHITECTURES)
    if isinstance(models, dict):
        for name, model in models.items():
            if not (isinstance(model, nn.Module) or callable(model)):
                raise bad_type(f"models[{name!r}]", "an nn.Module or a function that builds one", model)
        return {str(name): (model, "", None) for name, model in models.items()}
    if isinstance(models, str) or not hasattr(models, "__iter__"):
        raise bad_type("models", "None, a list of architecture names or a dict of modules", models)
    chosen = {}
    for name in models:
        if name not in ARCHITECTURES:
            raise bad_choice("models", name, list(ARCHITECTURES))
        chosen[name] = ARCHITECTURES[name]
    return chosen


def _row(name, build, family, year, input_size, mult_adds) -> dict:
    with torch.device("meta"):
        model = build if isinstance(build, nn.Module) else build()
    model = model.eval()
    row = {
        "model": name,
        "family": family or type(model).__name__,
        "year": year,
        "parameters": sum(p.numel() for p in {id(p): p for p in model.parameters()}.values()),
        "weight_layers": sum(isinstance(m, _WEIGHT_LAYERS) for m in model.modules()),
        "depth": _depth(model),
    }
    if mult_adds:
        with FlopCounterMode(display=False) as counter:
            model(torch.empty(1, *input_size, device="meta"))
        row["mult_adds"] = counter.get_total_flops() // 2
    return row


def _depth(model: nn.Module) -> int:
    """Weight layers on the longest path from input to output of the traced graph."""
    graph = fx.symbolic_trace(model).graph
    modules = dict(model.named_modules())
    depth: dict = {}
    for node in graph.nodes:
        before = max((depth[arg] for arg in node.all_input_nodes), default=0)
        weighted = node.op == "call_module" and isinstance(modules[node.target], _WEIGHT_LAYERS)
        depth[node] = before + weighted
        if node.op == "output":
            return depth[node]
    return 0
