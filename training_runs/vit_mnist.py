"""DL lecture 8, the Vision Transformer assignment: a small ViT on the MNIST subset, and what its attention saw.

Each 28 × 28 digit is cut into 7 × 7 = 49 patches of 4 × 4 pixels
(``vizkit.torch.models.patchify``), each patch mapped to 48 features by one
linear layer; a class token goes in front and learned positional embeddings
are added (50 tokens), then three pre-norm encoder blocks (4 heads of 12
features, ``nn.MultiheadAttention``; a GELU MLP of 96) and a linear head on
the class token: ``vizkit.torch.models.vit(dim=48, depth=3, heads=4,
mlp_dim=96)``, 60 730 parameters. It trains for 12 epochs with AdamW
(learning rate 2e-3 on a one-cycle schedule, batches of 64) on 4 000 of the
5 000 digits; 1 000 are held out (stratified): 92.6 % held-out accuracy after
the last epoch. Training loss and accuracy are logged as means of 9 steps, the learning rate every 9 steps.

The run keeps its log, its final weights (``weights.npz``, float16), the
positional embeddings (``arrays/pos_embed``, 50 × 48, float32) and, for the
first held-out image of four digits (0, 2, 4, 7), every block's attention weights per
head (``arrays/attention``: ``weights`` of shape (blocks, 4, heads, 50, 50),
float16, token 0 the class token; captured by ``vizkit.torch.AttentionMaps``), with the
images, labels and predictions.

Run it from the repository root::

    python training_runs/vit_mnist.py                    # about 70 s of CPU time (one thread), writes RUN_DIR
    python training_runs/vit_mnist.py --quick --out /tmp/vit   # 1 epoch on 300 images, a smoke test

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
from vizkit.torch import AttentionMaps, LRLogger, MetricLogger, Run, fit  # noqa: E402
from vizkit.torch.data import frame_loaders  # noqa: E402
from vizkit.torch.loop import accuracy  # noqa: E402
from vizkit.torch.models import vit  # noqa: E402

RUN_DIR = "training_runs/runs/vit_mnist"
ROOT = Path(__file__).resolve().parents[1]

CONFIG = {
    "dataset": "mnist",
    "model": {"image_size": 28, "patch_size": 4, "dim": 48, "depth": 3, "heads": 4, "mlp_dim": 96},
    "optimizer": "AdamW",
    "lr": 0.002,
    "weight_decay": 0.05,
    "schedule": "one-cycle",
    "batch_size": 64,
    "epochs": 12,
    "val_size": 1000,
    "split_seed": 0,
    "seed": 0,
    "probe_digits": [0, 2, 4, 7],
}
QUICK = {"epochs": 1, "rows": 300, "val_size": 60}


def _probe(val, digits) -> tuple[torch.Tensor, torch.Tensor]:
    """The first held-out image of each digit in ``digits``, in that order, with its label."""
    inputs, labels = next(iter(val))
    first = torch.stack([(labels == d).nonzero()[0, 0] for d in digits])
    return inputs[first], labels[first]


def _attention(model, images) -> tuple[np.ndarray, np.ndarray]:
    """Every block's attention weights per head for ``images`` (blocks, N, heads, T, T) and the predictions.

    ``AttentionMaps`` recomputes each ``nn.MultiheadAttention``'s weights from its own projections (eval mode, no
    gradients, the model's mode restored after).
    """
    maps = AttentionMaps(model).capture(images)
    with torch.no_grad():
        predicted = model.eval()(images).argmax(1).numpy()
    return np.stack([maps.weights[name] for name in maps.layers]), predicted


def main(out=None, *, quick: bool = False, progress: bool = True) -> Path:
    """Train the ViT into ``out`` (default ``RUN_DIR``): log, weights, positions, probe attention; return the folder."""
    out = ROOT / RUN_DIR if out is None else Path(out)
    deterministic()
    config = {**CONFIG, **(QUICK if quick else {})}
    frame = vk.load_dataset("mnist")
    if quick:
        frame = frame.groupby("label").head(config["rows"] // 10)
    started = time.perf_counter()
    torch.manual_seed(config["seed"])
    train, val = frame_loaders(frame, val_size=config["val_size"], batch_size=config["batch_size"],
                               seed=config["split_seed"])
    model = vit(**config["model"])
    optimizer = torch.optim.AdamW(model.parameters(), lr=config["lr"], weight_decay=config["weight_decay"])
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=config["lr"], epochs=config["epochs"],
                                                    steps_per_epoch=len(train))
    images, labels = _probe(val, config["probe_digits"])
    with written_whole(out) as folder, Run(folder, config=config, name="vit-mnist") as run:
        loggers = [MetricLogger(run, every=9), LRLogger(run, interval="step", every=9, momentum=False)]
        history = fit(model, train, val_loader=val, optimizer=optimizer, loss_fn=nn.functional.cross_entropy,
                      epochs=config["epochs"], metrics={"acc": accuracy}, callbacks=loggers, scheduler=scheduler,
                      scheduler_interval="step", progress=progress)
        step = int(history["step"].max())
        weights, predicted = _attention(model, images)
        run.log_array("attention", step=step, weights=weights.astype(np.float16),
                      images=images.reshape(-1, 28, 28).numpy().astype(np.float16), labels=labels.numpy(),
                      predicted=predicted)
        run.log_array("pos_embed", step=step, pos_embed=model.pos_embed.detach()[0])
        np.savez_compressed(folder / "weights.npz", **{name: tensor.detach().numpy().astype(np.float16)
                                                       for name, tensor in model.state_dict().items()})
    print(f"vit_mnist: trained in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return out


if __name__ == "__main__":
    command_line(main, __doc__, RUN_DIR, quick_help="1 epoch on 300 images: a smoke test")
