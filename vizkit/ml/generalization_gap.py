"""Train against validation: the generalisation gap, the best epoch and the onset of overfitting.

:class:`GapDisplay` computes one metric's training and validation values per
epoch (as logged), the best validation epoch and where overfitting set in
(validation worse than its best beyond a tolerance for ``patience`` epochs)
with :meth:`GapDisplay.from_runs`, no drawing, and draws them
(:meth:`GapDisplay.plot`): both curves, the gap between them shaded, the best
epoch ringed, the overfitting shaded darker. :func:`gap` does both in one
call. The numbers behind the marks are in ``vizkit.plotted_data(ax)``.
"""

from __future__ import annotations

import numpy as np

from vizkit._core import bad_choice, bad_value, check_number
from vizkit._core.display import Display
from vizkit._core.line_band import RAW_MARKER_SCALE
from vizkit._core.errors import user_warning
from vizkit._core.labels import axis_label, plain
from vizkit._core.placement import Growth, Obstacles, place
from vizkit.colors import hue_colors
from vizkit.themes import ink
from vizkit.ml import _runs
from vizkit.ml.learning_curves import integer_ticks

__all__ = ["GapDisplay", "gap"]

#: Splits taken as validation when ``val`` is not given, first present first.
VAL_SPLITS = ("val", "valid", "validation", "eval", "dev", "test")
#: Opacity of the shaded gap, and of the gap from the onset of overfitting on.
GAP_ALPHA = 0.15
OVERFIT_ALPHA = 0.4
#: Default tolerance of the onset of overfitting: validation must be worse than its best by more than
#: ``ATOL + RTOL * |best|``. 2% is above the epoch-to-epoch wobble of a validation plateau in a seeded
#: run (0.0589 to 0.0593 is 0.7%) and below the steady rise of a model that overfits.
RTOL = 0.02
ATOL = 0.0


