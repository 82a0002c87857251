"""Reviewing a finished figure: a checker for common chart faults, and alt text.

:func:`lint` draws the figure and reports what a careful reader would
object to (overlapping or clipped text, unreadable text, a legend over
data, too many colours, rainbow colormaps, bars cut from zero, an unlabelled
second axis, data colours that sink into the face). :func:`describe` writes what the chart shows, in words, the
same way every time.
"""

from __future__ import annotations

import math
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
            low, high = sorted(axis.get_view_interval())
            slack = (high - low) * 1e-9
            for ticks, locs in ((axis.get_major_ticks(), axis.get_majorticklocs()),
                                (axis.get_minor_ticks(), axis.get_minorticklocs())):
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
        behind = ax.get_facecolor()
        for patch in ax.patches:
            if isinstance(patch, Rectangle) and patch.get_visible() and patch.contains_point(centre):
                behind = patch.get_facecolor()
        return behind
    return fig.get_facecolor()


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
            if id(artist) in reported or rgba[3] < 0.99 or _context_grey(rgba[:3]):
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
    from vizkit.elements.text import compact_number

    return compact_number(float(value), digits=2) if abs(value) >= 1000 else f"{float(value):.3g}"


def _kind(ax) -> str:
    from matplotlib.collections import PathCollection, PolyCollection
    from matplotlib.container import BarContainer

    kinds = []
    if any(isinstance(c, BarContainer) for c in ax.containers):
        kinds.append("bar chart")
    if [line for line in ax.get_lines() if line.get_visible() and len(line.get_xydata()) > 1]:
        kinds.append("line chart")
    if any(isinstance(c, PathCollection) for c in ax.collections):
        kinds.append("scatter plot")
    if any(isinstance(c, PolyCollection) for c in ax.collections) and "line chart" not in kinds:
        kinds.append("area chart")
    return " with ".join(kinds) if kinds else "empty chart"


def _axis_text(ax, axis, name) -> str:
    from matplotlib import dates

    label = axis.get_label_text() or "unlabelled"
    ticks = [t.get_text() for t in axis.get_majorticklabels() if t.get_text()]
    low, high = sorted(ax.get_xlim() if name == "x" else ax.get_ylim())
    if isinstance(axis.get_major_locator(), dates.DateLocator):
        first, last = (dates.num2date(v).date().isoformat() for v in (low, high))
        return f"{name} axis '{label}' from {first} to {last}"
    if ticks and not any(ch.isdigit() for ch in "".join(ticks)):
        return f"{name} axis '{label}' with categories {', '.join(ticks)}"
    return f"{name} axis '{label}' from {_number(low)} to {_number(high)}"


def _series(ax):
    """(name, values) for each named series: lines by label, bar groups, scatter groups."""
    from matplotlib.collections import PathCollection
    from matplotlib.container import BarContainer

    found = []
    for container in ax.containers:
        if isinstance(container, BarContainer):
            horizontal = container.orientation == "horizontal"
            values = [p.get_width() if horizontal else p.get_height() for p in container.patches]
            found.append((container.get_label(), np.asarray(values, dtype=float)))
    for line in ax.get_lines():
        xy = np.asarray(line.get_xydata(), dtype=float)
        if line.get_visible() and len(xy) > 1:
            xy = xy[np.isfinite(xy).all(axis=1)]
            found.append((line.get_label(), xy[np.argsort(xy[:, 0], kind="stable"), 1]))
    for collection in ax.collections:
        if isinstance(collection, PathCollection) and len(collection.get_offsets()):
            found.append((collection.get_label(), np.asarray(collection.get_offsets(), dtype=float)[:, 1]))
    named = [(name, values) for name, values in found if len(values)]
    return [(name if name and not name.startswith("_") else f"series {i + 1}", values)
            for i, (name, values) in enumerate(named)]


def describe(ax) -> str:
    """Alt text for a chart: its kind, axes, series, and each series' min, max and last value.

    Deterministic: the same chart always gives the same words, so it can
    be tested and shown under gallery figures for readers who cannot see them.

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
    Line chart. x axis 'epoch' from 0.9 to 3.1; y axis 'loss' from 0.375 to 0.925. 1 series: train loss (min 0.4, max 0.9, last 0.4).
    >>> plt.close(fig)
    """
    check_axes("ax", ax)
    ax.figure.canvas.draw()
    title = ax.get_title(loc="left") or ax.get_title() or ax.get_title(loc="right")
    kind = _kind(ax)
    head = f"{kind[0].upper()}{kind[1:]}" + (f" titled '{title}'" if title else "") + "."
    axes = f" {_axis_text(ax, ax.xaxis, 'x')}; {_axis_text(ax, ax.yaxis, 'y')}."
    series = _series(ax)
    if not series:
        return head + axes
    parts = [f"{name} (min {_number(v.min())}, max {_number(v.max())}, last {_number(v[-1])})" for name, v in series]
    return head + axes + f" {len(series)} series: " + "; ".join(parts) + "."
