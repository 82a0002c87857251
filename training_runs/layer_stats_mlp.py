"""DL lecture 2/3: per-layer statistics of the lecture-2 MLP while it trains, logged by ``LayerStats``.

The MLP of ``mlp_mnist.py`` (784 -> 256 -> 128 -> 10, ReLU; SGD, learning
rate 0.1, momentum 0.9, batches of 128) trains on the MNIST subset for
10 epochs. Every 4th step ``vizkit.torch.LayerStats`` logs, per parameter
(``0.weight``, ``0.bias``, ...), the weight norm, the gradient norm and the
update/weight ratio of that step; ``MetricLogger`` logs the loss. One seed,
one run folder: ``RUN_DIR``.

Run it from the repository root::

    python training_runs/layer_stats_mlp.py            # ~15 s on 2 CPU cores, writes RUN_DIR
    python training_runs/layer_stats_mlp.py --quick --out /tmp/stats   # a few seconds, a smoke test

``VIZKIT_TRAINING_QUICK=1`` in the environment also selects the quick mode.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))

import vizkit as vk  # noqa: E402
from _experiment import command_line, deterministic, written_whole  # noqa: E402
from mlp_mnist import CONFIG as MLP_CONFIG  # noqa: E402
from mlp_mnist import make_mlp  # noqa: E402
from vizkit.torch import LayerStats, MetricLogger, Run, fit  # noqa: E402
from vizkit.torch.data import frame_loaders  # noqa: E402
from vizkit.torch.loop import accuracy  # noqa: E402

RUN_DIR = "training_runs/runs/layer_stats_mlp"
ROOT = Path(__file__).resolve().parents[1]

CONFIG = {**{k: MLP_CONFIG[k] for k in ("dataset", "model", "hidden", "optimizer", "lr", "momentum", "batch_size",
                                         "val_size", "split_seed")},
          "epochs": 10, "every": 4, "seed": 0}
QUICK = {"epochs": 2, "rows": 1000}


def main(out=None, *, quick: bool = False, progress: bool = True) -> Path:
    """Train the MLP with LayerStats into ``out`` (default ``RUN_DIR``); return the folder."""
    out = ROOT / RUN_DIR if out is None else Path(out)
    deterministic()
    frame = vk.load_dataset("mnist")
    config = dict(CONFIG)
    if quick:
        config["epochs"] = QUICK["epochs"]
        frame = frame.groupby("label").head(QUICK["rows"] // 10)
    started = time.perf_counter()
    torch.manual_seed(config["seed"])
    train, val = frame_loaders(frame, val_size=config["val_size"], batch_size=config["batch_size"],
                               seed=config["split_seed"])
    model = make_mlp(config["hidden"])
    optimizer = torch.optim.SGD(model.parameters(), lr=config["lr"], momentum=config["momentum"])
    with written_whole(out) as folder, Run(folder, config=config, name="mlp-layer-stats") as run:
        fit(model, train, val_loader=val, optimizer=optimizer, loss_fn=nn.functional.cross_entropy,
            epochs=config["epochs"], metrics={"acc": accuracy},
            callbacks=[MetricLogger(run), LayerStats(every=config["every"])], progress=progress)
    print(f"layer_stats_mlp: trained in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return out


if __name__ == "__main__":
    command_line(main, __doc__, RUN_DIR, quick_help="2 epochs, 1 000 images: a smoke test")
