"""The lines of one :func:`vizkit.line` (or :func:`vizkit.dual_axis`) call: computed first, then drawn.

:func:`compute_lines` sorts and aggregates the rows and turns each hue level
into a :class:`LevelLine` (its points, smoothed values, band bounds,
decimation and interpolated curve); :func:`draw_lines` draws them with the
shared :func:`vizkit._core.line_band.draw_line_band`; :func:`lines_table` is
what ``vizkit.plotted_data(ax)`` returns. Only decimation looks at the Axes
while computing (its width in pixels and its x scale decide it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from vizkit._core import smoothing
from vizkit._core.decimation import POINTS_PER_PIXEL, PointBudget, minmax_indices
from vizkit._core.errors import user_warning
from vizkit._core.line_band import SPARSE_POINTS, LineData, LineLook, draw_line_band
from vizkit.charts.lines import _compute
from vizkit.charts.lines._checks import Spec

__all__ = ["LevelLine", "LineInput", "LineLooks", "compute_level", "compute_lines", "draw_chart", "draw_lines",
           "lines_table"]

#: An interpolated curve gets at most this many pieces per interval between two points.
_MAX_PIECES = 64


@dataclass
class LineInput:
    """The validated values of one call: x (float64, or int64 for datetimes of ``x_dtype``), y, hue, bounds.

    ``codes`` gives each row's index in ``levels`` (-1: no level), or is None
    for a single line (no hue): then no per-row code array is made at all,
    which matters for a series of 10 million points.
    """

    x: np.ndarray
    x_valid: np.ndarray | None
    x_dtype: object
    y: np.ndarray
    codes: np.ndarray | None = None
    levels: list = field(default_factory=lambda: [None])
    low: np.ndarray | None = None
    high: np.ndarray | None = None


@dataclass
class LineLooks:
    """How the lines of one call look: colours by level, the options, the user's Line2D keywords.

    ``what`` names the single line in warnings (no hue: then no ``hue``
    column and no labels); ``styles`` gives levels their own line style.
    """

    colors: dict
    spec: Spec = field(default_factory=Spec)
    kws: dict = field(default_factory=dict)
    highlight: object = None
    what: str | None = None
    styles: dict | None = None


@dataclass
class LevelLine:
    """One hue level's line as computed: the drawn points and what was derived from them."""

    level: object
    x: np.ndarray  # compute units (int64 for datetimes)
    y: np.ndarray  # the (averaged) raw values
    smooth: np.ndarray | None
    low: np.ndarray | None
    high: np.ndarray | None
    n: np.ndarray | None  # values averaged at each x (repeated x only)
    n_points: int  # finite points before decimation
    decimated: bool
    curve: tuple | None = None  # dense (x, y) through the points (interpolate)
    marks: np.ndarray | None = None  # where the points are in ``curve``


# ---------------------------------------------------------------- compute
def _rows(data: LineInput):
    """The usable rows sorted by (code, x): ``(x, y, codes, low, high, unique)``."""
    x, y, codes, low, high = data.x, data.y, data.codes, data.low, data.high
    single = codes is None
    valid = data.x_valid if data.x_valid is not None else True
    keep = valid if single else (codes >= 0) & valid
    if keep is not True and not keep.all():
        x, y = x[keep], y[keep]
        codes = None if single else codes[keep]
        low, high = (None, None) if low is None else (low[keep], high[keep])
    unique = False
    if len(x) > 1:
        if single:
            unique = ordered = bool(np.all(x[1:] > x[:-1]))  # strictly increasing: sorted, no repeats
            ordered = ordered or bool(np.all(x[1:] >= x[:-1]))
        else:
            step = np.diff(codes)
            ordered = bool(np.all((step > 0) | ((step == 0) & (x[1:] >= x[:-1]))))
        if not ordered:
            order = np.argsort(x, kind="stable") if single else np.lexsort((x, codes))
            x, y = x[order], y[order]
            codes = None if single else codes[order]
            low, high = (None, None) if low is None else (low[order], high[order])
    return x, y, codes, low, high, unique


def _aggregated(data: LineInput, spec: Spec):
    """One row per (level, x): :func:`vizkit.charts.lines._compute.aggregate` of the sorted rows."""
    x, y, codes, low, high, unique = _rows(data)
    out = _compute.aggregate(x, codes, y, band=spec.band, low=low, high=high, unique=unique)
    if spec.band is not None and spec.band[0] != "bounds" and not out["repeated"] and len(x):
        user_warning(f"`band={spec.band[0]!r}` summarises repeated `x` values, but every `x` appears once "
                     "per line, so no band is drawn. Pass the runs or seeds as rows with the same `x`.")
        out["low"] = out["high"] = None
    return out


def _bin_coordinate(ax, x):
    """x where equal-width bins are equal pixel columns (the scale's space), or None."""
    if ax.get_xscale() == "linear":
        return x
    with np.errstate(all="ignore"):
        scaled = ax.xaxis.get_transform().transform(np.asarray(x, dtype=float))
    return scaled if np.isfinite(scaled).all() else None


