"""DL lecture 9: an autoregressive model of binarised 14×14 MNIST digits, sampled one pixel at a time for the AR page.

The 5 000 MNIST digits are shrunk to 14×14 (the mean of each 2×2 block)
and binarised (ink where the mean is at least 64 of 255: strokes stay whole); 500 are held
out. The model is a class-conditional MADE (Germain et al., 2015): a
masked MLP whose logit for pixel d sees only the pixels before d in raster
order (row by row, 196 pixels), through one hidden layer of 500 ReLU units
(degrees 1 ... 195, evenly spread) and a direct masked linear path, with
the digit's label added to the hidden layer (the label comes "before" every
pixel). It trains on the binary cross-entropy of every pixel given the
ones before it (the exact negative log-likelihood), Adam, learning rate
2e-3, batches of 100, 30 epochs; train and held-out loss (bits per image)
are logged every epoch. Then ``vizkit.torch.autoregressive_sample`` draws
one digit of each class pixel by pixel, keeping the partial images after
the chosen numbers of pixels (``steps``: NaN where a pixel is not drawn
yet) and the probability each pixel was drawn with, and 4 more samples of
each class (``samples``).

Run it from the repository root::

    python training_runs/autoregressive_pixels.py            # ~15 s on one CPU thread, writes RUN_DIR
    python training_runs/autoregressive_pixels.py --quick --out /tmp/ar   # about a second, a smoke test

``VIZKIT_TRAINING_QUICK=1`` in the environment also selects the quick mode.
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _experiment import command_line, deterministic, mnist_rows, written_whole  # noqa: E402
from vizkit.torch import Run, autoregressive_sample  # noqa: E402

RUN_DIR = "training_runs/runs/autoregressive_pixels"
ROOT = Path(__file__).resolve().parents[1]

CONFIG = {"dataset": "mnist", "size": 14, "binarise": "2x2 mean >= 64", "order": "raster", "hidden": 500,
          "model": "class-conditional MADE, one hidden layer + direct path", "optimizer": "Adam", "lr": 2e-3,
          "batch_size": 100, "epochs": 30, "val_size": 500, "seed": 0, "sample_seed": 1,
          "keep": [0, 28, 56, 84, 98, 112, 140, 168, 196], "samples_per_digit": 4}
QUICK = {"epochs": 1, "per_class": 30, "val_size": 50, "hidden": 32, "samples_per_digit": 1}


class MaskedLinear(nn.Linear):
    """A linear layer whose weight is multiplied by a fixed 0/1 mask (out × in)."""

    def __init__(self, mask: torch.Tensor, bias: bool = True):
        super().__init__(mask.shape[1], mask.shape[0], bias=bias)
        self.register_buffer("mask", mask.float())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return nn.functional.linear(x, self.weight * self.mask, self.bias)


class MADE(nn.Module):
    """Logits of p(x_d = 1 | x_<d, label) for every pixel d (raster order), from one masked pass."""

    def __init__(self, pixels: int = 196, hidden: int = 500, classes: int = 10):
        super().__init__()
        inputs = torch.arange(1, pixels + 1)                      # pixel d has degree d (1-based)
        units = torch.arange(hidden) % (pixels - 1) + 1           # hidden degrees 1 ... D-1, evenly spread
        self.hidden = MaskedLinear(units[:, None] >= inputs[None, :])           # a unit sees pixels up to its degree
        self.out = MaskedLinear(inputs[:, None] > units[None, :])               # pixel d sees units below d
        self.direct = MaskedLinear(inputs[:, None] > inputs[None, :], bias=False)  # and the pixels before it
        self.label = nn.Embedding(classes, hidden)
        self.labels = None  # the labels of the batch, set by the caller

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.relu(self.hidden(x) + self.label(self.labels))
        return self.out(h) + self.direct(x)


def binarised_digits(frame, size: int = 14) -> tuple[torch.Tensor, torch.Tensor]:
    """MNIST rows as (N, size²) 0/1 pixels (2×2 means at least half of 255) and their labels."""
    pixels = frame.filter(like="pixel").to_numpy(np.float32).reshape(-1, 28, 28)
    factor = 28 // size
    small = pixels.reshape(-1, size, factor, size, factor).mean(axis=(2, 4))
    return torch.tensor((small >= 64).reshape(len(frame), -1), dtype=torch.float32), \
        torch.tensor(frame["label"].to_numpy())


def _bits(model, x, labels) -> float:
    """The mean negative log-likelihood of the images in bits (the sum over pixels)."""
    model.labels = labels
    with torch.no_grad():
        nats = nn.functional.binary_cross_entropy_with_logits(model(x), x, reduction="sum") / len(x)
    return float(nats) / math.log(2)


def main(out=None, *, quick: bool = False, progress: bool = True) -> Path:
    """Train the MADE into ``out`` (default ``RUN_DIR``): loss log, partial images and samples; return the folder."""
    out = ROOT / RUN_DIR if out is None else Path(out)
    deterministic()
    config = {**CONFIG, **(QUICK if quick else {})}
    started = time.perf_counter()
    frame = mnist_rows(config)
    x, labels = binarised_digits(frame, config["size"])
    held = torch.randperm(len(x), generator=torch.Generator().manual_seed(config["seed"]))
    val, train = held[:config["val_size"]], held[config["val_size"]:]
    torch.manual_seed(config["seed"])
    model = MADE(pixels=x.shape[1], hidden=config["hidden"])
    optimizer = torch.optim.Adam(model.parameters(), lr=config["lr"])
    generator = torch.Generator().manual_seed(config["seed"])
    with written_whole(out) as folder, Run(folder, config=config, name="autoregressive-pixels") as run:
        step = -1
        for epoch in range(config["epochs"]):
            model.train()
            for batch in train[torch.randperm(len(train), generator=generator)].split(config["batch_size"]):
                model.labels = labels[batch]
                loss = nn.functional.binary_cross_entropy_with_logits(model(x[batch]), x[batch])
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                step += 1
            model.eval()
            run.log(step=step, epoch=epoch, loss=_bits(model, x[train], labels[train]))
            run.log(step=step, epoch=epoch, split="val", loss=_bits(model, x[val], labels[val]))
        _save_samples(run, model, x.shape[1], step, config)
    print(f"autoregressive_pixels: trained and sampled in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return out


def _save_samples(run, model, pixels: int, step: int, config) -> None:
    generator = torch.Generator().manual_seed(config["sample_seed"])
    model.labels = torch.arange(10)
    drawn = autoregressive_sample(model, 10, pixels, keep=config["keep"], generator=generator)
    size = config["size"]
    run.log_array("steps", step=step, frames=drawn.frames.reshape(len(drawn.steps), 10, size, size).half(),
                  steps=np.array(drawn.steps), labels=np.arange(10),
                  probabilities=drawn.probabilities.reshape(10, size, size).half())
    model.labels = torch.arange(10).repeat_interleave(config["samples_per_digit"])
    more = autoregressive_sample(model, len(model.labels), pixels, generator=generator)
    run.log_array("samples", step=step, samples=more.samples.reshape(-1, size, size).to(torch.uint8),
                  labels=model.labels)


if __name__ == "__main__":
    command_line(main, __doc__, RUN_DIR, quick_help="1 epoch on 300 digits, 32 hidden units: a smoke test")
