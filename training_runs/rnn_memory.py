"""DL lecture 7, long-term dependencies: how far back the gradient reaches in an RNN, an LSTM and a GRU.

Two experiments on synthetic sequences, each seeded:

1. Remember the first value. Each sequence has 30 steps of two features: a
   value drawn from N(0, 1) at every step and a marker that is 1 at the first
   step only; the label is the sign of the first value. An ``nn.RNN``, an
   ``nn.LSTM`` and an ``nn.GRU`` (32 hidden units, a linear head on the last
   hidden state) train on it with Adam from ``torch.manual_seed(0)``. The
   LSTM's forget-gate bias and the GRU's update-gate bias start 3 higher
   (the state is kept at ~95 % per step, Keras' ``unit_forget_bias`` idea):
   with PyTorch's default 0 none of the three learns the task in 400 steps.
   ``vizkit.torch.hidden_state_gradients`` measures ‖∂loss/∂h_t‖ for every t
   on 512 held-out sequences at initialisation and after training:
   ``hidden_gradients.csv``.
2. A fixed window against a state. A series whose next value depends on the
   value 8 steps back (x_t = 0.8 x_{t-8} + 0.6 ε_t, variance 1): a linear
   autoregressive model over the last 4 values (a causal ``Conv1d``) and an
   ``nn.RNN`` (32 hidden units) both predict every next value.
   ``vizkit.torch.lag_sensitivity`` gives the mean |∂ŷ/∂x| of each over how
   many steps back an input lies (``memory_reach.csv``), their test MSEs are
   in ``memory_errors.csv`` (the best possible is 0.36, the noise's variance).

Every model's training loss (and accuracy) goes into its run log under
``runs/rnn_memory/<model>``.

Run it from the repository root::

    python training_runs/rnn_memory.py                    # about 20 s on one CPU core, writes RUN_DIR
    python training_runs/rnn_memory.py --quick --out /tmp/memory   # a few steps of each: a smoke test

``VIZKIT_TRAINING_QUICK=1`` in the environment also selects the quick mode.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _experiment import command_line, deterministic, written_whole  # noqa: E402
from vizkit.torch import Run, hidden_state_gradients, lag_sensitivity  # noqa: E402

RUN_DIR = "training_runs/runs/rnn_memory"
ROOT = Path(__file__).resolve().parents[1]

CONFIG = {
    "steps": 30,            # sequence length of the first-value task
    "hidden": 32,
    "gate_bias": 3.0,       # added to the LSTM's forget-gate and the GRU's update-gate bias
    "lr": 3e-3,
    "batch_size": 64,
    "train_steps": 400,
    "probe": 512,           # held-out sequences for the gradients and the errors
    "delay": 8,             # experiment 2: x_t = 0.8 x_{t-delay} + 0.6 noise
    "window": 4,            # the autoregressive model's window
    "series_steps": 40,
    "series_lr": 1e-2,
    "log_every": 20,
    "seed": 0,
    "data_seed": 1,
}
QUICK = {"train_steps": 3, "probe": 16, "log_every": 1}
MODELS = ["RNN", "LSTM", "GRU"]


def first_value_task(n: int, steps: int, generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Sequences N × steps × (value, marker) and their labels: 1 where the first value is positive."""
    x = torch.zeros(n, steps, 2)
    x[:, :, 0] = torch.randn(n, steps, generator=generator)
    x[:, 0, 1] = 1.0
    return x, (x[:, 0, 0] > 0).long()


