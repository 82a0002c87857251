"""A convolution layer's kernels as image tiles: one per (output, input) channel pair, or one RGB tile per filter."""

from __future__ import annotations

import numpy as np

from vizkit._core import bad_choice, bad_type, bad_value, check_number
from vizkit.charts.images import MAX_IMAGES, ImageGridDisplay, _to_numpy

__all__ = ["filters", "FiltersDisplay"]

_SCALES = ("each", "shared")
_WEIGHT = "a convolution weight of shape (Cout, Cin, K, K), e.g. conv.weight"


def _check_weight(weight) -> np.ndarray:
    if hasattr(weight, "weight") and not hasattr(weight, "shape"):  # the layer itself (an nn.Conv2d): its weight
        weight = weight.weight
    array = _to_numpy("weight", weight, _WEIGHT)
    if array.dtype.kind not in "iuf":
        raise bad_type("weight", f"{_WEIGHT} of real numbers", weight, got=f"{array.dtype} values")
    if array.ndim != 4:
        hint = ("A Linear layer's weight has no kernels to draw; reshape it first (e.g. to (Cout, 1, 28, 28) for "
                "an MLP's first layer on MNIST)." if array.ndim == 2 else
                "A Conv1d's kernels are 1-D: draw them as rows of a heatmap, "
                "vk.heatmap(weight.reshape(Cout, -1))." if array.ndim == 3 else "")
        raise bad_value("weight", _WEIGHT, weight, got=f"an array of shape {array.shape}", hint=hint)
    if 0 in array.shape:
        raise bad_value("weight", f"{_WEIGHT} with at least one kernel", weight, got=f"an array of shape {array.shape}")
    if not np.isfinite(array).all():
        raise bad_value("weight", f"{_WEIGHT} of finite numbers", weight,
                        got=f"{int(np.size(array) - np.isfinite(array).sum())} NaN or infinite values")
    return array.astype(np.float64)


def _check_rgb(rgb, cin: int) -> bool:
    if rgb is None:
        return cin == 3
    if not isinstance(rgb, (bool, np.bool_)):
        raise bad_type("rgb", "True, False or None (True when the layer has 3 input channels)", rgb)
    if rgb and cin != 3:
        raise bad_value("rgb", "False for a layer whose input is not 3 colour channels", rgb,
                        got=f"True with {cin} input channels")
    return bool(rgb)


class FiltersDisplay(ImageGridDisplay):
    """A layer's kernels as tiles: ``from_weight`` scales them, ``plot`` draws them (an :class:`ImageGridDisplay`).

    Attributes
    ----------
    tiles_ : pandas.DataFrame
        One row per tile, in reading order: ``index``, ``out_channel``,
        ``in_channel`` (-1 for an RGB tile, which shows all three),
        ``min``, ``max`` (of the raw weights the tile shows), and the image
        grid's columns (``vmin``, ``vmax``: the colour scale it was drawn on).
    rgb_ : bool
        One colour tile per output channel (its R, G, B kernels as the red,
        green and blue of one image), else one grey tile per kernel.
    scale_ : {'each', 'shared'}
        Each tile its own minimum to maximum, or one scale centred at 0.
    limit_ : float
        The largest absolute weight (the shared scale spans -limit_ to limit_).
    weight_shape_ : tuple
        (Cout, Cin, K, K).

    Examples
    --------
    >>> import numpy as np
    >>> from vizkit.charts.kernels import FiltersDisplay
    >>> found = FiltersDisplay.from_weight(np.arange(2 * 3 * 2 * 2, dtype=float).reshape(2, 3, 2, 2))
    >>> found.rgb_, found.tiles_[["out_channel", "in_channel"]].values.tolist(), found.tiles_["max"].tolist()
    (True, [[0, -1], [1, -1]], [11.0, 23.0])
    """

    _chart = "filters"

    @classmethod
    def from_weight(cls, weight, *, rgb=None, scale="each", max_tiles=MAX_IMAGES):
        """Check and scale the kernels; draw nothing. See :func:`filters` for the arguments."""
        array = _check_weight(weight)
        cout, cin = array.shape[:2]
        rgb = _check_rgb(rgb, cin)
        if scale not in _SCALES:
            raise bad_choice("scale", scale, _SCALES)
        max_tiles = check_number("max_tiles", max_tiles, integer=True, low=1)
        n = cout if rgb else cout * cin
        if n > max_tiles:
            raise bad_value("weight", f"at most `max_tiles`={max_tiles} kernels to draw", weight,
                            got=f"shape {array.shape}: {n} tiles",
                            hint=f"Draw the first filters, e.g. weight[:{max(1, max_tiles // (1 if rgb else cin))}], "
                                 f"or pass max_tiles={n}.")
        limit = float(np.abs(array).max())
        if rgb:
            kernels = [np.moveaxis(k, 0, -1) for k in array]  # (K, K, 3): R, G, B in input-channel order
            out, inn = np.arange(cout), np.full(cout, -1)
        else:
            kernels = list(array.reshape(cout * cin, *array.shape[2:]))
            out, inn = np.repeat(np.arange(cout), cin), np.tile(np.arange(cin), cout)
        lows = [float(k.min()) for k in kernels]
        highs = [float(k.max()) for k in kernels]
        if rgb:  # colour tiles are drawn in 0-1: map each tile's range (or the shared ±limit) there
            spans = [(lo, hi) if scale == "each" else (-limit, limit) for lo, hi in zip(lows, highs, strict=True)]
            kernels = [(k - lo) / ((hi - lo) or 1.0) for k, (lo, hi) in zip(kernels, spans, strict=True)]
            norm = "shared"
        else:
            norm = "each" if scale == "each" else (-(limit or 1.0), limit or 1.0)
        display = cls.from_images(kernels, norm=norm, max_images=max(n, 1))
        tiles = display.tiles_
        tiles.insert(1, "out_channel", out)
        tiles.insert(2, "in_channel", inn)
        tiles.insert(3, "min", lows)
        tiles.insert(4, "max", highs)
        display.rgb_, display.scale_, display.limit_ = rgb, scale, limit
        display.weight_shape_ = tuple(array.shape)
        return display

    def plot(self, *, title=None, cmap=None, colorbar=None, tile_size=None, figure=None, **kwargs):
        """Draw the tiles: rows of output channels (Cin columns), or RGB tiles; return ``self``."""
        cout, cin = self.weight_shape_[:2]
        ncols = kwargs.pop("ncols", min(cout, 8) if self.rgb_ or cin == 1 else cin)
        if cmap is None:
            cmap = "vizkit_div" if self.scale_ == "shared" else "gray"
        if colorbar is None:
            colorbar = self.scale_ == "shared" and not self.rgb_
        if tile_size is None:  # small kernels read best as small tiles: at most 0.9 in, the grid at most 7.2 in wide
            tile_size = max(min(0.9, 7.2 / (ncols or 1)), 0.5)
        return super().plot(ncols=ncols, title=title, cmap=cmap, colorbar=colorbar, tile_size=tile_size,
                            figure=figure, **kwargs)


