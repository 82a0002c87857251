"""Training curves: one metric of one or many runs, per step, epoch or time, smoothed, with bands.

:func:`curves` draws one metric from a runs frame (:func:`vizkit.read_runs`,
or any long frame with the columns of ``docs/run_format.md``): every run
overlaid, or the runs grouped by a config column with their mean and a band.
Series logged at different rates (training every step, validation every
epoch) share the chart, each at its own x. Long series are decimated to the
pixels they cover without losing a spike, after smoothing, so what is drawn
does not depend on how many points were logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from matplotlib.ticker import MaxNLocator

from vizkit._core import attach_data, bad_type, check_choice, target_ax
from vizkit._core.decimation import PointBudget, decimate
from vizkit._core.errors import user_warning
from vizkit._core.labels import axis_label, plain
from vizkit._core.line_band import RAW_MARKER_SCALE, SPARSE_POINTS, LineData, LineLook, draw_line_band
from vizkit._core.smoothing import ema, ema_window
from vizkit._core.semantics import LINE_STYLES
from vizkit._core.stats import group_estimates, parse_errorbar
from vizkit.colors import hue_colors
from vizkit.io.metrics import is_schedule
from vizkit.themes import ink, muted_ink
from vizkit.ml import _runs
from vizkit.ml._curves_marks import arrange, mark_last_values

__all__ = ["curves"]

#: Default ``max_points``: points kept per drawn series (2 per pixel column of a 1000-pixel-wide chart).
MAX_POINTS = 2000
_X_LABELS = {"step": "Step", "epoch": "Epoch", "time": "Time (s)"}


def curves(runs, *, metric="loss", x="step", by="split", smooth=None, band=None, max_points=MAX_POINTS,
           palette=None, ax=None, **line_kws):
    """Draw one metric of training runs: runs overlaid, or grouped with a mean and a band.

    Parameters
    ----------
    runs : DataFrame
        A runs frame (:func:`vizkit.read_runs`): columns ``run, step, split,
        metric, value``, ``epoch`` and ``time`` for ``x="epoch"``/``"time"``,
        and config columns (``lr``, ``seed``, ...).
    metric : str, default "loss"
        The metric to draw.
    x : {"step", "epoch", "time"}, default "step"
        With ``"epoch"``, a series logged once per epoch sits at its epoch
        numbers and a series logged per step gets a fractional epoch: the steps
        of epoch ``e`` fill ``(e - 1, e]``, ending where that epoch's validation
        point is (as on the step axis). ``"time"`` is seconds since each run started.
    by : str, default "split"
        What the colours tell apart: ``"split"`` (train, val, ...), ``"run"``,
        or a config column (one value per run, e.g. ``"lr"``). Unless ``by`` is
        ``"split"``, the splits are told apart by line style (train solid,
        val dashed, test dotted).
    smooth : float, optional
        A number >= 1 is the half-life, in steps, of a debiased exponential
        moving average (pandas' ``ewm(halflife=..., times=steps,
        adjust=True)``: a value ``d`` steps back weighs ``0.5 ** (d /
        smooth)``, irregular steps weighed by their distance). A number in
        [0, 1) is TensorBoard's smoothing weight ``w`` and is converted to the
        half-life ``ln(0.5) / ln(w)`` steps (0.9 is 6.58 steps; TensorBoard
        debiases its average the same way; 0 is no smoothing). The average is
        computed on every logged point of each run before decimation, so the
        smoothed value at a step does not depend on how many points the run
        has. The raw series is drawn faint under it, and a small marker at its
        last logged point is labelled with that value.

        Some series are always drawn raw: schedules and hyper-parameters
        (:func:`vizkit.io.is_schedule`: ``lr``, ``lr-SGD/pg1``, ``momentum``,
        ``weight_decay``, ...), so a step drop stays a step, and series of
        fewer points than the average's window, ``ceil(3.32 * half-life)``
        steps (:func:`vizkit._core.smoothing.ema_window`: where 90% of its
        weight lies), such as a validation loss logged once per epoch.
    band : {"ci", "sd", "se", "minmax"} or (kind, level), optional
        Average the runs of each colour level and split, and shade a band
        across them: ``"ci"`` a 95% seeded bootstrap interval of the mean
        (``("ci", 90)`` for another level), ``"sd"``/``"se"`` mean ± one
        standard deviation/error (``("sd", 2)``), ``"minmax"`` their range.
        Runs that log different x are aligned on the union of their x: each
        run is interpolated linearly between its own points (never past its
        first or last one), and the mean and band at an x use the runs that
        cover it (``n`` in the drawn data). With ``smooth`` the band summarises
        the smoothed runs. Without ``band`` every run is drawn.
    max_points : int, default 2000
        A series of more points is decimated: ``max_points / 2`` equal-width x
        bins keep their minimum and maximum (tsdownsample's MinMaxDownsampler),
        so every spike is drawn; with ``smooth`` the raw and the smoothed series
        each keep theirs. The chart then notes "N logged / k drawn" above its
        top right corner.
    palette : palette name, list or dict, optional
        Colours of the ``by`` levels; default the active colour cycle.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.
    **line_kws
        Passed to ``Axes.plot`` for each main line (your values win).

    Returns
    -------
    matplotlib.axes.Axes
        ``vizkit.plotted_data(ax)`` holds the drawn points: ``run``, ``split``,
        the ``by`` column, ``x``, ``y``, ``smooth`` (with ``smooth``; NaN for a
        series drawn raw), ``low``, ``high`` and ``n`` (with ``band``; ``run``
        is then empty), and ``nonfinite`` (True for the NaN/inf records marked
        at the edge, whose ``y`` is the logged value). ``.attrs["last_logged"]``
        lists the labelled last points of the smoothed lines (``run``,
        ``split``, ``level``, ``x``, ``y``).

    Raises
    ------
    vizkit.errors.VizkitValueError
        ``metric`` is not in ``runs`` (the message lists the metrics), ``x`` is
        not one of the choices or a run lacks the epochs/times it needs, an
        empty ``runs``, a record with no run, split or metric (None/NA), bad
        options.
    vizkit.errors.VizkitTypeError
        A ``value`` or ``step`` column that is not numeric or is complex.
    vizkit.errors.ColumnNotFoundError
        ``by`` names a column that is not in ``runs`` (the message lists them).

    See Also
    --------
    gap : train against validation, with the best epoch and overfitting marked.
    dashboard : one panel per metric, as the live plot shows.

    Notes
    -----
    Non-finite values (logged NaN or inf, see ``docs/run_format.md``) are left
    out of the lines and marked by a small triangle at the top edge (-inf:
    bottom edge) at each stretch of them, labelled "NaN at step 4,000".
    A run that diverged (growing to 1e24, then NaN) is drawn on the scale it
    had before: values over 1 000 times a series' typical size are off
    scale, the y-limits leave them out and the largest of each stretch is
    marked at the edge, "↑ 1.6e24 at step 80" (``vizkit.ml._runs.value_scale``).
    Set a log or symlog y scale on ``ax`` first to draw every value.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> import vizkit as vk
    >>> runs = pd.DataFrame({"run": "mlp", "step": [0, 1, 2, 3, 3], "epoch": [1, 1, 2, 2, 2],
    ...                      "split": ["train"] * 4 + ["val"], "metric": "loss",
    ...                      "value": [2.3, 1.1, 0.8, 0.6, 0.7]})
    >>> fig, ax = plt.subplots()
    >>> ax = vk.curves(runs, x="epoch")
    >>> vk.plotted_data(ax)[["split", "x", "y"]].values.tolist()
    [['train', 0.5, 2.3], ['train', 1.0, 1.1], ['train', 1.5, 0.8], ['train', 2.0, 0.6], ['val', 2.0, 0.7]]
    >>> plt.close(fig)
    """
    options = CurveOptions(metric=metric, x=x, by=by, smooth=smooth, band=band, max_points=max_points,
                           palette=palette, line_kws=line_kws)
    return draw_curves(runs, options, ax=ax)[0]


# ---------------------------------------------------------------- checks
def _check_band(band):
    if band is None:
        return None
    if isinstance(band, str):
        kind = check_choice("band", band, ["ci", "sd", "se", "minmax"])
        return ("minmax", None) if kind == "minmax" else parse_errorbar(kind, argument="band")
    if isinstance(band, tuple) and len(band) == 2 and band[0] != "minmax":
        return parse_errorbar(band, argument="band")
    raise bad_type("band", "None, 'ci', 'sd', 'se', 'minmax', ('ci', level) or ('sd', k)", band)


def _band_text(band) -> str:
    kind, level = band
    if kind == "minmax":
        return "min–max"
    if kind in ("ci", "pi"):
        return f"{level:g}% {kind.upper()}"
    return f"{level:g} {kind.upper()}" if level != 1 else kind.upper()


# ---------------------------------------------------------------- compute
def _prepared(series, x, anchors, smooth):
    """``(x, y, smooth, marks, n_nonfinite)`` of one series: finite points in x order, EMA on all of them.

    ``smooth`` is None (drawn raw) without a half-life and for a series of
    fewer finite points than :func:`vizkit._core.smoothing.ema_window`.
    """
    xs = _runs.series_x(series, x, anchors)
    marks, n_bad = _runs.nonfinite_runs(series.step, xs, series.value)
    finite = np.isfinite(series.value) & np.isfinite(xs)
    if finite.all():
        xv, y, steps = xs, series.value, series.step
    else:
        xv, y, steps = xs[finite], series.value[finite], series.step[finite]
    sm = ema(steps, y, smooth) if smooth is not None and len(y) >= ema_window(smooth) else None
    if len(xv) > 1 and not np.all(xv[1:] >= xv[:-1]):
        order = np.argsort(xv, kind="stable")
        xv, y, sm = xv[order], y[order], None if sm is None else sm[order]
    return xv, y, sm, marks, n_bad


def _stack(parts):
    """Runs of one group on a common x: ``(grid, Y, S)`` with NaN where a run does not reach."""
    first = parts[0][0]
    if all(len(p[0]) == len(first) and np.array_equal(p[0], first) for p in parts[1:]):
        y = np.vstack([p[1] for p in parts])
        sm = None if parts[0][2] is None else np.vstack([p[2] for p in parts])
        return first, y, sm
    grid = np.unique(np.concatenate([p[0] for p in parts]))
    y = np.full((len(parts), len(grid)), np.nan)
    sm = None if parts[0][2] is None else np.full_like(y, np.nan)
    for i, (xv, yv, sv) in enumerate(parts):
        if not len(xv):
            continue
        inside = (grid >= xv[0]) & (grid <= xv[-1])
        y[i, inside] = np.interp(grid[inside], xv, yv)
        if sm is not None:
            sm[i, inside] = np.interp(grid[inside], xv, sv)
    return grid, y, sm


def _column_mean(matrix):
    finite = np.isfinite(matrix)
    n = finite.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(finite, matrix, 0.0).sum(axis=0) / n, n


def _band_at(matrix, band, columns=None):
    """``(low, high)`` per column of ``matrix`` (runs x points) for ``band``."""
    if columns is not None:
        matrix = matrix[:, columns]
    finite = np.isfinite(matrix)
    n = finite.sum(axis=0)
    if band[0] == "minmax":
        with np.errstate(invalid="ignore"):
            low = np.where(n > 0, np.where(finite, matrix, np.inf).min(axis=0), np.nan)
            high = np.where(n > 0, np.where(finite, matrix, -np.inf).max(axis=0), np.nan)
        return low, high
    by_column = matrix.T
    mask = finite.T
    values = by_column[mask]
    codes = np.repeat(np.arange(by_column.shape[0]), mask.sum(axis=1))
    stats = group_estimates(values, codes, by_column.shape[0], errorbar=band, seed=0)
    return stats["low"], stats["high"]


def _aggregate(parts, band, max_points):
    """Mean (and band) of a group's runs, decimated: a dict of drawn columns, and whether decimated."""
    grid, y, sm = _stack(parts)
    target = sm if sm is not None else y
    mean_raw, _ = _column_mean(y)
    mean, n = _column_mean(target)
    proxy_band = ("sd", 1.0) if band[0] in ("ci", "pi") else band
    low, high = _band_at(target, proxy_band)
    arrays = [mean] + ([mean_raw] if sm is not None else []) + [low, high]
    keep = _decimate(grid, [np.where(np.isfinite(a), a, np.nan) for a in arrays], max_points)
    last = (float(grid[-1]), float(mean_raw[-1])) if sm is not None else None
    if keep is not None:
        grid, mean, mean_raw, n, low, high = (a[keep] for a in (grid, mean, mean_raw, n, low, high))
    if proxy_band is not band:
        low, high = _band_at(target, band, columns=keep if keep is not None else None)
    columns = {"x": grid, "y": mean_raw, "low": low, "high": high, "n": n}
    if sm is not None:
        columns["smooth"] = mean
    return columns, keep is not None, last


# ---------------------------------------------------------------- the whole computation
@dataclass
class CurveOptions:
    """The options of :func:`draw_curves` (those of :func:`curves`, and what the dashboard adds).

    ``legend=False`` draws no legend; ``anchors`` are precomputed
    :func:`vizkit.ml._runs.epoch_anchors`; ``splits`` fixes the split order
    (line styles) across panels.
    """

    metric: object = "loss"
    x: str = "step"
    by: str = "split"
    smooth: float | None = None
    band: object = None
    max_points: int = MAX_POINTS
    palette: object = None
    line_kws: dict = field(default_factory=dict)
    legend: bool = True
    anchors: dict | None = None
    splits: list | None = None


@dataclass
class CurveLine:
    """One drawn curve as computed: a run (``run``) or the mean of a group's runs (``run`` None)."""

    level: object
    split: object
    run: object
    columns: dict  # x, y, and smooth, low, high, n where computed
    decimated: bool
    logged: int  # finite points before decimation
    last: tuple | None = None  # (x, y) of the last logged point of a smoothed line (group: mean of the runs)


@dataclass
class CurvesResult:
    """Everything :func:`curves` computed, before anything is drawn."""

    options: CurveOptions  # checked
    levels: list
    splits: list
    colors: dict
    styles: dict
    kws: dict
    lines: list  # of CurveLine
    prepared: list  # (series, x, y, smooth, nonfinite marks, count) per series
    by_column: str | None

    @property
    def decimated(self) -> bool:
        return any(line.decimated for line in self.lines)


def _checked(runs, options: CurveOptions):
    """``(runs, options)`` checked: a vizkit error naming the argument, else the normalised values."""
    import dataclasses

    import matplotlib as mpl
    from matplotlib.lines import Line2D

    runs = _runs.check_runs(runs)
    checked = dataclasses.replace(
        options, x=check_choice("x", options.x, _runs.X_CHOICES), by=_runs.check_by(runs, options.by),
        smooth=_runs.check_smooth(options.smooth), band=_check_band(options.band),
        max_points=_runs.check_max_points(options.max_points),
        line_kws=mpl.cbook.normalize_kwargs(options.line_kws, Line2D))
    return runs, checked


def compute_curves(runs, options: CurveOptions) -> CurvesResult:
    """Check the options and compute every curve (smoothed, averaged, decimated) without drawing.

    Examples
    --------
    >>> import pandas as pd
    >>> runs = pd.DataFrame({"run": "mlp", "step": [0, 1, 2, 3], "split": "train", "metric": "loss",
    ...                      "value": [2.0, 1.0, 0.5, 0.25]})
    >>> result = compute_curves(runs, CurveOptions(smooth=1))
    >>> [line.columns["smooth"].round(3).tolist() for line in result.lines], result.decimated
    ([[2.0, 1.333, 0.857, 0.533]], False)
    """
    runs, options = _checked(runs, options)
    frame = _runs.select_metric(runs, options.metric)
    series, levels = _runs.series_of(frame, options.by)
    if options.x == "epoch" and options.anchors is None:
        options.anchors = _runs.epoch_anchors(runs, names={s.run for s in series})
    _runs.check_x_available(series, options.x, options.anchors)
    splits = options.splits if options.splits is not None else _runs.split_order(s.split for s in series)
    styles = {s: ("-" if options.by == "split" else LINE_STYLES[i % len(LINE_STYLES)]) for i, s in enumerate(splits)}
    halflife = None if is_schedule(str(options.metric)) else options.smooth  # a schedule is never smoothed
    prepared = [(s, *_prepared(s, options.x, options.anchors, halflife)) for s in series]
    if options.band is None:
        lines = _run_lines(prepared, options.max_points)
    else:
        lines = _group_lines(prepared, options.band, options.max_points)
    return CurvesResult(options, levels, splits, hue_colors(levels, palette=options.palette), styles,
                        options.line_kws, lines, prepared,
                        None if options.by in ("split", "run") else options.by)


def _run_lines(prepared, max_points) -> list[CurveLine]:
    """Every run its own curve."""
    lines = []
    for s, xv, y, sm, _, _ in prepared:
        keep = _decimate(xv, [y] + ([sm] if sm is not None else []), max_points)
        columns = {"x": xv, "y": y} | ({"smooth": sm} if sm is not None else {})
        last = (float(xv[-1]), float(y[-1])) if sm is not None else None
        if keep is not None:
            columns = {k: v[keep] for k, v in columns.items()}
        lines.append(CurveLine(s.level, s.split, s.run, columns, keep is not None, len(xv), last))
    return lines


def _group_lines(prepared, band, max_points) -> list[CurveLine]:
    """The mean and band of the runs of each (level, split)."""
    groups = {}
    for item in prepared:
        groups.setdefault((item[0].level, item[0].split), []).append(item)
    if all(len(g) == 1 for g in groups.values()):
        user_warning(f"`band={band[0]!r}` summarises the runs of each group, but every group has one run, "
                     "so no band is drawn. Group runs (seeds) with `by=`, e.g. a config column.")
    lines = []
    for (level, split), items in groups.items():
        parts = [(xv, y, sm) for _, xv, y, sm, _, _ in items if len(xv)]
        if not parts:
            continue
        if any(sm is not None for _, _, sm in parts):  # a run too short to smooth joins the mean as it is
            parts = [(xv, y, y if sm is None else sm) for xv, y, sm in parts]
        columns, decimated, last = _aggregate(parts, band, max_points)
        lines.append(CurveLine(level, split, None, columns, decimated, sum(len(p[0]) for p in parts), last))
    return lines


# ---------------------------------------------------------------- draw
def _draw_curve(ax, line: CurveLine, *, color, linestyle, kws) -> bool:
    """Draw one curve (smoothed over faint raw, band under) with the shared drawer; return whether it is sparse.

    A sparse curve (at most 30 points, an epoch-level series) gets markers and
    is drawn over the dense ones.
    """
    import matplotlib as mpl

    columns = line.columns
    sparse = len(columns["x"]) <= SPARSE_POINTS and not line.decimated
    markers = {"marker": "o", "markersize": RAW_MARKER_SCALE * mpl.rcParams["lines.markersize"]} if sparse else {}
    label = "_smooth" if "smooth" in columns else "_line"
    look = LineLook(color=color, width=kws.get("linewidth", mpl.rcParams["lines.linewidth"]),
                    zorder=2.2 if sparse else 2.0, kws={"linestyle": linestyle, "label": label} | kws,
                    markers=markers, markers_on_raw=False, raw_first=True)
    draw_line_band(ax, LineData(columns["x"], columns["y"], columns.get("smooth"), columns.get("low"),
                                columns.get("high")), look)
    return sparse


def draw_result(ax, result: CurvesResult) -> tuple[dict, list]:
    """Draw the computed curves, their last logged values, NaN/inf marks and the decimation note.

    Returns sparse by (level, split), and the texts of the last values.
    """
    sparse_of = {}
    for line in result.lines:
        if not len(line.columns["x"]):
            continue
        sparse = _draw_curve(ax, line, color=result.colors[line.level], linestyle=result.styles[line.split],
                             kws=result.kws)
        key = (line.level, line.split)
        sparse_of[key] = sparse_of.get(key, True) and sparse
    texts = mark_last_values(ax, [(*line.last, result.colors[line.level]) for line in result.lines
                                  if line.last is not None])
    _mark_nonfinite(ax, result)
    _runs.mark_off_scale(ax, [s for s, *_ in result.prepared], result.colors, x=result.options.x,
                         anchors=result.options.anchors)  # a diverged run: drawn on its scale before it diverged
    if result.decimated:
        _runs.note_decimation(ax, sum(line.logged for line in result.lines),
                              sum(len(line.columns["x"]) for line in result.lines))
    return sparse_of, texts


def _mark_nonfinite(ax, result: CurvesResult):
    """Mark the non-finite values of every series at the Axes edge."""
    marked = [(s, m, n) for s, _, _, _, m, n in result.prepared if m]
    several = len(result.prepared) > 1
    several_runs = len({s.run for s, *_ in result.prepared}) > 1
    for i, (s, marks, count) in enumerate(marked):
        who = (f"{s.run} · {s.split}: " if several_runs else f"{s.split}: ") if several else ""
        _runs.mark_nonfinite(ax, marks, count, color=result.colors[s.level], who=who, index=i,
                             label=i < _runs.MAX_NONFINITE_LABELS)
    if len(marked) > _runs.MAX_NONFINITE_LABELS:
        ax.annotate(f"+{len(marked) - _runs.MAX_NONFINITE_LABELS} more series with NaN/inf", (0, 1),
                    xycoords="axes fraction", xytext=(4, -16 - 12 * _runs.MAX_NONFINITE_LABELS),
                    textcoords="offset points", fontsize="x-small", va="center", color=muted_ink(ax),
                    bbox=_runs.label_box(ax), zorder=4, gid="vizkit-nonfinite-label")


def _decorate(ax, result: CurvesResult, sparse_of: dict, texts: list) -> list:
    """Axis labels, ticks, the legend kept off the data and the value labels apart; return the legend handles."""
    options = result.options
    drawn_splits = [s for s in result.splits if any(k[1] == s for k in sparse_of)]
    drawn_levels = [lv for lv in result.levels if any(k[0] == lv for k in sparse_of)]
    if not ax.get_xlabel():
        ax.set_xlabel(_X_LABELS[options.x])
    if options.x == "step":
        _compact_ticks(ax.xaxis)
    elif options.x == "epoch":
        integer_ticks(ax.xaxis, first=0)
    if not ax.get_ylabel():
        single = options.by != "split" and len(drawn_splits) == 1
        ax.set_ylabel(f"{axis_label(options.metric)} ({plain(drawn_splits[0])})" if single else axis_label(options.metric))
    handles = _legend_handles(ax, options.by, drawn_levels, drawn_splits, result, sparse_of)
    legend = None
    if options.legend and handles:
        title = None if options.by == "split" else axis_label(options.by)
        if options.band is not None:
            title = f"{title + ': ' if title else ''}mean ± {_band_text(options.band)}"
        legend = ax.legend(handles=handles, title=title)
    if legend is not None or texts:
        arrange(ax, legend, _SPOTS)
    return handles


#: Where curves' legend may go, in Matplotlib's order for ``loc="best"``.
_SPOTS = ("upper right", "upper left", "lower left", "lower right", "center left", "center right",
          "lower center", "upper center")


def draw_curves(runs, options: CurveOptions, *, ax=None):
    """:func:`curves` with the options :func:`vizkit.ml.run_dashboard.dashboard` needs: compute, then draw.

    Returns ``(ax, legend_handles)``.
    """
    result = compute_curves(runs, options)
    ax = target_ax(ax)
    sparse_of, texts = draw_result(ax, result)
    handles = _decorate(ax, result, sparse_of, texts)
    attach_data(ax, curves_table(result), chart="curves")
    return ax, handles


# ---------------------------------------------------------------- table
def curves_table(result: CurvesResult):
    """What ``vizkit.plotted_data(ax)`` holds: the drawn points of every curve, then the NaN/inf records.

    ``attrs["decimated"]`` tells whether any curve was decimated and
    ``attrs["logged"]``/``attrs["drawn"]`` count the points.
    """
    import pandas as pd

    by = result.by_column
    frames = [_table(line.columns, run=line.run, split=line.split, by=by, level=line.level)
              for line in result.lines if len(line.columns["x"])]
    for s, _, _, _, marks, _ in result.prepared:
        if marks:
            bad = ~np.isfinite(s.value)
            frames.append(pd.DataFrame({"run": s.run, "split": s.split, **({by: s.level} if by else {}),
                                        "x": _runs.series_x(s, result.options.x, result.options.anchors)[bad],
                                        "y": s.value[bad], "nonfinite": True}))
    if not frames:
        frames = [_table({"x": np.array([]), "y": np.array([])}, run=None, split=None, by=by, level=None)]
    table = pd.concat(frames, ignore_index=True)
    table["nonfinite"] = table["nonfinite"].fillna(False).astype(bool) if "nonfinite" in table else False
    table.attrs.update(decimated=result.decimated, logged=sum(line.logged for line in result.lines),
                       drawn=sum(len(line.columns["x"]) for line in result.lines),
                       last_logged=pd.DataFrame([{"run": line.run, "split": line.split, "level": line.level,
                                                  "x": line.last[0], "y": line.last[1]}
                                                 for line in result.lines if line.last is not None],
                                                columns=["run", "split", "level", "x", "y"]))
    return table


def integer_ticks(axis, first=None):
    """Whole numbers only on a count or epoch axis (unless it has its own locator); none below ``first``.

    Epochs count from 0 and the steps of epoch 0 fill (−1, 0], so an epoch axis starts a little left of
    0: ``first=0`` keeps a tick at −1, an epoch that does not exist, off its labels."""
    from matplotlib.ticker import AutoLocator

    if type(axis.get_major_locator()) is AutoLocator:
        axis.set_major_locator(MaxNLocator(integer=True) if first is None else _TicksFrom(first, integer=True))


class _TicksFrom(MaxNLocator):
    """MaxNLocator's ticks, none below ``first`` (all of them if that leaves none)."""

    def __init__(self, first, **kwargs):
        super().__init__(**kwargs)
        self.first = first

    def tick_values(self, vmin, vmax):
        ticks = super().tick_values(vmin, vmax)
        kept = ticks[ticks >= self.first]
        return kept if len(kept) else ticks


def _compact_ticks(axis):
    """Label a step axis 0, 250K, 500K, 1M instead of with a "1e6" offset (unless it has its own formatter)."""
    from matplotlib.ticker import FuncFormatter, ScalarFormatter

    from vizkit.elements.text import compact_number

    if type(axis.get_major_formatter()) is ScalarFormatter:
        axis.set_major_formatter(FuncFormatter(lambda value, _pos=None: compact_number(value)))


def _table(columns, *, run, split, by, level):
    import pandas as pd

    n = len(columns["x"])
    data = {"run": pd.Series([run] * n, dtype=object), "split": pd.Series([split] * n, dtype=object)}
    if by is not None:
        data[by] = pd.Series([level] * n, dtype=object)
    data |= {k: np.asarray(v) for k, v in columns.items() if k != "decimated"}
    return pd.DataFrame(data)


def _legend_handles(ax, by, levels, splits, result: CurvesResult, sparse_of):
    import matplotlib as mpl
    from matplotlib.lines import Line2D

    width = result.kws.get("linewidth", mpl.rcParams["lines.linewidth"])
    size = RAW_MARKER_SCALE * mpl.rcParams["lines.markersize"]
    handles = []
    for level in levels:
        sparse = by == "split" and sparse_of.get((level, level), False)
        handles.append(Line2D([], [], color=result.colors[level], linewidth=width, label=plain(level),
                              marker="o" if sparse else "None", markersize=size))
    if by != "split" and len(splits) > 1:
        ink_color = ink(ax)
        for split in splits:
            sparse = all(v for k, v in sparse_of.items() if k[1] == split)
            handles.append(Line2D([], [], color=ink_color, linewidth=width, linestyle=result.styles[split],
                                  label=plain(split), marker="o" if sparse else "None", markersize=size))
    return handles


def _decimate(x, arrays, max_points):
    return decimate(x, arrays, PointBudget.at_most(max_points))
