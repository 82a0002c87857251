"""The adversarial autoencoder assignment (Makhzani et al., 2016): a 2-D latent pushed towards 10 Gaussians.

The encoder and decoder have the VAE's shapes (``vae_mnist.py``: 784 -> 256
-> ReLU -> 2, and 2 -> 256 -> ReLU -> 784 -> sigmoid), but the encoder is
deterministic and nothing in the loss is a KL term: a discriminator (2 -> 64
-> 64 -> 1, ReLU) tells the codes of real digits from samples of the imposed
prior, and the encoder learns to fool it. The prior is a mixture of 10
isotropic Gaussians (σ = 0.5) whose means sit evenly on a circle of radius 4:
a shape no encoder has by chance, so the match is visible. Every batch of the
4 000 training digits (1 000 held out, stratified) takes three steps, as in
the paper:

1. reconstruction: encoder and decoder minimise the binary cross-entropy of
   the 784 pixels (summed per image, averaged over the batch);
2. regularisation, discriminator: real = prior samples, fake = codes;
3. regularisation, generator: the encoder makes its codes pass as real.

The log holds, per epoch, the three losses on the training batches and the
reconstruction term of the held-out digits. The arrays (``vizkit.io.read_arrays``):
``latent`` holds the codes of the 1 000 held-out digits (float16) and their
labels before training and after epochs 1, 3, 10 and the last, the
assignment's point (the codes approach the prior); ``reconstructions`` holds
the first held-out image of each digit and its reconstruction (uint8).

Run it from the repository root::

    python training_runs/aae_mnist.py                 # about 60 s on 2 CPU cores, writes RUN_DIR
    python training_runs/aae_mnist.py --quick --out /tmp/aae   # 1 epoch on 500 images, a smoke test

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
from torch.nn import functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _experiment import command_line, deterministic, mnist_rows, written_whole  # noqa: E402
from vizkit.torch import Run  # noqa: E402
from vizkit.torch.data import frame_loaders  # noqa: E402

RUN_DIR = "training_runs/runs/aae_mnist"
ROOT = Path(__file__).resolve().parents[1]

CONFIG = {"dataset": "mnist", "model": "mlp 784-256-2 / 2-256-784, discriminator 2-64-64-1", "latent": 2,
          "hidden": 256, "prior": "mixture of 10 Gaussians", "prior_components": 10, "prior_radius": 4.0,
          "prior_std": 0.5, "optimizer": "adam", "lr": 0.001, "adversarial_lr": 0.001, "batch_size": 100,
          "epochs": 30, "val_size": 1000, "split_seed": 0, "seed": 0, "latent_epochs": [0, 1, 3, 10, 30]}
QUICK = {"epochs": 1, "per_class": 50, "val_size": 100, "latent_epochs": [0, 1]}


def prior_means(config: dict) -> torch.Tensor:
    """The mixture's means: ``prior_components`` points evenly on a circle of radius ``prior_radius``."""
    angles = torch.arange(config["prior_components"], dtype=torch.float32) * 2 * math.pi / config["prior_components"]
    return config["prior_radius"] * torch.stack([angles.cos(), angles.sin()], dim=1)


def sample_prior(config: dict, n: int) -> torch.Tensor:
    """``n`` draws from the imposed prior: a component chosen uniformly, then its Gaussian."""
    means = prior_means(config)
    component = torch.randint(len(means), (n,))
    return means[component] + config["prior_std"] * torch.randn(n, 2)


