"""Reviewing a finished figure: a checker for common chart faults, and alt text.

:func:`lint` draws the figure and reports what a careful reader would
object to (overlapping or clipped text, unreadable text, a legend over
data, too many colours, rainbow colormaps, bars cut from zero, an unlabelled
second axis, data colours that sink into the face). :func:`describe` writes what the chart shows, in words, the
same way every time.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from vizkit import colors as _colors
from vizkit._core import bad_type, check_axes

__all__ = ["lint", "describe", "Finding", "RULES", "IGNORE"]

RULES = {
    "text-overlap": "two texts overlap",
    "text-clipped": "a text runs past the figure edge",
    "legend-covers-data": "a legend inside the Axes covers data",
    "low-contrast-text": "a text's contrast with what is behind it is below 4.5:1",
    "too-many-colors": "more than 8 categorical colours and nothing else tells the series apart",
    "rainbow-colormap": "a rainbow colormap on data that has an order",
    "bar-axis-excludes-zero": "a bar chart's value axis does not include 0",
    "unlabelled-secondary-axis": "a second y (or x) axis has no label",
    "low-contrast-marks": "a data colour (line, marker, bar, a ramp's high end) is too close to the face",
}
_RAINBOWS = {"jet", "rainbow", "gist_rainbow", "hsv", "nipy_spectral", "gist_ncar", "turbo", "Spectral", "Paired"}
_MAX_COLORS = 8
_MIN_CONTRAST = 4.5


@dataclass(frozen=True)
class Finding:
    """One problem :func:`lint` found: the rule, the artist at fault and a sentence about it."""

    rule: str
    artist: object
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


def _label(artist) -> str:
    text = artist.get_text() if hasattr(artist, "get_text") else ""
    return repr(text if len(text) <= 40 else text[:37] + "...") if text else type(artist).__name__


IGNORE = "vizkit:lint-ignore"


def _ignored(artist) -> bool:
    return artist.get_gid() == IGNORE


def _undrawn_tick_labels(fig) -> set:
    """Tick labels Matplotlib keeps but does not draw: their tick lies outside the view limits."""
    hidden = set()
    every = [a for ax in fig.axes for a in [ax, *ax.child_axes]]  # secondary axes are child Axes
    for ax in every:
        for axis in ax._axis_map.values():
            scale = axis.get_transform()  # compare on the axis' scale: a log axis' slack is not 1e-9 of 1e7
            with np.errstate(all="ignore"):
                low, high = sorted(np.ravel(scale.transform(np.asarray(axis.get_view_interval(), float))))
            slack = (high - low) * 1e-9
            for ticks, locs in ((axis.get_major_ticks(), axis.get_majorticklocs()),
                                (axis.get_minor_ticks(), axis.get_minorticklocs())):
                with np.errstate(all="ignore"):
                    locs = np.ravel(scale.transform(np.asarray(locs, float))) if len(locs) else locs
                for i, tick in enumerate(ticks):
                    if i >= len(locs) or not low - slack <= locs[i] <= high + slack:
                        hidden.update((tick.label1, tick.label2))
    return hidden


def _texts(fig):
    from matplotlib.text import Text

    hidden = _undrawn_tick_labels(fig)
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and t.figure is fig
            and _visible_chain(t) and not _ignored(t) and t not in hidden]


def _visible_chain(artist) -> bool:
    """False when a parent (a removed tick, a hidden Axes or legend) hides the artist."""
    axes = getattr(artist, "axes", None)
    return axes is None or axes.get_visible()


def _boxes(texts, renderer):
    return [_ink_box(t, renderer) for t in texts]


def _ink_box(text, renderer):
    """The box of a text's written lines: blank lines at its start or end hold room, not ink.

    (A figure title of :func:`vizkit.titles` ends with a blank line, the room its subtitle is
    drawn in.) Lines of one text share one height in Matplotlib's layout.
    """
    from matplotlib.transforms import Bbox

    box = text.get_window_extent(renderer)
    lines = text.get_text().split("\n")
    written = [i for i, line in enumerate(lines) if line.strip()]
    if not written or len(written) == len(lines) or text.get_rotation() % 360 != 0:
        return box
    line = box.height / len(lines)
    return Bbox.from_extents(box.x0, box.y1 - (written[-1] + 1) * line, box.x1, box.y1 - written[0] * line)


def _overlap(a, b) -> float:
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.y1, b.y1) - max(a.y0, b.y0)
    return width * height if width > 0 and height > 0 else 0.0


def _parallel_clear(a, b, box_a, box_b) -> bool:
    """Two texts rotated alike are parallel strips: they clear when their centres are a line apart."""
    angle = a.get_rotation()
    if angle % 90 == 0 or abs(angle - b.get_rotation()) > 1e-6:
        return False
    theta = math.radians(angle)
    normal = np.array([-math.sin(theta), math.cos(theta)])
    centre_a = np.array([(box_a.x0 + box_a.x1) / 2, (box_a.y0 + box_a.y1) / 2])
    centre_b = np.array([(box_b.x0 + box_b.x1) / 2, (box_b.y0 + box_b.y1) / 2])
    line = min(a.get_fontsize(), b.get_fontsize()) * a.figure.dpi / 72
    return abs(float((centre_a - centre_b) @ normal)) >= line * 0.95


def _text_overlaps(fig, renderer):
    texts = _texts(fig)
    boxes = _boxes(texts, renderer)
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            area = _overlap(boxes[i], boxes[j])
            if area > 2 and not _parallel_clear(texts[i], texts[j], boxes[i], boxes[j]):
                yield Finding("text-overlap", texts[i],
                              f"text {_label(texts[i])} overlaps text {_label(texts[j])} ({area:.0f} px²)")


def _clipped(fig, renderer):
    frame = fig.bbox
    for text, box in zip(_texts(fig), _boxes(_texts(fig), renderer), strict=True):
        if box.x0 < frame.x0 - 1 or box.y0 < frame.y0 - 1 or box.x1 > frame.x1 + 1 or box.y1 > frame.y1 + 1:
            yield Finding("text-clipped", text, f"text {_label(text)} runs past the figure edge")


def _data_points(ax):
    """Display coordinates of the data an Axes draws: line vertices, markers, bar corners."""
    from matplotlib.collections import PathCollection
    from matplotlib.patches import Rectangle

    points = []
    for line in ax.get_lines():
        if line.get_visible() and len(line.get_xydata()):
            xy = np.asarray(line.get_xydata(), dtype=float)
            points.append(ax.transData.transform(xy[np.isfinite(xy).all(axis=1)]))
    for collection in ax.collections:
        if isinstance(collection, PathCollection) and collection.get_visible():
            points.append(collection.get_offset_transform().transform(collection.get_offsets()))
    for patch in ax.patches:
        if isinstance(patch, Rectangle) and patch.get_visible() and patch.get_height() and patch.get_width():
            x0, y0 = patch.get_xy()
            corners = [(x0, y0), (x0 + patch.get_width(), y0), (x0, y0 + patch.get_height()),
                       (x0 + patch.get_width(), y0 + patch.get_height())]
            grid = np.array([(x, y) for x in np.linspace(corners[0][0], corners[3][0], 5)
                             for y in np.linspace(corners[0][1], corners[3][1], 5)])
            points.append(patch.get_transform().transform(grid) if patch.get_transform() is not None
                          else ax.transData.transform(grid))
    return np.vstack(points) if points else np.empty((0, 2))


def _legends_over_data(fig, renderer):
    for ax in fig.axes:
        legend = ax.get_legend()
        if legend is None or not legend.get_visible():
            continue
        box = legend.get_window_extent(renderer)
        if _overlap(box, ax.get_window_extent(renderer)) <= 0:
            continue  # outside the Axes
        points = _data_points(ax)
        inside = ((points[:, 0] > box.x0) & (points[:, 0] < box.x1) &
                  (points[:, 1] > box.y0) & (points[:, 1] < box.y1)).sum() if len(points) else 0
        if inside:
            yield Finding("legend-covers-data", legend, f"the legend covers {inside} data point(s)")


def _background(text, renderer, fig):
    """The colour behind a text: its own box, a bar under its centre, or the Axes/figure face."""
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Rectangle

    patch = text.get_bbox_patch()
    if patch is not None and to_rgba(patch.get_facecolor())[3] > 0:
        return patch.get_facecolor()
    box = text.get_window_extent(renderer)
    centre = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
    for ax in fig.axes:
        if not ax.get_window_extent(renderer).contains(*centre):
            continue
        behind = _image_color(ax, centre) or ax.get_facecolor()
        for patch in ax.patches:
            if isinstance(patch, Rectangle) and patch.get_visible() and patch.contains_point(centre):
                behind = _over(patch.get_facecolor() if patch.get_fill() else (0, 0, 0, 0), behind)
        return behind
    return fig.get_facecolor()


def _over(color, behind):
    """``color`` painted over ``behind`` (alpha compositing): an outline-only or see-through patch leaves the
    colour behind it, partly or wholly."""
    from matplotlib.colors import to_rgba

    top, bottom = np.array(to_rgba(color)), np.array(to_rgba(behind))
    return (*(top[:3] * top[3] + bottom[:3] * (1 - top[3])), 1.0)


def _image_color(ax, centre):
    """The colour an image on ``ax`` (a heatmap's cells) paints at the display point ``centre``, or None."""
    for image in reversed(ax.images):
        if not image.get_visible() or image.get_array() is None or image.get_array().ndim != 2:
            continue
        left, right, bottom, top = image.get_extent()
        x, y = ax.transData.inverted().transform(centre)
        rows, cols = image.get_array().shape
        j = int(np.floor((x - left) / (right - left) * cols))
        i = int(np.floor((y - top) / (bottom - top) * rows)) if image.origin == "upper" else \
            int(np.floor((y - bottom) / (top - bottom) * rows))
        if 0 <= i < rows and 0 <= j < cols and not np.ma.is_masked(image.get_array()[i, j]):
            return image.to_rgba(image.get_array()[i, j])
    return None


def _low_contrast(fig, renderer):
    for text in _texts(fig):
        ratio = _colors.contrast_ratio(text.get_color(), _background(text, renderer, fig))
        if ratio < _MIN_CONTRAST:
            yield Finding("low-contrast-text", text, f"text {_label(text)} has contrast {ratio:.1f}:1 (below 4.5:1)")


def _series_styles(ax):
    """(colour, other-encoding) per series: lines, bar groups (one container each), scatter groups.

    Bars of one group stand at their own positions, so their colours are not what tells them apart.
    """
    from matplotlib.collections import PathCollection
    from matplotlib.colors import to_hex
    from matplotlib.container import BarContainer

    series = []
    for line in ax.get_lines():
        if line.get_visible() and len(line.get_xydata()) > 1 and not _ignored(line):
            dashes = getattr(line, "_unscaled_dash_pattern", None)  # get_linestyle() says "--" for any dash tuple
            series.append((to_hex(line.get_color()), (line.get_linestyle(), str(dashes), line.get_marker())))
    containers = [c for c in ax.containers if isinstance(c, BarContainer) and c.patches]
    if len(containers) > 1:
        for container in containers:
            patch = container.patches[0]
            series.append((to_hex(patch.get_facecolor()), patch.get_hatch()))
    for collection in ax.collections:
        if not isinstance(collection, PathCollection) or not len(collection.get_facecolors()) or _ignored(collection):
            continue
        faces = {to_hex(c) for c in collection.get_facecolors()}
        if collection.get_array() is not None or len(faces) > 2 * _MAX_COLORS:
            continue  # a continuous colour scale, not categories
        marker = tuple(map(tuple, np.round(collection.get_paths()[0].vertices, 3)))
        series.extend((face, marker) for face in faces)
    return series


def _has_colorbar(ax) -> bool:
    """True when a colour bar beside the Axes explains its colours (a numeric hue: a scale, not categories)."""
    return any(getattr(child, "_colorbar", None) is not None for child in ax.child_axes)


def _too_many_colors(fig, renderer):
    for ax in fig.axes:
        if _has_colorbar(ax):
            continue
        series = _series_styles(ax)
        colors = {color for color, _ in series}
        if len(colors) <= _MAX_COLORS:
            continue
        if len({style for _, style in series}) < len(colors):
            yield Finding("too-many-colors", ax, f"{len(colors)} colours tell series apart and nothing else does")


def _rainbows(fig, renderer):
    from matplotlib.cm import ScalarMappable

    for ax in fig.axes:
        for artist in list(ax.images) + list(ax.collections):
            if isinstance(artist, ScalarMappable) and artist.get_array() is not None:
                name = artist.get_cmap().name.removesuffix("_r")
                if name in _RAINBOWS:
                    yield Finding("rainbow-colormap", artist,
                                  f"the {name!r} colormap shows ordered values with unordered hues; use a "
                                  "sequential map (vizkit_seq, viridis) or a diverging one around a centre")


def _bars_from_zero(fig, renderer):
    from matplotlib.container import BarContainer

    for ax in fig.axes:
        for container in ax.containers:
            if not isinstance(container, BarContainer) or not container.patches:
                continue
            horizontal = container.orientation == "horizontal"
            low, high = sorted(ax.get_xlim() if horizontal else ax.get_ylim())
            if not low <= 0 <= high:
                yield Finding("bar-axis-excludes-zero", ax,
                              f"bar lengths are read from 0, but the value axis runs from {low:g} to {high:g}")
                break


def _secondary_unlabelled(fig, renderer):
    from matplotlib.axes import Axes

    for ax in fig.axes:
        for child in ax.child_axes:
            if type(child).__name__ == "SecondaryAxis":
                axis = child.yaxis if child._orientation == "y" else child.xaxis
                if not axis.get_label_text().strip():
                    yield Finding("unlabelled-secondary-axis", child, "a secondary axis has no label")
        twins = [other for other in fig.axes if other is not ax and isinstance(other, Axes)
                 and other.get_position().bounds == ax.get_position().bounds
                 and ax.get_shared_x_axes().joined(ax, other)]
        if twins and ax is not fig.axes[0] and not ax.get_ylabel().strip():
            yield Finding("unlabelled-secondary-axis", ax, "a twin y axis has no label")


# Thin marks (lines, markers) need 3:1 against the face (WCAG 1.4.11); a filled area (a bar) is seen by its
# whole surface, and only vanishes below 1.5:1.
_MARK_CONTRAST = 3.0
_AREA_CONTRAST = 1.5


def _opaque(artist) -> bool:
    """Drawn at full strength: a translucent artist (a faint raw series, a band, alpha-scaled points) is meant faint."""
    alpha = artist.get_alpha()
    return alpha is None or alpha >= 0.99


def _mark_colors(ax):
    """``(artist, what, rgba, threshold)`` for each opaque data colour of the Axes: lines, markers, bars.

    A colormapped collection gives the colour of its highest value, which a
    sequential ramp makes the most visible one.
    """
    from matplotlib.collections import PathCollection
    from matplotlib.colors import to_rgba
    from matplotlib.container import BarContainer

    for line in ax.get_lines():
        if line.get_visible() and len(line.get_xydata()) and _opaque(line) and not _ignored(line) \
                and (line.get_linestyle() not in ("None", "none", "") or line.get_marker() not in ("None", "none", "")):
            yield line, "line", to_rgba(line.get_color()), _MARK_CONTRAST
    for collection in ax.collections:
        if not isinstance(collection, PathCollection) or not collection.get_visible() or _ignored(collection) \
                or not _opaque(collection):
            continue
        values = collection.get_array()
        if values is not None and np.ma.count(values):
            top = collection.norm(np.ma.max(values))
            yield collection, "markers (the highest value)", collection.get_cmap()(top), _MARK_CONTRAST
            continue
        faces = [tuple(c) for c in collection.get_facecolors() if c[3] >= 0.99]
        for face in dict.fromkeys(tuple(row) for row in np.round(faces, 3).tolist()):
            yield collection, "markers", face, _MARK_CONTRAST
    for container in ax.containers:
        if isinstance(container, BarContainer):
            for patch in container.patches:
                if patch.get_visible() and _opaque(patch) and not _ignored(patch):
                    yield patch, "bars", to_rgba(patch.get_facecolor()), _AREA_CONTRAST


def _context_grey(rgb) -> bool:
    """The context grey of either face: de-emphasised on purpose (highlight's "other")."""
    from matplotlib.colors import to_rgb

    return any(np.allclose(rgb, to_rgb(grey), atol=0.01) for grey in (_colors.GREY, _colors.DARK_GREY))


def _low_contrast_marks(fig, renderer):
    """Data colours against the face they are drawn on: each artist at most one finding."""
    for ax in fig.axes:
        face = _colors.face_color(ax)
        reported = set()
        for artist, what, rgba, threshold in _mark_colors(ax):
            if id(artist) in reported or rgba[3] < 0.99 or _context_grey(rgba[:3]) \
                    or np.allclose(rgba[:3], face[:3], atol=0.01):  # in the face colour: a gap or outline on fills
                continue
            ratio = _colors.contrast_ratio(rgba[:3], face)
            if ratio < threshold:
                reported.add(id(artist))
                from matplotlib.colors import to_hex

                yield Finding("low-contrast-marks", artist,
                              f"{what} in {to_hex(rgba)} have contrast {ratio:.1f}:1 against the face "
                              f"{to_hex(face)} (below {threshold:g}:1)")


_CHECKS = {
    "text-overlap": _text_overlaps,
    "text-clipped": _clipped,
    "legend-covers-data": _legends_over_data,
    "low-contrast-text": _low_contrast,
    "too-many-colors": _too_many_colors,
    "rainbow-colormap": _rainbows,
    "bar-axis-excludes-zero": _bars_from_zero,
    "unlabelled-secondary-axis": _secondary_unlabelled,
    "low-contrast-marks": _low_contrast_marks,
}


def lint(fig, *, rules=None) -> list[Finding]:
    """Check a figure for common chart faults.

    The figure is drawn first (so layout and tick labels are final), then
    each rule looks at the artists: see :data:`RULES` for the nine rule ids.
    An artist that is wrong on purpose (a teaching example of a bad choice)
    can be exempted with ``artist.set_gid("vizkit:lint-ignore")``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    rules : list of str, optional
        Only these rules (default: all).

    Returns
    -------
    list of Finding
        ``rule``, ``artist`` and ``message`` each; empty when nothing is wrong.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import vizkit as vk
    >>> fig, ax = plt.subplots()
    >>> _ = ax.bar(["a", "b"], [100, 102])
    >>> ax.set_ylim(95, 105)
    (95.0, 105.0)
    >>> [finding.rule for finding in vk.lint(fig)]
    ['bar-axis-excludes-zero']
    >>> plt.close(fig)
    """
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise bad_type("fig", "a Matplotlib Figure", fig)
    chosen = list(RULES) if rules is None else list(rules)
    for rule in chosen:
        if rule not in RULES:
            from vizkit._core import bad_choice

            raise bad_choice("rules", rule, list(RULES), what="a list of rule ids among")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return [finding for rule in chosen for finding in _CHECKS[rule](fig, renderer)]


def _number(value: float) -> str:
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    if value.is_integer() and abs(value) < 1e6:
        return f"{value:,.0f}" if abs(value) >= 10_000 else f"{value:.0f}"  # 2012, 1163, 25,000
    if abs(value) >= 1e6:
        from vizkit.elements.text import compact_number

        return compact_number(value, digits=2)
    if abs(value) >= 1000:
        return f"{round(value):,}" if abs(value) >= 10_000 else f"{round(value)}"
    return f"{value:.3g}"


def _is_date(axis) -> bool:
    from matplotlib import dates

    return isinstance(axis.get_major_locator(), dates.DateLocator) or isinstance(
        axis.get_major_formatter(), (dates.DateFormatter, dates.AutoDateFormatter, dates.ConciseDateFormatter))


def _value(axis, value: float) -> str:
    """A data value in the words of its axis: a date on a date axis, else a short number."""
    from matplotlib import dates

    if _is_date(axis) and math.isfinite(value):
        try:
            moment = dates.num2date(value)
        except (ValueError, OverflowError):
            return _number(value)
        return moment.date().isoformat() if (moment.hour, moment.minute) == (0, 0) else moment.strftime("%Y-%m-%d %H:%M")
    return _number(value)


def _kind(series, ax) -> str:
    """ "Bar chart", "Scatter plot with lines", ...: the first mark drawn names the chart, the others follow."""
    names = {"bars": ("bar chart", "bars"), "area": ("area chart", "areas"), "points": ("scatter plot", "points"),
             "line": ("line chart", "lines"), "image": ("image", "an image")}
    kinds = list(dict.fromkeys(s.kind for s in series)) + (["image"] if ax.images else [])
    if not kinds:
        shapes = sum(p.get_visible() for p in ax.patches) + sum(c.get_visible() for c in ax.collections)
        return f"drawing of {shapes} shape{'s' if shapes != 1 else ''}" if shapes else "empty chart"
    return " with ".join([names[kinds[0]][0]] + [names[kind][1] for kind in kinds[1:]])


def _along(series, name: str) -> np.ndarray:
    """Every data value a series set has along axis ``name`` ("x" or "y")."""
    values = []
    for s in series:
        if s.kind == "bars":
            on_value_axis = (name == "x") == s.horizontal
            values.append(s.y if on_value_axis else s.x)
        else:
            values.append(s.x if name == "x" else s.y)
    values = np.concatenate(values) if values else np.empty(0)
    return values[np.isfinite(values)]


def _axis_text(ax, name, series) -> str:
    from vizkit.elements import _describe

    axis = ax.xaxis if name == "x" else ax.yaxis
    label = f" '{_one_line(axis.get_label_text())}'" if axis.get_label_text().strip() else ""
    log = axis.get_scale() in ("log", "symlog") and "log" not in axis.get_label_text()
    scale = " (log scale)" if log else ""
    ticks = _describe.categories_of(ax, name)
    if ticks:
        shown = ", ".join(ticks[:_describe._MAX_CATEGORIES])
        more = f" and {len(ticks) - _describe._MAX_CATEGORIES} more" if len(ticks) > _describe._MAX_CATEGORIES else ""
        return f"{name} axis{label} with categories {shown}{more}"
    values = _along(series, name)
    if not len(values):
        return f"{name} axis{label}{scale}"
    return f"{name} axis{label}{scale}, data from {_value(axis, values.min())} to {_value(axis, values.max())}"


def _summary(ax, s) -> str:
    """One series in words: each bar's value (up to 12 bars), else min, max and last value."""
    from vizkit.elements import _describe

    value_axis = ax.xaxis if s.kind == "bars" and s.horizontal else ax.yaxis
    number = lambda v: _value(value_axis, v)  # noqa: E731
    finite = s.y[np.isfinite(s.y)]
    if not len(finite):
        return "no finite values"
    if s.kind == "bars" and s.categories and len(s.categories) <= _describe._MAX_CATEGORIES:
        return ", ".join(f"{category} {number(v)}" for category, v in zip(s.categories, s.y, strict=True))
    if s.kind == "points":  # a category axis is named by its levels in the axis text, not by positions
        ranges = [f"x from {_value(ax.xaxis, np.nanmin(s.x))} to {_value(ax.xaxis, np.nanmax(s.x))}"] * (
            not _describe.categories_of(ax, "x"))
        ranges += [f"y from {number(finite.min())} to {number(finite.max())}"] * (not _describe.categories_of(ax, "y"))
        return ", ".join([f"{len(s.y):,} points", *ranges])
    return f"min {number(finite.min())}, max {number(finite.max())}, last {number(finite[-1])}"


def _one_line(text: str) -> str:
    """A title or label as one line: alt text has no line breaks."""
    return " ".join(str(text).split())


def _names(ax, series) -> dict:
    """{id(series): the name it is called by}: its label, else the value axis' label when alone, else "series N"."""
    point_names = {s.name for s in series if s.kind == "points"}
    names = {}
    for index, s in enumerate(series):
        name = s.name
        if name is None and sum(other.name is None for other in series) == 1:  # the one unnamed series
            label = _one_line((ax.xaxis if s.kind == "bars" and s.horizontal else ax.yaxis).get_label_text())
            name = label or {"line": "the line", "bars": "the bars", "points": "the points", "area": "the area"}[s.kind]
        elif name is None:
            name = f"series {index + 1}"
        elif s.kind == "line" and name in point_names:
            name = f"{name} line"  # a fit or smooth over the points of the same name
        names[id(s)] = name
    counts = Counter(names.values())
    for s in series:  # two series of one name: what tells them apart ("train, raw", "Adelie, male")
        if counts[names[id(s)]] > 1 and s.role and s.role != names[id(s)]:
            names[id(s)] = f"{names[id(s)]}, {s.role}"
    return names


def _series_text(ax, series, names) -> str:
    """The series, named; the grey context of a highlight grouped as one entry after the highlighted ones."""
    from vizkit.elements import _describe

    coloured = [s for s in series if not _describe.is_context_grey(s.color)]
    context = [s for s in series if _describe.is_context_grey(s.color)] if coloured else []
    focus = [s for s in series if s not in context]
    parts = [f"{names[id(s)]} ({_summary(ax, s)})" for s in focus]
    if context:
        parts.append(_context_text(ax, context))
    text = f" {len(series)} series: " + "; ".join(parts) + "."
    for s in focus:  # one bar series with some bars in colour and the rest grey
        grey = [_describe.is_context_grey(color) for color in s.colors]
        if s.categories and any(grey) and not all(grey):
            bright = [category for category, g in zip(s.categories, grey, strict=True) if not g]
            verb = "is" if len(bright) == 1 else "are"
            rest = sum(grey)
            text += (f" {', '.join(bright)} {verb} highlighted in colour; the other {rest} "
                     f"bar{'s are' if rest > 1 else ' is'} grey context.")
    if context:
        highlighted = ", ".join(names[id(s)] for s in focus)
        verb = "is" if len(focus) == 1 else "are"
        rest = (f"the other {len(context)} {_noun(context)} are" if len(context) > 1
                else f"the other {_noun(context)} is")
        text += f" {highlighted} {verb} highlighted in colour; {rest} grey context."
    return text


def _noun(context) -> str:
    """What the context series are: "lines", "bar groups", ... (singular for one)."""
    words = {"line": "line", "bars": "bar group", "points": "point group", "area": "area"}
    kinds = {s.kind for s in context}
    noun = words[context[0].kind] if len(kinds) == 1 else "series"
    return noun + ("s" if len(context) > 1 and noun != "series" else "")


def _context_text(ax, context) -> str:
    """The grey series of a highlight as one entry: "other (4 lines: A, B, C, D; min 1, max 9)"."""
    from vizkit.elements import _describe

    group = _describe.legend_names(ax).get(context[0].color) or "other"
    group = re.sub(r" \(\d+ [a-z ]+\)$", "", group)  # the legend's "other (4 lines)": the count is said below
    named = [s.own for s in context if s.own and s.own != group]
    listed = ", ".join(named[:_describe._MAX_NAMES]) + (", ..." if len(named) > _describe._MAX_NAMES else "")
    values = np.concatenate([s.y for s in context])
    values = values[np.isfinite(values)]
    value_axis = ax.xaxis if context[0].kind == "bars" and context[0].horizontal else ax.yaxis
    stats = f"min {_value(value_axis, values.min())}, max {_value(value_axis, values.max())}" if len(values) else ""
    if context[0].kind == "points":
        stats = f"{len(values):,} points" + (", y " + stats.replace("min ", "from ").replace(", max ", " to ")
                                              if stats else "")
    count = f"{len(context)} {_noun(context)}" + (f": {listed}" if listed else "")
    return f"{group} (" + "; ".join(part for part in (count, stats) if part) + ")"


def _extras_text(ax, bands, guides, names) -> str:
    """Bands and reference lines or spans, with what they mark."""
    parts = []
    for band in bands:
        around = f" around {names[id(band.around)]}" if band.around is not None else ""
        label = f" ({band.label})" if band.label else ""
        parts.append(f"A shaded band{around}{label} spans {_number(band.low)} to {_number(band.high)}.")
    for guide in guides:
        axis = ax.xaxis if guide.axis == "x" else ax.yaxis
        label = f" labelled '{guide.label}'" if guide.label else ""
        if guide.kind == "line":
            parts.append(f"Reference line at {guide.axis} = {_value(axis, guide.values[0])}{label}.")
        else:
            low, high = (_value(axis, v) for v in guide.values)
            parts.append(f"Shaded span from {guide.axis} = {low} to {high}{label}.")
    for image in ax.images:
        values = np.ma.masked_invalid(np.ma.asarray(image.get_array(), dtype=float))
        if values.ndim >= 2 and values.count():
            shape = " × ".join(str(n) for n in values.shape[:2])
            range_ = "" if values.ndim == 3 else f", values from {_number(values.min())} to {_number(values.max())}"
            parts.append(f"An image of {shape} cells{range_}.")
    return "".join(" " + part for part in parts)


def describe(ax) -> str:
    """Alt text for a chart: its kind, axes, series by name, and what highlights, bands and guides mean.

    Each series is named by its label (or its legend entry): a bar series
    lists the value of each bar, a line its min, max and last value, a
    scatter group its count and ranges. The grey context series of a
    highlight are grouped ("other (4 lines: ...)") after the highlighted ones.
    Axis ranges are those of the data, not the view limits. Shaded bands,
    reference lines and spans are named with their labels. Deterministic:
    the same chart always gives the same words, so it can be tested and
    used as the alt text of gallery figures.

    Parameters
    ----------
    ax : matplotlib.axes.Axes

    Returns
    -------
    str

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import vizkit as vk
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([1, 2, 3], [0.9, 0.5, 0.4], label="train loss")
    >>> _ = ax.set(xlabel="epoch", ylabel="loss")
    >>> print(vk.describe(ax))
    Line chart. x axis 'epoch', data from 1 to 3; y axis 'loss', data from 0.4 to 0.9. 1 series: train loss (min 0.4, max 0.9, last 0.4).
    >>> plt.close(fig)
    """
    from vizkit.elements import _describe

    check_axes("ax", ax)
    ax.figure.canvas.draw()
    series, bands, guides = _describe.read(ax)
    title = _one_line(ax.get_title(loc="left") or ax.get_title() or ax.get_title(loc="right"))
    kind = _kind(series, ax)
    head = f"{kind[0].upper()}{kind[1:]}" + (f" titled '{title}'" if title else "") + "."
    x_text, y_text = _axis_text(ax, "x", series), _axis_text(ax, "y", series)
    axes = "" if (x_text, y_text) == ("x axis", "y axis") else f" {x_text}; {y_text}."
    names = _names(ax, series)
    text = head + axes + (_series_text(ax, series, names) if series else "")
    return text + _extras_text(ax, bands, guides, names)
