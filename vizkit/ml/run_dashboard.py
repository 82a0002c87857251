"""A dashboard of a run: one panel per metric, splits overlaid, one legend; what the live plot shows.

:func:`dashboard` draws every metric of a runs frame with :func:`curves`
(train, val, ... overlaid, same colours in every panel; several runs coloured
by a config column with ``by=``) on a Matplotlib Figure it is given, or a new
one. A metric that never changes (a constant learning rate, momentum 0 for
plain SGD) is one line of text under the panels, not a panel. A callback
redraws into the same Figure (cleared first), so a long run opens no windows
and leaks no figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from vizkit._core import bad_type, bad_value, check_choice
from vizkit._core.labels import axis_label, plain
from vizkit.colors import hue_colors
from vizkit.ml import _runs
from vizkit.ml.learning_curves import MAX_POINTS, CurveOptions, draw_curves
from vizkit.themes import muted_ink

__all__ = ["CONSTANTS_GID", "PANEL_SIZE", "dashboard", "figure_size", "fit_figure", "grid_shape"]

#: Size of one panel of a new figure, in inches.
PANEL_SIZE = (4.4, 3.0)
#: Height of one line of the constants under the panels, in inches.
_NOTE_HEIGHT = 0.22
#: The gid of the figure legend that lists the constant metrics.
CONSTANTS_GID = "vizkit-constants"
#: A constant's text names at most this many runs (or levels) per value.
_MAX_NAMES = 4
#: At most this many legend entries in a row above the panels.
_LEGEND_COLUMNS = 6


def dashboard(runs, *, metrics=None, x="step", by="split", smooth=None, figure=None):
    """Draw one panel per metric of a run (or runs), train and validation overlaid, with one legend.

    Parameters
    ----------
    runs : DataFrame
        A runs frame (:func:`vizkit.read_runs`, :func:`vizkit.follow_run`'s
        records gathered so far). Several runs are overlaid, each line in its
        split's colour (or its ``by`` level's). An empty frame gives a single
        panel that says no records were logged yet (a live plot before the
        first flush).
    metrics : str or list of str, optional
        The metrics to show, one panel each; default all of them in the order
        they were first logged (those first logged at the same step: losses
        first, then by name).
    x : {"step", "epoch", "time"}, default "step"
        As in :func:`curves`.
    by : str, default "split"
        What the colours tell apart, as in :func:`curves`: ``"split"``,
        ``"run"``, or a config column (one value per run, e.g.
        ``"optimizer"``): one colour per level in every panel, the splits
        then told apart by line style (train solid, val dashed).
    smooth : float, optional
        As in :func:`curves`: a half-life in steps (>= 1) or TensorBoard's
        smoothing weight (in [0, 1), converted: 0.9 is 6.58 steps) of the
        debiased EMA drawn over each series. Schedules (``lr``, ``momentum``,
        ...) and series shorter than the average's window are drawn raw; a
        smoothed line's last logged value is marked.
    figure : matplotlib.figure.Figure, optional
        The figure to draw on: it is cleared first, and given constrained
        layout when it has no layout engine. Default a new pyplot figure of
        4.4 x 3 inches per panel.

    Returns
    -------
    matplotlib.figure.Figure
        Panels in rows of up to 3 (2 for 2 or 4 metrics), each titled with its
        metric; every split (``by`` level) has the same colour in every panel,
        and one legend above the panels names them. A metric with at least
        two records whose every series (run and split) holds one finite value
        throughout gets no panel: a legend under the panels (gid
        :data:`CONSTANTS_GID`) says ``"momentum = 0 (constant)"``, or
        ``"lr = 0.05 (momentum, sgd), 0.001 (adam) (constant)"`` when runs
        differ. ``vizkit.plotted_data(panel)`` holds what each panel drew.

    Raises
    ------
    vizkit.errors.VizkitValueError
        A metric not in ``runs`` (the message lists them), a bad ``x``,
        ``by`` or ``smooth``, a record with no run, split or metric (None/NA).
    vizkit.errors.VizkitTypeError
        ``figure`` is not a Matplotlib Figure.
    vizkit.errors.ColumnNotFoundError
        ``by`` names a column that is not in ``runs`` (the message lists them).

    See Also
    --------
    curves : one metric, with runs grouped by a config column and bands.

    Notes
    -----
    Each drawn series keeps at most 2 000 points (the min and max of each x
    bin, after smoothing, as :func:`curves` does), so the cost of a redraw
    hardly grows with the run: for a run of a million records, about 0.1 s
    to build the panels (most of it reading the frame's text columns once)
    and as long again for Matplotlib to render them.

    Examples
    --------
    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> import vizkit as vk
    >>> runs = pd.DataFrame({"run": "mlp", "step": [0, 1, 2, 2, 0, 1, 2, 2],
    ...                      "split": ["train", "train", "train", "val"] * 2,
    ...                      "metric": ["loss"] * 4 + ["acc"] * 4,
    ...                      "value": [2.3, 1.2, 0.8, 0.9, 0.2, 0.6, 0.75, 0.7]})
    >>> fig = vk.ml.dashboard(runs, figure=Figure())
    >>> [ax.get_title() for ax in fig.axes], [t.get_text() for t in fig.legends[0].get_texts()]
    (['loss', 'acc'], ['train', 'val'])
    """
    runs = _runs.check_runs(runs)
    x = check_choice("x", x, _runs.X_CHOICES)
    by = _runs.check_by(runs, by)
    smooth = _runs.check_smooth(smooth)
    _check_figure(figure)
    plan = _plan(runs, metrics, x, by)
    figure = _prepare(figure, *((len(plan.metrics), len(plan.constants)) if plan is not None else (1, 0)))
    if plan is None:
        _waiting(figure)
    else:
        _draw_panels(figure, plan, x=x, smooth=smooth)
        _note_constants(figure, plan.constants)
    return figure


def grid_shape(n_panels: int) -> tuple[int, int]:
    """``(rows, columns)`` of a dashboard of ``n_panels`` panels: rows of 3, of 2 for 2 or 4 panels.

    >>> from vizkit.ml.run_dashboard import grid_shape
    >>> grid_shape(1), grid_shape(4), grid_shape(5)
    ((1, 1), (2, 2), (2, 3))
    """
    cols = 1 if n_panels == 1 else 2 if n_panels in (2, 4) else 3
    return math.ceil(n_panels / cols), cols


def figure_size(n_panels: int, n_constants: int = 0) -> tuple[float, float]:
    """The size in inches of a new dashboard figure of ``n_panels`` panels (:data:`PANEL_SIZE` each, a legend row).

    Each constant metric adds a line of text under the panels.

    >>> from vizkit.ml.run_dashboard import figure_size
    >>> [round(inches, 2) for inches in figure_size(3)], [round(inches, 2) for inches in figure_size(2, 2)]
    ([13.2, 3.4], [8.8, 3.84])
    """
    rows, cols = grid_shape(max(n_panels, 1))
    return PANEL_SIZE[0] * cols, PANEL_SIZE[1] * rows + 0.4 + _NOTE_HEIGHT * n_constants


def fit_figure(figure) -> None:
    """Size a figure :func:`dashboard` drew on as a new one would be: by its panels and constant metrics.

    For a figure redrawn as a run grows (the live plot), where metrics
    appear, or stop being constant, as it goes.

    >>> import pandas as pd
    >>> from matplotlib.figure import Figure
    >>> runs = pd.DataFrame({"run": "r", "step": [0, 1, 0, 1], "split": "train",
    ...                      "metric": ["loss", "loss", "lr", "lr"], "value": [2.0, 1.0, 0.1, 0.1]})
    >>> fig = dashboard(runs, figure=Figure())
    >>> fit_figure(fig)
    >>> fig.get_size_inches().round(2).tolist()
    [4.4, 3.62]
    """
    constants = [legend for legend in figure.legends if legend.get_gid() == CONSTANTS_GID]
    size = figure_size(len(figure.axes), sum(len(legend.get_texts()) for legend in constants))
    if tuple(figure.get_size_inches()) != size:
        figure.set_size_inches(size)


# ---------------------------------------------------------------- compute
@dataclass
class _Plan:
    """What a dashboard draws, computed before any drawing: panels, their rows, colours, epoch anchors."""

    runs: object  # the light frame (:func:`_light`)
    metrics: list  # one panel each, in order
    rows_of: dict  # metric -> positions of its rows in ``runs``
    splits: list  # in display order; the same line style in every panel
    by: str  # what the colours tell apart
    colors: dict  # by level -> colour
    anchors: dict | None  # for ``x="epoch"``
    constants: list  # one line of text per constant metric


def _plan(runs, metrics, x, by):
    """The :class:`_Plan` of a dashboard of ``runs``, or None for an empty frame (``metrics`` checked)."""
    if runs.empty:
        return None
    runs = _light(runs, by)
    metrics = _check_metrics(metrics, _runs.metrics_in_order(runs))
    splits = _runs.split_order(_unique(runs["split"]))
    rows_of = runs.groupby("metric", sort=False, observed=True).indices
    constants = {m: text for m in metrics if (text := _constant_text(runs.iloc[rows_of[m]], m, by)) is not None}
    return _Plan(runs=runs, metrics=[m for m in metrics if m not in constants], rows_of=rows_of, splits=splits,
                 by=by, colors=hue_colors(_levels(runs, by, splits)),
                 anchors=_runs.epoch_anchors(runs) if x == "epoch" else None, constants=list(constants.values()))


def _levels(runs, by, splits) -> list:
    """The ``by`` levels of the whole frame, in :func:`vizkit.curves`' order, so a level keeps its colour."""
    if by == "split":
        return splits
    if by == "run":
        return _unique(runs["run"])
    return _runs.config_levels(runs[by])[0]


def _constant_text(part, metric, by) -> str | None:
    """``"lr = 0.1 (constant)"`` when every series of ``metric`` (``part``: its rows) holds one finite value.

    None when the metric changes within a series, holds NaN/inf, or has fewer than two records.
    Runs that hold different values are named (by their ``by`` level when
    ``by`` is a config column): ``"lr = 0.05 (sgd), 0.001 (adam) (constant)"``.
    """
    values = part["value"].to_numpy(dtype=float)
    if len(values) < 2 or not np.isfinite(values).all():
        return None
    if values.min() == values.max():
        return f"{metric} = {values[0]:g} (constant)"
    table = part.assign(value=values).groupby(["run", "split"], observed=True, sort=False)["value"].agg(["min", "max"])
    if (table["min"] != table["max"]).any():
        return None
    level_of = None if by in ("split", "run") else part.groupby("run", observed=True, sort=False)[by].first()
    holders = {}  # value -> who holds it
    for (run, split), value in table["min"].items():
        holders.setdefault(value, []).append((str(run if level_of is None else level_of[run]), f"{run} · {split}"))
    values_of = {}
    for value, pairs in holders.items():
        for short, _ in pairs:
            values_of.setdefault(short, set()).add(value)
    precise = any(len(v) > 1 for v in values_of.values())  # a run (or level) holds two values: name its splits
    parts = []
    for value, pairs in holders.items():
        who = list(dict.fromkeys(full if precise else short for short, full in pairs))
        shown = ", ".join(who[:_MAX_NAMES]) + (f", +{len(who) - _MAX_NAMES} more" if len(who) > _MAX_NAMES else "")
        parts.append(f"{value:g} ({shown})")
    return f"{metric} = {', '.join(parts)} (constant)"


# ---------------------------------------------------------------- draw
def _draw_panels(figure, plan, *, x, smooth):
    """One panel per metric with :func:`draw_curves`, then one legend over them all."""
    if not plan.metrics:
        return
    n_rows, n_cols = grid_shape(len(plan.metrics))
    shared = None
    handles = {}
    for i, metric in enumerate(plan.metrics):
        ax = figure.add_subplot(n_rows, n_cols, i + 1, sharex=shared)
        shared = shared or ax
        part = plan.runs.iloc[plan.rows_of[metric]]
        _, panel_handles = draw_curves(part, CurveOptions(metric=metric, x=x, by=plan.by, smooth=smooth,
                                                          max_points=MAX_POINTS, palette=plan.colors, legend=False,
                                                          anchors=plan.anchors, splits=plan.splits), ax=ax)
        ax.set_title(plain(metric))
        ax.set_ylabel("")
        if i + n_cols < len(plan.metrics):  # a panel below names the x axis
            ax.set_xlabel("")
        for handle in panel_handles:
            label = handle.get_label()
            if label not in handles or handle.get_marker() in ("None", None, ""):
                handles[label] = handle  # a split drawn dense anywhere gets a plain line
    names = [*map(str, plan.colors), *(map(str, plan.splits) if plan.by != "split" else ())]
    ordered = [handles[name] for name in dict.fromkeys(names) if name in handles]
    figure.legend(handles=ordered, loc="outside upper right" if _lays_out(figure) else "upper right",
                  ncols=max(1, min(len(ordered), _LEGEND_COLUMNS)), frameon=False,
                  title=None if plan.by == "split" else axis_label(plan.by))


def _note_constants(figure, constants):
    """The constant metrics, one line each, under the panels (a legend of text only, so the layout makes room)."""
    if not constants:
        return
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], linestyle="None", marker="None", label=text) for text in constants]
    legend = figure.legend(handles=handles, loc="outside lower left" if _lays_out(figure) else "lower left",
                           frameon=False, handlelength=0, handletextpad=0, fontsize="small",
                           labelcolor=muted_ink(figure.axes[0]) if figure.axes else None)
    legend.set_gid(CONSTANTS_GID)


