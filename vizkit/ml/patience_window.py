"""Early stopping on the validation curve: the best epoch, the patience window after it and the stop epoch.

:class:`EarlyStoppingDisplay` reads one run's monitored series from its log
and applies the rule of :class:`vizkit.torch.EarlyStopping` to it (a value
improves on the best when it is lower than ``best - min_delta``, or higher
than ``best + min_delta``; training stops after ``patience`` epochs in a row
without improvement, or at once at a NaN or infinite value), with the
settings the callback recorded in the run's config when it trained the run
(``"early_stopping"``), so the drawn stop is the callback's own. On a run
trained without the callback (give ``patience``), it draws where the
callback would have stopped, and the epochs trained after that in grey.
:func:`early_stopping` computes and draws in one call.
"""

from __future__ import annotations

import math

import numpy as np

from vizkit._core import bad_value, check_number
from vizkit._core.display import Display
from vizkit._core.errors import bad_type
from vizkit._core.labels import axis_label, plain
from vizkit.themes import ink, muted_ink
from vizkit.ml import _runs
from vizkit.ml.learning_curves import integer_ticks

__all__ = ["EarlyStoppingDisplay", "early_stopping"]

#: Opacity of the shaded patience window.
WINDOW_ALPHA = 0.15


def early_stopping(runs, *, run=None, monitor=None, patience=None, mode=None, min_delta=None, palette=None,
                   ax=None):
    """Draw a monitored validation curve with the best epoch, the patience window and the stop epoch.

    Parameters
    ----------
    runs : DataFrame
        A runs frame (:func:`vizkit.read_runs`) logged per epoch.
    run : str, optional
        The run to draw; needed when ``runs`` holds several.
    monitor : str, optional
        The key :class:`~vizkit.torch.EarlyStopping` watched: ``"val_loss"``
        (split ``"val"``, metric ``"loss"``), ``"val_acc"``, or a metric name
        without a prefix for the epoch mean of the training split. Default:
        the recorded one, else ``"val_loss"``.
    patience : int, optional
        Epochs in a row without improvement that stop training. Default: the
        one the callback recorded in the run's config (``early_stopping``);
        a run without that record needs it.
    mode : {"min", "max"}, optional
        Which way is better; default the recorded one, else read from the name.
    min_delta : float, optional
        The smallest change that counts as an improvement; default the
        recorded one, else 0.
    palette : palette name, list or dict, optional
        The colour of the curve (its first colour).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.

    Returns
    -------
    matplotlib.axes.Axes
        ``vizkit.plotted_data(ax)`` holds one row per epoch: ``epoch``,
        ``value``, ``wait`` (epochs without improvement so far), ``best``
        (True at the best epoch when training stopped), ``window`` (True in
        the patience window: after the best epoch, up to the stop),
        ``stop`` (True at the stop epoch) and ``after`` (True for epochs
        logged after it).

    Raises
    ------
    vizkit.errors.VizkitValueError
        ``run`` not given for several runs or not in ``runs``, ``monitor`` not
        logged, a run without epochs, no ``patience`` given or recorded.

    See Also
    --------
    gap : training against validation, with the best epoch and overfitting marked.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> import vizkit as vk
    >>> val = [0.9, 0.7, 0.72, 0.71, 0.75]
    >>> runs = pd.DataFrame({"run": "mlp", "step": range(5), "epoch": range(5), "split": "val",
    ...                      "metric": "loss", "value": val})
    >>> fig, ax = plt.subplots()
    >>> ax = vk.early_stopping(runs, patience=2)
    >>> print(ax.get_title(loc="left"))           # epoch 4 was trained after the stop
    EarlyStopping would stop here:
    val_loss did not improve for 2 epochs (best 0.7 at epoch 1)
    >>> vk.plotted_data(ax)[["epoch", "best", "window", "stop", "after"]].values.tolist()[1:]
    [[1, True, False, False, False], [2, False, True, False, False], [3, False, True, True, False], [4, False, False, False, True]]
    >>> plt.close(fig)
    """
    display = EarlyStoppingDisplay.from_runs(runs, run=run, monitor=monitor, patience=patience, mode=mode,
                                             min_delta=min_delta)
    return display.plot(ax=ax, palette=palette).ax_


