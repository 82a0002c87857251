"""The anatomy of a Matplotlib figure: each part of a drawn chart named, with how to reach it.

Data Visualization lecture 1 teaches Matplotlib's object model: a Figure holds
Axes; an Axes holds two Axis objects (ticks, tick labels, an axis label), the
spines, a title, a legend and the artists that show the data (Line2D,
PathCollection, Rectangle, ...). :func:`anatomy` labels these parts on any
drawn chart, a vizkit chart or a hand-made one, each callout pointing at the
artist itself (its position is read from the drawn figure, so a label cannot
point at the wrong thing) and saying how code reaches it (``ax.xaxis``,
``ax.get_legend()``, ``ax.lines[0]``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit._core.display import Display
from vizkit._core.errors import bad_type, bad_value
from vizkit._core.placement import stack
from vizkit._core.validate import check_axes
from vizkit.themes import ink, muted_ink

__all__ = ["AnatomyDisplay", "anatomy"]

# Space between a callout column and the figure edge, and between the labels and the chart (pixels).
_EDGE_PX = 10.0
_GAP_PX = 28.0
# Each callout is a name over the code that reaches the part: two lines.
_LINES_PER_LABEL = 2.3


@dataclass(frozen=True)
class _Part:
    name: str  # what the part is called ("Title", "Major tick")
    reach: str  # how code reaches it ("ax.title", "ax.yaxis.get_major_ticks()[1]")
    kind: str  # the Matplotlib class that draws it
    x: float  # where the callout points, in display pixels
    y: float


def _center(box) -> tuple[float, float]:
    return (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2


def _tick_labels(axis, box):
    """The drawn tick labels of ``axis`` beside the Axes (Matplotlib keeps labels of ticks out of view, unseen)."""
    along = 0 if axis.axis_name == "x" else 1
    low, high = (box.x0, box.x1) if along == 0 else (box.y0, box.y1)
    return [t for t in axis.get_ticklabels() if t.get_visible() and t.get_text().strip()
            and low - 1 <= _center(t.get_window_extent())[along] <= high + 1]


def _free_point(ax, candidates, radius: float = 6.0):
    """The first of ``candidates`` (display pixels) that no data artist, text or legend covers; else the first."""
    from matplotlib.transforms import Bbox

    shapes = [(a.get_path().transformed(a.get_transform()), True) for a in ax.patches if a.get_visible()]
    shapes += [(a.get_path().transformed(a.get_transform()), False) for a in ax.lines if a.get_visible()]
    boxes = [t.get_window_extent() for t in ax.texts if t.get_visible()]
    legend = ax.get_legend()
    if legend is not None:
        boxes.append(legend.get_window_extent())
    for collection in ax.collections:
        boxes += [Bbox.from_bounds(x - radius, y - radius, 2 * radius, 2 * radius)
                  for x, y in collection.get_offset_transform().transform(collection.get_offsets())]
    for x, y in candidates:
        near = Bbox.from_bounds(x - radius, y - radius, 2 * radius, 2 * radius)
        if not any(path.intersects_bbox(near, filled=filled) for path, filled in shapes) \
                and not any(b.overlaps(near) for b in boxes):
            return x, y
    return candidates[0]


def _inside_point(path, transform, box):
    """A point of ``path`` (drawn with ``transform``) inside it and inside ``box``: the nearest to its middle."""
    display = path.transformed(transform)
    extent = display.get_extents()
    x0, x1 = max(extent.x0, box.x0), min(extent.x1, box.x1)
    y0, y1 = max(extent.y0, box.y0), min(extent.y1, box.y1)
    if x1 <= x0 or y1 <= y0:
        return None
    grid = np.array([(x, y) for x in np.linspace(x0, x1, 15)[1:-1] for y in np.linspace(y0, y1, 15)[1:-1]])
    inside = grid[display.contains_points(grid)]
    if not len(inside):
        return None
    middle = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
    return tuple(inside[np.argmin(((inside - middle) ** 2).sum(axis=1))])


def _middle_vertex(points, box):
    """The drawn point nearest the middle of the Axes, among ``points`` (display pixels) inside it."""
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    points = points[np.isfinite(points).all(axis=1)]
    points = points[(points[:, 0] >= box.x0) & (points[:, 0] <= box.x1)
                    & (points[:, 1] >= box.y0) & (points[:, 1] <= box.y1)]
    if not len(points):
        return None
    middle = np.array(_center(box))
    # the middle of the series along x, not a point that happens to sit near the centre
    return tuple(points[np.argmin(np.abs(points[:, 0] - middle[0]))])


def _frame_parts(ax, box) -> list[_Part]:
    """Figure, Axes, title, the two Axis objects and their labels, spine, legend."""
    fig_box = ax.figure.bbox
    parts = [_Part("Figure", "fig = ax.figure", "Figure", box.x1 - 0.08 * box.width, (fig_box.y1 + box.y1) / 2),
             _Part("Axes", "ax", "Axes", *_free_point(ax, [(box.x0 + fx * box.width, box.y0 + fy * box.height)
                                                       for fy in (0.04, 0.96) for fx in (0.97, 0.03, 0.5)]))]
    for attribute in ("title", "_left_title", "_right_title"):
        title = getattr(ax, attribute, None)
        if title is not None and title.get_visible() and title.get_text().strip():
            extent = title.get_window_extent()
            parts.append(_Part("Title", "ax.set_title()", "Text", extent.x0 + min(20, extent.width / 2),
                               _center(extent)[1]))
            break
    for axis, letter in ((ax.xaxis, "x"), (ax.yaxis, "y")):
        labels = _tick_labels(axis, box)
        if labels:  # the x axis at its second label, the y axis at its middle one: apart from "Tick label"
            extent = labels[min(1, len(labels) - 1) if letter == "x" else len(labels) // 2].get_window_extent()
            parts.append(_Part(f"{letter} axis", f"ax.{letter}axis", type(axis).__name__, *_center(extent)))
        label = axis.label
        if label.get_visible() and label.get_text().strip():
            parts.append(_Part(f"{letter} label", f"ax.set_{letter}label()", "Text",
                               *_center(label.get_window_extent())))
    parts += _tick_parts(ax, box)
    for side in ("left", "bottom", "right", "top"):
        spine = ax.spines.get(side) if hasattr(ax.spines, "get") else None
        if spine is not None and spine.get_visible() and spine.get_linewidth() > 0:
            x = box.x0 if side == "left" else box.x1 if side == "right" else box.x0 + 0.12 * box.width
            y = box.y0 if side == "bottom" else box.y1 if side == "top" else box.y0 + 0.12 * box.height
            parts.append(_Part("Spine", f"ax.spines[{side!r}]", "Spine", x, y))
            break
    legend = ax.get_legend()
    if legend is not None and legend.get_visible():
        extent = legend.get_window_extent()
        parts.append(_Part("Legend", "ax.get_legend()", "Legend", extent.x0, _center(extent)[1]))
    return parts


def _tick_parts(ax, box) -> list[_Part]:
    """A major tick and its label, a minor tick and a grid line, where the chart has them."""
    parts = []
    to_pixels = ax.get_yaxis_transform()  # x in Axes fraction, y in data
    lo, hi = sorted(ax.get_ylim())
    major = [t for t in ax.yaxis.get_major_ticks() if lo <= t.get_loc() <= hi and t.tick1line.get_visible()]
    if major:
        tick = major[min(1, len(major) - 1)]
        x, y = to_pixels.transform((0, tick.get_loc()))
        index = ax.yaxis.get_major_ticks().index(tick)
        if tick.tick1line.get_markersize() > 0:
            parts.append(_Part("Major tick", f"ax.yaxis.get_major_ticks()[{index}]", "Tick", x - 2, y))
        labels = _tick_labels(ax.xaxis, box)
        if len(labels) > 1:
            index = ax.xaxis.get_ticklabels().index(labels[-1])
            parts.append(_Part("Tick label", f"ax.get_xticklabels()[{index}]", "Text",
                               *_center(labels[-1].get_window_extent())))
        grid = [t for t in major if t.gridline.get_visible()]
        if grid:
            spots = [tuple(to_pixels.transform((fx, t.get_loc()))) for t in grid[::-1]
                     for fx in (0.62, 0.85, 0.4, 0.97)]
            parts.append(_Part("Grid line", "ax.grid()", "Line2D", *_free_point(ax, spots)))
    minor = [t for t in ax.yaxis.get_minor_ticks() if lo <= t.get_loc() <= hi
             and t.tick1line.get_visible() and t.tick1line.get_markersize() > 0]
    if minor:
        x, y = to_pixels.transform((0, minor[0].get_loc()))
        parts.append(_Part("Minor tick", "ax.yaxis.get_minor_ticks()", "Tick", x - 1, y))
    return parts


def _data_parts(ax, box) -> list[_Part]:
    """The first artist of each kind that shows data: a line, markers, an area, a bar, a text."""
    parts = []
    lines = [(i, line) for i, line in enumerate(ax.lines) if line.get_visible() and len(line.get_xydata())]
    if lines:
        index, line = next(((i, ln) for i, ln in lines if not ln.get_label().startswith("_")), lines[0])
        point = _middle_vertex(line.get_transform().transform(line.get_xydata()), box)
        if point is not None:
            parts.append(_Part("Line", f"ax.lines[{index}]", "Line2D", *point))
    found = set()
    for index, collection in enumerate(ax.collections):
        kind = type(collection).__name__
        name = "Markers" if kind == "PathCollection" else "Area" if "Poly" in kind else None
        if name is None or name in found or not collection.get_visible():
            continue
        if name == "Markers":
            offsets = collection.get_offset_transform().transform(collection.get_offsets())
            point = _middle_vertex(offsets, box)
        else:
            paths = collection.get_paths()
            point = _inside_point(paths[0], collection.get_transform(), box) if paths else None
        if point is not None:
            found.add(name)
            parts.append(_Part(name, f"ax.collections[{index}]", kind, *point))
    bars = [(i, p) for i, p in enumerate(ax.patches) if p.get_visible() and type(p).__name__ == "Rectangle"]
    if bars:
        index, bar = bars[len(bars) // 2]
        point = _inside_point(bar.get_path(), bar.get_transform(), box)
        if point is not None:
            parts.append(_Part("Bar", f"ax.patches[{index}]", "Rectangle", *point))
    texts = [(i, t) for i, t in enumerate(ax.texts) if t.get_visible() and t.get_text().strip()]
    if texts:
        index, text = texts[0]
        extent = text.get_window_extent()
        parts.append(_Part("Text", f"ax.texts[{index}]", type(text).__name__, extent.x0, _center(extent)[1]))
    return parts


class AnatomyDisplay(Display):
    """The parts of a drawn Axes, found once (:meth:`from_axes`), then labelled on its figure (:meth:`plot`).

    Attributes
    ----------
    parts_ : pandas.DataFrame
        One row per part found: ``part`` (its name), ``reach`` (how code
        reaches it), ``kind`` (the Matplotlib class that draws it) and
        ``x``, ``y``, where its callout points, in figure fractions.
    """

    _chart = "anatomy"

    def __init__(self, parts):
        self.parts_ = parts

    @classmethod
    def from_axes(cls, ax):
        """Find the parts of ``ax`` as drawn (the figure is drawn once to measure them)."""
        import pandas as pd

        ax = check_axes("ax", ax)
        if not ax.get_visible():
            raise bad_value("ax", "a visible Axes", ax)
        figure = ax.figure
        figure.canvas.draw()  # measured as drawn: positions, tick labels, legend
        box = ax.get_window_extent()
        parts = _frame_parts(ax, box) + _data_parts(ax, box)
        width, height = figure.bbox.width, figure.bbox.height
        return cls(pd.DataFrame({"part": [p.name for p in parts], "reach": [p.reach for p in parts],
                                 "kind": [p.kind for p in parts], "x": [p.x / width for p in parts],
                                 "y": [p.y / height for p in parts]}))

    def _draw(self, ax, *, fontsize=None) -> dict:
        figure = ax.figure
        fontsize = fontsize or _default_size()
        pixels = fontsize * figure.dpi / 72
        spacing = _LINES_PER_LABEL * pixels * 1.2 / figure.bbox.height
        artists = {}
        for side, rows in _sides(self.parts_, sum(ax.get_position().intervalx) / 2).items():
            column = 0.0 if side == "left" else 1.0
            # Order the labels so that their lines do not cross: by height, and at one height the
            # farther part higher (a line to a far part passes over the end of a line to a near one).
            keys = rows["y"].to_numpy() + 0.02 * np.abs(rows["x"].to_numpy() - column)
            heights = stack(keys, low=0.0, high=1.0, spacing=spacing)
            x = _EDGE_PX / figure.bbox.width if side == "left" else 1 - _EDGE_PX / figure.bbox.width
            for (_, row), y in zip(rows.iterrows(), heights, strict=True):
                artists[row["part"]] = _callout(ax, row, (x, y), side, fontsize)
        figure.patch.set_edgecolor(muted_ink(ax))  # the Figure's own edge, which its callout names
        figure.patch.set_linewidth(1.0)
        return artists


def _sides(parts, centre: float) -> dict:
    """The parts labelled in the left and the right margin: by side of the chart, at most 2 more on one side."""
    ordered = parts.sort_values("x", kind="stable")
    left = int((ordered["x"] < centre).sum())
    left = min(max(left, (len(ordered) - 2) // 2), (len(ordered) + 3) // 2)
    return {"left": ordered.iloc[:left], "right": ordered.iloc[left:]}


def _callout(ax, row, where, side, fontsize):
    """The part's name over the code that reaches it, and a line from their side to the part."""
    from matplotlib.patches import ConnectionPatch

    figure = ax.figure
    align = "left" if side == "left" else "right"
    name = figure.text(where[0], where[1], row["part"], ha=align, va="bottom", fontsize=fontsize,
                       fontweight="bold", color=ink(ax))
    reach = figure.text(where[0], where[1], row["reach"], ha=align, va="top", fontsize=fontsize * 0.85,
                        family="monospace", color=muted_ink(ax))
    renderer = figure.canvas.get_renderer()
    extents = [text.get_window_extent(renderer) for text in (name, reach)]
    end = max(e.x1 for e in extents) + 5 if side == "left" else min(e.x0 for e in extents) - 5
    line = ConnectionPatch((end / figure.bbox.width, where[1]), (row["x"], row["y"]), coordsA="figure fraction",
                           coordsB="figure fraction", color=muted_ink(ax), linewidth=0.8, shrinkA=0, shrinkB=1,
                           arrowstyle="-|>,head_length=0.35,head_width=0.18", mutation_scale=10, zorder=10)
    return figure.add_artist(line)


