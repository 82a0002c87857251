"""Under- and overfitting as curves: the score against the training-set size, and against a model's capacity.

A learning curve (:class:`LearningCurveDisplay`, :func:`learning_curve`)
trains on growing shares of the data and scores each fit on what it was
trained on and on held-out folds: a gap that stays wide says more data
helps, two low curves that meet say the model is too simple. A validation
curve (:class:`ValidationCurveDisplay`, :func:`validation_curve`) does the
same over a capacity parameter (a polynomial degree, a tree depth, hidden
units, a weight decay): validation is best between underfitting (both
scores poor) and overfitting (training good, validation worse).

The numbers are scikit-learn's (``sklearn.model_selection.learning_curve``
and ``validation_curve``, with its splitters and scorers), for any estimator
``sklearn.base.clone`` can copy (a torch module through
``vizkit.torch.TorchEstimator``). Each point is the mean over the folds with
a band of their spread (± one standard deviation, or min to max); the x axis
names what varies and turns logarithmic when the values span decades; an
error scorer (``neg_mean_squared_error``) is drawn as the positive error,
labelled "lower is better". Torch-free.
"""

from __future__ import annotations

from numbers import Real

import numpy as np
import pandas as pd

from vizkit._core import bad_type, bad_value
from vizkit._core.display import Display
from vizkit._core.labels import axis_label, plain
from vizkit._core.line_band import BAND_ALPHA, RAW_MARKER_SCALE
from vizkit._core.placement import Growth, Obstacles, place
from vizkit._core.validate import check_choice
from vizkit.colors import hue_colors
from vizkit.ml._model_input import Score, check_param, check_range, score_of
from vizkit.ml._score_inputs import check_fit_inputs, check_sizes, scores_array
from vizkit.themes import ink

__all__ = ["LearningCurveDisplay", "ValidationCurveDisplay", "learning_curve", "validation_curve"]

BANDS = ("sd", "minmax")
#: Positive values spanning at least this ratio are drawn on a log axis; at least :data:`EVEN_RATIO`, when they
#: are more evenly spaced on a log axis than on a linear one (2, 4, 8, ..., 256 hidden units).
LOG_RATIO = 1000.0
EVEN_RATIO = 10.0
#: Whole numbers on a log axis (hidden units) are the ticks themselves, written out, when at most this many.
MAX_LISTED_TICKS = 12
#: The y axis of an error turns logarithmic when the errors drawn span this ratio (a polynomial's test MSE).
ERROR_LOG_RATIO = 100.0