def gap(runs, *, metric="loss", mode=None, train="train", val=None, patience=3, rtol=RTOL, atol=ATOL,
        palette=None, ax=None):
    """Draw training against validation per epoch, shade the gap, mark the best epoch and overfitting.

    Parameters
    ----------
    runs : DataFrame
        A runs frame (:func:`vizkit.read_runs`) with a training and a
        validation split of ``metric``.
    metric : str, default "loss"
        The metric to compare.
    mode : {"min", "max"}, optional
        Whether lower or higher is better. By default read from the name by
        :func:`vizkit.io.metric_direction` (as ``EarlyStopping(mode="auto")``
        reads it): losses and errors (``loss``, ``ce``, ``mse``, ``fid``,
        ``perplexity``, ...) are ``"min"``, accuracies and scores (``acc``,
        ``auroc``, ``f1``, ``psnr``, ``ssim``, ``iou``, ...) ``"max"``; another
        name needs ``mode``.
    train : str, default "train"
        The training split.
    val : str, optional
        The validation split; default the first of "val", "valid",
        "validation", "eval", "dev", "test" that ``metric`` has.
    patience : int, default 3
        Epochs validation must stay worse than its best, with training still
        improving, to count as overfitting (see Notes).
    rtol, atol : float, default 0.02 and 0
        The tolerance of "worse": a validation value counts as worse than
        the best only when it is worse by more than ``atol + rtol * |best|``
        (as in :func:`numpy.isclose`), so a plateau that wobbles by less
        (0.0589 to 0.0593 is 0.7%) is not overfitting. ``atol`` is in the
        metric's units; ``rtol=0, atol=0`` takes any worse value.
    palette : palette name, list or dict, optional
        Colours of the two splits; default the active colour cycle (the same
        colours :func:`curves` gives them).
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.

    Returns
    -------
    matplotlib.axes.Axes
        ``vizkit.plotted_data(ax)`` holds one row per epoch: ``epoch`` (or
        ``step``), ``train``, ``val``, ``gap`` (how much worse validation is:
        val - train for "min", train - val for "max"), ``n`` (runs averaged),
        ``best`` (True at the best epoch) and ``overfitting`` (True from the
        onset on).

    Raises
    ------
    vizkit.errors.VizkitValueError
        ``metric`` or a split is not in ``runs`` (the message lists what is),
        ``mode`` cannot be read from the name, no run has both splits.

    See Also
    --------
    GapDisplay : the same chart as a Display: ``GapDisplay.from_runs(runs)``
        computes the table and the findings (``best_epoch_``,
        ``overfitting_onset_``) without drawing; ``.plot(ax)`` draws them.
    curves : every logged point, per step, epoch or time.

    Notes
    -----
    One point per epoch: a split logged several times per epoch (training
    every step) is averaged over the epoch, so its point summarises the
    whole epoch while validation is measured at its end. Runs (or records)
    without epochs are compared per evaluation instead: x is the validation
    step, and training is averaged over the steps since the previous one.
    Several runs are averaged per epoch (each epoch over the runs that reach
    it) and the marks are found on the means. NaN/inf values are left out of
    the averages; a non-finite validation value is marked at the top edge.
    A curve that diverges is drawn on the scale it had before, its values
    off that scale marked at the edge with their value and epoch, as
    :func:`curves` does.

    The best epoch is where validation is best (the first, on ties). The onset
    of overfitting is the first epoch, from the best one on, after which
    validation stays worse than its best by more than the tolerance
    (``atol + rtol * |best|``) for at least ``patience`` epochs while training
    improves over the same epochs (training at the end of the window better
    than at its start). It is never before the best epoch; it is not marked
    when validation is within the tolerance of its best in any of the last
    ``patience`` epochs (not enough evidence yet; a flat plateau), or when
    training stopped improving too (a plateau is not overfitting).

    Epochs are the logged numbers (counted from 0 by ``fit()``,
    ``EarlyStopping``, Lightning and Keras), so "best: epoch 9" is the record
    logged with ``epoch == 9``, the epoch ``EarlyStopping`` names.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> import vizkit as vk
    >>> train = [1.0, 0.7, 0.5, 0.4, 0.3, 0.25, 0.2, 0.15]
    >>> val = [1.1, 0.8, 0.6, 0.55, 0.6, 0.65, 0.7, 0.8]
    >>> runs = pd.DataFrame({"run": "mlp", "step": list(range(8)) * 2, "epoch": list(range(8)) * 2,
    ...                      "split": ["train"] * 8 + ["val"] * 8, "metric": "loss", "value": train + val})
    >>> fig, ax = plt.subplots()
    >>> ax = vk.gap(runs)
    >>> table = vk.plotted_data(ax)
    >>> int(table.loc[table["best"], "epoch"].iloc[0]), int(table.loc[table["overfitting"], "epoch"].min())
    (3, 3)
    >>> plt.close(fig)
    """
    return GapDisplay.from_runs(runs, metric=metric, mode=mode, train=train, val=val, patience=patience,
                                rtol=rtol, atol=atol).plot(ax=ax, palette=palette).ax_


