"""Reading a long run back: ``vk.read_run`` of 1e6 records beside what a user would use instead.

The run is written once by ``RunWriter`` (a real log: ``step, epoch, split,
time, loss, acc``, one record in ten a ``val`` record), then read side by side
in one run, interleaved (vizkit, then each alternative, in every round, after
a warm-up round that also fills the page cache):

1. ``vk.read_run(folder)`` (the long frame, sorted, typed, 2e6 rows): at most
   2 s. Beside ``pandas.read_json(path, lines=True)``, which is what a user
   would write and gives only the wide table (one row per record, unsorted,
   no resume or torn-line handling).
2. The same beside ``pyarrow.json.read_json(path).to_pandas()``, the parser
   read_run uses: the price of the long layout, non-finite restoration,
   resume supersession and sorting on top of parsing (no goal).

Ratio = vizkit / alternative, the median of per-round ratios.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

RECORDS = 1_000_000
ROUNDS = 3


def write_run(folder: Path, records: int = RECORDS) -> Path:
    """A vizkit run of ``records`` records, written by RunWriter."""
    import numpy as np

    from vizkit.io import RunWriter

    rng = np.random.default_rng(0)
    loss = (2.0 * np.exp(-np.arange(records) / 2e5) + 0.05 * rng.standard_normal(records)).tolist()
    acc = rng.uniform(0, 1, records).tolist()
    with RunWriter(folder, config={"lr": 0.01, "seed": 0}, flush_every=10_000, flush_secs=None) as run:
        for step in range(records):
            if step % 10 == 9:
                run.log(step=step, epoch=step // 10_000, split="val", loss=loss[step], acc=acc[step])
            else:
                run.log(step=step, epoch=step // 10_000, loss=loss[step], acc=acc[step])
    return folder


def _timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def run() -> list[dict]:
    import pandas as pd
    import pyarrow.json as pj

    import vizkit as vk

    root = Path(tempfile.mkdtemp(prefix="vizkit-bench-read-"))
    try:
        folder = write_run(root / "run")
        file = folder / "metrics.jsonl"
        contenders = {
            "vizkit": lambda: vk.read_run(folder),
            "pandas.read_json(lines)": lambda: pd.read_json(file, lines=True),
            "pyarrow.json + to_pandas": lambda: pj.read_json(file).to_pandas(),
        }
        for function in contenders.values():  # warm-up: imports, page cache
            function()
        times = {name: [] for name in contenders}
        for _ in range(ROUNDS):
            for name, function in contenders.items():
                times[name].append(_timed(function))
        rows = vk.read_run(folder)
        assert len(rows) == 2 * RECORDS, len(rows)
    finally:
        shutil.rmtree(root, ignore_errors=True)

    mine = statistics.median(times["vizkit"])
    results = []
    for name, goal in (("pandas.read_json(lines)", "<= 2 s (read_run of 1e6 records)"), ("pyarrow.json + to_pandas", "")):
        ratio = statistics.median(a / b for a, b in zip(times["vizkit"], times[name], strict=True))
        results.append({"benchmark": "read_run, 1e6 records", "vizkit": mine, "alternative": name,
                        "other": statistics.median(times[name]), "ratio": ratio, "goal": goal,
                        "met": (mine <= 2.0) if goal else None})
    return results


if __name__ == "__main__":
    for row in run():
        print(row)
