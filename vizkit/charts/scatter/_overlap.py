"""How deeply the markers of a scatter stack on each other, for ``density="auto"``.

Pure numpy: the points are mapped onto a pixel grid of the Axes' size whose
cells have the area of one marker (a 2-D histogram at marker resolution), so
a cell's count is how many markers cover that spot. A point's *depth* is the
count of its cell: 1 where it stands alone, 30 in the middle of a blob. The
alpha of translucent points comes from this depth, not from the number of
points: 3 000 points spread over the Axes stay opaque, 3 000 airports packed
into the United States do not.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["TARGET_OPACITY", "alpha_for", "depths", "frame"]

TARGET_OPACITY = 0.8  # the ink a stack of the typical depth (the median point's) reaches
_MARGIN = 0.05  # Matplotlib's default axes margins: the data span 1 / 1.1 of the Axes


def frame(ax) -> tuple[float, float, float]:
    """``(width_px, height_px, dpi)`` of the Axes the chart will draw on, creating nothing.

    ``ax`` None: pyplot's current Axes when a figure with Axes exists, else an Axes of
    the default figure size and subplot margins (rcParams), which ``plt.gca()`` will make.
    """
    import matplotlib as mpl

    if ax is None:
        import matplotlib.pyplot as plt

        figure = plt.gcf() if plt.get_fignums() else None
        ax = figure.gca() if figure is not None and figure.axes else None  # has Axes: gca makes none
    if ax is not None:
        box = ax.get_position()
        figure = ax.get_figure(root=True)
        width, height = figure.get_size_inches() * figure.dpi
        return float(box.width * width), float(box.height * height), float(figure.dpi)
    fw, fh = mpl.rcParams["figure.figsize"]
    dpi = float(mpl.rcParams["figure.dpi"])
    sub = mpl.rcParams
    return (fw * dpi * (sub["figure.subplot.right"] - sub["figure.subplot.left"]),
            fh * dpi * (sub["figure.subplot.top"] - sub["figure.subplot.bottom"]), dpi)


def depths(x: np.ndarray, y: np.ndarray, *, width_px: float, height_px: float, area_pt2: float,
           dpi: float) -> np.ndarray:
    """How many markers of ``area_pt2`` cover each point's spot (its cell's count; at least 1).

    Cells are squares of one marker's area on the Axes' pixel grid; the data
    span the Axes less Matplotlib's default margins.
    """
    n = len(x)
    if n == 0:
        return np.zeros(0)
    side = max(math.sqrt(area_pt2) * dpi / 72 * math.sqrt(math.pi) / 2, 1.0)  # a square of the disk's area
    span = 1 / (1 + 2 * _MARGIN)
    codes = []
    for values, pixels in ((x, width_px), (y, height_px)):
        cells = max(1, int(pixels * span / side))
        low, high = float(np.min(values)), float(np.max(values))
        scaled = (values - low) / (high - low) if high > low else np.zeros(n)
        codes.append(np.minimum((scaled * cells).astype(np.int64), cells - 1))
    cells_y = int(codes[1].max()) + 1
    flat = codes[0] * cells_y + codes[1]
    _, inverse, counts = np.unique(flat, return_inverse=True, return_counts=True)
    return counts[inverse].astype(float)


def alpha_for(depth: np.ndarray) -> float:
    """The alpha at which a stack of the median point's depth reaches ``TARGET_OPACITY``.

    ``1 - (1 - TARGET_OPACITY) ** (1 / depth)``: 0.8 for points that stand
    alone, 0.55 where two stack, 0.10 where 15 do.
    """
    typical = float(np.median(depth)) if len(depth) else 1.0
    return 1 - (1 - TARGET_OPACITY) ** (1 / max(typical, 1.0))
