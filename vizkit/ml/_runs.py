"""What the charts of runs share: a checked runs frame, its series, their x, NaN marks.

A runs frame is the long DataFrame of ``docs/run_format.md`` (one row per
logged value: ``run, step, epoch, split, metric, value, time`` plus config
columns), as :func:`vizkit.read_runs` returns it, or any frame with the same
columns (``epoch`` and ``time`` are only needed for ``x="epoch"`` /
``x="time"``). Nothing here draws except :func:`mark_nonfinite` and
:func:`note_decimation`, the two small marks every chart of runs shares.

Epochs are counted from 1 (:func:`check_runs` shifts a run that logs its
first epoch as 0), so ``x="epoch"`` reads as epochs done.

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
    "epoch_anchors",
    "label_box",
    "mark_nonfinite",
    "metric_direction",
    "metrics_in_order",
    "nonfinite_runs",
    "note_decimation",
    "select_metric",
    "series_of",
    "series_x",
    "split_order",
]

#: Columns every runs frame has.
REQUIRED = ("run", "step", "split", "metric", "value")
#: Columns that are no config: ``by`` may not name them (``split`` and ``run`` excepted).
RESERVED = ("run", "step", "epoch", "split", "metric", "value", "time")
#: What ``x=`` may be.
X_CHOICES = ("step", "epoch", "time")
#: Known split names, in the order charts list them; other splits follow in order of appearance.
SPLIT_ORDER = ("train", "training", "val", "valid", "validation", "eval", "dev", "test")
#: At most this many NaN/inf labels per chart (every series still gets its marks).
MAX_NONFINITE_LABELS = 3


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
    return _epochs_from_one(runs)


def _epochs_from_one(runs):
    """Count epochs from 1, as training loops print them ("Epoch 1/20"): ``x="epoch"`` is epochs done.

    A run whose first logged epoch is 0 (``range()``, ``vizkit.torch.fit``,
    Lightning and Keras all count from 0) has its epochs shifted by one, so
    its first epoch's training fills (0, 1] and its validation sits at 1.
    """
    import pandas as pd

    if "epoch" not in runs.columns:
        return runs
    epoch = pd.to_numeric(runs["epoch"], errors="coerce").astype(float)
    if not (epoch == 0).any():
        return runs
    first = epoch.groupby(runs["run"].to_numpy(), sort=False).transform("min")
    return runs.assign(epoch=epoch + (first == 0))


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


def series_of(frame, by: str) -> tuple[list[RunSeries], list]:
    """Split one metric's rows into one :class:`RunSeries` per (run, split); return them and the ``by`` levels.

    Levels: splits in :func:`split_order`, runs in order of appearance, a
    config column as :func:`vizkit._core.semantics.levels_and_codes` orders it (numbers
    sorted), with an ``"n/a"`` level last for runs that lack the column.
    """
    import pandas as pd

    from vizkit._core.semantics import MAX_HUE_LEVELS, levels_and_codes

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
        by_levels, codes = levels_and_codes("by", frame[by].reset_index(drop=True), limit=MAX_HUE_LEVELS)
        by_codes = take(codes)
        lo = np.minimum.reduceat(by_codes, starts) if len(starts) else by_codes
        hi = np.maximum.reduceat(by_codes, starts) if len(starts) else by_codes
        if np.any(lo != hi):
            bad = int(np.flatnonzero(lo != hi)[0])
            run = run_names[int(key[starts[bad]] // len(split_names))]
            raise bad_value("by", "a column with one value per run (a config column such as 'lr')", by,
                            got=f"{by!r}, which changes within run {run!r}")
        if np.any(lo < 0):
            by_levels = list(by_levels) + ["n/a"]
            lo = np.where(lo < 0, len(by_levels) - 1, lo)
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


def mark_nonfinite(ax, marks, count, *, color, who: str, index: int, label: bool = True):
    """Mark non-finite values at the Axes edge: a small triangle at each stretch, one label per series.

    NaN and inf sit at the top edge, -inf at the bottom; the label reads
    "NaN at step 4,000" (with ``who`` in front when several series are drawn,
    and "+k more" when there are more) and stacks under earlier labels
    (``index``). Returns the label's text (None with ``label=False``: marks only).
    """
    if not marks:
        return None
    from matplotlib.transforms import offset_copy

    xs = np.array([m[0] for m in marks], dtype=float)
    top = np.array([m[2] != "-inf" for m in marks])
    transform = ax.get_xaxis_transform()
    for where, marker, y, shift in ((top, "v", 1.0, -4), (~top, "^", 0.0, 4)):
        if where.any():  # just inside the edge: the apex touches it
            ax.plot(xs[where], np.full(int(where.sum()), y), linestyle="None", marker=marker, markersize=6,
                    color=color, markeredgecolor=ax.get_facecolor(), markeredgewidth=0.6, clip_on=False,
                    transform=offset_copy(transform, ax.figure, y=shift, units="points"), zorder=4,
                    gid="vizkit-nonfinite", label="_nonfinite")
    if not label:
        return None
    x0, step0, kind0 = marks[0]
    text = f"{who}{kind0} at step {_step_text(step0)}"
    if count > 1:
        text += f" (+{count - 1:,} more NaN/inf)"
    lo, hi = ax.get_xlim()
    right = hi > lo and (x0 - lo) / (hi - lo) > 0.6
    y0 = 1.0 if top[0] else 0.0
    offset = (-16 - 12 * index) if top[0] else (16 + 12 * index)

    ax.annotate(text, (x0, y0), xycoords=transform, xytext=(-4 if right else 4, offset), textcoords="offset points",
                ha="right" if right else "left", va="center", fontsize="x-small", color=muted_ink(ax), zorder=4,
                bbox=label_box(ax), gid="vizkit-nonfinite-label")
    return text


def label_box(ax) -> dict:
    """A box of the Axes face behind a small label, so it stays readable over lines."""
    return {"boxstyle": "round,pad=0.15", "facecolor": ax.get_facecolor(), "edgecolor": "none", "alpha": 0.85}


def note_decimation(ax, logged: int, drawn: int):
    """Write "N logged / k drawn" small and muted just above the Axes' top right corner."""

    return ax.annotate(f"{logged:,} logged / {drawn:,} drawn", (1, 1), xycoords="axes fraction", xytext=(0, 3),
                       textcoords="offset points", ha="right", va="bottom", fontsize="x-small",
                       color=muted_ink(ax), gid="vizkit-decimation-note")
