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


def quick_train_here(script: str, out: Path) -> Path:
    """The same quick run inside this process (no interpreter and torch start-up); torch's global settings restored.

    Compared with a :func:`quick_train` run, it also checks that the numbers do not depend on the process.
    """
    import importlib.util

    import torch

    threads, deterministic = torch.get_num_threads(), torch.are_deterministic_algorithms_enabled()
    spec = importlib.util.spec_from_file_location(f"training_script_{Path(script).stem}", ROOT / "training_runs" / script)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
        module.main(out, quick=True, progress=False)
    finally:
        torch.set_num_threads(threads)
        torch.use_deterministic_algorithms(deterministic)
    return out
