"""Confusion matrices: which classes a classifier takes for which, counted by scikit-learn, drawn as a heatmap.

scikit-learn computes (``sklearn.metrics.confusion_matrix``); vizkit draws it
with :func:`vizkit.heatmap`: true classes down the rows, predicted classes
across the columns, every cell annotated in a colour that reads on it, and the
correct diagonal in bold.
"""

from __future__ import annotations

import numpy as np

from vizkit._core import bad_type, bad_value, check_choice, missing_dependency
from vizkit._core.display import Display
from vizkit._core.errors import user_warning
from vizkit.charts.heatmaps.heatmapplot import MAX_ANNOTATED, HeatmapDisplay

__all__ = ["confusion_matrix", "ConfusionMatrixDisplay"]

_NORMALIZE = (None, "true", "pred", "all")
_LABELS = {None: "count", "true": "share of the true class", "pred": "share of the predicted class",
           "all": "share of all samples"}
TRUE, PREDICTED = "True label", "Predicted label"


def _sklearn_metrics():
    try:
        from sklearn import metrics
    except ImportError:  # pragma: no cover - scikit-learn is in vizkit's data extra
        raise missing_dependency("vk.confusion_matrix", "scikit-learn", "data") from None
    return metrics


def _classes(argument: str, values) -> np.ndarray:
    """``values`` as a 1-D array of class labels, none missing."""
    import pandas as pd

    if isinstance(values, (str, bytes)) or np.ndim(values) == 0:
        raise bad_type(argument, "a 1-D sequence of class labels", values)
    array = values.to_numpy() if isinstance(values, (pd.Series, pd.Index)) else np.asarray(values)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise bad_value(argument, "a 1-D sequence of class labels", values, got=f"an array of shape {array.shape}")
    if not len(array):
        raise bad_value(argument, "at least one class label", values, got="an empty sequence")
    missing = pd.isna(array)
    if missing.any():
        raise bad_value(argument, "class labels without missing values", values,
                        got=f"{int(missing.sum())} missing value(s), the first at position {int(np.argmax(missing))}")
    return array


def _format_rate(value: float) -> str:
    """A rate as a whole percent; a rate that rounds to 0 % or 100 % but is not says so."""
    if 0 < value < 0.005:
        return "<1%"
    if 0.995 <= value < 1:
        return ">99%"
    return f"{value:.0%}"


