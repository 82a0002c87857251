"""Feature maps of a probe image: a tile per channel for each layer, or one layer's channels over epochs."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from vizkit._core import bad_type, bad_value, check_number
from vizkit._core.display import Display
from vizkit._core.errors import bad_choice
from vizkit.charts.images import ImageGridDisplay
from vizkit.io.activations import FeatureMapRecord, read_feature_maps

__all__ = ["FeatureMapsDisplay", "feature_maps"]

_SOURCE = ("a run folder, vizkit.io.read_feature_maps(...), a FeatureMaps capture (its maps_), a dict of "
           "layer -> (N, C, H, W) arrays, or one (N, C, H, W) / (C, H, W) array")
_OVER = ("layer", "epoch")
_WIDTH = 7.2  # inches, as image_grid's default


def _record(source) -> FeatureMapRecord:
    """Any accepted source as a record with at least one capture of (N, C, H, W) maps per layer."""
    if isinstance(source, FeatureMapRecord):
        return source
    if isinstance(source, (str, Path)):
        return read_feature_maps(source)
    if hasattr(source, "maps_") and isinstance(source.maps_, dict):  # a vizkit.torch.FeatureMaps, duck-typed
        source = source.maps_
    if isinstance(source, dict):
        maps = {str(name): _maps(f"maps[{name!r}]", value) for name, value in source.items()}
    elif hasattr(source, "shape") or hasattr(source, "__array__"):
        maps = {"maps": _maps("maps", source)}
    else:
        raise bad_type("maps", _SOURCE, source)
    if not maps:
        raise bad_value("maps", "at least one layer", source, got="no layers (was a capture run?)")
    return FeatureMapRecord({name: array[None] for name, array in maps.items()}, np.zeros(1, int), np.zeros(1, int))


def _maps(argument: str, value) -> np.ndarray:
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        value = value.detach().cpu()
    array = np.asarray(value)
    if array.ndim == 3:
        array = array[None]
    if array.ndim != 4 or array.dtype.kind not in "iuf" or 0 in array.shape:
        raise bad_value(argument, "maps of shape (N, C, H, W) or (C, H, W)", value,
                        got=f"an array of shape {array.shape} ({array.dtype})")
    return array


class _TilesDisplay(ImageGridDisplay):
    _chart = "feature_maps"


class FeatureMapsDisplay(Display):
    """Feature maps chosen from a record: ``from_maps`` picks and checks them, ``plot`` draws one grid per block.

    Attributes
    ----------
    tiles_ : pandas.DataFrame
        One row per tile: ``layer``, ``epoch``, ``step``, ``channel``,
        ``image`` (the probe image), ``min``, ``max``, ``mean``.
    over_ : {'layer', 'epoch'}
        A grid per layer (the last capture), or one layer's channels with a
        row per capture.
    grids_ : list of ImageGridDisplay
        After :meth:`plot`: the grids drawn, one per layer (or one).
    figure_ : Figure or None

    Examples
    --------
    >>> import numpy as np
    >>> from vizkit.ml import FeatureMapsDisplay
    >>> maps = {"conv1": np.random.default_rng(0).random((4, 6, 10, 10)), "conv2": np.ones((4, 3, 4, 4))}
    >>> found = FeatureMapsDisplay.from_maps(maps, image=1)
    >>> found.tiles_.groupby("layer").size().to_dict()
    {'conv1': 6, 'conv2': 3}
    """

    _chart = "feature_maps"
    grids_: list = []

    def __init__(self, blocks, tiles, over):
        self.blocks = blocks  # [(title, [2-D maps], tiles rows)] in drawing order
        self.tiles_ = tiles
        self.over_ = over

    @classmethod
    def from_maps(cls, maps, *, layers=None, image=0, over="layer", max_channels=16):
        """Pick the maps to draw; draw nothing. See :func:`feature_maps` for the arguments."""
        import pandas as pd

        record = _record(maps)
        if over not in _OVER:
            raise bad_choice("over", over, _OVER)
        layers = _check_layers(layers, record.layers, over)
        max_channels = check_number("max_channels", max_channels, integer=True, low=1)
        image = check_number("image", image, integer=True, low=0)
        blocks, rows = [], []
        for layer in layers:
            array = record.maps[layer]
            if image >= array.shape[1]:
                raise bad_value("image", f"the index of a probe image (0 to {array.shape[1] - 1})", image)
            captures = range(len(array)) if over == "epoch" else [len(array) - 1]
            block = []
            for t in captures:
                for c in range(min(array.shape[2], max_channels)):
                    tile = array[t, image, c].astype(np.float32)
                    block.append(tile)
                    rows.append({"layer": layer, "epoch": int(record.epochs[t]), "step": int(record.steps[t]),
                                 "channel": c, "image": image, "min": float(tile.min()), "max": float(tile.max()),
                                 "mean": float(tile.mean())})
            shown = min(array.shape[2], max_channels)
            title = f"{layer}: {shown} of {array.shape[2]} channels" if shown < array.shape[2] else \
                f"{layer}: {shown} channels"
            blocks.append((f"{title}, {array.shape[3]}×{array.shape[4]}", block, shown))
        return cls(blocks, pd.DataFrame(rows), over)

    def plot(self, *, cmap="vizkit_seq", norm=None, figure=None):
        """Draw: per layer a grid of its channels, or one layer with a row per epoch; return ``self``."""
        import matplotlib.pyplot as plt

        norm = ("each" if self.over_ == "layer" else "shared") if norm is None else norm
        ncols = [min(shown, 8) if self.over_ == "layer" else shown for _, _, shown in self.blocks]
        heights = [-(-len(block) // n) * _WIDTH / n + 0.4 for (_, block, _), n in zip(self.blocks, ncols, strict=True)]
        if figure is None:
            figure = plt.figure(figsize=(_WIDTH + (0.9 if norm == "shared" else 0), sum(heights)), layout="none")
        parts = figure.subfigures(len(self.blocks), 1, height_ratios=heights, squeeze=False)[:, 0]
        self.grids_, start = [], 0
        for part, (title, block, shown), n in zip(parts, self.blocks, ncols, strict=True):
            tiles = self.tiles_.iloc[start:start + len(block)].reset_index(drop=True)
            start += len(block)
            titles = ([f"epoch {e}" if c == 0 else "" for e, c in zip(tiles["epoch"], tiles["channel"], strict=True)]
                      if self.over_ == "epoch" else None)
            grid = _TilesDisplay.from_images(block, titles=titles, norm=norm)
            grid.tiles_ = _with_grid_columns(tiles, grid.tiles_)
            grid.plot(ncols=n, title=title, cmap=cmap, colorbar=norm == "shared", figure=part)
            self.grids_.append(grid)
        self.figure_ = figure
        return self


def _with_grid_columns(tiles, grid_tiles):
    """The maps' rows beside the image grid's own (``shape``, ``vmin``, ``vmax`` ...): what a tile's Axes holds."""
    import pandas as pd

    return pd.concat([tiles, grid_tiles], axis=1)


