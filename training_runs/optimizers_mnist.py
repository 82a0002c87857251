"""DL lecture 3 practice on a real task: SGD, Momentum and Adam train the lecture-2 MLP on MNIST.

The MLP and data of ``mlp_mnist.py`` (784 -> 256 -> 128 -> 10, ReLU; the
5 000-image MNIST subset, a stratified 20 % held out for validation; batches
of 128) train for 8 epochs (256 steps) with three optimizers of the lecture:
plain SGD, SGD with momentum 0.9 ("Momentum") and Adam (betas 0.9, 0.999),
three seeds each. A seed sets the initial weights and the batch order; for
one seed the three optimizers start from the SAME weights and see the same
batches (the SHA-256 of the weights at the start of each run is in its config
as ``init_sha256``), so the optimizer is the only difference between them.

Fairness: no optimizer gets a hand-picked learning rate. Each gets the same
trials: one run per learning rate of the same grid (``LR_GRID``: 0.001 to 1
in steps of about half a decade), each as long as the race (8 epochs), all
from the weights and batches of ``TUNE_SEED``, a seed that is not one of the
race's, so the rates are not picked on the runs that are then shown. The
score is the validation loss after the last epoch (a diverged trial scores
infinity; the smaller rate wins a tie). The rate found and every trial's score
are in each run's config (``lr``, ``tuning.grid``, ``tuning.val_loss``). The
trials are deterministic: same grid, same seed, same numbers. The rates found
are SGD 0.3, Momentum 0.1 and Adam 0.003, inside the grid for all three (a
rate at the edge of the grid would mean the grid is too short).

Each race run logs, through ``fit()`` and ``MetricLogger``, the training loss
and accuracy of every step and the validation loss and accuracy of every
epoch; folders ``RUN_DIR/<optimizer>-seed<k>`` (``sgd-seed0``, ...).

Run it from the repository root::

    python training_runs/optimizers_mnist.py            # ~50 s on 2 CPU cores, writes RUN_DIR (250 KB)
    python training_runs/optimizers_mnist.py --quick --out /tmp/opt   # a few seconds, a smoke test

``VIZKIT_TRAINING_QUICK=1`` in the environment also selects the quick mode.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))

import vizkit as vk  # noqa: E402
from _experiment import command_line, deterministic, lecture_optimizer, state_hash, tuned_runs  # noqa: E402
from mlp_mnist import CONFIG as MLP_CONFIG  # noqa: E402
from mlp_mnist import make_mlp  # noqa: E402
from vizkit.torch import MetricLogger, Run, fit  # noqa: E402
from vizkit.torch.data import frame_loaders  # noqa: E402
from vizkit.torch.loop import accuracy  # noqa: E402
from vizkit.torch.optimization import METHODS  # noqa: E402

RUN_DIR = "training_runs/runs/optimizers_mnist"
ROOT = Path(__file__).resolve().parents[1]

# the lecture's methods compared on MNIST (keys of vizkit.torch.optimization.METHODS; folder prefixes)
OPTIMIZERS = ("sgd", "momentum", "adam")
LR_GRID = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
CONFIG = {**{k: MLP_CONFIG[k] for k in ("dataset", "model", "hidden", "batch_size", "val_size", "split_seed")},
          "epochs": 8}
SEEDS = (0, 1, 2)
TUNE_SEED = 99
QUICK = {"epochs": 2, "rows": 1000, "seeds": (0, 1), "grid": (0.001, 0.01, 0.1)}


def start(frame, config: dict, seed: int):
    """The seed's model and loaders: the same initial weights and batch order for every optimizer."""
    torch.manual_seed(seed)  # model initialisation, then the batch order of every epoch
    model = make_mlp(config["hidden"])
    train, val = frame_loaders(frame, val_size=config["val_size"], batch_size=config["batch_size"],
                               seed=config["split_seed"])
    return model, train, val


def trial_loss(frame, config: dict, key: str, lr: float) -> float:
    """Validation loss after the race's epochs from ``TUNE_SEED``'s start: one trial of the grid."""
    model, train, val = start(frame, config, TUNE_SEED)
    history = fit(model, train, val_loader=val, optimizer=lecture_optimizer(key, model.parameters(), lr),
                  loss_fn=nn.functional.cross_entropy, epochs=config["epochs"], progress=False)
    loss = float(history.query("split == 'val' and metric == 'loss'")["value"].iloc[-1])
    return loss if math.isfinite(loss) else math.inf


def train_one(frame, folder: Path, config: dict, key: str, lr: float, *, seed: int, progress: bool) -> None:
    """Train one optimizer from one seed's start and write its run log into ``folder``."""
    model, train, val = start(frame, config, seed)
    optimizer = lecture_optimizer(key, model.parameters(), lr)
    hyper = {k: (list(v) if isinstance(v, tuple) else v) for k, v in optimizer.defaults.items()
             if k in ("momentum", "betas")}
    run_config = {**config, "optimizer": METHODS[key][0], "lr": lr, **hyper, "seed": seed,
                  "init_sha256": state_hash(model)}
    with Run(folder, config=run_config, name=folder.name) as run:
        fit(model, train, val_loader=val, optimizer=optimizer, loss_fn=nn.functional.cross_entropy,
            epochs=config["epochs"], metrics={"acc": accuracy}, callbacks=[MetricLogger(run)], progress=progress)


def main(out=None, *, quick: bool = False, progress: bool = True) -> Path:
    """Tune the learning rates, then train every optimizer for every seed into ``out`` (default ``RUN_DIR``)."""
    out = ROOT / RUN_DIR if out is None else Path(out)
    deterministic()
    frame = vk.load_dataset("mnist")
    config, seeds, grid = dict(CONFIG), SEEDS, LR_GRID
    if quick:
        config["epochs"], seeds, grid = QUICK["epochs"], QUICK["seeds"], QUICK["grid"]
        frame = frame.groupby("label").head(QUICK["rows"] // 10)
    tuned_runs("optimizers_mnist", out, frame, config, variants=OPTIMIZERS, grid=grid, seeds=seeds,
               tune_seed=TUNE_SEED, trial_loss=trial_loss, train_one=train_one, progress=progress)
    return out


if __name__ == "__main__":
    command_line(main, __doc__, RUN_DIR, quick_help="2 epochs, 1 000 images, 3 learning rates, 2 seeds: a smoke test")
