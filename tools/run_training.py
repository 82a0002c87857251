"""Run the lecture experiments in training_runs/ whose run logs are missing.

The gallery's training figures read run logs written by these scripts; a
script runs only when the folder it writes (its RUN_DIR) does not exist yet.
"""

from __future__ import annotations

import ast
import runpy
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run_dir(script: Path) -> Path | None:
    """The RUN_DIR constant a training script declares, relative to the repo root."""
    for node in ast.parse(script.read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "RUN_DIR" for t in node.targets):
            return ROOT / ast.literal_eval(node.value)
    return None


def main() -> int:
    scripts = sorted(p for p in (ROOT / "training_runs").glob("*.py") if not p.name.startswith("_"))  # _*.py: shared code
    for script in scripts:
        run_dir = _run_dir(script)
        if run_dir is None:
            print(f"{script.name}: declares no RUN_DIR; skipped", file=sys.stderr)
            continue
        if run_dir.exists():
            continue
        print(f"training: {script.name} -> {run_dir.relative_to(ROOT)}")
        start = time.perf_counter()
        runpy.run_path(str(script), run_name="__main__")
        print(f"training: {script.name} took {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
