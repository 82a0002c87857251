"""A model's fitted function against its target at chosen training steps: one row per group, one column per step.

DL lecture 3 shows an MLP fitting a curve with each optimizer, and the
picture that teaches is the fit itself: where each optimizer's function is
after 20, 80, 320 steps. :class:`FunctionFitDisplay` takes the predictions a
training run saved on a grid of inputs (``run.log_array("fit", step=...,
x=grid, y=prediction)`` in a callback) and draws them against the target:
a row of panels per group (the ``optimizer`` of the runs' config), a column per
step, the mean over seeds with the seeds' range as a band, and the root mean
square error to the target in each panel (``rmse_``). Torch-free.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from vizkit._core import bad_type, bad_value
from vizkit._core.axes import attach_data
from vizkit._core.display import Display
from vizkit._core.errors import missing_column
from vizkit._core.labels import plain
from vizkit.colors import hue_colors
from vizkit.themes import ink, muted_ink

__all__ = ["FunctionFitDisplay", "function_fits"]

#: Size of one panel in inches (width, height).
PANEL = (2.7, 1.45)


class FunctionFitDisplay(Display):
    """Fitted functions at chosen steps against the target, one panel per (group, step).

    Parameters
    ----------
    table : DataFrame
        One row per (group, step, x): ``group``, ``step``, ``x``, ``y`` (the
        mean prediction over the group's runs), ``low``, ``high`` (their
        range), ``runs`` (how many) and ``target``.
    by : str
        What the groups are (a config column such as ``"optimizer"``): the row labels' title.

    Attributes
    ----------
    groups_ : list
        The rows, in order.
    steps_ : list of int
        The columns, in order.
    rmse_ : DataFrame
        Root mean square error of the mean prediction to the target, groups
        × steps.
    axes_ : ndarray of Axes
        The panels of the last :meth:`plot` (rows × columns); ``ax_`` is the first.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from vizkit.ml import FunctionFitDisplay
    >>> x = np.linspace(-3, 3, 50)
    >>> fits = pd.DataFrame({"step": np.repeat([0, 100], 50), "x": np.tile(x, 2),
    ...                      "y": np.concatenate([0 * x, np.sin(x) + 0.1])})
    >>> display = FunctionFitDisplay.from_frame(fits, target=np.sin)
    >>> display.rmse_.round(3).to_dict("records")
    [{0: 0.716, 100: 0.1}]
    """

    _chart = "function_fits"

    def __init__(self, table: pd.DataFrame, *, by: str | None = None):
        self.table, self.by = table, by
        self.groups_ = list(pd.unique(table["group"]))
        self.steps_ = sorted(int(s) for s in pd.unique(table["step"]))
        error = (table["y"] - table["target"]) ** 2
        rmse = error.groupby([table["group"], table["step"]], sort=False).mean() ** 0.5
        self.rmse_ = rmse.unstack("step").reindex(index=self.groups_, columns=self.steps_)
        self.rmse_.columns.name, self.rmse_.index.name = None, by
        self.axes_ = None

    @classmethod
    def from_frame(cls, data, *, target, x="x", y="y", step="step", by=None, run=None, steps=None):
        """Take a long frame of predictions (one row per input of a step of a run); draw nothing.

        ``by`` groups rows into panel rows (None: one row); ``run`` tells the
        runs of a group apart (their mean is drawn, their range as a band;
        None: one run per group). ``target`` is a function of x (NumPy
        arrays in, out) or a frame with the same ``x`` and ``y`` columns.
        """
        if not isinstance(data, pd.DataFrame):
            raise bad_type("data", "a DataFrame of predictions (one row per input of a step)", data)
        for argument, column in (("x", x), ("y", y), ("step", step), ("by", by), ("run", run)):
            if column is not None and column not in data.columns:
                raise missing_column(argument, column, data.columns)
        frame = pd.DataFrame({"group": data[by] if by is not None else "fit",
                              "run": data[run] if run is not None else "run",
                              "step": data[step], "x": pd.to_numeric(data[x], errors="coerce"),
                              "y": pd.to_numeric(data[y], errors="coerce")})
        if frame.empty:
            raise bad_value("data", "at least one prediction", data, got="an empty frame")
        if frame["x"].isna().any():
            raise bad_value(x, "finite numbers: the inputs the model was evaluated at", data[x])
        frame = _chosen_steps(frame, steps)
        return cls(_summarised(frame, _target_of(target, x, y)), by=by)

    @classmethod
    def from_runs(cls, runs, *, target, array="fit", by="optimizer", steps=None):
        """Read the arrays named ``array`` (keys ``x`` and ``y``) that each run saved; draw nothing.

        ``runs`` is what :func:`vizkit.read_runs` returned: each run's folder
        is in ``runs.attrs["runs"]``, and ``by`` (a config column) names its group.
        """
        from vizkit.io.arrays import read_arrays

        if not isinstance(runs, pd.DataFrame) or "runs" not in runs.attrs:
            raise bad_type("runs", "what vizkit.read_runs returned (a frame whose attrs name each run's folder)", runs)
        if by is not None and by not in runs.columns:
            raise missing_column("by", by, runs.columns)
        group_of = runs.groupby("run")[by].first() if by is not None else None
        parts = []
        for name, info in runs.attrs["runs"].items():
            try:
                saved = read_arrays(info["path"], array)
            except ValueError as error:
                raise bad_value("array", f"the name of x/y arrays every run saved; run {name!r} has none: {error}",
                                array) from None
            group = group_of[name] if group_of is not None else "fit"
            for step, arrays in saved.items():
                missing = {"x", "y"} - set(arrays)
                if missing:
                    raise bad_value("array", "arrays saved with keys x and y (the inputs and the predictions)", array,
                                    got=f"run {name!r}, step {step}: keys {sorted(arrays)}")
                xs, ys = np.ravel(arrays["x"]).astype(float), np.ravel(arrays["y"]).astype(float)
                if xs.size != ys.size:
                    raise bad_value("array", "arrays x and y of the same length (an input per prediction)", array,
                                    got=f"run {name!r}, step {step}: {xs.size} inputs, {ys.size} predictions")
                parts.append(pd.DataFrame({"group": group, "run": name, "step": step, "x": xs, "y": ys}))
        frame = pd.concat(parts, ignore_index=True)
        if by is not None and isinstance(runs[by].dtype, pd.CategoricalDtype):      # the user's order of the levels
            frame["group"] = pd.Categorical(frame["group"], categories=runs[by].cat.categories)
        frame = _chosen_steps(frame, steps)
        return cls(_summarised(frame, _target_of(target, "x", "y")), by=by)

    def plot(self, fig=None, *, palette=None):
        """Draw one panel per (group, step) on ``fig`` (default a new figure sized to the grid); return ``self``."""
        rows, cols = len(self.groups_), len(self.steps_)
        if fig is None:
            fig = plt.figure(figsize=(PANEL[0] * cols + 0.8, PANEL[1] * rows + 0.9), layout="constrained")
        axes = fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)
        colors = hue_colors(self.groups_, palette=palette)
        artists = {}
        for i, group in enumerate(self.groups_):
            for j, step in enumerate(self.steps_):
                ax = axes[i, j]
                part = self.table[(self.table["group"] == group) & (self.table["step"] == step)]
                artists[(group, step)] = self._panel(ax, part, colors[group], self.rmse_.loc[group, step])
                attach_data(ax, part.reset_index(drop=True), chart=self._chart)
                if i == 0:
                    ax.set_title("start" if step == 0 else f"after {step:,} steps", color=ink(ax))
                if j == 0:
                    ax.set_ylabel(plain(str(group)), fontweight="bold")
                if i == rows - 1:
                    ax.set_xlabel("x")
        low, high = self.table["target"].min(), self.table["target"].max()
        pad = 0.25 * (high - low or 1.0)
        axes[0, 0].set_ylim(low - pad, high + pad)
        self._legend(fig, axes[0, 0], artists)
        self.axes_, self.ax_, self.figure_, self.artists_ = axes, axes[0, 0], fig, artists
        return self

    def _panel(self, ax, part, color, rmse) -> dict:
        x = part["x"].to_numpy()
        target, = ax.plot(x, part["target"], color=ink(ax), linewidth=3.0, alpha=0.25, label="target",
                          solid_capstyle="round")
        band = None
        if part["runs"].iloc[0] > 1:
            band = ax.fill_between(x, part["low"], part["high"], color=color, alpha=0.25, linewidth=0,
                                   label="range of the seeds")
        fit, = ax.plot(x, part["y"], color=color, linewidth=1.6,
                       label="fit" if part["runs"].iloc[0] == 1 else f"fit, mean of {part['runs'].iloc[0]} seeds")
        text = ax.text(0.97, 0.05, f"RMSE {rmse:.2g}", transform=ax.transAxes, ha="right", va="bottom",
                       fontsize="small", color=muted_ink(ax))
        return {"target": target, "band": band, "fit": fit, "rmse": text}

    @staticmethod
    def _legend(fig, ax, artists):
        """One legend for the figure, in neutral ink: the colours are the rows'."""
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        first = next(iter(artists.values()))
        color = ink(ax)
        handles = [Line2D([], [], color=color, linewidth=3.0, alpha=0.25, solid_capstyle="round"),
                   Line2D([], [], color=color, linewidth=1.6)]
        labels = ["target", "fit"]
        if first["band"] is not None:
            handles.append(Patch(color=color, alpha=0.2, linewidth=0))
            labels = ["target", "fit: mean of the seeds", "range of the seeds"]
        fig.legend(handles, labels, loc="outside upper center", ncols=len(handles), frameon=False)


