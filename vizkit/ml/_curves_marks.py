"""What :func:`vizkit.curves` draws around its lines: the last logged values, and a legend kept off the data.

Both are settled when the figure is drawn (:func:`vizkit._core.axes.before_draw`),
so they hold in the final layout (a constrained-layout figure sizes its Axes
only then) and after the caller changes the chart (a log scale, new limits).

- A smoothed line ends where its average ends, not where the log does; the
  last logged point gets a small marker in the line's colour and its value
  as text just right of it (the line's colour, darkened to 4.5:1 contrast),
  labels that end near the same x kept one font height apart.
- The legend goes where it covers no line, band, marker or label (value,
  NaN/inf and off-scale labels), by the shared placer
  (:mod:`vizkit._core.placement`, Matplotlib's ``"best"`` order).
  When every spot inside covers something it moves outside, right of the
  Axes and of the value labels, if the figure makes room for it (a layout
  engine) or has room; otherwise the y axis grows at the top just enough for
  an upper spot to clear the curves and bands under it (a linear axis).
"""

from __future__ import annotations

import numpy as np

from vizkit._core.axes import before_draw
from vizkit._core.line_band import RAW_MARKER_SCALE
from vizkit._core.placement import Growth, Obstacles, place, stack
from vizkit.ml._runs import edge_label_points

__all__ = ["LAST_VALUE_GID", "arrange", "mark_last_values"]

#: The gid of the marker and of the text of a last logged value.
LAST_VALUE_GID = "vizkit-last-value"
#: Between a last point and its value's text, in points.
_GAP_POINTS = 4
#: Value labels whose points are this close in x (pixels) share one column and are kept apart.
_SAME_COLUMN_PX = 24
#: WCAG's contrast for text.
_TEXT_CONTRAST = 4.5
#: Between the Axes (or the value labels) and a legend moved outside, in pixels.
_OUTSIDE_GAP_PX = 6


def mark_last_values(ax, ends) -> list:
    """Mark each ``(x, y, color)`` of ``ends``: a small dot and the value as text; return the texts.

    The text reads the value to 3 significant digits (``1.87``, ``0.953``, ``2.3e+04``).
    """
    import matplotlib as mpl

    from vizkit.colors import readable_color

    face = ax.get_facecolor()
    size = RAW_MARKER_SCALE * mpl.rcParams["lines.markersize"]
    texts = []
    for x, y, color in ends:
        ax.plot([x], [y], linestyle="None", linewidth=0, marker="o", markersize=size, color=color,
                markeredgecolor=face, markeredgewidth=0.6, zorder=2.6, label="_last_value", gid=LAST_VALUE_GID)
        texts.append(ax.annotate(f"{y:.3g}", (x, y), xytext=(_GAP_POINTS, 0), textcoords="offset points",
                                 ha="left", va="center", fontsize="small", zorder=2.6, gid=LAST_VALUE_GID,
                                 color=readable_color(color, face, min_ratio=_TEXT_CONTRAST)))
    return texts


def arrange(ax, legend, spots) -> None:
    """Settle the value labels, then the legend (``spots`` in order of preference), each time ``ax`` draws.

    Every value label on ``ax`` takes part, those of an earlier call on the same Axes too.
    """
    state = {}

    def settle(ax, renderer):
        texts = [text for text in ax.texts if text.get_gid() == LAST_VALUE_GID]
        _spread(ax, texts)
        if legend is not None and ax.get_legend() is legend:  # a legend the caller replaced is theirs
            _place_legend(ax, legend, texts, spots, renderer, state)

    before_draw(ax, settle, key="curves-marks")


