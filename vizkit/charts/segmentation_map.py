"""Semantic segmentation drawn over its image: one colour per class, a legend naming each class, IoU per class.

A segmentation model gives a class per pixel: a label mask (H×W of class
indices) or per-class scores (C×H×W logits, read as their argmax over the
classes). :func:`segmentation` draws the image in grey (or in colour), the
labels over it as a translucent colour per class (the background class left
clear), and a legend that names each class present; given the true mask, the
legend also gives each class's intersection over union (scikit-learn's
``jaccard_score``, ``average=None``) and its title the mean IoU.
"""

from __future__ import annotations

import numpy as np

from vizkit._core import bad_type, bad_value, check_number
from vizkit._core.display import Display
from vizkit._core.labels import plain

__all__ = ["segmentation", "SegmentationDisplay"]

_MASK = "a label mask (H×W of class indices) or class scores (C×H×W logits)"


def _array(argument: str, value, expected: str) -> np.ndarray:
    """``value`` as a NumPy array of numbers (tensors detached and moved to the CPU without importing torch)."""
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        value = value.detach().cpu()
    try:
        array = np.asarray(value)
    except Exception:  # noqa: BLE001 - ragged lists and objects NumPy refuses: word it as vizkit does
        raise bad_type(argument, expected, value) from None
    if array.dtype.kind == "b":
        array = array.astype(np.int64)
    if array.dtype.kind not in "iuf":
        raise bad_type(argument, expected, value, got=f"{array.dtype} values")
    return array


def _check_classes(classes, n: int | None) -> list[str]:
    """The class names as strings, one per index; ``None`` names them by index (``n`` of them)."""
    if classes is None:
        return [str(i) for i in range(n)]
    if isinstance(classes, (str, bytes)) or not hasattr(classes, "__len__") or not len(classes):
        raise bad_type("classes", "a list of class names, one per class index", classes)
    names = [str(name) for name in classes]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise bad_value("classes", "distinct class names", classes, got=f"{repeated[0]!r} more than once")
    return names


def _labels(argument: str, value, n_classes: int | None, shape: tuple[int, int]) -> np.ndarray:
    """A mask of class indices (H×W), from a mask or from C×H×W logits (argmax over the classes)."""
    array = _array(argument, value, _MASK)
    if array.ndim == 3:
        if n_classes is not None and array.shape[0] != n_classes:
            raise bad_value(argument, f"class scores with one channel per class ({n_classes} classes)", None,
                            got=f"scores of shape {array.shape} ({array.shape[0]} channels)")
        if not np.isfinite(array).all():
            raise bad_value(argument, "finite class scores", None, got="NaN or infinite scores")
        labels = array.argmax(axis=0)
    elif array.ndim == 2:
        if array.dtype.kind == "f" and not (np.isfinite(array).all() and (array == np.round(array)).all()):
            raise bad_value(argument, "whole-number class indices in a 2-D mask", None,
                            got="fractional or missing values", hint="Pass logits as C×H×W to take their argmax.")
        labels = array.astype(np.int64)
        high = n_classes if n_classes is not None else labels.max() + 1
        unknown = np.unique(labels[(labels < 0) | (labels >= high)])
        if unknown.size:
            raise bad_value(argument, f"class indices from 0 to {high - 1} (one per name in `classes`)", None,
                            got=f"unknown class index {unknown[0]} ({int(np.isin(labels, unknown).sum())} pixels)")
    else:
        raise bad_value(argument, _MASK, None, got=f"an array of shape {array.shape}")
    if labels.shape != shape:
        raise bad_value(argument, f"a mask of the image's height and width {shape}", None,
                        got=f"{labels.shape} (from shape {array.shape})")
    return labels


def _image(image) -> np.ndarray:
    array = _array("image", image, "an image: H×W (grey) or H×W×3 / H×W×4 (colour, channels last)")
    if array.ndim == 3 and array.shape[0] in (1, 3) and array.shape[2] not in (3, 4):
        array = np.moveaxis(array, 0, -1)  # channels first (a tensor's layout)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[..., 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (3, 4)):
        raise bad_value("image", "H×W (grey) or H×W×3 / H×W×4 (colour)", None, got=f"an array of shape {array.shape}")
    return array.astype(np.float32) if array.dtype == np.float16 else array