def _chosen_steps(frame: pd.DataFrame, steps) -> pd.DataFrame:
    logged = sorted(int(s) for s in pd.unique(frame["step"]))
    if steps is None:
        return frame
    steps = [steps] if np.isscalar(steps) else list(steps)
    unknown = [s for s in steps if s not in logged]
    if unknown or not steps:
        raise bad_value("steps", f"steps the predictions were saved at ({', '.join(map(str, logged))})", steps)
    return frame[frame["step"].isin(steps)]


def _target_of(target, x: str, y: str):
    """A function of the x values giving the target there."""
    if callable(target):
        return lambda values: np.asarray(target(values), dtype=float)
    if isinstance(target, pd.DataFrame):
        for column in (x, y):
            if column not in target.columns:
                raise missing_column("target", column, target.columns)
        known = target.groupby(x)[y].mean()
        def lookup(values):
            found = known.reindex(values).to_numpy(dtype=float)
            if np.isnan(found).any():
                raise bad_value("target", f"a {y!r} for every {x!r} of the predictions", target,
                                got=f"none at {x} = {values[np.isnan(found)][0]:g}")
            return found
        return lookup
    raise bad_type("target", "a function of x (arrays in and out) or a frame with the x and y columns", target)


def _summarised(frame: pd.DataFrame, target) -> pd.DataFrame:
    """Mean, range and count of the runs' predictions per (group, step, x), with the target at x."""
    grouped = frame.groupby(["group", "step", "x"], sort=False, observed=True)["y"]
    table = grouped.agg(y="mean", low="min", high="max", runs="count").reset_index()
    counts = frame.groupby(["group", "step"], sort=False, observed=True)["run"].nunique()
    fewest = table.groupby(["group", "step"], sort=False, observed=True)["runs"].min()
    uneven = fewest[fewest.ne(counts.reindex(fewest.index))]   # an input not every run of the group was evaluated at
    if not uneven.empty:
        group, step = uneven.index[0]
        raise bad_value("data", "the same inputs x in every run of a group at a step", frame,
                        got=f"the runs of {group!r} at step {step} were evaluated at different x")
    table = table.sort_values(["step", "x"], kind="stable")
    groups = frame["group"]
    levels = ([g for g in groups.cat.categories if (groups == g).any()] if isinstance(groups.dtype, pd.CategoricalDtype)
              else list(pd.unique(groups)))
    order = {g: i for i, g in enumerate(levels)}
    table["group"] = table["group"].astype(object)
    table = table.sort_values("group", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    table["target"] = target(table["x"].to_numpy())
    return table


def function_fits(runs, *, target, array="fit", by="optimizer", steps=None, palette=None, fig=None):
    """Draw fitted functions at chosen steps against the target: a row per ``by`` level, a column per step.

    Parameters
    ----------
    runs : DataFrame
        What :func:`vizkit.read_runs` returned for runs that saved their
        predictions with ``run.log_array(array, step=..., x=inputs, y=predictions)``.
        The runs of one ``by`` level (seeds) are averaged; their range is a band.
    target : callable or DataFrame
        The function the runs fit (NumPy in, NumPy out), or a frame with
        ``x`` and ``y`` columns.
    array : str
        The name the arrays were saved under.
    by : str or None
        A config column naming each run's group (one row of panels per level).
    steps : list of int, optional
        The steps to show (columns); default every saved step.
    palette, fig : optional
        Colours of the groups; the figure to draw on (default a new one sized to the grid).

    Returns
    -------
    FunctionFitDisplay
        ``axes_`` (rows × columns), ``rmse_`` (groups × steps); :func:`vizkit.plotted_data`
        of a panel gives its ``group, step, x, y, low, high, runs, target``.

    Examples
    --------
    >>> import tempfile, numpy as np, vizkit as vk
    >>> from vizkit.io import RunWriter
    >>> x = np.linspace(-3, 3, 40)
    >>> folder = tempfile.mkdtemp()
    >>> for name, scale in [("SGD", 0.5), ("Adam", 0.9)]:
    ...     with RunWriter(f"{folder}/{name}", config={"optimizer": name}) as run:
    ...         run.log(step=0, loss=1.0)
    ...         for step in (0, 50):
    ...             _ = run.log_array("fit", step=step, x=x, y=scale * np.sin(x) * (step > 0))
    >>> display = vk.function_fits(vk.read_runs(f"{folder}/*"), target=np.sin)
    >>> display.axes_.shape, float(display.rmse_.loc["Adam", 50].round(3))
    ((2, 2), 0.071)
    >>> import matplotlib.pyplot as plt; plt.close(display.figure_)
    """
    return FunctionFitDisplay.from_runs(runs, target=target, array=array, by=by, steps=steps).plot(
        fig=fig, palette=palette)
