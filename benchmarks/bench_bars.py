"""Bars: `vk.bar(..., errorbar=("ci", 95))` on 1e6 rows x 10 groups.

Beside what a user would write instead: a pandas groupby mean plus `ax.bar`
(no interval at all), and seaborn.barplot with the same bootstrap CI (timed
once: it takes tens of seconds). Each side makes its figure and renders it to
PNG (Agg, 8x4 in, 100 dpi); the "draw only" rows stop before the PNG.
Goal (issue 4): at most 3x pandas groupby + ax.bar.
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
N = 1_000_000


def _data() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame({"group": rng.choice([f"g{i}" for i in range(10)], N), "value": rng.gamma(2.0, 2.0, N)})


def _vizkit(df, render):
    fig, ax = plt.subplots(figsize=(8, 4), dpi=100)
    vk.bar(df, x="group", y="value", errorbar=("ci", 95), ax=ax)
    if render:
        fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)


def _pandas(df, render):
    fig, ax = plt.subplots(figsize=(8, 4), dpi=100)
    means = df.groupby("group", sort=False)["value"].mean()
    ax.bar(means.index, means.to_numpy())
    if render:
        fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)


def _seaborn(df):
    import seaborn as sns

    fig, ax = plt.subplots(figsize=(8, 4), dpi=100)
    sns.barplot(df, x="group", y="value", errorbar=("ci", 95), ax=ax)
    fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)


def _timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def run() -> list[dict]:
    df = _data()
    rows = []
    for render, label in ((False, "draw only"), (True, "to PNG")):
        _vizkit(df, render), _pandas(df, render)  # warm-up
        ours, theirs = [], []
        for r in range(ROUNDS):
            pair = [(_vizkit, ours), (_pandas, theirs)]
            for function, times in (pair if r % 2 == 0 else pair[::-1]):
                times.append(_timed(function, df, render))
        rows.append({"benchmark": f"bar ci95 1e6x10 ({label})", "vizkit": statistics.median(ours),
                     "alternative": "pandas groupby + ax.bar", "other": statistics.median(theirs),
                     "ratio": statistics.median(a / b for a, b in zip(ours, theirs, strict=True)),
                     "goal": "<= 3x", "met": statistics.median(a / b for a, b in zip(ours, theirs, strict=True)) <= 3})
    seaborn = _timed(_seaborn, df)
    ours = statistics.median(_timed(_vizkit, df, True) for _ in range(3))
    rows.append({"benchmark": "bar ci95 1e6x10 (to PNG)", "vizkit": ours, "alternative": "seaborn.barplot (1 run)",
                 "other": seaborn, "ratio": ours / seaborn, "goal": "", "met": None})
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
