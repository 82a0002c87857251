"""A model's error by the bootstrap: out-of-bag errors per resample, the training error, the .632 and .632+ estimates.

:class:`Bootstrap632Display` refits a copy of an estimator
(:func:`sklearn.base.clone`) on resamples drawn with replacement
(:func:`sklearn.utils.resample`) and scores each fit on the rows its
resample left out (out of bag) and on all rows (the training error); it
combines them into Efron's .632 estimate and Efron and Tibshirani's .632+
(:meth:`Bootstrap632Display.from_estimator`, no drawing), and draws the
out-of-bag errors as a histogram with the four estimates marked
(:meth:`Bootstrap632Display.plot`). :func:`bootstrap_632` does both in one
call. Any estimator ``clone`` copies will do (a torch module through
``vizkit.torch.TorchEstimator``). Torch-free.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vizkit._core import bad_value, check_number
from vizkit._core.validate import check_choice
from vizkit._core.display import Display
from vizkit.colors import palette_for
from vizkit.ml._model_input import LOSS_LABELS, check_estimator, check_xy, loss_functions

__all__ = ["Bootstrap632Display", "bootstrap_632"]

#: Efron's weight of the out-of-bag error: the chance that a row is in a resample, 1 - 1/e ~ 0.632.
WEIGHT_632 = 0.632
#: The four marks: column of the table, label, line style.
_MARKS = (("train_error", "training error", ":"), ("oob_error", "out-of-bag error", "-"),
          ("err_632", ".632", "--"), ("err_632plus", ".632+", "-."))


def bootstrap_632(estimator, X, y, *, n_resamples=200, loss=None, training_error="resample", random_state=None,
                  color=None, ax=None):
    """Draw a model's out-of-bag errors over bootstrap resamples with its training, .632 and .632+ errors.

    Parameters
    ----------
    estimator : scikit-learn estimator
        Any estimator :func:`sklearn.base.clone` copies (with ``fit`` and
        ``predict``); it is cloned and refitted once per resample, never
        changed.
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    n_resamples : int, default 200
        How many resamples, each of ``n_samples`` rows drawn with replacement.
    loss : {"zero_one", "mse"} or callable, optional
        The error, lower is better: the 0-1 loss for a classifier, the mean
        squared error for a regressor by default; a callable takes
        ``(y_true, y_pred)`` and returns a number (its no-information error
        averages it over all ``n_samples ** 2`` pairs).
    training_error : {"resample", "full"}, default "resample"
        How the estimates are formed (see Notes). ``"resample"``: per
        resample, from its fit's errors on its out-of-bag rows and on all
        rows, then averaged (mlxtend's ``bootstrap_point632_score``).
        ``"full"``: as in the papers, from the training (apparent) error of
        one fit on all rows and the leave-one-out bootstrap error (each
        row's loss averaged over the resamples that left it out, then over
        the rows); it needs a loss by name.
    random_state : int or None
        The seed of the resamples (a :class:`numpy.random.RandomState`, as
        :func:`sklearn.utils.resample` takes it).
    color : colour, optional
        The histogram's colour.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        :func:`vizkit.plotted_data` gives one row per resample: ``resample``,
        ``oob_fraction``, ``oob_error``, ``train_error``,
        ``no_information``, ``relative_overfitting``, ``weight``,
        ``err_632``, ``err_632plus``; its ``attrs`` hold the estimates.

    See Also
    --------
    Bootstrap632Display : the same computation, its findings as attributes.
    bootstrap : the bootstrap distribution of a statistic.

    Notes
    -----
    With ``training_error="resample"``, per resample *b*: the fit on the resample scores its out-of-bag rows
    (``oob_error``) and all ``n`` rows (``train_error``, the training error
    of Efron 1983, eq. 6.12, as mlxtend's ``bootstrap_point632_score``
    computes it); ``err_632 = 0.368 * train_error + 0.632 * oob_error``. The
    .632+ estimate (Efron and Tibshirani 1997) moves the weight towards the
    out-of-bag error as the model overfits: with the no-information error
    γ (the error of the predictions against the labels in every pairing),
    the relative overfitting rate ``R = (oob - train) / (γ - train)``, set to
    0 when ``oob <= train`` or ``γ <= train`` and capped at 1 (the paper's
    rule, ``oob`` taken as at most γ), and the weight ``w = 0.632 / (1 -
    0.368 R)``, from 0.632 (no overfitting) to 1; ``err_632plus = (1 - w) *
    train + w * oob``. The estimates are the means over the resamples; they
    equal 1 minus the mean of mlxtend's scores on the same resamples (same
    seed) whenever no *R* needed the rule (a test checks this to 1e-12).

    With ``training_error="full"`` the same formulas take the apparent error
    of one fit on all rows (Efron 1983's training error: 0 for a
    1-nearest-neighbour rule without duplicate rows), the leave-one-out
    bootstrap error Err(1) for the out-of-bag error, and γ of that one fit;
    they give one number each, drawn over the same histogram of the
    resamples' out-of-bag errors.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, vizkit as vk
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> fig, ax = plt.subplots()
    >>> ax = vk.bootstrap_632(DecisionTreeClassifier(random_state=0), X, y, n_resamples=50, random_state=0, ax=ax)
    >>> drawn = vk.plotted_data(ax)
    >>> len(drawn), round(drawn.attrs["err_632"], 3), round(drawn.attrs["err_632plus"], 3)
    (50, 0.046, 0.046)
    >>> plt.close(fig)
    """
    display = Bootstrap632Display.from_estimator(estimator, X, y, n_resamples=n_resamples, loss=loss,
                                                 training_error=training_error, random_state=random_state)
    return display.plot(ax=ax, color=color).ax_


class Bootstrap632Display(Display):
    """Out-of-bag errors over bootstrap resamples, with the training, .632 and .632+ errors.

    Made by :meth:`from_estimator` (see :func:`bootstrap_632`'s Notes) and
    drawn by :meth:`plot`.

    Parameters
    ----------
    table : DataFrame
        One row per resample, as in :func:`bootstrap_632`'s Returns.
    loss : str
        The loss's name (the x label).
    n : int
        The number of rows resampled.
    summary : dict, optional
        ``oob_error``, ``train_error``, ``no_information``, ``err_632``,
        ``err_632plus`` when the estimates are not the table's means
        (``training_error="full"``).

    Attributes
    ----------
    err_632_, err_632plus_ : float
        The .632 and .632+ estimates (means over the resamples).
    oob_error_, train_error_ : float
        The mean out-of-bag and training errors.
    oob_fraction_ : float
        The mean share of rows a resample leaves out: it tends to
        ``(1 - 1/n) ** n``, about 1/e = 0.368.
    no_information_error_ : float
        The mean no-information error γ.
    ax_, figure_, artists_
        Set by :meth:`plot`; ``artists_`` holds ``"bars"``, one line per
        estimate (``"train_error"``, ``"oob_error"``, ``"err_632"``,
        ``"err_632plus"``) and ``"legend"``.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.neighbors import KNeighborsClassifier
    >>> from vizkit.ml import Bootstrap632Display
    >>> X, y = load_iris(return_X_y=True)
    >>> display = Bootstrap632Display.from_estimator(KNeighborsClassifier(1), X, y, n_resamples=20, random_state=0)
    >>> round(display.oob_fraction_, 3), round(display.train_error_, 3), round(display.err_632_, 3)
    (0.371, 0.014, 0.029)
    """

    _chart = "bootstrap_632"

    def __init__(self, table, *, loss="zero_one", n=None, summary=None):
        self.table = table
        self.loss, self.n = loss, n
        self.training_error = "resample" if summary is None else "full"
        values = table.mean(numeric_only=True) if summary is None else summary
        self.err_632_, self.err_632plus_ = float(values["err_632"]), float(values["err_632plus"])
        self.oob_error_, self.train_error_ = float(values["oob_error"]), float(values["train_error"])
        self.no_information_error_ = float(values["no_information"])
        self.oob_fraction_ = float(table["oob_fraction"].mean())

    @classmethod
    def from_estimator(cls, estimator, X, y, *, n_resamples=200, loss=None, training_error="resample",
                       random_state=None):
        """Refit ``estimator`` on ``n_resamples`` bootstrap resamples and score each; draw nothing.

        The arguments are :func:`bootstrap_632`'s (which see); it raises the same errors.
        """
        from sklearn.base import clone
        from sklearn.utils import resample

        estimator = check_estimator("estimator", estimator)
        X, y = check_xy(X, y)
        n_resamples = check_number("n_resamples", n_resamples, integer=True, low=1)
        if random_state is not None:
            random_state = check_number("random_state", random_state, integer=True, low=0)
        training_error = check_choice("training_error", training_error, ["resample", "full"])
        name, error, no_information = loss_functions(loss, estimator)
        pointwise = _POINTWISE.get(name) if training_error == "full" else None
        if training_error == "full" and pointwise is None:
            raise bad_value("training_error", "'resample' with a callable loss ('full' averages a loss per row: "
                            "pass loss='zero_one' or 'mse')", training_error)
        rng = np.random.RandomState(random_state)
        rows = np.arange(len(y))
        records, sums, counts = [], np.zeros(len(rows)), np.zeros(len(rows))
        for b in range(n_resamples):
            drawn = resample(rows, replace=True, n_samples=len(rows), random_state=rng)
            out = np.setdiff1d(rows, drawn)
            model = clone(estimator).fit(_take(X, drawn), _take(y, drawn))
            predicted = np.asarray(model.predict(X))
            oob = error(_take(y, out), predicted[out]) if out.size else np.nan
            records.append((b, out.size / len(rows), oob, error(y, predicted), no_information(y, predicted)))
            if pointwise is not None:
                sums[out] += pointwise(y[out], predicted[out])
                counts[out] += 1
        table = pd.DataFrame(records, columns=["resample", "oob_fraction", "oob_error", "train_error",
                                               "no_information"])
        table = _estimates(table)
        summary = None
        if pointwise is not None:
            fitted = np.asarray(clone(estimator).fit(X, y).predict(X))
            left_out = counts > 0
            summary = _estimates(pd.DataFrame({"oob_error": [np.mean(sums[left_out] / counts[left_out])],
                                               "train_error": [error(y, fitted)],
                                               "no_information": [no_information(y, fitted)]})).iloc[0].to_dict()
        return cls(table, loss=name, n=len(rows), summary=summary)

    def plot(self, ax=None, *, color=None):
        """Draw the out-of-bag errors and the four estimates on ``ax``; return ``self``."""
        return super().plot(ax, color=color)

    def _draw(self, ax, *, color=None) -> dict:
        from vizkit._core.room import keep_inside
        from vizkit._core.validate import check_color
        from vizkit.colors import context_grey
        from vizkit.ml.learning_curves import integer_ticks

        color = check_color("color", color) if color is not None else context_grey(ax.get_facecolor())
        counts, edges = self._histogram()
        artists = {"bars": ax.bar(edges[:-1], counts, width=np.diff(edges), align="edge", color=color,
                                  linewidth=0, label="out-of-bag error\nof each resample")}
        values = {"train_error": self.train_error_, "oob_error": self.oob_error_, "err_632": self.err_632_,
                  "err_632plus": self.err_632plus_}
        names = {"train_error": "training error (one fit)", "oob_error": "leave-one-out bootstrap error"} \
            if self.training_error == "full" else {}
        for (key, label, style), line_color in zip(_MARKS, palette_for("palette", None, len(_MARKS))):
            label = names.get(key, label)
            artists[key] = ax.axvline(values[key], color=line_color, linestyle=style, linewidth=2.0, zorder=3,
                                      label=f"{label}: {values[key]:.3g}")
        ax.set_xlabel(f"Error ({LOSS_LABELS.get(self.loss, self.loss)})")
        ax.set_ylabel("Resamples")
        integer_ticks(ax.yaxis)
        title = f"{len(self.table)} resamples of {self.n:,} rows;\nleft out: {100 * self.oob_fraction_:.1f}%"
        artists["legend"] = ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, title=title,
                                      alignment="left")
        keep_inside(ax)
        return artists

    def _histogram(self):
        values = self.table["oob_error"].dropna().to_numpy()
        low = min(values.min(), self.train_error_)
        high = max(values.max(), self.err_632plus_)
        return np.histogram(values, bins=min(30, max(8, len(np.unique(values)))), range=(low, high))

    def _plotted_data(self):
        table = self.table.copy()
        table.attrs.update(err_632=self.err_632_, err_632plus=self.err_632plus_, oob_error=self.oob_error_,
                           train_error=self.train_error_, oob_fraction=self.oob_fraction_,
                           no_information=self.no_information_error_, loss=self.loss, n=self.n,
                           training_error=self.training_error)
        return table


def _estimates(table):
    """Add ``relative_overfitting``, ``weight``, ``err_632`` and ``err_632plus`` (Efron and Tibshirani 1997)."""
    oob, train, gamma = (table[c].to_numpy(dtype=float) for c in ("oob_error", "train_error", "no_information"))
    capped = np.minimum(oob, gamma)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where((oob > train) & (gamma > train), (capped - train) / (gamma - train), 0.0)
    rate = np.clip(rate, 0.0, 1.0)
    weight = WEIGHT_632 / (1 - (1 - WEIGHT_632) * rate)
    table["relative_overfitting"] = rate
    table["weight"] = weight
    table["err_632"] = (1 - WEIGHT_632) * train + WEIGHT_632 * oob
    table["err_632plus"] = (1 - weight) * train + weight * capped
    return table


#: The losses by name, per row: what ``training_error="full"`` averages over the resamples that left a row out.
_POINTWISE = {"zero_one": lambda y, predicted: (np.asarray(y) != np.asarray(predicted)).astype(float),
              "mse": lambda y, predicted: (np.asarray(y, dtype=float) - np.asarray(predicted, dtype=float)) ** 2}


def _take(values, rows):
    return values.iloc[rows] if hasattr(values, "iloc") else values[rows]
