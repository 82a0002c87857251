"""The one density estimate of the kde, violin and ridgeline charts: SciPy's Gaussian KDE, as seaborn sizes it.

The bandwidth is Scott's rule times ``bw_adjust`` (seaborn's default), and
the curve is evaluated on ``gridsize`` points from ``cut`` bandwidths below
the smallest value to ``cut`` above the largest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit._core import bad_type, check_number

__all__ = ["KDESpec", "density_curve"]

GRIDSIZE = 200


@dataclass(frozen=True)
class KDESpec:
    """How a density is estimated: bandwidth factor, reach past the data, evaluation points."""

    bw_adjust: float = 1.0
    cut: float = 3.0
    gridsize: int = GRIDSIZE

    @classmethod
    def check(cls, *, bw_adjust, cut, gridsize=GRIDSIZE) -> KDESpec:
        return cls(check_number("bw_adjust", bw_adjust, low=0, low_open=True),
                   check_number("cut", cut, low=0),
                   check_number("gridsize", gridsize, integer=True, low=2, high=100_000))


def density_curve(values: np.ndarray, spec: KDESpec):
    """``(grid, density, bandwidth)`` of ``values``, or None when they have no spread (under 2 distinct values).

    The density integrates to 1 over the whole line (the grid covers most of it).
    """
    from scipy.stats import gaussian_kde

    if len(values) < 2 or np.ptp(values) == 0:
        return None
    kde = gaussian_kde(values, bw_method="scott")
    kde.set_bandwidth(kde.factor * spec.bw_adjust)
    bandwidth = float(np.sqrt(kde.covariance[0, 0]))
    grid = np.linspace(values.min() - spec.cut * bandwidth, values.max() + spec.cut * bandwidth, spec.gridsize)
    return grid, kde(grid), bandwidth


def no_spread(what: str, level) -> str:
    """The warning for a level whose density cannot be estimated."""
    return f"{what} {level!r} has fewer than 2 distinct values: no density is drawn for it"


def check_fill(fill) -> bool:
    if not isinstance(fill, (bool, np.bool_)):
        raise bad_type("fill", "True or False", fill)
    return bool(fill)
