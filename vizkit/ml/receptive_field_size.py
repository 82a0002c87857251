"""The receptive field of a stack of convolutions and poolings: how many input pixels one output pixel sees.

:func:`receptive_field` applies the standard recurrence layer by layer
(Araujo et al., "Computing receptive fields of convolutional neural
networks", Distill 2019): with the jump j (input pixels between two
neighbouring outputs, the product of the strides so far) and the effective
kernel k' = d·(k − 1) + 1 of a dilation d,

    r_l = r_{l−1} + (k'_l − 1)·j_{l−1},    j_l = j_{l−1}·s_l,    r_0 = j_0 = 1.

It reads (kernel, stride, dilation) tuples, dicts, or torch layers (any
object with ``kernel_size`` and ``stride``, such as ``Conv2d`` and
``MaxPool2d``; a module's layers in order) without importing torch.
Torch-free; :func:`vizkit.receptive_field` draws it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vizkit._core import bad_type, bad_value, check_number

__all__ = ["receptive_field"]

_LAYER = ("a (kernel, stride) or (kernel, stride, dilation) tuple, a dict with 'kernel' (and 'stride', "
          "'dilation', 'pool'), or a layer with kernel_size and stride (Conv2d, MaxPool2d, ...)")


def _first(value):
    """One side of a size given as an int or a per-axis tuple (the field is computed along one axis)."""
    return value[0] if isinstance(value, (tuple, list)) else value


def _layer(index: int, layer) -> dict:
    """(name, kernel, stride, dilation, pool) of one layer."""
    argument = f"layers[{index}]"
    if isinstance(layer, (tuple, list)) and len(layer) in (2, 3):
        spec = dict(zip(("kernel", "stride", "dilation"), layer, strict=False))
        name, pool = f"{spec['kernel']}×{spec['kernel']} conv", False
    elif isinstance(layer, dict) and "kernel" in layer:
        unknown = set(layer) - {"kernel", "stride", "dilation", "pool", "name"}
        if unknown:
            raise bad_value(argument, _LAYER, layer, got=f"a dict with {', '.join(map(repr, sorted(unknown)))}")
        spec, pool = layer, bool(layer.get("pool", False))
        name = layer.get("name") or f"{layer['kernel']}×{layer['kernel']} {'pool' if pool else 'conv'}"
    elif hasattr(layer, "kernel_size") and hasattr(layer, "stride"):
        spec = {"kernel": _first(layer.kernel_size), "stride": _first(layer.stride or layer.kernel_size),
                "dilation": _first(getattr(layer, "dilation", 1))}
        pool = "Pool" in type(layer).__name__
        name = type(layer).__name__
    else:
        raise bad_type(argument, _LAYER, layer)
    kernel = check_number(f"{argument} kernel", spec["kernel"], integer=True, low=1)
    stride = check_number(f"{argument} stride", spec.get("stride", 1), integer=True, low=1)
    dilation = check_number(f"{argument} dilation", spec.get("dilation", 1), integer=True, low=1)
    return {"name": str(name), "kernel": kernel, "stride": stride, "dilation": dilation, "pool": pool}


def _layers(layers) -> list:
    if hasattr(layers, "modules") and callable(layers.modules):  # a torch module: its layers with a kernel
        return [m for m in layers.modules() if hasattr(m, "kernel_size") and hasattr(m, "stride")]
    if isinstance(layers, (str, bytes, dict)) or not hasattr(layers, "__iter__"):
        raise bad_type("layers", f"a list of layers, each {_LAYER}; or a torch module", layers)
    return list(layers)


def receptive_field(layers) -> pd.DataFrame:
    """The receptive field after each layer of a stack: one row per layer.

    Parameters
    ----------
    layers : list, or a torch module
        In order, each a ``(kernel, stride)`` or ``(kernel, stride,
        dilation)`` tuple (a convolution), a dict with ``kernel`` and
        optionally ``stride``, ``dilation``, ``pool`` (True for a pooling:
        no weights) and ``name``, or a layer object with ``kernel_size`` and
        ``stride`` (``torch.nn.Conv2d``, ``MaxPool2d``, ``AvgPool2d``; torch is
        not imported). A torch module is read as its layers with a kernel, in
        registration order (other layers do not change the field). Square
        kernels are assumed: the first side of a per-axis size is used.

    Returns
    -------
    DataFrame
        ``layer`` (1, 2, ...), ``name``, ``kernel``, ``stride``, ``dilation``,
        ``pool``, ``jump`` (input pixels between neighbouring outputs after
        the layer: the product of the strides), ``field`` (the receptive
        field's side in input pixels) and ``weights`` (the weights of the
        convolutions so far in units of C², for C channels in and out and no
        bias: the sum of k²).

    Examples
    --------
    Two 3×3 convolutions see 5×5 pixels with 18C² weights, one 5×5
    convolution the same with 25C² (the VGG argument):

    >>> from vizkit.ml import receptive_field
    >>> receptive_field([(3, 1), (3, 1)])[["layer", "field", "weights"]].values.tolist()
    [[1, 3, 9], [2, 5, 18]]
    >>> receptive_field([(5, 1)])["weights"].tolist(), receptive_field([(3, 1)] * 3)["field"].tolist()
    ([25], [3, 5, 7])
    >>> receptive_field([(3, 1), {"kernel": 2, "stride": 2, "pool": True}, (3, 1)])["field"].tolist()
    [3, 4, 8]
    """
    rows = [_layer(i, layer) for i, layer in enumerate(_layers(layers))]
    if not rows:
        raise bad_value("layers", "at least one layer with a kernel", layers, got="none")
    table = pd.DataFrame(rows)
    effective = table["dilation"].to_numpy() * (table["kernel"].to_numpy() - 1) + 1
    jump = np.cumprod(table["stride"].to_numpy())
    before = np.concatenate([[1], jump[:-1]])  # the jump into each layer
    table.insert(0, "layer", np.arange(1, len(table) + 1))
    table["jump"] = jump
    table["field"] = 1 + np.cumsum((effective - 1) * before)
    table["weights"] = np.cumsum(np.where(table["pool"], 0, table["kernel"].to_numpy() ** 2))
    return table