def _check_layers(layers, known: list[str], over: str) -> list[str]:
    if layers is None:
        layers = known if over == "layer" else known[:1]
    elif isinstance(layers, str):
        layers = [layers]
    if not isinstance(layers, (list, tuple)) or not layers:
        raise bad_type("layers", "a layer name or a list of them", layers)
    for name in layers:
        if name not in known:
            raise bad_choice("layers", name, known)
    if over == "epoch" and len(layers) != 1:
        raise bad_value("layers", "one layer with over='epoch' (its channels, a row per epoch)", layers)
    return list(layers)


def feature_maps(maps, *, layers=None, image=0, over="layer", max_channels=16, cmap="vizkit_seq", norm=None,
                 figure=None):
    """Draw feature maps of one probe image: a tile per channel, per layer or over epochs.

    Parameters
    ----------
    maps : run folder, FeatureMapRecord, FeatureMaps, dict or array
        What :class:`vizkit.torch.FeatureMaps` captured: the run folder it
        saved to (read by :func:`vizkit.io.read_feature_maps`), the capture
        itself (its ``maps_``), a dict of layer -> (N, C, H, W) arrays, or one
        array. Torch tensors are read without importing torch.
    layers : str or list of str, optional
        Which layers; default all (``over="layer"``) or the first (``over="epoch"``).
    image : int
        Which probe image (index into N).
    over : {'layer', 'epoch'}
        ``"layer"``: a grid of channels per layer, from the last capture.
        ``"epoch"``: one layer, a row per capture (epoch), a column per channel.
    max_channels : int
        Draw the first ``max_channels`` channels of each layer (16).
    cmap : str or Colormap
        Default ``"vizkit_seq"``.
    norm : {'each', 'shared'} or (vmin, vmax), optional
        Default ``"each"`` per layer (every map its own range: its pattern
        shows) and ``"shared"`` over epochs (one colour bar: maps compare
        across epochs).
    figure : Figure, optional

    Returns
    -------
    FeatureMapsDisplay
        ``.tiles_``, ``.grids_`` (one ImageGridDisplay per layer), ``.figure_``;
        ``vk.plotted_data(ax)`` of a tile gives its layer, epoch, channel, min and max.

    Examples
    --------
    >>> import numpy as np, vizkit as vk
    >>> maps = {"conv1": np.random.default_rng(0).random((4, 6, 10, 10))}
    >>> shown = vk.feature_maps(maps)
    >>> row = vk.plotted_data(shown.grids_[0].axes_[0, 2]).iloc[0]
    >>> row["layer"], int(row["channel"])
    ('conv1', 2)
    >>> import matplotlib.pyplot as plt; plt.close(shown.figure_)
    """
    display = FeatureMapsDisplay.from_maps(maps, layers=layers, image=image, over=over, max_channels=max_channels)
    return display.plot(cmap=cmap, norm=norm, figure=figure)
