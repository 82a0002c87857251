"""DL lecture 9, the variational autoencoder: a VAE with a 2-D latent on the MNIST subset, its latent drawable.

An MLP encoder (784 -> 256 -> ReLU -> 2 means and 2 log-variances) and an
MLP decoder (2 -> 256 -> ReLU -> 784 -> sigmoid), trained with Adam on 4 000
digits of the 5 000-image subset (1 000 held out, stratified) to minimise the
negative ELBO per image: the reconstruction term (binary cross-entropy of the
784 pixels, summed) plus the KL divergence of the encoder's Gaussian q(z|x)
from the prior N(0, I), in closed form, ``-½ Σ (1 + log σ² − μ² − σ²)``.
The reparameterisation ``z = μ + σ·ε`` keeps the sampling differentiable.

The log holds both terms and their sum per epoch, for the training set
(averaged over the epoch's batches) and the held-out digits. The arrays
(``vizkit.io.read_arrays``) are small, uint8 images and float16 codes:

- ``latent``: the means μ of the 1 000 held-out digits and their labels,
  before training and after epochs 1, 3, 10 and the last;
- ``lattice``: the decoder's images over a 15 × 15 lattice at the prior's
  quantiles 0.05 to 0.95 (``vizkit.torch.decode_lattice``) with its coordinates;
- ``reconstructions``: the first held-out image of each digit and its
  reconstruction (the decoder at μ).

Run it from the repository root::

    python training_runs/vae_mnist.py                 # about 30 s on 2 CPU cores, writes RUN_DIR
    python training_runs/vae_mnist.py --quick --out /tmp/vae   # 1 epoch on 500 images, a smoke test

``VIZKIT_TRAINING_QUICK=1`` in the environment also selects the quick mode.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _experiment import command_line, deterministic, mnist_rows, written_whole  # noqa: E402
from vizkit.torch import Run, decode_lattice  # noqa: E402
from vizkit.torch.data import frame_loaders  # noqa: E402

RUN_DIR = "training_runs/runs/vae_mnist"
ROOT = Path(__file__).resolve().parents[1]

CONFIG = {"dataset": "mnist", "model": "mlp 784-256-(2+2) / 2-256-784", "latent": 2, "hidden": 256,
          "optimizer": "adam", "lr": 0.001, "batch_size": 100, "epochs": 30, "val_size": 1000, "split_seed": 0,
          "seed": 0, "latent_epochs": [0, 1, 3, 10, 30], "lattice": 15, "quantiles": [0.05, 0.95]}
QUICK = {"epochs": 1, "per_class": 50, "val_size": 100, "latent_epochs": [0, 1]}


class VAE(nn.Module):
    """q(z|x) = N(μ(x), diag σ²(x)) by an MLP encoder; p(x|z) Bernoulli per pixel by an MLP decoder."""

    def __init__(self, hidden: int = 256, latent: int = 2):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(784, hidden), nn.ReLU(), nn.Linear(hidden, 2 * latent))
        self.decoder = nn.Sequential(nn.Linear(latent, hidden), nn.ReLU(), nn.Linear(hidden, 784), nn.Sigmoid())

    def encode(self, x):
        """The means and log-variances of q(z|x)."""
        return self.encoder(x).chunk(2, dim=1)

    def forward(self, x):
        mu, logvar = self.encode(x)
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)  # the reparameterisation trick
        return self.decoder(z), mu, logvar


def kl_term(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(μ, σ²) ‖ N(0, 1)) per image, summed over latent dimensions: ``-½ Σ (1 + log σ² − μ² − σ²)``.

    The lecture's closed form; tests check it against ``torch.distributions.kl_divergence``.
    """
    return -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(dim=1)


def objective_terms(model: VAE, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The batch means of the reconstruction term (BCE summed over pixels) and of the KL term."""
    decoded, mu, logvar = model(x)
    reconstruction = F.binary_cross_entropy(decoded, x, reduction="none").sum(dim=1)
    return reconstruction.mean(), kl_term(mu, logvar).mean()


def _evaluate(model: VAE, loader) -> tuple[float, float]:
    model.eval()
    totals, count = np.zeros(2), 0
    with torch.no_grad():
        for x, _ in loader:
            terms = objective_terms(model, x)
            totals += [float(t) * len(x) for t in terms]
            count += len(x)
    model.train()
    return tuple(totals / count)


def _save_latent(run: Run, model: VAE, x: torch.Tensor, labels: torch.Tensor, epoch: int) -> None:
    with torch.no_grad():
        mu, _ = model.encode(x)
    run.log_array("latent", step=epoch, mu=mu.numpy().astype(np.float16), label=labels.numpy().astype(np.uint8))


def _probe(x: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """The first held-out image of each digit, 0 to 9."""
    return torch.stack([x[(labels == d).nonzero()[0, 0]] for d in range(10)])


def _as_uint8(images) -> np.ndarray:
    return np.round(np.asarray(images) * 255).astype(np.uint8)


def main(out=None, *, quick: bool = False, progress: bool = True) -> Path:
    """Train the VAE into ``out`` (default ``RUN_DIR``): the log of both terms and the arrays; return the folder."""
    out = ROOT / RUN_DIR if out is None else Path(out)
    deterministic()
    config = {**CONFIG, **(QUICK if quick else {})}
    started = time.perf_counter()
    frame = mnist_rows(config)
    torch.manual_seed(config["seed"])
    train, val = frame_loaders(frame, val_size=config["val_size"], batch_size=config["batch_size"],
                               seed=config["split_seed"])
    held_out, labels = (torch.cat(parts) for parts in zip(*val, strict=True))
    model = VAE(config["hidden"], config["latent"])
    optimizer = torch.optim.Adam(model.parameters(), lr=config["lr"])
    with written_whole(out) as folder, Run(folder, config=config, name="vae-mnist") as run:
        _save_latent(run, model, held_out, labels, 0)
        step = 0
        for epoch in range(1, config["epochs"] + 1):
            sums, batches = np.zeros(2), 0
            for x, _ in train:
                reconstruction, kl = objective_terms(model, x)
                optimizer.zero_grad()
                (reconstruction + kl).backward()
                optimizer.step()
                sums += [reconstruction.item(), kl.item()]
                batches, step = batches + 1, step + 1
            for split, (reconstruction, kl) in (("train", sums / batches), ("val", _evaluate(model, val))):
                run.log(step=step, epoch=epoch, split=split, reconstruction=reconstruction, kl=kl,
                        loss=reconstruction + kl)
            if epoch in config["latent_epochs"]:
                _save_latent(run, model, held_out, labels, epoch)
            if progress:
                print(f"epoch {epoch}: -ELBO {sum(sums) / batches:.1f}", file=sys.stderr)
        lattice = decode_lattice(model.decoder, config["lattice"], quantiles=tuple(config["quantiles"]))
        run.log_array("lattice", step=config["epochs"], images=_as_uint8(lattice.images), x=lattice.x, y=lattice.y)
        probe = _probe(held_out, labels)
        with torch.no_grad():
            decoded = model.decoder(model.encode(probe)[0])
        run.log_array("reconstructions", step=config["epochs"], original=_as_uint8(probe.reshape(-1, 28, 28)),
                      reconstruction=_as_uint8(decoded.reshape(-1, 28, 28)), label=np.arange(10, dtype=np.uint8))
    print(f"vae_mnist: trained in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return out


if __name__ == "__main__":
    command_line(main, __doc__, RUN_DIR, quick_help="1 epoch on 500 images: a smoke test")
