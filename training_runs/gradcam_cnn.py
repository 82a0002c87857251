"""DL lecture 6, class-activation heatmaps: a small CNN on MNIST whose weights the Grad-CAM page explains.

Two 3 x 3 convolutions (16 and 32 channels, ReLU, 2 x 2 max pooling after
each) and a linear layer (32 * 7 * 7 -> 10): 20 490 parameters. It learns the
5 000-image MNIST subset (80 % for training, a stratified 20 % held out) with
Adam for 4 epochs, about 95 % validation accuracy. The run keeps its log and
its final weights as one float32 npz (``weights.npz``, 80 KB, no pickle), and
the first held-out image of each digit (``probe.npz``, 30 KB): the gallery's
Grad-CAM page loads both and asks where the second convolution saw each class.

Run it from the repository root::

    python training_runs/gradcam_cnn.py                  # about 20 s on 2 CPU cores, writes RUN_DIR
    python training_runs/gradcam_cnn.py --quick --out /tmp/gradcam   # 1 epoch on 500 images, a smoke test

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

from _experiment import command_line, deterministic, mnist_rows, written_whole  # noqa: E402
from vizkit.torch import MetricLogger, Run, fit  # noqa: E402
from vizkit.torch.data import frame_loaders  # noqa: E402
from vizkit.torch.loop import accuracy  # noqa: E402

RUN_DIR = "training_runs/runs/gradcam_cnn"
ROOT = Path(__file__).resolve().parents[1]

CONFIG = {
    "dataset": "mnist",
    "model": "conv16-pool-conv32-pool-linear",
    "optimizer": "adam",
    "lr": 0.003,
    "batch_size": 64,
    "epochs": 4,
    "val_size": 0.2,
    "split_seed": 0,
    "seed": 0,
}
QUICK = {"epochs": 1, "per_class": 50}  # 500 images: a smoke test in a second


def make_cnn() -> nn.Sequential:
    """784 pixel columns -> 1 x 28 x 28 -> conv 16 -> pool -> conv 32 (index 5: the layer explained) -> pool -> 10."""
    return nn.Sequential(
        nn.Unflatten(1, (1, 28, 28)),
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),   # 16 x 14 x 14
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 32 x 14 x 14, then 7 x 7
        nn.Flatten(), nn.Linear(32 * 7 * 7, 10),
    )


def _probe(val) -> dict:
    """The first held-out image of each digit (10 × 28 × 28, float32 in [0, 1]) and its label: what the page explains."""
    pixels, labels = (tensor.numpy() for tensor in val.dataset.tensors)
    first = [int(np.flatnonzero(labels == digit)[0]) for digit in range(10)]
    return {"images": pixels[first].reshape(-1, 28, 28).astype(np.float32), "labels": labels[first]}


def main(out=None, *, quick: bool = False, progress: bool = True) -> Path:
    """Train the CNN into ``out`` (default ``RUN_DIR``): the run log and ``weights.npz``; return the folder."""
    out = ROOT / RUN_DIR if out is None else Path(out)
    deterministic()
    config = {**CONFIG, **(QUICK if quick else {})}
    started = time.perf_counter()
    torch.manual_seed(config["seed"])
    frame = mnist_rows(config)
    train, val = frame_loaders(frame, val_size=config["val_size"],
                               batch_size=config["batch_size"], seed=config["split_seed"])
    model = make_cnn()
    optimizer = torch.optim.Adam(model.parameters(), lr=config["lr"])
    with written_whole(out) as folder:
        with Run(folder, config=config, name="gradcam-cnn") as run:
            fit(model, train, val_loader=val, optimizer=optimizer, loss_fn=nn.functional.cross_entropy,
                epochs=config["epochs"], metrics={"acc": accuracy}, callbacks=[MetricLogger(run)],
                progress=progress)
        np.savez(folder / "weights.npz", **{name: tensor.detach().numpy().astype(np.float32)
                                            for name, tensor in model.state_dict().items()})
        np.savez(folder / "probe.npz", **_probe(val))
    print(f"gradcam_cnn: trained in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return out


if __name__ == "__main__":
    command_line(main, __doc__, RUN_DIR, quick_help="1 epoch on 500 images: a smoke test")