def filters(weight, *, rgb=None, scale="each", title=None, ncols=None, cmap=None, colorbar=None, tile_size=None,
            max_tiles=MAX_IMAGES, figure=None):
    """Draw a convolution layer's kernels as a grid of tiles.

    Parameters
    ----------
    weight : array of shape (Cout, Cin, K, K), or the layer
        The layer's weight (``conv.weight``): a NumPy array, or a torch
        tensor on any device, with grad or not (torch is never imported);
        an ``nn.Conv2d`` itself stands for its weight.
    rgb : bool, optional
        One colour tile per output channel, its three input kernels shown as
        red, green and blue (a first layer on colour images); default when
        ``Cin == 3``. Otherwise one grey tile per kernel: a row per output
        channel, a column per input channel.
    scale : {'each', 'shared'}
        ``"each"``: every tile spans its own minimum to maximum (black to
        white, or 0-1 per colour tile), so each pattern shows. ``"shared"``:
        one diverging scale centred at 0 over all tiles (``-m`` to ``m``,
        ``m`` the largest absolute weight), with a colour bar, so tiles
        compare and the sign reads.
    title : str, optional
        A title above the grid.
    ncols : int, optional
        Tiles per row; default ``Cin`` (grey), or up to 8 (RGB, or one input channel).
    cmap : str or Colormap, optional
        Grey tiles' colormap; default ``"gray"`` (each) or ``"vizkit_div"`` (shared).
    colorbar : bool, optional
        Default: with ``scale="shared"`` on grey tiles.
    tile_size : float, optional
        A tile's side in inches; default 0.9, less for more than 8 columns.
    max_tiles : int
        At most this many tiles (400).
    figure : Figure or SubFigure, optional
        Draw into it; default a new figure.

    Returns
    -------
    FiltersDisplay
        ``.tiles_`` (one row per tile: ``index``, ``out_channel``,
        ``in_channel``, ``min``, ``max`` ...), ``.axes_``, ``.figure_``;
        ``vk.plotted_data(ax)`` of a tile is its row.

    Examples
    --------
    >>> import numpy as np, vizkit as vk
    >>> weight = np.random.default_rng(0).normal(size=(4, 2, 3, 3))
    >>> grid = vk.filters(weight, scale="shared")
    >>> grid.axes_.shape, grid.tiles_[["out_channel", "in_channel"]].iloc[3].tolist()
    ((4, 2), [1, 1])
    >>> bool(np.isclose(-grid.vmin_, grid.vmax_))
    True
    >>> import matplotlib.pyplot as plt; plt.close(grid.figure_)
    """
    display = FiltersDisplay.from_weight(weight, rgb=rgb, scale=scale, max_tiles=max_tiles)
    kwargs = {} if ncols is None else {"ncols": ncols}
    return display.plot(title=title, cmap=cmap, colorbar=colorbar, tile_size=tile_size, figure=figure, **kwargs)
