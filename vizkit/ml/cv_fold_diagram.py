"""Which rows each fold of a cross-validation holds out: folds as rows, samples as columns.

scikit-learn's "Visualizing cross-validation behavior in scikit-learn" in one
call: :class:`CVFoldsDisplay` splits the rows with the splitter (k-fold,
stratified, grouped, time-series, or any other) and draws each fold as a row
of the samples in their order, coloured train, test or unused (a
``TimeSeriesSplit`` leaves the future out), with the class of each row (``y``)
and its group as strips underneath, so what the splitter keeps together and
apart shows. The rows are drawn as an image, so a few thousand samples stay
readable. Torch-free; scikit-learn is imported by the functions that use it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vizkit._core.display import Display
from vizkit._core.labels import plain
from vizkit.colors import context_grey, face_color, hue_colors, palette_for, sequential_ramp
from vizkit.ml._cv_input import folds
from vizkit.themes import ink

__all__ = ["CVFoldsDisplay", "cv_folds"]

ROLES = ("train", "test", "unused")
#: At most this many classes get a colour each; more (or numbers) take the sequential ramp.
MAX_CLASSES = 8
#: The group strip cycles through these many greys, so neighbouring groups differ.
GROUP_SHADES = 4
#: Fold rows labelled one by one up to this many folds; more are labelled every few.
MAX_FOLD_TICKS = 12
#: Each fold is an image of its own up to this many folds (one image beyond), a gap of this many rows between.
MAX_ROW_IMAGES, ROW_GAP = 100, 0.15


class CVFoldsDisplay(Display):
    """The folds of a cross-validation: for each fold, which rows train, test or sit unused.

    Parameters
    ----------
    table : DataFrame
        One row per (fold, sample): ``fold`` (from 1), ``sample`` (the
        row's position in ``X``), ``role`` (``"train"``, ``"test"`` or
        ``"unused"``), and ``y`` and ``group`` when given.
    splitter : str
        Which splitter made the folds ("GroupKFold").

    Attributes
    ----------
    n_splits_ : int
        How many folds.
    splits_ : list of (ndarray, ndarray)
        The (train, test) positions of each fold, as ``splitter.split`` gave them.
    sizes_ : DataFrame
        Per fold: how many rows train, test and sit unused.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.model_selection import TimeSeriesSplit
    >>> from vizkit.ml import CVFoldsDisplay
    >>> display = CVFoldsDisplay.from_splitter(TimeSeriesSplit(3), np.zeros((12, 1)))
    >>> display.sizes_.to_dict("list")
    {'train': [3, 6, 9], 'test': [3, 3, 3], 'unused': [6, 3, 0]}
    """

    _chart = "cv_folds"

    def __init__(self, table: pd.DataFrame, *, splitter: str = "folds"):
        self.table, self.splitter = table, splitter
        by_fold = table.groupby("fold", sort=True)
        self.n_splits_ = by_fold.ngroups
        self.splits_ = [(part.loc[part["role"] == "train", "sample"].to_numpy(),
                         part.loc[part["role"] == "test", "sample"].to_numpy()) for _, part in by_fold]
        self.sizes_ = (pd.crosstab(table["fold"], pd.Categorical(table["role"], categories=ROLES), dropna=False)
                       .reindex(columns=list(ROLES), fill_value=0))
        self.sizes_.columns.name = None

    @classmethod
    def from_splitter(cls, cv, X, y=None, *, groups=None):
        """Split the rows of ``X`` with ``cv`` (its ``split(X, y, groups)``); draw nothing.

        An int is what ``cross_val_score`` makes of it for a classifier:
        ``StratifiedKFold`` when ``y`` holds classes, else ``KFold``.
        """
        split = folds(X, y, groups, cv, classifier=True)
        n, parts = split.n_rows, []
        for index, (train, test) in enumerate(split.splits, start=1):
            role = np.full(n, "unused", dtype=object)
            role[train], role[test] = "train", "test"          # the test role wins where a splitter overlaps them
            part = {"fold": index, "sample": np.arange(n), "role": role}
            if split.y is not None and np.ndim(split.y) == 1:
                part["y"] = split.y
            if split.groups is not None:
                part["group"] = np.asarray(split.groups).ravel()
            parts.append(pd.DataFrame(part))
        return cls(pd.concat(parts, ignore_index=True), splitter=split.name)

    def _draw(self, ax, *, palette=None, legend=True) -> dict:
        from matplotlib.patches import Patch

        from vizkit._core.room import keep_inside

        n, k = int(self.table["sample"].max()) + 1, self.n_splits_
        face = face_color(ax)
        role_colors = _role_colors(palette, face)
        image = np.zeros((k, n, 3))
        fold, sample = self.table["fold"].to_numpy(dtype=int) - 1, self.table["sample"].to_numpy(dtype=int)
        role = self.table["role"].to_numpy(dtype=object)
        for name, color in role_colors.items():
            chosen = role == name
            image[fold[chosen], sample[chosen]] = color
        folds_images = _rows(ax, image, n)
        ticks, labels, strips, handles = [], [], {}, []
        first = self.table[self.table["fold"] == 1]
        row = k + 0.5
        for column, maker in (("y", _class_strip), ("group", _group_strip)):
            if column in first.columns:
                colors, entries, label = maker(first[column], palette, face)
                strips[column] = ax.imshow(colors[None], aspect="auto", interpolation="antialiased",
                                           interpolation_stage="rgba", extent=(-0.5, n - 0.5, row + 1.2, row + 0.4))
                ticks.append(row + 0.8)
                labels.append(label)
                handles += entries
                row += 1.2
        shown = _fold_ticks(k)
        ax.set_yticks([*shown, *ticks], [f"fold {f}" for f in shown] + labels)
        ax.set_ylim(row + 0.1, 0.5)
        ax.set_xlim(-0.5, n - 0.5)
        ax.tick_params(axis="y", length=0)
        ax.grid(False)
        ax.set_xlabel(f"Sample (row of X, {n:,} in all)")
        ax.set_title(f"{self.splitter}, {k} folds", loc="left", color=ink(ax))
        made = None
        if legend:
            used = [r for r in ROLES if self.sizes_[r].any()]
            made = ax.legend([Patch(color=role_colors[r]) for r in used] + [h for h, _ in handles],
                             used + [text for _, text in handles], loc="upper left", bbox_to_anchor=(1.01, 1.0),
                             frameon=False, borderaxespad=0.0)
            keep_inside(ax)
        return {"folds": folds_images, **strips, "legend": made}

    def _plotted_data(self):
        table = self.table.copy()
        table.attrs.update(splitter=self.splitter, n_splits=self.n_splits_)
        return table


def _rows(ax, image: np.ndarray, n: int) -> list:
    """Each fold's row as its own image, a thin gap between rows (one image for very many folds).

    One image per row keeps the rows crisp: the antialiasing that keeps a
    one-sample test column visible at thousands of samples then blends along
    the samples only, never one fold into the next.
    """
    k = len(image)
    if k > MAX_ROW_IMAGES:
        return [ax.imshow(image, aspect="auto", interpolation="nearest", extent=(-0.5, n - 0.5, k + 0.5, 0.5))]
    return [ax.imshow(row[None], aspect="auto", interpolation="antialiased", interpolation_stage="rgba",
                      extent=(-0.5, n - 0.5, fold + 0.5 - ROW_GAP / 2, fold - 0.5 + ROW_GAP / 2))
            for fold, row in enumerate(image, start=1)]


def _role_colors(palette, face) -> dict:
    """Train and test in the palette's first two colours, unused in the context grey."""
    first, second = palette_for("palette", palette, 2)[:2] if palette is not None else hue_colors(
        ["train", "test"], face=face).values()
    return {"train": np.asarray(first[:3]), "test": np.asarray(second[:3]), "unused": np.asarray(context_grey(face))}


