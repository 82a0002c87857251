"""What :func:`vizkit.describe` reads off an Axes: series by name, guides, bands, and the words for them.

Everything is read from the drawn artists (so it works on any Axes, vizkit's,
seaborn's or plain Matplotlib's) and from the data they hold, never from the
view limits. The order is the drawing order, so the same chart always gives
the same words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

# Labels Matplotlib gives artists nobody named, and the one that keeps an artist out of the legend.
_AUTOMATIC = re.compile(r"_(child|line|collection|patch|container)\d+|_nolegend_|")
_MAX_CATEGORIES = 12  # a bar series lists each bar's value up to this many bars
_MAX_NAMES = 6  # "other (4 lines: A, B, C, D)" names at most this many


@dataclass(eq=False)
class Series:
    """One named data series: its kind ("line", "bars", "points", "area"), colour and values."""

    name: str | None
    kind: str
    color: tuple
    x: np.ndarray
    y: np.ndarray
    categories: list = field(default_factory=list)  # the bar labels, when the bars stand on categories
    horizontal: bool = False


@dataclass(eq=False)
class Guide:
    """A reference line or span: which axis, where, and its label."""

    kind: str  # "line" or "span"
    axis: str  # the axis its position is read on: "x" (vertical guide) or "y" (horizontal guide)
    values: tuple
    label: str | None


@dataclass(eq=False)
class Band:
    """A shaded band: around which series (the line of its colour, if any), its extent and label."""

    around: Series | None
    low: float
    high: float
    label: str | None


def _name(label) -> str | None:
    """A series' name from its label: None for Matplotlib's automatic labels.

    vizkit hides the context series of a highlight from the legend by prefixing
    "_" to the level ("_MSFT"): that is still the series' name.
    """
    if not isinstance(label, str) or _AUTOMATIC.fullmatch(label):
        return None
    return label.removeprefix("_") or None


def _rgb(color) -> tuple:
    from matplotlib.colors import to_rgba

    try:
        return tuple(round(c, 3) for c in to_rgba(color)[:3])
    except (TypeError, ValueError):
        return (0.0, 0.0, 0.0)


def is_context_grey(rgb) -> bool:
    """Whether a colour is a mid grey: the colour of context series in a highlight (not black ink)."""
    return max(rgb) - min(rgb) < 0.04 and 0.25 <= sum(rgb) / 3 <= 0.85


def _floats(values) -> np.ndarray:
    try:
        array = np.ma.filled(np.ma.asarray(values, dtype=float), np.nan)
    except (TypeError, ValueError):
        return np.empty(0)
    return array


def legend_names(ax) -> dict:
    """{colour: legend text} for the Axes' legend entries whose colour is their own."""
    from matplotlib.collections import Collection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    legend = ax.get_legend()
    if legend is None:
        return {}
    names: dict = {}
    for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=False):
        if isinstance(handle, Line2D) and str(handle.get_linestyle()) in ("None", "", " "):
            color = handle.get_markerfacecolor()  # a marker-only entry (a scatter group)
        elif isinstance(handle, Line2D):
            color = handle.get_color()
        elif isinstance(handle, Patch):
            color = handle.get_facecolor()
        elif isinstance(handle, Collection) and len(handle.get_facecolors()):
            color = handle.get_facecolors()[0]
        else:
            continue
        rgb = _rgb(color)
        names[rgb] = None if rgb in names else text.get_text()  # a colour two entries share names neither
    return {rgb: name for rgb, name in names.items() if name}


def _categories(axis, *, bars: bool = False) -> dict:
    """{tick position: label} when an axis shows categories, else {}.

    Fixed labels are categories; so are the labels of a function formatter on
    the axis bars stand on (``bars=True``), where vizkit writes the levels.
    """
    from matplotlib.category import StrCategoryFormatter
    from matplotlib.ticker import FixedFormatter, FuncFormatter

    formatter = axis.get_major_formatter()
    if not isinstance(formatter, (FixedFormatter, StrCategoryFormatter) + ((FuncFormatter,) if bars else ())):
        return {}
    return {float(tick.get_loc()): tick.label1.get_text() for tick in axis.get_major_ticks()
            if tick.label1.get_text()}