class _ScoreCurveDisplay(Display):
    """Training and validation scores per point, mean and band over folds, the best validation point."""

    _x_label = "x"

    def __init__(self, table, *, x, score_name="Score", mode="max", band="sd", n_folds=1, scores=None):
        self.table, self.x, self.band, self.n_folds = table, x, band, int(n_folds)
        self.score_name, self.mode = score_name, mode
        self.scores = scores
        best = np.flatnonzero(table["best"].to_numpy(dtype=bool))
        self.best_index_ = int(best[0]) if best.size else None
        at = (lambda c: float(table[c].iloc[self.best_index_])) if best.size else (lambda c: None)
        self.best_score_, self.best_train_score_, self.gap_at_best_ = at("val"), at("train"), at("gap")

    @classmethod
    def _from_arrays(cls, values, train_scores, val_scores, *, x, score, band, **extra):
        """The table of means and bands from ``(points, folds)`` score arrays, the sign of ``score`` applied."""
        band = check_choice("band", band, BANDS)
        train, val = (score.sign * scores_array(name, s, len(values))
                      for name, s in (("train_scores", train_scores), ("val_scores", val_scores)))
        if train.shape != val.shape:
            raise bad_value("val_scores", f"the shape of train_scores {train.shape}", val_scores,
                            got=f"shape {val.shape}")
        values = list(values)
        table = pd.DataFrame({x: values if all(_is_number(v) for v in values) else pd.Series(values, dtype=object)})
        for name, s in (("train", train), ("val", val)):
            table[name] = s.mean(axis=1)
            spread = s.std(axis=1)
            table[f"{name}_low"], table[f"{name}_high"] = ((table[name] - spread, table[name] + spread)
                                                           if band == "sd" else (s.min(axis=1), s.max(axis=1)))
        sign = 1.0 if score.mode == "max" else -1.0
        table["gap"] = sign * (table["train"] - table["val"])
        finite = np.isfinite(table["val"].to_numpy())
        table["best"] = False
        if finite.any():
            table.loc[int(np.nanargmax(sign * table["val"].to_numpy())), "best"] = True
        folds = _long_scores(values, x, train, val)
        return cls(table, x=x, score_name=score.name, mode=score.mode, band=band, n_folds=train.shape[1],
                   scores=folds, **extra)

    def plot(self, ax=None, *, xscale=None, yscale=None, palette=None):
        """Draw both curves with their bands and the best validation point; return ``self``.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
        xscale, yscale : {"linear", "log", "symlog"}, optional
            Default: x logarithmic when its values are positive and span
            decades (symlog when one of them is 0), y logarithmic when the
            scores are errors spanning two decades; else linear.
        palette : palette name, list or dict, optional
            Colours of ``"train"`` and ``"val"``; default the active colour
            cycle, the colours :func:`vizkit.gap` and :func:`vizkit.curves` give them.
        """
        return super().plot(ax, xscale=xscale, yscale=yscale, palette=palette)

    def _draw(self, ax, *, xscale=None, yscale=None, palette=None) -> dict:
        colors = hue_colors(["train", "val"], palette=palette)
        positions, categorical = _positions(self.table[self.x])
        artists = {}
        size = RAW_MARKER_SCALE * _marker_size()
        for split, label in (("train", "train"), ("val", "validation")):
            low, high = (self.table[f"{split}_{end}"].to_numpy(dtype=float) for end in ("low", "high"))
            artists[f"{split}_band"] = ax.fill_between(positions, low, high, color=colors[split], alpha=BAND_ALPHA,
                                                       linewidth=0, zorder=1.5)
            artists[split], = ax.plot(positions, self.table[split].to_numpy(dtype=float), color=colors[split],
                                      marker="o", markersize=size, zorder=2.2, label=label)
        artists["best"] = artists["gap"] = None
        if self.best_index_ is not None:
            at = positions[self.best_index_]
            artists["gap"], = ax.plot([at, at], [self.best_train_score_, self.best_score_], color=ink(ax),
                                      linestyle=":", linewidth=1.2, zorder=1.8, label="_gap")
            artists["best"], = ax.plot([at], [self.best_score_], linestyle="None", marker="o", markersize=2.2 * size,
                                       markerfacecolor="none", markeredgecolor=ink(ax), markeredgewidth=1.5,
                                       zorder=5, label="_best")
        self._axes(ax, positions, categorical, (xscale, yscale))
        artists["legend"] = self._legend(ax, colors, size)
        return artists

    def _axes(self, ax, positions, categorical, scales):
        """Scales, ticks and labels: the x axis names what varies, the y axis the score and its direction."""
        from matplotlib.ticker import NullLocator

        from vizkit.ml.learning_curves import integer_ticks

        xscale, yscale = scales
        values = self.table[self.x]
        if categorical:
            ax.set_xticks(positions, [plain(str(v)) for v in values])
            xscale = "linear"
        else:
            xscale = _check_scale("xscale", xscale) or _auto_x_scale(positions)
            _set_scale(ax.xaxis, ax.set_xscale, xscale, positions)
            whole = all(float(v).is_integer() for v in positions)
            if xscale == "linear" and whole:
                integer_ticks(ax.xaxis)
            elif xscale == "log" and whole and len(positions) <= MAX_LISTED_TICKS:
                ax.set_xticks(positions, [f"{v:,.0f}" for v in positions])  # 1, 2, 4, ..., 256 units
                ax.xaxis.set_minor_locator(NullLocator())
        yscale = _check_scale("yscale", yscale) or self._auto_y_scale()
        _set_scale(ax.yaxis, ax.set_yscale, yscale, self.table[["train", "val"]].to_numpy().ravel())
        ax.set_xlabel(self._x_label + (" (log scale)" if xscale in ("log", "symlog") else ""))
        label = Score(1, self.score_name, self.mode).label
        ax.set_ylabel(plain(label[:-1] + ", log scale)" if yscale in ("log", "symlog") else label))

    def _auto_y_scale(self) -> str:
        """"log" for errors whose means span :data:`ERROR_LOG_RATIO` (a band below 0 then runs off the bottom)."""
        drawn = self.table[["train", "val"]].to_numpy(dtype=float)
        drawn = drawn[np.isfinite(drawn)]
        if self.mode == "min" and drawn.size and drawn.min() > 0 and drawn.max() / drawn.min() >= ERROR_LOG_RATIO:
            return "log"
        return "linear"

    def _legend(self, ax, colors, size):
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        handles = [(Patch(facecolor=colors[s], alpha=BAND_ALPHA, linewidth=0),
                    Line2D([], [], color=colors[s], marker="o", markersize=size)) for s in ("train", "val")]
        labels = ["train", "validation"]
        if self.best_index_ is not None:
            handles.append(Line2D([], [], linestyle="None", marker="o", markersize=1.6 * size, markerfacecolor="none",
                                  markeredgecolor=ink(ax), markeredgewidth=1.5))
            labels.append(plain(f"best: {self._best_text()}, {_number(self.best_score_)}"))
            handles.append(Line2D([], [], color=ink(ax), linestyle=":", linewidth=1.2))
            labels.append(plain(f"gap to train there: {_number(self.gap_at_best_)}"))
        spread = "± 1 sd" if self.band == "sd" else "min to max"
        title = f"mean of {self.n_folds} folds, band {spread}" if self.n_folds > 1 else None
        legend = ax.legend(handles, labels, title=title, frameon=True, facecolor=ax.get_facecolor(),
                           edgecolor="none", framealpha=0.85)
        from matplotlib.collections import PolyCollection

        place(ax, legend, Obstacles(lines=[line for line in ax.lines],
                                    fills=[c for c in ax.collections if isinstance(c, PolyCollection)]),
              growth=Growth(factor=1.1))
        return legend

    def _best_text(self) -> str:
        return str(self.table[self.x].iloc[self.best_index_])

    def _plotted_data(self):
        table = self.table.copy()
        table.attrs.update(score=self.score_name, mode=self.mode, band=self.band, n_folds=self.n_folds)
        return table


