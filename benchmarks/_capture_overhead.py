"""What the capture benchmarks share: CPU seconds of one fit(), and the with/without ratio over paired rounds.

``FeatureMaps`` and ``AttentionMaps`` are measured the same way: the same
``fit()`` loop with the capture callback and without it, in interleaved rounds
after a warm-up, on one torch thread, timed by the process' CPU time (on a
busy machine, wall time measures the neighbours). The ratio is the median of
the per-round ratios.
"""

from __future__ import annotations

import statistics
import tempfile
import time


def fit_seconds(model, loader, optimizer, *, epochs: int, callbacks) -> float:
    """CPU seconds of ``vizkit.torch.fit`` of ``model`` on ``loader`` (cross-entropy), logging to a fresh run."""
    import torch

    from vizkit.torch import Run, fit

    with Run(tempfile.mkdtemp()) as run:
        start = time.process_time()
        fit(model, loader, optimizer=optimizer, epochs=epochs, progress=False,
            loss_fn=torch.nn.functional.cross_entropy, callbacks=callbacks, run=run)
        return time.process_time() - start


def overhead_row(benchmark: str, train, *, rounds: int, goal: float = 1.05) -> list[dict]:
    """``train(capture)`` timed with and without the capture: the benchmark table's row, goal ``<= goal``x."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # one thread: the ratio measures the capture, not how busy cores share threads
    try:
        train(True), train(False)  # warm-up
        plain, hooked = [], []
        for _ in range(rounds):
            hooked.append(train(True))
            plain.append(train(False))
    finally:
        torch.set_num_threads(threads)
    ratio = statistics.median(h / p for h, p in zip(hooked, plain, strict=True))
    return [{"benchmark": benchmark, "vizkit": statistics.median(hooked), "alternative": "the same fit, no capture",
             "other": statistics.median(plain), "ratio": ratio, "goal": f"<= {goal:g}x", "met": ratio <= goal}]


def print_rows(rows) -> None:
    """A benchmark file run on its own prints its rows."""
    for row in rows:
        print(f"{row['benchmark']}: {row['vizkit']:.2f} s with, {row['other']:.2f} s without, "
              f"{row['ratio']:.3f}x (goal {row['goal']})")