class EarlyStoppingDisplay(Display):
    """One run's monitored series with the early-stopping rule applied (see :func:`early_stopping`).

    Parameters
    ----------
    table : DataFrame
        One row per epoch, as in :func:`early_stopping`'s Returns.
    run, monitor : str
        The run and the monitored key.
    patience : int
    mode : {"min", "max"}
    min_delta : float
    recorded : dict or None
        What the callback recorded in the run's config (``early_stopping``), if it did.

    Attributes
    ----------
    best_epoch_, best_value_ : int, float
        The best epoch when training stopped (or at the end of the log) and its value.
    stop_epoch_ : int or None
        The epoch after which training stopped (or would have); None when
        the rule never stops within the log.
    reason_ : str or None
        The callback's message for that stop, in its words.
    stopped_by_callback_ : bool
        Whether the run was stopped by the callback there (its record says
        so), rather than trained on past it.
    ax_, figure_, artists_
        Set by :meth:`plot`; ``artists_`` holds ``"curve"``, ``"after"``,
        ``"best"``, ``"window"``, ``"stop"`` (None when absent) and ``"legend"``.

    Examples
    --------
    >>> import pandas as pd
    >>> from vizkit.ml import EarlyStoppingDisplay
    >>> runs = pd.DataFrame({"run": "a", "step": range(6), "epoch": range(6), "split": "val", "metric": "acc",
    ...                      "value": [0.5, 0.8, 0.79, 0.8, 0.81, 0.7]})
    >>> found = EarlyStoppingDisplay.from_runs(runs, monitor="val_acc", patience=3)
    >>> found.best_epoch_, found.stop_epoch_, found.reason_
    (4, None, None)
    """

    _chart = "early_stopping"

    def __init__(self, table, *, run, monitor, patience, mode, min_delta, recorded=None):
        self.table, self.run, self.monitor = table, run, monitor
        self.patience, self.mode, self.min_delta, self.recorded = patience, mode, min_delta, recorded
        best = table.index[table["best"]]
        self.best_epoch_ = int(table.loc[best[0], "epoch"]) if len(best) else None
        self.best_value_ = float(table.loc[best[0], "value"]) if len(best) else None
        stop = table.index[table["stop"]]
        self.stop_epoch_ = int(table.loc[stop[0], "epoch"]) if len(stop) else None
        self.reason_ = table.attrs.get("reason")
        self.stopped_by_callback_ = (self.stop_epoch_ is not None and recorded is not None
                                     and recorded.get("stopped_epoch") == self.stop_epoch_)

    @classmethod
    def from_runs(cls, runs, *, run=None, monitor=None, patience=None, mode=None, min_delta=None):
        """Apply the early-stopping rule to one run's log; draw nothing (arguments as :func:`early_stopping`)."""
        runs = _runs.check_runs(runs)
        run = _check_run(runs, run)
        one = runs[runs["run"] == run]
        recorded = _recorded(runs, one, run)
        monitor = monitor if monitor is not None else (recorded or {}).get("monitor", "val_loss")
        if not isinstance(monitor, str) or not monitor:
            raise bad_type("monitor", "a key of the epoch logs such as 'val_loss'", monitor)
        split, metric = ("val", monitor[4:]) if monitor.startswith("val_") else ("train", monitor)
        series = _epoch_series(one, split, metric, monitor)
        if patience is None:
            if recorded is None:
                raise bad_value("patience", "the EarlyStopping patience (the run has no record of one)", patience,
                                hint="A run trained with EarlyStopping records it in its config; pass patience= for "
                                     "another run.")
            patience = recorded["patience"]
        patience = check_number("patience", patience, integer=True, low=0)
        mode = _runs.metric_direction(metric, mode if mode is not None else (recorded or {}).get("mode"))
        min_delta = abs(check_number("min_delta", min_delta if min_delta is not None
                                     else (recorded or {}).get("min_delta", 0.0), low=0))
        table = _apply_rule(series, monitor, patience, mode, min_delta)
        return cls(table, run=run, monitor=monitor, patience=patience, mode=mode, min_delta=min_delta,
                   recorded=recorded)

    def plot(self, ax=None, *, palette=None):
        """Draw the curve and the marks on ``ax`` (default the current Axes); return ``self``."""
        return super().plot(ax, palette=palette)

    def _draw(self, ax, *, palette=None) -> dict:
        from vizkit.colors import hue_colors

        color = hue_colors([self.monitor], palette=palette)[self.monitor]
        table = self.table
        kept, after = table[~table["after"]], table[table["after"] | table["stop"]]
        artists = {"curve": ax.plot(kept["epoch"], kept["value"], color=color, marker="o", markersize=3.5,
                                    label=plain(self.monitor))[0], "after": None, "best": None, "window": None,
                   "stop": None}
        if table["after"].any():
            artists["after"] = ax.plot(after["epoch"], after["value"], color=muted_ink(ax), linestyle="--",
                                       marker="o", markersize=2.5, label="trained on after the stop")[0]
        if self.best_epoch_ is not None:
            artists["best"] = ax.plot([self.best_epoch_], [self.best_value_], linestyle="none", marker="o",
                                      markersize=10, markerfacecolor="none", markeredgecolor=ink(ax),
                                      markeredgewidth=1.5, label=f"best: epoch {self.best_epoch_} "
                                                                 f"({self.best_value_:.4g})")[0]
        if self.stop_epoch_ is not None:
            start = self.best_epoch_ if self.best_epoch_ is not None else table["epoch"].iloc[0]
            artists["window"] = ax.axvspan(start, self.stop_epoch_, color=color, alpha=WINDOW_ALPHA, linewidth=0,
                                           label=f"patience window ({self.patience} epochs)")
            artists["stop"] = ax.axvline(self.stop_epoch_, color=ink(ax), linestyle="--", linewidth=1.2,
                                         label=f"stop: epoch {self.stop_epoch_}")
        ax.set_xlabel("Epoch")
        integer_ticks(ax.xaxis)
        ax.set_ylabel(axis_label(self.monitor))
        if self.reason_ is None:
            title = f"{self.monitor} kept improving: no stop with patience {self.patience}"
        else:
            title = self.reason_ if not table["after"].any() else f"EarlyStopping would stop here:\n{self.reason_}"
        ax.set_title(plain(title), loc="left", fontsize="small")
        legend = ax.legend(frameon=True, facecolor=ax.get_facecolor(), edgecolor="none", framealpha=0.85)
        _place_legend(ax, legend, [a for a in (artists["curve"], artists["after"]) if a is not None])
        artists["legend"] = legend
        return artists

    def _plotted_data(self):
        return self.table


