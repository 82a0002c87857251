"""DL lecture 3 practice: seven optimizers race to fit one function with the same MLP.

A small MLP (1 -> 32 -> 32 -> 1, tanh) learns ``sin(x) + 0.3 sin(3x)`` on
[-pi, pi] from 256 noisy samples. Every optimizer of the lecture (SGD,
Momentum, Nesterov, Adagrad, Adadelta, RMSprop, Adam) starts from the SAME
initial weights: one seeded model is built once and its ``state_dict`` is
copied into every run (the SHA-256 of the weights at the start of each run is
in its config as ``init_sha256``). The seed of a run sets the data noise and
the batch order only, so seeds make a band, not a different start.

Fairness: each optimizer gets the same budget of trial runs, one per
learning rate on the same log grid (``LR_GRID``), each for the same number of
steps as the race, scored on the final training loss averaged over the race's
seeds (a rate that diverges on any seed scores infinity); the best rate is used
for the race and recorded in the run's config.

Run it from the repository root::

    python training_runs/optimizer_race.py            # writes RUN_DIR
    python training_runs/optimizer_race.py --quick --out /tmp/race   # a smoke test

``VIZKIT_TRAINING_QUICK=1`` in the environment also selects the quick mode.
"""

from __future__ import annotations

import copy
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _experiment import command_line, deterministic, lecture_optimizer, state_hash, written_whole  # noqa: E402
from vizkit.torch import Callback, MetricLogger, Run, fit  # noqa: E402
from vizkit.torch.optimization import METHODS, SEVEN  # noqa: E402

RUN_DIR = "training_runs/runs/optimizer_race"
ROOT = Path(__file__).resolve().parents[1]

LR_GRID = tuple(float(f"{10 ** (k / 2):.4g}") for k in range(-7, 3))  # 3.162e-4 ... 10, half decades
CONFIG = {"target": "sin(x) + 0.3 sin(3x)", "model": "mlp", "hidden": "32-32", "activation": "tanh",
          "n_samples": 256, "noise": 0.1, "batch_size": 32, "epochs": 40, "init_seed": 0, "log_every": 4}
SEEDS = (0, 1, 2)
FIT_STEPS = (0, 20, 80, 320)       # the fitted function is saved after this many optimizer steps (and at the end)
GRID = np.linspace(-math.pi, math.pi, 101, dtype=np.float32)
QUICK = {"epochs": 4, "seeds": (0, 1), "grid": LR_GRID[2:7:2]}


def target(x):
    """The function every optimizer fits."""
    return np.sin(x) + 0.3 * np.sin(3 * x)


def make_mlp(hidden: str) -> nn.Sequential:
    layers, width = [], 1
    for size in (int(s) for s in hidden.split("-")):
        layers += [nn.Linear(width, size), nn.Tanh()]
        width = size
    return nn.Sequential(*layers, nn.Linear(width, 1))


def samples(config: dict, seed: int):
    """The seed's noisy samples (the x positions are fixed; the noise depends on the seed)."""
    rng = np.random.default_rng(seed)
    x = np.linspace(-math.pi, math.pi, config["n_samples"], dtype=np.float32)
    y = target(x) + config["noise"] * rng.standard_normal(x.size)
    return torch.from_numpy(x[:, None]), torch.from_numpy(y[:, None].astype(np.float32))


def loader(x, y, config: dict, seed: int):
    generator = torch.Generator().manual_seed(seed)
    data = torch.utils.data.TensorDataset(x, y)
    return torch.utils.data.DataLoader(data, batch_size=config["batch_size"], shuffle=True, generator=generator)


def start(key: str, lr: float, init: dict, config: dict, seed: int):
    """A run's start: the model at ``init``, the seed's samples and batch order, the optimizer at ``lr``."""
    model = make_mlp(config["hidden"])
    model.load_state_dict(init)
    x, y = samples(config, seed)
    return model, x, y, loader(x, y, config, seed), lecture_optimizer(key, model.parameters(), lr)


def trial_loss(key: str, lr: float, init: dict, config: dict, seed: int) -> float:
    """Final training loss (full batch) after the race's number of steps: one trial of the grid."""
    model, x, y, batches, optimizer = start(key, lr, init, config, seed)
    fit(model, batches, optimizer=optimizer, loss_fn=nn.functional.mse_loss, epochs=config["epochs"], progress=False)
    with torch.no_grad():
        loss = float(nn.functional.mse_loss(model(x), y))
    return loss if math.isfinite(loss) else math.inf


def tune(init: dict, config: dict, grid, seeds) -> dict:
    """The best learning rate of ``grid`` for every optimizer (the same trials for each), on the mean over ``seeds``."""
    def score(key, lr):
        return float(np.mean([trial_loss(key, lr, init, config, seed) for seed in seeds]))
    return {key: min(grid, key=lambda lr, key=key: score(key, lr)) for key in SEVEN}


class SaveFit(Callback):
    """Save the model's predictions on ``GRID`` before training and after the steps in ``FIT_STEPS``."""

    def __init__(self, run, steps):
        self.run, self.steps = run, set(steps)

    def _save(self, model, taken: int) -> None:
        with torch.no_grad():
            pred = model(torch.from_numpy(GRID[:, None]))[:, 0].numpy()
        self.run.log_array("fit", step=taken, x=GRID, y=pred)

    def on_fit_start(self, state):
        self._save(state.model, 0)

    def on_batch_end(self, state, logs):
        if state.step + 1 in self.steps:
            self._save(state.model, state.step + 1)

    def on_fit_end(self, state):
        if state.step + 1 not in self.steps:
            self._save(state.model, state.step + 1)


def race_one(key: str, lr: float, init: dict, folder: Path, config: dict, *, seed: int, progress: bool) -> None:
    model, _, _, batches, optimizer = start(key, lr, init, config, seed)
    label, _, defaults = METHODS[key]
    hyper = {k: (list(v) if isinstance(v, tuple) else v) for k, v in defaults.items() if k != "lr"}
    run_config = {**config, "optimizer": label, "lr": lr, **hyper, "seed": seed, "init_sha256": state_hash(model)}
    with Run(folder, config=run_config, name=f"{key}-seed{seed}") as run:
        fit(model, batches, optimizer=optimizer, loss_fn=nn.functional.mse_loss, epochs=config["epochs"],
            callbacks=[MetricLogger(run, every=config["log_every"]), SaveFit(run, FIT_STEPS)], progress=progress)


def main(out=None, *, quick: bool = False, progress: bool = True) -> Path:
    """Tune, then race every optimizer for every seed into ``out`` (default ``RUN_DIR``); return the folder."""
    out = ROOT / RUN_DIR if out is None else Path(out)
    deterministic()
    config, seeds, grid = dict(CONFIG), SEEDS, LR_GRID
    if quick:
        config["epochs"], seeds, grid = QUICK["epochs"], QUICK["seeds"], QUICK["grid"]
    torch.manual_seed(config["init_seed"])
    init = copy.deepcopy(make_mlp(config["hidden"]).state_dict())   # the one start of every run
    started = time.perf_counter()
    rates = tune(init, config, grid, seeds)
    print(f"optimizer_race: tuned {rates} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    with written_whole(out) as folder:
        for key, lr in rates.items():
            for seed in seeds:
                race_one(key, lr, init, folder / f"{key}-seed{seed}", config, seed=seed, progress=progress)
    print(f"optimizer_race: done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return out


if __name__ == "__main__":
    command_line(main, __doc__, RUN_DIR, quick_help="4 epochs, 3 learning rates, 2 seeds: a smoke test")
