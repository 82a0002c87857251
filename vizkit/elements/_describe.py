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
    own: str | None = None  # the artist's own label ("_MSFT" gives "MSFT"), when it has one
    role: str | None = None  # what tells it from a series of the same name ("raw", "male")
    colors: list = field(default_factory=list)  # each bar's colour (one bar series can highlight a bar)


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
    return " ".join(label.removeprefix("_").split()) or None


def _resolve(label, color, names) -> tuple:
    """(name, own label, role): a visible label names a series; else its legend entry (by colour), its own
    hidden label then telling it from others of that entry ("train" drawn "_raw" and "_smooth")."""
    visible = label if isinstance(label, str) and not label.startswith("_") else None
    own = _name(label)
    if visible:
        return own, own, None
    legend = names.get(color)
    if legend:
        return legend, own, own
    return own, own, None


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


def legend_names(ax, *, patches: bool = False) -> dict:
    """{colour: legend text} for the legend entries drawn as lines or markers (``patches``: as patches,
    keyed by colour and opacity); a colour two entries share names neither."""
    from matplotlib.collections import Collection
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    legend = ax.get_legend()
    if legend is None:
        return {}
    names: dict = {}
    for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=False):
        if patches != isinstance(handle, Patch) or not handle.get_visible() or _blank(handle):
            continue  # a section title of a legend ("species") has a blank handle
        if isinstance(handle, Patch):
            key = tuple(round(c, 2) for c in to_rgba(handle.get_facecolor()))
        elif isinstance(handle, Line2D) and str(handle.get_linestyle()) in ("None", "", " "):
            key = _rgb(handle.get_markerfacecolor())  # a marker-only entry (a scatter group)
        elif isinstance(handle, Line2D):
            key = _rgb(handle.get_color())
        elif isinstance(handle, Collection) and len(handle.get_facecolors()):
            key = _rgb(handle.get_facecolors()[0])
        else:
            continue
        names[key] = None if key in names else " ".join(text.get_text().split())
    return {key: name for key, name in names.items() if name}


def _blank(handle) -> bool:
    """A legend handle that draws nothing: no line and no marker."""
    from matplotlib.lines import Line2D

    return (isinstance(handle, Line2D) and str(handle.get_linestyle()) in ("None", "", " ")
            and str(handle.get_marker()) in ("None", "", " "))


def _marker_names(ax) -> list:
    """[(marker path vertices, legend text)] for the legend's marker-only entries: a style's levels."""
    from matplotlib.lines import Line2D
    from matplotlib.markers import MarkerStyle

    legend = ax.get_legend()
    if legend is None:
        return []
    found = []
    for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=False):
        if isinstance(handle, Line2D) and str(handle.get_linestyle()) in ("None", "", " ") and text.get_text():
            try:
                style = MarkerStyle(handle.get_marker())
                path = style.get_path().transformed(style.get_transform())
            except (TypeError, ValueError):
                continue
            found.append((np.round(path.vertices, 3), " ".join(text.get_text().split())))
    return found


def _categories(axis, *, bars: bool = False) -> dict:
    """{tick position: label} when an axis shows categories, else {}.

    Fixed labels are categories: labels given with their ticks (``set_xticks(positions, labels)``,
    which Matplotlib writes with a function formatter over fixed ticks, as vizkit does for the levels
    of a strip plot or a heatmap), and the labels of a function formatter on the axis bars stand on
    (``bars=True``), where vizkit writes the levels.
    """
    from matplotlib.category import StrCategoryFormatter
    from matplotlib.ticker import FixedFormatter, FixedLocator, FuncFormatter

    formatter = axis.get_major_formatter()
    fixed = bars or isinstance(axis.get_major_locator(), FixedLocator)
    if not isinstance(formatter, (FixedFormatter, StrCategoryFormatter) + ((FuncFormatter,) if fixed else ())):
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
            return " ".join(text.get_text().split())
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

    names, patch_names = legend_names(ax), legend_names(ax, patches=True)
    markers = [(shape, text) for shape, text in _marker_names(ax) if text not in names.values()]  # style levels
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
        name, own, role = _resolve(container.get_label(), color, names)
        categories = _category_of(starts, y_categories if horizontal else x_categories)
        series.append(Series(name, "bars", color, starts, lengths, categories, horizontal, own, role,
                             [_rgb(p.get_facecolor()) for p in bars]))
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
        name, own, role = _resolve(line.get_label(), color, names)
        series.append(Series(name, "line", color, xy[:, 0], xy[:, 1], own=own, role=role))
    bands: list[Band] = []
    for collection in ax.collections:
        if not collection.get_visible():
            continue
        if isinstance(collection, PathCollection):
            offsets = _floats(collection.get_offsets())
            if offsets.ndim != 2 or not len(offsets):
                continue
            series.extend(_point_groups(collection, offsets, names, markers))
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
            label = _name(collection.get_label()) or (
                patch_names.get(tuple(round(c, 2) for c in faces[0])) if len(faces) else None)
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


def _point_groups(collection, offsets, names, markers) -> list[Series]:
    """A scatter's points, one series per colour (hue groups), or one series on a continuous scale.

    A collection whose marker is a legend entry's (a style level) carries that entry as its role.
    """
    faces = collection.get_facecolors()
    if len(faces) == 0:
        faces = collection.get_edgecolors()
    own = _name(collection.get_label())
    paths = collection.get_paths()
    shape = np.round(paths[0].vertices, 3) if paths else None
    role = next((text for vertices, text in markers
                 if shape is not None and vertices.shape == shape.shape and np.allclose(vertices, shape)), None)
    if collection.get_array() is not None or len(faces) <= 1:
        color = _rgb(faces[0]) if len(faces) else (0.0, 0.0, 0.0)
        name = own if own and not collection.get_label().startswith("_") else names.get(color) or own
        return [Series(name, "points", color, offsets[:, 0], offsets[:, 1], own=own, role=role)]
    rgbs = [_rgb(face) for face in faces]
    if len(rgbs) != len(offsets):
        rgbs = (rgbs * len(offsets))[: len(offsets)]
    groups: dict = {}
    for index, rgb in enumerate(rgbs):
        groups.setdefault(rgb, []).append(index)
    if len(groups) > 16:  # a colour per point, not per group
        return [Series(own, "points", rgbs[0], offsets[:, 0], offsets[:, 1], own=own, role=role)]
    return [Series(names.get(rgb) or (own if len(groups) == 1 else None), "points", rgb,
                   offsets[rows, 0], offsets[rows, 1], own=names.get(rgb), role=role) for rgb, rows in groups.items()]
