"""The guides of `vizkit.scatter`: one legend for hue, size and style, and the stats box.

The legend sits outside the Axes on the right (it never covers a point);
with more than one channel each channel gets a section titled by its column.
The stats box goes to the corner of the Axes that covers the fewest points,
measured in display coordinates after the figure's layout has run.
"""

from __future__ import annotations

import math

import numpy as np

from vizkit._core.labels import axis_label, plain
from vizkit._core.placement import TEXT_CORNERS, Obstacles, place
from vizkit.colors import legend_entries

__all__ = ["CORNERS", "LegendSection", "draw_legend", "hue_section", "place_box", "root_figure", "size_section",
           "style_section"]

# Candidate places of the stats box, in order of preference: (x, y, ha, va) in axes fraction.
CORNERS = TEXT_CORNERS
_BOX_MARGIN_PX = 4  # a point this close to the box counts as covered
_MAX_ROWS = 18  # legend rows per column


class LegendSection:
    """One channel's part of the legend: a title and ``(label, style)`` entries.

    ``style`` holds Line2D marker properties: ``color``, ``marker``, ``area``
    (marker area in pt², as ``ax.scatter``'s ``s``).
    """

    def __init__(self, title, entries):
        self.title = None if title is None else axis_label(title)
        self.entries = list(entries)


def _handle(style: dict, edge: dict):
    from matplotlib.lines import Line2D
    from matplotlib.markers import MarkerStyle

    if not MarkerStyle(style["marker"]).is_filled():  # "x", "+": drawn by their edge, in the entry's colour
        edge = {"color": style["color"], "width": 1.5}
    return Line2D([], [], linestyle="none", marker=style["marker"], markersize=math.sqrt(style["area"]),
                  markerfacecolor=style["color"], markeredgecolor=edge["color"],
                  markeredgewidth=edge["width"])


def draw_legend(ax, sections: list[LegendSection], *, edge: dict):
    """One legend outside the Axes on the right; sections titled when there are several."""
    from matplotlib.lines import Line2D

    sections = [s for s in sections if s.entries]
    if not sections:
        return None
    handles, labels, headers = [], [], []
    single = len(sections) == 1
    for section in sections:
        if not single:
            headers.append(len(labels))
            handles.append(Line2D([], [], linestyle="none", marker=""))
            labels.append(section.title or "")
        for label, style in section.entries:
            handles.append(_handle(style, edge))
            labels.append(plain(label))
    legend = ax.legend(handles, labels, title=sections[0].title if single else None,
                       loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0,
                       ncols=max(1, math.ceil(len(labels) / _MAX_ROWS)), handletextpad=0.4)
    texts = legend.get_texts()
    for i in headers:
        texts[i].set_fontweight("bold")
    return legend


def root_figure(ax):
    """The top-level Figure of ``ax`` (also for an Axes in a SubFigure)."""
    try:
        return ax.get_figure(root=True)
    except TypeError:  # pragma: no cover - Matplotlib < 3.10
        figure = ax.figure
        return getattr(figure, "figure", figure) or figure


def place_box(ax, text, xy: np.ndarray, *, pad_px: float) -> tuple[str, int]:
    """Move ``text`` (in axes coordinates) to the corner that covers the fewest points.

    The shared placer, :func:`vizkit._core.placement.place`: the figure is
    laid out first, so the box and the points are measured in display pixels
    as they will be saved; when every corner covers a point, the y axis grows
    upwards until an upper corner is free. ``pad_px`` is the box's padding
    around the text, in pixels. Returns the corner and how many points it covers.
    """
    placed = place(ax, text, Obstacles(points=xy, margin_px=_BOX_MARGIN_PX), spots=CORNERS, pad_px=pad_px,
                   relayout=True)
    return placed.spot, placed.covered


def _entry(color, area, marker="o") -> dict:
    return {"color": color, "area": area, "marker": marker}


# ---------------------------------------------------------------------------- legend sections per channel


def hue_section(colors, names, highlight, area, marker="o", markers=None):
    """Hue levels (focus levels and "other" with a highlight); None for a numeric hue (it gets a colour bar).

    ``markers`` ({level: marker}) gives each level its own marker (redundant encoding).
    """
    from matplotlib.ticker import MaxNLocator

    title = names.get("hue")
    if colors["kind"] == "categorical":
        present = {level: colors["mapping"][level] for i, level in enumerate(colors["levels"])
                   if colors["present"][i]}
        entries = legend_entries(present, highlight)
        by_label = {str(level): level for level in present}
        return LegendSection(title, [
            (label, _entry(color, area, markers.get(by_label.get(label), marker) if markers else marker))
            for label, color in entries])
    return None  # a numeric hue: a colour bar (vizkit.colors.colorbar_beside), not a few legend dots


def _ticks(locator, low, high) -> list:
    if not high > low:
        return [low]
    ticks = locator.tick_values(low, high)
    span = high - low
    inside = [float(t) for t in ticks if low - 1e-9 * span <= t <= high + 1e-9 * span]
    return inside or [low, high]


def size_section(areas, size_ch, names, ink, marker="o"):
    """A few values of a numeric size, or every drawn size level, as neutral markers."""
    from matplotlib.ticker import MaxNLocator

    if areas["kind"] == "numeric" and len(areas["values"]):
        low, high = areas["range"]
        ticks = _ticks(MaxNLocator(nbins=4), low, high)
        return LegendSection(names.get("size"),
                             [(f"{v:g}", _entry(ink, float(areas["scale"](v)), marker)) for v in ticks])
    if areas["kind"] == "categorical":
        return LegendSection(names.get("size"), [
            (level, _entry(ink, float(a), marker)) for level, a, shown in
            zip(areas["levels"], areas["level_areas"], areas["present"], strict=True) if shown])
    return None


def style_section(style_ch, style_codes, names, ink, area, markers):
    """Every drawn style level with its marker."""
    if style_ch is None:
        return None
    present = np.bincount(style_codes, minlength=len(style_ch["levels"])) > 0
    return LegendSection(names.get("style"), [
        (level, _entry(ink, area, markers[i])) for i, level in enumerate(style_ch["levels"]) if present[i]])
