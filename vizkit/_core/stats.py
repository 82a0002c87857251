"""Group estimates with error bars, vectorised over groups and seeded.

One entry point, :func:`group_estimates`, serves every chart that
aggregates (bars, lines with bands): it takes the values and an integer
group code per row and returns one row per group with the estimate, the
interval and the count.

Error bars, in seaborn's vocabulary:
- ``"sd"`` / ``("sd", k)``: estimate ± k standard deviations (k = 1).
- ``"se"`` / ``("se", k)``: estimate ± k standard errors.
- ``("ci", level)``: percentile bootstrap interval of the estimator (1000
  resamples, seeded: the same call draws the same interval). For the mean of
  a large group (more than ``EXACT_BOOTSTRAP_LIMIT / n_boot`` rows) the
  bootstrap distribution is replaced by its normal limit, mean ± z·σ/√n with
  the plug-in σ: at that size the two agree to within the bootstrap's own
  resampling noise (a test checks this at the switch), and a 1e6-row chart
  does not spend seconds resampling.
- ``("pi", level)``: the central ``level`` % of the data (percentile interval).
"""

from __future__ import annotations

import numpy as np

from vizkit._core.errors import bad_type, bad_value
from vizkit._core.validate import check_choice, check_number

__all__ = ["ESTIMATORS", "parse_errorbar", "group_estimates"]

ESTIMATORS = ("mean", "median", "sum", "min", "max")
_ERRORBARS = ("sd", "se", "ci", "pi")
N_BOOT = 1000
EXACT_BOOTSTRAP_LIMIT = 20_000_000  # resampled values per group before the normal limit is used
_CHUNK = 4_000_000  # resampled values held in memory at once


def parse_errorbar(errorbar, *, argument: str = "errorbar") -> tuple[str, float] | None:
    """Return ``(kind, level_or_scale)`` for an errorbar spec, or None.

    >>> parse_errorbar(("ci", 95))
    ('ci', 95.0)
    >>> parse_errorbar("se")
    ('se', 1.0)
    """
    if errorbar is None:
        return None
    if isinstance(errorbar, str):
        kind = check_choice(argument, errorbar, _ERRORBARS)
        return kind, (1.0 if kind in ("sd", "se") else 95.0)
    if isinstance(errorbar, tuple) and len(errorbar) == 2:
        kind = check_choice(argument, errorbar[0], _ERRORBARS)
        if kind in ("ci", "pi"):
            level = check_number(f"{argument}[1]", errorbar[1], low=0, high=100, low_open=True, high_open=True)
        else:
            level = check_number(f"{argument}[1]", errorbar[1], low=0, low_open=True)
        return kind, level
    raise bad_type(
        argument,
        "None, 'sd', 'se', ('ci', level), ('pi', level), ('sd', scale) or ('se', scale)",
        errorbar,
    )


def _segments(values: np.ndarray, codes: np.ndarray, n_groups: int):
    """Values sorted by group, and each group's [start, stop) in that order."""
    order = np.argsort(codes, kind="stable")
    counts = np.bincount(codes, minlength=n_groups)
    stops = np.cumsum(counts)
    return values[order], stops - counts, stops, counts


def _reduce(segment: np.ndarray, estimator, axis=None):
    if callable(estimator):
        return estimator(segment) if axis is None else np.apply_along_axis(estimator, axis, segment)
    return getattr(np, estimator)(segment, axis=axis)


def _bootstrap(segment: np.ndarray, estimator, level: float, rng: np.random.Generator) -> tuple[float, float]:
    n = len(segment)
    tail = (100 - level) / 2
    rows = max(1, _CHUNK // max(n, 1))
    stats = []
    for start in range(0, N_BOOT, rows):
        draws = rng.integers(0, n, size=(min(rows, N_BOOT - start), n))
        stats.append(_reduce(segment[draws], estimator, axis=1))
    stats = np.concatenate(stats)
    return tuple(np.percentile(stats, [tail, 100 - tail]))


def _normal_quantile(p: float) -> float:
    from statistics import NormalDist

    return NormalDist().inv_cdf(p)


def group_estimates(values, codes, n_groups: int, *, estimator="mean", errorbar=None, seed: int = 0):
    """Estimate and interval per group.

    Parameters
    ----------
    values : 1-D float array, without NaN
    codes : 1-D int array, the group (0 .. n_groups-1) of each value
    n_groups : int
    estimator : {"mean", "median", "sum", "min", "max"} or callable
        A callable gets a 1-D array and returns a number.
    errorbar : see :func:`parse_errorbar`
    seed : int
        Seed of the bootstrap; each group draws from its own stream
        ``default_rng([seed, group])``, so adding a group changes no other.

    Returns
    -------
    dict of 1-D arrays ``estimate``, ``low``, ``high`` (NaN without an
    errorbar, or for a group of one value where the interval is undefined)
    and ``n``. Groups without values get NaN estimates and n = 0.
    """
    if not callable(estimator):
        estimator = check_choice("estimator", estimator, ESTIMATORS)
    spec = parse_errorbar(errorbar)
    values = np.asarray(values, dtype=float)
    codes = np.asarray(codes, dtype=np.intp)
    if not np.all(np.isfinite(values)):  # callers drop NaN and refuse inf with a message naming the column
        raise bad_value("values", "finite numbers", values, got="non-finite values")
    counts = np.bincount(codes, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        sums = np.bincount(codes, weights=values, minlength=n_groups)
        means = sums / counts
        needs_sd = spec is not None and spec[0] in ("sd", "se")
        if needs_sd:
            squares = np.bincount(codes, weights=(values - means[codes]) ** 2, minlength=n_groups)
            sd = np.sqrt(squares / (counts - 1))
    if estimator == "mean":
        estimate = means
    elif estimator == "sum":
        estimate = np.where(counts > 0, sums, np.nan)
    else:
        sorted_values, starts, stops, _ = _segments(values, codes, n_groups)
        estimate = np.array([
            _reduce(sorted_values[a:b], estimator) if b > a else np.nan for a, b in zip(starts, stops, strict=True)
        ], dtype=float)
    low = np.full(n_groups, np.nan)
    high = np.full(n_groups, np.nan)
    if spec is not None:
        kind, level = spec
        if kind in ("sd", "se"):
            with np.errstate(invalid="ignore", divide="ignore"):
                half = level * (sd if kind == "sd" else sd / np.sqrt(counts))
            low, high = estimate - half, estimate + half
        else:
            large = (counts * N_BOOT > EXACT_BOOTSTRAP_LIMIT) if (kind == "ci" and estimator == "mean") else \
                np.zeros(n_groups, dtype=bool)
            if large.any():  # the normal limit of the bootstrap: from sums alone, no resampling
                with np.errstate(invalid="ignore", divide="ignore"):
                    plugin_var = np.bincount(codes, weights=(values - means[codes]) ** 2, minlength=n_groups) / counts
                half = _normal_quantile(1 - (100 - level) / 200) * np.sqrt(plugin_var / counts)
                low[large], high[large] = means[large] - half[large], means[large] + half[large]
            if not large.all():
                sorted_values, starts, stops, _ = _segments(values, codes, n_groups)
                for g in np.flatnonzero(~large):
                    segment = sorted_values[starts[g]:stops[g]]
                    if len(segment) < 2:
                        continue
                    if kind == "pi":
                        tail = (100 - level) / 2
                        low[g], high[g] = np.percentile(segment, [tail, 100 - tail])
                    else:
                        low[g], high[g] = _bootstrap(segment, estimator, level, np.random.default_rng([seed, g]))
    return {"estimate": estimate, "low": low, "high": high, "n": counts}
