"""Drawing of :class:`vizkit.ml.LandscapeDisplay`: the filled contour of a plane, the curve of a line."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit._core.axes import before_draw
from vizkit._core.labels import axis_label, plain
from vizkit.colors import _cmap_for, colorbar_beside, face_color, palette
from vizkit.themes import ink, muted_ink

#: Where the fill's ramp stops (of vizkit_seq): dark enough to show the ridges, light enough for labels on top.
RAMP_END = 0.78
#: Finite positive values spanning at least this ratio (max / min) get log-spaced levels.
LOG_SPAN = 100.0
#: A trajectory point closer than this (share of the grid's width and height) to a labelled one gets no label.
LABEL_GAP = 0.09


@dataclass(frozen=True)
class Options:
    """How to draw: ``levels`` (a count or the levels), ``log`` (None: decide), ``cmap`` (a Colormap), ``cbar``."""

    levels: object = 12
    log: bool | None = None
    cmap: str | None = None
    cbar: bool = True


def _number(value: float) -> str:
    return f"{value:.3g}"


def _use_log(values: np.ndarray, log) -> bool:
    finite = values[np.isfinite(values)]
    if log is not None:  # checked by LandscapeDisplay.plot
        return bool(log)
    return bool(finite.min() > 0 and finite.max() / finite.min() >= LOG_SPAN)


def _levels(values: np.ndarray, levels, log: bool) -> np.ndarray:
    """The contour levels: given ones, or about ``levels`` round ones covering the finite values."""
    from matplotlib.ticker import MaxNLocator

    if not isinstance(levels, int):
        return np.asarray(levels, dtype=float)
    finite = values[np.isfinite(values)]
    low, high = float(finite.min()), float(finite.max())
    if high <= low:
        return np.array([low - 0.5, low + 0.5]) if low <= 0 or not log else np.array([low / 2, low * 2])
    if log:
        span = np.log10(high / low)
        subs = (1.0, 2.0, 5.0) if span * 3 <= levels + 2 else (1.0, 3.0) if span * 2 <= levels + 2 else (1.0,)
        stride = max(1, int(np.ceil(span / levels)))  # every decade, or every few when they are many
        powers = np.arange(np.floor(np.log10(low)), np.ceil(np.log10(high)) + stride, stride)
        ticks = np.sort(np.outer(10.0 ** powers, subs).ravel())
        slack = 1e-9 * np.abs(ticks)
    else:
        ticks = MaxNLocator(nbins=levels, steps=[1, 2, 2.5, 5, 10]).tick_values(low, high)
        slack = np.full(len(ticks), 1e-9 * (high - low))
    first = ticks[ticks <= low + slack].max(initial=ticks[0])
    last = ticks[ticks >= high - slack].min(initial=ticks[-1])
    return ticks[(ticks >= first) & (ticks <= last)]


def _extend(values, levels) -> str:
    """Which ends of the colour scale hold values beyond the levels (given levels may not cover them all)."""
    low, high = values.min() < levels[0], values.max() > levels[-1]
    return {(False, False): "neither", (True, False): "min", (False, True): "max"}.get((low, high), "both")


def _ramp(colormap):
    from matplotlib.colors import ListedColormap

    if colormap is not None:
        return colormap
    return ListedColormap(_cmap_for("cmap", "vizkit_seq")(np.linspace(0, RAMP_END, 256)), name="vizkit_seq[landscape]")


def _halo(ax):
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=2.5, foreground=face_color(ax))]


def _small() -> float:
    """The legend's font size in points: the size of every label on the chart."""
    import matplotlib as mpl
    from matplotlib.font_manager import FontProperties

    return FontProperties(size=mpl.rcParams["legend.fontsize"]).get_size_in_points()


def _label(ax, text, xy, offset, options=None, **kw):
    return ax.annotate(plain(text), xy=xy, xytext=offset, textcoords="offset points", color=ink(ax),
                       fontsize=_small(), path_effects=_halo(ax), zorder=6, **(options or {}), **kw)


