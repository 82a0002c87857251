"""Which past inputs a prediction can use: a fixed window against a recurrent state, over the lag.

:class:`MemoryReachDisplay` draws, for each model, the mean |∂ŷ/∂x| of its
prediction over how many steps back an input lies (what
``vizkit.torch.lag_sensitivity`` measures), shades the window of a window-k
autoregressive model (it cannot see past it: its line is 0 there), marks the
lag the series really depends on, and writes each model's error in the
legend. Lecture 7's point in one chart: the AR model's memory is its window,
the RNN's is its state, which can reach further. Torch-free.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vizkit._core import bad_type, bad_value
from vizkit._core.display import Display
from vizkit._core.labels import plain
from vizkit._core.validate import tidy

__all__ = ["MemoryReachDisplay", "memory_reach"]

#: A lag counts as used when its sensitivity is at least this share of the model's largest.
USED = 0.05


def _check_lag(argument: str, value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise bad_value(argument, "a whole number of steps >= 1, or None", value)
    return int(value)


def _check_errors(errors, models: list):
    if errors is None:
        return {}
    if not isinstance(errors, dict):
        raise bad_type("errors", "a dict {model: test error}", errors)
    unknown = [name for name in errors if str(name) not in models]
    if unknown:
        raise bad_value("errors", f"a dict whose keys are models in `data` ({', '.join(map(repr, models))})",
                        errors, got=f"unknown {unknown[0]!r}")
    bad = [name for name, value in errors.items()
           if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) or not np.isfinite(value)]
    if bad:
        raise bad_value("errors", "finite numbers", errors, got=f"{errors[bad[0]]!r} for {bad[0]!r}")
    return {str(name): float(value) for name, value in errors.items()}


class MemoryReachDisplay(Display):
    """Mean |∂ŷ/∂x| over the lag, one line per model, with a window shaded and the true dependency marked.

    Parameters
    ----------
    table : DataFrame
        ``model``, ``lag`` and ``sensitivity``, sorted by model and lag.
    window : int or None
        The autoregressive model's window (lags 1 … window are shaded).
    depends_on : int or None
        The lag the series' next value depends on (a dashed line).
    errors : dict
        Each model's test error, written in its legend entry.
    error_name : str
        What the errors are ("test MSE").

    Attributes
    ----------
    peak_lag_ : dict
        Per model, the lag it depends on most.
    reach_ : dict
        Per model, the largest lag whose sensitivity is at least
        :data:`USED` of its peak: how far back it reads.
    best_ : str or None
        The model with the lowest error (None without errors).

    Examples
    --------
    >>> import pandas as pd
    >>> from vizkit.ml import MemoryReachDisplay
    >>> data = pd.DataFrame({"model": ["AR"] * 10 + ["RNN"] * 10, "lag": list(range(1, 11)) * 2,
    ...                      "sensitivity": [.3, .2, .1, .1] + [0] * 6 + [.05] * 7 + [.8] + [.02] * 2})
    >>> found = MemoryReachDisplay.from_frame(data, window=4, depends_on=8, errors={"AR": 1.0, "RNN": 0.38})
    >>> found.peak_lag_, found.reach_["AR"], found.best_
    ({'AR': 1, 'RNN': 8}, 4, 'RNN')
    """

    _chart = "memory_reach"

    def __init__(self, table, *, window=None, depends_on=None, errors=None, error_name="test MSE"):
        self.table = table
        self.window = window
        self.depends_on = depends_on
        self.errors = dict(errors or {})
        self.error_name = error_name
        self.peak_lag_, self.reach_ = {}, {}
        for model, rows in table.groupby("model", sort=False):
            values, lags = rows["sensitivity"].to_numpy(dtype=float), rows["lag"].to_numpy()
            peak = values.max()
            self.peak_lag_[str(model)] = int(lags[values.argmax()])
            self.reach_[str(model)] = int(lags[values >= USED * peak].max()) if peak > 0 else 0
        self.best_ = min(self.errors, key=self.errors.get) if self.errors else None

    @classmethod
    def from_frame(cls, data, *, x="lag", y="sensitivity", hue="model", window=None, depends_on=None, errors=None,
                   error_name="test MSE"):
        """Check ``data`` (one row per model and lag), the window, the dependency and the errors; draws nothing."""
        table = tidy(data, required=("x", "y", "hue"), x=x, y=y, hue=hue)
        if table.empty:
            raise bad_value("data", "a table with a sensitivity per model and lag", data, got="no rows")
        lags = pd.to_numeric(table["x"], errors="coerce")
        values = pd.to_numeric(table["y"], errors="coerce")
        if lags.isna().any() or (lags < 1).any() or (lags != lags.round()).any():
            raise bad_value("x", "a column of lags: whole numbers of steps back, >= 1", x,
                            got=f"values {table['x'].tolist()[:5]}")
        if values.isna().any() or not np.isfinite(values).all() or (values < 0).any():
            raise bad_value("y", "a column of sensitivities |∂ŷ/∂x| (finite numbers >= 0)", y,
                            got=f"values {table['y'].tolist()[:5]}")
        models = table["hue"].astype(str)
        if pd.DataFrame({"m": models, "l": lags}).duplicated().any():
            raise bad_value("data", f"one row per model and lag (`{hue}`, `{x}`)", data, got="repeated rows")
        if not isinstance(error_name, str):
            raise bad_type("error_name", "a name for the errors, such as 'test MSE'", error_name)
        levels = list(dict.fromkeys(models))
        frame = pd.DataFrame({"model": pd.Categorical(models, levels, ordered=True),
                              "lag": lags.astype(int).to_numpy(), "sensitivity": values.to_numpy(dtype=float)})
        frame = frame.sort_values(["model", "lag"], ignore_index=True)
        frame["model"] = frame["model"].astype(str)
        return cls(frame, window=_check_lag("window", window), depends_on=_check_lag("depends_on", depends_on),
                   errors=_check_errors(errors, levels), error_name=error_name)

    def plot(self, ax=None, *, palette=None, legend=True):
        """Draw the lines, the shaded window and the dependency; returns ``self``.

        ``artists_`` holds ``lines`` (by model), ``window``, ``depends_on`` and ``legend`` (those drawn).
        """
        if not isinstance(legend, bool):
            raise bad_type("legend", "True or False", legend)
        return super().plot(ax, palette=palette, legend=legend)

    def _draw(self, ax, *, palette, legend) -> dict:
        from vizkit.colors import context_grey, hue_colors

        models = list(dict.fromkeys(self.table["model"]))
        colors = hue_colors(models, palette=palette)
        artists = {"lines": {}}
        if self.window is not None:
            artists["window"] = ax.axvspan(0.5, self.window + 0.5, color=context_grey(ax.get_facecolor()), alpha=0.25, linewidth=0,
                                           label=f"AR window: the last {self.window} values")
        for model, rows in self.table.groupby("model", sort=False):
            label = model if model not in self.errors else f"{model}: {self.error_name} {self.errors[model]:.2f}"
            artists["lines"][model], = ax.plot(rows["lag"], rows["sensitivity"], marker="o", markersize=3.5,
                                               color=colors[model], linewidth=1.6, label=plain(label))
        if self.depends_on is not None:
            artists["depends_on"] = ax.axvline(self.depends_on, color=context_grey(ax.get_facecolor()), linestyle="--", linewidth=1.2,
                                               label=f"the next value depends on the value {self.depends_on} steps back")
        lags = self.table["lag"]
        ax.set_xlim(0.5, lags.max() + 0.5)
        ax.set_ylim(bottom=0)
        ax.set_xlabel("steps back from the predicted value")
        ax.set_ylabel("mean |∂prediction / ∂input|")
        if legend:
            artists["legend"] = ax.legend(loc="upper left", bbox_to_anchor=(0, -0.14), ncols=2, frameon=False,
                                          fontsize="small")  # below the Axes: the lines and the marks stay clear
        return artists

    def _plotted_data(self):
        return self.table.copy()


def memory_reach(data, *, x="lag", y="sensitivity", hue="model", window=None, depends_on=None, errors=None,
                 error_name="test MSE", palette=None, legend=True, ax=None):
    """Draw which past inputs each model's prediction depends on: |∂ŷ/∂x| over the lag, a window shaded.

    Parameters
    ----------
    data : DataFrame
        One row per model and lag (steps back from the predicted value, from
        1), e.g. from ``vizkit.torch.lag_sensitivity`` of each model.
    x, y, hue : str, default "lag", "sensitivity", "model"
    window : int, optional
        An autoregressive model's window: lags 1 … window shaded.
    depends_on : int, optional
        The lag the series really depends on: a dashed line.
    errors : dict, optional
        ``{model: error}``, written in the legend (``error_name`` says which).
    error_name : str, default "test MSE"
    palette : optional
    legend : bool, default True
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        ``vizkit.plotted_data(ax)`` holds ``model, lag, sensitivity``.

    Examples
    --------
    >>> import pandas as pd
    >>> import vizkit as vk
    >>> data = pd.DataFrame({"model": ["AR"] * 6 + ["RNN"] * 6, "lag": list(range(1, 7)) * 2,
    ...                      "sensitivity": [.4, .2, 0, 0, 0, 0, .1, .1, .1, .1, .1, .7]})
    >>> ax = vk.memory_reach(data, window=2, depends_on=6)
    >>> len(vk.plotted_data(ax)), tuple(map(float, ax.get_xlim()))
    (12, (0.5, 6.5))
    """
    display = MemoryReachDisplay.from_frame(data, x=x, y=y, hue=hue, window=window, depends_on=depends_on,
                                            errors=errors, error_name=error_name)
    return display.plot(ax=ax, palette=palette, legend=legend).ax_
