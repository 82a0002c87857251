"""What the charts of runs share: a checked runs frame, its series, their x, NaN and off-scale marks.

A runs frame is the long DataFrame of ``docs/run_format.md`` (one row per
logged value: ``run, step, epoch, split, metric, value, time`` plus config
columns), as :func:`vizkit.read_runs` returns it, or any frame with the same
columns (``epoch`` and ``time`` are only needed for ``x="epoch"`` /
``x="time"``). Nothing here draws except :func:`mark_nonfinite`,
:func:`keep_on_scale` / :func:`mark_off_scale` and :func:`note_decimation`,
the small marks every chart of runs shares.

Epochs are the logged numbers, never shifted: ``fit()``, ``EarlyStopping``,
Lightning and Keras count the first epoch as 0, and a record logged with
``epoch == e`` sits at ``x = e``, is averaged into epoch ``e`` by ``gap`` and
is named "epoch e" in labels and tables (``docs/run_format.md``, "Epochs").

Placing records on x (:func:`series_x`):

- ``"step"``: the logged step.
- ``"time"``: the logged time (seconds since the run started).
- ``"epoch"``: a series with one record per epoch (validation logged at the
  end of each epoch) sits at its logged epoch numbers. A series with several
  records per epoch (training logged every step) gets a fractional epoch:
  epoch ``e`` of a run ends at the last step logged with ``epoch == e`` (any
  split or metric of that run) and that step sits at ``x = e``; the steps in
  between two epoch ends are spread linearly, so epoch ``e``'s steps fill
  ``(e - 1, e]`` and the last training step of an epoch and the validation
  logged at it share one x, as they do on the step axis. Steps without an
  epoch are placed by the same map (see :func:`epoch_anchors` for where the
  first epoch starts); a last epoch shorter than the one before takes that
  epoch's pace (a live run's epoch in progress fills its unit as it goes),
  and the map goes on straight past both ends.

A diverged run (values growing to 1e24, then NaN) is drawn on the scale of
its values before it diverged (:func:`value_scale`): the climb leaves the
Axes at the top, and the largest value of each off-scale stretch is marked
inside the Axes at the edge with its value and step ("train: ↑ 1.6e24 at
step 80"), as the first NaN of each stretch is ("NaN at step 81"). An Axes
whose y scale is not linear (``ax.set_yscale("symlog")`` before drawing)
keeps every value on its own scale.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from vizkit._core import (
    bad_choice,
    bad_type,
    bad_value,
    check_choice,
    check_number,
    missing_column,
    resolve_data,
)
from vizkit._core.line_band import SPARSE_POINTS  # a drawn series this short gets markers
from vizkit._core.semantics import LARGEST, numeric_values
from vizkit.themes import muted_ink

__all__ = [
    "REQUIRED",
    "RunSeries",
    "SPARSE_POINTS",
    "check_by",
    "check_max_points",
    "check_runs",
    "check_smooth",
    "check_x_available",
    "config_levels",
    "edge_label_points",
    "epoch_anchors",
    "keep_on_scale",
    "label_box",
    "mark_nonfinite",
    "mark_off_scale",
    "metric_direction",
    "metrics_in_order",
    "nonfinite_runs",
    "note_decimation",
    "select_metric",
    "series_of",
    "series_x",
    "split_order",
    "value_scale",
]

#: Columns every runs frame has.
REQUIRED = ("run", "step", "split", "metric", "value")
#: Columns that are no config: ``by`` may not name them (``split`` and ``run`` excepted).
RESERVED = ("run", "step", "epoch", "split", "metric", "value", "time")
#: What ``x=`` may be.
X_CHOICES = ("step", "epoch", "time")
#: Known split names, in the order charts list them; other splits follow in order of appearance.
SPLIT_ORDER = ("train", "training", "val", "valid", "validation", "eval", "dev", "test")
#: At most this many NaN/inf labels per chart (every series still gets its marks); the same for off-scale labels.
MAX_NONFINITE_LABELS = 3
#: A value more than this many times a series' typical size (the lower quartile of ``|value|``) is off its scale.
OFF_SCALE = 1000.0


# ---------------------------------------------------------------- checking
def check_runs(runs):
    """``runs`` as a DataFrame with the required columns and numeric values, or a vizkit error."""
    import pandas as pd

    if isinstance(runs, Mapping):
        runs = resolve_data(runs, argument="runs")
    if not isinstance(runs, pd.DataFrame):
        raise bad_type("runs", "a long DataFrame of run records (as vizkit.read_runs returns)", runs)
    missing = [c for c in REQUIRED if c not in runs.columns]
    if missing:
        columns = ", ".join(map(repr, runs.columns)) or "none"
        raise bad_value("runs", "a long frame with columns 'run', 'step', 'split', 'metric' and 'value' "
                        "(as vizkit.read_runs returns)", runs,
                        got=f"a frame without {', '.join(map(repr, missing))} (columns: {columns})")
    for column in ("value", "step"):
        dtype = runs[column].dtype
        if not pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
            raise bad_type("runs", f"a frame whose {column!r} column is numeric", runs,
                           got=f"a {column!r} column of type {dtype}")
        if pd.api.types.is_complex_dtype(dtype):  # only the real part would be drawn
            raise bad_type("runs", f"a frame whose {column!r} column is numeric and real", runs,
                           got=f"a {column!r} column of type {dtype}")
    numeric_values("runs", runs["step"], column="step")  # steps past 1e300 overflow the axis
    for column in ("run", "split", "metric"):
        missing = runs[column].isna().to_numpy(dtype=bool)
        if missing.any():
            raise bad_value("runs", "a frame that names the run, split and metric of every record", runs,
                            got=f"{int(missing.sum())} record(s) with no {column!r} (the first at row "
                                f"{int(np.flatnonzero(missing)[0])})",
                            hint=f"Fill them (runs[{column!r}].fillna('...')) or drop them (runs.dropna("
                                 f"subset=[{column!r}])) first.")
    return runs


#: What ``smooth=`` may be, for its error messages.
_SMOOTH_FORMS = ("None, a half-life in steps (a number >= 1, e.g. 10), or TensorBoard's smoothing weight "
                 "(a number in [0, 1), e.g. 0.9 = a half-life of 6.6 steps; 0 = none)")


def check_smooth(smooth):
    """``smooth`` as a half-life in steps, or None for no smoothing.

    The one reading of ``smooth=`` in :func:`vizkit.curves`,
    :func:`vizkit.ml.dashboard` and ``LivePlot``: a number >= 1 is a half-life
    in steps; a number in [0, 1) is TensorBoard's smoothing weight ``w``,
    converted to the half-life ``ln(0.5) / ln(w)``
    (:func:`vizkit._core.smoothing.halflife_of_weight`; 0.9 is 6.58 steps,
    0 is no smoothing). A half-life under one step would smooth nothing, so
    the two forms never meet.

    >>> check_smooth(10), round(check_smooth(0.9), 2), check_smooth(0), check_smooth(None)
    (10.0, 6.58, None, None)
    """
    from vizkit._core.smoothing import halflife_of_weight

    if smooth is None:
        return None
    if isinstance(smooth, (bool, np.bool_)) or not isinstance(smooth, (int, float, np.integer, np.floating)):
        raise bad_type("smooth", _SMOOTH_FORMS, smooth)
    value = float(smooth)
    if not math.isfinite(value) or value < 0:
        raise bad_value("smooth", _SMOOTH_FORMS, smooth)
    if value < 1:
        return halflife_of_weight(value) or None
    return value


def check_max_points(max_points):
    return check_number("max_points", max_points, integer=True, low=4)


def check_by(runs, by):
    """``by``: 'split', 'run' or a config column of ``runs``."""
    if not isinstance(by, str):
        raise bad_type("by", "a column name ('split', 'run' or a config column such as 'lr')", by)
    if by in ("split", "run"):
        return by
    if by not in runs.columns:
        raise missing_column("by", by, runs.columns)
    if by in RESERVED:
        raise bad_value("by", "'split', 'run' or a config column (one value per run, such as 'lr')", by)
    return by


def check_group(runs, by, *, argument="by"):
    """``by`` that groups whole runs: ``'run'`` or a config column, never ``'split'`` (which divides a run)."""
    if not isinstance(by, str):
        raise bad_type(argument, "a column name ('run' or a config column such as 'method')", by)
    if by == "run":
        return by
    if by == "split" or by in RESERVED:
        raise bad_value(argument, "'run' or a config column (one value per run, such as 'method')", by)
    if by not in runs.columns:
        raise missing_column(argument, by, runs.columns)
    return by


def select_metric(runs, metric, *, argument="metric"):
    """The rows of ``metric``; an unknown metric names the metrics that exist."""
    if runs.empty:
        raise bad_value("runs", "a frame with at least one record", runs, got="an empty frame (no rows)")
    mask = (runs["metric"] == metric).to_numpy(dtype=bool, na_value=False) if isinstance(metric, str) else None
    if mask is None or not mask.any():
        raise bad_choice(argument, metric, metrics_in_order(runs), what="one of the metrics in `runs`:")
    return runs[mask] if not mask.all() else runs


def metric_direction(metric: str, mode):
    """``"min"`` or ``"max"``: ``mode`` if given, else read from the metric's name.

    The name is read by :func:`vizkit.io.metrics.metric_direction`, the one
    vocabulary of vizkit; a name it cannot read needs ``mode``.
    """
    if mode is not None:
        return check_choice("mode", mode, ["min", "max"])
    from vizkit.io.metrics import metric_direction as direction_of

    direction = direction_of(str(metric))
    if direction is None:
        raise bad_value("mode", "'min' or 'max' for this metric", mode,
                        hint=f"vizkit cannot tell from the name {metric!r} whether lower or higher is better.")
    return direction


def metrics_in_order(runs) -> list:
    """The metrics of ``runs`` in the order they were first logged.

    Metrics first logged at the same step: the lower-is-better ones (losses) first, then by name.
    """
    if runs.empty:
        return []
    first = runs.groupby("metric", sort=False, observed=True)["step"].min()

    def key(name):
        try:
            lower = metric_direction(name, None) == "min"
        except ValueError:
            lower = False
        return (first[name], not lower, str(name))

    return sorted(first.index, key=key)


def split_order(splits) -> list:
    """Splits in display order: train, then validation, then test, then the rest as they came."""
    splits = list(dict.fromkeys(splits))
    known = [s for s in SPLIT_ORDER if s in splits]
    return known + [s for s in splits if s not in known]


# ---------------------------------------------------------------- series
@dataclass
class RunSeries:
    """One run's records of one metric and split, in step order."""

    run: object
    split: object
    level: object  # the ``by`` level (colour)
    step: np.ndarray  # float64, non-decreasing
    value: np.ndarray  # float64, may hold NaN/inf
    epoch: np.ndarray | None  # float64, NaN where not logged
    time: np.ndarray | None