class GapDisplay(Display):
    """Training against validation per epoch, with the best epoch and the onset of overfitting.

    Made by :meth:`from_runs` (which computes, see :func:`gap`'s Notes) and
    drawn by :meth:`plot`; the findings are attributes, readable without
    drawing.

    Parameters
    ----------
    table : DataFrame
        One row per epoch: ``epoch`` (or ``step``), ``train``, ``val``,
        ``n``, ``gap``, ``best`` and ``overfitting``, as in :func:`gap`'s Returns.
    metric : str
        The metric compared (the y label).
    mode : {"min", "max"}
        Whether lower or higher is better.
    train, val : str
        The two splits (the legend's labels).
    n_runs : int
        How many runs were averaged.
    nonfinite : list of (str, list, int)
        Per validation series with NaN/inf: who (``"run: "`` or ``""``), the
        marks of :func:`vizkit.ml._runs.nonfinite_runs` and their count.

    Attributes
    ----------
    x : {"epoch", "step"}
        What a row is: an epoch, or a validation step (runs without epochs).
    best_epoch_ : int, float or None
        The x of the best validation value (an epoch, or a step when ``x``
        is ``"step"``); None when validation is never finite.
    best_value_ : float or None
        The validation value there.
    overfitting_onset_ : int, float or None
        The x where overfitting set in; None when it did not.
    onset_value_ : float or None
        The validation value at the onset.
    ax_, figure_, artists_
        Set by :meth:`plot` (see :class:`vizkit._core.display.Display`);
        ``artists_`` holds ``"train"``, ``"val"`` (the lines), ``"fills"``
        (the shaded gap, then the overfitting), ``"onset"``, ``"best"`` (None
        when absent) and ``"legend"``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> from vizkit.ml import GapDisplay
    >>> train = [1.0, 0.7, 0.5, 0.4, 0.3, 0.25, 0.2, 0.15]
    >>> val = [1.1, 0.8, 0.6, 0.55, 0.6, 0.65, 0.7, 0.8]
    >>> runs = pd.DataFrame({"run": "mlp", "step": list(range(8)) * 2, "epoch": list(range(8)) * 2,
    ...                      "split": ["train"] * 8 + ["val"] * 8, "metric": "loss", "value": train + val})
    >>> display = GapDisplay.from_runs(runs)                      # computes, draws nothing
    >>> display.best_epoch_, display.best_value_, display.overfitting_onset_
    (3, 0.55, 3)
    >>> fig, ax = plt.subplots()
    >>> display.plot(ax=ax).ax_ is ax                                # draws today's vk.gap chart
    True
    >>> display.artists_["legend"].get_texts()[-1].get_text()
    'best: epoch 3 (0.55)'
    >>> plt.close(fig)
    """

    _chart = "gap"

    def __init__(self, table, *, metric="loss", mode="min", train="train", val="val", n_runs=1, nonfinite=()):
        self.table = table
        self.metric, self.mode, self.train, self.val = metric, mode, train, val
        self.n_runs = int(n_runs)
        self.nonfinite = list(nonfinite)
        self.x = "epoch" if "epoch" in table.columns else "step"
        best, onset = _position(table["best"]), _position(table["overfitting"])
        self.best_epoch_, self.best_value_ = self._at(best)
        self.overfitting_onset_, self.onset_value_ = self._at(onset)

    def _at(self, position):
        """``(x, validation value)`` of a row, as plain Python numbers; ``(None, None)`` for none."""
        if position is None:
            return None, None
        x = float(self.table[self.x].iloc[position])
        return (int(x) if x.is_integer() else x), float(self.table["val"].iloc[position])

    @classmethod
    def from_runs(cls, runs, *, metric="loss", mode=None, train="train", val=None, patience=3, rtol=RTOL,
                  atol=ATOL):
        """Compute the per-epoch table, the best epoch and the onset of overfitting of ``runs``; draw nothing.

        The arguments are :func:`gap`'s (which see, with its Notes for how
        the table and the marks are found); it raises the same errors.

        Examples
        --------
        >>> import pandas as pd
        >>> from vizkit.ml import GapDisplay
        >>> runs = pd.DataFrame({"run": "cnn", "step": [1, 2, 3] * 2, "epoch": [0, 1, 2] * 2,
        ...                      "split": ["train"] * 3 + ["val"] * 3, "metric": "val_acc",
        ...                      "value": [0.6, 0.8, 0.9, 0.55, 0.7, 0.68]})
        >>> display = GapDisplay.from_runs(runs, metric="val_acc")
        >>> display.mode, display.best_epoch_, display.best_value_, display.overfitting_onset_
        ('max', 1, 0.7, None)
        """
        runs = _runs.check_runs(runs)
        frame = _runs.select_metric(runs, metric)
        mode = _runs.metric_direction(metric, mode)
        patience = check_number("patience", patience, integer=True, low=1)
        tolerance = (check_number("rtol", rtol, low=0), check_number("atol", atol, low=0))
        val = _check_splits(frame, metric, train, val)
        series, _ = _runs.series_of(frame[frame["split"].isin([train, val])], "split")
        per_run = _per_run(runs, series, train, val)
        x_name, table = _combine(per_run)
        sign = 1.0 if mode == "min" else -1.0
        best, onset = _marks(table["train"].to_numpy(), table["val"].to_numpy(), sign, patience, tolerance)
        table["gap"] = sign * (table["val"] - table["train"])
        table["best"] = np.arange(len(table)) == best if best is not None else False
        table["overfitting"] = np.arange(len(table)) >= onset if onset is not None else False
        table = table.rename(columns={"x": x_name})
        return cls(table, metric=metric, mode=mode, train=train, val=val, n_runs=len(per_run),
                   nonfinite=_val_nonfinite(per_run))

    def plot(self, ax=None, *, palette=None):
        """Draw the curves, the shaded gap and the marks on ``ax`` (default the current Axes); return ``self``.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
        palette : palette name, list or dict, optional
            Colours of the two splits, as in :func:`gap`.
        """
        return super().plot(ax, palette=palette)

    def _draw(self, ax, *, palette=None) -> dict:
        colors = hue_colors([self.train, self.val], palette=palette)
        artists = _draw(ax, self, colors)
        ax.set_xlabel(axis_label(self.x))
        if self.x == "epoch":
            integer_ticks(ax.xaxis)
        ax.set_ylabel(axis_label(self.metric))
        return artists

    def _plotted_data(self):
        return self.table


