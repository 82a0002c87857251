"""Import cost: `import vizkit` beside `import seaborn` and `import matplotlib.pyplot`.

Each import runs in a fresh interpreter that times only the import statement
(interpreter start-up excluded); one warm-up round, then ROUNDS rounds with
the order rotated; ratios are taken per round, then the median.
Goal (issue 3): `import vizkit` at most 0.5 s and at most 0.4x seaborn's.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

ROUNDS = 5
CASES = {
    "vizkit": "import vizkit",
    "seaborn": "import seaborn",
    "matplotlib.pyplot": "import matplotlib.pyplot",
    # What the first real use costs: the theme pulls in matplotlib and the palettes.
    "vizkit + set_theme()": "import vizkit; vizkit.set_theme()",
}


def _time(statement: str) -> float:
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def measure(rounds: int = ROUNDS) -> dict[str, list[float]]:
    names = list(CASES)
    for name in names:  # warm-up: file-system caches, .pyc files
        _time(CASES[name])
    times = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names):] + names[: r % len(names)]:
            times[name].append(_time(CASES[name]))
    return times


def _ratio(times, a, b) -> float:
    return statistics.median(x / y for x, y in zip(times[a], times[b]))


def run() -> list[dict]:
    times = measure()
    med = {name: statistics.median(values) for name, values in times.items()}
    vizkit_ok = med["vizkit"] <= 0.5
    return [
        {"benchmark": "import vizkit", "vizkit": med["vizkit"], "alternative": "import seaborn",
         "other": med["seaborn"], "ratio": _ratio(times, "vizkit", "seaborn"),
         "goal": "<= 0.4x and <= 0.5 s", "met": vizkit_ok and _ratio(times, "vizkit", "seaborn") <= 0.4},
        {"benchmark": "import vizkit", "vizkit": med["vizkit"], "alternative": "import matplotlib.pyplot",
         "other": med["matplotlib.pyplot"], "ratio": _ratio(times, "vizkit", "matplotlib.pyplot"), "met": None},
        {"benchmark": "import vizkit + set_theme()", "vizkit": med["vizkit + set_theme()"],
         "alternative": "import seaborn", "other": med["seaborn"],
         "ratio": _ratio(times, "vizkit + set_theme()", "seaborn"), "met": None},
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
