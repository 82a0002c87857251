"""The folds of the cross-validation charts: the splitter ``cv`` stands for, and its folds of the checked rows.

:func:`vizkit.cv_scores` and :func:`vizkit.cv_folds` both take ``X, y,
groups`` and a ``cv`` (an int, any scikit-learn splitter, or (train, test)
index pairs); this module checks them and splits once, so every model of
``cv_scores`` is scored on the same folds and the fold diagram shows exactly
the folds ``splitter.split`` gives. The rows are checked by
:func:`vizkit.ml._model_input.check_rows`, as every model chart checks them. scikit-learn is imported here, inside the
functions, never at ``import vizkit``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit._core import bad_type, bad_value
from vizkit.ml._model_input import check_rows, n_rows

#: What ``cv`` may be, in the errors' words.
CV_EXPECTED = ("an int >= 2 (the number of folds), a scikit-learn splitter (KFold(5), StratifiedKFold, GroupKFold, "
               "TimeSeriesSplit, ...) or an iterable of (train, test) index pairs")


@dataclass(frozen=True)
class Folds:
    """Checked rows and the folds of one split: what both charts compute from.

    ``splits`` holds the ``(train, test)`` index arrays in the splitter's
    order; ``name`` says which splitter made them (``"StratifiedKFold"``).
    """

    X: object
    y: object
    groups: object
    splitter: object
    splits: list
    name: str

    @property
    def n_rows(self) -> int:
        return n_rows("X", self.X)


def splitter_of(cv, y, *, classifier: bool):
    """The scikit-learn splitter ``cv`` stands for, as ``cross_val_score`` makes it (``check_cv``).

    An int is :class:`~sklearn.model_selection.StratifiedKFold` for a
    classifier whose ``y`` holds classes, else :class:`~sklearn.model_selection.KFold`.

    >>> splitter_of(3, [0, 1] * 5, classifier=True), splitter_of(3, None, classifier=False)
    (StratifiedKFold(n_splits=3, random_state=None, shuffle=False), KFold(n_splits=3, random_state=None, shuffle=False))
    """
    from sklearn.model_selection import check_cv

    if isinstance(cv, (bool, np.bool_)) or cv is None or isinstance(cv, (str, bytes, float)):
        raise bad_type("cv", CV_EXPECTED, cv)
    if isinstance(cv, (int, np.integer)) and cv < 2:
        raise bad_value("cv", CV_EXPECTED, cv)
    if not isinstance(cv, (int, np.integer)) and not hasattr(cv, "split") and not hasattr(cv, "__iter__"):
        raise bad_type("cv", CV_EXPECTED, cv)
    if hasattr(cv, "split") and not hasattr(cv, "get_n_splits"):
        raise bad_type("cv", CV_EXPECTED, cv, got=f"{type(cv).__name__}, which has split() but no get_n_splits()")
    return check_cv(cv, y, classifier=classifier and y is not None)


def _name(cv, splitter) -> str:
    if isinstance(cv, (int, np.integer)) or hasattr(cv, "split"):
        return type(splitter).__name__
    return "given folds"


def _needs_groups(splitter) -> bool | None:
    """Whether the splitter asks for ``groups`` (scikit-learn's metadata routing says so); None: it does not say."""
    try:
        return bool(splitter.get_metadata_routing().consumes(method="split", params=["groups"]))
    except (AttributeError, TypeError, ValueError):    # a splitter of one's own, without routing
        return None


def folds(X, y, groups, cv, *, classifier: bool, y_required: bool = False) -> Folds:
    """Check the rows and split them once; a splitter that cannot split them is named with the reason.

    A splitter that needs ``groups`` (GroupKFold, LeaveOneGroupOut, ...) or
    ``y`` (StratifiedKFold) without them is refused naming the argument; so
    is one that cannot split the rows (more folds than rows or groups).
    """
    if X is None:
        raise bad_type("X", "the rows to split (an array or a DataFrame, one row per sample)", X)
    n, y, groups = check_rows(X, y, groups, y_required=y_required)
    splitter = splitter_of(cv, y, classifier=classifier)
    kind = type(splitter).__name__
    needs = _needs_groups(splitter)
    if groups is None and needs:
        raise bad_value("groups", f"one group label per row of `X`: {kind} keeps each group in one fold", groups)
    try:
        splits = [(np.asarray(train, dtype=int), np.asarray(test, dtype=int))
                  for train, test in splitter.split(X, y, None if needs is False else groups)]
    except (ValueError, TypeError) as error:
        if y is None and (isinstance(error, TypeError) or "target" in str(error) or "'y'" in str(error)):
            raise bad_value("y", f"the targets, one per row of `X`: {kind} could not split without them", y,
                            hint=f"({error})") from None
        raise bad_value("cv", f"a splitter that can split these {n} rows", cv,
                        got=f"{splitter!r}, which says: {error}") from None
    if not splits:
        raise bad_value("cv", "a splitter that makes at least one fold", cv, got=f"{splitter!r}: no folds")
    for index, (train, test) in enumerate(splits):
        if train.size == 0 or test.size == 0:
            raise bad_value("cv", "folds with training and test rows", cv,
                            got=f"fold {index + 1} with {train.size} training and {test.size} test rows")
    return Folds(X, y, groups, splitter, splits, _name(cv, splitter))