class LearningCurveDisplay(_ScoreCurveDisplay):
    """Score against the number of training examples: training and validation, mean and band over folds.

    Made by :meth:`from_estimator` (scikit-learn's ``learning_curve``) or
    :meth:`from_scores` (its arrays, saved earlier), drawn by :meth:`plot`.

    Parameters
    ----------
    table : DataFrame
        One row per training-set size: ``train_size``, ``train``, ``val``
        (the means over folds), ``train_low``, ``train_high``, ``val_low``,
        ``val_high`` (the band), ``gap`` (how much worse validation is than
        training) and ``best`` (True at the best validation mean).
    x : str
        The name of the size column, ``"train_size"``.
    score_name, mode, band, n_folds, scores
        The score's label, ``"max"`` or ``"min"`` (errors), ``"sd"`` or
        ``"minmax"``, the number of folds, and every fold's score (a long
        frame: ``train_size``, ``fold``, ``split``, ``score``).

    Attributes
    ----------
    best_train_size_ : int or None
        The size with the best validation mean.
    best_score_, best_train_score_, gap_at_best_ : float or None
        The validation and training means there, and the gap between them
        (positive: validation worse).
    final_gap_ : float
        The gap at the largest size: wide means more data would still help.
    best_index_ : int or None
        The row of the best point.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from vizkit.ml import LearningCurveDisplay
    >>> X, y = load_iris(return_X_y=True)
    >>> display = LearningCurveDisplay.from_estimator(DecisionTreeClassifier(random_state=0), X, y,
    ...                                               train_sizes=[0.2, 0.6, 1.0], cv=5, shuffle=True, random_state=0)
    >>> display.table["train_size"].tolist(), display.best_train_size_, round(display.best_score_, 3)
    ([24, 72, 120], 120, 0.96)
    """

    _chart = "learning_curve"
    _x_label = "Training examples"

    def __init__(self, table, *, x="train_size", **kwargs):
        super().__init__(table, x=x, **kwargs)
        self.best_train_size_ = None if self.best_index_ is None else int(table[x].iloc[self.best_index_])
        self.final_gap_ = float(table["gap"].iloc[-1])

    @classmethod
    def from_estimator(cls, estimator, X, y, *, groups=None, train_sizes=(0.1, 0.325, 0.55, 0.775, 1.0), cv=None,
                       scoring=None, score_name=None, band="sd", shuffle=False, random_state=None, n_jobs=None):
        """Fit ``estimator`` on growing shares of each training fold and score it (scikit-learn's ``learning_curve``).

        The arguments are :func:`learning_curve`'s; nothing is drawn.
        """
        from sklearn.model_selection import learning_curve as sk_learning_curve

        score = check_fit_inputs(estimator, X, y, scoring, score_name)
        sizes, train, val = sk_learning_curve(estimator, X, y, groups=groups, train_sizes=check_sizes(train_sizes),
                                              cv=cv, scoring=scoring, shuffle=shuffle, random_state=random_state,
                                              n_jobs=n_jobs, error_score="raise")
        return cls._from_arrays(sizes, train, val, x="train_size", score=score, band=band)

    @classmethod
    def from_scores(cls, train_sizes, train_scores, val_scores, *, scoring=None, score_name=None, band="sd"):
        """Take what ``sklearn.model_selection.learning_curve`` returned (sizes and two (sizes, folds) arrays).

        ``scoring`` is the scorer those scores came from: a ``neg_`` one is
        drawn as a positive error.

        Examples
        --------
        >>> from vizkit.ml import LearningCurveDisplay
        >>> display = LearningCurveDisplay.from_scores([50, 100], [[-1.0, -3.0], [-2.0, -2.0]],
        ...                                            [[-9.0, -7.0], [-4.0, -6.0]], scoring="neg_mean_squared_error")
        >>> display.table[["train_size", "train", "val", "gap"]].values.tolist(), display.score_name
        ([[50.0, 2.0, 8.0, 6.0], [100.0, 2.0, 5.0, 3.0]], 'MSE')
        """
        sizes = np.asarray(train_sizes)
        if sizes.ndim != 1 or not np.issubdtype(sizes.dtype, np.number):
            raise bad_value("train_sizes", "a 1-D array of training-set sizes", train_sizes)
        return cls._from_arrays(sizes, train_scores, val_scores, x="train_size",
                                score=score_of(scoring, score_name=score_name), band=band)

    def _best_text(self) -> str:
        return f"{self.best_train_size_:,} examples"