def plane(ax, display, options: Options):
    """Filled contour with labelled levels, θ at the origin, the trajectory; returns (artists, levels)."""
    from matplotlib.colors import BoundaryNorm

    result = display.landscape
    x, y = result.coords
    values = np.ma.masked_invalid(np.asarray(result.loss, dtype=float))
    log = _use_log(values.filled(np.nan), options.log)
    levels = _levels(values.filled(np.nan), options.levels, log)
    colormap = _ramp(options.cmap)
    extend = _extend(values, levels)
    norm = BoundaryNorm(levels, colormap.N, extend=extend)
    filled = ax.contourf(x, y, values, levels=levels, cmap=colormap, norm=norm, extend=extend, zorder=1)
    lines = ax.contour(x, y, values, levels=levels, colors=[ink(ax)], linewidths=0.5, alpha=0.45, zorder=2)
    labelled = lines.levels[::2] if len(lines.levels) > 6 else lines.levels
    contour_labels = ax.clabel(lines, labelled, fmt=_number, fontsize=_small() * 0.9,
                               inline=True, colors=[ink(ax)])
    for text in contour_labels:
        text.set_path_effects(_halo(ax))
        text.set_alpha(1.0)
        text.set_color(ink(ax))
    artists = {"fill": filled, "lines": lines, "contour_labels": list(contour_labels)}
    artists.update(_trajectory(ax, result))
    artists["theta"], artists["theta_label"] = _theta(ax, display, result.trajectory)
    ax.set_xlabel(plain(result.labels[0]))
    ax.set_ylabel(plain(result.labels[1]))
    ax.set_xlim(x[0], x[-1])
    ax.set_ylim(y[0], y[-1])
    ax.grid(False)
    if options.cbar:
        artists["colorbar"] = colorbar_beside(ax, colormap, norm, label="loss")
        if log:
            artists["colorbar"].ax.set_yticks(levels, [_number(v) for v in levels])
    _declutter_later(ax, artists)
    return artists, levels


def _theta(ax, display, trajectory):
    """θ at the origin: a star, labelled with its loss (and its checkpoint's label on a trajectory)."""
    marker = ax.plot([0.0], [0.0], marker="*", markersize=15, color=face_color(ax), markeredgecolor=ink(ax),
                     markeredgewidth=1.2, linestyle="none", zorder=5)[0]
    text = "θ" if trajectory is None else f"θ at {trajectory['label'].iloc[-1]}"
    if display.center_loss_ is not None:
        text += f" (loss {_number(display.center_loss_)})"
    return marker, _label(ax, text, (0.0, 0.0), *_beside(display.landscape, (0.0, 0.0), 8, 7, "bottom"))


def _beside(result, xy, dx, dy, va):
    """(offset, options) of a label beside the point ``xy``: to its right, or to its left in the right third."""
    x, y = result.coords
    right = (xy[0] - x[0]) / (x[-1] - x[0]) > 2 / 3
    top = (xy[1] - y[0]) / (y[-1] - y[0]) > 0.9 and va == "bottom"
    offset = (-dx if right else dx, -abs(dy) if top else dy)
    return offset, {"ha": "right" if right else "left", "va": "top" if top else va}


def _trajectory(ax, result) -> dict:
    """The checkpoints joined in training order; labels at points that are not crowded, the first always."""
    path = result.trajectory
    if path is None:
        return {}
    colour = palette()[1]
    line = ax.plot(path["alpha"], path["beta"], color=colour, linewidth=1.8, marker="o", markersize=5,
                   markeredgecolor=face_color(ax), markeredgewidth=0.8, zorder=4)[0]
    x0, y0 = result.coords[0][0], result.coords[1][0]
    spots = np.column_stack([(path["alpha"] - x0) / np.ptp(result.coords[0]),
                             (path["beta"] - y0) / np.ptp(result.coords[1])])
    taken = [spots[-1]]  # θ, labelled apart
    labels = []
    for k in range(len(path) - 1):
        if all(np.hypot(*(spots[k] - other)) >= LABEL_GAP for other in taken):
            xy = (path["alpha"].iloc[k], path["beta"].iloc[k])
            labels.append(_label(ax, str(path["label"].iloc[k]), xy, *_beside(result, xy, 5, -4, "top")))
            taken.append(spots[k])
    return {"trajectory": line, "trajectory_labels": labels}