def _default_size() -> float:
    import matplotlib as mpl
    from matplotlib.font_manager import FontProperties

    return FontProperties(size=mpl.rcParams["xtick.labelsize"]).get_size_in_points()


def _make_room(ax, parts, fontsize: float) -> None:
    """Widen the figure's side margins so the callouts fit beside the chart (the layout is fixed from here)."""
    figure = ax.figure
    renderer = figure.canvas.get_renderer()
    centre = sum(ax.get_position().intervalx) / 2
    tight = ax.get_tightbbox(renderer)
    box = ax.get_window_extent()
    width = figure.bbox.width
    needed = {}
    for side, rows in (("left", parts[parts["x"] < centre]), ("right", parts[parts["x"] >= centre])):
        if rows.empty:
            continue
        text = max(max(len(r) * 0.62, len(p) * 0.68) for r, p in zip(rows["reach"], rows["part"], strict=True))
        decorations = box.x0 - tight.x0 if side == "left" else tight.x1 - box.x1
        needed[side] = (_EDGE_PX + text * fontsize * figure.dpi / 72 + _GAP_PX + max(decorations, 0)) / width
    position = ax.get_position()
    left = max(position.x0, needed.get("left", 0))
    right = min(position.x1, 1 - needed.get("right", 0))
    if right - left < 0.25:
        raise bad_value("ax", "an Axes with room for the callouts beside it (a wider figure)", ax,
                        hint=f"The labels need {needed.get('left', 0) + needed.get('right', 0):.0%} of the figure's "
                             "width; make the figure wider, e.g. plt.subplots(figsize=(11, 5)).")
    figure.set_layout_engine("none")
    ax.set_position([left, position.y0, right - left, position.height])


