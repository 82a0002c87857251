"""The final generalisation gap and the best validation score of groups of runs, seeds as dots with a CI.

:class:`GapSummaryDisplay` reads, for every run, one metric's training and
validation values per epoch: the gap at the last validated epoch (how much
worse validation is than training there) and the best validation value over
all epochs; it averages them per group (a config column such as ``method``)
with a t interval across the group's runs (:meth:`GapSummaryDisplay.from_runs`,
no drawing), and draws them side by side (:meth:`GapSummaryDisplay.plot`): the
gap as bars, the best validation score as points, every run as a dot.
:func:`gap_summary` does both in one call.
"""

from __future__ import annotations

import numpy as np

from vizkit._core import check_number
from vizkit._core.display import Display
from vizkit._core.errors import bad_type, bad_value
from vizkit._core.labels import axis_label, plain
from vizkit.themes import ink, muted_ink
from vizkit.ml import _runs

__all__ = ["GapSummaryDisplay", "gap_summary"]

#: Size of a dot (one run) and the marker of a group's best-validation mean.
DOT_SIZE = 22
MEAN_SIZE = 7


def gap_summary(runs, *, by, metric="loss", mode=None, train="train", val=None, order=None, level=95,
                axes=None):
    """Draw the final gap and the best validation score per group of runs: seeds as dots, a mean and its CI.

    Parameters
    ----------
    runs : DataFrame
        A runs frame (:func:`vizkit.read_runs`) with a training and a
        validation split of ``metric`` logged per epoch.
    by : str
        The config column whose levels are the groups (``"method"``), or
        ``"run"`` for one group per run.
    metric : str, default "loss"
        The metric compared. For methods that change the training targets
        (label smoothing, mixup) the training loss is not the loss of the
        hard labels; an accuracy compares them on the same footing.
    mode : {"min", "max"}, optional
        Whether lower or higher is better; default read from the name (as
        :func:`gap` reads it).
    train : str, default "train"
        The training split.
    val : str, optional
        The validation split; default the first of "val", "valid",
        "validation", "eval", "dev", "test" that ``metric`` has.
    order : list, optional
        The groups, top to bottom; default the order of the ``by`` levels
        (a Categorical's categories, numbers sorted, else as they come).
    level : float, default 95
        The confidence level of the interval of each group's mean: a
        Student t interval over its runs (mean ± t * sd / sqrt(n)), the
        interval for few seeds (a bootstrap of three values cannot reach
        past them). A group of one run gets no interval.
    axes : pair of matplotlib.axes.Axes, optional
        Where to draw the gap and the best validation score; default a new
        figure with two panels side by side, groups on a shared y axis.

    Returns
    -------
    numpy.ndarray of matplotlib.axes.Axes
        The two panels. ``vizkit.plotted_data(ax)`` of each holds one row per
        group: ``by``, ``n`` (runs), ``gap``, ``gap_low``, ``gap_high``,
        ``best``, ``best_low``, ``best_high``; ``.attrs["runs"]`` one row per
        run: ``run``, ``by``, ``epoch`` (the last validated), ``train``,
        ``val``, ``gap``, ``best`` and ``best_epoch``.

    Raises
    ------
    vizkit.errors.VizkitValueError
        ``metric`` or a split is not in ``runs`` (the message lists what is),
        a run without epochs, ``order`` that does not list the groups,
        ``level`` outside (0, 100).
    vizkit.errors.ColumnNotFoundError
        ``by`` names a column that is not in ``runs``.

    See Also
    --------
    gap : one group's training and validation curves, with the best epoch.
    GapSummaryDisplay : the same chart as a Display, its numbers as attributes.

    Notes
    -----
    The gap is ``val - train`` for a metric where lower is better and
    ``train - val`` where higher is better, at each run's last epoch with a
    validation value (for a run stopped early, the epoch it stopped at); the
    training value there is the mean of that epoch's training records.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> import vizkit as vk
    >>> rows = [{"run": f"{m}-{s}", "method": m, "step": e, "epoch": e, "split": split, "metric": "acc",
    ...          "value": v + 0.01 * s}
    ...         for m, (t, w) in {"none": (1.0, 0.90), "dropout": (0.95, 0.92)}.items() for s in range(3)
    ...         for e in range(2) for split, v in (("train", t - 0.1 * (1 - e)), ("val", w - 0.05 * (1 - e)))]
    >>> axes = vk.gap_summary(pd.DataFrame(rows), by="method", metric="acc")
    >>> vk.plotted_data(axes[0])[["method", "n", "gap", "best"]].round(3).values.tolist()
    [['none', 3, 0.1, 0.91], ['dropout', 3, 0.03, 0.93]]
    >>> plt.close(axes[0].figure)
    """
    display = GapSummaryDisplay.from_runs(runs, by=by, metric=metric, mode=mode, train=train, val=val,
                                          order=order, level=level)
    return display.plot(axes=axes).axes_