class ConfusionMatrixDisplay(Display):
    """A classifier's confusion matrix: counts (or rates) per true and predicted class, drawn as a heatmap.

    Made by :meth:`from_predictions` or :meth:`from_estimator` and drawn by
    :meth:`plot`; :func:`confusion_matrix` does both.

    Parameters
    ----------
    counts : ndarray of int
        ``counts[i, j]``: samples of true class ``labels[i]`` predicted as ``labels[j]``.
    labels : list
        The classes, in the rows' (and columns') order.
    normalize : {None, "true", "pred", "all"}
        What the cells show: counts, or rates over each true class (rows sum
        to 1), each predicted class (columns sum to 1), or all samples.
    matrix : ndarray of float
        What the cells show (``counts`` itself when ``normalize`` is None).
    cmap, annot : optional
        As in :func:`vizkit.heatmap`; ``annot="auto"`` writes the numbers up to 50 classes.
    n_excluded : int
        Samples whose true or predicted class is not among ``labels`` (not counted).

    Attributes
    ----------
    confusion_matrix_ : ndarray
        The drawn matrix (rates when normalized).
    counts_ : ndarray of int
    labels_ : list
    accuracy_ : float
        Share of counted samples on the diagonal.
    n_samples_ : int
        Samples counted.
    most_confused_ : (true, predicted, count) or None
        The largest off-diagonal cell; None when every sample is right.
    heatmap_ : HeatmapDisplay
        The heatmap drawn (colours, annotations, text colours).
    ax_, figure_, artists_
        Set by :meth:`plot` (``"image"``, ``"colorbar"``, ``"annotations"``).

    Examples
    --------
    >>> from vizkit.charts.confusion import ConfusionMatrixDisplay
    >>> found = ConfusionMatrixDisplay.from_predictions(["cat", "dog", "dog", "cat"], ["cat", "dog", "cat", "cat"])
    >>> found.counts_.tolist(), found.accuracy_, found.most_confused_
    ([[2, 0], [1, 1]], 0.75, ('dog', 'cat', 1))
    """

    _chart = "confusion_matrix"

    def __init__(self, counts, *, labels, normalize=None, matrix=None, cmap=None, annot="auto", n_excluded=0):
        import pandas as pd

        self.counts_ = np.asarray(counts, dtype=np.int64)
        self.labels_ = [label.item() if isinstance(label, np.generic) else label for label in labels]
        self.normalize_ = normalize
        self.confusion_matrix_ = self.counts_ if matrix is None else np.asarray(matrix, dtype=float)
        self.n_samples_ = int(self.counts_.sum())
        self.n_excluded_ = int(n_excluded)
        self.accuracy_ = float(np.trace(self.counts_) / self.n_samples_) if self.n_samples_ else float("nan")
        wrong = self.counts_ * (1 - np.eye(len(self.labels_), dtype=np.int64))
        i, j = np.unravel_index(np.argmax(wrong), wrong.shape)
        self.most_confused_ = (self.labels_[i], self.labels_[j], int(wrong[i, j])) if wrong[i, j] else None
        frame = pd.DataFrame(self.confusion_matrix_, index=pd.Index(self.labels_, name=TRUE),
                             columns=pd.Index(self.labels_, name=PREDICTED))
        fmt = _format_rate if normalize else ",d"
        if isinstance(annot, str) and annot == "auto":  # numbers while they can be read, colour alone beyond
            annot = len(self.labels_) ** 2 <= MAX_ANNOTATED
        self.heatmap_ = HeatmapDisplay.from_frame(frame, cmap=cmap, annot=annot, fmt=fmt, label=_LABELS[normalize],
                                                  vmin=0, vmax=1 if normalize else None)

    @classmethod
    def from_predictions(cls, y_true, y_pred, *, labels=None, normalize=None, cmap=None, annot="auto"):
        """Count the predictions per true and predicted class with scikit-learn's ``confusion_matrix``.

        Parameters
        ----------
        y_true, y_pred : 1-D sequences of class labels, of one length
        labels : sequence, optional
            The classes to show, in order (default: every class in either, sorted).
        normalize : {None, "true", "pred", "all"}, optional
        cmap, annot : optional
            As in :func:`vizkit.heatmap`.
        """
        metrics = _sklearn_metrics()
        y_true, y_pred = _classes("y_true", y_true), _classes("y_pred", y_pred)
        if len(y_true) != len(y_pred):
            raise bad_value("y_pred", f"as many labels as `y_true` ({len(y_true)})", None,
                            got=f"{len(y_pred)} labels")
        check_choice("normalize", normalize, _NORMALIZE)
        labels = cls._labels(labels, y_true, y_pred)
        try:
            counts = metrics.confusion_matrix(y_true, y_pred, labels=labels)
        except (TypeError, ValueError) as error:
            raise bad_value("y_pred", "class labels of the same kind as `y_true` (and `labels`)", None,
                            got=f"scikit-learn's complaint: {error}") from None
        excluded = int(len(y_true) - counts.sum())
        if excluded:
            user_warning(f"{excluded} of {len(y_true)} samples have a true or predicted class not in `labels`; "
                         "they are not counted.")
        matrix = metrics.confusion_matrix(y_true, y_pred, labels=labels, normalize=normalize) if normalize else None
        return cls(counts, labels=labels, normalize=normalize, matrix=matrix, cmap=cmap, annot=annot,
                   n_excluded=excluded)

    @classmethod
    def from_estimator(cls, estimator, X, y, *, labels=None, normalize=None, cmap=None, annot="auto"):
        """Predict ``X`` with a fitted scikit-learn classifier, then :meth:`from_predictions` against ``y``."""
        if not hasattr(estimator, "predict"):
            raise bad_type("estimator", "a fitted classifier with a predict method", estimator)
        if labels is None and hasattr(estimator, "classes_"):
            labels = list(estimator.classes_)
        return cls.from_predictions(y, estimator.predict(X), labels=labels, normalize=normalize, cmap=cmap,
                                    annot=annot)

    @staticmethod
    def _labels(labels, y_true, y_pred) -> list:
        if labels is None:
            try:
                _sklearn_metrics()
                from sklearn.utils.multiclass import unique_labels

                return list(unique_labels(y_true, y_pred))
            except (TypeError, ValueError) as error:
                raise bad_value("y_pred", "class labels of the same kind as `y_true`", None,
                                got=f"scikit-learn's complaint: {error}") from None
        if isinstance(labels, (str, bytes)) or np.ndim(labels) != 1 or not len(labels):
            raise bad_type("labels", "a non-empty 1-D sequence of class labels", labels)
        labels = list(labels)
        if len(set(labels)) != len(labels):
            raise bad_value("labels", "distinct class labels", labels)
        if not set(labels) & set(y_true.tolist()):
            raise bad_value("labels", "class labels of which at least one is in `y_true`", labels)
        return labels

    def _draw(self, ax, *, square=True, cbar=True) -> dict:
        from matplotlib.ticker import PercentFormatter

        artists = self.heatmap_._draw(ax, square=square, cbar=cbar)
        for text, (i, j) in zip(artists["annotations"], self._written(), strict=True):
            if i == j:
                text.set_fontweight("bold")
        if self.normalize_ and artists["colorbar"] is not None:
            artists["colorbar"].ax.yaxis.set_major_formatter(PercentFormatter(xmax=1))
        return artists

    def _written(self):
        table = self.heatmap_.table
        written = table[table["annotation"] != ""]
        return list(zip(written["i"], written["j"], strict=True))

    def _plotted_data(self):
        table = self.heatmap_._plotted_data().rename(columns={"row": "true", "col": "predicted"})
        table.insert(3, "count", self.counts_.ravel())
        table.attrs.update(accuracy=self.accuracy_, normalize=self.normalize_, n_samples=self.n_samples_)
        return table