def _class_strip(values: pd.Series, palette, face):
    """A colour per row for ``y``: a colour per class (after the train/test colours), or a ramp for numbers."""
    from matplotlib.patches import Patch

    levels = list(pd.unique(values))
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    if numeric and len(levels) > MAX_CLASSES:
        ramp = sequential_ramp(face)
        low, high = float(values.min()), float(values.max())
        colors = ramp((values.to_numpy(dtype=float) - low) / (high - low or 1.0))[:, :3]
        return colors, [], "y (low → high)"
    if len(levels) > MAX_CLASSES:
        return _cycled(values), [], f"y ({len(levels)} classes)"
    levels = sorted(levels) if numeric else levels
    source = palette_for("palette", palette, 2 + len(levels)) if palette is not None else list(
        hue_colors(list(range(2 + len(levels))), face=face).values())
    mapping = {level: np.asarray(source[2 + i][:3]) for i, level in enumerate(levels)}
    colors = np.array([mapping[v] for v in values])
    return colors, [(Patch(color=mapping[level]), f"class {plain(str(level))}") for level in levels], "class (y)"


def _group_strip(values: pd.Series, palette, face):
    """Greys cycling by group (in order of first appearance): where one group ends and the next begins."""
    return _cycled(values), [], f"group ({values.nunique():,})"