def categories_of(ax, name: str) -> list:
    """The category names an axis shows, in tick order; [] for a numeric or date axis."""
    axis = ax.xaxis if name == "x" else ax.yaxis
    from matplotlib.container import BarContainer

    on_bars = any(isinstance(c, BarContainer) and c.patches and (c.orientation == "horizontal") == (name == "y")
                  for c in ax.containers)
    found = _categories(axis, bars=on_bars)
    return [found[loc] for loc in sorted(found)]


def _category_of(positions: np.ndarray, categories: dict) -> list:
    if not categories:
        return []
    locs = np.array(sorted(categories))
    names = [categories[loc] for loc in locs]
    found = []
    for position in positions:
        index = int(np.argmin(np.abs(locs - position)))
        if abs(locs[index] - position) > 0.5:
            return []
        found.append(names[index])
    return found


def _guide_axis(ax, artist) -> str | None:
    """ "y" for a line or span across the Axes at a y value (axhline, axhspan), "x" for a vertical one."""
    from matplotlib.artist import Artist

    transform = Artist.get_transform(artist)
    if transform == ax.get_yaxis_transform():
        return "y"
    if transform == ax.get_xaxis_transform():
        return "x"
    return None


def _guide_label(ax, axis: str, value: float) -> str | None:
    """The text written at a guide: an annotation whose anchor sits on the guide's value."""
    for text in ax.texts:
        coords = getattr(text, "xycoords", None)
        if not isinstance(coords, tuple) or len(coords) != 2 or not text.get_text():
            continue
        index = 0 if axis == "x" else 1
        if coords[index] == "data" and np.isclose(_floats(text.xy[index]), value):
            return text.get_text()
    return None


def _errorbar_caps(ax) -> set:
    from matplotlib.container import ErrorbarContainer

    caps = set()
    for container in ax.containers:
        if isinstance(container, ErrorbarContainer):
            caps.update(id(cap) for cap in container.lines[1])
    return caps


