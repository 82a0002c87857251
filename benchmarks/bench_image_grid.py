"""Image grid: `vk.image_grid` of 256 MNIST digits (28x28) beside the same grid drawn with plain `imshow` calls.

The alternative is what a user writes by hand: ``plt.subplots(16, 16)`` on a
figure of the same size, one ``ax.imshow(image, cmap="gray")`` per tile and
``ax.axis("off")``. Both render to PNG in memory (Agg, 100 dpi). One warm-up
round, then ROUNDS rounds with the order of the two alternated; the ratio is
the median of per-round ratios, so machine load affects both alike.

Goal (issue 12): at most 1.5x the plain imshow grid.
"""

from __future__ import annotations

import io
import statistics
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import vizkit as vk  # noqa: E402

N, SIDE = 256, 16
ROUNDS = 5
GOAL = 1.5


def _images() -> np.ndarray:
    mnist = vk.load_dataset("mnist")
    return mnist.filter(like="pixel").to_numpy().reshape(-1, 28, 28)[:: len(mnist) // N][:N].astype(np.uint8)


def _vizkit(images) -> float:
    start = time.perf_counter()
    grid = vk.image_grid(images)
    grid.figure_.savefig(io.BytesIO(), format="png", dpi=100)
    elapsed = time.perf_counter() - start
    plt.close(grid.figure_)
    return elapsed


def _plain(images, figsize) -> float:
    start = time.perf_counter()
    fig, axes = plt.subplots(SIDE, SIDE, figsize=figsize)
    for ax, image in zip(axes.flat, images, strict=True):
        ax.imshow(image, cmap="gray")
        ax.axis("off")
    fig.savefig(io.BytesIO(), format="png", dpi=100)
    elapsed = time.perf_counter() - start
    plt.close(fig)
    return elapsed


def measure(rounds: int = ROUNDS) -> dict[str, list[float]]:
    images = _images()
    probe = vk.image_grid(images)
    figsize = tuple(probe.figure_.get_size_inches())  # the same page for both
    plt.close(probe.figure_)
    _vizkit(images), _plain(images, figsize)  # warm-up: imports, font cache
    times = {"vizkit": [], "plain": []}
    for r in range(rounds):
        order = ("vizkit", "plain") if r % 2 == 0 else ("plain", "vizkit")
        for name in order:
            times[name].append(_vizkit(images) if name == "vizkit" else _plain(images, figsize))
    return times


def run() -> list[dict]:
    times = measure()
    ratio = statistics.median(v / o for v, o in zip(times["vizkit"], times["plain"], strict=True))
    return [{"benchmark": "image_grid 256 28x28 to PNG", "vizkit": statistics.median(times["vizkit"]),
             "alternative": "plt.subplots + imshow", "other": statistics.median(times["plain"]), "ratio": ratio,
             "goal": f"<= {GOAL}x", "met": ratio <= GOAL}]


if __name__ == "__main__":
    for row in run():
        print(row)
