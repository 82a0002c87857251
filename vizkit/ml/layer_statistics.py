"""Per-layer statistics of training: weight norms, gradient norms and update ratios, layers by steps.

:class:`LayerStatsDisplay` reads the ``"<statistic>/<layer>"`` metrics that
``vizkit.torch.LayerStats`` logs (``weight_norm``, ``grad_norm``,
``update_ratio``), keeps the layers in the model's order (the run's
``layer_order`` config) and finds what lectures warn about: layers whose
gradients vanish or explode next to the others, and updates far from the
rule of thumb ``‖Δθ‖ / ‖θ‖ ≈ 1e-3``. It draws a heatmap of layers by steps
on a log colour scale (norms span decades; the update ratio is centred on
1e-3) or one line per layer on a log axis. :func:`layer_stats` is the one call.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from vizkit._core import bad_value
from vizkit._core.display import Display
from vizkit._core.validate import check_choice, check_number
from vizkit.ml import _runs

__all__ = ["LayerStatsDisplay", "layer_stats"]

STATISTICS = {"weight_norm": "Weight norm", "grad_norm": "Gradient norm", "update_ratio": "Update ratio"}
#: The rule of thumb for ``‖Δθ‖ / ‖θ‖`` per step (Karpathy's CS231n notes): about 1e-3.
UPDATE_RULE = 1e-3
#: An update ratio more than this factor away from :data:`UPDATE_RULE` is flagged (below: too slow; above: too fast).
UPDATE_FACTOR = 10.0
#: A layer whose typical gradient norm is this factor below (above) the median layer's vanishes (explodes).
GRADIENT_FACTOR = 100.0
#: The run config key where LayerStats keeps the layers in model order.
LAYER_ORDER = "layer_order"


def _natural_key(name: str):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _layer_order(frame, layers) -> list:
    """The layers in model order: the run's ``layer_order`` config when it has it, else natural order."""
    if LAYER_ORDER in frame.columns:
        for order in frame[LAYER_ORDER].dropna():
            if isinstance(order, (list, tuple)) and set(layers) <= set(order):
                return [layer for layer in order if layer in set(layers)]
    return sorted(layers, key=_natural_key)


def _select(runs, stat: str, run):
    """The rows of ``stat`` (one run's, or every run's) with a ``layer`` column."""
    if run is not None:
        names = runs["run"].astype(str).unique().tolist()
        if str(run) not in names:
            raise bad_value("run", f"a run in `runs` ({', '.join(map(repr, names))})", run)
        runs = runs[runs["run"].astype(str) == str(run)]
    prefix = stat + "/"
    rows = runs[runs["metric"].astype(str).str.startswith(prefix)]
    if rows.empty:
        logged = sorted({m.partition("/")[0] for m in runs["metric"].astype(str) if m.partition("/")[0] in STATISTICS})
        raise bad_value("stat", "a statistic logged in `runs` by vizkit.torch.LayerStats ('<stat>/<layer>' metrics)",
                        stat, got=f"{stat!r}, with no '{prefix}<layer>' metric"
                                  + (f" (logged: {', '.join(map(repr, logged))})" if logged else " (none logged)"),
                        hint="Log them with fit(..., callbacks=[vizkit.torch.LayerStats(every=10)]).")
    return rows.assign(layer=rows["metric"].astype(str).str[len(prefix):]), runs


