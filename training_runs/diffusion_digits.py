"""DL lecture 10: a small DDPM on scikit-learn's 8×8 digits, its forward and reverse strips saved for the diffusion page.

The 1 797 digits (pixels 0-16 scaled to -1 ... 1, as DDPM scales images)
are noised with DDPM's linear schedule (``vizkit.ml.noise_schedule``:
beta from 1e-4 to 0.02, T = 1000). The denoiser is an MLP (64 pixels and a
sinusoidal embedding of t in, three hidden layers of 256 with SiLU, the
digit's label added as a learned embedding after the first layer, 64 out)
trained on DDPM's simple loss (``vizkit.torch.ddpm_loss``: the mean squared
error of the predicted noise) for 8 000 steps of 128 digits, Adam with a
one-cycle learning rate up to 2e-3; its weights are averaged (EMA, decay
0.998) and the average samples. The run logs the loss every 100 steps, and
saves as arrays (float16):

- ``forward``: one digit x_0 and x_t at the forward steps, with the noise
  epsilon used (the same for every t);
- ``reverse``: ``vizkit.torch.ddpm_sample`` from x_T ~ N(0, I) for one
  sample of each digit, x_t kept at the reverse steps;
- ``samples``: 4 samples of each digit, x_0 only.

Run it from the repository root::

    python training_runs/diffusion_digits.py            # ~60 s on one CPU thread, writes RUN_DIR
    python training_runs/diffusion_digits.py --quick --out /tmp/ddpm   # about a second, a smoke test

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

import vizkit as vk  # noqa: E402
from _experiment import command_line, deterministic, written_whole  # noqa: E402
from vizkit.ml import noise_schedule  # noqa: E402
from vizkit.torch import Run, ddpm_loss, ddpm_sample  # noqa: E402

RUN_DIR = "training_runs/runs/diffusion_digits"
ROOT = Path(__file__).resolve().parents[1]

CONFIG = {"dataset": "digits", "scale": "pixel / 8 - 1", "schedule": "linear", "T": 1000, "beta_start": 1e-4,
          "beta_end": 0.02, "model": "MLP 64+32 -> 256 (+ label) -> 256 -> 256 -> 64, SiLU", "hidden": 256,
          "time_embedding": 32, "optimizer": "Adam", "max_lr": 2e-3, "lr_schedule": "one-cycle", "batch_size": 128,
          "steps": 8000, "ema_decay": 0.998, "log_every": 100, "seed": 0, "sample_seed": 1, "forward_image": 0,
          "forward_t": [0, 50, 100, 250, 500, 750, 1000], "reverse_t": [1000, 750, 500, 350, 250, 150, 100, 50, 0],
          "samples_per_digit": 4}
QUICK = {"steps": 20, "log_every": 10, "samples_per_digit": 1, "T": 50, "forward_t": [0, 5, 25, 50],
         "reverse_t": [50, 25, 5, 0]}


class Denoiser(nn.Module):
    """epsilon(x_t, t, label): an MLP on the pixels and a sinusoidal embedding of t, the label's embedding added."""

    def __init__(self, pixels: int = 64, hidden: int = 256, embedding: int = 32, classes: int = 10):
        super().__init__()
        self.embedding = embedding
        self.inp = nn.Linear(pixels + embedding, hidden)
        self.label = nn.Embedding(classes, hidden)
        self.body = nn.Sequential(nn.SiLU(), nn.Linear(hidden, hidden), nn.SiLU(), nn.Linear(hidden, hidden),
                                  nn.SiLU(), nn.Linear(hidden, pixels))
        self.labels = None  # the labels of the batch being denoised, set by the caller

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        half = self.embedding // 2
        angles = t[:, None].float() * torch.exp(-math.log(1000.0) * torch.arange(half) / half)[None]
        h = self.inp(torch.cat([x, angles.sin(), angles.cos()], dim=1))
        return self.body(h + self.label(self.labels))


def main(out=None, *, quick: bool = False, progress: bool = True) -> Path:
    """Train the denoiser into ``out`` (default ``RUN_DIR``): loss log and the strips as arrays; return the folder."""
    out = ROOT / RUN_DIR if out is None else Path(out)
    deterministic()
    config = {**CONFIG, **(QUICK if quick else {})}
    started = time.perf_counter()
    frame = vk.load_dataset("digits")
    pixels = torch.tensor(frame.filter(like="pixel").to_numpy(np.float32) / 8 - 1)
    labels = torch.tensor(frame["label"].to_numpy())
    schedule = noise_schedule(config["schedule"], T=config["T"], beta_start=config["beta_start"],
                              beta_end=config["beta_end"])
    torch.manual_seed(config["seed"])
    model = Denoiser(hidden=config["hidden"], embedding=config["time_embedding"])
    optimizer = torch.optim.Adam(model.parameters(), lr=config["max_lr"])
    cycle = torch.optim.lr_scheduler.OneCycleLR(optimizer, config["max_lr"], total_steps=config["steps"])
    average = torch.optim.swa_utils.AveragedModel(
        model, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(config["ema_decay"]))
    generator = torch.Generator().manual_seed(config["seed"])
    with written_whole(out) as folder, Run(folder, config=config, name="diffusion-digits") as run:
        total = 0.0
        for step in range(config["steps"]):
            batch = torch.randint(0, len(pixels), (config["batch_size"],), generator=generator)
            model.labels = labels[batch]
            loss = ddpm_loss(model, pixels[batch], schedule, generator=generator)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            cycle.step()
            average.update_parameters(model)
            total += loss.item()
            if (step + 1) % config["log_every"] == 0:
                run.log(step=step, loss=total / config["log_every"])
                total = 0.0
        _save_strips(run, average.module, schedule, pixels, config)
    print(f"diffusion_digits: trained and sampled in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return out


def _save_strips(run, model, schedule, pixels, config) -> None:
    """The forward strip of one digit, the reverse strip of one sample per digit, and more samples."""
    step = config["steps"] - 1
    x0 = pixels[config["forward_image"]].reshape(8, 8).numpy()
    noise = np.random.default_rng(config["seed"]).standard_normal(x0.shape)
    forward = schedule.forward(x0, config["forward_t"], noise=noise)
    run.log_array("forward", step=step, x0=x0.astype(np.float16), noise=noise.astype(np.float16),
                  frames=forward.astype(np.float16), t=np.array(config["forward_t"]))
    generator = torch.Generator().manual_seed(config["sample_seed"])
    model.labels = torch.arange(10)
    reverse = ddpm_sample(model, schedule, (10, 64), keep=config["reverse_t"], generator=generator)
    run.log_array("reverse", step=step, frames=reverse.frames.reshape(len(reverse.t), 10, 8, 8).half(),
                  t=np.array(reverse.t), labels=np.arange(10))
    model.labels = torch.arange(10).repeat_interleave(config["samples_per_digit"])
    samples = ddpm_sample(model, schedule, (len(model.labels), 64), generator=generator).samples
    run.log_array("samples", step=step, samples=samples.reshape(-1, 8, 8).half(), labels=model.labels)


if __name__ == "__main__":
    command_line(main, __doc__, RUN_DIR, quick_help="20 steps, T = 50: a smoke test")
