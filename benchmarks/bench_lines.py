"""Line charts: bands over repeated x, and a 10-million-point curve to PNG.

Each comparison is measured side by side in one run, interleaved (vizkit, then
the alternative, in every round, after one warm-up round), on the Agg backend
with a fixed 6.4 x 4 inch figure at 100 dpi; every figure is closed. The ratio
is the median of the per-round ratios vizkit / alternative.

1. ``vk.line(band=("ci", 95))`` on 100 000 rows over 1 000 x values: at most
   0.5 s. seaborn's ``lineplot(errorbar=("ci", 95))`` is timed once only (about
   20 s), at the same size, for the ratio.
2. The same band over repeated x, 2 000 steps x 5 runs: at most 3x what a user
   would write by hand: pandas ``groupby`` mean and standard error, ``ax.plot``
   and ``ax.fill_between`` of mean ± 1.96 se (no bootstrap).
3. A 10-million-point loss curve to PNG (``savefig`` included): at most 0.2x
   a full ``ax.plot`` + ``savefig``; the RMS difference between the two PNGs
   (``matplotlib.testing.compare.compare_images``) at most 10; and every one
   of 20 planted single-step spikes among the drawn points.

Timings are of the chart call (1, 2) or of call + savefig (3), not of data making.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROUNDS = 5
FIGSIZE = (6.4, 4.0)
DPI = 100


def _figure():
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=FIGSIZE, dpi=DPI)


def _timed(function) -> float:
    import matplotlib.pyplot as plt

    fig, ax = _figure()
    start = time.perf_counter()
    function(ax)
    seconds = time.perf_counter() - start
    plt.close(fig)
    return seconds


def _interleaved(ours, theirs, rounds: int) -> tuple[list[float], list[float]]:
    _timed(ours), _timed(theirs)  # warm-up: imports, caches, first-touch memory
    mine, other = [], []
    for _ in range(rounds):
        mine.append(_timed(ours))
        other.append(_timed(theirs))
    return mine, other


def _ratio(mine, other) -> float:
    return statistics.median(a / b for a, b in zip(mine, other, strict=True))


# ---------------------------------------------------------------- 1. ci band, 100 000 rows
def bench_ci_band(rounds: int = ROUNDS) -> dict:
    import seaborn as sns

    import vizkit as vk

    rng = np.random.default_rng(0)
    x = np.repeat(np.arange(1000), 100)
    df = pd.DataFrame({"x": x, "y": np.sin(x / 100) + rng.normal(size=x.size)})
    mine = [_timed(lambda ax: vk.line(df, x="x", y="y", band=("ci", 95), ax=ax)) for _ in range(rounds + 1)][1:]
    seaborn = _timed(lambda ax: sns.lineplot(df, x="x", y="y", errorbar=("ci", 95), ax=ax))  # once: ~20 s
    vizkit = statistics.median(mine)
    return {"benchmark": "line ci band, 1e5 rows x 1e3 x", "vizkit": vizkit,
            "alternative": "seaborn.lineplot (1 run)", "other": seaborn, "ratio": vizkit / seaborn,
            "goal": "<= 0.5 s", "met": vizkit <= 0.5}


# ---------------------------------------------------------------- 2. ci band, 2 000 steps x 5 runs
def bench_repeated_x(rounds: int = 15) -> dict:
    import vizkit as vk

    rng = np.random.default_rng(1)
    steps, runs = 2000, 5
    df = pd.DataFrame({"step": np.tile(np.arange(steps), runs), "run": np.repeat(np.arange(runs), steps)})
    df["loss"] = np.exp(-df["step"] / 500) + 0.1 * rng.standard_normal(len(df))

    def by_hand(ax):
        stats = df.groupby("step")["loss"].agg(["mean", "sem"])
        ax.plot(stats.index, stats["mean"])
        ax.fill_between(stats.index, stats["mean"] - 1.96 * stats["sem"], stats["mean"] + 1.96 * stats["sem"],
                        alpha=0.2)

    mine, other = _interleaved(lambda ax: vk.line(df, x="step", y="loss", band=("ci", 95), ax=ax), by_hand, rounds)
    ratio = _ratio(mine, other)
    return {"benchmark": "line ci band, 2000 steps x 5 runs", "vizkit": statistics.median(mine),
            "alternative": "groupby+plot+fill_between", "other": statistics.median(other), "ratio": ratio,
            "goal": "<= 3x", "met": ratio <= 3}


# ---------------------------------------------------------------- 3. 1e7 points to PNG
def _loss_curve(n: int = 10_000_000, n_spikes: int = 20):
    rng = np.random.default_rng(2)
    step = np.arange(n, dtype=float)
    loss = 0.2 + 2.0 * np.exp(-step / 2e6) + 0.05 * rng.standard_normal(n)
    spikes = np.sort(rng.choice(n // n_spikes, n_spikes) + np.arange(n_spikes) * (n // n_spikes))
    loss[spikes] += rng.uniform(0.8, 1.5, n_spikes)
    return pd.DataFrame({"step": step, "loss": loss}), spikes


def bench_long_series(rounds: int = 3) -> dict:
    import matplotlib.pyplot as plt
    from matplotlib.testing.compare import compare_images

    import vizkit as vk

    df, spikes = _loss_curve()
    folder = Path(tempfile.mkdtemp(prefix="vizkit-bench-lines-"))
    kept, frame = [], []  # frame: where vizkit's Axes ended (it keeps its labels inside the figure)

    def ours(path):
        def draw(ax):
            vk.line(df, x="step", y="loss", ax=ax)
            xy = ax.lines[0].get_xydata()
            kept.append(bool(np.isin(spikes.astype(float), xy[:, 0]).all()
                             and np.array_equal(xy[np.isin(xy[:, 0], spikes), 1], df["loss"].to_numpy()[spikes])))
            ax.figure.savefig(path)
            frame.append(ax.get_position())
        return draw

    def full(path):  # the same frame and labels, so the RMS measures only the decimated line
        def draw(ax):
            ax.plot(df["step"], df["loss"])
            ax.set(xlabel="Step", ylabel="Loss")
            ax.set_position(frame[-1])
            ax.figure.savefig(path)
        return draw

    mine, other = _interleaved(ours(folder / "vizkit.png"), full(folder / "full.png"), rounds)
    result = compare_images(str(folder / "full.png"), str(folder / "vizkit.png"), tol=0, in_decorator=True)
    rms = 0.0 if result is None else float(result["rms"])
    ratio = _ratio(mine, other)
    spikes_kept = all(kept)
    plt.close("all")
    return {"benchmark": "line 1e7 points to PNG", "vizkit": statistics.median(mine),
            "alternative": "ax.plot + savefig", "other": statistics.median(other), "ratio": ratio,
            "goal": f"<= 0.2x; RMS {rms:.2f} <= 10; spikes kept: {spikes_kept}",
            "met": ratio <= 0.2 and rms <= 10 and spikes_kept, "rms": rms, "spikes_kept": spikes_kept}


def run() -> list[dict]:
    import matplotlib

    matplotlib.use("Agg")
    return [bench_ci_band(), bench_repeated_x(), bench_long_series()]


if __name__ == "__main__":
    for row in run():
        print(row)
