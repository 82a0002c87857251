"""Decision regions of classifiers side by side, on two features, with the data drawn over them.

:class:`DecisionRegionsDisplay` fits a copy of each classifier on two
features (:func:`sklearn.base.clone`) and predicts a grid over their range
(:meth:`DecisionRegionsDisplay.from_estimators`, no drawing);
:meth:`DecisionRegionsDisplay.plot` draws one panel per model through
scikit-learn's :class:`~sklearn.inspection.DecisionBoundaryDisplay`, the
regions in the classes' colours, the points over them (misclassified ones
ringed). :func:`decision_regions` does both in one call. Torch-free.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vizkit._core import bad_value, check_number
from vizkit._core.axes import attach_data
from vizkit._core.display import Display
from vizkit._core.labels import axis_label, plain
from vizkit.colors import hue_colors
from vizkit.ml._model_input import check_models, check_xy
from vizkit.themes import ink, muted_ink

__all__ = ["DecisionRegionsDisplay", "decision_regions"]

#: Opacity of the regions under the points, and the share of each feature's range added around the data.
REGION_ALPHA = 0.3
PAD = 0.05
#: Size of one panel in inches (width, height).
PANEL = (3.6, 3.4)


def decision_regions(models, X, y, *, features=None, grid_resolution=200, palette=None, fig=None):
    """Draw each classifier's decision regions on two features, side by side, with the points over them.

    Parameters
    ----------
    models : dict of str to classifier, list of classifiers, or one classifier
        The models, by name (a list is named by class). Each is cloned and
        fitted on the two features of ``X`` and ``y``, never changed.
    X : array-like or DataFrame of shape (n_samples, n_features)
        The inputs; two of its columns are used.
    y : array-like of shape (n_samples,)
        The class of each row.
    features : pair of column names or indices, optional
        The two features; required when ``X`` has more than two columns.
    grid_resolution : int, default 200
        Grid points per feature.
    palette : palette name, list or dict, optional
        The classes' colours.
    fig : matplotlib.figure.Figure, optional
        Where to draw; default a new figure, a panel per model.

    Returns
    -------
    DecisionRegionsDisplay
        ``axes_`` (one per model), ``training_error_``;
        :func:`vizkit.plotted_data` of each panel gives one row per point:
        the two features, ``y``, ``predicted`` and ``correct``.

    See Also
    --------
    ensemble_curve : test error against the number of estimators.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, vizkit as vk
    >>> from sklearn.datasets import make_moons
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> X, y = make_moons(200, noise=0.3, random_state=0)
    >>> display = vk.decision_regions({"depth 2": DecisionTreeClassifier(max_depth=2, random_state=0),
    ...                                "depth 10": DecisionTreeClassifier(max_depth=10, random_state=0)}, X, y)
    >>> len(display.axes_), {name: round(e, 3) for name, e in display.training_error_.items()}
    (2, {'depth 2': 0.105, 'depth 10': 0.01})
    >>> int(vk.plotted_data(display.axes_[0])["correct"].sum())
    179
    >>> plt.close(display.figure_)
    """
    display = DecisionRegionsDisplay.from_estimators(models, X, y, features=features,
                                                     grid_resolution=grid_resolution)
    return display.plot(fig=fig, palette=palette)


class DecisionRegionsDisplay(Display):
    """Classifiers' decision regions on two features, with the points they were fitted on.

    Made by :meth:`from_estimators` and drawn by :meth:`plot`.

    Parameters
    ----------
    points : DataFrame
        One row per point and model: ``model``, the two features, ``y``,
        ``predicted``, ``correct``.
    grids : dict
        Per model, ``(xx0, xx1, codes)``: the grid and each grid point's
        predicted class, as an index into ``classes``.
    classes : list
        The classes, in order.
    features : tuple of str
        The two features' names (the axis labels).

    Attributes
    ----------
    models_ : list of str
    training_error_ : dict
        Each model's share of misclassified points.
    axes_ : list of matplotlib.axes.Axes
        Set by :meth:`plot`, one per model; ``ax_`` is the first.
    artists_ : dict
        Per model, its ``"regions"`` (sklearn's
        :class:`~sklearn.inspection.DecisionBoundaryDisplay`) and
        ``"points"``; and the figure's ``"legend"``.
    """

    _chart = "decision_regions"
    axes_ = None

    def __init__(self, points, grids, *, classes, features=("x0", "x1")):
        self.points, self.grids = points, grids
        self.classes = list(classes)
        self.features = tuple(features)
        self.models_ = list(pd.unique(points["model"]))
        self.training_error_ = {name: float(1 - points.loc[points["model"] == name, "correct"].mean())
                                for name in self.models_}

    @classmethod
    def from_estimators(cls, models, X, y, *, features=None, grid_resolution=200):
        """Fit each model on two features and predict a grid; draw nothing (see :func:`decision_regions`)."""
        from sklearn.base import clone, is_classifier

        models = check_models(models)
        for name, model in models.items():
            if not is_classifier(model):
                raise bad_value(f"models[{name!r}]", "a classifier (decision regions are classes)", model)
        X, y = check_xy(X, y)
        X2, names = _two_features(X, features)
        resolution = check_number("grid_resolution", grid_resolution, integer=True, low=2)
        classes = list(np.unique(y))
        if len(classes) < 2:
            raise bad_value("y", "at least two classes", y, got=f"only {classes!r}")
        low, high = X2.min(axis=0), X2.max(axis=0)
        pad = PAD * np.where(high > low, high - low, 1.0)
        xx0, xx1 = np.meshgrid(np.linspace(low[0] - pad[0], high[0] + pad[0], resolution),
                               np.linspace(low[1] - pad[1], high[1] + pad[1], resolution))
        grid = np.column_stack([xx0.ravel(), xx1.ravel()])
        parts, grids = [], {}
        for name, estimator in models.items():
            model = clone(estimator).fit(X2, y)
            predicted = np.asarray(model.predict(X2))
            codes = np.searchsorted(classes, np.asarray(model.predict(grid))).reshape(xx0.shape)
            grids[name] = (xx0, xx1, codes)
            parts.append(pd.DataFrame({"model": name, names[0]: X2[:, 0], names[1]: X2[:, 1], "y": y,
                                       "predicted": predicted, "correct": predicted == y}))
        return cls(pd.concat(parts, ignore_index=True), grids, classes=classes, features=names)

    def plot(self, fig=None, *, palette=None):
        """Draw a panel per model on ``fig`` (default a new figure sized to the row); return ``self``."""
        import matplotlib.pyplot as plt
        from sklearn.inspection import DecisionBoundaryDisplay

        if fig is None:
            fig = plt.figure(figsize=(PANEL[0] * len(self.models_) + 0.4, PANEL[1] + 0.5), layout="constrained")
        axes = list(np.ravel(fig.subplots(1, len(self.models_), sharex=True, sharey=True, squeeze=False)))
        colors = hue_colors(self.classes, palette=palette)
        ordered = [colors[c] for c in self.classes]
        artists = {}
        for ax, name in zip(axes, self.models_):
            xx0, xx1, codes = self.grids[name]
            regions = DecisionBoundaryDisplay(xx0=xx0, xx1=xx1, n_classes=len(self.classes), response=codes,
                                              multiclass_colors=ordered, xlabel=axis_label(self.features[0]),
                                              ylabel=axis_label(self.features[1]))
            # sklearn colours two classes with `colors=` and more through `multiclass_colors`
            binary = {"colors": ordered, "levels": [-0.5, 0.5, 1.5], "zorder": -1} if len(self.classes) == 2 else {}
            regions.plot(ax=ax, plot_method="contourf", alpha=REGION_ALPHA, **binary)
            part = self.points[self.points["model"] == name].reset_index(drop=True)
            artists[name] = {"regions": regions, "points": self._points(ax, part, colors)}
            ax.set_title(f"{plain(name)}\ntraining error {self.training_error_[name]:.3g}", color=ink(ax))
            if ax is not axes[0]:
                ax.set_ylabel("")
            attach_data(ax, part.drop(columns="model"), chart=self._chart)
        artists["legend"] = self._legend(fig, axes[0], colors)
        self.axes_, self.ax_, self.figure_, self.artists_ = axes, axes[0], fig, artists
        return self

    def _points(self, ax, part, colors):
        x0, x1 = part[self.features[0]].to_numpy(), part[self.features[1]].to_numpy()
        drawn = ax.scatter(x0, x1, c=[colors[c] for c in part["y"]], s=16, edgecolors=ink(ax), linewidths=0.4,
                           zorder=3)
        wrong = ~part["correct"].to_numpy()
        if wrong.any():
            ax.scatter(x0[wrong], x1[wrong], s=70, facecolors="none", edgecolors=muted_ink(ax), linewidths=1.0,
                       zorder=2.9)
        return drawn

    def _legend(self, fig, ax, colors):
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], linestyle="None", marker="o", markerfacecolor=colors[c], markeredgecolor=ink(ax),
                          markeredgewidth=0.4, label=plain(str(c))) for c in self.classes]
        handles.append(Line2D([], [], linestyle="None", marker="o", markersize=10, markerfacecolor="none",
                              markeredgecolor=muted_ink(ax), label="misclassified"))
        return fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), frameon=False,
                          title="class (region: predicted, point: true)")

    def _plotted_data(self):
        return self.points


def _two_features(X, features):
    """The two feature columns as a float array, and their names."""
    columns = list(X.columns) if isinstance(X, pd.DataFrame) else list(range(X.shape[1]))
    if features is None:
        if len(columns) != 2:
            raise bad_value("features", f"two of the {len(columns)} columns of `X` (it has more than two)", features)
        features = columns
    if not isinstance(features, (list, tuple)) or len(features) != 2:
        raise bad_value("features", "a pair of column names or indices", features)
    picked = []
    for feature in features:
        if isinstance(X, pd.DataFrame) and feature in columns:
            picked.append(feature)
        elif isinstance(feature, (int, np.integer)) and not isinstance(feature, bool) and 0 <= feature < len(columns):
            picked.append(columns[feature])
        else:
            raise bad_value("features", f"names or indices of columns of `X` ({len(columns)} columns)", feature)
    if isinstance(X, pd.DataFrame):
        values = X[picked].to_numpy(dtype=float)
        names = tuple(str(p) for p in picked)
    else:
        values = np.asarray(X[:, picked], dtype=float)
        names = tuple(f"feature {p}" for p in picked)
    return values, names
