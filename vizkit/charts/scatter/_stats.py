"""What `vizkit.scatter` computes before it draws: trend fits, correlation, 2-D density.

Pure numpy/scipy/statsmodels functions of arrays, no Matplotlib, so each can
be tested against its reference (``numpy.polyfit``, statsmodels' lowess,
``scipy.stats.pearsonr``/``spearmanr``, ``scipy.stats.gaussian_kde``).
"""

from __future__ import annotations

import math

import numpy as np

from vizkit._core import smoothing

__all__ = ["KDE_GRID", "KDE_LEVELS", "KDE_LINE_LEVELS", "KDE_MAX_POINTS",
           "correlation", "correlation_text", "kde_grid", "lowess_fit", "mass_levels", "ols_fit"]

TREND_POINTS = 100  # x positions at which an ols line and its band are evaluated
KDE_MAX_POINTS = 5_000  # a 2-D density is estimated from at most this many points (seeded sample)
KDE_GRID = 100  # evaluation grid of the density, per axis
KDE_LEVELS = np.linspace(0.05, 1.0, 10)  # iso-proportions of probability mass, as seaborn's kdeplot
KDE_LINE_LEVELS = np.linspace(0.1, 0.9, 5)  # fewer, for contour lines of several groups


def ols_fit(x: np.ndarray, y: np.ndarray, *, level: float = 95.0, points: int = TREND_POINTS) -> dict:
    """Least-squares line and the confidence band of its fitted mean.

    The band at ``x0`` is ``fit ± t * s * sqrt(1/n + (x0 - mean(x))² / Sxx)``
    with ``t`` the two-sided Student quantile on ``n - 2`` degrees of freedom,
    the band of the regression line that seaborn's ``regplot`` bootstraps.

    Returns ``None`` when fewer than two distinct x values make the line
    undefined; the band is NaN with fewer than three points.
    """
    n = len(x)
    if n < 2 or np.ptp(x) == 0:
        return None
    x_mean, y_mean = x.mean(), y.mean()
    dx = x - x_mean
    sxx = dx @ dx
    slope = (dx @ (y - y_mean)) / sxx
    intercept = y_mean - slope * x_mean
    grid = np.linspace(x.min(), x.max(), points)
    fit = intercept + slope * grid
    low = high = np.full(points, np.nan)
    if n > 2:
        from scipy import stats

        residuals = y - (intercept + slope * x)
        s2 = residuals @ residuals / (n - 2)
        half = stats.t.ppf(0.5 + level / 200, n - 2) * np.sqrt(s2 * (1 / n + (grid - x_mean) ** 2 / sxx))
        low, high = fit - half, fit + half
    return {"x": grid, "y": fit, "low": low, "high": high, "slope": float(slope), "intercept": float(intercept)}


def lowess_fit(x: np.ndarray, y: np.ndarray) -> dict | None:
    """The lowess trend through finite points: :func:`vizkit._core.smoothing.lowess` (statsmodels' defaults), sorted by x."""
    if len(x) < 3 or np.ptp(x) == 0:
        return None
    order = np.argsort(x, kind="stable")
    return {"x": x[order], "y": smoothing.lowess(x[order], y[order])}


def correlation(x: np.ndarray, y: np.ndarray, method: str) -> dict:
    """``r``, ``p`` and ``n`` from ``scipy.stats.pearsonr`` or ``spearmanr``.

    ``r`` and ``p`` are NaN when they are undefined: fewer than three
    points, or a constant x or y.
    """
    n = len(x)
    r = p = math.nan
    if n >= 3 and np.ptp(x) > 0 and np.ptp(y) > 0:
        from scipy import stats

        result = (stats.pearsonr if method == "pearson" else stats.spearmanr)(x, y)
        r, p = float(result.statistic), float(result.pvalue)
    return {"method": method, "r": r, "p": p, "n": int(n)}


def correlation_text(result: dict, *, pooled: bool = False) -> str:
    """"Pearson r = 0.87, p < 0.001, n = 342" (Spearman's coefficient is written ρ).

    ``pooled``: the number is over several groups together, and the text says so
    ("Pooled Spearman ρ = ..."), as it can point the other way from every group's trend.
    """
    name = "Pearson r" if result["method"] == "pearson" else "Spearman ρ"
    if pooled:
        name = f"Pooled {name}"
    n = f"n = {result['n']:,}"
    if math.isnan(result["r"]):
        return f"{name} undefined, {n}"
    p = "p < 0.001" if result["p"] < 0.001 else f"p = {result['p']:.3f}"
    return f"{name} = {result['r']:.2f}, {p}, {n}"


def kde_grid(x: np.ndarray, y: np.ndarray, *, proportions=KDE_LEVELS, seed: int = 0) -> dict | None:
    """A Gaussian KDE (Scott's bandwidth) of the points, evaluated on a grid.

    At most ``KDE_MAX_POINTS`` points (a seeded sample, the same call gives
    the same picture) feed the estimate; the grid spans the data plus 10%
    of its range on each side. ``levels`` are the density thresholds whose
    regions hold ``1 - q`` of the mass, for each of ``proportions``. Returns ``None`` when no density exists
    (fewer than three points, or points on one line).
    """
    from scipy.stats import gaussian_kde

    if len(x) < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return None
    if len(x) > KDE_MAX_POINTS:
        pick = np.random.default_rng(seed).choice(len(x), KDE_MAX_POINTS, replace=False)
        x, y = x[pick], y[pick]
    try:
        kde = gaussian_kde(np.vstack([x, y]))
    except (np.linalg.LinAlgError, ValueError):  # collinear points: a degenerate covariance
        return None
    pad_x, pad_y = 0.1 * np.ptp(x), 0.1 * np.ptp(y)
    gx = np.linspace(x.min() - pad_x, x.max() + pad_x, KDE_GRID)
    gy = np.linspace(y.min() - pad_y, y.max() + pad_y, KDE_GRID)
    xx, yy = np.meshgrid(gx, gy)
    density = kde(np.vstack([xx.ravel(), yy.ravel()])).reshape(xx.shape)
    if not np.all(np.isfinite(density)) or density.max() <= 0:
        return None
    return {"x": xx, "y": yy, "density": density, "levels": mass_levels(density, proportions)}


def mass_levels(density: np.ndarray, proportions=KDE_LEVELS) -> np.ndarray:
    """Density thresholds whose regions hold ``1 - q`` of the mass, for each q (ascending, unique)."""
    values = np.sort(density.ravel())[::-1]
    cumulative = np.cumsum(values) / values.sum()
    index = np.searchsorted(cumulative, 1 - np.asarray(proportions))
    levels = np.unique(np.take(values, index, mode="clip"))
    return levels[levels > 0]
