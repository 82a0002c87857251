"""DL lecture 7's practice: an RNN, an LSTM and a GRU read MNIST digits row by row.

Each 28 × 28 digit is a sequence of 28 steps (its rows) of 28 features (the
pixels of a row); a recurrent layer with 48 hidden units reads the rows top
to bottom and a linear layer classifies its last hidden state. The three
networks differ only in the recurrent layer (``nn.RNN``, ``nn.LSTM``,
``nn.GRU``; PyTorch's initialisation), start from ``torch.manual_seed(0)``
and see the same batches of the 5 000-digit MNIST subset (80 % for
training, a stratified 20 % held out) with Adam for 10 epochs. Each run's
config holds its parameter count: per layer, RNN h(i + h + 2), GRU
3h(i + h + 2), LSTM 4h(i + h + 2) with both biases, plus the head's
10(h + 1); ``parameters.json`` holds each model's layer table
(``vizkit.torch.summary``) for the page's parameter chart.

Run it from the repository root::

    python training_runs/rnn_mnist_rows.py                       # about 30 s on one CPU core, writes RUN_DIR
    python training_runs/rnn_mnist_rows.py --quick --out /tmp/rows   # 1 epoch on 200 digits: a smoke test

``VIZKIT_TRAINING_QUICK=1`` in the environment also selects the quick mode.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _experiment import command_line, deterministic, mnist_rows, written_whole  # noqa: E402
from vizkit.torch import MetricLogger, Run, fit  # noqa: E402
from vizkit.torch.data import frame_loaders  # noqa: E402
from vizkit.torch.loop import accuracy  # noqa: E402

RUN_DIR = "training_runs/runs/rnn_mnist_rows"
ROOT = Path(__file__).resolve().parents[1]

CONFIG = {
    "dataset": "mnist",
    "rows": 28,
    "features": 28,
    "hidden": 48,
    "optimizer": "adam",
    "lr": 3e-3,
    "batch_size": 64,
    "epochs": 10,
    "val_size": 0.2,
    "split_seed": 0,
    "seed": 0,
}
QUICK = {"epochs": 1, "per_class": 20}  # 200 digits: a smoke test in a second
MODELS = ["RNN", "LSTM", "GRU"]


class RowReader(nn.Module):
    """784 pixel columns -> 28 rows of 28 pixels -> a recurrent layer (``kind``) -> its last hidden state -> 10."""

    def __init__(self, kind: str, hidden: int):
        super().__init__()
        self.rnn = getattr(nn, kind)(28, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, 10)

    def forward(self, pixels):
        rows = pixels.reshape(len(pixels), 28, 28)
        return self.fc(self.rnn(rows)[0][:, -1])


def parameter_table(hidden: int):
    """``vizkit.torch.summary``'s layer table of each reader, one JSON-ready frame: the page draws it torch-free."""
    import pandas as pd

    from vizkit.torch import summary

    tables = []
    for kind in MODELS:
        table = summary(RowReader(kind, hidden), (784,)).table
        names = {"rnn": f"{kind}: recurrent", "fc": f"{kind}: head"}
        tables.append(table.assign(model=kind, layer=table["layer"].map(names))[
            ["model", "layer", "type", "weight_shape", "bias", "params"]])
    return pd.concat(tables, ignore_index=True)


def main(out=None, *, quick: bool = False, progress: bool = True) -> Path:
    """Train the three readers into ``out/<model>`` (default ``RUN_DIR``); return the folder."""
    out = ROOT / RUN_DIR if out is None else Path(out)
    deterministic()
    config = {**CONFIG, **(QUICK if quick else {})}
    started = time.perf_counter()
    frame = mnist_rows(config)
    with written_whole(out) as folder:
        for kind in MODELS:
            torch.manual_seed(config["seed"])                      # the same init stream and batches for each
            train, val = frame_loaders(frame, val_size=config["val_size"],
                                       batch_size=config["batch_size"], seed=config["split_seed"])
            model = RowReader(kind, config["hidden"])
            params = sum(p.numel() for p in model.parameters())
            recurrent = sum(p.numel() for p in model.rnn.parameters())
            optimizer = torch.optim.Adam(model.parameters(), lr=config["lr"])
            run_config = {**config, "model": kind, "params": params, "recurrent_params": recurrent}
            with Run(folder / kind, config=run_config, name=kind) as run:
                fit(model, train, val_loader=val, optimizer=optimizer, loss_fn=nn.functional.cross_entropy,
                    epochs=config["epochs"], metrics={"acc": accuracy}, callbacks=[MetricLogger(run)],
                    progress=progress)
        parameter_table(config["hidden"]).to_json(folder / "parameters.json", orient="records", indent=1)
    print(f"rnn_mnist_rows: trained in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return out


if __name__ == "__main__":
    command_line(main, __doc__, RUN_DIR, quick_help="1 epoch on 200 digits: a smoke test")
