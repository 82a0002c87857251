"""Where a ViT's class token looked: its attention to the patches over the image, per head, averaged, rolled out."""

from __future__ import annotations

import math

import numpy as np

from vizkit._core import bad_type, bad_value, check_number
from vizkit._core.display import Display
from vizkit.charts.heat_overlay import overlay
from vizkit.charts.images import _one_image
from vizkit.ml.attention_propagation import attention_rollout, check_attention

__all__ = ["ClassTokenAttentionDisplay", "cls_attention"]


def _one_sample(array: np.ndarray, sample, weights) -> np.ndarray:
    """(layers, heads, T, T) from (layers, heads, T, T), (layers, T, T) or a batch (layers, N, heads, T, T)."""
    if array.ndim == 5:
        if sample is None:
            raise bad_value("sample", "the index of the image in the batch of weights", sample,
                            got=f"None with weights of shape {array.shape} (layers, N, heads, T, T)")
        sample = check_number("sample", sample, integer=True, low=0, high=array.shape[1] - 1)
        return array[:, sample]
    if sample is not None:
        raise bad_value("sample", "None for the weights of one image", sample,
                        got=f"{sample!r} with weights of shape {array.shape}")
    return array[:, None] if array.ndim == 3 else array


def _upsampled(maps: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Each patch's weight on all its pixels (nearest), when the patches tile the image; else left for overlay."""
    (rows, cols), (height, width) = maps.shape[-2:], shape
    if height % rows or width % cols:
        return maps  # vk.overlay resizes it bilinearly
    return maps.repeat(height // rows, axis=-2).repeat(width // cols, axis=-1)


class ClassTokenAttentionDisplay(Display):
    """The class token's attention to each patch, for every layer: per head, their mean, and the rollout.

    ``from_weights`` computes the maps; ``plot`` draws a row per layer and a
    column per head, then the mean over heads and the attention rollout
    (Abnar & Zuidema, 2020) through that layer, each laid over the image
    with :func:`vizkit.overlay`.

    Attributes
    ----------
    heads_ : numpy.ndarray of shape (layers, heads, rows, cols)
        Row 0 of each head's attention (the class token's query) without its
        first entry (the class token itself), on the patch grid.
    mean_ : numpy.ndarray of shape (layers, rows, cols)
        The same from the mean of the heads' weights.
    rollout_ : numpy.ndarray of shape (layers, rows, cols)
        Row 0 of :func:`vizkit.ml.attention_rollout` of layers 1 to l, without its first entry.
    self_attention_ : numpy.ndarray of shape (layers, heads)
        The weight the class token puts on itself (what the maps leave out).
    table : pandas.DataFrame
        One row per map: ``layer`` (1-based), ``kind`` (``"head"``, ``"mean"``,
        ``"rollout"``), ``head`` (1-based; 0 for mean and rollout), ``on_patches``
        (the map's sum), ``max``, ``peak`` (the patch position, 1-based, of the largest weight).

    Examples
    --------
    >>> import numpy as np
    >>> from vizkit.ml import ClassTokenAttentionDisplay
    >>> weights = np.full((2, 3, 5, 5), 0.2)                # 2 layers, 3 heads, a class token and 2 × 2 patches
    >>> weights[:, 1, 0] = [0.2, 0.0, 0.0, 0.0, 0.8]        # head 2: the class token looks at patch 4
    >>> found = ClassTokenAttentionDisplay.from_weights(np.zeros((8, 8)), weights)
    >>> found.heads_[0, 1].tolist(), found.table.query("kind == 'head'")["peak"].tolist()
    ([[0.0, 0.0], [0.0, 0.8]], [1, 4, 1, 1, 4, 1])
    """

    _chart = "cls_attention"
    axes_ = None

    def __init__(self, image, heads, mean, rollout, self_attention):
        import pandas as pd

        self.image = image
        self.heads_, self.mean_, self.rollout_ = heads, mean, rollout
        self.self_attention_ = self_attention
        rows = []
        layers, n_heads = heads.shape[:2]
        for layer in range(layers):
            maps = [("head", h + 1, heads[layer, h]) for h in range(n_heads)]
            for kind, head, values in [*maps, ("mean", 0, mean[layer]), ("rollout", 0, rollout[layer])]:
                rows.append({"layer": layer + 1, "kind": kind, "head": head, "on_patches": float(values.sum()),
                             "max": float(values.max()), "peak": int(values.argmax()) + 1})
        self.table = pd.DataFrame(rows)

    @classmethod
    def from_weights(cls, image, weights, *, sample=None):
        """Compute the maps; draw nothing. See :func:`cls_attention` for the arguments."""
        picture = _one_image("image", image)
        array = _one_sample(check_attention(weights), sample, weights)
        patches = array.shape[-1] - 1
        height, width = picture.shape[:2]
        grids = [(r, patches // r) for r in range(1, patches + 1) if patches % r == 0]
        rows, cols = min(grids, key=lambda g: abs(math.log(g[0] / g[1] * width / height)))
        if abs(rows / cols - height / width) > 0.1 * height / width:
            raise bad_value("weights", f"attention over a class token and a grid of patches shaped like the image "
                            f"({height} × {width})", weights, got=f"{patches} patches (T = {patches + 1})")
        heads = array[:, :, 0, 1:].reshape(*array.shape[:2], rows, cols)
        fused = array.mean(axis=1)
        mean = fused[:, 0, 1:].reshape(-1, rows, cols)
        rollout = np.stack([attention_rollout(fused[:layer + 1, None])[0, 1:] for layer in range(len(fused))])
        return cls(picture, heads, mean, rollout.reshape(-1, rows, cols), array[:, :, 0, 0])

    def plot(self, *, layers=None, alpha=0.6, cmap="inferno", figure=None):
        """Draw a row per layer: each head, the mean, the rollout through that layer; return ``self``."""
        import matplotlib.pyplot as plt

        chosen = _check_layers(layers, len(self.mean_))
        n_heads = self.heads_.shape[1]
        ncols = n_heads + 2
        if figure is None:
            side = min(1.45, 7.4 / ncols)
            figure = plt.figure(figsize=(side * ncols + 0.4, side * len(chosen) + 0.5), layout="constrained")
        axes = figure.subplots(len(chosen), ncols, squeeze=False)
        titles = [f"head {h + 1}" for h in range(n_heads)] + ["mean", "rollout"]
        shape = self.image.shape[:2]
        for i, (ax_row, layer) in enumerate(zip(axes, chosen, strict=True)):
            maps = [*self.heads_[layer], self.mean_[layer], self.rollout_[layer]]
            for col, (ax, values) in enumerate(zip(ax_row, maps, strict=True)):
                overlay(self.image, _upsampled(values, shape), alpha=alpha, cmap=cmap, colorbar=False, ax=ax)
                if i == 0:
                    ax.set_title(titles[col], fontsize="medium")
                if col == 0:
                    ax.set_ylabel(f"layer {layer + 1}")
        self.axes_, self.figure_, self.ax_ = axes, figure, axes[0, 0]
        self.artists_ = {"images": [ax.images[0] for ax in axes.flat]}
        return self

    def _plotted_data(self):
        return self.table


def _check_layers(layers, n: int) -> list[int]:
    if layers is None:
        return list(range(n))
    if isinstance(layers, (int, np.integer)) and not isinstance(layers, bool):
        layers = [layers]
    if not isinstance(layers, (list, tuple)) or not layers:
        raise bad_type("layers", "a layer number (1-based) or a list of them", layers)
    return [check_number(f"layers[{i}]", v, integer=True, low=1, high=n) - 1 for i, v in enumerate(layers)]


def cls_attention(image, weights, *, sample=None, layers=None, alpha=0.6, cmap="inferno", figure=None):
    """Draw where a ViT's class token looked: its attention to the patches laid over the image.

    A row per layer; a column per head, then the mean over heads, then the
    attention rollout through that layer (Abnar & Zuidema, 2020, the mean of
    the heads: :func:`vizkit.ml.attention_rollout`), which follows the
    attention through the residual connections of all the layers below.
    Each map is the class token's row of the attention without the weight on
    itself, each patch's weight on its pixels, blended over the image with
    :func:`vizkit.overlay` and scaled to its own maximum (``.table`` has the
    values).

    Parameters
    ----------
    image : array-like
        The image the weights are of: H×W grey or H×W×3, floats in [0, 1] or uint8.
    weights : array-like or tensor
        Softmax attention weights with the class token first: ``(layers,
        heads, T, T)``, a batch ``(layers, N, heads, T, T)`` with ``sample``,
        or a list with one ``(heads, T, T)`` array per layer (``model(x,
        return_attention=True)`` of :func:`vizkit.torch.models.vit`). T − 1
        patches on a grid shaped like the image (49 = 7 × 7).
    sample : int, optional
        Which image of a batch of weights.
    layers : int or list of int, optional
        Layers to draw (1-based); default all.
    alpha : float
        The heat's weight in the blend.
    cmap : str or Colormap
    figure : Figure or SubFigure, optional

    Returns
    -------
    ClassTokenAttentionDisplay
        ``.heads_``, ``.mean_``, ``.rollout_``, ``.table``, ``.axes_``, ``.figure_``;
        ``vk.plotted_data(ax)`` of a tile is :func:`vizkit.overlay`'s (the drawn map in its ``attrs``).

    Examples
    --------
    >>> import numpy as np, vizkit as vk
    >>> weights = np.random.default_rng(0).dirichlet(np.ones(17), size=(2, 4, 17))   # 2 layers, 4 heads, 4 × 4 patches
    >>> shown = vk.cls_attention(np.zeros((16, 16)), weights)
    >>> shown.axes_.shape, shown.rollout_.shape
    ((2, 6), (2, 4, 4))
    >>> import matplotlib.pyplot as plt; plt.close(shown.figure_)
    """
    display = ClassTokenAttentionDisplay.from_weights(image, weights, sample=sample)
    return display.plot(layers=layers, alpha=alpha, cmap=cmap, figure=figure)