class GapSummaryDisplay(Display):
    """The final gap and the best validation score per group of runs (see :func:`gap_summary`).

    Parameters
    ----------
    table : DataFrame
        One row per group, as in :func:`gap_summary`'s Returns.
    per_run : DataFrame
        One row per run, as in :func:`gap_summary`'s Returns (``.attrs["runs"]``).
    by, metric, mode, train, val : str
        The grouping column, the metric, its direction and the two splits.
    level : float
        The confidence level of the intervals.

    Attributes
    ----------
    gap_ : dict
        Group -> mean final gap across its runs.
    best_ : dict
        Group -> mean best validation value.
    smallest_gap_ : object
        The group with the smallest mean gap.
    best_group_ : object
        The group with the best mean validation value.
    axes_, ax_, figure_, artists_
        Set by :meth:`plot`: the two panels (``ax_`` is the first), their
        figure and the drawn artists (``"gap_bars"``, ``"best_points"``,
        ``"dots"``, ``"intervals"``).

    Examples
    --------
    >>> import pandas as pd
    >>> from vizkit.ml import GapSummaryDisplay
    >>> runs = pd.DataFrame({"run": ["a"] * 4 + ["b"] * 4, "method": ["none"] * 4 + ["wd"] * 4,
    ...                      "step": [0, 1] * 4, "epoch": [0, 1] * 4, "split": (["train"] * 2 + ["val"] * 2) * 2,
    ...                      "metric": "loss", "value": [0.5, 0.1, 0.6, 0.7, 0.5, 0.3, 0.6, 0.5]})
    >>> display = GapSummaryDisplay.from_runs(runs, by="method")
    >>> display.gap_, display.smallest_gap_, display.best_group_
    ({'none': 0.6, 'wd': 0.2}, 'wd', 'wd')
    """

    _chart = "gap_summary"
    axes_ = None

    def __init__(self, table, per_run, *, by, metric="loss", mode="min", train="train", val="val", level=95):
        self.table, self.per_run = table, per_run
        self.by, self.metric, self.mode, self.train, self.val, self.level = by, metric, mode, train, val, level
        groups = table[by].tolist()
        self.gap_ = dict(zip(groups, table["gap"].astype(float).round(12)))
        self.best_ = dict(zip(groups, table["best"].astype(float).round(12)))
        self.smallest_gap_ = groups[int(np.nanargmin(table["gap"].to_numpy(dtype=float)))]
        best = table["best"].to_numpy(dtype=float)
        self.best_group_ = groups[int(np.nanargmin(best) if mode == "min" else np.nanargmax(best))]

    @classmethod
    def from_runs(cls, runs, *, by, metric="loss", mode=None, train="train", val=None, order=None, level=95):
        """Compute the per-run and per-group table of ``runs``; draw nothing (arguments as :func:`gap_summary`)."""
        from vizkit.ml.generalization_gap import _check_splits

        runs = _runs.check_runs(runs)
        by = _runs.check_group(runs, by)
        frame = _runs.select_metric(runs, metric)
        mode = _runs.metric_direction(metric, mode)
        level = check_number("level", level, low=0, high=100, low_open=True, high_open=True)
        val = _check_splits(frame, metric, train, val)
        per_run = _per_run(frame, by, train, val, mode)
        per_run = _ordered(per_run, by, order, runs)
        table = _per_group(per_run, by, level)
        per_run = per_run.reset_index(drop=True)
        return cls(table, per_run, by=by, metric=metric, mode=mode, train=train, val=val, level=level)

    def plot(self, axes=None):
        """Draw the gap (left) and the best validation value (right) on ``axes``; return ``self``.

        Parameters
        ----------
        axes : pair of matplotlib.axes.Axes, optional
            Default a new figure with two panels sharing the group axis.
        """
        from vizkit._core.axes import attach_data

        axes = _two_axes(axes, len(self.table))
        artists = self._draw(axes)
        for ax in axes:
            attach_data(ax, self._plotted_data(), chart=self._chart)
        self.axes_, self.ax_, self.figure_, self.artists_ = axes, axes[0], axes[0].figure, artists
        return self

    def _draw(self, axes) -> dict:
        from vizkit.colors import hue_colors

        groups = self.table[self.by].tolist()
        y = np.arange(len(groups))[::-1].astype(float)                 # the first group at the top
        color = hue_colors(["runs"])["runs"]
        position = dict(zip(groups, y))
        dot_y = self.per_run[self.by].map(position).to_numpy(dtype=float)
        spread = _jitter(self.per_run, self.by)
        ax_gap, ax_best = axes
        bars = ax_gap.barh(y, self.table["gap"], height=0.6, color=color, alpha=0.45, zorder=1)
        intervals = [_interval(ax_gap, y, self.table, "gap"), _interval(ax_best, y, self.table, "best")]
        dots = [ax.scatter(self.per_run[column], dot_y + spread, s=DOT_SIZE, color=color, edgecolor=ink(ax),
                           linewidth=0.5, zorder=3) for ax, column in ((ax_gap, "gap"), (ax_best, "best"))]
        points = ax_best.plot(self.table["best"], y, linestyle="none", marker="D", markersize=MEAN_SIZE,
                              color=ink(ax_best), zorder=4)[0]
        ax_gap.axvline(0, color=muted_ink(ax_gap), linewidth=0.8, zorder=0)
        for ax in axes:
            ax.set_yticks(y, [plain(str(g)) for g in groups])
            ax.set_ylim(y.min() - 0.6, y.max() + 0.6)
            ax.grid(axis="x", alpha=0.3)
        ax_best.tick_params(axis="y", labelleft=False)
        metric = plain(str(self.metric))
        first, second = (self.val, self.train) if self.mode == "min" else (self.train, self.val)
        ax_gap.set_xlabel(f"{plain(first)} {metric} − {plain(second)} {metric}, last epoch")
        ax_best.set_xlabel(f"{'lowest' if self.mode == 'min' else 'highest'} {plain(self.val)} {metric} of the run")
        ax_gap.set_title("Final generalisation gap", loc="left", fontsize="medium")
        ax_best.set_title(f"Best {plain(self.val)} {metric}", loc="left", fontsize="medium")
        ax_gap.set_ylabel(axis_label(self.by))
        legend = _legend(ax_best, color, self.level)
        return {"gap_bars": bars, "best_points": points, "dots": dots, "intervals": intervals, "legend": legend}

    def _plotted_data(self):
        table = self.table.copy()
        table.attrs["runs"] = self.per_run
        return table


