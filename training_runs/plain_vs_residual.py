"""DL lecture 5: the same deep network with and without skip connections, and where its gradients vanish.

A narrow deep MLP on the MNIST subset (784 -> 32, then 20 hidden layers
32 -> 32, then 32 -> 10; ReLU before each hidden and output layer; PyTorch's
default initialisation, no batch norm) trains for 8 epochs twice per seed
(three seeds):

- ``plain``: ``h = layer(relu(h))``, the 22 linear layers one after the other;
- ``residual``: ``h = h + layer(relu(h))`` for the 20 hidden layers, a skip
  connection around each (the input and output layers are the same as plain).

The two nets have the SAME modules: for one seed they start from the same
weights (the SHA-256 of the weights is in each run's config as
``init_sha256``, equal for both) and see the same batches, so the skip
connections are the only difference. PyTorch's default initialisation
(uniform in ±1/√fan_in) shrinks the signal of each ReLU layer by about √6,
so in the plain net the gradient that reaches the first layers is about 10⁷
times smaller than at the output and it learns nothing; the skip connections
carry the gradient past every layer unchanged.

Fairness: no net gets a hand-picked learning rate. Each gets the same trials:
SGD with momentum 0.9 at each rate of ``LR_GRID``, as long as the runs shown,
from the weights and batches of ``TUNE_SEED`` (not one of the seeds shown);
the lowest validation loss after the last epoch wins (a diverged trial scores
infinity; the smaller rate wins a tie). The rate found and every trial's score
are in the config (``lr``, ``tuning``). The plain net stays at chance for
every rate of the grid.

Each run logs, through ``fit()`` and ``MetricLogger(every=8)``, the training
loss and accuracy (means of 8 steps) and the validation loss and accuracy of
every epoch, and with ``LayerStats(every=<steps per epoch>)`` the weight norm,
gradient norm (``p.grad.norm()``) and update ratio of every parameter at the
first step of every epoch. Folders ``RUN_DIR/<architecture>-seed<k>``.

Run it from the repository root::

    python training_runs/plain_vs_residual.py            # ~40 s of CPU (one thread), writes RUN_DIR (370 KB)
    python training_runs/plain_vs_residual.py --quick --out /tmp/pvr   # a few seconds, a smoke test

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
from _experiment import command_line, deterministic, state_hash, tuned_runs  # noqa: E402
from vizkit.torch import LayerStats, MetricLogger, Run, fit  # noqa: E402
from vizkit.torch.data import frame_loaders  # noqa: E402
from vizkit.torch.loop import accuracy  # noqa: E402

RUN_DIR = "training_runs/runs/plain_vs_residual"
ROOT = Path(__file__).resolve().parents[1]

ARCHITECTURES = ("plain", "residual")
LR_GRID = (0.003, 0.01, 0.03, 0.1)
CONFIG = {"dataset": "mnist", "model": "deep-mlp", "depth": 20, "width": 32, "init": "pytorch-default",
          "optimizer": "SGD", "momentum": 0.9, "batch_size": 128, "epochs": 8, "val_size": 0.2, "split_seed": 0,
          "log_every": 8}
SEEDS = (0, 1, 2)
TUNE_SEED = 99
QUICK = {"epochs": 2, "rows": 1000, "seeds": (0,), "grid": (0.01,)}


class DeepMLP(nn.Module):
    """``input`` (n_inputs -> width), ``depth`` hidden layers ``hidden.<i>`` (width -> width), ``output``.

    Each hidden and the output layer reads ``relu(h)``; with ``residual`` each
    hidden layer adds to ``h`` (``h = h + layer(relu(h))``) instead of replacing
    it. The flag adds no parameter: both nets have the same ``state_dict`` keys.
    """

    def __init__(self, depth: int, width: int, *, residual: bool, n_inputs: int = 784, n_classes: int = 10):
        super().__init__()
        self.residual = residual
        self.input = nn.Linear(n_inputs, width)
        self.hidden = nn.ModuleList(nn.Linear(width, width) for _ in range(depth))
        self.output = nn.Linear(width, n_classes)

    def forward(self, x):
        h = self.input(x)
        for layer in self.hidden:
            h = h + layer(torch.relu(h)) if self.residual else layer(torch.relu(h))
        return self.output(torch.relu(h))


def start(frame, config: dict, seed: int, architecture: str):
    """The seed's model and loaders: the same initial weights and batch order for both architectures."""
    torch.manual_seed(seed)  # model initialisation, then the batch order of every epoch
    model = DeepMLP(config["depth"], config["width"], residual=architecture == "residual")
    train, val = frame_loaders(frame, val_size=config["val_size"], batch_size=config["batch_size"],
                               seed=config["split_seed"])
    return model, train, val


def sgd(model, config: dict, lr: float):
    return torch.optim.SGD(model.parameters(), lr=lr, momentum=config["momentum"])


def trial_loss(frame, config: dict, architecture: str, lr: float) -> float:
    """Validation loss after the runs' epochs from ``TUNE_SEED``'s start: one trial of the grid."""
    model, train, val = start(frame, config, TUNE_SEED, architecture)
    history = fit(model, train, val_loader=val, optimizer=sgd(model, config, lr),
                  loss_fn=nn.functional.cross_entropy, epochs=config["epochs"], progress=False)
    loss = float(history.query("split == 'val' and metric == 'loss'")["value"].iloc[-1])
    return loss if math.isfinite(loss) else math.inf


def train_one(frame, folder: Path, config: dict, architecture: str, lr: float, *, seed: int,
              progress: bool) -> None:
    """Train one architecture from one seed's start, with LayerStats once per epoch, into ``folder``."""
    model, train, val = start(frame, config, seed, architecture)
    every = len(train)  # steps per epoch: the gradient norms of the first step of every epoch
    run_config = {**config, "architecture": architecture, "lr": lr, "seed": seed, "layer_stats_every": every,
                  "init_sha256": state_hash(model)}
    with Run(folder, config=run_config, name=folder.name) as run:
        fit(model, train, val_loader=val, optimizer=sgd(model, config, lr), loss_fn=nn.functional.cross_entropy,
            epochs=config["epochs"], metrics={"acc": accuracy},
            callbacks=[MetricLogger(run, every=config["log_every"]), LayerStats(every=every)], progress=progress)


def main(out=None, *, quick: bool = False, progress: bool = True) -> Path:
    """Tune the learning rates, then train both architectures for every seed into ``out`` (default ``RUN_DIR``)."""
    out = ROOT / RUN_DIR if out is None else Path(out)
    deterministic()
    frame = vk.load_dataset("mnist")
    config, seeds, grid = dict(CONFIG), SEEDS, LR_GRID
    if quick:
        config["epochs"], seeds, grid = QUICK["epochs"], QUICK["seeds"], QUICK["grid"]
        frame = frame.groupby("label").head(QUICK["rows"] // 10)
    tuned_runs("plain_vs_residual", out, frame, config, variants=ARCHITECTURES, grid=grid, seeds=seeds,
               tune_seed=TUNE_SEED, trial_loss=trial_loss, train_one=train_one, progress=progress)
    return out


if __name__ == "__main__":
    command_line(main, __doc__, RUN_DIR, quick_help="2 epochs, 1 000 images, 1 learning rate, 1 seed: a smoke test")
