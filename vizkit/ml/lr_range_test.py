"""The learning-rate range test (Smith 2017; fastai's ``lr_find``): loss against an exponentially rising rate.

:func:`summarise` turns the (learning rate, loss) pairs of a range test into
an :class:`LRFinderResult`: the loss smoothed (centred, robust to the final explosion), and two
suggestions, the rate of steepest descent of the smoothed loss (on a log
rate axis, before its minimum) and a tenth of the rate at its minimum.
``vizkit.torch.lr_find`` runs the test on a model and returns such a result;
:class:`LRFinderDisplay` (and :func:`lr_finder`, the one call) draws it: the
loss on a log rate axis, the suggestion marked and labelled. Torch-free.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from vizkit._core import bad_type, bad_value
from vizkit._core.display import Display
from vizkit._core.validate import check_choice
from vizkit.themes import ink

__all__ = ["LRFinderDisplay", "LRFinderResult", "lr_finder", "summarise"]

#: The share of the steps the loss is smoothed over (:func:`smoothed_loss`).
SMOOTH_FRACTION = 0.1
#: The steepest descent is looked for after this share of the points: the first ones are noise.
SKIP_START = 0.1
#: The rule of thumb for the second suggestion: a tenth of the rate at the smoothed loss' minimum.
MIN_DIVISOR = 10.0
METHODS = ("steepest", "min10")


@dataclass(frozen=True)
class LRFinderResult:
    """A learning-rate range test: what was measured and what it suggests (plain numbers, no torch).

    Attributes
    ----------
    table : DataFrame
        One row per step: ``step``, ``lr`` (the rate that step used),
        ``loss`` (the batch loss) and ``smoothed`` (the loss smoothed by a
        centred rolling median and mean, :func:`smoothed_loss`).
    steepest_lr : float or None
        The rate where the smoothed loss falls fastest against ``log(lr)``,
        before its minimum; None when the loss never fell.
    min_lr : float
        The rate at the smoothed loss' minimum.
    min10_lr : float
        ``min_lr / 10``.
    diverged : bool
        The test stopped early because the loss exploded.
    """

    table: pd.DataFrame
    steepest_lr: float | None
    min_lr: float
    min10_lr: float
    diverged: bool = False

    @property
    def suggested_lr(self) -> float:
        """The steepest-descent rate, or ``min10_lr`` when there is none."""
        return self.steepest_lr if self.steepest_lr is not None else self.min10_lr


def smoothed_loss(loss) -> np.ndarray:
    """The loss smoothed by a centred rolling median, then a centred rolling mean, over :func:`window` points.

    Centred, so it does not lag behind the rising rate (as fastai's moving
    average does, whose minimum sits several steps late); the median first,
    so the last steps of a loss that explodes do not pull the curve up early.

    >>> smoothed_loss([3.0, 2.0, 9.0, 1.0, 0.0, 1.0, 2.0]).round(2).tolist()
    [2.5, 2.12, 1.9, 1.5, 1.2, 1.0, 1.0]
    """
    series = pd.Series(np.asarray(loss, dtype=float))
    size = window(len(series))
    return (series.rolling(size, center=True, min_periods=1).median()
            .rolling(size, center=True, min_periods=1).mean().to_numpy())


def window(n: int) -> int:
    """The smoothing window for ``n`` steps: a tenth of them, odd, at least 5.

    >>> window(40), window(100), window(250)
    (5, 11, 25)
    """
    size = max(5, round(n * SMOOTH_FRACTION))
    return size + (size % 2 == 0)


def _steepest(lr: np.ndarray, smooth: np.ndarray, lowest: int) -> int | None:
    """The index where ``smooth`` falls fastest against log10(lr), from :data:`SKIP_START` to ``lowest``."""
    start = int(len(lr) * SKIP_START)
    if lowest - start < 2:
        return None
    slopes = np.gradient(smooth[: lowest + 1], np.log10(lr[: lowest + 1]))[start:]
    index = start + int(np.argmin(slopes))
    return index if slopes[index - start] < 0 else None


def summarise(lr, loss, *, diverged: bool = False) -> LRFinderResult:
    """The smoothed loss and the suggested learning rates of a range test's ``(lr, loss)`` pairs.

    Parameters
    ----------
    lr, loss : 1-D array-like
        The rate each step used (increasing) and that step's loss; at least
        three finite pairs. A NaN or infinite loss ends the test there.
    diverged : bool
        Whether the test stopped because the loss exploded (recorded only).

    Returns
    -------
    LRFinderResult

    Examples
    --------
    >>> import numpy as np
    >>> lr = np.geomspace(1e-5, 1, 50)
    >>> loss = 2 - np.tanh(3 * (np.log10(lr) + 2.5)) + 5 * lr ** 2          # falls around 3e-3, rises near 1
    >>> result = summarise(lr, loss)
    >>> 1e-4 < result.steepest_lr < result.min_lr, result.min10_lr == result.min_lr / 10
    (True, True)
    """
    lr = np.asarray(lr, dtype=float).ravel()
    loss = np.asarray(loss, dtype=float).ravel()
    if lr.shape != loss.shape:
        raise bad_value("loss", f"as many values as `lr` ({lr.size})", loss, got=f"{loss.size} values")
    finite = np.isfinite(loss)
    stop = int(np.argmin(finite)) if not finite.all() else loss.size
    lr, loss = lr[:stop], loss[:stop]
    if lr.size < 3:
        raise bad_value("loss", "at least three finite losses before any NaN or infinity", loss,
                        got=f"{lr.size} finite values first")
    if not (np.isfinite(lr).all() and (lr > 0).all() and (np.diff(lr) > 0).all()):
        raise bad_value("lr", "positive, increasing learning rates", lr)
    smooth = smoothed_loss(loss)
    lowest = int(np.argmin(smooth))
    steep = _steepest(lr, smooth, lowest)
    table = pd.DataFrame({"step": np.arange(lr.size), "lr": lr, "loss": loss, "smoothed": smooth})
    return LRFinderResult(table, None if steep is None else float(lr[steep]), float(lr[lowest]),
                          float(lr[lowest]) / MIN_DIVISOR, bool(diverged or stop < finite.size))


def _check_result(result) -> LRFinderResult:
    if isinstance(result, LRFinderResult):
        return result
    if isinstance(result, pd.DataFrame):
        for column in ("lr", "loss"):
            if column not in result.columns:
                raise bad_value("result", "an LRFinderResult, or a frame with 'lr' and 'loss' columns", result,
                                got=f"a frame without {column!r} (columns: {', '.join(map(repr, result.columns))})")
        return summarise(result["lr"].to_numpy(dtype=float), result["loss"].to_numpy(dtype=float))
    raise bad_type("result", "an LRFinderResult (what vizkit.torch.lr_find returns), or a frame with 'lr' and "
                   "'loss' columns", result)


class LRFinderDisplay(Display):
    """A learning-rate range test drawn: the loss against the rate on a log axis, the suggestion marked.

    Parameters
    ----------
    result : LRFinderResult
    method : {"steepest", "min10"}
        Which suggestion to mark.

    Attributes
    ----------
    suggested_lr_ : float
        The marked rate: the steepest descent of the smoothed loss
        (``"steepest"``; ``min10_lr_`` when the loss never fell), or a
        tenth of the rate at its minimum (``"min10"``).
    steepest_lr_, min_lr_, min10_lr_ : float or None
        As in :class:`LRFinderResult`.
    diverged_ : bool
    table : DataFrame
        ``step, lr, loss, smoothed`` and ``suggested`` (True on the marked
        step): what :func:`vizkit.plotted_data` gives.

    Examples
    --------
    >>> import numpy as np
    >>> from vizkit.ml import LRFinderDisplay
    >>> lr = np.geomspace(1e-5, 1, 60)
    >>> loss = 2 - np.tanh(3 * (np.log10(lr) + 2.5)) + 5 * lr ** 2
    >>> display = LRFinderDisplay.from_result(pd.DataFrame({"lr": lr, "loss": loss}))
    >>> f"{display.suggested_lr_:.1e}", display.method
    ('2.9e-03', 'steepest')
    """

    _chart = "lr_finder"

    def __init__(self, result: LRFinderResult, *, method: str = "steepest"):
        self.result, self.method = result, method
        self.steepest_lr_, self.min_lr_, self.min10_lr_ = result.steepest_lr, result.min_lr, result.min10_lr
        self.diverged_ = result.diverged
        self.suggested_lr_ = result.suggested_lr if method == "steepest" else result.min10_lr
        table = result.table.copy()
        table["suggested"] = False
        table.loc[int(np.argmin(np.abs(np.log(table["lr"].to_numpy()) - np.log(self.suggested_lr_)))),
                  "suggested"] = True
        self.table = table

    @classmethod
    def from_result(cls, result, *, method="steepest"):
        """Take what :func:`vizkit.torch.lr_find` returned (or a frame with ``lr`` and ``loss`` columns); draw nothing."""
        method = check_choice("method", method, list(METHODS))
        return cls(_check_result(result), method=method)

    def _draw(self, ax) -> dict:
        from vizkit._core.room import keep_inside

        table = self.table
        lr, loss, smooth = (table[c].to_numpy(dtype=float) for c in ("lr", "loss", "smoothed"))
        raw, = ax.plot(lr, loss, alpha=0.35, linewidth=1.0, label="loss per batch")
        line, = ax.plot(lr, smooth, color=raw.get_color(), linewidth=2.0, label="smoothed")
        ax.set_xscale("log")
        at = int(np.flatnonzero(table["suggested"].to_numpy())[0])
        ink_color = ink(ax)
        mark, = ax.plot([lr[at]], [smooth[at]], linestyle="None", marker="o", markersize=8, color=ink_color,
                        zorder=5, label="_suggested")
        how = "steepest descent" if self.method == "steepest" and self.steepest_lr_ is not None else "minimum / 10"
        # below left of the point: the loss is higher to its left and lower to its right
        label = ax.annotate(f"suggested lr {self.suggested_lr_:.2g}\n({how})", (lr[at], smooth[at]),
                            xytext=(-12, -12), textcoords="offset points", ha="right", va="top", color=ink_color)
        low, high = float(min(smooth.min(), np.nanmin(loss))), float(smooth.max())
        pad = 0.08 * (high - low or 1.0)
        ax.set_ylim(low - pad, high + 3 * pad)
        stopped = None
        if self.diverged_:
            stopped = ax.text(0.02, 0.97, f"stopped at lr {lr[-1]:.2g}: the loss diverged", transform=ax.transAxes,
                              ha="left", va="top", color=ink_color)
        ax.set_xlabel("Learning rate (log scale)")
        ax.set_ylabel("Training loss")
        legend = ax.legend(loc="lower left", frameon=False)
        keep_inside(ax)
        return {"loss": raw, "smoothed": line, "suggestion": mark, "label": label, "stopped": stopped,
                "legend": legend}

    def _plotted_data(self):
        table = self.table.copy()
        table.attrs.update(suggested_lr=self.suggested_lr_, steepest_lr=self.steepest_lr_, min_lr=self.min_lr_,
                           min10_lr=self.min10_lr_, method=self.method, diverged=self.diverged_)
        return table


def lr_finder(result, *, method="steepest", ax=None):
    """Draw a learning-rate range test: the loss against the rate (log axis), the suggested rate marked.

    Parameters
    ----------
    result : LRFinderResult or DataFrame
        What :func:`vizkit.torch.lr_find` returned, or a frame with ``lr``
        and ``loss`` columns (one row per step of your own range test).
    method : {"steepest", "min10"}
        The suggestion marked: where the smoothed loss falls fastest against
        ``log(lr)`` (before its minimum), or a tenth of the rate at its
        minimum (fastai's two rules).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        :func:`vizkit.plotted_data` gives ``step, lr, loss, smoothed,
        suggested``; its ``attrs`` hold the suggestions.

    See Also
    --------
    vizkit.torch.lr_find : runs the test on a model.
    LRFinderDisplay : the same chart, computed first and drawn on demand.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, numpy as np, pandas as pd, vizkit as vk
    >>> lr = np.geomspace(1e-5, 1, 60)
    >>> ax = vk.lr_finder(pd.DataFrame({"lr": lr, "loss": 2 - np.tanh(3 * (np.log10(lr) + 2.5)) + 5 * lr ** 2}))
    >>> drawn = vk.plotted_data(ax)
    >>> ax.get_xscale(), f"{drawn.attrs['suggested_lr']:.1e}", int(drawn['suggested'].sum())
    ('log', '2.9e-03', 1)
    >>> plt.close(ax.figure)
    """
    return LRFinderDisplay.from_result(result, method=method).plot(ax=ax).ax_