class ValidationCurveDisplay(_ScoreCurveDisplay):
    """Score against a parameter's values (a capacity): training and validation, mean and band over folds.

    Made by :meth:`from_estimator` (scikit-learn's ``validation_curve``) or
    :meth:`from_scores`, drawn by :meth:`plot`.

    Parameters
    ----------
    table : DataFrame
        One row per value: the parameter's column (named ``x``, the values
        as given), then the columns of :class:`LearningCurveDisplay`'s table.
    x : str
        The parameter's name (``"max_depth"``, ``"svc__gamma"``).
    score_name, mode, band, n_folds, scores
        As in :class:`LearningCurveDisplay`.

    Attributes
    ----------
    best_param_ : object or None
        The value with the best validation mean (the first on ties).
    best_score_, best_train_score_, gap_at_best_ : float or None
        The validation and training means there, and how much worse
        validation is (positive: an overfitting gap).
    best_index_ : int or None

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from vizkit.ml import ValidationCurveDisplay
    >>> X, y = load_iris(return_X_y=True)
    >>> display = ValidationCurveDisplay.from_estimator(DecisionTreeClassifier(random_state=0), X, y,
    ...                                                 param_name="max_depth", param_range=[1, 2, 3, 4, None])
    >>> display.best_param_, round(display.best_score_, 3), round(display.gap_at_best_, 3)   # None: no limit
    (4, 0.967, 0.023)
    """

    _chart = "validation_curve"

    def __init__(self, table, *, x, **kwargs):
        super().__init__(table, x=x, **kwargs)
        self.best_param_ = None if self.best_index_ is None else _plain(table[x].iloc[self.best_index_])
        self._x_label = axis_label(x.rpartition("__")[2])

    @classmethod
    def from_estimator(cls, estimator, X, y, *, param_name, param_range, groups=None, cv=None, scoring=None,
                       score_name=None, band="sd", n_jobs=None):
        """Fit ``estimator`` at each value of ``param_name`` on each fold and score it (``validation_curve``).

        The arguments are :func:`validation_curve`'s; nothing is drawn.
        """
        from sklearn.model_selection import validation_curve as sk_validation_curve

        score = check_fit_inputs(estimator, X, y, scoring, score_name)
        values = check_param(estimator, param_name, param_range)
        train, val = sk_validation_curve(estimator, X, y, param_name=param_name, param_range=values, groups=groups,
                                         cv=cv, scoring=scoring, n_jobs=n_jobs, error_score="raise")
        return cls._from_arrays(values, train, val, x=param_name, score=score, band=band)

    @classmethod
    def from_scores(cls, param_range, train_scores, val_scores, *, param_name, scoring=None, score_name=None,
                    band="sd"):
        """Take what ``sklearn.model_selection.validation_curve`` returned (two (values, folds) arrays).

        Examples
        --------
        >>> from vizkit.ml import ValidationCurveDisplay
        >>> display = ValidationCurveDisplay.from_scores([1e-4, 1e-2, 1.0], [[0.9, 1.0], [0.8, 0.9], [0.5, 0.6]],
        ...                                              [[0.6, 0.7], [0.8, 0.7], [0.5, 0.5]], param_name="alpha")
        >>> display.best_param_, display.best_score_, round(display.gap_at_best_, 3)
        (0.01, 0.75, 0.1)
        """
        if not isinstance(param_name, str) or not param_name:
            raise bad_type("param_name", "the parameter's name (a str)", param_name)
        values = check_range(param_range)
        return cls._from_arrays(values, train_scores, val_scores, x=param_name,
                                score=score_of(scoring, score_name=score_name), band=band)

    def _best_text(self) -> str:
        return f"{self._x_label.lower() if self._x_label[1:].islower() else self._x_label} {_format(self.best_param_)}"


