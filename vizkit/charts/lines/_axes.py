"""Axis work behind :func:`vizkit.dual_axis` and :func:`vizkit.secondary_axis`.

Tick alignment of two y axes, axis text coloured like its line yet readable,
and the check that a unit conversion's two functions undo each other. (The
legend spot that covers the least of both lines is the shared placer,
:func:`vizkit._core.placement.place`.)
"""

from __future__ import annotations

import math

import numpy as np

from vizkit import colors as _colors
from vizkit._core import bad_value

__all__ = ["align_ticks", "check_inverse_pair", "readable"]

_NICE = (1.0, 2.0, 2.5, 5.0)
_TICK_COUNTS = range(4, 9)
_MIN_CONTRAST = 4.5


# ---------------------------------------------------------------- aligned ticks
def _nice_span(low: float, high: float, n: int) -> tuple[float, float, float]:
    """Smallest nice step s and start k*s so that n ticks k*s .. (k+n-1)*s cover [low, high]."""
    span = high - low
    if not span > 0:
        span = abs(high) or 1.0
        low, high = low - span / 2, high + span / 2
    raw = span / (n - 1)
    exponent = math.floor(math.log10(raw))
    for power in range(exponent - 1, exponent + 3):
        for mantissa in _NICE:
            step = mantissa * 10.0**power
            if step < raw * (1 - 1e-12):
                continue
            k = math.floor(low / step + 1e-9)
            if (k + n - 1) * step >= high - 1e-9 * step:
                decimals = max(0, 1 - power)
                return round(k * step, decimals), step, decimals
    raise AssertionError("unreachable: a step of 10x the raw step always covers the span")


def _ticks(low: float, high: float, n: int):
    start, step, decimals = _nice_span(low, high, n)
    ticks = np.round(start + np.arange(n) * step, decimals)
    waste = 1 - (high - low) / (ticks[-1] - ticks[0])
    return ticks, waste


def align_ticks(left, right) -> int | None:
    """Give ``left`` and ``right`` (twins sharing x) the same number of nice ticks at the same heights.

    Each axis keeps its autoscaled view and grows to the smallest span of
    ``n`` nice ticks (steps 1, 2, 2.5, 5 x 10^k) covering it; ``n`` (4-8) is
    chosen to waste the least height over both axes. The margins of an axis
    whose data are all >= 0 (or all <= 0) stop at zero. Both axes then show
    their ticks at fractions 0, 1/(n-1), ..., 1 of the height, so a grid drawn
    from either axis serves both. Returns ``n``, or None when an axis is not
    linear (then nothing changes).
    """
    if left.get_yscale() != "linear" or right.get_yscale() != "linear":
        return None
    limits = []
    for axis in (left, right):
        low, high = sorted(axis.get_ylim())
        data_low, data_high = axis.dataLim.intervaly
        if np.isfinite([data_low, data_high]).all() and data_low <= data_high:
            # the margin does not take data of one sign across zero (no negative rain)
            low = 0.0 if data_low >= 0 > low else low
            high = 0.0 if data_high <= 0 < high else high
        limits.append((low, high))
    best = None
    for n in _TICK_COUNTS:
        pair = [_ticks(low, high, n) for low, high in limits]
        waste = sum(w for _, w in pair)
        if best is None or waste < best[0] - 1e-9:
            best = (waste, n, pair)
    _, n, pair = best
    for axis, (ticks, _) in zip((left, right), pair, strict=True):
        axis.set_ylim(ticks[0], ticks[-1])
        axis.set_yticks(ticks)
    return n


# ---------------------------------------------------------------- readable axis text
def readable(color, background) -> tuple[float, float, float]:
    """``color`` darkened (or lightened, on a dark face) just enough for text: contrast >= 4.5."""
    return _colors.readable_color(color[:3], background[:3], min_ratio=_MIN_CONTRAST)


# ---------------------------------------------------------------- inverse check
def _apply(role: str, function, values, functions):
    try:
        with np.errstate(all="ignore"):
            out = function(values.copy())
        out = np.asarray(out, dtype=float)
    except Exception as error:  # noqa: BLE001 - any failure of user code is a bad `functions`
        raise bad_value("functions", "a pair (forward, inverse) of functions of a NumPy array", functions,
                        got=f"{role} failed on an array of axis values with {type(error).__name__}: {error}",
                        ) from None
    if out.shape != values.shape:
        raise bad_value("functions", "a pair (forward, inverse) of functions that map an array to an "
                        "array of the same shape", functions,
                        got=f"{role} returned shape {out.shape} for an array of shape {values.shape}")
    bad = ~np.isfinite(out)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise bad_value("functions", "a pair (forward, inverse) of functions that give finite values "
                        "across the axis limits", functions, got=f"{role}({values[i]:g}) = {out[i]}")
    return out


def _compare(start, back, formula, functions) -> None:
    scale = max(float(np.max(np.abs(start))), float(np.ptp(start)), 1e-300)
    wrong = ~np.isclose(back, start, rtol=1e-6, atol=1e-6 * scale)
    if wrong.any():
        i = int(np.flatnonzero(wrong)[0])
        raise bad_value("functions", "a pair (forward, inverse) where each function undoes the other",
                        functions, got=formula.format(v=start[i], b=back[i]),
                        hint="forward converts the axis' values to the secondary unit, inverse converts back.")


def check_inverse_pair(functions, samples) -> None:
    """Raise a vizkit error naming ``functions`` unless they undo each other on ``samples``.

    ``samples`` are values of the primary axis (across its limits). Checks
    ``inverse(forward(v)) == v`` on them, then ``forward(inverse(w)) == w`` on
    as many values ``w`` spread evenly over the secondary axis' range, both to
    a tolerance of 1e-6 of the values' magnitude. A function that raises, or
    gives a non-finite value or the wrong shape, fails the check too.
    """
    forward, inverse = functions
    primary = np.asarray(samples, dtype=float)
    secondary = _apply("forward", forward, primary, functions)
    _compare(primary, _apply("inverse", inverse, secondary, functions), "inverse(forward({v:g})) = {b:g}",
             functions)
    spread = np.linspace(secondary.min(), secondary.max(), len(secondary))
    back = _apply("inverse", inverse, spread, functions)
    _compare(spread, _apply("forward", forward, back, functions), "forward(inverse({v:g})) = {b:g}", functions)