def _declutter_later(ax, artists) -> None:
    """At draw time, hide a label that overlaps one drawn before it (θ's first, the trajectory's, then the
    levels'), and a level's label that covers a mark or runs past the Axes."""
    ordered = [artists["theta_label"], *artists.get("trajectory_labels", []), *artists["contour_labels"]]
    marks = [artists[k] for k in ("theta", "trajectory") if k in artists]

    def hide_overlaps(ax, renderer):
        shown = []
        points = np.vstack([ax.transData.transform(m.get_xydata()) for m in marks])
        frame = ax.get_window_extent(renderer)
        for text in ordered:
            text.set_visible(True)
            box = text.get_window_extent(renderer).expanded(1.1, 1.2)
            level = text in artists["contour_labels"]
            covers_mark = level and box.count_contains(points) > 0
            outside = level and not (frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1))
            if covers_mark or outside or any(box.overlaps(other) for other in shown):
                text.set_visible(False)
            else:
                shown.append(box)

    before_draw(ax, hide_overlaps, key="landscape-labels")


def _above_or_below(ax, values, y):
    """A point's label up and right of it, or down and left when the point is near the top of the curve."""
    finite = values[np.isfinite(values)]
    scale = np.log10 if ax.get_yscale() == "log" else (lambda v: v)
    low, high = scale(finite.min()), scale(finite.max())
    near_top = high > low and (scale(y) - low) / (high - low) > 0.85
    # near the top, below and to the left: a curve that reaches the top is mostly flat there (a plateau)
    return ((-6, -6), {"ha": "right", "va": "top"}) if near_top else ((6, 6), {"ha": "left", "va": "bottom"})


def line(ax, display, options: Options):
    """The loss along the line, θ or both checkpoints marked; returns (artists, levels=[])."""
    result = display.landscape
    alpha, values = result.coords[0], np.asarray(result.loss, dtype=float)
    colour = palette()[0]
    curve = ax.plot(alpha, values, color=colour, linewidth=1.8, zorder=3)[0]
    if _use_log(values, options.log):
        ax.set_yscale("log")
    artists = {"curve": curve}
    if result.marks is not None:
        for x in (0.0, 1.0):
            ax.axvline(x, color=muted_ink(ax), linewidth=0.8, linestyle=(0, (3, 3)), zorder=1)
        artists["marks"] = ax.plot(result.marks["alpha"], result.marks["loss"], "o", color=colour, markersize=6,
                                   markeredgecolor=face_color(ax), zorder=4)[0]
        artists["mark_labels"] = [
            _label(ax, f"{row.name} ({_number(row.loss)})", (row.alpha, row.loss), *_above_or_below(ax, values, row.loss))
            for row in result.marks.itertuples()]
    elif display.center_loss_ is not None:
        artists["theta"] = ax.plot([0.0], [display.center_loss_], "o", color=colour, markersize=6,
                                   markeredgecolor=face_color(ax), zorder=4)[0]
        artists["theta_label"] = _label(ax, f"θ (loss {_number(display.center_loss_)})", (0.0, display.center_loss_),
                                        (0, -9), ha="center", va="top")
        ax.margins(y=0.12)
    if ax.get_yscale() == "log":
        from matplotlib.ticker import FuncFormatter

        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.set_xlim(alpha[0], alpha[-1])
    ax.set_xlabel(plain(result.labels[0]))
    ax.set_ylabel(axis_label("loss"))
    return artists, []
