"""Ensembles as they grow: training and test error against the number of estimators, bagging beside boosting.

:class:`EnsembleCurveDisplay` fits a copy of each ensemble
(:func:`sklearn.base.clone`) and scores it after every estimator it adds
(:meth:`EnsembleCurveDisplay.from_estimators`, no drawing): a boosting model
(AdaBoost, gradient boosting) through its own ``staged_predict``, a bagging
model (``BaggingClassifier``, random forests, extra trees) fitted once and
scored with its first 1, 2, ... estimators averaged, which predicts what a
fit of that size would. :meth:`EnsembleCurveDisplay.plot` draws the
curves, test error solid, training error dashed, the lowest test error of
each model marked. :func:`ensemble_curve` does both in one call. Torch-free.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vizkit._core import bad_value
from vizkit._core.display import Display
from vizkit._core.labels import plain
from vizkit.colors import hue_colors
from vizkit.ml._model_input import LOSS_LABELS, check_models, check_xy, loss_functions
from vizkit.themes import ink

__all__ = ["EnsembleCurveDisplay", "ensemble_curve"]


def ensemble_curve(models, X_train, y_train, X_test, y_test, *, loss=None, train=True, palette=None, ax=None):
    """Draw each ensemble's test (and training) error against its number of estimators.

    Parameters
    ----------
    models : dict of str to estimator, list of estimators, or one estimator
        The ensembles, by name (a list is named by the estimators' classes).
        Each is cloned and fitted on the training rows, never changed. A
        model with ``staged_predict`` (boosting) is scored after each stage;
        bagging model or forest (``n_estimators`` and a list
        ``estimators_``) is scored with its first 1, 2, ... estimators
        averaged, as a fit of that size predicts. The curve has one point per
        fitted estimator: ``n_estimators`` of them (fewer only when a
        boosting model stops early).
    X_train, y_train : array-like
        The rows the ensembles are fitted on.
    X_test, y_test : array-like
        The held-out rows they are scored on.
    loss : {"zero_one", "mse"} or callable, optional
        The error: the 0-1 loss for classifiers, the mean squared error for
        regressors by default; a callable takes ``(y_true, y_pred)``.
    train : bool, default True
        Also draw the error on the training rows (dashed).
    palette : palette name, list or dict, optional
        The models' colours.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        :func:`vizkit.plotted_data` gives one row per model and size:
        ``model``, ``kind`` ("boosting" or "bagging"), ``n_estimators``,
        ``train_error``, ``test_error``.

    See Also
    --------
    EnsembleCurveDisplay : the same, with the findings as attributes.
    decision_regions : the models' decision regions side by side.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, vizkit as vk
    >>> from sklearn.datasets import make_moons
    >>> from sklearn.ensemble import AdaBoostClassifier, BaggingClassifier
    >>> X, y = make_moons(300, noise=0.3, random_state=0)
    >>> models = {"bagging": BaggingClassifier(n_estimators=20, random_state=0),
    ...           "AdaBoost": AdaBoostClassifier(n_estimators=30, random_state=0)}
    >>> fig, ax = plt.subplots()
    >>> ax = vk.ensemble_curve(models, X[:200], y[:200], X[200:], y[200:], ax=ax)
    >>> drawn = vk.plotted_data(ax)
    >>> drawn.groupby("model", sort=False)["n_estimators"].max().to_dict()
    {'bagging': 20, 'AdaBoost': 30}
    >>> plt.close(fig)
    """
    display = EnsembleCurveDisplay.from_estimators(models, X_train, y_train, X_test, y_test, loss=loss)
    return display.plot(ax=ax, train=train, palette=palette).ax_


class EnsembleCurveDisplay(Display):
    """Training and test error of ensembles against their number of estimators.

    Made by :meth:`from_estimators` and drawn by :meth:`plot`.

    Parameters
    ----------
    table : DataFrame
        One row per model and size, as in :func:`ensemble_curve`'s Returns.
    loss : str
        The loss's name (the y label).

    Attributes
    ----------
    models_ : list of str
        The models' names, in the order given.
    final_error_ : dict
        Each model's test error with all its estimators.
    best_n_estimators_ : dict
        Each model's number of estimators with the lowest test error (the
        smallest, on ties).
    best_error_ : dict
        That lowest test error.
    ax_, figure_, artists_
        Set by :meth:`plot`; ``artists_`` maps each model to its ``"test"``
        and ``"train"`` lines and its ``"best"`` marker, and holds the ``"legend"``.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.ensemble import GradientBoostingClassifier
    >>> from sklearn.model_selection import train_test_split
    >>> from vizkit.ml import EnsembleCurveDisplay
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    >>> display = EnsembleCurveDisplay.from_estimators(
    ...     {"boosting": GradientBoostingClassifier(n_estimators=40, random_state=0)}, X_train, y_train, X_test, y_test)
    >>> len(display.table), display.best_n_estimators_, round(display.final_error_["boosting"], 3)
    (40, {'boosting': 3}, 0.035)
    """

    _chart = "ensemble_curve"

    def __init__(self, table, *, loss="zero_one"):
        self.table, self.loss = table, loss
        self.models_ = list(pd.unique(table["model"]))
        self.final_error_, self.best_n_estimators_, self.best_error_ = {}, {}, {}
        for name in self.models_:
            rows = table[table["model"] == name]
            best = int(np.argmin(rows["test_error"].to_numpy()))
            self.final_error_[name] = float(rows["test_error"].iloc[-1])
            self.best_n_estimators_[name] = int(rows["n_estimators"].iloc[best])
            self.best_error_[name] = float(rows["test_error"].iloc[best])

    @classmethod
    def from_estimators(cls, models, X_train, y_train, X_test, y_test, *, loss=None):
        """Fit each ensemble and score it after every estimator; draw nothing (see :func:`ensemble_curve`)."""
        models = check_models(models)
        X_train, y_train = check_xy(X_train, y_train, x_name="X_train", y_name="y_train")
        X_test, y_test = check_xy(X_test, y_test, x_name="X_test", y_name="y_test")
        if X_train.shape[1] != X_test.shape[1]:
            raise bad_value("X_test", f"as many columns as `X_train` ({X_train.shape[1]})", X_test,
                            got=f"{X_test.shape[1]} columns")
        parts, name = [], None
        for model_name, estimator in models.items():
            name, error, _ = loss_functions(loss, estimator)
            kind, stages = _stages(model_name, estimator, X_train, y_train, (X_train, X_test))
            rows = [(k, error(y_train, on_train), error(y_test, on_test))
                    for k, (on_train, on_test) in enumerate(stages, start=1)]
            part = pd.DataFrame(rows, columns=["n_estimators", "train_error", "test_error"])
            parts.append(part.assign(model=model_name, kind=kind))
        table = pd.concat(parts, ignore_index=True)[["model", "kind", "n_estimators", "train_error", "test_error"]]
        return cls(table, loss=name)

    def plot(self, ax=None, *, train=True, palette=None):
        """Draw the curves on ``ax``; return ``self`` (``train=False`` leaves the training error out)."""
        return super().plot(ax, train=train, palette=palette)

    def _draw(self, ax, *, train=True, palette=None) -> dict:
        from matplotlib.lines import Line2D

        from vizkit._core.placement import Growth, Obstacles, place
        from vizkit.ml.learning_curves import integer_ticks

        colors = hue_colors(self.models_, palette=palette)
        artists = {}
        for name in self.models_:
            rows = self.table[self.table["model"] == name]
            k = rows["n_estimators"].to_numpy()
            kind = rows["kind"].iloc[0]
            label = plain(name) if kind in name.lower() else f"{plain(name)} ({kind})"
            drawn = {"test": ax.plot(k, rows["test_error"], color=colors[name], linewidth=2.0, label=label)[0],
                     "train": None}
            if train:
                drawn["train"], = ax.plot(k, rows["train_error"], color=colors[name], linewidth=1.2,
                                          linestyle="--", label="_train")
            drawn["best"], = ax.plot([self.best_n_estimators_[name]], [self.best_error_[name]], linestyle="None",
                                     marker="o", markersize=7, markerfacecolor="none", markeredgewidth=1.5,
                                     markeredgecolor=colors[name], label="_best", zorder=4)
            artists[name] = drawn
        handles = [artists[name]["test"] for name in self.models_]
        color = ink(ax)
        handles += [Line2D([], [], color=color, linewidth=2.0, label="test error"),
                    Line2D([], [], color=color, linewidth=1.2, linestyle="--", label="training error")][: 1 + train]
        handles.append(Line2D([], [], linestyle="None", marker="o", markerfacecolor="none", markeredgecolor=color,
                              markeredgewidth=1.5, label="lowest test error"))
        ax.set_xlabel("Number of estimators")
        ax.set_ylabel(f"Error ({LOSS_LABELS.get(self.loss, self.loss)})")
        ax.set_ylim(bottom=0)
        integer_ticks(ax.xaxis)
        artists["legend"] = ax.legend(handles=handles, frameon=True, facecolor=ax.get_facecolor(), edgecolor="none",
                                      framealpha=0.85)
        place(ax, artists["legend"], Obstacles(lines=list(ax.lines)), growth=Growth(factor=1.1))
        return artists

    def _plotted_data(self):
        return self.table


def _stages(name, estimator, X, y, on):
    """``(kind, iterator of (prediction on on[0], prediction on on[1]) after each estimator)``."""
    from sklearn.base import clone

    model = clone(estimator)
    if callable(getattr(model, "staged_predict", None)):
        model.fit(X, y)
        return "boosting", zip(*(model.staged_predict(rows) for rows in on))
    if "n_estimators" in model.get_params():
        model.fit(X, y)
        if isinstance(getattr(model, "estimators_", None), list) and model.estimators_:
            return "bagging", zip(*(_averaged(model, rows) for rows in on))
    raise bad_value(f"models[{name!r}]", "an ensemble with staged_predict (boosting) or with n_estimators and a "
                    "list of averaged estimators_ (bagging, random forests)", estimator)


def _averaged(model, rows):
    """The predictions of the first 1, 2, ..., n estimators of a fitted bagging ensemble or forest.

    Each estimator predicts once and the predictions are summed in order, as
    the ensemble's own ``predict`` sums them: the mean of the class
    probabilities when every estimator has ``predict_proba`` (else the
    votes) for a classifier, the mean prediction for a regressor. Predicting
    with the first ``k`` estimators gives what a fit with
    ``n_estimators=k`` and the same seed predicts (a test checks this).
    """
    from sklearn.base import is_classifier

    rows = rows.to_numpy() if hasattr(rows, "to_numpy") else np.asarray(rows)
    features = getattr(model, "estimators_features_", None) or [slice(None)] * len(model.estimators_)
    classes = getattr(model, "classes_", None) if is_classifier(model) else None
    soft = classes is not None and all(hasattr(e, "predict_proba") for e in model.estimators_)
    total = np.zeros((len(rows), len(classes)) if classes is not None else len(rows))
    for k, (estimator, columns) in enumerate(zip(model.estimators_, features), start=1):
        inputs = rows[:, columns]
        if classes is None:
            total += estimator.predict(inputs)
            yield total / k
            continue
        own = np.asarray(estimator.classes_)          # the ensemble's class codes this estimator saw
        if soft:
            total[:, own.astype(int)] += estimator.predict_proba(inputs)
        else:
            total[np.arange(len(rows)), np.asarray(estimator.predict(inputs)).astype(int)] += 1
        yield classes[np.argmax(total, axis=1)]
