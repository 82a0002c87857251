"""DL lecture 8: a tiny causal transformer whose two heads learn two different relations, captured every 25 steps.

The task: sequences of 10 random digits; at every position t the model must
output (x[0] + x[t-1]) mod 10 (at t = 0, 2·x[0] mod 10), so it needs both
the first digit and the previous one. One causal self-attention layer with
two heads (``nn.TransformerEncoder``, width 32, feed-forward 64, learned
position embeddings, no dropout) trains with Adam (lr 3e-3, batches of 64)
on 8 000 seeded sequences for 3 epochs; 2 000 are held out. Every 25
steps ``vizkit.torch.AttentionMaps`` runs the probe (the first ten digits of
pi, and three held-out sequences) in eval mode and saves both heads' weights
(float16 npz): one head comes to look at the previous digit, the other at the
first. One seed, one run folder: ``RUN_DIR``.

Run it from the repository root::

    python training_runs/attention_heads.py            # ~30 s on 2 CPU cores, writes RUN_DIR
    python training_runs/attention_heads.py --quick --out /tmp/heads   # about a second, a smoke test

``VIZKIT_TRAINING_QUICK=1`` in the environment also selects the quick mode.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _experiment import command_line, deterministic, written_whole  # noqa: E402
from vizkit.torch import AttentionMaps, MetricLogger, Run, fit  # noqa: E402

RUN_DIR = "training_runs/runs/attention_heads"
ROOT = Path(__file__).resolve().parents[1]

CONFIG = {"task": "y[t] = (x[0] + x[t-1]) mod 10", "length": 10, "digits": 10, "width": 32, "heads": 2, "layers": 1,
          "feedforward": 64, "optimizer": "Adam", "lr": 3e-3, "batch_size": 64, "train_size": 8000,
          "val_size": 2000, "epochs": 3, "capture_every": 25, "seed": 0, "probe": "3141592653 and three held-out sequences"}
QUICK = {"epochs": 1, "train_size": 640, "val_size": 64, "capture_every": 5}
PI = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]


class TinyDecoder(nn.Module):
    """Digit embedding plus learned positions, a causal ``nn.TransformerEncoder``, a linear read-out per position."""

    def __init__(self, config):
        super().__init__()
        width, length = config["width"], config["length"]
        self.embed = nn.Embedding(config["digits"], width)
        self.position = nn.Parameter(torch.randn(length, width) * 0.5)
        layer = nn.TransformerEncoderLayer(width, config["heads"], config["feedforward"], dropout=0.0,
                                           batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, config["layers"], enable_nested_tensor=False)
        self.readout = nn.Linear(width, config["digits"])
        self.register_buffer("causal", nn.Transformer.generate_square_subsequent_mask(length), persistent=False)

    def forward(self, digits):
        hidden = self.embed(digits) + self.position
        return self.readout(self.encoder(hidden, mask=self.causal, is_causal=True))


def targets(x: torch.Tensor, digits: int = 10) -> torch.Tensor:
    """(x[0] + x[t-1]) mod ``digits`` at every position t (x[t-1] is x[0] at t = 0)."""
    previous = torch.cat([x[:, :1], x[:, :-1]], dim=1)
    return (x[:, :1] + previous) % digits


def _loss(logits, y):
    return nn.functional.cross_entropy(logits.transpose(1, 2), y)


def _acc(logits, y):
    return (logits.argmax(dim=-1) == y).float().mean()


def main(out=None, *, quick: bool = False, progress: bool = True) -> Path:
    """Train the tiny decoder with AttentionMaps into ``out`` (default ``RUN_DIR``); return the folder."""
    out = ROOT / RUN_DIR if out is None else Path(out)
    deterministic()
    config = dict(CONFIG, **(QUICK if quick else {}))
    started = time.perf_counter()
    generator = torch.Generator().manual_seed(config["seed"])
    x = torch.randint(config["digits"], (config["train_size"] + config["val_size"], config["length"]),
                      generator=generator)
    data = torch.utils.data.TensorDataset(x, targets(x, config["digits"]))
    train = torch.utils.data.Subset(data, range(config["train_size"]))
    val = torch.utils.data.Subset(data, range(config["train_size"], len(data)))
    loader = torch.utils.data.DataLoader(train, batch_size=config["batch_size"], shuffle=True,
                                         generator=torch.Generator().manual_seed(config["seed"]))
    val_loader = torch.utils.data.DataLoader(val, batch_size=500)
    torch.manual_seed(config["seed"])
    model = TinyDecoder(config)
    probe = torch.cat([torch.tensor([PI]), x[config["train_size"]:config["train_size"] + 3]])
    with written_whole(out) as folder, Run(folder, config=config, name="attention-heads") as run:
        run.log_array("probe", step=0, digits=probe)
        fit(model, loader, val_loader=val_loader, optimizer=torch.optim.Adam(model.parameters(), lr=config["lr"]),
            loss_fn=_loss, epochs=config["epochs"], metrics={"acc": _acc}, progress=progress,
            callbacks=[MetricLogger(run), AttentionMaps(model, probe=probe, every=config["capture_every"], unit="step")])
    print(f"attention_heads: trained in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return out


if __name__ == "__main__":
    command_line(main, __doc__, RUN_DIR, quick_help="1 epoch of 640 sequences: a smoke test")
