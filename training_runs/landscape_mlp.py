"""DL lecture 3, loss landscapes: a small MLP on scikit-learn's digits, with its weights saved along the way.

A perceptron with two hidden layers (64 -> 32 -> 32 -> 10, ReLU; 3 466
parameters) learns the 8 x 8 digits that ship with scikit-learn (1 797
images, 80 % for training, a stratified 20 % for validation) with SGD and
momentum for 30 epochs. Besides its run log, the run keeps the weights
before training and after every third epoch as float32 npz files under
``checkpoints/`` (11 of them, about 15 KB each): the gallery's loss-landscape
page draws the loss around the final weights, the path of these checkpoints
on the plane of their principal directions, and the loss on the straight line
from the first to the last.

Run it from the repository root::

    python training_runs/landscape_mlp.py                  # a few seconds on 2 CPU cores, writes RUN_DIR
    python training_runs/landscape_mlp.py --quick --out /tmp/landscape   # 3 epochs, a smoke test

``VIZKIT_TRAINING_QUICK=1`` in the environment also selects the quick mode.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))

import vizkit as vk  # noqa: E402
from _experiment import command_line, deterministic, written_whole  # noqa: E402
from vizkit.torch import Callback, MetricLogger, Run, fit  # noqa: E402
from vizkit.torch.data import frame_loaders  # noqa: E402
from vizkit.torch.loop import accuracy  # noqa: E402

RUN_DIR = "training_runs/runs/landscape_mlp"
ROOT = Path(__file__).resolve().parents[1]

CONFIG = {
    "dataset": "digits",
    "model": "mlp",
    "hidden": "32-32",
    "optimizer": "sgd",
    "lr": 0.05,
    "momentum": 0.9,
    "batch_size": 64,
    "epochs": 30,
    "checkpoint_every": 3,
    "val_size": 0.2,
    "split_seed": 0,
    "seed": 0,
}
QUICK = {"epochs": 3, "checkpoint_every": 1}


def make_mlp(hidden: str = CONFIG["hidden"], n_inputs: int = 64, n_classes: int = 10) -> nn.Sequential:
    """Linear + ReLU for each hidden size, then a linear layer to the class scores."""
    layers, width = [], n_inputs
    for size in (int(s) for s in hidden.split("-")):
        layers += [nn.Linear(width, size), nn.ReLU()]
        width = size
    return nn.Sequential(*layers, nn.Linear(width, n_classes))


def load_checkpoint(path) -> dict:
    """A saved checkpoint as a state dict of tensors."""
    with np.load(path) as arrays:
        return {name: torch.from_numpy(arrays[name]) for name in arrays.files}


class SaveWeights(Callback):
    """Write the model's weights as ``epoch_XX.npz`` (float32) before training and every ``every`` epochs."""

    def __init__(self, folder: Path, every: int):
        self.folder, self.every = Path(folder), every

    def _save(self, model, epoch: int) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        state = {name: tensor.detach().cpu().numpy().astype(np.float32) for name, tensor in model.state_dict().items()}
        np.savez(self.folder / f"epoch_{epoch:02d}.npz", **state)

    def on_fit_start(self, state):
        self._save(state.model, 0)

    def on_epoch_end(self, state, logs):
        epoch = state.epoch + 1  # epochs done
        if epoch % self.every == 0 or epoch == state.epochs:
            self._save(state.model, epoch)


def main(out=None, *, quick: bool = False, progress: bool = True) -> Path:
    """Train the MLP into ``out`` (default ``RUN_DIR``): the run log and ``checkpoints/``; return the folder."""
    out = ROOT / RUN_DIR if out is None else Path(out)
    deterministic()
    config = {**CONFIG, **(QUICK if quick else {})}
    started = time.perf_counter()
    torch.manual_seed(config["seed"])           # model initialisation and batch order
    train, val = frame_loaders(vk.load_dataset("digits"), val_size=config["val_size"],
                               batch_size=config["batch_size"], seed=config["split_seed"])
    model = make_mlp(config["hidden"])
    optimizer = torch.optim.SGD(model.parameters(), lr=config["lr"], momentum=config["momentum"])
    with written_whole(out) as folder, Run(folder, config=config, name="landscape-mlp") as run:
        fit(model, train, val_loader=val, optimizer=optimizer, loss_fn=nn.functional.cross_entropy,
            epochs=config["epochs"], metrics={"acc": accuracy},
            callbacks=[MetricLogger(run), SaveWeights(folder / "checkpoints", config["checkpoint_every"])],
            progress=progress)
    print(f"landscape_mlp: trained in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return out


if __name__ == "__main__":
    command_line(main, __doc__, RUN_DIR, quick_help="3 epochs, a checkpoint after each: a smoke test")