def make_models(config: dict) -> tuple[nn.Module, nn.Module, nn.Module]:
    """Encoder, decoder (the VAE's shapes, a deterministic code) and the discriminator on the code."""
    hidden, latent = config["hidden"], config["latent"]
    encoder = nn.Sequential(nn.Linear(784, hidden), nn.ReLU(), nn.Linear(hidden, latent))
    decoder = nn.Sequential(nn.Linear(latent, hidden), nn.ReLU(), nn.Linear(hidden, 784), nn.Sigmoid())
    discriminator = nn.Sequential(nn.Linear(latent, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
    return encoder, decoder, discriminator


def _reconstruction(encoder, decoder, x) -> torch.Tensor:
    return F.binary_cross_entropy(decoder(encoder(x)), x, reduction="none").sum(dim=1).mean()


def _train_epoch(models, optimizers, train, config) -> np.ndarray:
    """One pass of the three steps per batch; the epoch's mean reconstruction, discriminator and generator losses."""
    encoder, decoder, discriminator = models
    autoencoder, critic, generator = optimizers
    sums, batches = np.zeros(3), 0
    for x, _ in train:
        reconstruction = _reconstruction(encoder, decoder, x)
        autoencoder.zero_grad()
        reconstruction.backward()
        autoencoder.step()

        real, fake = discriminator(sample_prior(config, len(x))), discriminator(encoder(x).detach())
        judged = (F.binary_cross_entropy_with_logits(real, torch.ones_like(real))
                  + F.binary_cross_entropy_with_logits(fake, torch.zeros_like(fake)))
        critic.zero_grad()
        judged.backward()
        critic.step()

        passed = discriminator(encoder(x))
        fooling = F.binary_cross_entropy_with_logits(passed, torch.ones_like(passed))
        generator.zero_grad()
        fooling.backward()
        generator.step()
        sums += [reconstruction.item(), judged.item(), fooling.item()]
        batches += 1
    return sums / batches


def _probe(x: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """The first held-out image of each digit, 0 to 9."""
    return torch.stack([x[(labels == d).nonzero()[0, 0]] for d in range(10)])


def _as_uint8(images) -> np.ndarray:
    return np.round(np.asarray(images) * 255).astype(np.uint8)


def main(out=None, *, quick: bool = False, progress: bool = True) -> Path:
    """Train the AAE into ``out`` (default ``RUN_DIR``): the losses, the codes over training; return the folder."""
    out = ROOT / RUN_DIR if out is None else Path(out)
    deterministic()
    config = {**CONFIG, **(QUICK if quick else {})}
    started = time.perf_counter()
    frame = mnist_rows(config)
    torch.manual_seed(config["seed"])
    train, val = frame_loaders(frame, val_size=config["val_size"], batch_size=config["batch_size"],
                               seed=config["split_seed"])
    held_out, labels = (torch.cat(parts) for parts in zip(*val, strict=True))
    models = encoder, decoder, discriminator = make_models(config)
    betas = (0.5, 0.9)
    optimizers = (torch.optim.Adam([*encoder.parameters(), *decoder.parameters()], lr=config["lr"]),
                  torch.optim.Adam(discriminator.parameters(), lr=config["adversarial_lr"], betas=betas),
                  torch.optim.Adam(encoder.parameters(), lr=config["adversarial_lr"], betas=betas))
    with written_whole(out) as folder, Run(folder, config=config, name="aae-mnist") as run:
        def save_codes(epoch: int) -> None:
            with torch.no_grad():
                codes = encoder(held_out)
            run.log_array("latent", step=epoch, z=codes.numpy().astype(np.float16),
                          label=labels.numpy().astype(np.uint8))

        save_codes(0)
        steps = len(train)
        for epoch in range(1, config["epochs"] + 1):
            reconstruction, judged, fooling = _train_epoch(models, optimizers, train, config)
            run.log(step=epoch * steps, epoch=epoch, split="train", reconstruction=reconstruction,
                    discriminator=judged, generator=fooling)
            with torch.no_grad():
                run.log(step=epoch * steps, epoch=epoch, split="val",
                        reconstruction=_reconstruction(encoder, decoder, held_out).item())
            if epoch in config["latent_epochs"]:
                save_codes(epoch)
            if progress:
                print(f"epoch {epoch}: reconstruction {reconstruction:.1f}, D {judged:.3f}, G {fooling:.3f}",
                      file=sys.stderr)
        probe = _probe(held_out, labels)
        with torch.no_grad():
            decoded = decoder(encoder(probe))
        run.log_array("reconstructions", step=config["epochs"], original=_as_uint8(probe.reshape(-1, 28, 28)),
                      reconstruction=_as_uint8(decoded.reshape(-1, 28, 28)), label=np.arange(10, dtype=np.uint8))
    print(f"aae_mnist: trained in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return out


if __name__ == "__main__":
    command_line(main, __doc__, RUN_DIR, quick_help="1 epoch on 500 images: a smoke test")