# ---------------------------------------------------------------- compute
def _per_run(frame, by, train, val, mode):
    """One row per run: the last validated epoch, train and val there, the gap, the best val and its epoch."""
    import pandas as pd

    if "epoch" not in frame.columns or frame["epoch"].isna().any():
        raise bad_value("runs", "runs logged per epoch (an 'epoch' on every record of the metric)", "runs",
                        got="records without an epoch")
    sign = 1.0 if mode == "min" else -1.0
    keys = ["run"] if by == "run" else ["run", by]
    means = (frame[frame["split"].isin([train, val])]
             .groupby([*keys, "split", "epoch"], sort=False, observed=True)["value"].mean().unstack("split"))
    rows = []
    for key, epochs in means.groupby(level=list(range(len(keys))), sort=False):
        epochs = epochs.droplevel(list(range(len(keys))))
        validated = epochs[val].dropna() if val in epochs else epochs.iloc[:0, 0]
        if validated.empty or train not in epochs:
            continue
        last = validated.index.max()
        best_epoch = validated.idxmin() if mode == "min" else validated.idxmax()
        key = key if isinstance(key, tuple) else (key,)
        row = dict(zip(keys, key))
        row.update(epoch=int(last), train=float(epochs.loc[last, train]), val=float(validated[last]),
                   best=float(validated[best_epoch]), best_epoch=int(best_epoch))
        row["gap"] = sign * (row["val"] - row["train"])
        rows.append(row)
    if not rows:
        raise bad_value("runs", f"at least one run with both {train!r} and {val!r} values of the metric", "runs")
    return pd.DataFrame(rows)[list(dict.fromkeys([*keys, "epoch", "train", "val", "gap", "best", "best_epoch"]))]