def _position(flags):
    """The first row where ``flags`` is True, or None."""
    flags = np.asarray(flags, dtype=bool)
    return int(np.argmax(flags)) if flags.any() else None


# ---------------------------------------------------------------- compute
def _check_splits(frame, metric, train, val):
    """The validation split: ``val`` checked, or the first of :data:`VAL_SPLITS` that ``metric`` has."""
    import pandas as pd

    splits = _runs.split_order(pd.unique(frame["split"]))
    if train not in splits:
        raise bad_choice("train", train, splits, what=f"a split of metric {metric!r} in `runs`:")
    if val is None:
        val = next((s for s in VAL_SPLITS if s in splits and s != train), None)
        if val is None:
            raise bad_value("val", f"a validation split of metric {metric!r}", val,
                            hint=f"Its splits: {', '.join(map(repr, splits))}; pass `val=` to pick one.")
    elif val not in splits or val == train:
        raise bad_choice("val", val, [s for s in splits if s != train],
                         what=f"a split of metric {metric!r} in `runs` other than `train`:")
    return val


def _per_run(runs, series, train, val):
    """``[(run, keys, train_means, val_means, uses_epochs, val_series)]`` for runs with both splits."""
    by_run = {}
    for s in series:
        by_run.setdefault(s.run, {})[s.split] = s
    complete = {run: parts for run, parts in by_run.items() if train in parts and val in parts}
    if not complete:
        raise bad_value("runs", f"at least one run with both the {train!r} and the {val!r} split of this metric",
                        runs, got=f"runs with only one of them: {', '.join(map(repr, by_run))}")
    if len(complete) < len(by_run):
        missing = [run for run in by_run if run not in complete]
        user_warning(f"`gap` leaves out runs without both splits: {', '.join(map(repr, missing))}.")
    with_epochs = all(p[val].epoch is not None and np.isfinite(p[val].epoch).all() for p in complete.values())
    anchors = None
    if with_epochs and any(not np.isfinite(p[train].epoch).all() for p in complete.values()):
        anchors = _runs.epoch_anchors(runs, names=set(complete))
    out = []
    for run, parts in complete.items():
        t, v = parts[train], parts[val]
        if with_epochs:
            v_keys = v.epoch
            if np.isfinite(t.epoch).all():
                t_keys = t.epoch
            else:  # an epoch for each training step from the run's epoch ends: (e - 1, e] is epoch e
                t_keys = np.ceil(_runs.series_x(_runs.RunSeries(t.run, t.split, t.level, t.step, t.value, None, None),
                                                "epoch", anchors) - 1e-9)
        else:  # per evaluation: training since the previous validation step
            v_keys = v.step
            position = np.searchsorted(v.step, t.step, side="left")
            inside = position < len(v.step)
            t_keys = np.where(inside, v.step[np.minimum(position, len(v.step) - 1)], np.nan)
        keys = np.unique(v_keys)
        out.append((run, keys, _mean_at(keys, t_keys, t.value), _mean_at(keys, v_keys, v.value), with_epochs, v))
    return out


