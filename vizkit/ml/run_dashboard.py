"""A dashboard of a run: one panel per metric, splits overlaid, one legend; what the live plot shows.

:func:`dashboard` draws every metric of a runs frame with :func:`curves`
(train, val, ... overlaid, same colours in every panel) on a Matplotlib
Figure it is given, or a new one. A callback redraws into the same Figure
(cleared first), so a long run opens no windows and leaks no figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from vizkit._core import bad_type, bad_value, check_choice
from vizkit.colors import hue_colors
from vizkit.ml import _runs
from vizkit.ml.learning_curves import MAX_POINTS, CurveOptions, draw_curves
from vizkit.themes import muted_ink

__all__ = ["PANEL_SIZE", "dashboard", "figure_size", "grid_shape"]

#: Size of one panel of a new figure, in inches.
PANEL_SIZE = (4.4, 3.0)


def dashboard(runs, *, metrics=None, x="step", smooth=None, figure=None):
    """Draw one panel per metric of a run (or runs), train and validation overlaid, with one legend.

    Parameters
    ----------
    runs : DataFrame
        A runs frame (:func:`vizkit.read_runs`, :func:`vizkit.follow_run`'s
        records gathered so far). Several runs are overlaid, each line in its
        split's colour. An empty frame gives a single panel that says no
        records were logged yet (a live plot before the first flush).
    metrics : str or list of str, optional
        The metrics to show, one panel each; default all of them in the order
        they were first logged (those first logged at the same step: losses
        first, then by name).
    x : {"step", "epoch", "time"}, default "step"
        As in :func:`curves`.
    smooth : float, optional
        Half-life in steps of the debiased EMA drawn over each series, as in
        :func:`curves`.
    figure : matplotlib.figure.Figure, optional
        The figure to draw on: it is cleared first, and given constrained
        layout when it has no layout engine. Default a new pyplot figure of
        4.4 x 3 inches per panel.

    Returns
    -------
    matplotlib.figure.Figure
        Panels in rows of up to 3 (2 for 2 or 4 metrics), each titled with its
        metric; every split has the same colour in every panel, and one legend
        above the panels names them. ``vizkit.plotted_data(panel)`` holds what
        each panel drew.

    Raises
    ------
    vizkit.errors.VizkitValueError
        A metric not in ``runs`` (the message lists them), a bad ``x`` or ``smooth``.
    vizkit.errors.VizkitTypeError
        ``figure`` is not a Matplotlib Figure.

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
    smooth = _runs.check_smooth(smooth)
    _check_figure(figure)
    plan = _plan(runs, metrics, x)
    figure = _prepare(figure, len(plan.metrics) if plan is not None else 1)
    if plan is None:
        _waiting(figure)
    else:
        _draw_panels(figure, plan, x=x, smooth=smooth)
    return figure


def grid_shape(n_panels: int) -> tuple[int, int]:
    """``(rows, columns)`` of a dashboard of ``n_panels`` panels: rows of 3, of 2 for 2 or 4 panels.

    >>> from vizkit.ml.run_dashboard import grid_shape
    >>> grid_shape(1), grid_shape(4), grid_shape(5)
    ((1, 1), (2, 2), (2, 3))
    """
    cols = 1 if n_panels == 1 else 2 if n_panels in (2, 4) else 3
    return math.ceil(n_panels / cols), cols


def figure_size(n_panels: int) -> tuple[float, float]:
    """The size in inches of a new dashboard figure of ``n_panels`` panels (:data:`PANEL_SIZE` each, a legend row).

    >>> from vizkit.ml.run_dashboard import figure_size
    >>> [round(inches, 2) for inches in figure_size(3)]
    [13.2, 3.4]
    """
    rows, cols = grid_shape(n_panels)
    return PANEL_SIZE[0] * cols, PANEL_SIZE[1] * rows + 0.4


# ---------------------------------------------------------------- compute
@dataclass
class _Plan:
    """What a dashboard draws, computed before any drawing: panels, their rows, colours, epoch anchors."""

    runs: object  # the light frame (:func:`_light`)
    metrics: list  # one panel each, in order
    rows_of: dict  # metric -> positions of its rows in ``runs``
    splits: list  # in display order; the same colour in every panel
    colors: dict  # split -> colour
    anchors: dict | None  # for ``x="epoch"``


def _plan(runs, metrics, x):
    """The :class:`_Plan` of a dashboard of ``runs``, or None for an empty frame (``metrics`` checked)."""
    if runs.empty:
        return None
    runs = _light(runs)
    metrics = _check_metrics(metrics, _runs.metrics_in_order(runs))
    splits = _runs.split_order(_unique(runs["split"]))
    return _Plan(runs=runs, metrics=metrics, rows_of=runs.groupby("metric", sort=False, observed=True).indices,
                 splits=splits, colors=hue_colors(splits), anchors=_runs.epoch_anchors(runs) if x == "epoch" else None)


# ---------------------------------------------------------------- draw
def _draw_panels(figure, plan, *, x, smooth):
    """One panel per metric with :func:`draw_curves`, then one legend over them all."""
    n_rows, n_cols = grid_shape(len(plan.metrics))
    shared = None
    handles = {}
    for i, metric in enumerate(plan.metrics):
        ax = figure.add_subplot(n_rows, n_cols, i + 1, sharex=shared)
        shared = shared or ax
        part = plan.runs.iloc[plan.rows_of[metric]]
        _, panel_handles = draw_curves(part, CurveOptions(metric=metric, x=x, smooth=smooth, max_points=MAX_POINTS,
                                                          palette=plan.colors, legend=False, anchors=plan.anchors,
                                                          splits=plan.splits), ax=ax)
        ax.set_title(str(metric))
        ax.set_ylabel("")
        if i + n_cols < len(plan.metrics):  # a panel below names the x axis
            ax.set_xlabel("")
        for handle in panel_handles:
            label = handle.get_label()
            if label not in handles or handle.get_marker() in ("None", None, ""):
                handles[label] = handle  # a split drawn dense anywhere gets a plain line
    ordered = [handles[s] for s in map(str, plan.splits) if s in handles]
    engine = figure.get_layout_engine()
    outside = engine is not None and type(engine).__name__ == "ConstrainedLayoutEngine"
    figure.legend(handles=ordered, loc="outside upper right" if outside else "upper right",
                  ncols=max(1, len(ordered)), frameon=False)


def _light(runs):
    """The columns a dashboard reads, with run, split and metric as categoricals.

    One factorisation of each string column up front; every later grouping,
    selection and split of the panels then works on small integer codes.
    """
    import pandas as pd

    columns = {name: runs[name] for name in _runs.RESERVED if name in runs.columns}
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


def _prepare(figure, n_panels):
    """The figure to draw on: a new one sized for ``n_panels``, or ``figure`` cleared, with constrained layout."""
    if figure is None:
        import matplotlib.pyplot as plt

        return plt.figure(figsize=figure_size(n_panels), layout="constrained")
    figure.clear()
    if figure.get_layout_engine() is None:
        figure.set_layout_engine("constrained")
    return figure


def _waiting(figure):

    ax = figure.add_subplot()
    ax.set_axis_off()
    ax.text(0.5, 0.5, "no records logged yet", ha="center", va="center", transform=ax.transAxes,
            color=muted_ink(ax))
