"""Logging one scalar per step: vizkit's run log beside what a user would use instead.

Amortised CPU time per call, measured side by side in one run, interleaved
(vizkit, then each alternative, in every round, after a warm-up round), each
writer in its own temporary folder, with the time to close (flush everything
to disk) included:

1. ``Run.log(step=s, loss=<Python float>)``: at most 3 µs per call. Beside
   TensorBoard's ``SummaryWriter.add_scalar``, Lightning's
   ``CSVLogger.log_metrics`` (+ ``save()`` at the end) and livelossplot's
   ``PlotLosses.update`` (no ``send``: that is the drawing, benchmarked in
   bench_liveplot.py).
2. The same with a 0-dim CPU tensor (``Run`` keeps it and converts a batch at
   each flush; ``add_scalar`` calls ``.item()`` per call). On CUDA the test
   suite checks that ``Run.log`` never synchronises the device.

Ratio = vizkit / alternative, the median of per-round ratios.
"""

from __future__ import annotations

import statistics
import tempfile
import time

CALLS = 20_000
ROUNDS = 5


def _per_call(make_writer, log, close, value_of) -> float:
    folder = tempfile.mkdtemp()
    writer = make_writer(folder)
    values = [value_of(i) for i in range(CALLS)]
    start = time.perf_counter()
    for step, value in enumerate(values):
        log(writer, step, value)
    close(writer)
    return (time.perf_counter() - start) / CALLS


def _contenders(tensor: bool):
    import torch
    from lightning.pytorch.loggers import CSVLogger
    from livelossplot import PlotLosses
    from livelossplot.outputs import MatplotlibPlot
    from torch.utils.tensorboard import SummaryWriter

    from vizkit.torch import Run

    if tensor:
        value_of = lambda i: torch.tensor(1.0 / (i + 1))  # noqa: E731
    else:
        value_of = lambda i: 1.0 / (i + 1)  # noqa: E731
    return value_of, {
        "vizkit Run.log": (lambda d: Run(d), lambda w, s, v: w.log(step=s, loss=v), lambda w: w.close()),
        "SummaryWriter.add_scalar": (lambda d: SummaryWriter(d), lambda w, s, v: w.add_scalar("loss", v, s),
                                     lambda w: w.close()),
        "CSVLogger.log_metrics": (lambda d: CSVLogger(d), lambda w, s, v: w.log_metrics({"loss": v}, step=s),
                                  lambda w: w.save()),
        "livelossplot update": (lambda d: PlotLosses(outputs=[MatplotlibPlot()]),
                                lambda w, s, v: w.update({"loss": v}, current_step=s), lambda w: None),
    }


def bench_log(tensor: bool, rounds: int = ROUNDS) -> list[dict]:
    value_of, contenders = _contenders(tensor)
    times = {name: [] for name in contenders}
    for round_ in range(rounds + 1):
        for name, (make, log, close) in contenders.items():
            seconds = _per_call(make, log, close, value_of)
            if round_:  # round 0 is the warm-up
                times[name].append(seconds)
    ours = times.pop("vizkit Run.log")
    kind = "0-dim tensor" if tensor else "float"
    rows = []
    for name, theirs in times.items():
        ratio = statistics.median(a / b for a, b in zip(ours, theirs, strict=True))
        row = {"benchmark": f"run.log of one {kind}", "vizkit": statistics.median(ours),
               "alternative": name, "other": statistics.median(theirs), "ratio": ratio}
        if not tensor and name == "SummaryWriter.add_scalar":
            row["goal"] = "<= 3 µs per call"
            row["met"] = row["vizkit"] <= 3e-6
        rows.append(row)
    return rows


def run() -> list[dict]:
    return bench_log(tensor=False) + bench_log(tensor=True)


if __name__ == "__main__":
    for row in run():
        print(f"{row['benchmark']:<26} vizkit {row['vizkit'] * 1e6:6.2f} µs  {row['alternative']:<26}"
              f"{row['other'] * 1e6:8.2f} µs  {row['ratio']:.3f}x  {row.get('goal', '')}")
