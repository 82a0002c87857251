"""Histogram: `vk.hist(df, x="value", bins=50)` of 1e7 values beside `ax.hist(df["value"], bins=50)`.

Both count with NumPy over the same 50 equal bins and draw 50 bars; vizkit
also checks the column, drops missing values and keeps the table. Each side
makes its figure (Agg, 8x4 in, 100 dpi); "to PNG" rows also render it.
Goal (issue 12): at most 1.5x ax.hist.
"""

from __future__ import annotations

import io
import statistics
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import vizkit as vk  # noqa: E402

ROUNDS = 5
N = 10_000_000
BINS = 50


def _vizkit(df, render):
    fig, ax = plt.subplots(figsize=(8, 4), dpi=100)
    vk.hist(df, x="value", bins=BINS, ax=ax)
    if render:
        fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)


def _matplotlib(df, render):
    fig, ax = plt.subplots(figsize=(8, 4), dpi=100)
    ax.hist(df["value"], bins=BINS)
    if render:
        fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)


def _timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def run() -> list[dict]:
    df = pd.DataFrame({"value": np.random.default_rng(0).gamma(2.0, 2.0, N)})
    rows = []
    for render, label in ((False, "draw only"), (True, "to PNG")):
        _vizkit(df, render), _matplotlib(df, render)  # warm-up
        ours, theirs = [], []
        for r in range(ROUNDS):
            pair = [(_vizkit, ours), (_matplotlib, theirs)]
            for function, times in (pair if r % 2 == 0 else pair[::-1]):
                times.append(_timed(function, df, render))
        ratio = statistics.median(a / b for a, b in zip(ours, theirs, strict=True))
        rows.append({"benchmark": f"hist 1e7 values, 50 bins ({label})", "vizkit": statistics.median(ours),
                     "alternative": "ax.hist, same bins", "other": statistics.median(theirs), "ratio": ratio,
                     "goal": "<= 1.5x", "met": ratio <= 1.5})
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