def delayed_series(n: int, steps: int, delay: int, generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Inputs N × steps × 1 and targets N × steps (the next value) of x_t = 0.8 x_{t-delay} + 0.6 ε_t."""
    noise = torch.randn(n, steps + 1 + delay, generator=generator)
    x = noise.clone()                                     # the first `delay` values: a stationary start, N(0, 1)
    for t in range(delay, x.shape[1]):
        x[:, t] = 0.8 * x[:, t - delay] + 0.6 * noise[:, t]
    x = x[:, delay:]
    return x[:, :-1, None], x[:, 1:]


class Classifier(nn.Module):
    """A recurrent layer (``kind``: RNN, LSTM or GRU) and a linear head on its last hidden state."""

    def __init__(self, kind: str, hidden: int, gate_bias: float = 0.0):
        super().__init__()
        self.rnn = getattr(nn, kind)(2, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 2)
        if kind in ("LSTM", "GRU"):   # chunk 1 of the biases: LSTM (i, f, g, o) forget, GRU (r, z, n) update
            with torch.no_grad():
                self.rnn.bias_hh_l0[hidden:2 * hidden] += gate_bias

    def forward(self, x):
        return self.head(self.rnn(x)[0][:, -1])


class NextValue(nn.Module):
    """An ``nn.RNN`` and a linear head at every step: the next value of the series."""

    def __init__(self, hidden: int):
        super().__init__()
        self.rnn = nn.RNN(1, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x):
        return self.head(self.rnn(x)[0]).squeeze(2)


class Window(nn.Module):
    """A linear autoregressive model: the next value from the last ``k`` values (a causal convolution)."""

    def __init__(self, k: int):
        super().__init__()
        self.k = k
        self.conv = nn.Conv1d(1, 1, k)

    def forward(self, x):
        return self.conv(F.pad(x.transpose(1, 2), (self.k - 1, 0))).squeeze(1)


def _train(model, batches, loss_of, config, run: Run, metrics=None) -> None:
    optimizer = torch.optim.Adam(model.parameters(), lr=config["lr"])
    for step in range(config["train_steps"]):
        x, y = batches()
        loss = loss_of(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % config["log_every"] == 0 or step == config["train_steps"] - 1:
            extra = {name: fn(model, x, y) for name, fn in (metrics or {}).items()}
            run.log(step=step, loss=loss.detach(), **extra)


def _accuracy(model, x, y) -> float:
    with torch.no_grad():
        return float((model(x).argmax(1) == y).float().mean())


def _gradient_rows(model, kind, stage, x, y) -> pd.DataFrame:
    norms = hidden_state_gradients(model.rnn, x, lambda out: F.cross_entropy(model.head(out[:, -1]), y))
    return pd.DataFrame({"model": kind, "stage": stage, "step": np.arange(len(norms)), "grad_norm": norms})


def remember_first(folder: Path, config: dict) -> pd.DataFrame:
    """Experiment 1: train each model on the first-value task; ‖∂loss/∂h_t‖ before and after."""
    probe_x, probe_y = first_value_task(config["probe"], config["steps"],
                                        torch.Generator().manual_seed(config["data_seed"]))
    rows = []
    for kind in MODELS:
        torch.manual_seed(config["seed"])
        model = Classifier(kind, config["hidden"], config["gate_bias"])
        rows.append(_gradient_rows(model, kind, "initialisation", probe_x, probe_y))
        data = torch.Generator().manual_seed(config["data_seed"] + 1)       # the same batches for each model
        with Run(folder / kind, config={**config, "model": kind, "task": "first value"}, name=kind) as run:
            _train(model, lambda: first_value_task(config["batch_size"], config["steps"], data),
                   F.cross_entropy, config, run, metrics={"acc": _accuracy})
            run.log(step=config["train_steps"] - 1, split="val", acc=_accuracy(model, probe_x, probe_y))
        rows.append(_gradient_rows(model, kind, "after training", probe_x, probe_y))
    return pd.concat(rows, ignore_index=True)


def window_against_state(folder: Path, config: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Experiment 2: the window-k AR model and the RNN on the delayed series; reach over lags and test MSE."""
    delay, steps = config["delay"], config["series_steps"]
    probe_x, probe_y = delayed_series(config["probe"], steps, delay, torch.Generator().manual_seed(config["data_seed"]))
    reach, errors = [], []
    for name, make in ((f"AR, window {config['window']}", lambda: Window(config["window"])),
                       ("RNN", lambda: NextValue(config["hidden"]))):
        torch.manual_seed(config["seed"])
        model = make()
        data = torch.Generator().manual_seed(config["data_seed"] + 1)
        settings = {**config, "lr": config["series_lr"]}
        # the first `delay` predictions cannot see the value they depend on: neither model is scored on them
        with Run(folder / ("AR" if name != "RNN" else "RNN-series"), config={**settings, "model": name,
                                                                             "task": "delayed series"}, name=name) as run:
            _train(model, lambda: delayed_series(config["batch_size"], steps, delay, data),
                   lambda p, y: F.mse_loss(p[:, delay:], y[:, delay:]), settings, run)
            with torch.no_grad():
                mse = float(F.mse_loss(model(probe_x)[:, delay:], probe_y[:, delay:]))
            run.log(step=config["train_steps"] - 1, split="test", mse=mse)
        sensitivity = lag_sensitivity(model, probe_x)
        reach.append(pd.DataFrame({"model": name, "lag": np.arange(1, len(sensitivity) + 1),
                                   "sensitivity": sensitivity}))
        errors.append({"model": name, "test_mse": mse})
    return pd.concat(reach, ignore_index=True), pd.DataFrame(errors)


def main(out=None, *, quick: bool = False, progress: bool = True) -> Path:
    """Run both experiments into ``out`` (default ``RUN_DIR``); return the folder."""
    out = ROOT / RUN_DIR if out is None else Path(out)
    deterministic()
    config = {**CONFIG, **(QUICK if quick else {})}
    started = time.perf_counter()
    with written_whole(out) as folder:
        gradients = remember_first(folder, config)
        reach, errors = window_against_state(folder, config)
        gradients.to_csv(folder / "hidden_gradients.csv", index=False, float_format="%.4g")
        reach.to_csv(folder / "memory_reach.csv", index=False, float_format="%.4g")
        errors.to_csv(folder / "memory_errors.csv", index=False, float_format="%.4g")
    if progress:
        print(f"rnn_memory: trained in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return out


if __name__ == "__main__":
    command_line(main, __doc__, RUN_DIR, quick_help="3 steps of each model: a smoke test")