def _mean_at(keys, record_keys, values):
    """Mean of the finite ``values`` whose key is each of ``keys`` (NaN where none)."""
    usable = np.isfinite(values) & np.isfinite(record_keys)
    index = np.searchsorted(keys, record_keys[usable])
    inside = index < len(keys)
    inside[inside] &= keys[index[inside]] == record_keys[usable][inside]
    counts = np.bincount(index[inside], minlength=len(keys))
    sums = np.bincount(index[inside], weights=values[usable][inside], minlength=len(keys))
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / counts


def _combine(per_run):
    """Average the runs per key: ``(x name, DataFrame x, train, val, n)``."""
    import pandas as pd

    x_name = "epoch" if per_run[0][4] else "step"
    keys = np.unique(np.concatenate([p[1] for p in per_run]))
    train = np.zeros(len(keys))
    val = np.zeros(len(keys))
    n_train = np.zeros(len(keys))
    n_val = np.zeros(len(keys))
    for _, k, t, v, _, _ in per_run:
        where = np.searchsorted(keys, k)
        ft, fv = np.isfinite(t), np.isfinite(v)
        np.add.at(train, where[ft], t[ft])
        np.add.at(n_train, where[ft], 1)
        np.add.at(val, where[fv], v[fv])
        np.add.at(n_val, where[fv], 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        table = pd.DataFrame({"x": keys, "train": train / n_train, "val": val / n_val,
                              "n": np.maximum(n_train, n_val).astype(int)})
    return x_name, table


def _marks(train, val, sign, patience, tolerance):
    """``(best, onset)`` positions (None when absent); see :func:`gap`'s Notes."""
    v = sign * val
    t = sign * train
    if not np.isfinite(v).any():
        return None, None
    best = int(np.nanargmin(v))
    rtol, atol = tolerance
    worse_than = v[best] + atol + rtol * abs(v[best])
    for i in range(best, len(v) - patience):
        window = v[i + 1:i + patience + 1]
        worse = np.all(~np.isfinite(window) | (window > worse_than))  # a diverged (NaN) epoch is worse too
        if worse and np.isfinite(t[i]) and np.isfinite(t[i + patience]) and t[i + patience] < t[i]:
            return best, i
    return best, None


# ---------------------------------------------------------------- draw
def _label(x_name, value):
    return f"{x_name} {value:,.0f}" if float(value).is_integer() else f"{x_name} {value:g}"


def _draw(ax, display, colors) -> dict:
    """Draw ``display``'s table: the shaded gap, both curves, the onset and best marks, NaN and off-scale marks,
    the legend."""
    import matplotlib as mpl

    table = display.table
    x = table[display.x].to_numpy(dtype=float)
    t = table["train"].to_numpy(dtype=float)
    v = table["val"].to_numpy(dtype=float)
    best, onset = _position(table["best"]), _position(table["overfitting"])
    size = RAW_MARKER_SCALE * mpl.rcParams["lines.markersize"]
    points = {"marker": "o", "markersize": size} if len(x) <= _runs.SPARSE_POINTS else {}
    artists = {"fills": _draw_shading(ax, (x, t, v), onset, colors[display.val])}
    artists["train"], = ax.plot(x, t, color=colors[display.train], zorder=2.1, label=plain(display.train), **points)
    artists["val"], = ax.plot(x, v, color=colors[display.val], zorder=2.2, label=plain(display.val), **points)
    ink_color = ink(ax)
    artists["onset"] = artists["best"] = None
    if onset is not None:
        artists["onset"] = ax.axvline(x[onset], color=ink_color, linestyle="--", linewidth=1.0, zorder=1.7, label="_onset")
    if best is not None:
        artists["best"], = ax.plot([x[best]], [v[best]], linestyle="None", marker="o", markersize=2.2 * size,
                                   markerfacecolor="none", markeredgecolor=ink_color, markeredgewidth=1.5, zorder=5,
                                   label="_best")
    _draw_edge_marks(ax, display, colors, (x, t, v))
    artists["legend"] = _draw_legend(ax, display, colors, points, size)
    return artists


def _draw_edge_marks(ax, display, colors, xtv):
    """NaN/inf validation values at the edge; a diverged curve drawn on the scale it had before (``_runs``)."""
    for i, (who, marks, count) in enumerate(display.nonfinite):
        _runs.mark_nonfinite(ax, marks, count, color=colors[display.val], who=who, index=i,
                             label=i < _runs.MAX_NONFINITE_LABELS)
    x, t, v = xtv
    _runs.keep_on_scale(ax, [(_runs.value_scale(t, x, x), colors[display.train], f"{display.train}: "),
                             (_runs.value_scale(v, x, x), colors[display.val], f"{display.val}: ")],
                        unit=display.x)


def _draw_shading(ax, xtv, onset, color) -> list:
    """Shade between the curves: light up to the onset of overfitting, darker from it on (they meet there)."""
    x, t, v = xtv
    both = np.isfinite(t) & np.isfinite(v)
    index = np.arange(len(x))
    before = index >= 0 if onset is None else index <= onset
    after = index < 0 if onset is None else index >= onset
    fills = []
    for where, alpha, zorder in ((both & before, GAP_ALPHA, 1.5), (both & after, OVERFIT_ALPHA, 1.6)):
        if where.any():
            fills.append(ax.fill_between(x, t, v, where=where, interpolate=True, color=color, alpha=alpha,
                                         linewidth=0, zorder=zorder))
    return fills


def _draw_legend(ax, display, colors, points, size):
    """The legend: both splits, the gap, the onset and the best epoch with their x; placed off the data."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Line2D([], [], color=colors[display.train], label=plain(display.train), **points),
               Line2D([], [], color=colors[display.val], label=plain(display.val), **points),
               Patch(facecolor=colors[display.val], alpha=GAP_ALPHA, linewidth=0, label="gap")]
    if display.overfitting_onset_ is not None:
        handles.append(Patch(facecolor=colors[display.val], alpha=OVERFIT_ALPHA, linewidth=0,
                             label=f"overfitting from {_label(display.x, display.overfitting_onset_)}"))
    if display.best_epoch_ is not None:
        handles.append(Line2D([], [], linestyle="None", marker="o", markersize=1.6 * size, markerfacecolor="none",
                              markeredgecolor=ink(ax), markeredgewidth=1.5,
                              label=f"best: {_label(display.x, display.best_epoch_)} ({display.best_value_:.3g})"))
    legend = ax.legend(handles=handles, title=f"mean of {display.n_runs} runs" if display.n_runs > 1 else None,
                       frameon=True, facecolor=ax.get_facecolor(), edgecolor="none", framealpha=0.85)
    _place_legend(ax, legend)
    return legend


#: Gap's legend spots, in order of preference: the upper right first (epochs run left to right).
_SPOTS = ("upper right", "upper left", "lower right", "lower left", "upper center", "lower center",
          "center right", "center left")


def _place_legend(ax, legend):
    """Put the legend where it covers no curve and no shaded gap, growing the y axis at the top if needed.

    The dashed onset line is not an obstacle: the legend's face covers it.
    """
    from matplotlib.collections import PolyCollection

    obstacles = Obstacles(lines=[line for line in ax.lines if line.get_label() != "_onset"],
                          fills=[c for c in ax.collections if isinstance(c, PolyCollection)],
                          points=_runs.edge_label_points(ax))
    place(ax, legend, obstacles, spots=_SPOTS, growth=Growth(factor=1.1))


def _val_nonfinite(per_run):
    """``[(who, marks, count)]`` for each run whose validation holds NaN/inf (who: ``"run: "`` when several)."""
    out = []
    for run, *_, v in per_run:
        xs = v.epoch if per_run[0][4] else v.step
        marks, count = _runs.nonfinite_runs(v.step, xs, v.value)
        if marks:
            out.append((f"{run}: " if len(per_run) > 1 else "", marks, count))
    return out