# ---------------------------------------------------------------- value labels
def _spread(ax, texts) -> None:
    """Keep value labels that end near the same x at least one font height apart, inside the Axes' height."""
    texts = [t for t in texts if np.isfinite(ax.transData.transform(t.xy)).all()]
    if not texts:
        return
    points_per_pixel = 72 / ax.figure.dpi
    anchors = np.array([ax.transData.transform(t.xy) for t in texts])
    height = max(t.get_fontsize() for t in texts) / points_per_pixel * 1.15
    frame = ax.get_window_extent()
    by_x = np.argsort(anchors[:, 0], kind="stable")
    columns, current = [], [by_x[0]]
    for i in by_x[1:]:
        if anchors[i, 0] - anchors[current[-1], 0] <= _SAME_COLUMN_PX:
            current.append(i)
        else:
            columns.append(current)
            current = [i]
    columns.append(current)
    for column in columns:
        targets = anchors[column, 1]
        placed = stack(targets, frame.y0, frame.y1, height)
        fits = placed.min() >= frame.y0 + height / 2 - 1
        for k, y in enumerate(placed):
            text = texts[column[k]]
            text.xyann = (_clear_of_spine(anchors[column[k], 0], text, frame) * points_per_pixel,
                          (y - targets[k]) * points_per_pixel)
            text.set_visible(bool(fits))  # too many to read in this height: the dots stay, the numbers go


def _clear_of_spine(x, text, frame) -> float:
    """How far right of its point (pixels) a label starts: the usual gap, or past the right spine it would cross."""
    gap = _GAP_POINTS * text.figure.dpi / 72
    width = text.get_window_extent().width
    if x < frame.x1 < x + gap + width:
        return frame.x1 - x + gap / 2
    return gap


# ---------------------------------------------------------------- legend
def _place_legend(ax, legend, texts, spots, renderer, state) -> None:
    from matplotlib.collections import PolyCollection

    _back_inside(ax, legend, state)
    labels = [t for t in texts if t.get_visible()]
    edge = edge_label_points(ax)  # nor the NaN/inf and off-scale labels
    points = np.vstack([np.array([t.xy for t in labels], dtype=float).reshape(-1, 2),
                        *([] if edge is None else [edge])])
    obstacles = Obstacles(lines=list(ax.lines), points=points,
                          fills=[c for c in ax.collections if isinstance(c, PolyCollection)])
    if place(ax, legend, obstacles, spots=spots, growth=Growth(rounds=0)).covered == 0:
        return
    if _outside(ax, legend, labels, renderer):
        return
    before = ax.get_ylim()
    obstacles.points = np.vstack([points, *_vertices(ax)])
    place(ax, legend, obstacles, spots=spots, growth=Growth("room", rounds=1))
    if ax.get_ylim() != before:
        state.update(base=before, grown=ax.get_ylim())


def _vertices(ax) -> list:
    """The data points of the curves and bands (data coordinates), for raising the y axis just enough."""
    from matplotlib.collections import PolyCollection

    out = [line.get_xydata() for line in ax.lines if line.get_gid() != "vizkit-nonfinite"]
    out += [path.vertices for c in ax.collections if isinstance(c, PolyCollection) for path in c.get_paths()]
    return [np.asarray(xy, dtype=float).reshape(-1, 2) for xy in out]


def _back_inside(ax, legend, state) -> None:
    """Undo what an earlier draw decided (outside, or a grown y axis), so each draw decides afresh."""
    legend.set_bbox_to_anchor(None)
    if "grown" in state and ax.get_ylim() == state["grown"]:
        ax.set_ylim(state["base"])
    state.clear()


def _outside(ax, legend, labels, renderer) -> bool:
    """Put the legend right of the Axes and the value labels, if the figure makes or has room; say if it did."""
    from matplotlib.layout_engine import ConstrainedLayoutEngine, TightLayoutEngine

    box = ax.get_window_extent(renderer)
    right = max([box.x1] + [t.get_window_extent(renderer).x1 for t in labels]) + _OUTSIDE_GAP_PX
    pad = legend.borderaxespad * legend.prop.get_size_in_points() * ax.figure.dpi / 72
    root = ax.get_figure(root=True)
    makes_room = isinstance(root.get_layout_engine(), (ConstrainedLayoutEngine, TightLayoutEngine))
    if not makes_room and right - pad + legend.get_window_extent(renderer).width > root.bbox.x1:
        return False
    legend.set_loc("upper left")
    legend.set_bbox_to_anchor(((right - pad - box.x0) / box.width, 1 + pad / box.height), transform=ax.transAxes)
    return True