def read(ax) -> tuple[list[Series], list[Band], list[Guide]]:
    """The data series, bands and guides drawn on ``ax``, in drawing order."""
    from matplotlib.collections import PathCollection, PolyCollection
    from matplotlib.container import BarContainer
    from matplotlib.patches import Polygon, Rectangle

    names = legend_names(ax)
    series: list[Series] = []
    guides: list[Guide] = []
    in_containers = set()
    x_categories, y_categories = _categories(ax.xaxis, bars=True), _categories(ax.yaxis, bars=True)
    for container in ax.containers:
        if not isinstance(container, BarContainer) or not container.patches:
            continue
        in_containers.update(id(p) for p in container.patches)
        horizontal = container.orientation == "horizontal"
        bars = [p for p in container.patches if p.get_visible()]
        if not bars:
            continue
        lengths = _floats([p.get_width() if horizontal else p.get_height() for p in bars])
        starts = _floats([p.get_y() + p.get_height() / 2 if horizontal else p.get_x() + p.get_width() / 2
                          for p in bars])
        color = _rgb(bars[0].get_facecolor())
        name = _name(container.get_label()) or names.get(color)
        categories = _category_of(starts, y_categories if horizontal else x_categories)
        series.append(Series(name, "bars", color, starts, lengths, categories, horizontal))
    caps = _errorbar_caps(ax)
    for line in ax.get_lines():
        if not line.get_visible() or id(line) in caps:
            continue
        axis = _guide_axis(ax, line)
        if axis is not None:
            value = _floats(line.get_xdata() if axis == "x" else line.get_ydata())
            if len(value) and np.isfinite(value[0]):
                label = _name(line.get_label()) or _guide_label(ax, axis, value[0])
                guides.append(Guide("line", axis, (float(value[0]),), label))
            continue
        xy = _floats(line.get_xydata())
        if xy.ndim != 2 or len(xy) < 2:
            continue
        xy = xy[np.isfinite(xy).all(axis=1)]
        if len(xy) < 2:
            continue
        color = _rgb(line.get_color())
        series.append(Series(_name(line.get_label()) or names.get(color), "line", color, xy[:, 0], xy[:, 1]))
    bands: list[Band] = []
    for collection in ax.collections:
        if not collection.get_visible():
            continue
        if isinstance(collection, PathCollection):
            offsets = _floats(collection.get_offsets())
            if offsets.ndim != 2 or not len(offsets):
                continue
            series.extend(_point_groups(collection, offsets, names))
        elif isinstance(collection, PolyCollection):
            vertices = [_floats(path.vertices) for path in collection.get_paths()]
            vertices = [v[np.isfinite(v).all(axis=1)] for v in vertices if v.ndim == 2]
            vertices = [v for v in vertices if len(v)]
            if not vertices:
                continue
            points = np.vstack(vertices)
            faces = collection.get_facecolors()
            color = _rgb(faces[0]) if len(faces) else (0.0, 0.0, 0.0)
            owner = next((s for s in series if s.kind == "line" and s.color == color), None)
            label = _name(collection.get_label())
            if owner is not None:
                bands.append(Band(owner, float(points[:, 1].min()), float(points[:, 1].max()), label))
            else:
                series.append(Series(label or names.get(color), "area", color, points[:, 0], points[:, 1]))
    for patch in ax.patches:
        if id(patch) in in_containers or not patch.get_visible() or not isinstance(patch, (Rectangle, Polygon)):
            continue
        axis = _guide_axis(ax, patch)
        if axis is None:
            continue
        corners = _floats(patch.get_path().vertices)
        if isinstance(patch, Rectangle):
            x0, y0 = patch.get_x(), patch.get_y()
            corners = _floats([(x0, y0), (x0 + patch.get_width(), y0 + patch.get_height())])
        along = corners[:, 0] if axis == "x" else corners[:, 1]
        along = along[np.isfinite(along)]
        if len(along):
            low, high = float(along.min()), float(along.max())
            label = _name(patch.get_label()) or _guide_label(ax, axis, low) or _guide_label(ax, axis, high)
            guides.append(Guide("span", axis, (low, high), label))
    order = {"bars": 0, "area": 1, "points": 2, "line": 3}  # marks first, then the lines drawn over them
    return sorted(series, key=lambda s: order[s.kind]), bands, guides


def _point_groups(collection, offsets, names) -> list[Series]:
    """A scatter's points, one series per colour (hue groups), or one series on a continuous scale."""
    faces = collection.get_facecolors()
    if len(faces) == 0:
        faces = collection.get_edgecolors()
    label = _name(collection.get_label())
    if collection.get_array() is not None or len(faces) <= 1:
        color = _rgb(faces[0]) if len(faces) else (0.0, 0.0, 0.0)
        return [Series(label or names.get(color), "points", color, offsets[:, 0], offsets[:, 1])]
    rgbs = [_rgb(face) for face in faces]
    if len(rgbs) != len(offsets):
        rgbs = (rgbs * len(offsets))[: len(offsets)]
    groups: dict = {}
    for index, rgb in enumerate(rgbs):
        groups.setdefault(rgb, []).append(index)
    if len(groups) > 16:  # a colour per point, not per group
        return [Series(label, "points", rgbs[0], offsets[:, 0], offsets[:, 1])]
    return [Series(names.get(rgb) or (label if len(groups) == 1 else None), "points", rgb,
                   offsets[rows, 0], offsets[rows, 1]) for rgb, rows in groups.items()]
