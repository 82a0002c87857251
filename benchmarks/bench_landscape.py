"""A 21 x 21 loss landscape of a 10k-parameter MLP on 1 000 samples: `vizkit.torch.loss_landscape` beside a naive loop.

The model is 64 -> 128 -> 10 (9 610 parameters) on the first 1 000 images
of scikit-learn's digits. One warm-up on a 3 x 3 grid, then ROUNDS rounds
with the order of the cases rotated; ratios are taken per round, then the
median. torch runs on one thread: on a shared 2-core machine a second
thread only waits for the first (intra-op spinning made one evaluation 40x
slower under load), and one thread gives the same numbers everywhere.

Alternative: what a student writes from the paper: for every grid point a
``copy.deepcopy`` of the model, its parameters set to ``θ + α·d1 + β·d2``
(the same filter-normalised directions), and the loss averaged over a
``DataLoader`` of batches of 128. vizkit sets the parameters in place, reads
the data once and evaluates each point in one batch under ``no_grad``.

Goal (issue 13): at most 10 s. ``python benchmarks/bench_landscape.py``
also prints how the time grows with the parameters and the grid size.
"""

from __future__ import annotations

import copy
import statistics
import time

N = 21
ROUNDS = 2
GOAL_SECONDS = 10.0
HIDDEN = 128


def _setup(hidden: int = HIDDEN):
    import torch
    from sklearn.datasets import load_digits

    torch.set_num_threads(1)
    x, y = load_digits(return_X_y=True)
    x, y = torch.tensor(x[:1000] / 16, dtype=torch.float32), torch.tensor(y[:1000])
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(64, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 10))
    return model, (x, y)


def _vizkit(model, data, n: int):
    import torch.nn.functional as F

    import vizkit.torch as vt

    return vt.loss_landscape(model, F.cross_entropy, data, n=n)


def _naive(model, data, n: int):
    import numpy as np
    import torch
    import torch.nn.functional as F

    from vizkit.torch.landscapes import filter_normalized_direction

    generator = torch.Generator().manual_seed(0)
    d1, d2 = (filter_normalized_direction(model, generator) for _ in range(2))
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(*data), batch_size=128)
    coords = np.linspace(-1, 1, n)
    losses = np.empty((n, n))
    for i, beta in enumerate(coords):
        for j, alpha in enumerate(coords):
            moved = copy.deepcopy(model)
            for name, parameter in moved.named_parameters():
                parameter.data = parameter.data + alpha * d1[name] + beta * d2[name]
            total = 0.0
            for inputs, targets in loader:
                total += F.cross_entropy(moved(inputs), targets).item() * len(targets)
            losses[i, j] = total / len(data[1])
    return losses


def _timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def measure(n: int = N, rounds: int = ROUNDS) -> dict[str, list[float]]:
    model, data = _setup()
    cases = {"vizkit": _vizkit, "deepcopy per point": _naive}
    for function in cases.values():  # warm-up: imports, allocator
        function(model, data, 3)
    names = list(cases)
    times = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names):] + names[: r % len(names)]:
            times[name].append(_timed(cases[name], model, data, n))
    return times


def scaling() -> list[tuple[int, int, float]]:
    """(parameters, grid points, seconds) of vizkit at three model widths (21 x 21) and three grids (128 wide)."""
    rows = []
    for hidden, n in ((32, 21), (128, 21), (512, 21), (128, 11), (128, 31)):
        model, data = _setup(hidden)
        _vizkit(model, data, 3)
        seconds = min(_timed(_vizkit, model, data, n) for _ in range(2))
        rows.append((sum(p.numel() for p in model.parameters()), n * n, seconds))
    return rows


def run() -> list[dict]:
    times = measure()
    other = "deepcopy per point"
    ratio = statistics.median(v / o for v, o in zip(times["vizkit"], times[other], strict=True))
    seconds = statistics.median(times["vizkit"])
    return [{"benchmark": f"loss landscape {N}x{N}, 10k params", "vizkit": seconds, "alternative": other,
             "other": statistics.median(times[other]), "ratio": ratio,
             "goal": f"<= {GOAL_SECONDS:g} s", "met": seconds <= GOAL_SECONDS}]


if __name__ == "__main__":
    for row in run():
        print(row)
    for parameters, points, seconds in scaling():
        print(f"{parameters:>7} parameters, {points:>4} points: {seconds:.2f} s ({seconds / points * 1e3:.2f} ms a point)")
