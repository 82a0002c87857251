"""Placing a legend or a text box where it covers the fewest data points.

The one placer behind :func:`vizkit.dual_axis`'s legend, :func:`vizkit.scatter`'s
stats box and :func:`vizkit.gap`'s legend. :func:`place` tries each candidate
spot (Matplotlib's ``loc`` names, in order of preference), scores what the box
would cover there, and takes the first spot with the lowest score. When every
spot covers something, the y axis grows at the top to make room and the spots
are tried again.

What a box covers (:func:`coverage`), all measured in display pixels, afresh
at each try:

- each point of ``Obstacles.points`` (data coordinates of the Axes) and each
  vertex of ``Obstacles.lines`` inside the box, grown by ``margin_px``: 1;
- each line whose path crosses the box: 10 (a line between two points out of
  the box is still hidden under it);
- the share of the box over a shaded area of ``Obstacles.fills``: 20 for all of it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["LEGEND_SPOTS", "TEXT_CORNERS", "Growth", "Obstacles", "Placement", "coverage", "place", "stack"]

#: Legend spots in order of preference (Matplotlib ``loc`` names).
LEGEND_SPOTS = ("upper left", "upper right", "lower left", "lower right", "upper center", "lower center")
#: Text-box spots: ``name: (x, y, ha, va)`` in axes fraction, in order of preference.
TEXT_CORNERS = {
    "upper left": (0.03, 0.97, "left", "top"),
    "upper right": (0.97, 0.97, "right", "top"),
    "lower left": (0.03, 0.03, "left", "bottom"),
    "lower right": (0.97, 0.03, "right", "bottom"),
}
#: Weights of a crossing line and of a box fully over a shaded area, against 1 per covered point.
LINE_WEIGHT = 10
FILL_WEIGHT = 20


@dataclass
class Obstacles:
    """What a placed box should not cover.

    ``lines`` are Line2D artists (on any Axes: twins too), ``points`` an
    ``(n, 2)`` array in the data coordinates of the Axes being placed on,
    ``fills`` collections of shaded areas (``fill_between``); a point within
    ``margin_px`` pixels of the box counts as covered.
    """

    lines: Sequence = ()
    points: np.ndarray | None = None
    fills: Sequence = ()
    margin_px: float = 0.0


@dataclass
class Growth:
    """How the y axes grow at the top when every spot covers something.

    ``kind``: ``"height"`` grows each of ``axes`` by ``factor`` times the box's
    height; ``"ticks"`` by one tick step, keeping fixed (aligned) ticks;
    ``"room"`` raises the top just enough for an upper spot's box to clear the
    ``points`` under it (one step, exact). ``rounds``: at most this many
    growths. ``axes`` default to the Axes being placed on.
    """

    kind: str = "height"
    factor: float = 1.6
    rounds: int = 3
    axes: Sequence = ()


@dataclass
class Placement:
    """Where the box went and how much it covers there (0: nothing)."""

    spot: str
    covered: float


# ---------------------------------------------------------------- measuring
def _refresh(ax, obstacles: Obstacles) -> None:
    """Bring the view limits of every Axes involved up to date before using their transforms."""
    for axes in {id(a): a for a in [ax, *(line.axes for line in obstacles.lines)]}.values():
        axes.get_xlim(), axes.get_ylim()


def _display_paths(obstacles: Obstacles) -> list:
    paths = []
    for line in obstacles.lines:
        xy = line.get_transform().transform(line.get_xydata())
        xy = xy[np.isfinite(xy).all(axis=1)]
        if len(xy):
            paths.append(xy)
    return paths


def coverage(box, obstacles: Obstacles, ax) -> float:
    """How much a box (a display Bbox) covers of ``obstacles``; see the module docstring.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from matplotlib.transforms import Bbox
    >>> fig, ax = plt.subplots()
    >>> ax.set(xlim=(0, 1), ylim=(0, 1))
    [(0.0, 1.0), (0.0, 1.0)]
    >>> corner = Bbox.from_extents(*ax.transData.transform([(0, 0), (0.2, 0.2)]).ravel())
    >>> coverage(corner, Obstacles(points=np.array([[0.1, 0.1], [0.9, 0.9]])), ax)
    1
    >>> plt.close(fig)
    """
    from matplotlib.path import Path

    grown = box.padded(obstacles.margin_px) if obstacles.margin_px else box
    score = 0
    for xy in _display_paths(obstacles):
        score += int(grown.count_contains(xy)) + LINE_WEIGHT * Path(xy).intersects_bbox(box, filled=False)
    if obstacles.points is not None and len(obstacles.points):
        score += int(grown.count_contains(ax.transData.transform(obstacles.points)))
    if obstacles.fills:
        score += FILL_WEIGHT * _fill_share(box, obstacles.fills)
    return score


def _fill_share(box, fills) -> float:
    """The share of a 9 x 5 grid over ``box`` that lies in a shaded area."""
    paths = [path.transformed(c.get_transform()) for c in fills for path in c.get_paths()]
    grid = np.stack(np.meshgrid(np.linspace(box.x0, box.x1, 9), np.linspace(box.y0, box.y1, 5)), -1).reshape(-1, 2)
    covered = np.zeros(len(grid), dtype=bool)
    for path in paths:
        covered |= path.contains_points(grid)
    return float(covered.mean())


# ---------------------------------------------------------------- candidate spots
class _LegendSpots:
    """A legend's box at each ``loc``, from its size and ``borderaxespad``, without drawing."""

    def __init__(self, legend, ax, names):
        self.legend, self.ax, self.names = legend, ax, tuple(names)

    def boxes(self) -> dict:
        from matplotlib.transforms import Bbox

        legend, box = self.legend, self.ax.bbox
        size = legend.get_window_extent()
        pad = legend.borderaxespad * legend.prop.get_size_in_points() * self.ax.figure.dpi / 72
        xs = {"left": box.x0 + pad, "right": box.x1 - pad - size.width, "center": (box.x0 + box.x1 - size.width) / 2}
        ys = {"upper": box.y1 - pad - size.height, "lower": box.y0 + pad,
              "center": (box.y0 + box.y1 - size.height) / 2}
        out = {}
        for name in self.names:
            vertical, horizontal = name.split()
            out[name] = Bbox.from_bounds(xs[horizontal], ys[vertical], size.width, size.height)
        return out

    def height(self) -> float:
        return self.legend.get_window_extent().height

    def put(self, name) -> None:
        self.legend.set_loc(name)