def _lays_out(figure) -> bool:
    engine = figure.get_layout_engine()
    return engine is not None and type(engine).__name__ == "ConstrainedLayoutEngine"


def _light(runs, by):
    """The columns a dashboard reads (and the ``by`` column), with run, split and metric as categoricals.

    One factorisation of each string column up front; every later grouping,
    selection and split of the panels then works on small integer codes.
    """
    import pandas as pd

    columns = {name: runs[name] for name in (*_runs.RESERVED, by) if name in runs.columns}
    for name in ("run", "split", "metric"):
        if not isinstance(columns[name].dtype, pd.CategoricalDtype):
            codes, uniques = pd.factorize(columns[name], use_na_sentinel=False)
            columns[name] = pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype=object))
    return pd.DataFrame(columns)


def _unique(values):
    import pandas as pd

    return list(pd.unique(values))


def _check_metrics(metrics, available):
    if metrics is None:
        return available
    if isinstance(metrics, str):
        metrics = [metrics]
    if not isinstance(metrics, (list, tuple)) or not all(isinstance(m, str) for m in metrics):
        raise bad_type("metrics", "a metric name or a list of metric names", metrics)
    if not metrics:
        raise bad_value("metrics", "a non-empty list of metric names (or None for all)", metrics)
    for metric in metrics:
        if metric not in available:
            check_choice("metrics", metric, available)  # raises, listing the metrics
    return list(dict.fromkeys(metrics))


def _check_figure(figure):
    from matplotlib.figure import Figure

    if figure is not None and not isinstance(figure, Figure):
        raise bad_type("figure", "a matplotlib.figure.Figure (or None for a new one)", figure)


def _prepare(figure, n_panels, n_constants):
    """The figure to draw on: a new one sized for its panels and constants, or ``figure`` cleared, constrained."""
    if figure is None:
        import matplotlib.pyplot as plt

        return plt.figure(figsize=figure_size(n_panels, n_constants), layout="constrained")
    figure.clear()
    if figure.get_layout_engine() is None:
        figure.set_layout_engine("constrained")
    return figure


def _waiting(figure):

    ax = figure.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, "no records logged yet", ha="center", va="center", transform=ax.transAxes,
            color=muted_ink(ax))
