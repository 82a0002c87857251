"""DL lecture 4: a small CNN on the MNIST subset, its feature maps on four probe digits captured after every epoch.

Two 5×5 convolutions (1 -> 8 and 8 -> 16 channels, zero padding 2, each
followed by ReLU and 2×2 max pooling) and a linear layer to the 10 classes
train for 5 epochs (SGD, learning rate 0.05, momentum 0.9, batches of 64) on
4 000 of the 5 000 MNIST digits; 1 000 are held out. After every epoch
``vizkit.torch.FeatureMaps`` runs four held-out digits (a 0, 1, 4 and 7)
through the network in eval mode and saves the feature maps of both
convolutions after their ReLU (``relu1``, ``relu2``) as float16 npz; the first layer's trained weights
are saved too (``arrays/conv1_weight``). One seed, one run folder: ``RUN_DIR``.

Run it from the repository root::

    python training_runs/cnn_feature_maps.py            # ~30 s on 2 CPU cores, writes RUN_DIR
    python training_runs/cnn_feature_maps.py --quick --out /tmp/maps   # a few seconds, a smoke test

``VIZKIT_TRAINING_QUICK=1`` in the environment also selects the quick mode.
"""

from __future__ import annotations

import sys
import time
from collections import OrderedDict
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))

import vizkit as vk  # noqa: E402
from _experiment import command_line, deterministic, written_whole  # noqa: E402
from vizkit.torch import FeatureMaps, MetricLogger, Run, fit  # noqa: E402
from vizkit.torch.data import frame_loaders  # noqa: E402
from vizkit.torch.loop import accuracy  # noqa: E402

RUN_DIR = "training_runs/runs/cnn_feature_maps"
ROOT = Path(__file__).resolve().parents[1]

CONFIG = {"dataset": "mnist", "model": "conv5x5(8)-pool-conv5x5(16)-pool-linear", "optimizer": "SGD", "lr": 0.05,
          "momentum": 0.9, "batch_size": 64, "val_size": 1000, "split_seed": 0, "epochs": 5, "seed": 0,
          "layers": ["relu1", "relu2"], "probe_digits": [0, 1, 4, 7]}
QUICK = {"epochs": 1, "rows": 300}


def make_cnn() -> nn.Sequential:
    """The CNN, on flat 784-pixel rows (as ``frame_loaders`` gives them), with named layers."""
    return nn.Sequential(OrderedDict([
        ("image", nn.Unflatten(1, (1, 28, 28))),
        ("conv1", nn.Conv2d(1, 8, 5, padding=2)), ("relu1", nn.ReLU()), ("pool1", nn.MaxPool2d(2)),
        ("conv2", nn.Conv2d(8, 16, 5, padding=2)), ("relu2", nn.ReLU()), ("pool2", nn.MaxPool2d(2)),
        ("flatten", nn.Flatten()), ("linear", nn.Linear(16 * 7 * 7, 10))]))


def _probe(val, digits) -> torch.Tensor:
    """The first held-out image of each digit in ``digits``, in that order."""
    inputs, labels = next(iter(val))
    return torch.stack([inputs[(labels == d).nonzero()[0, 0]] for d in digits])


def main(out=None, *, quick: bool = False, progress: bool = True) -> Path:
    """Train the CNN with FeatureMaps into ``out`` (default ``RUN_DIR``); return the folder."""
    out = ROOT / RUN_DIR if out is None else Path(out)
    deterministic()
    frame = vk.load_dataset("mnist")
    config = dict(CONFIG)
    if quick:
        config["epochs"] = QUICK["epochs"]
        frame = frame.groupby("label").head(QUICK["rows"] // 10)
        config["val_size"] = 60
    started = time.perf_counter()
    torch.manual_seed(config["seed"])
    train, val = frame_loaders(frame, val_size=config["val_size"], batch_size=config["batch_size"],
                               seed=config["split_seed"])
    model = make_cnn()
    optimizer = torch.optim.SGD(model.parameters(), lr=config["lr"], momentum=config["momentum"])
    probe = _probe(val, config["probe_digits"])
    with written_whole(out) as folder, Run(folder, config=config, name="cnn-feature-maps") as run:
        maps = FeatureMaps(model, layers=config["layers"], probe=probe, every=1, unit="epoch", max_bytes=2**20)
        history = fit(model, train, val_loader=val, optimizer=optimizer, loss_fn=nn.functional.cross_entropy,
            epochs=config["epochs"], metrics={"acc": accuracy}, callbacks=[MetricLogger(run), maps],
            progress=progress)
        run.log_array("conv1_weight", step=int(history["step"].max()), weight=model.conv1.weight)
    print(f"cnn_feature_maps: trained in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return out


if __name__ == "__main__":
    command_line(main, __doc__, RUN_DIR, quick_help="1 epoch, 300 images: a smoke test")