def confusion_matrix(y_true, y_pred, *, labels=None, normalize=None, cmap=None, annot="auto", cbar=True, ax=None):
    """Draw a classifier's confusion matrix: true classes down, predicted classes across.

    scikit-learn counts (``sklearn.metrics.confusion_matrix``); each cell
    shows its count, or its rate with ``normalize``, in a colour that reads on
    it; the diagonal (the correct predictions) is bold.

    Parameters
    ----------
    y_true, y_pred : 1-D sequences of class labels
        The true and the predicted class of each sample, of one length.
    labels : sequence, optional
        The classes to show, in order (default: every class in either,
        sorted). Samples of other classes are not counted (with a warning).
    normalize : {None, "true", "pred", "all"}, optional
        None: counts. "true": each row as shares of its true class (the
        diagonal is each class's recall). "pred": each column as shares of its
        predicted class (the diagonal is precision). "all": shares of all samples.
    cmap : str or Colormap, optional
        Default ``"vizkit_seq"``.
    annot : bool or "auto", default "auto"
        Write each cell's count or rate in it; "auto": up to 50 classes
        (2 500 cells), beyond which colour alone shows the matrix.
    cbar : bool, default True
        Draw a colour bar.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        :func:`vizkit.plotted_data` gives one row per cell: ``true``,
        ``predicted``, ``value`` (count or rate), ``count``, ``annotation``,
        ``color``; its ``attrs`` hold the ``accuracy``.

    See Also
    --------
    ConfusionMatrixDisplay : the findings (accuracy, most confused pair) without drawing.
    heatmap : the chart underneath.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import vizkit as vk
    >>> ax = vk.confusion_matrix(["cat", "dog", "dog", "cat"], ["cat", "dog", "cat", "cat"], normalize="true")
    >>> vk.plotted_data(ax)[["true", "predicted", "count", "annotation"]].values.tolist()
    [['cat', 'cat', 2, '100%'], ['cat', 'dog', 0, '0%'], ['dog', 'cat', 1, '50%'], ['dog', 'dog', 1, '50%']]
    >>> plt.close(ax.figure)
    """
    if not isinstance(cbar, (bool, np.bool_)):
        raise bad_type("cbar", "True or False", cbar)
    display = ConfusionMatrixDisplay.from_predictions(y_true, y_pred, labels=labels, normalize=normalize, cmap=cmap,
                                                      annot=annot)
    return display.plot(ax=ax, cbar=cbar).ax_