def learning_curve(estimator, X, y, *, groups=None, train_sizes=(0.1, 0.325, 0.55, 0.775, 1.0), cv=None,
                   scoring=None, score_name=None, band="sd", shuffle=False, random_state=None, n_jobs=None,
                   xscale=None, yscale=None, palette=None, ax=None):
    """Draw the score against the number of training examples, training and validation, over folds.

    Parameters
    ----------
    estimator : scikit-learn estimator
        Anything ``sklearn.base.clone`` copies and ``fit`` trains: a
        pipeline, a torch module through ``vizkit.torch.TorchEstimator``.
    X, y : array-like
        The data, split into folds by ``cv``.
    groups : array-like, optional
        Group labels for a group splitter (``GroupKFold``).
    train_sizes : sequence of float or int
        Shares of each training fold (floats in (0, 1]) or numbers of
        examples (ints).
    cv : int, splitter or iterable, optional
        scikit-learn's ``cv``: default 5 folds (stratified for a classifier).
    scoring : str or callable, optional
        A scikit-learn scorer name (``"accuracy"``, ``"neg_mean_squared_error"``)
        or a scorer; default the estimator's ``score`` (accuracy, R²). A
        ``neg_`` scorer is drawn as the positive error ("MSE (lower is
        better)").
    score_name : str, optional
        The y axis' name instead of the scorer's.
    band : {"sd", "minmax"}
        The band around each mean: ± one standard deviation over folds, or
        their minimum to maximum (the legend says which).
    shuffle, random_state
        Shuffle the training rows before taking the first n of them.
    n_jobs : int, optional
        Fits run side by side (joblib).
    xscale, yscale : {"linear", "log", "symlog"}, optional
        Default chosen from the values (see :meth:`LearningCurveDisplay.plot`).
    palette : palette name, list or dict, optional
        Colours of ``"train"`` and ``"val"``.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        ``vizkit.plotted_data(ax)`` holds one row per size: ``train_size``,
        ``train``, ``val``, their bands, ``gap`` and ``best``.

    See Also
    --------
    LearningCurveDisplay : the same, computed first (``best_train_size_``,
        ``final_gap_``) and drawn on demand.
    validation_curve : the score against a parameter.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, vizkit as vk
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.naive_bayes import GaussianNB
    >>> X, y = load_iris(return_X_y=True)
    >>> ax = vk.learning_curve(GaussianNB(), X, y, train_sizes=[0.1, 0.3, 1.0], shuffle=True, random_state=0)
    >>> vk.plotted_data(ax)[["train_size", "val"]].round(3).values.tolist()   # iris is sorted: shuffle
    [[12.0, 0.793], [36.0, 0.94], [120.0, 0.953]]
    >>> ax.get_xlabel(), ax.get_ylabel()                  # 12, 36, 120: even steps on a log axis
    ('Training examples (log scale)', 'Accuracy (higher is better)')
    >>> plt.close(ax.figure)
    """
    display = LearningCurveDisplay.from_estimator(estimator, X, y, groups=groups, train_sizes=train_sizes, cv=cv,
                                                  scoring=scoring, score_name=score_name, band=band, shuffle=shuffle,
                                                  random_state=random_state, n_jobs=n_jobs)
    return display.plot(ax=ax, xscale=xscale, yscale=yscale, palette=palette).ax_


