"""Scatter of 1e6 points with a 4-level hue: `vk.scatter` beside a plain `ax.scatter` and seaborn.

Every case draws on a fresh 8 x 4 in Figure at dpi 100 and saves it as PNG
to memory (Agg), so the time includes rendering. One warm-up round on a
small sample, then ROUNDS rounds with the order of the cases rotated; ratios
are taken per round, then the median. seaborn is timed once (it is slow).

Alternatives:
- ``ax.scatter(c=colors)``: one call with a precomputed array of RGB colours
  and Matplotlib's default marker outline (the issue's reference).
- ``ax.scatter(c=, lw=0)``: the same call without marker outlines, which is
  what vizkit draws above 2 000 points (an outline per point adds nothing
  visible at this density and doubles Agg's time), so this row is the
  like-for-like overhead of vizkit's validation, mapping, legend and table.

Goal (issue 4): at most 1.5x `ax.scatter`.
"""

from __future__ import annotations

import io
import statistics
import time

import numpy as np

N = 1_000_000
ROUNDS = 3
LEVELS = ["adam", "sgd", "rmsprop", "adagrad"]
GOAL = 1.5


def _data(n: int):
    import pandas as pd

    rng = np.random.default_rng(0)
    x = rng.normal(size=n)
    frame = pd.DataFrame({"x": x, "y": 0.5 * x + rng.normal(size=n), "optimizer": rng.choice(LEVELS, n)})
    import vizkit as vk

    palette = np.array(vk.palette("vizkit", len(LEVELS)))
    codes = pd.Categorical(frame["optimizer"], categories=LEVELS).codes
    return frame, palette[codes]


def _timed(draw) -> float:
    from matplotlib.figure import Figure

    start = time.perf_counter()
    figure = Figure(figsize=(8, 4), dpi=100)
    ax = figure.subplots()
    draw(ax)
    figure.savefig(io.BytesIO(), format="png")
    return time.perf_counter() - start


def _cases(frame, colors) -> dict:
    import vizkit as vk

    x, y = frame["x"].to_numpy(), frame["y"].to_numpy()
    return {
        "vizkit": lambda ax: vk.scatter(frame, x="x", y="y", hue="optimizer", ax=ax),
        "ax.scatter(c=colors)": lambda ax: ax.scatter(x, y, c=colors),
        "ax.scatter(c=, lw=0)": lambda ax: ax.scatter(x, y, c=colors, linewidths=0),
    }


def measure(n: int = N, rounds: int = ROUNDS) -> dict[str, list[float]]:
    small, small_colors = _data(2_000)
    for draw in _cases(small, small_colors).values():  # warm-up: imports, font cache
        _timed(draw)
    frame, colors = _data(n)
    cases = _cases(frame, colors)
    names = list(cases)
    times = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names):] + names[: r % len(names)]:
            times[name].append(_timed(cases[name]))
    import seaborn as sns

    times["seaborn.scatterplot(hue)"] = [
        _timed(lambda ax: sns.scatterplot(frame, x="x", y="y", hue="optimizer", ax=ax))]
    return times


def run() -> list[dict]:
    times = measure()
    vizkit = statistics.median(times["vizkit"])
    rows = []
    for other in ("ax.scatter(c=colors)", "ax.scatter(c=, lw=0)"):
        ratio = statistics.median(v / o for v, o in zip(times["vizkit"], times[other], strict=True))
        rows.append({"benchmark": "scatter 1e6 pts, 4-level hue", "vizkit": vizkit, "alternative": other,
                     "other": statistics.median(times[other]), "ratio": ratio, "goal": f"<= {GOAL}x",
                     "met": ratio <= GOAL})
    seaborn = times["seaborn.scatterplot(hue)"][0]
    rows.append({"benchmark": "scatter 1e6 pts, 4-level hue", "vizkit": vizkit,
                 "alternative": "seaborn.scatterplot(hue)", "other": seaborn, "ratio": vizkit / seaborn,
                 "met": None})
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