class _TextSpots:
    """A text box (in axes coordinates) moved to each corner and measured, padded by ``pad_px``."""

    def __init__(self, text, corners, pad_px):
        self.text, self.corners, self.pad_px = text, dict(corners), pad_px
        self.names = tuple(self.corners)

    def boxes(self) -> dict:
        out = {}
        for name in self.names:
            self.put(name)
            out[name] = self.text.get_window_extent().padded(self.pad_px)
        return out

    def height(self) -> float:
        return self.text.get_window_extent().padded(self.pad_px).height

    def put(self, name) -> None:
        x, y, ha, va = self.corners[name]
        self.text.set_position((x, y))
        self.text.set_horizontalalignment(ha)
        self.text.set_verticalalignment(va)


# ---------------------------------------------------------------- growing
def _grow(ax, spots, boxes, obstacles: Obstacles, growth: Growth) -> None:
    axes = tuple(growth.axes) or (ax,)
    if growth.kind == "room":
        _make_room_above(ax, boxes, obstacles)
        return
    for axis in axes:
        low, high = axis.get_ylim()
        if growth.kind == "ticks":
            ticks = axis.get_yticks()
            step = ticks[1] - ticks[0]
            axis.set_ylim(low, high + step)
            axis.set_yticks(np.append(ticks, ticks[-1] + step))
        else:
            share = min(0.5, spots.height() * growth.factor / max(ax.bbox.height, 1.0))
            axis.set_ylim(low, high + (high - low) * share / (1 - share))


def _make_room_above(ax, boxes, obstacles: Obstacles) -> None:
    """Raise the top of the y axis so that an upper spot's box sits above every point under it."""
    xy = obstacles.points
    low, high = ax.get_ylim()
    points = ax.transData.transform(xy)
    best_top = math.inf
    for name in (n for n in boxes if n.startswith("upper")):
        extent = boxes[name].padded(obstacles.margin_px)
        under = (points[:, 0] >= extent.x0) & (points[:, 0] <= extent.x1)
        top = high
        if under.any():  # the box takes the top `share` of the axes: the highest point must sit below it
            share = (ax.bbox.y1 - extent.y0) / ax.bbox.height
            top = low + (xy[under, 1].max() - low) / max(1 - share - 0.02, 0.2)
        best_top = min(best_top, top)
    if high < best_top < math.inf:
        ax.set_ylim(low, best_top)