def _iou(truth: np.ndarray, labels: np.ndarray, n_classes: int) -> np.ndarray:
    """IoU per class by scikit-learn (NaN for a class in neither mask)."""
    from sklearn.metrics import jaccard_score

    iou = jaccard_score(truth.ravel(), labels.ravel(), labels=list(range(n_classes)), average=None, zero_division=0)
    present = (np.bincount(truth.ravel(), minlength=n_classes) + np.bincount(labels.ravel(), minlength=n_classes)) > 0
    return np.where(present[:n_classes], iou, np.nan)


class SegmentationDisplay(Display):
    """A per-pixel class map over its image, with per-class pixel counts and, given the truth, IoU per class.

    Made by :meth:`from_predictions` and drawn by :meth:`plot`;
    :func:`segmentation` does both.

    Attributes
    ----------
    image_ : ndarray
        The image drawn under the labels.
    labels_ : ndarray of int, H×W
        The class index of each pixel (the argmax of logits).
    classes_ : list of str
    truth_ : ndarray of int or None
    table_ : pandas.DataFrame
        One row per class: ``index``, ``class``, ``pixels`` (predicted), ``true_pixels``, ``iou``
        (NaN without a truth, or for a class in neither mask), ``color`` (None for the background).
    iou_ : pandas.Series or None
        IoU per class name (``table_["iou"]``), None without a truth.
    mean_iou_ : float or None
        The mean IoU over the classes present in the truth or the prediction.
    ax_, figure_, artists_
        Set by :meth:`plot` (``"image"``, ``"labels"``, ``"legend"``).

    Examples
    --------
    >>> import numpy as np
    >>> from vizkit.charts.segmentation_map import SegmentationDisplay
    >>> truth = np.array([[0, 0, 1], [0, 2, 2]])
    >>> logits = np.eye(3)[[[0, 1, 1], [0, 2, 2]]].transpose(2, 0, 1)   # C×H×W scores
    >>> found = SegmentationDisplay.from_predictions(np.zeros((2, 3)), logits, classes=["sky", "tree", "road"],
    ...                                              truth=truth)
    >>> found.labels_.tolist(), found.iou_.round(2).tolist(), round(found.mean_iou_, 2)
    ([[0, 1, 1], [0, 2, 2]], [0.67, 0.5, 1.0], 0.72)
    """

    _chart = "segmentation"

    def __init__(self, image, labels, *, classes, truth=None, iou=None, background=0, colors=None, alpha=0.7):
        import pandas as pd

        self.image_, self.labels_, self.classes_, self.truth_ = image, labels, list(classes), truth
        self.background_, self.alpha_ = background, alpha
        n = len(self.classes_)
        colors = list(colors) if colors is not None else [None] * n
        self.table_ = pd.DataFrame({
            "index": range(n), "class": self.classes_,
            "pixels": np.bincount(labels.ravel(), minlength=n)[:n],
            "true_pixels": np.bincount(truth.ravel(), minlength=n)[:n] if truth is not None else np.zeros(n, int),
            "iou": iou if iou is not None else np.full(n, np.nan), "color": colors})
        self.iou_ = self.table_.set_index("class")["iou"].rename("iou") if truth is not None else None
        self.mean_iou_ = float(np.nanmean(iou)) if iou is not None and np.isfinite(iou).any() else None

    @classmethod
    def from_predictions(cls, image, mask_or_logits, *, classes=None, truth=None, background=0, palette=None,
                         alpha=0.7):
        """Check the image and the masks, take the argmax of logits, count pixels and compute IoU per class.

        Parameters are those of :func:`segmentation` (without ``ax``).
        """
        from vizkit.colors import palette_for

        image = _image(image)
        shape = image.shape[:2]
        n = None if classes is None else len(_check_classes(classes, None))
        if n is None:
            n = _array("mask_or_logits", mask_or_logits, _MASK).shape[0] if np.ndim(mask_or_logits) == 3 else None
        if n is None:
            mask = _labels("mask_or_logits", mask_or_logits, None, shape)
            known = _labels("truth", truth, None, shape) if truth is not None else mask
            n = int(max(mask.max(), known.max())) + 1
        names = _check_classes(classes, n)
        labels = _labels("mask_or_logits", mask_or_logits, n, shape)
        truth = None if truth is None else _labels("truth", truth, n, shape)
        if background is not None:
            background = check_number("background", background, integer=True, low=0, high=n - 1)
        shown = [i for i in range(n) if i != background]
        drawn = palette_for("palette", palette, len(shown)) if shown else []  # background alone: no colours
        colors = [None] * n
        for i, color in zip(shown, drawn):
            colors[i] = tuple(color)
        iou = _iou(truth, labels, n) if truth is not None else None
        alpha = check_number("alpha", alpha, low=0, high=1)
        return cls(image, labels, classes=names, truth=truth, iou=iou, background=background, colors=colors,
                   alpha=alpha)

    def _legend_entries(self, ax):
        from matplotlib.patches import Patch

        from vizkit.themes import muted_ink

        rows = self.table_[(self.table_["pixels"] > 0) | (self.table_["true_pixels"] > 0)]
        handles = []
        for row in rows.itertuples():
            label = plain(row._2)  # the class name
            if self.truth_ is not None:
                label += f"  IoU {row.iou:.2f}" if np.isfinite(row.iou) else "  IoU –"
            if row.color is None:
                handles.append(Patch(facecolor="none", edgecolor=muted_ink(ax), label=label))
            else:
                handles.append(Patch(facecolor=(*row.color, self.alpha_), edgecolor=row.color, label=label))
        title = None if self.mean_iou_ is None else f"mean IoU {self.mean_iou_:.2f}"
        return handles, title

    def _draw(self, ax, legend=True):
        from matplotlib.colors import BoundaryNorm, ListedColormap

        n = len(self.classes_)
        grey = self.image_.ndim == 2
        image = ax.imshow(self.image_, cmap="gray" if grey else None, interpolation="nearest")
        rgba = [(0.0, 0.0, 0.0, 0.0) if c is None else (*c, 1.0) for c in self.table_["color"]]
        labels = ax.imshow(self.labels_, cmap=ListedColormap(rgba), norm=BoundaryNorm(np.arange(n + 1) - 0.5, n),
                           alpha=self.alpha_, interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        artists = {"image": image, "labels": labels}
        if legend:
            handles, title = self._legend_entries(ax)
            artists["legend"] = ax.legend(handles=handles, title=title, loc="upper left", bbox_to_anchor=(1.02, 1),
                                          borderaxespad=0, frameon=False, handlelength=1.2)
            from vizkit._core.room import keep_inside

            keep_inside(ax)
        return artists

    def _plotted_data(self):
        return self.table_.copy()


def segmentation(image, mask_or_logits, *, classes=None, truth=None, background=0, palette=None, alpha=0.7,
                 legend=True, ax=None):
    """Draw a segmentation over its image: a colour per class, a legend naming each class, IoU per class given the truth.

    Parameters
    ----------
    image : array-like
        H×W (grey), H×W×3 or H×W×4 (colour); a C×H×W tensor is read channels first.
    mask_or_logits : array-like
        The prediction: an H×W mask of class indices, or C×H×W class scores (logits or
        probabilities), drawn as their argmax over the classes.
    classes : list of str, optional
        One name per class index (default: the indices). A mask index past the
        list, or logits with another number of channels, is an error.
    truth : array-like, optional
        The true H×W mask. The legend then gives each class's IoU and its title
        the mean IoU (over the classes in the truth or the prediction).
    background : int or None, default 0
        The class left clear over the image (None colours every class).
    palette : str or list of colours, optional
        Colours of the other classes in index order (default: the theme's ``"vizkit"`` palette, ten colours, no grey).
    alpha : float, default 0.7
        Opacity of the class colours.
    legend : bool, default True
        Name the classes present (in the prediction or the truth) beside the image.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        ``vk.plotted_data(ax)``: one row per class (``index``, ``class``, ``pixels``,
        ``true_pixels``, ``iou``, ``color``). :class:`SegmentationDisplay` gives the labels and IoU without drawing.

    Examples
    --------
    >>> import numpy as np
    >>> import vizkit as vk
    >>> image = np.random.default_rng(0).random((4, 4))
    >>> truth = np.array([[0, 0, 1, 1]] * 4)
    >>> logits = np.stack([1 - truth, truth]).astype(float)     # C×H×W scores: right everywhere
    >>> ax = vk.segmentation(image, logits, classes=["background", "cell"], truth=truth)
    >>> vk.plotted_data(ax)[["class", "pixels", "iou"]].values.tolist()
    [['background', 8, 1.0], ['cell', 8, 1.0]]
    """
    if not isinstance(legend, bool):
        raise bad_type("legend", "True or False", legend)
    display = SegmentationDisplay.from_predictions(image, mask_or_logits, classes=classes, truth=truth,
                                                   background=background, palette=palette, alpha=alpha)
    return display.plot(ax=ax, legend=legend).ax_
