"""A diffusion noise schedule drawn over its steps: alpha-bar_t, and the factors of x_0 and of the noise in x_t.

:class:`DiffusionScheduleDisplay` reads one or more
:class:`vizkit.ml.NoiseSchedule` and draws, against t from 0 to T,
alpha-bar_t (the share of x_0's variance left in x_t), sqrt(alpha-bar_t)
(the factor of x_0, the signal) and sqrt(1 - alpha-bar_t) (the factor of
the noise), with the step where signal and noise are equal marked.
:func:`diffusion_schedule` is the one call. Torch-free.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vizkit._core import bad_choice, bad_type
from vizkit._core.display import Display

__all__ = ["DiffusionScheduleDisplay", "diffusion_schedule"]

_QUANTITIES = {"alpha_bar": "ᾱₜ (variance of x₀ kept)", "signal": "√ᾱₜ (factor of x₀)",
               "noise": "√(1 − ᾱₜ) (factor of ε)"}
_STYLES = {"alpha_bar": "-", "signal": "--", "noise": ":"}


def _schedules(schedules) -> dict:
    """Name -> schedule from one schedule, a list of them (named by kind) or a dict."""
    if hasattr(schedules, "alpha_bar") and hasattr(schedules, "kind"):
        schedules = {schedules.kind: schedules}
    elif isinstance(schedules, (list, tuple)):
        schedules = {getattr(s, "kind", str(i)): s for i, s in enumerate(schedules)}
    if not isinstance(schedules, dict) or not schedules:
        raise bad_type("schedules", "a vizkit.ml.NoiseSchedule, a list of them or a dict: name -> schedule",
                       schedules)
    for name, schedule in schedules.items():
        if not (hasattr(schedule, "alpha_bar") and hasattr(schedule, "table")):
            raise bad_type(f"schedules[{name!r}]", "a vizkit.ml.NoiseSchedule (vizkit.ml.noise_schedule(...))",
                           schedule)
    return {str(name): schedule for name, schedule in schedules.items()}


class DiffusionScheduleDisplay(Display):
    """Noise schedules over their steps: alpha-bar_t, the signal and the noise factors.

    Parameters
    ----------
    table : DataFrame
        One row per schedule and step t = 0 ... T: ``schedule``, ``t``,
        ``alpha_bar``, ``signal``, ``noise``.

    Attributes
    ----------
    crossings_ : dict
        Schedule name -> the first t where alpha-bar_t <= 1/2, where the
        noise's factor overtakes the signal's.
    final_ : dict
        Schedule name -> alpha-bar_T, what is left of x_0 at the end (near 0:
        x_T is almost pure noise, as sampling assumes).

    Examples
    --------
    >>> from vizkit.ml import DiffusionScheduleDisplay, noise_schedule
    >>> found = DiffusionScheduleDisplay.from_schedules([noise_schedule("linear"), noise_schedule("cosine")])
    >>> found.crossings_
    {'linear': 260, 'cosine': 497}
    """

    _chart = "diffusion_schedule"

    def __init__(self, table: pd.DataFrame):
        self.table = table
        self.crossings_, self.final_ = {}, {}
        for name, rows in table.groupby("schedule", sort=False):
            below = rows.loc[rows["alpha_bar"] <= 0.5, "t"]
            self.crossings_[name] = int(below.iloc[0]) if len(below) else None
            self.final_[name] = float(rows["alpha_bar"].iloc[-1])

    @classmethod
    def from_schedules(cls, schedules):
        """Tabulate each schedule from t = 0 (alpha-bar = 1) to T; draw nothing."""
        frames = []
        for name, schedule in _schedules(schedules).items():
            steps = schedule.table()[["t", "alpha_bar", "signal", "noise"]]
            start = pd.DataFrame({"t": [0], "alpha_bar": [1.0], "signal": [1.0], "noise": [0.0]})
            frames.append(pd.concat([start, steps], ignore_index=True).assign(schedule=name))
        table = pd.concat(frames, ignore_index=True)
        return cls(table[["schedule", "t", "alpha_bar", "signal", "noise"]])

    def _draw(self, ax, *, quantities=tuple(_QUANTITIES)) -> dict:
        from vizkit._core.labels import plain
        from vizkit._core.placement import Growth, Obstacles, place
        from vizkit.colors import palette
        from vizkit.themes import ink, muted_ink

        quantities = _check_quantities(quantities)
        names = list(self.final_)
        one = len(names) == 1
        colors = palette(n=len(quantities) if one else len(names))
        lines, marks = {}, []
        for i, (name, rows) in enumerate(self.table.groupby("schedule", sort=False)):
            for j, quantity in enumerate(quantities):
                label = _QUANTITIES[quantity] if one else f"{plain(name)}: {_QUANTITIES[quantity]}"
                line, = ax.plot(rows["t"], rows[quantity], color=colors[j if one else i], linewidth=2,
                                linestyle="-" if one else _STYLES[quantity], label=label)
                lines[(name, quantity)] = line
            crossing = self.crossings_[name]
            if crossing is not None:  # in the legend, which is placed clear of the curves
                marks.append(ax.axvline(crossing, color=muted_ink(ax) if one else colors[i], linewidth=1,
                                        linestyle=(0, (1, 2)), zorder=1,
                                        label=f"ᾱ = ½ at t = {crossing}" + ("" if one else f" ({plain(name)})")))
        T = int(self.table["t"].max())  # noqa: N806
        ax.set_xlim(0, T)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("Step t")
        ax.set_ylabel("Factor or share of variance")
        legend = ax.legend(loc="center right", frameon=False, labelcolor=ink(ax))
        place(ax, legend, Obstacles(lines=list(lines.values()), margin_px=4.0),
              spots=("center right", "upper right", "lower right", "lower left"), growth=Growth(factor=1.1))
        return {"lines": lines, "marks": marks, "legend": legend}

    def _plotted_data(self):
        return self.table


def _check_quantities(quantities) -> tuple:
    if isinstance(quantities, str):
        quantities = (quantities,)
    if not isinstance(quantities, (list, tuple)) or not quantities:
        raise bad_type("quantities", f"a list of {', '.join(map(repr, _QUANTITIES))}", quantities)
    for quantity in quantities:
        if quantity not in _QUANTITIES:
            raise bad_choice("quantities", quantity, list(_QUANTITIES))
    return tuple(quantities)


def diffusion_schedule(schedules=None, *, quantities=("alpha_bar", "signal", "noise"), ax=None):
    """Draw a diffusion noise schedule over its steps: alpha-bar_t, and the factors of x_0 and of the noise.

    x_t = sqrt(alpha-bar_t) x_0 + sqrt(1 - alpha-bar_t) epsilon, so the
    signal's factor falls from 1 to 0 as the noise's rises from 0 to 1; a
    dotted line marks where they cross (alpha-bar_t = 1/2), named in the legend.

    Parameters
    ----------
    schedules : NoiseSchedule, list or dict, optional
        From :func:`vizkit.ml.noise_schedule`; several are compared (a colour
        each, a line style per quantity), named by their kind or the dict's keys.
        Default: DDPM's linear schedule, ``noise_schedule("linear")``.
    quantities : list of {'alpha_bar', 'signal', 'noise'}
        Which curves to draw (all three).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    DiffusionScheduleDisplay
        ``crossings_``, ``final_``, ``table`` and ``ax_``;
        :func:`vizkit.plotted_data` gives one row per schedule and step.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, vizkit as vk
    >>> from vizkit.ml import noise_schedule
    >>> drawn = vk.diffusion_schedule(noise_schedule("linear"))
    >>> drawn.crossings_, round(drawn.final_["linear"], 7), drawn.artists_["marks"][0].get_label()
    ({'linear': 260}, 4.04e-05, 'ᾱ = ½ at t = 260')
    >>> vk.diffusion_schedule(ax=plt.figure().subplots()).crossings_  # DDPM's linear schedule by default
    {'linear': 260}
    >>> plt.close("all")
    """
    quantities = _check_quantities(quantities)
    if schedules is None:
        from vizkit.ml.diffusion_noise import noise_schedule

        schedules = noise_schedule("linear")
    return DiffusionScheduleDisplay.from_schedules(schedules).plot(ax=ax, quantities=quantities)