def anatomy(ax=None, *, room=True, fontsize=None):
    """Name every part of a drawn chart, each with the code that reaches it.

    Callouts in the figure's side margins point at the Figure, the Axes, the
    title, the x and y Axis with their labels, a major tick, a tick label, a
    minor tick and a grid line (where drawn), a spine, the legend, and the
    first artist of each kind that shows data: a Line2D (``ax.lines[i]``),
    markers (a PathCollection), an area (a PolyCollection), a bar (a
    Rectangle), a text. Each points at the artist as drawn, so the chart may
    be any chart, vizkit's or hand-made.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        A chart already drawn; default the current Axes. Meant for a figure
        with one Axes.
    room : bool, default True
        Move the Axes inward so the callouts fit in the side margins (this
        fixes the figure's layout: its layout engine is turned off). With
        ``False`` the margins are used as they are.
    fontsize : float, optional
        Points; default the theme's tick label size.

    Returns
    -------
    AnatomyDisplay
        ``parts_`` lists what was found and labelled; ``figure_`` is the figure.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import vizkit as vk
    >>> fig, ax = plt.subplots(figsize=(10, 5))
    >>> _ = ax.plot([0, 1, 2], [1, 3, 2], label="train")
    >>> _ = ax.set_title("Loss"), ax.legend()
    >>> found = vk.anatomy(ax)
    >>> found.parts_["part"].tolist()[:3]
    ['Figure', 'Axes', 'Title']
    >>> plt.close(fig)
    """
    from vizkit._core.axes import target_ax

    ax = target_ax(ax)
    if not isinstance(room, bool):
        raise bad_type("room", "True or False", room)
    if fontsize is not None and (isinstance(fontsize, bool) or not isinstance(fontsize, (int, float))
                                 or not np.isfinite(fontsize) or fontsize <= 0):
        raise bad_value("fontsize", "a positive number of points, or None", fontsize)
    size = float(fontsize) if fontsize is not None else _default_size()
    if room:
        _make_room(ax, AnatomyDisplay.from_axes(ax).parts_, size)
    else:
        ax.figure.set_layout_engine("none")  # the callouts point at positions measured now
    return AnatomyDisplay.from_axes(ax).plot(ax=ax, fontsize=size)