def _table(rows, order) -> pd.DataFrame:
    """One row per (layer, step): the value, the geometric mean over runs when there are several."""
    values = rows["value"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.where(values > 0, np.log(values), np.nan)
    grouped = (rows.assign(log=logs).groupby(["layer", "step"], sort=False)
               .agg(value=("value", "first"), log=("log", "mean"), runs=("run", "nunique")).reset_index())
    several = grouped["runs"] > 1
    grouped.loc[several, "value"] = np.exp(grouped.loc[several, "log"])
    grouped["layer"] = pd.Categorical(grouped["layer"], categories=order, ordered=True)
    table = grouped.sort_values(["layer", "step"]).reset_index(drop=True)
    return table[["layer", "step", "value", "runs"]]


class LayerStatsDisplay(Display):
    """One per-layer statistic of training, layers by steps, and what it says about the layers.

    Parameters
    ----------
    table : DataFrame
        ``layer`` (Categorical, in model order), ``step``, ``value`` (the
        logged value, or the geometric mean over ``runs`` runs) and ``runs``.
    stat : {"weight_norm", "grad_norm", "update_ratio"}

    Attributes
    ----------
    layers_ : list of str
        In model order.
    steps_ : list of int
    typical_ : Series
        Per layer, the median of the statistic over the logged steps.
    vanishing_, exploding_ : list of str or None
        With ``stat="grad_norm"``: layers whose typical gradient norm is
        more than 100 times below (above) the median layer's, or that logged
        a non-finite gradient norm (exploding); None for other statistics.
    too_slow_, too_fast_ : list of str or None
        With ``stat="update_ratio"``: layers whose typical update ratio is
        more than 10 times below (above) the rule of thumb 1e-3; None for
        other statistics.

    Examples
    --------
    >>> import pandas as pd
    >>> from vizkit.ml import LayerStatsDisplay
    >>> runs = pd.DataFrame({"run": "mlp", "split": "train", "step": [0, 10] * 3,
    ...                      "metric": ["grad_norm/fc1"] * 2 + ["grad_norm/fc2"] * 2 + ["grad_norm/out"] * 2,
    ...                      "value": [1e-6, 2e-6, 0.5, 0.4, 0.8, 0.6]})
    >>> found = LayerStatsDisplay.from_runs(runs, stat="grad_norm")
    >>> found.layers_, found.vanishing_, found.exploding_
    (['fc1', 'fc2', 'out'], ['fc1'], [])
    """

    _chart = "layer_stats"

    def __init__(self, table, *, stat: str):
        self.table, self.stat = table, stat
        self.layers_ = [str(layer) for layer in table["layer"].cat.categories]
        self.steps_ = sorted(int(step) for step in table["step"].unique())
        self.typical_ = table.groupby("layer", observed=False)["value"].median()
        self.vanishing_ = self.exploding_ = self.too_slow_ = self.too_fast_ = None
        if stat == "grad_norm":
            middle = float(np.nanmedian(self.typical_.to_numpy()))
            nonfinite = set(table.loc[~np.isfinite(table["value"].to_numpy(dtype=float)), "layer"].astype(str))
            self.vanishing_ = [name for name, v in self.typical_.items() if v < middle / GRADIENT_FACTOR]
            self.exploding_ = [name for name, v in self.typical_.items()
                               if v > middle * GRADIENT_FACTOR or name in nonfinite]
        elif stat == "update_ratio":
            self.too_slow_ = [name for name, v in self.typical_.items() if v < UPDATE_RULE / UPDATE_FACTOR]
            self.too_fast_ = [name for name, v in self.typical_.items() if v > UPDATE_RULE * UPDATE_FACTOR]

    @classmethod
    def from_runs(cls, runs, *, stat="grad_norm", run=None):
        """Take the ``"<stat>/<layer>"`` rows of a ``read_run(s)`` frame; draw nothing.

        Parameters
        ----------
        runs : DataFrame
            What :func:`vizkit.read_run` or :func:`vizkit.read_runs` returns.
        stat : {"grad_norm", "weight_norm", "update_ratio"}
        run : str, optional
            The run to draw; default every run in ``runs``, as the
            geometric mean per layer and step (seeds of one experiment).
        """
        runs = _runs.check_runs(runs)
        stat = check_choice("stat", stat, list(STATISTICS))
        rows, selected = _select(runs, stat, run)
        return cls(_table(rows, _layer_order(selected, rows["layer"].unique().tolist())), stat=stat)

    @classmethod
    def from_run(cls, path, *, stat="grad_norm"):
        """Read the run log at ``path`` (:func:`vizkit.read_run`) and take its ``stat``; draw nothing."""
        from vizkit.io import read_run

        return cls.from_runs(read_run(path), stat=stat)

    def plot(self, ax=None, *, kind="heatmap", vmin=None, vmax=None):
        """Draw on ``ax``: ``kind="heatmap"`` (layers by steps, log colour scale) or ``"lines"``; return ``self``.

        ``vmin`` and ``vmax`` (positive, in the statistic's units) fix the
        ends of the colour scale (heatmap) or of the log y axis (lines), so
        that charts of several runs side by side share one scale; default
        the logged range.
        """
        kind = check_choice("kind", kind, ["heatmap", "lines"])
        limits = _check_limits(vmin, vmax)
        return super().plot(ax, kind=kind, limits=limits)

    def _draw(self, ax, *, kind, limits) -> dict:
        return _draw_heatmap(ax, self, limits) if kind == "heatmap" else _draw_lines(ax, self, limits)

    def _plotted_data(self):
        table = self.table.copy()
        table.attrs.update(stat=self.stat, vanishing=self.vanishing_, exploding=self.exploding_,
                           too_slow=self.too_slow_, too_fast=self.too_fast_)
        return table


def _check_limits(vmin, vmax):
    """(vmin, vmax) as positive numbers (either may be None), vmin below vmax; None when neither is given."""
    vmin = check_number("vmin", vmin, low=0, low_open=True, allow_none=True)
    vmax = check_number("vmax", vmax, low=0, low_open=True, allow_none=True)
    if vmin is not None and vmax is not None and vmin >= vmax:
        raise bad_value("vmax", f"a number above `vmin` ({vmin:g})", vmax)
    return None if vmin is None and vmax is None else (vmin, vmax)


def _power_of_ten(value, _position=None) -> str:
    """A colour bar tick of log10 values, written as a log axis writes it: 10^-2, or 3.2e-3 between powers."""
    if float(value).is_integer():
        return f"$\\mathdefault{{10^{{{int(value)}}}}}$"
    return f"{10 ** value:.1e}".replace("e-0", "e-")


def _draw_heatmap(ax, display, limits) -> dict:
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    from vizkit.charts.heatmaps import HeatmapDisplay

    values = display.table["value"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.where(values > 0, np.log10(values), np.nan)  # zero or non-finite: a missing (empty) cell
    wide = (display.table.assign(log=logs).pivot(index="layer", columns="step", values="log")
            .reindex(index=display.layers_, columns=display.steps_))
    wide.index.name, wide.columns.name = "Layer", "Step"
    center = np.log10(UPDATE_RULE) if display.stat == "update_ratio" else None
    label = STATISTICS[display.stat] + " (log scale)"
    vmin, vmax = (None, None) if limits is None else (None if v is None else np.log10(v) for v in limits)
    heatmap = HeatmapDisplay.from_frame(wide, center=center, vmin=vmin, vmax=vmax, label=label)
    artists = heatmap._draw(ax, cbar=True)
    colorbar = artists["colorbar"]
    span = heatmap.vmax_ - heatmap.vmin_
    colorbar.ax.yaxis.set_major_locator(MultipleLocator(1 if span >= 1.5 else 0.5))
    colorbar.ax.yaxis.set_major_formatter(FuncFormatter(_power_of_ten))
    return {**artists, "heatmap": heatmap}


def _draw_lines(ax, display, limits) -> dict:
    from vizkit._core.labels import plain
    from vizkit.colors import hue_colors
    from vizkit.themes import ink

    colors = hue_colors(display.layers_)
    lines = {}
    for layer, rows in display.table.groupby("layer", observed=True, sort=True):
        lines[str(layer)], = ax.plot(rows["step"], rows["value"], color=colors[layer], label=plain(layer))
    ax.set_yscale("log")
    if limits is not None:
        ax.set_ylim(*limits)
    rule = None
    if display.stat == "update_ratio":
        rule = ax.axhline(UPDATE_RULE, color=ink(ax), linestyle="--", linewidth=1.0, label="1e-3 rule of thumb")
    ax.set_xlabel("Step")
    ax.set_ylabel(STATISTICS[display.stat] + " (log scale)")
    legend = ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, title="Layer")
    from vizkit._core.room import keep_inside

    keep_inside(ax)
    return {"lines": lines, "rule": rule, "legend": legend}


def layer_stats(runs, *, stat="grad_norm", kind="heatmap", run=None, vmin=None, vmax=None, ax=None):
    """Draw a per-layer statistic of training (``vizkit.torch.LayerStats``' log): layers by steps.

    Parameters
    ----------
    runs : DataFrame
        What :func:`vizkit.read_run` or :func:`vizkit.read_runs` returns for
        runs trained with ``vizkit.torch.LayerStats``.
    stat : {"grad_norm", "weight_norm", "update_ratio"}
        The gradient norm, the weight norm, or ``‖Δθ‖ / ‖θ‖`` of each step.
    kind : {"heatmap", "lines"}
        A heatmap of layers (rows, in model order) by steps on a log colour
        scale (the update ratio on a diverging scale centred on the rule of
        thumb 1e-3), or one line per layer on a log axis.
    run : str, optional
        The run to draw; default: every run, as the geometric mean per
        layer and step.
    vmin, vmax : float, optional
        The ends of the colour scale (heatmap) or of the y axis (lines), in
        the statistic's units (positive): give two charts the same ones to
        compare them (a plain net's gradient norms beside a residual net's);
        default the logged range.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        :func:`vizkit.plotted_data` gives ``layer, step, value, runs``: the
        logged values.

    See Also
    --------
    LayerStatsDisplay : the same chart with its findings (vanishing or exploding gradients, slow or fast updates).

    Examples
    --------
    >>> import matplotlib.pyplot as plt, pandas as pd, vizkit as vk
    >>> runs = pd.DataFrame({"run": "mlp", "split": "train", "step": [0, 10, 20] * 2,
    ...                      "metric": ["update_ratio/0.weight"] * 3 + ["update_ratio/2.weight"] * 3,
    ...                      "value": [2e-3, 1e-3, 8e-4, 3e-2, 2e-2, 1e-2]})
    >>> ax = vk.layer_stats(runs, stat="update_ratio")
    >>> vk.plotted_data(ax)[["layer", "step", "value"]].values.tolist()[:2]
    [['0.weight', 0, 0.002], ['0.weight', 10, 0.001]]
    >>> vk.plotted_data(ax).attrs["too_fast"]
    ['2.weight']
    >>> plt.close(ax.figure)
    """
    return LayerStatsDisplay.from_runs(runs, stat=stat, run=run).plot(ax=ax, kind=kind, vmin=vmin, vmax=vmax).ax_
