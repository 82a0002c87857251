"""The bootstrap distribution of a statistic: its histogram over resamples, the confidence interval, the observed value.

:class:`BootstrapDisplay` resamples one column with replacement through
:func:`scipy.stats.bootstrap` (:meth:`BootstrapDisplay.from_data`, no
drawing) and draws the statistic's distribution over the resamples as a
histogram, the interval's two ends as dashed lines and the statistic of the
data itself as a solid one (:meth:`BootstrapDisplay.plot`). :func:`bootstrap`
does both in one call. The numbers come from scipy, so ``ci_`` is what
``scipy.stats.bootstrap`` gives for the same resamples. Torch-free.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vizkit._core import bad_type, bad_value, check_number
from vizkit._core.display import Display
from vizkit._core.errors import missing_argument, user_warning
from vizkit._core.labels import axis_label
from vizkit._core.semantics import numeric_values
from vizkit._core.validate import check_choice, resolve_column, resolve_data
from vizkit.colors import palette_for
from vizkit.themes import ink

__all__ = ["BootstrapDisplay", "bootstrap"]

#: The statistics known by name, as functions of ``(sample, axis)`` (vectorised, as scipy wants them).
STATISTICS = {
    "mean": np.mean,
    "median": np.median,
    "std": lambda sample, axis=-1: np.std(sample, axis=axis, ddof=1),
    "var": lambda sample, axis=-1: np.var(sample, axis=axis, ddof=1),
}
#: scipy's interval methods: the percentile interval is the lecture's; BCa and basic for comparison.
METHODS = ("percentile", "BCa", "basic")
#: Opacity of the histogram bars, under the three lines.
HIST_ALPHA = 0.55


def bootstrap(data=None, *, x=None, statistic="mean", n_resamples=9999, confidence_level=0.95,
              method="percentile", random_state=None, color=None, ax=None):
    """Draw the bootstrap distribution of a statistic with its confidence interval and its observed value.

    Parameters
    ----------
    data : DataFrame, optional
        The data; ``x`` names one of its columns.
    x : str or 1-D array-like
        The values to resample: a column of ``data``, or a vector. NaN
        values are left out (with a warning saying how many).
    statistic : {"mean", "median", "std", "var"} or callable, default "mean"
        The statistic; ``"std"`` and ``"var"`` use ``ddof=1``. A callable
        takes a 1-D sample and returns a number (it may take ``axis=`` too,
        then scipy calls it on all resamples at once).
    n_resamples : int, default 9999
        How many resamples (scipy's default).
    confidence_level : float, default 0.95
        The interval's level, a fraction in (0, 1) as in scipy.
    method : {"percentile", "BCa", "basic"}, default "percentile"
        scipy's interval method. The percentile interval is the lecture's:
        the ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles of the
        drawn distribution.
    random_state : int, numpy.random.Generator or None
        The seed (scipy's ``rng``): the same seed draws the same resamples.
    color : colour, optional
        The histogram's colour; default the first of the active palette.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        :func:`vizkit.plotted_data` gives one row per histogram bin
        (``left``, ``right``, ``count``); its ``attrs`` hold ``estimate``
        (the observed statistic), ``ci_low``, ``ci_high``, ``standard_error``,
        ``statistic``, ``n``, ``n_resamples``, ``confidence_level`` and
        ``method``.

    See Also
    --------
    BootstrapDisplay : the same chart, computed first (``ci_``, ``estimate_``,
        ``distribution_``) and drawn on demand.
    bootstrap_632 : the bootstrap of a model's error (.632, .632+).

    Examples
    --------
    >>> import matplotlib.pyplot as plt, vizkit as vk
    >>> penguins = vk.load_dataset("penguins").dropna(subset=["bill_length_mm", "body_mass_g"])
    >>> fig, ax = plt.subplots()
    >>> ax = vk.bootstrap(penguins, x="bill_length_mm", n_resamples=2000, random_state=0, ax=ax)
    >>> drawn = vk.plotted_data(ax)
    >>> round(drawn.attrs["estimate"], 2), round(drawn.attrs["ci_low"], 2), round(drawn.attrs["ci_high"], 2)
    (43.92, 43.33, 44.48)
    >>> int(drawn["count"].sum())
    2000
    >>> plt.close(fig)
    """
    display = BootstrapDisplay.from_data(data, x=x, statistic=statistic, n_resamples=n_resamples,
                                         confidence_level=confidence_level, method=method,
                                         random_state=random_state)
    return display.plot(ax=ax, color=color).ax_


class BootstrapDisplay(Display):
    """A statistic's bootstrap distribution, its confidence interval and its observed value.

    Made by :meth:`from_data` (which resamples through
    :func:`scipy.stats.bootstrap`) and drawn by :meth:`plot`; the findings are
    attributes, readable without drawing.

    Parameters
    ----------
    distribution : 1-D array
        The statistic of each resample.
    estimate : float
        The statistic of the data itself.
    ci : tuple of float
        The interval's ends.
    statistic : str
        The statistic's name (the x label).
    name : str
        The resampled column's name (the x label).
    n : int
        How many values were resampled.
    confidence_level : float
    method : str

    Attributes
    ----------
    estimate_ : float
        The observed statistic.
    ci_ : tuple of (float, float)
        The interval's ends (``scipy.stats.bootstrap(...).confidence_interval``).
    standard_error_ : float
        The standard deviation of the distribution (scipy's ``standard_error``).
    bias_ : float
        The distribution's mean minus the observed statistic.
    distribution_ : ndarray
        The statistic of each resample (scipy's ``bootstrap_distribution``).
    ax_, figure_, artists_
        Set by :meth:`plot`; ``artists_`` holds ``"bars"``, ``"ci"`` (two
        lines), ``"estimate"`` and ``"legend"``.

    Examples
    --------
    >>> import vizkit as vk
    >>> from vizkit.ml import BootstrapDisplay
    >>> penguins = vk.load_dataset("penguins").dropna(subset=["body_mass_g"])
    >>> display = BootstrapDisplay.from_data(penguins, x="body_mass_g", statistic="median",
    ...                                      n_resamples=1000, random_state=1)
    >>> display.estimate_, display.ci_
    (4050.0, (3925.0, 4175.625))
    """

    _chart = "bootstrap"

    def __init__(self, distribution, *, estimate, ci, statistic="mean", name="x", n=None,
                 confidence_level=0.95, method="percentile"):
        self.distribution_ = np.asarray(distribution, dtype=float)
        self.estimate_ = float(estimate)
        self.ci_ = (float(ci[0]), float(ci[1]))
        self.standard_error_ = float(np.std(self.distribution_, ddof=1))
        self.bias_ = float(np.mean(self.distribution_) - self.estimate_)
        self.statistic, self.name = statistic, name
        self.n = n
        self.confidence_level, self.method = float(confidence_level), method
        self.n_resamples = int(self.distribution_.size)

    @classmethod
    def from_data(cls, data=None, *, x=None, statistic="mean", n_resamples=9999, confidence_level=0.95,
                  method="percentile", random_state=None):
        """Resample ``x`` and compute the distribution, the interval and the observed statistic; draw nothing.

        The arguments are :func:`bootstrap`'s (which see); it raises the same errors.
        """
        import warnings

        from scipy import stats

        values, name = _values(data, x)
        function, label = _statistic(statistic)
        n_resamples = check_number("n_resamples", n_resamples, integer=True, low=2)
        level = check_number("confidence_level", confidence_level, low=0, high=1, low_open=True, high_open=True)
        method = check_choice("method", method, METHODS)
        rng = _check_random_state(random_state)
        with warnings.catch_warnings():                              # an overflow is reported below, by name
            warnings.simplefilter("ignore", RuntimeWarning)
            result = stats.bootstrap((values,), function, n_resamples=n_resamples, confidence_level=level,
                                     method=method, vectorized=None if callable(statistic) else True, rng=rng)
            estimate = _scalar(function(values), label)
        if not (np.isfinite(estimate) and np.isfinite(result.bootstrap_distribution).all()):
            raise bad_value("statistic", "a statistic that is finite on `x` and on its resamples", label,
                            got=f"{label} = {estimate:g} on `x`, or a non-finite value on a resample "
                                "(values near the float limit overflow)")
        ci = result.confidence_interval
        return cls(result.bootstrap_distribution, estimate=estimate, ci=(ci.low, ci.high), statistic=label,
                   name=name, n=values.size, confidence_level=level, method=method)

    def plot(self, ax=None, *, color=None):
        """Draw the histogram, the interval and the observed statistic on ``ax``; return ``self``."""
        return super().plot(ax, color=color)

    def _draw(self, ax, *, color=None) -> dict:
        from vizkit._core.room import keep_inside
        from vizkit._core.validate import check_color
        from vizkit.ml.learning_curves import integer_ticks

        color = check_color("color", color) if color is not None else palette_for("color", None, 1)[0]
        counts, edges = self._histogram()
        bars = ax.bar(edges[:-1], counts, width=np.diff(edges), align="edge", color=color, alpha=HIST_ALPHA,
                      linewidth=0, label=f"{self.n_resamples:,} resamples")
        ink_color = ink(ax)
        percent = f"{100 * self.confidence_level:g}%"
        lines = [ax.axvline(end, color=ink_color, linestyle="--", linewidth=1.2, zorder=3,
                            label=f"{percent} CI ({self.method}):\n[{self.ci_[0]:.4g}, {self.ci_[1]:.4g}]" if i == 0
                            else "_ci") for i, end in enumerate(self.ci_)]
        estimate = ax.axvline(self.estimate_, color=ink_color, linewidth=2.0, zorder=4,
                              label=f"observed {self.statistic}: {self.estimate_:.4g}")
        ax.set_xlabel(f"{self.statistic.capitalize()} of {_lower_first(axis_label(self.name))} per resample")
        ax.set_ylabel("Resamples")
        integer_ticks(ax.yaxis)
        legend = ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, alignment="left",
                           title=f"{self.n:,} values, resampled" if self.n else None)
        keep_inside(ax)
        return {"bars": bars, "ci": lines, "estimate": estimate, "legend": legend}

    def _histogram(self):
        values = self.distribution_[np.isfinite(self.distribution_)]
        bins = min(60, max(10, len(np.unique(values))))
        return np.histogram(values, bins=bins)

    def _plotted_data(self):
        counts, edges = self._histogram()
        table = pd.DataFrame({"left": edges[:-1], "right": edges[1:], "count": counts})
        table.attrs.update(estimate=self.estimate_, ci_low=self.ci_[0], ci_high=self.ci_[1],
                           standard_error=self.standard_error_, statistic=self.statistic, n=self.n,
                           n_resamples=self.n_resamples, confidence_level=self.confidence_level, method=self.method)
        return table


# ---------------------------------------------------------------- input
def _values(data, x):
    """The finite values of ``x`` (a column of ``data`` or a vector) and their name; NaN left out with a warning."""
    if x is None:
        raise missing_argument("x", "a column name of `data` or a vector")
    frame = resolve_data(data)
    series = resolve_column("x", frame, x)
    name = x if frame is not None and not _is_array(x) else (getattr(x, "name", None) or "x")
    values = numeric_values("x", series, column=name if frame is not None and not _is_array(x) else None)
    missing = int(np.isnan(values).sum())
    values = values[~np.isnan(values)]
    if missing:
        user_warning(f"bootstrap: {missing} NaN value(s) of `x` left out; {values.size} resampled.")
    if values.size < 2 or np.isinf(values).any():
        raise bad_value("x", "at least two finite numbers", x, got=f"{values.size} non-NaN values"
                        + (", some infinite" if np.isinf(values).any() else ""))
    return values, name


def _is_array(x) -> bool:
    return isinstance(x, (list, tuple, np.ndarray, pd.Series, pd.Index))


def _statistic(statistic):
    """``(function(sample, axis), name)`` for a statistic's name or a callable."""
    if callable(statistic):
        return statistic, getattr(statistic, "__name__", "statistic").strip("<>").replace("lambda", "statistic")
    if not isinstance(statistic, str):
        raise bad_type("statistic", f"one of {', '.join(map(repr, STATISTICS))} or a callable", statistic)
    name = check_choice("statistic", statistic, list(STATISTICS))
    return STATISTICS[name], name


def _scalar(value, name) -> float:
    array = np.asarray(value, dtype=float)
    if array.size != 1:
        raise bad_value("statistic", "a function that returns one number per sample", name,
                        got=f"an array of shape {array.shape}")
    return float(array.reshape(()))


def _check_random_state(random_state):
    if random_state is None or isinstance(random_state, np.random.Generator):
        return random_state
    return check_number("random_state", random_state, integer=True, low=0)


def _lower_first(text: str) -> str:
    """'Bill length (mm)' -> 'bill length (mm)'; an acronym or a name with capitals inside is kept."""
    head = text.split(" ")[0]
    return text if head.isupper() or head[1:] != head[1:].lower() else text[0].lower() + text[1:]