def _decimated_keep(ax, x, arrays, n_points):
    """Indices to keep under :func:`vizkit.line`'s pixel budget, or None (drawn whole)."""
    width_px = ax.get_figure(root=True).bbox.width
    budget = PointBudget.for_width(width_px)
    if not budget.exceeded(n_points):
        return None
    bins = _bin_coordinate(ax, x)
    return None if bins is None else minmax_indices(bins, arrays, budget.n_out)


def _dense(x, y, spec: Spec, n_points, width_px, x_dtype):
    """``(curve, marks)`` of an interpolated line: a dense curve through the points, or (None, None)."""
    if spec.interpolate not in ("pchip", "spline") or n_points <= 1:
        return None, None
    origin = x[0]
    per = max(1, min(_MAX_PIECES, math.ceil(POINTS_PER_PIXEL * width_px / (n_points - 1))))
    x_rel, y_line, marks = _compute.dense_curve((x - origin).astype(float), y, spec.interpolate, per)
    x_line = origin + (np.round(x_rel).astype(np.int64) if x_dtype is not None else x_rel)
    return (x_line, y_line), marks


def compute_level(ax, level, columns: dict, spec: Spec, x_dtype) -> LevelLine:
    """One level's :class:`LevelLine` from its aggregated ``columns`` (x, y, low, high, n)."""
    x, y, low, high, n = (columns[k] for k in ("x", "y", "low", "high", "n"))
    n_points = len(y) if math.isfinite(y.sum()) else int(np.count_nonzero(np.isfinite(y)))
    smooth = None
    if spec.smooth is not None:
        window = spec.window
        if window is None and spec.smooth != "lowess":
            window = max(3, round(n_points / 20))
        smooth = smoothing.smooth(x, y, spec.smooth, window)
    band = low is not None and bool((np.isfinite(low) | np.isfinite(high)).any())
    arrays = [y] + ([smooth] if smooth is not None else []) + ([low, high] if band else [])
    keep = _decimated_keep(ax, x, arrays, n_points)
    if keep is not None:
        x, y, smooth, low, high, n = (None if a is None else a[keep] for a in (x, y, smooth, low, high, n))
        curve, marks = None, None
    else:
        curve, marks = _dense(x, y, spec, n_points, ax.get_figure(root=True).bbox.width, x_dtype)
    return LevelLine(level, x, y, smooth, low, high, n, n_points, keep is not None, curve, marks)


def compute_lines(ax, data: LineInput, spec: Spec, what=None) -> list[LevelLine]:
    """Every level's :class:`LevelLine`, in level order; a level with no finite point is warned about and left out."""
    single = data.codes is None
    present = np.array([len(data.x) > 0]) if single else np.bincount(
        data.codes[data.codes >= 0], minlength=len(data.levels)) > 0
    out = _aggregated(data, spec)
    bounds = [0, len(out["x"])] if single else np.searchsorted(out["code"], np.arange(len(data.levels) + 1))
    lines = []
    for code, level in enumerate(data.levels):
        part = slice(bounds[code], bounds[code + 1])
        columns = {k: None if out[k] is None else out[k][part] for k in ("x", "y", "low", "high", "n")}
        if not np.isfinite(columns["y"]).any():
            if present[code]:
                name = what if what is not None else f"`hue` level {level!r}"
                user_warning(f"{name} has no point with a finite `x` and `y`; no line is drawn for it.")
            continue
        lines.append(compute_level(ax, level, columns, spec, data.x_dtype))
    return lines


# ---------------------------------------------------------------- draw
def as_x(values, dtype, *, zoned=False):
    """Drawable x: datetimes back from int64, numbers as they are.

    Tz-aware datetimes are drawn as naive UTC datetime64 (Matplotlib reads those as UTC; the axis'
    locator and formatter show the zone); ``zoned=True`` gives them back in their zone (for
    ``plotted_data``).
    """
    if dtype is None:
        return values
    import pandas as pd

    if isinstance(dtype, pd.DatetimeTZDtype):
        naive = np.asarray(values, dtype=np.int64).view(f"datetime64[{dtype.unit}]")
        return pd.DatetimeIndex(naive).tz_localize("UTC").tz_convert(dtype.tz) if zoned else naive
    return np.asarray(values, dtype=np.int64).view(dtype)


def _markers(spec: Spec, line: LevelLine, y_drawn):
    """``(marker_on, markevery)`` for one drawn line; markevery None means every point."""
    if spec.markers == "auto":
        on = not line.decimated and (line.n_points <= SPARSE_POINTS or spec.interpolate is not None)
    else:
        on = spec.markers
    if on:
        return True, (None if line.marks is None else line.marks.tolist())
    lonely = _compute.isolated(np.isfinite(y_drawn))
    return False, (lonely.tolist() if len(lonely) else [])


