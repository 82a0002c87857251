"""Heatmap of 1000 x 1000 cells, no annotations, to PNG: `vk.heatmap` beside `ax.imshow` + colorbar.

Every case draws on a fresh 8 x 6 in Figure at dpi 100 and saves it as PNG
to memory (Agg), so the time includes rendering. One warm-up round on a
small matrix, then ROUNDS rounds with the order of the cases rotated; ratios
are taken per round, then the median.

Alternative: ``ax.imshow(values, aspect="auto")`` and ``figure.colorbar``,
the plain Matplotlib a user would write. vizkit adds the checks, the colour
per cell and the one-row-per-cell table of :func:`vizkit.plotted_data`, and
fits the tick labels to the cells. Both draw the same pixels' worth of image;
vizkit resamples a matrix this large in data space (each pixel shows the mean
of its cells), Matplotlib's default colour-maps every cell first.

Goal (issue 12): at most 1.5x `ax.imshow` + colorbar.
"""

from __future__ import annotations

import io
import statistics
import time

import numpy as np

N = 1000
ROUNDS = 3
GOAL = 1.5


def _timed(draw) -> float:
    from matplotlib.figure import Figure

    start = time.perf_counter()
    figure = Figure(figsize=(8, 6), dpi=100)
    ax = figure.subplots()
    draw(ax)
    figure.savefig(io.BytesIO(), format="png")
    return time.perf_counter() - start


def _imshow(ax, values):
    image = ax.imshow(values, aspect="auto")
    ax.figure.colorbar(image, ax=ax)


def _cases(values) -> dict:
    import vizkit as vk

    return {"vizkit": lambda ax: vk.heatmap(values, ax=ax),
            "ax.imshow + colorbar": lambda ax: _imshow(ax, values)}


def measure(n: int = N, rounds: int = ROUNDS) -> dict[str, list[float]]:
    rng = np.random.default_rng(0)
    for draw in _cases(rng.normal(size=(20, 20))).values():  # warm-up: imports, font cache
        _timed(draw)
    cases = _cases(rng.normal(size=(n, n)))
    names = list(cases)
    times = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names):] + names[: r % len(names)]:
            times[name].append(_timed(cases[name]))
    return times


def run() -> list[dict]:
    times = measure()
    other = "ax.imshow + colorbar"
    ratio = statistics.median(v / o for v, o in zip(times["vizkit"], times[other], strict=True))
    return [{"benchmark": f"heatmap {N}x{N} cells to PNG", "vizkit": statistics.median(times["vizkit"]),
             "alternative": other, "other": statistics.median(times[other]), "ratio": ratio,
             "goal": f"<= {GOAL}x", "met": ratio <= GOAL}]


if __name__ == "__main__":
    for row in run():
        print(row)
