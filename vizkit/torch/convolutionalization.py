"""Convolutionalization (DL lecture 6): a classifier's fully connected head rewritten as convolutions.

A classifier that ends ``... -> Flatten -> Linear(C·k·k, n) -> ReLU -> Linear(n, m)``
sees a C×k×k feature map through its first Linear layer. The same weights,
reshaped to ``Conv2d(C, n, k)``, compute that layer at every k×k window of a
larger feature map; each further Linear layer becomes a 1×1 convolution. On
the input size the classifier was trained on the new network gives the same
logits (as a 1×1 map); on a larger image it gives a map of class scores, one
per window: the first step from classification to semantic segmentation
(Long, Shelhamer and Darrell, *Fully Convolutional Networks*, 2015).
"""

from __future__ import annotations

import copy

import torch
from torch import nn

from vizkit._core import bad_type, bad_value

__all__ = ["convolutionalize"]

# Layers that act elementwise (or per channel) and so work unchanged on a map of positions.
_POINTWISE = (nn.ReLU, nn.LeakyReLU, nn.GELU, nn.SiLU, nn.Tanh, nn.Sigmoid, nn.ELU, nn.Identity, nn.Dropout)
_HEAD_LAYERS = "Linear layers and pointwise activations (ReLU, GELU, Tanh, Dropout, ...)"


_META_ABOVE = 5_000_000  # parameters: a larger feature stack is measured on the meta device (no memory, no compute)


def _feature_shape(features: nn.Sequential, input_size, device) -> tuple[int, int, int]:
    """The C×H×W shape the layers before Flatten give on one input of ``input_size``.

    A small stack runs one input of zeros (milliseconds); a large one runs on a copy on the meta device,
    which allocates nothing but costs a second the first time torch loads its meta kernels.
    """
    shape = None
    if sum(p.numel() for p in features.parameters()) > _META_ABOVE:
        try:
            with torch.no_grad():
                shape = copy.deepcopy(features).to("meta")(torch.zeros((1, *input_size), device="meta")).shape
        except (RuntimeError, NotImplementedError):  # a layer the meta device does not run: use the model's device
            shape = None
    if shape is None:
        was_training = features.training
        features.eval()  # batch norm and dropout must not see (or count) the probe
        try:
            with torch.no_grad():
                shape = features(torch.zeros((1, *input_size), device=device)).shape
        finally:
            features.train(was_training)
    if len(shape) != 4:
        raise bad_value("model", "layers before Flatten that give a C×H×W feature map", None,
                        got=f"an output of shape {tuple(shape)[1:]} on input_size {tuple(input_size)}")
    return tuple(shape[1:])


def _head_to_convs(head: list[nn.Module], channels: int, height: int, width: int) -> list[nn.Module]:
    """``head`` (after Flatten) as convolutions: the first Linear as a height×width kernel, the next ones 1×1."""
    convs, kernel = [], (height, width)
    for index, layer in enumerate(head):
        if isinstance(layer, nn.Linear):
            expected = channels * height * width if kernel != (1, 1) else channels
            if layer.in_features != expected:
                raise bad_value("model", f"Linear layers whose inputs match the map before them ({expected} features)",
                                None, got=f"Linear({layer.in_features}, {layer.out_features}) at head position {index}")
            conv = nn.Conv2d(channels, layer.out_features, kernel, bias=layer.bias is not None)
            conv = conv.to(device=layer.weight.device, dtype=layer.weight.dtype)
            with torch.no_grad():
                conv.weight.copy_(layer.weight.reshape(conv.weight.shape))   # Flatten's order is C, H, W
                if layer.bias is not None:
                    conv.bias.copy_(layer.bias)
            convs.append(conv)
            channels, kernel = layer.out_features, (1, 1)
        elif isinstance(layer, _POINTWISE):
            convs.append(copy.deepcopy(layer))
        else:
            raise bad_value("model", f"a head after Flatten of {_HEAD_LAYERS}", None,
                            got=f"{type(layer).__name__} at head position {index}")
    return convs


def convolutionalize(model: nn.Module, input_size) -> nn.Sequential:
    """A classifier's fully connected head as convolutions: same logits on its input size, a score map on larger images.

    ``model`` is an ``nn.Sequential`` of feature layers, one ``nn.Flatten``,
    then Linear layers and pointwise activations. The first Linear layer,
    ``Linear(C·k·k, n)`` on the C×k×k map the features give on
    ``input_size``, becomes ``Conv2d(C, n, k)`` with the same weights
    reshaped; every later ``Linear(n, m)`` becomes ``Conv2d(n, m, 1)``. The
    feature layers are copied, so ``model`` is left as it was.

    Parameters
    ----------
    model : torch.nn.Sequential
        The classifier.
    input_size : tuple of int
        One input's C×H×W shape the classifier was made for (for MNIST, ``(1, 28, 28)``).

    Returns
    -------
    torch.nn.Sequential
        The fully convolutional network: on an input of N×C×H×W it returns N×classes×H'×W'
        (N×classes×1×1 on ``input_size``, equal to ``model``'s logits).

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> from vizkit.torch import convolutionalize
    >>> _ = torch.manual_seed(0)
    >>> net = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
    ...                     nn.Linear(4 * 13 * 13, 16), nn.ReLU(), nn.Linear(16, 10))
    >>> fcn = convolutionalize(net, (1, 28, 28))
    >>> fcn[-3], fcn[-1]
    (Conv2d(4, 16, kernel_size=(13, 13), stride=(1, 1)), Conv2d(16, 10, kernel_size=(1, 1), stride=(1, 1)))
    >>> x = torch.rand(2, 1, 28, 28)
    >>> torch.allclose(fcn(x).flatten(1), net(x), atol=1e-5)
    True
    >>> tuple(fcn(torch.rand(1, 1, 84, 84)).shape)   # a 29×29 map of class scores, one per 28×28 window, stride 2
    (1, 10, 29, 29)
    """
    if not isinstance(model, nn.Sequential):
        raise bad_type("model", "an nn.Sequential classifier (feature layers, Flatten, Linear head)", model)
    if isinstance(input_size, (str, bytes)) or len(tuple(input_size)) != 3 or not all(
            isinstance(side, int) and side > 0 for side in input_size):
        raise bad_value("input_size", "one input's shape as three positive ints (C, H, W)", input_size)
    layers = list(model)
    flattens = [i for i, layer in enumerate(layers) if isinstance(layer, nn.Flatten)]
    if len(flattens) != 1:
        raise bad_value("model", "exactly one nn.Flatten between the feature layers and the Linear head", None,
                        got=f"{len(flattens)} Flatten layers")
    split = flattens[0]
    head = layers[split + 1:]
    if not any(isinstance(layer, nn.Linear) for layer in head):
        raise bad_value("model", "at least one nn.Linear after Flatten", None, got="no Linear layer in the head")
    features = nn.Sequential(*layers[:split])
    device = next(model.parameters()).device
    channels, height, width = _feature_shape(features, tuple(input_size), device) if split else tuple(input_size)
    return nn.Sequential(*copy.deepcopy(layers[:split]), *_head_to_convs(head, channels, height, width))
