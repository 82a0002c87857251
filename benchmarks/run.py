"""Run every benchmarks/bench_*.py and print one table of ratios.

Each benchmark module has ``run() -> list[dict]``; a row holds ``benchmark``,
``vizkit`` (seconds), ``alternative`` (its name), ``other`` (its seconds),
``ratio`` (vizkit / other, the median of per-round ratios), and ``goal`` /
``met``. Both sides of a ratio are measured in the same run, interleaved, so
machine load affects them alike. Usage: python benchmarks/run.py [name ...]
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the benchmarks' shared helpers (_capture_overhead) import as siblings


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _seconds(value: float) -> str:
    if value < 1e-3:
        return f"{value * 1e6:.2f} µs"
    return f"{value * 1e3:.1f} ms" if value < 1 else f"{value:.2f} s"


def main(argv: list[str]) -> int:
    paths = sorted(HERE.glob("bench_*.py"))
    if argv:
        paths = [p for p in paths if any(name in p.stem for name in argv)]
    rows = []
    for path in paths:
        print(f"running {path.name} ...", flush=True)
        rows += _load(path).run()
    header = f"{'benchmark':<34}{'vizkit':>11}  {'alternative':<24}{'other':>10}{'ratio':>9}  goal"
    print("\n" + header + "\n" + "-" * len(header))
    for row in rows:
        verdict = "" if row.get("met") is None else ("  ok" if row["met"] else "  MISSED")
        print(f"{row['benchmark']:<34}{_seconds(row['vizkit']):>11}  {row['alternative']:<24}"
              f"{_seconds(row['other']):>10}{row['ratio']:>8.3f}x  {row.get('goal', '')}{verdict}")
    return 0 if all(row.get("met") is not False for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
