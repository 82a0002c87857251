"""DL lecture 10: a GAN on the MNIST subset; samples from one fixed noise batch at chosen epochs, D and G over training.

A generator (64 noise numbers -> 256 -> 512 -> 784 pixels: linear layers,
batch norm and ReLU, tanh at the end) and a discriminator (784 -> 512 -> 256
-> 1 logit, LeakyReLU 0.2) play the minimax game on the 5 000 MNIST digits
scaled to [-1, 1]: per batch of 64, one Adam step (lr 2e-4, betas 0.5 and
0.999) of the discriminator on real and fake digits, then one of the generator
with the non-saturating loss (-log D(G(z))). Each epoch logs the means of the
discriminator's and the generator's losses (metric ``loss``, splits
``discriminator`` and ``generator``) and of D's output on the real and on the
fake digits of the batches (metric ``D``, splits ``real`` and ``fake``: D(x)
and D(G(z)), before D's step). At the epochs in ``sample_epochs``,
``vizkit.torch.SampleLogger`` has the generator draw, in eval mode, from ONE
noise batch of 10 fixed before training (its own seed); each
``arrays/samples-step<step>.npz`` holds the images (float16), the epoch and
that noise (float32), so anyone can check it is the same at every epoch. One
seed, one run folder: ``RUN_DIR``.

Run it from the repository root::

    python training_runs/gan_mnist.py            # ~80 s on 2 CPU cores, writes RUN_DIR
    python training_runs/gan_mnist.py --quick --out /tmp/gan   # about a second, a smoke test

``VIZKIT_TRAINING_QUICK=1`` in the environment also selects the quick mode.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn.functional import binary_cross_entropy_with_logits as bce

sys.path.insert(0, str(Path(__file__).resolve().parent))

import vizkit as vk  # noqa: E402
from _experiment import command_line, deterministic, written_whole  # noqa: E402
from vizkit.torch import Run, SampleLogger  # noqa: E402

RUN_DIR = "training_runs/runs/gan_mnist"
ROOT = Path(__file__).resolve().parents[1]

CONFIG = {"dataset": "mnist", "images": 5000, "latent": 64, "generator": "64-256-512-784, batch norm, ReLU, tanh",
          "discriminator": "784-512-256-1, LeakyReLU(0.2)", "loss": "non-saturating", "optimizer": "Adam",
          "lr": 2e-4, "betas": [0.5, 0.999], "batch_size": 64, "epochs": 40, "seed": 0, "noise_seed": 1,
          "samples": 10, "sample_epochs": [0, 1, 2, 4, 8, 16, 24, 39]}
QUICK = {"images": 256, "epochs": 2, "sample_epochs": [0, 1]}


def make_generator(latent: int) -> nn.Sequential:
    return nn.Sequential(nn.Linear(latent, 256), nn.BatchNorm1d(256), nn.ReLU(),
                         nn.Linear(256, 512), nn.BatchNorm1d(512), nn.ReLU(),
                         nn.Linear(512, 784), nn.Tanh(), nn.Unflatten(1, (28, 28)))


def make_discriminator() -> nn.Sequential:
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.LeakyReLU(0.2),
                         nn.Linear(512, 256), nn.LeakyReLU(0.2), nn.Linear(256, 1), nn.Flatten(0))


def fixed_noise(config: dict) -> torch.Tensor:
    """The one noise batch every sample grid is drawn from: its own seed, drawn before training."""
    return torch.randn(config["samples"], config["latent"], generator=torch.Generator().manual_seed(config["noise_seed"]))


def _digits(config: dict) -> torch.Tensor:
    """The first ``images`` MNIST digits, as (N, 28, 28) in [-1, 1]."""
    frame = vk.load_dataset("mnist").head(config["images"])
    pixels = frame.filter(like="pixel").to_numpy(np.float32).reshape(-1, 28, 28)
    return torch.from_numpy(pixels / 127.5 - 1.0)


def _epoch(real: torch.Tensor, models, optimizers, config: dict) -> dict:
    """One pass over the digits in a seeded order; the means of the losses and of D's outputs."""
    generator, discriminator = models
    opt_g, opt_d = optimizers
    size = config["batch_size"]
    sums = torch.zeros(4)
    order = torch.randperm(len(real))
    batches = len(real) // size  # the last partial batch is dropped: batch norm sees full batches
    for b in range(batches):
        x = real[order[b * size:(b + 1) * size]]
        fake = generator(torch.randn(size, config["latent"]))
        on_real, on_fake = discriminator(x), discriminator(fake.detach())
        loss_d = bce(on_real, torch.ones(size)) + bce(on_fake, torch.zeros(size))
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        loss_g = bce(discriminator(fake), torch.ones(size))  # non-saturating: maximise log D(G(z))
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
        sums += torch.stack([loss_d, loss_g, torch.sigmoid(on_real).mean(), torch.sigmoid(on_fake).mean()]).detach()
    means = (sums / batches).tolist()
    return {"batches": batches, "loss_d": means[0], "loss_g": means[1], "d_real": means[2], "d_fake": means[3]}


def main(out=None, *, quick: bool = False, progress: bool = True) -> Path:
    """Train the GAN into ``out`` (default ``RUN_DIR``); return the folder."""
    out = ROOT / RUN_DIR if out is None else Path(out)
    deterministic()
    config = {**CONFIG, **(QUICK if quick else {})}
    started = time.perf_counter()
    real = _digits(config)
    torch.manual_seed(config["seed"])
    generator, discriminator = make_generator(config["latent"]), make_discriminator()
    optimizers = [torch.optim.Adam(m.parameters(), lr=config["lr"], betas=tuple(config["betas"]))
                  for m in (generator, discriminator)]
    step = -1
    with written_whole(out) as folder, Run(folder, config=config, name="gan-mnist") as run:
        samples = SampleLogger(generator, fixed_noise(config), epochs=config["sample_epochs"], run=run)
        for epoch in range(config["epochs"]):
            found = _epoch(real, (generator, discriminator), optimizers, config)
            step += found["batches"]
            run.log(step=step, epoch=epoch, split="discriminator", loss=found["loss_d"])
            run.log(step=step, epoch=epoch, split="generator", loss=found["loss_g"])
            run.log(step=step, epoch=epoch, split="real", D=found["d_real"])
            run.log(step=step, epoch=epoch, split="fake", D=found["d_fake"])
            samples.log(step=step, epoch=epoch)
            if progress:
                print(f"epoch {epoch}: D loss {found['loss_d']:.3f}, G loss {found['loss_g']:.3f}, "
                      f"D(x) {found['d_real']:.3f}, D(G(z)) {found['d_fake']:.3f}", file=sys.stderr)
    print(f"gan_mnist: trained in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return out


if __name__ == "__main__":
    command_line(main, __doc__, RUN_DIR, quick_help="256 digits, 2 epochs: a smoke test")