def _place_legend(ax, legend, lines):
    """Where the legend covers no point of the curves (the shaded window and the stop line may run under it)."""
    from vizkit._core.placement import Growth, Obstacles, place

    place(ax, legend, Obstacles(lines=lines), spots=("upper right", "center right", "upper center", "lower right",
                                                      "upper left", "lower left"), growth=Growth(factor=1.1))


# ---------------------------------------------------------------- compute
def _check_run(runs, run):
    import pandas as pd

    names = list(pd.unique(runs["run"]))
    if run is None:
        if len(names) > 1:
            raise bad_value("run", f"one of the {len(names)} runs in `runs` ({', '.join(map(repr, names[:6]))}"
                            f"{', ...' if len(names) > 6 else ''})", run)
        return names[0]
    if run not in names:
        from vizkit._core import bad_choice

        raise bad_choice("run", run, names, what="a run in `runs`:")
    return run


def _recorded(runs, one, run):
    """The callback's record in the run's config: from ``read_runs``' attrs, else the flattened config columns."""
    info = runs.attrs.get("runs", {}).get(run)
    if isinstance(info, dict) and "config" in info:
        record = (info.get("config") or {}).get("early_stopping")
        return record if isinstance(record, dict) else None
    prefix = "early_stopping."
    first = one[[c for c in one.columns if isinstance(c, str) and c.startswith(prefix)]].iloc[0]
    record = {c[len(prefix):]: (None if isinstance(v, float) and math.isnan(v) else v) for c, v in first.items()}
    return record if record.get("patience") is not None else None


def _epoch_series(one, split, metric, monitor):
    """``(epochs, values)`` of the monitored key: the split's epoch means, in epoch order."""
    rows = one[(one["split"] == split) & (one["metric"] == metric)]
    if rows.empty:
        keys = sorted({(f"val_{m}" if s == "val" else m) for s, m in zip(one["split"], one["metric"])
                       if s in ("val", "train")})
        raise bad_value("monitor", f"a key of the run's epoch logs ({', '.join(map(repr, keys)) or 'none'})", monitor)
    if "epoch" not in rows.columns or rows["epoch"].isna().any():
        raise bad_value("runs", "a run logged per epoch (an 'epoch' on every record)", "runs",
                        got="records without an epoch")
    means = rows.groupby("epoch", sort=True)["value"].mean()
    return means.index.to_numpy(dtype=int), means.to_numpy(dtype=float)


def _apply_rule(series, monitor, patience, mode, min_delta):
    """EarlyStopping's rule over the epochs: the best, the wait count, the stop, and its message."""
    import pandas as pd

    epochs, values = series
    best = best_epoch = stop = reason = None
    wait, waits = 0, []
    for epoch, value in zip(epochs, values):
        if stop is not None:
            waits.append(wait)
            continue
        if not math.isfinite(value):
            stop, reason = int(epoch), f"{monitor} is {value} at epoch {int(epoch)}"
        elif best is None or (value < best - min_delta if mode == "min" else value > best + min_delta):
            best, best_epoch, wait = float(value), int(epoch), 0
        else:
            wait += 1
            if wait >= patience:
                stop = int(epoch)
                reason = f"{monitor} did not improve for {wait} epochs (best {best:.4g} at epoch {best_epoch})"
        waits.append(wait)
    table = pd.DataFrame({"epoch": epochs, "value": values, "wait": waits})
    table["best"] = table["epoch"] == best_epoch
    table["window"] = (table["epoch"] > (best_epoch if best_epoch is not None else -1)) & \
        (table["epoch"] <= (stop if stop is not None else -1))
    table["stop"] = table["epoch"] == (stop if stop is not None else -1)
    table["after"] = table["epoch"] > (stop if stop is not None else np.inf)
    table.attrs["reason"] = reason
    return table