def _cycled(values: pd.Series) -> np.ndarray:
    codes = pd.factorize(values)[0] % GROUP_SHADES
    shades = np.linspace(0.35, 0.8, GROUP_SHADES)[[0, 2, 1, 3]]
    return np.repeat(shades[codes][:, None], 3, axis=1)


def _fold_ticks(k: int) -> list:
    """The folds labelled on the y axis: all up to :data:`MAX_FOLD_TICKS`, else every few and the last."""
    if k <= MAX_FOLD_TICKS:
        return list(range(1, k + 1))
    step = int(np.ceil(k / MAX_FOLD_TICKS))
    return sorted({*range(1, k + 1, step), k})


def cv_folds(cv, X, y=None, *, groups=None, palette=None, legend=True, ax=None):
    """Draw which rows each fold of a cross-validation trains on, tests on, or leaves unused.

    One row per fold, one column per sample (in the order of ``X``), the
    class (``y``) and the group of each sample as strips underneath: the
    chart of scikit-learn's "Visualizing cross-validation behavior" example
    in one call, drawn as an image so a few thousand samples stay readable.

    Parameters
    ----------
    cv : int, splitter or iterable of (train, test)
        Any scikit-learn splitter (``KFold``, ``StratifiedKFold``,
        ``GroupKFold``, ``TimeSeriesSplit``, ...). An int is
        ``StratifiedKFold`` when ``y`` holds classes, else ``KFold``.
    X : array-like
        The rows (only their number matters to most splitters).
    y : array-like, optional
        The targets: needed by stratified splitters, drawn as a strip.
    groups : array-like, optional
        A group label per row: needed by group splitters, drawn as a strip
        of greys that change where the group changes.
    palette : optional
        Colours: train, test, then the classes.
    legend : bool
        Draw the legend (train, test, unused, the classes) to the right.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        :func:`vizkit.plotted_data` gives one row per (fold, sample):
        ``fold, sample, role`` and ``y``, ``group`` when given; the rows
        with ``role == "test"`` of fold ``i`` are the test indices
        ``cv.split`` gave.

    See Also
    --------
    CVFoldsDisplay : the same chart with its findings (``splits_``, ``sizes_``).
    cv_scores : the models' scores on these folds.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, numpy as np, vizkit as vk
    >>> from sklearn.model_selection import GroupKFold
    >>> groups = np.repeat(["a", "b", "c", "d"], [5, 3, 4, 4])
    >>> ax = vk.cv_folds(GroupKFold(2), np.zeros((16, 1)), groups=groups)
    >>> drawn = vk.plotted_data(ax)
    >>> drawn[drawn["role"] == "test"].groupby("fold")["group"].unique().map(sorted).to_dict()
    {1: ['a', 'b'], 2: ['c', 'd']}
    >>> plt.close(ax.figure)
    """
    display = CVFoldsDisplay.from_splitter(cv, X, y, groups=groups)
    return display.plot(ax=ax, palette=palette, legend=legend).ax_