def _float_column(frame, name):
    import pandas as pd

    if name not in frame.columns:
        return None
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def config_levels(column) -> tuple[list, np.ndarray]:
    """The levels of a config column ``by`` names, and each row's level code.

    In :func:`vizkit._core.semantics.levels_and_codes`' order (numbers
    sorted), with an ``"n/a"`` level last for rows that lack a value, so
    every chart of runs gives a level the same colour.
    """
    from vizkit._core.semantics import MAX_HUE_LEVELS, levels_and_codes

    levels, codes = levels_and_codes("by", column.reset_index(drop=True), limit=MAX_HUE_LEVELS)
    levels, codes = list(levels), np.asarray(codes)
    if (codes < 0).any():
        levels.append("n/a")
        codes = np.where(codes < 0, len(levels) - 1, codes)
    return levels, codes


def series_of(frame, by: str) -> tuple[list[RunSeries], list]:
    """Split one metric's rows into one :class:`RunSeries` per (run, split); return them and the ``by`` levels.

    Levels: splits in :func:`split_order`, runs in order of appearance, a
    config column as :func:`vizkit._core.semantics.levels_and_codes` orders it (numbers
    sorted), with an ``"n/a"`` level last for runs that lack the column.
    """
    import pandas as pd

    run_codes, run_names = pd.factorize(frame["run"], use_na_sentinel=False)
    split_codes, split_names = pd.factorize(frame["split"], use_na_sentinel=False)
    step = frame["step"].to_numpy(dtype=float)
    key = run_codes.astype(np.int64) * len(split_names) + split_codes
    if len(key) > 1:
        dk = np.diff(key)
        ordered = bool(np.all((dk > 0) | ((dk == 0) & (step[1:] >= step[:-1]))))
    else:
        ordered = True
    order = None if ordered else np.lexsort((step, key))
    take = (lambda a: a) if order is None else (lambda a: a[order])
    key, step = take(key), take(step)
    value = take(frame["value"].to_numpy(dtype=float))
    epoch = _float_column(frame, "epoch")
    time = _float_column(frame, "time")
    epoch = None if epoch is None else take(epoch)
    time = None if time is None else take(time)
    starts = np.concatenate(([0], np.flatnonzero(np.diff(key)) + 1)) if len(key) else np.array([], dtype=np.intp)
    stops = np.append(starts[1:], len(key)).astype(np.intp)
    by_codes = by_levels = None
    if by not in ("split", "run"):
        by_levels, codes = config_levels(frame[by])
        by_codes = take(codes)
        lo = np.minimum.reduceat(by_codes, starts) if len(starts) else by_codes
        hi = np.maximum.reduceat(by_codes, starts) if len(starts) else by_codes
        if np.any(lo != hi):
            bad = int(np.flatnonzero(lo != hi)[0])
            run = run_names[int(key[starts[bad]] // len(split_names))]
            raise bad_value("by", "a column with one value per run (a config column such as 'lr')", by,
                            got=f"{by!r}, which changes within run {run!r}")
    series = []
    for i, (a, b) in enumerate(zip(starts, stops, strict=True)):
        run = run_names[int(key[a] // len(split_names))]
        split = split_names[int(key[a] % len(split_names))]
        level = split if by == "split" else run if by == "run" else by_levels[int(lo[i])]
        series.append(RunSeries(run=run, split=split, level=level, step=step[a:b], value=value[a:b],
                             epoch=None if epoch is None else epoch[a:b], time=None if time is None else time[a:b]))
    if by == "split":
        levels = split_order(s.split for s in series)
    elif by == "run":
        from vizkit._core.semantics import MAX_HUE_LEVELS

        levels = list(dict.fromkeys(s.run for s in series))
        if len(levels) > MAX_HUE_LEVELS:
            raise bad_value("by", f"a variable with at most {MAX_HUE_LEVELS} levels", by,
                            got=f"'run' with {len(levels)} runs", hint="Group the runs by a config column.")
    else:
        used = {s.level for s in series}
        levels = [level for level in by_levels if level in used]
    return series, levels


# ---------------------------------------------------------------- x
def epoch_anchors(runs, names=None) -> dict:
    """``{run: (steps, epochs)}``: where each run's epochs end, for :func:`series_x` with ``x="epoch"``.

    The anchors are ``(last step logged in epoch e, e)`` for every epoch, over
    all records of the run, and where the first epoch starts: one step before
    its first record, or the second epoch's length before its end when that
    is earlier (an epoch known only from its validation record). A last epoch
    shorter than the one before (a live run's epoch in progress, a run
    stopped mid-epoch) is given that epoch's length.
    """
    import pandas as pd

    if "epoch" not in runs.columns:
        return {}
    epoch = _float_column(runs, "epoch")
    has = np.isfinite(epoch)
    if names is not None:
        has &= runs["run"].isin(list(names)).to_numpy(dtype=bool)
    if not has.any():
        return {}
    run_codes, run_names = pd.factorize(runs["run"].to_numpy()[has] if not has.all() else runs["run"])
    epoch_codes, epoch_values = pd.factorize(epoch[has], sort=True)
    key = run_codes.astype(np.int64) * len(epoch_values) + epoch_codes
    step = runs["step"].to_numpy(dtype=float)[has]
    table = pd.Series(step).groupby(key, sort=True).agg(["min", "max"])
    keys = table.index.to_numpy()
    lows, highs = table["min"].to_numpy(), table["max"].to_numpy()
    anchors = {}
    bounds = np.searchsorted(keys // len(epoch_values), np.arange(len(run_names) + 1))
    for code, name in enumerate(run_names):
        part = slice(bounds[code], bounds[code + 1])
        epochs = np.asarray(epoch_values, dtype=float)[keys[part] % len(epoch_values)]
        start = lows[part][0] - 1
        if len(epochs) >= 2:  # an epoch logged only at its end (validation) starts a pace before it
            start = min(start, highs[part][0] - (highs[part][1] - highs[part][0]) / (epochs[1] - epochs[0]))
        steps = np.concatenate(([start], highs[part]))
        values = np.concatenate(([epochs[0] - 1], epochs))
        keep = np.concatenate(([True], (np.diff(steps) > 0) & (np.diff(values) > 0)))
        steps, values = steps[keep], values[keep]
        if len(steps) >= 3:  # the last epoch takes at least the previous epoch's pace
            pace = (steps[-2] - steps[-3]) / (values[-2] - values[-3])
            steps[-1] = max(steps[-1], steps[-2] + pace * (values[-1] - values[-2]))
        anchors[name] = (steps, values)
    return anchors


def _interp(x, xp, fp):
    """``np.interp`` that goes on straight past both ends (at the first and last segment's slope)."""
    out = np.interp(x, xp, fp)
    if len(xp) >= 2:
        below, above = x < xp[0], x > xp[-1]
        if below.any():
            out[below] = fp[0] + (x[below] - xp[0]) * (fp[1] - fp[0]) / (xp[1] - xp[0])
        if above.any():
            out[above] = fp[-1] + (x[above] - xp[-1]) * (fp[-1] - fp[-2]) / (xp[-1] - xp[-2])
    return out


def series_x(series: RunSeries, x: str, anchors: dict | None):
    """The x of each record of ``series`` (see the module docstring); NaN where it has none."""
    if x == "step":
        return series.step
    if x == "time":
        return series.time
    epoch = series.epoch
    if epoch is not None and len(epoch) and np.isfinite(epoch).all() and np.all(np.diff(epoch) > 0):
        return epoch  # one record per epoch: at its epoch
    steps, values = anchors[series.run]
    return _interp(series.step, steps, values)


def check_x_available(series: list[RunSeries], x: str, anchors: dict | None):
    """Refuse ``x="time"``/``"epoch"`` for runs that did not log what it needs, naming them."""
    if x == "time":
        lacking = [s.run for s in series if s.time is None or not np.isfinite(s.time).all()]
        what = "a time for every record"
    elif x == "epoch":
        lacking = [s.run for s in series if s.run not in (anchors or {})]
        what = "an epoch"
    else:
        return
    if lacking:
        names = ", ".join(map(repr, dict.fromkeys(lacking)))
        raise bad_value("x", f"'step' here, or a run frame where every run logs {what}", x,
                        hint=f"Runs without it: {names}.")


# ---------------------------------------------------------------- marks
def nonfinite_runs(step, x, value):
    """``(x, step, kind)`` at the start of each stretch of non-finite values, and their total count."""
    bad = ~np.isfinite(value)
    if not bad.any():
        return [], 0
    starts = np.flatnonzero(bad & np.concatenate(([True], ~bad[:-1])))
    kinds = ["NaN" if math.isnan(v) else ("inf" if v > 0 else "-inf") for v in value[starts]]
    return list(zip(x[starts].tolist(), step[starts].tolist(), kinds, strict=True)), int(bad.sum())


def _step_text(step):
    return f"{int(step):,}" if float(step).is_integer() else f"{step:g}"


def _value_text(value):
    """``1.6e24``, ``6.05e4``, ``70.3``: three significant digits, a plain exponent."""
    text = f"{value:.3g}"
    mantissa, _, exponent = text.partition("e")
    return f"{mantissa}e{int(exponent)}" if exponent else text


def _edge_marks(ax, xs, top, *, color, marker_top, marker_bottom, gid):
    """Triangles just inside the top (``top``) or bottom edge at data ``xs``; the x axis grows to hold them."""
    from matplotlib.transforms import offset_copy

    xs = np.asarray(xs, dtype=float)
    top = np.asarray(top, dtype=bool)
    inside = np.isfinite(xs)
    if inside.any():  # an x beyond the drawn data widens the x axis (marks never sit outside the Axes)
        ax.update_datalim(np.column_stack([xs[inside], np.zeros(int(inside.sum()))]), updatey=False)
        ax.autoscale_view(scaley=False)
    transform = ax.get_xaxis_transform()
    for where, marker, y, shift in ((top, marker_top, 1.0, -4), (~top, marker_bottom, 0.0, 4)):
        if where.any():  # just inside the edge
            ax.plot(xs[where], np.full(int(where.sum()), y), linestyle="None", marker=marker, markersize=6,
                    color=color, markeredgecolor=ax.get_facecolor(), markeredgewidth=0.6, clip_on=False,
                    transform=offset_copy(transform, ax.figure, y=shift, units="points"), zorder=4,
                    gid=gid, label="_" + gid.removeprefix("vizkit-"))


#: The gids of the labels at the Axes edges, which stack in rows.
_EDGE_LABELS = ("vizkit-nonfinite-label", "vizkit-off-scale-label")


def _edge_label(ax, x, top: bool, text: str, row: int, gid: str):
    """A small label at data ``x`` by the top or bottom edge, in row ``row`` (rows stack inwards)."""
    lo, hi = ax.get_xlim()
    right = hi > lo and (x - lo) / (hi - lo) > 0.6
    offset = (-16 - 12 * row) if top else (16 + 12 * row)
    return ax.annotate(text, (x, 1.0 if top else 0.0), xycoords=ax.get_xaxis_transform(),
                       xytext=(-4 if right else 4, offset), textcoords="offset points",
                       ha="right" if right else "left", va="center", fontsize="x-small", color=muted_ink(ax),
                       zorder=4, bbox=label_box(ax), gid=gid)


def _free_row(ax, top: bool) -> int:
    """The first row at the top (or bottom) edge below every edge label already there."""
    rows = [round((-t.xyann[1] - 16) / 12) if top else round((t.xyann[1] - 16) / 12)
            for t in ax.texts if t.get_gid() in _EDGE_LABELS and (t.xyann[1] < 0) == top]
    return max(rows, default=-1) + 1


def mark_nonfinite(ax, marks, count, *, color, who: str, index: int, label: bool = True):
    """Mark non-finite values at the Axes edge: a small triangle at each stretch, one label per series.

    NaN and inf sit at the top edge, -inf at the bottom, always inside the
    Axes (the x axis widens to a mark beyond the drawn data); the label
    reads "NaN at step 4,000" (with ``who`` in front when several series are
    drawn, and "+k more" when there are more) and stacks under earlier
    labels (``index``). Returns the label's text (None with ``label=False``: marks only).
    """
    if not marks:
        return None
    top = np.array([m[2] != "-inf" for m in marks])
    _edge_marks(ax, [m[0] for m in marks], top, color=color, marker_top="v", marker_bottom="^",
                gid="vizkit-nonfinite")
    if not label:
        return None
    x0, step0, kind0 = marks[0]
    text = f"{who}{kind0} at step {_step_text(step0)}"
    if count > 1:
        text += f" (+{count - 1:,} more NaN/inf)"
    _edge_label(ax, x0, bool(top[0]), text, index, "vizkit-nonfinite-label")
    return text


# ---------------------------------------------------------------- off scale
@dataclass
class ValueScale:
    """The y range one series needs to be read, and its values that lie off that scale.

    ``low``/``high``: the range of its values before it diverged (NaN when it
    has no finite value); ``off``: ``(x, step, value)`` of the largest value
    of each stretch of off-scale values, in order.
    """

    low: float
    high: float
    off: list


def value_scale(value, x, step) -> ValueScale:
    """The readable range of one series (in logged order) and the values off it; see Notes.

    Notes
    -----
    A value is off scale when it is more than :data:`OFF_SCALE` (1 000) times
    the series' typical size (the lower quartile of ``|value|``, of the
    non-zero values when that is 0: a run that diverged early has most of
    its values in the climb) and larger than every value logged before the
    series first came within that bound (so a loss that starts high and falls
    is never off scale). The readable range leaves out the off-scale values
    and the climb into each stretch of them (the values just before it that
    each set a new high), unless the climb is most of the series (a schedule
    that grows on purpose): a diverged run is drawn on the scale it had
    before it diverged. A value beyond 1e300 is always off scale (no axis
    can show it).

    Examples
    --------
    >>> import numpy as np
    >>> loss = np.array([2.3, 1.0, 0.5, 0.4, 0.45, 3.0, 80.0, 1e9, 1.6e24, np.nan])
    >>> scale = value_scale(loss, np.arange(10.0), np.arange(10))
    >>> scale.low, scale.high, scale.off
    (0.4, 2.3, [(8.0, 8.0, 1.6e+24)])
    """
    v, xs, steps = (np.asarray(a, dtype=float) for a in (value, x, step))
    finite = np.isfinite(v) & np.isfinite(xs)
    if not finite.all():
        v, xs, steps = v[finite], xs[finite], steps[finite]
    if not len(v):
        return ValueScale(math.nan, math.nan, [])
    size = np.abs(v)
    level = _lower_quartile(size)
    if level == 0:
        level = _lower_quartile(size[size > 0]) if (size > 0).any() else 0.0
    off = np.zeros(len(v), dtype=bool)
    if level > 0:
        bound = OFF_SCALE * level
        first_within = int(np.argmax(size <= bound))
        off = size > max(bound, size[:first_within].max(initial=0.0))
    off |= size > LARGEST  # no axis shows these (a series of one 1.7e308 has no "typical size" below it)
    if not off.any():
        return ValueScale(float(v.min()), float(v.max()), [])
    keep = ~off & ~_climbs(size, off)
    if keep.sum() * 2 < (~off).sum():  # mostly climb: no scale "before" to keep
        keep = ~off
    if not keep.any():  # every value off scale: no readable range
        keep_low = keep_high = math.nan
    else:
        keep_low, keep_high = float(v[keep].min()), float(v[keep].max())
    starts = np.flatnonzero(off & ~np.concatenate(([False], off[:-1])))
    stops = np.flatnonzero(off & ~np.concatenate((off[1:], [False]))) + 1
    peaks = [a + int(np.argmax(size[a:b])) for a, b in zip(starts, stops, strict=True)]
    return ValueScale(keep_low, keep_high, [(float(xs[i]), float(steps[i]), float(v[i])) for i in peaks])


def _lower_quartile(values) -> float:
    """The value a quarter of the way up (``np.percentile(values, 25, method="lower")``, by a faster partition)."""
    k = (len(values) - 1) // 4
    return float(np.partition(values, k)[k])


def _climbs(size, off):
    """Where the on-scale values climb into a stretch of off-scale values: consecutive new highs just before it."""
    n = len(size)
    on = np.where(off, -np.inf, size)
    before = np.maximum.accumulate(np.concatenate(([-np.inf], on[:-1])))
    high = (size > before) & ~off
    high[0] = False  # where the run starts is never a climb
    last_other = np.maximum.accumulate(np.where(high, -1, np.arange(n)))
    climb = np.zeros(n, dtype=bool)
    for start in np.flatnonzero(off & ~np.concatenate(([False], off[:-1]))):
        if start > 0:
            climb[last_other[start - 1] + 1:start] = True
    return climb


def keep_on_scale(ax, scales, *, unit: str = "step"):
    """If a series went off scale: y-limits from every series' readable range, and a mark per stretch off it.

    ``scales`` holds ``(ValueScale, color, who)`` for every series drawn on
    ``ax``. Nothing happens when no series went off scale, or when the y
    scale is not linear (a log or symlog axis shows every value). Otherwise
    the y-limits cover each series' readable range (with the Axes' margins),
    so the climb to huge values leaves the Axes; the largest value of each
    off-scale stretch gets a triangle just inside the edge it left by, and
    the series' largest gets a label "who↑ 1.6e24 at step 80" (``unit``
    names the x) stacked under the NaN/inf labels. Returns the labels' texts.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> loss = np.array([2.3, 1.0, 0.5, 0.4, 0.45, 3.0, 80.0, 1e9, 1.6e24])
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot(np.arange(9), loss)
    >>> keep_on_scale(ax, [(value_scale(loss, np.arange(9), np.arange(9)), "C0", "")])
    ['↑ 1.6e24 at step 8']
    >>> [round(float(y), 3) for y in ax.get_ylim()]
    [0.305, 2.395]
    >>> plt.close(fig)
    """
    scales = list(scales)
    off = [item for item in scales if item[0].off]
    if not off or ax.get_yscale() != "linear":
        return []
    low = min((s.low for s, *_ in scales if np.isfinite(s.low)), default=-1.0)  # nothing readable: -1..1,
    high = max((s.high for s, *_ in scales if np.isfinite(s.high)), default=1.0)  # the marks at its edges
    if high - low <= 1e-12 * max(abs(low), abs(high)):  # one value: 5% of it either side (1 for 0)
        half = 0.05 * abs(low) or 1.0
        low, high = low - half, high + half
    pad = ax.margins()[1] * (high - low)
    ax.set_ylim(low - pad, high + pad)
    texts = []
    for i, (scale, color, who) in enumerate(off):
        xs, steps, values = (np.array(column, dtype=float) for column in zip(*scale.off, strict=True))
        _edge_marks(ax, xs, values > 0, color=color, marker_top="^", marker_bottom="v", gid="vizkit-off-scale")
        if i >= MAX_NONFINITE_LABELS:
            continue
        peak = int(np.argmax(np.abs(values)))
        text = f"{who}{'↑' if values[peak] > 0 else '↓'} {_value_text(values[peak])} at {unit} {_step_text(steps[peak])}"
        if len(values) > 1:
            text += f" (+{len(values) - 1} more off scale)"
        top = bool(values[peak] > 0)
        _edge_label(ax, xs[peak], top, text, _free_row(ax, top), "vizkit-off-scale-label")
        texts.append(text)
    return texts


def edge_label_points(ax):
    """The corners and centre of every NaN/inf and off-scale label on ``ax``, in data coordinates, or None.

    For a legend placer (:class:`vizkit._core.placement.Obstacles` ``points``),
    so a legend is not put over these labels.
    """
    labels = [t for t in ax.texts if t.get_gid() in _EDGE_LABELS]
    if not labels:
        return None
    corners = []
    for label in labels:
        box = label.get_window_extent()
        corners += [(box.x0, box.y0), (box.x0, box.y1), (box.x1, box.y0), (box.x1, box.y1),
                    ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)]
    return ax.transData.inverted().transform(np.array(corners))


def mark_off_scale(ax, series, colors, *, x: str, anchors) -> list:
    """:func:`keep_on_scale` for the :class:`RunSeries` drawn on ``ax`` (``colors``: level -> colour).

    Labels name the series as the NaN/inf labels do: ``"run · split: "``
    when several runs are drawn, ``"split: "`` when several splits.
    """
    several, several_runs = len(series) > 1, len({s.run for s in series}) > 1
    return keep_on_scale(ax, [
        (value_scale(s.value, series_x(s, x, anchors), s.step), colors[s.level],
         (f"{s.run} · {s.split}: " if several_runs else f"{s.split}: ") if several else "")
        for s in series])


def label_box(ax) -> dict:
    """A box of the Axes face behind a small label, so it stays readable over lines."""
    return {"boxstyle": "round,pad=0.15", "facecolor": ax.get_facecolor(), "edgecolor": "none", "alpha": 0.85}


def note_decimation(ax, logged: int, drawn: int):
    """Write "N logged / k drawn" small and muted just above the Axes' top right corner."""

    return ax.annotate(f"{logged:,} logged / {drawn:,} drawn", (1, 1), xycoords="axes fraction", xytext=(0, 3),
                       textcoords="offset points", ha="right", va="bottom", fontsize="x-small",
                       color=muted_ink(ax), gid="vizkit-decimation-note")
