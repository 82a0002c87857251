"""k-fold cross-validation scores of several models side by side: a point per fold, the mean ± sd.

:class:`CVScoresDisplay` splits the rows once (any scikit-learn splitter, or
an int as ``cross_val_score`` reads it) and scores every model on those same
folds with :func:`sklearn.model_selection.cross_validate`, so fold 3 of one
model is fold 3 of every other: the folds are paired, and a faint line joins
each fold's points across the models. A ``neg_`` scorer
(``"neg_mean_squared_error"``) is drawn as the positive error, labelled
"lower is better". Models are anything :func:`sklearn.base.clone` can copy
(a torch module through ``vizkit.torch.TorchEstimator``). Torch-free;
scikit-learn is imported by the functions that use it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from vizkit._core import bad_value
from vizkit._core.display import Display
from vizkit._core.labels import plain
from vizkit.colors import context_grey, hue_colors
from vizkit.ml._cv_input import folds
from vizkit.ml._model_input import Score, check_models, score_of
from vizkit.themes import ink, muted_ink

__all__ = ["CVScoresDisplay", "cv_scores"]

#: How wide the points of one model spread (in model slots), and where its mean ± sd sits to their right.
SPREAD, MEAN_AT = 0.36, 0.3
#: A model's name wraps at this many characters under its slot.
TICK_WIDTH = 16
def _decimals(sd: float) -> int:
    """Decimals that give the sd two significant digits (0 to 6).

    >>> _decimals(0.019), _decimals(0.0019), _decimals(350.0), _decimals(0.0)
    (3, 4, 0, 3)
    """
    if not math.isfinite(sd) or sd <= 0:
        return 3
    return max(0, min(6, 1 - math.floor(math.log10(sd))))


class CVScoresDisplay(Display):
    """Cross-validation scores of several models on the same folds: a point per fold, the mean ± sd.

    Parameters
    ----------
    table : DataFrame
        One row per (model, fold): ``model``, ``fold`` (from 1), ``score``
        (what scikit-learn's scorer gave, as ``cross_val_score`` returns it),
        ``value`` (what is drawn: ``score``, or ``-score`` for a ``neg_``
        scorer), ``n_train``, ``n_test``, ``fit_time``, ``score_time``.
    metric : str
        What ``value`` is called ("Accuracy", "MSE").
    lower_is_better : bool
        ``value`` is an error (a ``neg_`` scorer shown positive).
    splitter : str
        Which splitter made the folds ("StratifiedKFold").

    Attributes
    ----------
    scores_ : DataFrame
        The per-fold table: folds × models, of the drawn values.
    mean_, sd_ : Series
        Per model: the mean and the standard deviation (ddof=1) of its folds' values.
    best_ : str
        The model with the best mean (highest, or lowest for an error).
    n_splits_ : int
        How many folds (points per model).

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.model_selection import StratifiedKFold
    >>> from sklearn.neighbors import KNeighborsClassifier
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from vizkit.ml import CVScoresDisplay
    >>> X, y = load_iris(return_X_y=True)
    >>> display = CVScoresDisplay.from_estimators(
    ...     {"k-NN": KNeighborsClassifier(), "tree": DecisionTreeClassifier(random_state=0)}, X, y,
    ...     cv=StratifiedKFold(5))
    >>> display.n_splits_, display.best_, display.mean_.round(3).to_dict()
    (5, 'k-NN', {'k-NN': 0.973, 'tree': 0.96})
    """

    _chart = "cv_scores"

    def __init__(self, table: pd.DataFrame, *, metric: str = "Score", lower_is_better: bool = False,
                 splitter: str = "folds"):
        self.table, self.metric, self.lower_is_better, self.splitter = table, metric, lower_is_better, splitter
        models = list(pd.unique(table["model"]))
        self.scores_ = table.pivot(index="fold", columns="model", values="value")[models]
        self.scores_.columns.name = None
        self.mean_, self.sd_ = self.scores_.mean(), self.scores_.std(ddof=1)
        self.best_ = str(self.mean_.idxmin() if lower_is_better else self.mean_.idxmax())
        self.n_splits_ = len(self.scores_)

    @classmethod
    def from_estimators(cls, models, X, y, *, cv=5, scoring=None, groups=None, n_jobs=None):
        """Score each model on the same folds of ``X, y``; draw nothing.

        ``cv`` is split once (:func:`sklearn.model_selection.check_cv` reads an
        int as ``cross_val_score`` does: stratified for classifiers) and
        every model is scored on those folds by
        :func:`sklearn.model_selection.cross_validate`.
        """
        from sklearn.base import is_classifier
        from sklearn.model_selection import cross_validate

        named = check_models(models, methods=("fit",))
        score = score_of(scoring, named.values())
        split = folds(X, y, groups, cv, classifier=all(is_classifier(m) for m in named.values()), y_required=True)
        if len(split.splits) < 2:
            raise bad_value("cv", "at least two folds: one split has no spread to show", cv,
                            got=f"{split.name} with one fold")
        parts = []
        for name, model in named.items():
            try:
                found = cross_validate(model, split.X, split.y, groups=split.groups, cv=split.splits,
                                       scoring=scoring, n_jobs=n_jobs, error_score="raise")
            except Exception as error:        # the model's own failure, named with the model
                raise bad_value("models", "estimators that fit and score on every training fold", model,
                                got=f"{name!r}, which failed: {type(error).__name__}: {error}") from error
            values = np.asarray(found["test_score"], dtype=float)
            parts.append(pd.DataFrame({
                "model": name, "fold": np.arange(1, values.size + 1), "score": values,
                "value": score.sign * values,
                "n_train": [train.size for train, _ in split.splits], "n_test": [test.size for _, test in split.splits],
                "fit_time": found["fit_time"], "score_time": found["score_time"]}))
        return cls(pd.concat(parts, ignore_index=True), metric=score.name, lower_is_better=score.mode == "min",
                   splitter=split.name)

    def _draw(self, ax, *, palette=None) -> dict:
        models = list(self.scores_.columns)
        colors = hue_colors(models, palette=palette)
        k = self.n_splits_
        offsets = (np.arange(k) / (k - 1) - 0.5) * SPREAD if k > 1 else np.zeros(1)
        grey, ink_color = context_grey(), ink(ax)
        values = self.scores_.to_numpy(dtype=float)                     # folds × models
        positions = np.arange(len(models))
        pairs = []
        if len(models) > 1:                                            # the same fold across models: paired
            for fold in range(k):
                line, = ax.plot(positions + offsets[fold], values[fold], color=grey, linewidth=0.8, alpha=0.6,
                                zorder=1, label="_fold")
                pairs.append(line)
        points, summaries = {}, {}
        for i, name in enumerate(models):
            points[name] = ax.scatter(i + offsets, values[:, i], s=30, color=colors[name], alpha=0.9,
                                      edgecolors="white", linewidths=0.5, zorder=3, label="_points")
            mean, sd = self.mean_[name], self.sd_[name]
            summaries[name] = ax.errorbar([i + MEAN_AT], [mean], yerr=[[sd], [sd]], fmt="D", markersize=6,
                                          color=ink_color, capsize=4, elinewidth=1.5, zorder=4, label="_mean")
        ax.set_xticks(positions, [self._tick(name) for name in models])
        ax.set_xlim(-0.6, len(models) - 0.4)
        for label, name in zip(ax.get_xticklabels(), models):
            if name == self.best_ and len(models) > 1:
                label.set_fontweight("bold")
        ax.set_ylabel(Score(-1.0 if self.lower_is_better else 1.0, self.metric,
                            "min" if self.lower_is_better else "max").label)
        ax.set_xlabel(f"{k}-fold cross-validation ({self.splitter})")
        ax.grid(axis="x", visible=False)
        legend = self._legend(ax, values, offsets, pairs)
        return {"points": points, "means": summaries, "folds": pairs, "legend": legend}

    def _legend(self, ax, values, offsets, pairs):
        """What the marks are, placed where it covers the fewest points (the y axis grows if none is free)."""
        from matplotlib.lines import Line2D

        from vizkit._core.placement import Growth, Obstacles, place

        grey, ink_color = context_grey(), ink(ax)
        handles = [Line2D([], [], linestyle="None", marker="o", markersize=5, color=muted_ink(ax)),
                   Line2D([], [], linestyle="None", marker="D", markersize=5, color=ink_color)]
        labels = ["a fold's score", "mean ± sd"]
        if pairs:
            handles.append(Line2D([], [], color=grey, linewidth=0.8))
            labels.append("the same fold")
        legend = ax.legend(handles, labels, ncols=len(handles), frameon=False, handletextpad=0.3,
                           columnspacing=1.2)
        k, m = values.shape
        xs = (np.arange(m)[None, :] + offsets[:, None]).ravel()
        means, sds = self.mean_.to_numpy(), self.sd_.to_numpy()
        summary = np.column_stack([np.tile(np.arange(m) + MEAN_AT, 3),
                                   np.concatenate([means - sds, means, means + sds])])
        place(ax, legend, Obstacles(points=np.vstack([np.column_stack([xs, values.ravel()]), summary]),
                                    margin_px=4), spots=("upper center", "lower center", "upper right", "upper left",
                                                         "lower right", "lower left"), growth=Growth(factor=1.2))
        return legend

    def _tick(self, name) -> str:
        """The model's name (wrapped) over its mean ± sd, the means of all models on one line."""
        import textwrap

        mean, sd = self.mean_[name], self.sd_[name]
        digits = _decimals(sd)
        lines = max(len(textwrap.wrap(plain(str(other)), TICK_WIDTH)) for other in self.scores_.columns)
        words = textwrap.wrap(plain(str(name)), TICK_WIDTH)
        words += [""] * (lines - len(words))                   # every mean ± sd on the same line
        return "\n".join([*words, f"{mean:.{digits}f} ± {sd:.{digits}f}"])

    def _plotted_data(self):
        table = self.table.copy()
        table["mean"] = table["model"].map(self.mean_)
        table["sd"] = table["model"].map(self.sd_)
        table.attrs.update(metric=self.metric, lower_is_better=self.lower_is_better, splitter=self.splitter,
                           best=self.best_, n_splits=self.n_splits_)
        return table


def cv_scores(models, X, y, *, cv=5, scoring=None, groups=None, n_jobs=None, palette=None, ax=None):
    """Draw k-fold cross-validation scores of several models on the same folds: a point per fold, mean ± sd.

    Parameters
    ----------
    models : dict, list or estimator
        ``{name: estimator}``, a list of estimators (named for their class;
        a pipeline for its last step) or one estimator: anything
        :func:`sklearn.base.clone` copies (a torch module through
        ``vizkit.torch.TorchEstimator``).
    X, y : array-like
        The rows and their targets.
    cv : int, splitter or iterable of (train, test)
        Split once and shared by every model. An int is what
        ``cross_val_score`` makes of it: ``StratifiedKFold`` when every
        model is a classifier, else ``KFold`` (neither shuffles).
    scoring : str, callable or None
        A name from ``sklearn.metrics.get_scorer_names()``; a ``neg_`` name
        is drawn as the positive error ("lower is better"). None: each
        model's ``score`` (accuracy, R²).
    groups : array-like, optional
        A group label per row, for splitters that keep groups together (``GroupKFold``).
    n_jobs : int, optional
        Passed to :func:`sklearn.model_selection.cross_validate`.
    palette, ax : optional
        The models' colours; the Axes to draw on.

    Returns
    -------
    matplotlib.axes.Axes
        :func:`vizkit.plotted_data` gives one row per (model, fold):
        ``model, fold, score`` (as ``cross_val_score`` returns it),
        ``value`` (drawn), ``n_train, n_test, fit_time, score_time, mean, sd``.

    See Also
    --------
    CVScoresDisplay : the same chart with its findings (``mean_``, ``sd_``, ``scores_``, ``best_``).
    cv_folds : which rows each fold holds out.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, vizkit as vk
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.linear_model import LinearRegression, Ridge
    >>> X, y = load_diabetes(return_X_y=True)
    >>> ax = vk.cv_scores({"OLS": LinearRegression(), "ridge": Ridge(alpha=1.0)}, X, y, cv=5,
    ...                   scoring="neg_mean_squared_error")
    >>> drawn = vk.plotted_data(ax)
    >>> len(drawn), bool((drawn["value"] == -drawn["score"]).all()), ax.get_ylabel()
    (10, True, 'MSE (lower is better)')
    >>> plt.close(ax.figure)
    """
    display = CVScoresDisplay.from_estimators(models, X, y, cv=cv, scoring=scoring, groups=groups, n_jobs=n_jobs)
    return display.plot(ax=ax, palette=palette).ax_
