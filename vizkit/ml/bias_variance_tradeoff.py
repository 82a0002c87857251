"""The bias-variance trade-off drawn: bias², variance (and noise) stacked against a model's complexity.

:class:`BiasVarianceDisplay` refits an estimator for each value of one
complexity parameter (a tree's ``max_depth``, a polynomial's degree, a
ridge's ``alpha``) and decomposes its expected test loss at each by
:func:`vizkit.ml.bias_variance` (:mod:`vizkit.ml.bias_variance_decomposition`,
mlxtend's definitions). :func:`bias_variance` (``vk.bias_variance``) is the
one call that draws it: the parts stacked as areas, the expected loss as a
line over them, the sweet spot (the lowest expected loss) marked. The chart and
the computation share the name ``bias_variance``: ``vk.bias_variance`` is the
picture, ``vizkit.ml.bias_variance`` the numbers of one model. Torch-free.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from vizkit._core.display import Display
from vizkit._core.labels import axis_label, plain
from vizkit.ml._model_input import check_estimator, check_param
from vizkit.ml.bias_variance_decomposition import BiasVariance
from vizkit.ml.bias_variance_decomposition import bias_variance as decompose
from vizkit.themes import ink

__all__ = ["BiasVarianceDisplay", "bias_variance"]

#: Opacity of the stacked areas: the expected-loss line and the grid show through.
AREA_ALPHA = 0.8
#: Values of a numeric parameter spanning this ratio or more go on a log axis.
LOG_SPAN = 100


class BiasVarianceDisplay(Display):
    """Bias, variance (and noise) of an estimator at each value of a complexity parameter.

    Parameters
    ----------
    table : DataFrame
        One row per parameter value, in the order given: ``param`` (the
        value), ``expected_loss``, ``bias``, ``variance``, ``noise`` (NaN
        without a true function) and ``best`` (True on the sweet spot).
    param_name : str
    loss : {"0-1_loss", "mse"}
    num_rounds, n_test : int
        The bootstrap refits averaged at each value; the test points.
    results : list of BiasVariance, optional
        The decomposition at each value (``results_``).

    Attributes
    ----------
    best_param_ : object
        The sweet spot: the parameter value with the lowest expected loss
        (the first of equal ones).
    best_loss_ : float
        Its expected loss.
    results_ : list of BiasVariance
        The decomposition at each value, as :func:`vizkit.ml.bias_variance` returns it.
    table : DataFrame
        As above; :func:`vizkit.plotted_data` adds ``x``, each value's position.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.model_selection import train_test_split
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from vizkit.ml import BiasVarianceDisplay
    >>> X, y = load_iris(return_X_y=True)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=123, stratify=y)
    >>> found = BiasVarianceDisplay.from_estimator(DecisionTreeClassifier(random_state=123), X_train, y_train,
    ...                                            X_test, y_test, param_name="max_depth", param_range=[1, 2, 3, None],
    ...                                            num_rounds=20, random_seed=123)
    >>> found.best_param_, found.table["bias"].round(3).tolist()
    (2, [0.333, 0.044, 0.022, 0.022])
    """

    _chart = "bias_variance"

    def __init__(self, table: pd.DataFrame, *, param_name: str, loss: str, num_rounds: int, n_test: int,
                 results=None):
        self.table, self.param_name, self.loss = table, param_name, loss
        self.num_rounds, self.n_test = num_rounds, n_test
        self.results_ = list(results or [])
        best = int(np.flatnonzero(table["best"].to_numpy())[0])
        self.best_param_ = table["param"].iloc[best]
        self.best_loss_ = float(table["expected_loss"].iloc[best])

    @classmethod
    def from_estimator(cls, estimator, X_train, y_train, X_test, y_test, *, param_name, param_range,
                       loss="0-1_loss", num_rounds=200, random_seed=None, true_function=None, fit_params=None):
        """Decompose the loss of ``estimator`` with ``param_name`` set to each of ``param_range``; draw nothing.

        Each value refits a clone ``num_rounds`` times on the same bootstrap
        resamples (one ``random_seed`` for all), as :func:`vizkit.ml.bias_variance` does.
        """
        from sklearn.base import clone

        values = check_param(check_estimator("estimator", estimator), param_name, param_range, min_values=2)
        results = [decompose(clone(estimator).set_params(**{param_name: value}), X_train, y_train, X_test, y_test,
                             loss=loss, num_rounds=num_rounds, random_seed=random_seed,
                             true_function=true_function, fit_params=fit_params) for value in values]
        table = pd.DataFrame([r.as_dict() for r in results]).astype(float)
        table.insert(0, "param", pd.Series(values, dtype=object))
        table["best"] = False
        table.loc[int(np.argmin(table["expected_loss"].to_numpy())), "best"] = True
        first = results[0]
        return cls(table, param_name=param_name, loss=first.loss, num_rounds=first.num_rounds, n_test=first.n_test,
                   results=results)

    @property
    def has_noise(self) -> bool:
        """Whether the noise was measured (loss ``"mse"`` with a true function)."""
        return bool(self.table["noise"].notna().all())

    def _positions(self):
        """The x of each value, whether they are categories, and whether the axis is logarithmic."""
        values = list(self.table["param"])
        numeric = all(isinstance(v, numbers.Real) and not isinstance(v, bool) and np.isfinite(v) for v in values)
        if not numeric or len(set(values)) < len(values):
            return np.arange(len(values), dtype=float), True, False
        x = np.asarray(values, dtype=float)
        log = bool((x > 0).all() and x.max() / x.min() >= LOG_SPAN)
        return x, False, log

    def _parts(self) -> list[tuple[str, str]]:
        """``(column, legend label)`` of the stacked parts, bottom to top: what each number means."""
        if self.loss == "0-1_loss":
            return [("bias", "bias: main (majority) prediction wrong"),
                    ("variance", "variance: a refit disagrees with the main prediction")]
        against = "true value" if self.has_noise else "target"
        parts = [("noise", "noise: (target − true value)²")] if self.has_noise else []
        return parts + [("bias", f"bias²: (mean prediction − {against})²"),
                        ("variance", "variance: (prediction − mean prediction)²")]

    def _draw(self, ax, *, palette=None) -> dict:
        from vizkit.colors import context_grey, face_color, hue_colors

        x, categorical, log = self._positions()
        colors = hue_colors(["bias", "variance"], palette=palette)
        colors["noise"] = context_grey(face_color(ax))
        artists = self._draw_parts(ax, x, colors)
        ink_color = ink(ax)
        total = "expected loss" + (" (not their sum)" if self.loss == "0-1_loss" else " (their sum)")
        artists["expected_loss"], = ax.plot(x, self.table["expected_loss"], color=ink_color, linewidth=2.2,
                                            marker="o", markersize=4.5, label=total, zorder=3)
        best = int(np.flatnonzero(self.table["best"].to_numpy())[0])
        artists["sweet_spot"] = ax.axvline(x[best], color=ink_color, linestyle=":", linewidth=1.2, zorder=1.5,
                                           label=f"sweet spot: {plain(self.param_name.rpartition('__')[2])} = "
                                                 f"{plain(_value_text(self.best_param_))} (loss {self.best_loss_:.3g})")
        if categorical:
            ax.set_xticks(x, [plain(_value_text(v)) for v in self.table["param"]])
        if log:
            ax.set_xscale("log")
        if self.loss == "mse":                      # the areas reach the frame; markers of lines keep a margin
            ax.set_xlim(x.min(), x.max())
        ax.set_ylim(0, None)
        ax.set_xlabel(axis_label(self.param_name.rpartition("__")[2]))
        ax.set_ylabel("0-1 loss (share of test predictions wrong)" if self.loss == "0-1_loss"
                      else "Squared error (target units²)")
        artists["legend"] = self._legend(ax)
        return artists

    def _draw_parts(self, ax, x, colors) -> dict:
        """MSE: the parts stacked as areas (they add up to the loss). 0-1 loss: one line each (they do not)."""
        artists, bottom = {}, np.zeros(len(x))
        for column, label in self._parts():
            values = self.table[column].to_numpy(dtype=float)
            if self.loss == "0-1_loss":
                artists[column], = ax.plot(x, values, color=colors[column], linewidth=1.8, marker="o",
                                           markersize=3.5, label=label, zorder=2.5)
                continue
            artists[column] = ax.fill_between(x, bottom, bottom + values, color=colors[column], alpha=AREA_ALPHA,
                                              linewidth=0, label=label)
            bottom = bottom + values
        return artists

    def _legend(self, ax):
        from matplotlib.collections import PolyCollection

        from vizkit._core.placement import Growth, Obstacles, place
        from vizkit._core.room import keep_inside

        legend = ax.legend(title=f"mean over {self.num_rounds} bootstrap refits and {self.n_test} test points",
                           frameon=True, facecolor=ax.get_facecolor(), edgecolor="none", framealpha=0.85,
                           alignment="left")
        obstacles = Obstacles(lines=[line for line in ax.lines if line.get_linestyle() != ":"],
                              fills=[c for c in ax.collections if isinstance(c, PolyCollection)])
        place(ax, legend, obstacles, growth=Growth(factor=1.1))
        keep_inside(ax)
        return legend

    def _plotted_data(self):
        table = self.table.copy()
        table.insert(1, "x", self._positions()[0])
        table.attrs.update(param_name=self.param_name, loss=self.loss, num_rounds=self.num_rounds,
                           n_test=self.n_test, best_param=self.best_param_, best_loss=self.best_loss_)
        return table


def _value_text(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def bias_variance(estimator, X_train, y_train, X_test, y_test, *, param_name, param_range, loss="0-1_loss",
                  num_rounds=200, random_seed=None, true_function=None, fit_params=None, palette=None, ax=None):
    """Draw the bias-variance trade-off: bias², variance (and noise) stacked against a complexity parameter.

    The numbers of one model are :func:`vizkit.ml.bias_variance` (same
    name, no chart); this chart runs it at each value of ``param_range``.
    The stacked areas are the parts of the expected loss, the line over them
    the expected loss itself, and the dotted line the sweet spot, the value
    with the lowest expected loss. What the numbers mean is in the axis
    label and the legend: for ``"0-1_loss"``, shares of test predictions
    (bias: the majority vote of the refits is wrong; variance: a refit
    disagrees with that vote; the loss is at most their sum); for
    ``"mse"``, squared target units, and the parts add up to the loss.

    Parameters
    ----------
    estimator, X_train, y_train, X_test, y_test, loss, num_rounds, random_seed, true_function, fit_params
        As in :func:`vizkit.ml.bias_variance`. Every value refits
        ``num_rounds`` clones, so the chart costs ``len(param_range) * num_rounds`` fits.
    param_name : str
        The complexity parameter, as ``estimator.set_params`` takes it
        (``"max_depth"``, ``"polynomialfeatures__degree"`` in a pipeline).
    param_range : list
        Its values, in the order drawn. Numbers go on a numeric axis (a log
        axis when they span a factor of 100 or more); any other values
        (``None`` for an unlimited depth) are categories.
    palette : optional
        The colours of bias and variance (the noise is the context grey).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        :func:`vizkit.plotted_data` gives ``param, x, expected_loss, bias,
        variance, noise, best``; its ``attrs`` hold ``best_param`` and the settings.

    See Also
    --------
    vizkit.ml.bias_variance : the decomposition of one model.
    BiasVarianceDisplay : the same chart, computed first and drawn on demand.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, vizkit as vk
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.model_selection import train_test_split
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=123, stratify=y)
    >>> ax = vk.bias_variance(DecisionTreeClassifier(random_state=123), X_train, y_train, X_test, y_test,
    ...                       param_name="max_depth", param_range=[1, 2, 3, 4], num_rounds=20, random_seed=123)
    >>> drawn = vk.plotted_data(ax)
    >>> drawn.attrs["best_param"], ax.get_xlabel()
    (2, 'Max depth')
    >>> plt.close(ax.figure)
    """
    display = BiasVarianceDisplay.from_estimator(
        estimator, X_train, y_train, X_test, y_test, param_name=param_name, param_range=param_range, loss=loss,
        num_rounds=num_rounds, random_seed=random_seed, true_function=true_function, fit_params=fit_params)
    return display.plot(ax=ax, palette=palette).ax_
