"""What only the learning and validation curves check: training sizes and given score arrays.

Private to :mod:`vizkit.ml.score_curves`; the checks every model chart shares
(estimator, rows, parameter sweep, scorer) are in :mod:`vizkit.ml._model_input`.
"""

from __future__ import annotations

import numpy as np

from vizkit._core import bad_value
from vizkit.ml._model_input import Score, check_estimator, check_rows, score_of


def check_fit_inputs(estimator, X, y, scoring, score_name) -> Score:
    """The scorer's :class:`Score`, once ``estimator`` clones and ``y`` holds one target per row of ``X``."""
    check_estimator("estimator", estimator, methods=("fit",))
    check_rows(X, y, min_rows=1)
    return score_of(scoring, [estimator], score_name)


def check_sizes(train_sizes):
    sizes = np.asarray(train_sizes)
    if sizes.ndim != 1 or sizes.size == 0 or not np.issubdtype(sizes.dtype, np.number) \
            or not np.isfinite(sizes).all() or (sizes <= 0).any():
        raise bad_value("train_sizes", "a non-empty list of shares in (0, 1] or of positive numbers of examples",
                        train_sizes)
    if np.issubdtype(sizes.dtype, np.floating) and (sizes > 1).any():
        raise bad_value("train_sizes", "shares in (0, 1] (floats) or numbers of examples (ints)", train_sizes)
    return sizes


def scores_array(argument, scores, n) -> np.ndarray:
    array = np.asarray(scores, dtype=float)
    if array.ndim != 2 or array.shape[0] != n or array.shape[1] < 1:
        raise bad_value(argument, f"an array of shape ({n}, folds): one row per point", scores,
                        got=f"shape {array.shape}")
    return array
