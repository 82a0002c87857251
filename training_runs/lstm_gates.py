"""DL lecture 7, inside an LSTM: a small LSTM and a GRU learn to remember the value at a marker, for the gates page.

The task ("copy the marked value"): a sequence of 30 steps, each step two
inputs, a value drawn uniformly from [-1, 1] and a marker flag that is 1 at
exactly one step (somewhere in steps 2 to 9) and 0 elsewhere. After the last
step the network must say the value that stood at the marker: it has to
write that value into its memory when the marker comes, and keep it there
through 20 or more later values that it must ignore. An LSTM with 4 units
(112 weights, a linear read-out of its last hidden state) and a GRU with 4
units (from the same seed) are trained on fresh random batches with Adam and
the mean squared error, 2 500 steps. The LSTM's forget-gate biases start at
1 instead of 0 (Gers et al., 2000; Jozefowicz et al., 2015): with PyTorch's
zero start an LSTM on this task can sit at the no-memory loss (the variance
of the values, 1/3) for thousands of steps. Four units rather than eight:
with eight, this seed spreads the memory over many units (and learns later),
with four one unit holds it, and the page can point at it. The run keeps each model's log, its final weights
(float32 npz, no pickle) and four held-out sequences (``probe.npz``) whose
gates the gallery page recomputes with ``vizkit.torch.recurrent_trace``.

Run it from the repository root::

    python training_runs/lstm_gates.py                  # about 40 s of CPU time (one thread), writes RUN_DIR
    python training_runs/lstm_gates.py --quick --out /tmp/gates   # 20 steps: a smoke test

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

from _experiment import command_line, deterministic, written_whole  # noqa: E402
from vizkit.torch import Run  # noqa: E402

RUN_DIR = "training_runs/runs/lstm_gates"
ROOT = Path(__file__).resolve().parents[1]

CONFIG = {
    "task": "copy the value at the marker",
    "steps_per_sequence": 30,
    "marker_steps": [2, 9],
    "hidden_size": 4,
    "optimizer": "adam",
    "lr": 0.01,
    "batch_size": 64,
    "forget_bias": 1.0,
    "train_steps": 2500,
    "log_every": 50,
    "val_size": 512,
    "seed": 0,
}
QUICK = {"train_steps": 20, "log_every": 10, "val_size": 32}
CELLS = {"lstm": nn.LSTM, "gru": nn.GRU}


def make_batch(n: int, config: dict, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` sequences (n × steps × 2: value, marker) and their targets (the value at the marker)."""
    steps, (first, last) = config["steps_per_sequence"], config["marker_steps"]
    values = torch.rand(n, steps, generator=generator) * 2 - 1
    where = torch.randint(first, last + 1, (n,), generator=generator)
    marker = torch.zeros(n, steps)
    marker[torch.arange(n), where] = 1.0
    return torch.stack([values, marker], dim=-1), values[torch.arange(n), where]


class Recaller(nn.Module):
    """A one-layer LSTM or GRU over the sequence and a linear read-out of its last hidden state."""

    def __init__(self, cell: str, hidden_size: int, forget_bias: float = 0.0):
        super().__init__()
        self.rnn = CELLS[cell](input_size=2, hidden_size=hidden_size, batch_first=True)
        self.readout = nn.Linear(hidden_size, 1)
        if cell == "lstm" and forget_bias:  # the forget gate's chunk (i, f, g, o) starts open: sigmoid(1) = 0.73
            with torch.no_grad():
                for bias in (self.rnn.bias_ih_l0, self.rnn.bias_hh_l0):
                    bias[hidden_size:2 * hidden_size] = forget_bias / 2

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        states, _ = self.rnn(x)
        return self.readout(states[:, -1]).squeeze(-1)


def train_one(cell: str, folder: Path, config: dict, val: tuple) -> Recaller:
    """Train one model on fresh batches (its own seeded stream) and log train and held-out MSE."""
    torch.manual_seed(config["seed"])
    model = Recaller(cell, config["hidden_size"], config["forget_bias"])
    optimizer = torch.optim.Adam(model.parameters(), lr=config["lr"])
    batches = torch.Generator().manual_seed(config["seed"] + 1)
    with Run(folder, config={**config, "cell": cell}, name=f"{cell}-gates") as run:
        for step in range(config["train_steps"]):
            x, y = make_batch(config["batch_size"], config, batches)
            loss = nn.functional.mse_loss(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if (step + 1) % config["log_every"] == 0:
                with torch.no_grad():
                    val_loss = nn.functional.mse_loss(model(val[0]), val[1])
                run.log(step=step, split="train", loss=loss.item())
                run.log(step=step, split="val", loss=float(val_loss))
    return model


def main(out=None, *, quick: bool = False, progress: bool = True) -> Path:
    """Train the LSTM and the GRU into ``out`` (default ``RUN_DIR``): logs, weights, probe sequences."""
    out = ROOT / RUN_DIR if out is None else Path(out)
    deterministic()
    config = {**CONFIG, **(QUICK if quick else {})}
    started = time.perf_counter()
    val = make_batch(config["val_size"], config, torch.Generator().manual_seed(config["seed"] + 2))
    with written_whole(out) as folder:
        for cell in CELLS:
            model = train_one(cell, folder / cell, config, val)
            np.savez(folder / cell / "weights.npz", **{name: tensor.detach().numpy().astype(np.float32)
                                                       for name, tensor in model.state_dict().items()})
        probe = make_batch(4, config, torch.Generator().manual_seed(config["seed"] + 3))
        np.savez(folder / "probe.npz", x=probe[0].numpy().astype(np.float32), y=probe[1].numpy().astype(np.float32))
    print(f"lstm_gates: trained in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return out


if __name__ == "__main__":
    command_line(main, __doc__, RUN_DIR, quick_help="20 steps: a smoke test")