def _ordered(per_run, by, order, runs):
    """The rows sorted by group: ``order`` (checked), else the ``by`` levels' order."""
    import pandas as pd

    present = list(pd.unique(per_run[by]))
    if order is None:
        levels, _ = _runs.config_levels(runs.drop_duplicates("run")[by]) if by != "run" else (present, None)
        order = [level for level in levels if level in present]
    else:
        if isinstance(order, str) or not hasattr(order, "__iter__"):
            raise bad_type("order", f"a list of the {by!r} groups", order)
        order = list(order)
        missing = [g for g in present if g not in order]
        if missing or len(set(order)) != len(order) or any(g not in present for g in order):
            raise bad_value("order", f"each group of {by!r} once ({', '.join(map(repr, present))})", order)
    rank = {group: i for i, group in enumerate(order)}
    return per_run.assign(_rank=per_run[by].map(rank)).sort_values(["_rank", "run"], kind="stable").drop(
        columns="_rank")


def _per_group(per_run, by, level):
    """Mean and t interval of the gap and the best value per group, in the rows' order."""
    import pandas as pd
    from scipy import stats

    rows = []
    for group, part in per_run.groupby(by, sort=False):
        row = {by: group, "n": len(part)}
        for column in ("gap", "best"):
            values = part[column].to_numpy(dtype=float)
            mean = float(values.mean())
            low = high = np.nan
            if len(values) > 1:
                half = stats.t.ppf(0.5 + level / 200, len(values) - 1) * stats.sem(values)
                low, high = mean - half, mean + half
            row.update({column: mean, f"{column}_low": float(low), f"{column}_high": float(high)})
        rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- draw
def _two_axes(axes, n_groups):
    """``axes`` checked as a pair, or a new figure of two panels sharing y, tall enough for the groups."""
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(1, 2, sharey=True, figsize=(9.0, 1.2 + 0.42 * n_groups), layout="constrained")
        return np.asarray(axes)
    from matplotlib.axes import Axes

    axes = list(axes) if not isinstance(axes, Axes) and hasattr(axes, "__iter__") else [axes]
    if len(axes) != 2 or not all(isinstance(ax, Axes) for ax in axes):
        raise bad_type("axes", "a pair of Matplotlib Axes (gap, best validation value)", axes)
    return np.asarray(axes, dtype=object)


def _jitter(per_run, by):
    """Small vertical offsets that spread a group's dots: -0.15 .. 0.15 in run order."""
    offsets = np.zeros(len(per_run))
    for _, index in per_run.groupby(by, sort=False).indices.items():
        if len(index) > 1:
            offsets[index] = np.linspace(-0.15, 0.15, len(index))
    return offsets


def _legend(ax, color, level):
    """What the marks are: a run, the mean (bar or diamond), the interval; where it covers the fewest marks."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], linestyle="none", marker="o", markersize=5, color=color, markeredgecolor=ink(ax),
                      markeredgewidth=0.5, label="one run"),
               Line2D([], [], linestyle="none", marker="D", markersize=MEAN_SIZE - 1, color=ink(ax),
                      label="mean (bar on the left)"),
               Line2D([], [], color=ink(ax), linewidth=1.6, label=f"{level:g}% CI of the mean")]
    return ax.legend(handles=handles, loc="best", frameon=True, facecolor=ax.get_facecolor(), edgecolor="none",
                     framealpha=0.85, fontsize="small")


def _interval(ax, y, table, column):
    """The CI of each group's mean as a horizontal line (none for a group of one run)."""
    low, high = table[f"{column}_low"].to_numpy(dtype=float), table[f"{column}_high"].to_numpy(dtype=float)
    keep = np.isfinite(low) & np.isfinite(high)
    return ax.hlines(y[keep], low[keep], high[keep], color=ink(ax), linewidth=1.6, zorder=2)