def _look(line: LevelLine, spec: Spec, color, zorder, kws) -> tuple[LineLook, bool]:
    """The :class:`~vizkit._core.line_band.LineLook` of one level, and whether its points are marked."""
    import matplotlib as mpl

    y_drawn = line.curve[1] if line.curve is not None else line.y
    marker_on, markevery = _markers(spec, line, y_drawn)
    style = dict(kws)
    width = style.pop("linewidth", mpl.rcParams["lines.linewidth"])
    if "marker" in style and not marker_on and spec.markers != False:  # noqa: E712 - a level's own marker
        # (redundant encoding) must show: about a dozen along a long line, at the same places on every line
        marker_on, markevery = True, (0, max(1, len(y_drawn) // 12))
    shape = style.pop("marker", "o")
    if spec.interpolate == "step":
        style["drawstyle"] = "steps-post"
    points = {"marker": shape if (marker_on or markevery) else "None"}
    if markevery is not None:
        points["markevery"] = markevery if markevery else None
    look = LineLook(color=color, width=width, zorder=zorder, kws=style, markers=points, markers_on_raw=True,
                    step=style.get("drawstyle") == "steps-post")
    return look, marker_on


def _level_kws(kws, level, grey, *, hue, style=None):
    """The line_kws of one level; with hue its line is labelled with the level (hidden when grey).

    ``style`` (redundant encoding) gives the level its own line style and, past 8 levels, a marker.
    """
    from vizkit._core.semantics import line_style

    out = {k: v for k, v in kws.items() if k != "zorder"}
    if hue:
        out["label"] = f"_{level}" if grey else str(level)
    if style is not None:
        linestyle, marker = line_style(style)
        out = {"linestyle": linestyle} | ({"marker": marker} if marker != "None" else {}) | out
    return out


def draw_lines(ax, lines: list[LevelLine], looks: LineLooks, x_dtype) -> dict:
    """Draw every computed line; return ``{level: (color, marker_on)}``."""
    highlight = looks.highlight
    focus = None if highlight is None else (
        list(highlight) if isinstance(highlight, (list, tuple, set)) else [highlight])
    drawn = {}
    for line in lines:
        grey = focus is not None and line.level not in focus
        zorder = looks.kws.get("zorder", 1.8 if grey else 2.0)
        kws = _level_kws(looks.kws, line.level, grey, hue=looks.what is None,
                         style=None if looks.styles is None else looks.styles.get(line.level))
        color = looks.colors.get(line.level)
        look, marker_on = _look(line, looks.spec, color, zorder, kws)
        with_band = looks.spec.band is not None
        data = LineData(as_x(line.x, x_dtype), line.y, line.smooth, line.low if with_band else None,
                        line.high if with_band else None,
                        curve=None if line.curve is None else (as_x(line.curve[0], x_dtype), line.curve[1]))
        draw_line_band(ax, data, look)
        drawn[line.level] = (color, marker_on)
    return drawn


# ---------------------------------------------------------------- table
def lines_table(lines: list[LevelLine], looks: LineLooks, x_dtype):
    """What ``vizkit.plotted_data(ax)`` holds: one row per drawn point, with what was derived.

    Columns ``x, y`` (``hue`` with hue), ``smooth`` (with ``smooth``),
    ``low, high`` (with ``band``), ``n`` (values averaged, when x repeats);
    ``attrs["decimated"]`` lists the levels that were decimated (None: the
    single line) and ``attrs["points"]`` their finite points before it.
    """
    import pandas as pd

    hue, spec = looks.what is None, looks.spec
    frames = []
    for line in lines:
        columns = {"x": as_x(line.x, x_dtype, zoned=True), "y": line.y, "smooth": line.smooth}
        if spec.band is not None:
            nan = np.full(len(line.x), np.nan)
            columns.update(low=nan if line.low is None else line.low, high=nan if line.high is None else line.high)
        columns["n"] = line.n
        frame = pd.DataFrame({k: v for k, v in columns.items() if v is not None})
        if hue:
            frame.insert(2, "hue", pd.Series([line.level] * len(frame), dtype=object))
        frames.append(frame)
    if frames:
        table = pd.concat(frames, ignore_index=True)
    else:
        names = ["x", "y"] + (["hue"] if hue else []) + (["smooth"] if spec.smooth else []) + (
            ["low", "high"] if spec.band else [])
        table = pd.DataFrame({name: pd.Series(dtype=float) for name in names})
    table.attrs["decimated"] = [line.level for line in lines if line.decimated]
    table.attrs["points"] = {line.level: line.n_points for line in lines}
    return table


def draw_chart(ax, data: LineInput, looks: LineLooks):
    """Compute, then draw, the lines of one call: ``(table, {level: (color, marker_on)})``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> x, y = np.array([1.0, 2.0, 2.0, 3.0]), np.array([1.0, 2.0, 4.0, 2.0])
    >>> table, drawn = draw_chart(ax, LineInput(x, None, None, y), LineLooks({None: "C0"}, what="`y`"))
    >>> table["y"].tolist(), table["n"].tolist(), len(ax.lines)
    ([1.0, 3.0, 2.0], [1, 2, 1], 1)
    >>> plt.close(fig)
    """
    lines = compute_lines(ax, data, looks.spec, looks.what)
    drawn = draw_lines(ax, lines, looks, data.x_dtype)
    return lines_table(lines, looks, data.x_dtype), drawn
