"""What every lecture experiment in training_runs/ shares: its command line, a run folder written whole, a weights hash.

A script defines ``main(out=None, *, quick=False, progress=True)`` and ends with::

    if __name__ == "__main__":
        command_line(main, __doc__, RUN_DIR, quick_help="2 epochs: a smoke test")

Inside ``main``, ``with written_whole(out) as folder:`` trains into a sibling
``<out>.partial`` folder that replaces ``out`` only when the block finishes, so
a crash or an interrupt never leaves a half-written run where the gallery looks.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import torch


def deterministic() -> None:
    """One thread and deterministic kernels: the same numbers on any machine with this CPU type."""
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)


def mnist_rows(config: dict):
    """The MNIST subset (5 000 digits); with ``per_class`` in ``config`` (the quick modes), that many of each digit."""
    import vizkit as vk

    frame = vk.load_dataset("mnist")
    return frame.groupby("label").head(config["per_class"]) if "per_class" in config else frame


@contextmanager
def written_whole(out):
    """Yield a fresh ``<out>.partial`` folder; on success it replaces ``out`` (an old ``out`` is removed)."""
    out = Path(out)
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    yield partial
    if out.exists():
        shutil.rmtree(out)
    os.replace(partial, out)


def command_line(main, doc: str, run_dir: str, *, quick_help: str) -> None:
    """Parse ``--quick``, ``--out`` and ``--no-progress`` (``VIZKIT_TRAINING_QUICK=1`` also means quick), run ``main``."""
    parser = argparse.ArgumentParser(description=doc.strip().splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=quick_help)
    parser.add_argument("--out", help=f"folder to write (default: {run_dir})")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args, _ = parser.parse_known_args()
    quick = args.quick or os.environ.get("VIZKIT_TRAINING_QUICK") == "1"
    main(args.out, quick=quick, progress=not args.no_progress)


def state_hash(model) -> str:
    """SHA-256 of every tensor of ``model.state_dict()``, names included, in order: equal weights, equal hash."""
    digest = hashlib.sha256()
    for name, tensor in model.state_dict().items():
        digest.update(name.encode())
        digest.update(tensor.detach().cpu().numpy().tobytes())
    return digest.hexdigest()


def lecture_optimizer(key: str, params, lr: float):
    """The lecture's method ``key`` (``vizkit.torch.optimization.METHODS``: its class and fixed settings) at ``lr``."""
    from vizkit.torch.optimization import METHODS

    _, cls, defaults = METHODS[key]
    return cls(params, **{**defaults, "lr": lr})


def tuned_runs(script: str, out: Path, frame, config: dict, *, variants, grid, seeds, tune_seed: int,
               trial_loss, train_one, progress: bool) -> None:
    """Give every variant the same learning-rate trials, then train each at its best rate for every seed.

    ``trial_loss(frame, config, variant, lr)`` scores one trial (lower is
    better; a tie goes to the smaller rate); ``train_one(frame, folder, config,
    variant, lr, seed=, progress=)`` writes one run into ``out/<variant>-seed<seed>``,
    its config holding every trial's score under ``"tuning"``.
    """
    started = time.perf_counter()
    found = {}
    for variant in variants:
        scores = [trial_loss(frame, config, variant, lr) for lr in grid]
        best = min(range(len(grid)), key=lambda i: (scores[i], grid[i]))
        found[variant] = (grid[best], scores)
    print(f"{script}: learning rates {({k: lr for k, (lr, _) in found.items()})} "
          f"in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    with written_whole(out) as folder:
        for variant, (lr, scores) in found.items():
            tuning = {"grid": list(grid), "val_loss": [round(s, 6) for s in scores], "seed": tune_seed}
            for seed in seeds:
                train_one(frame, folder / f"{variant}-seed{seed}", {**config, "tuning": tuning}, variant, lr,
                          seed=seed, progress=progress)
    print(f"{script}: done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