def validation_curve(estimator, X, y, *, param_name, param_range, groups=None, cv=None, scoring=None,
                     score_name=None, band="sd", n_jobs=None, xscale=None, yscale=None, palette=None, ax=None):
    """Draw the score against a parameter's values (a capacity): training and validation, over folds.

    Parameters
    ----------
    estimator : scikit-learn estimator
        As in :func:`learning_curve`.
    X, y : array-like
    param_name : str
        A parameter ``estimator.set_params`` takes: ``"max_depth"``, a
        pipeline step's ``"svc__gamma"``, a torch model's ``"module__hidden"``
        or ``"weight_decay"``. The x axis is named after its last part.
    param_range : sequence
        Its values, in the order drawn. Numbers give a numeric axis
        (logarithmic when they span decades: 1e-5 to 1e-1); anything else
        (``None`` for an unlimited depth, names) one position per value.
    groups, cv, scoring, score_name, band, n_jobs, xscale, yscale, palette, ax
        As in :func:`learning_curve`.

    Returns
    -------
    matplotlib.axes.Axes
        ``vizkit.plotted_data(ax)`` holds one row per value: the parameter,
        ``train``, ``val``, their bands, ``gap`` and ``best``.

    See Also
    --------
    ValidationCurveDisplay : the same, computed first (``best_param_``,
        ``best_score_``, ``gap_at_best_``) and drawn on demand.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, vizkit as vk
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.neighbors import KNeighborsClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> ax = vk.validation_curve(KNeighborsClassifier(), X, y, param_name="n_neighbors", param_range=[1, 5, 25, 75])
    >>> drawn = vk.plotted_data(ax)
    >>> drawn.loc[drawn["best"], "n_neighbors"].tolist(), ax.get_xlabel()
    ([5], 'N neighbors (log scale)')
    >>> plt.close(ax.figure)
    """
    display = ValidationCurveDisplay.from_estimator(estimator, X, y, param_name=param_name, param_range=param_range,
                                                    groups=groups, cv=cv, scoring=scoring, score_name=score_name,
                                                    band=band, n_jobs=n_jobs)
    return display.plot(ax=ax, xscale=xscale, yscale=yscale, palette=palette).ax_

def _long_scores(values, x, train, val) -> pd.DataFrame:
    """Every fold's score: ``x, fold, split, score`` (train folds first)."""
    points, folds = train.shape
    column = [v for v in values for _ in range(folds)]
    parts = [pd.DataFrame({x: pd.Series(column, dtype=object), "fold": np.tile(np.arange(folds), points),
                           "split": split, "score": scores.ravel()})
             for split, scores in (("train", train), ("val", val))]
    return pd.concat(parts, ignore_index=True)


# ---------------------------------------------------------------- draw
def _is_number(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, (bool, np.bool_)) and np.isfinite(float(value))


def _positions(values) -> tuple[np.ndarray, bool]:
    """Where each value goes on x: the numbers themselves, or 0, 1, 2, ... for anything else."""
    values = list(values)
    if all(_is_number(v) for v in values):
        return np.asarray(values, dtype=float), False
    return np.arange(len(values), dtype=float), True


def _auto_x_scale(x) -> str:
    """"log" for positive values spanning decades (see :data:`LOG_RATIO`), "symlog" for them with 0, else "linear"."""
    positive = x[x > 0]
    if (x < 0).any() or positive.size < 2 or (x == 0).sum() > 1:
        return "linear"
    ratio = positive.max() / positive.min()
    if ratio >= LOG_RATIO or (ratio >= EVEN_RATIO and positive.size > 2 and _even_on_log(positive)):
        return "symlog" if (x == 0).any() else "log"
    return "linear"


def _even_on_log(positive) -> bool:
    """Whether the values are more evenly spaced on a log axis than on a linear one (they differ: max > min)."""
    steps = np.diff(np.sort(positive))
    log_steps = np.diff(np.log(np.sort(positive)))
    return np.std(log_steps) / np.mean(log_steps) < np.std(steps) / np.mean(steps)


def _check_scale(argument, scale):
    return None if scale is None else check_choice(argument, scale, ["linear", "log", "symlog"])


def _set_scale(axis, setter, scale, values):
    if scale == "symlog":
        values = np.abs(np.asarray(values, dtype=float))
        setter("symlog", linthresh=float(values[values > 0].min()) if (values > 0).any() else 1.0, linscale=0.5)
    else:
        setter(scale)


def _marker_size() -> float:
    import matplotlib as mpl

    return float(mpl.rcParams["lines.markersize"])


def _plain(value):
    """A NumPy scalar as the Python number it holds (``best_param_`` reads as the value given)."""
    return value.item() if isinstance(value, np.generic) else value


def _number(value) -> str:
    return f"{value:.3g}"


def _format(value) -> str:
    return f"{value:g}" if _is_number(value) else str(value)