def _can_grow(ax, obstacles: Obstacles, growth: Growth) -> bool:
    if growth.kind != "room":
        return growth.rounds > 0
    return ax.get_yscale() == "linear" and obstacles.points is not None and len(obstacles.points) > 0


# ---------------------------------------------------------------- placing
def place(ax, artist, obstacles: Obstacles, *, spots=None, pad_px: float = 0.0, growth: Growth | None = None,
          relayout: bool = False) -> Placement:
    """Put ``artist`` (a Legend, or a Text in axes coordinates) where it covers the least of ``obstacles``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The Axes the box sits in.
    artist : matplotlib.legend.Legend or matplotlib.text.Text
    obstacles : Obstacles
        The lines, points and shaded areas to keep clear.
    spots : sequence of loc names (legend) or {name: (x, y, ha, va)} (text), optional
        Candidates in order of preference; default :data:`LEGEND_SPOTS` or :data:`TEXT_CORNERS`.
    pad_px : float
        A text box's padding around its text, in pixels.
    growth : Growth, optional
        How the y axes grow when every spot covers something; default
        ``Growth()`` for a legend (by 1.6 legend heights, up to 3 times) and
        ``Growth("room")`` for a text box. ``Growth(rounds=0)``: never grow.
    relayout : bool
        Lay the figure out (``Figure.draw_without_rendering``) before each
        measure, so the box is measured as it will be saved.

    Returns
    -------
    Placement
        The spot taken and what it covers there.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> line, = ax.plot([0, 1, 2], [2, 1, 0], label="falling")
    >>> place(ax, ax.legend(), Obstacles(lines=[line])).spot
    'upper right'
    >>> plt.close(fig)
    """
    from matplotlib.legend import Legend

    if isinstance(artist, Legend):
        candidates = _LegendSpots(artist, ax, LEGEND_SPOTS if spots is None else spots)
        growth = Growth() if growth is None else growth
    else:
        candidates = _TextSpots(artist, TEXT_CORNERS if spots is None else spots, pad_px)
        growth = Growth("room", rounds=1) if growth is None else growth
    for attempt in range(growth.rounds + 1):
        if relayout:
            ax.get_figure(root=True).draw_without_rendering()
        _refresh(ax, obstacles)
        boxes = candidates.boxes()
        scores = {name: coverage(boxes[name], obstacles, ax) for name in candidates.names}
        best = min(candidates.names, key=scores.get)
        if scores[best] == 0 or attempt == growth.rounds or not _can_grow(ax, obstacles, growth):
            break
        _grow(ax, candidates, boxes, obstacles, growth)
    candidates.put(best)
    return Placement(best, scores[best])


def stack(targets, low: float, high: float, spacing: float) -> np.ndarray:
    """Positions for labels wanted at ``targets`` (pixels, one axis): at least ``spacing`` apart,
    as near their targets as that allows, and inside ``[low + spacing / 2, high - spacing / 2]``.

    Pushed up from the lowest label, then down from the top if the stack ran
    out of room (so when the labels do not fit, the lowest ones fall below
    ``low``: the caller can tell and hide them). Returned in the order of
    ``targets``.

    >>> stack([10.0, 12.0, 50.0], low=0.0, high=100.0, spacing=10.0).tolist()
    [10.0, 20.0, 50.0]
    """
    targets = np.asarray(targets, dtype=float)
    order = np.argsort(targets, kind="stable")
    placed = targets[order].copy()
    placed[0] = max(placed[0], low + spacing / 2)
    for k in range(1, len(placed)):  # upwards: no label closer than ``spacing`` to the one below
        placed[k] = max(placed[k], placed[k - 1] + spacing)
    placed[-1] = min(placed[-1], high - spacing / 2)
    for k in range(len(placed) - 2, -1, -1):  # then down from the top
        placed[k] = min(placed[k], placed[k + 1] - spacing)
    result = np.empty_like(placed)
    result[order] = placed
    return result

