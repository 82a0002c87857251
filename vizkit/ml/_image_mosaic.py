"""Tiles of equal-sized grey images drawn as one picture on one Axes, a pixel of the face between them.

Shared by the latent traversal grid and the reconstruction pairs: one ``imshow``
keeps the tiles on the Axes' own coordinates, so tick labels can name rows and
columns (latent coordinates, digits) and the grid sits in any subplot.
"""

from __future__ import annotations

import numpy as np

from vizkit._core import bad_value

GAP = 1  # pixels between tiles, left as NaN: the colormap's "bad" colour, the Axes' face


def grey_tiles(argument: str, value, expected: str, ndim: int) -> np.ndarray:
    """``value`` (arrays, or tensors read without torch) as finite float64 grey tiles with ``ndim`` dimensions."""
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        value = value.detach().cpu()
    array = np.asarray(value)
    if array.ndim != ndim or array.dtype.kind not in "iuf" or 0 in array.shape:
        raise bad_value(argument, expected, value, got=f"an array of shape {array.shape} ({array.dtype})")
    if not np.isfinite(array).all():
        raise bad_value(argument, f"{expected} of finite numbers", value,
                        got=f"{int(array.size - np.isfinite(array).sum())} NaN or infinite values")
    return array


def value_range(array: np.ndarray) -> tuple[float, float]:
    """The range the tiles are drawn in: 0-255 for integers in it, 0-1 for floats in it, else their min to max."""
    low, high = (0.0, 255.0) if array.dtype.kind in "iu" else (0.0, 1.0)
    if array.min() >= low and array.max() <= high:
        return low, high
    low, high = float(array.min()), float(array.max())
    return (low, high) if high > low else (low - 0.5, high + 0.5)


def mosaic(tiles: np.ndarray) -> np.ndarray:
    """(R, C, H, W) tiles as one (R·H + (R-1)·GAP, C·W + (C-1)·GAP) float image, NaN in the gaps."""
    rows, cols, height, width = tiles.shape
    out = np.full((rows * (height + GAP) - GAP, cols * (width + GAP) - GAP), np.nan)
    for r in range(rows):
        for c in range(cols):
            out[box(r, c, height, width)] = tiles[r, c]
    return out


def box(row: int, col: int, height: int, width: int) -> tuple[slice, slice]:
    """Where tile (row, col) lies in the mosaic."""
    top, left = row * (height + GAP), col * (width + GAP)
    return slice(top, top + height), slice(left, left + width)


def centres(count: int, size: int) -> np.ndarray:
    """The pixel coordinates of the tiles' centres along one axis (imshow's pixel centres are integers)."""
    return np.arange(count) * (size + GAP) + (size - 1) / 2


def draw_mosaic(ax, tiles: np.ndarray, *, cmap, vmin: float, vmax: float):
    """Draw the tiles on ``ax`` as one image, square pixels, the face in the gaps; return the AxesImage."""
    from matplotlib.colors import Colormap

    from vizkit.colors import _cmap_for

    colormap = (cmap if isinstance(cmap, Colormap) else _cmap_for("cmap", cmap)).with_extremes(bad=(0, 0, 0, 0))
    image = ax.imshow(mosaic(tiles), cmap=colormap, vmin=vmin, vmax=vmax, interpolation="nearest")
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.tick_params(length=0)
    ax.grid(False)
    return image


def labels_inside(ax) -> None:
    """After the tick and axis labels are set: without a layout engine, the Axes shrinks to keep them in the figure."""
    from vizkit._core.room import keep_inside

    keep_inside(ax)
