"""Running a training_runs/ script the way a user does, for the tests of each experiment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def quick_train(script: str, out: Path, *, by_env: bool = False, timeout: int = 120) -> Path:
    """Run ``training_runs/<script>`` in quick mode (``--quick``, or the environment variable) into ``out``."""
    command = [sys.executable, str(ROOT / "training_runs" / script), "--out", str(out), "--no-progress"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    if by_env:
        env["VIZKIT_TRAINING_QUICK"] = "1"
    else:
        command.append("--quick")
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr
    return out
