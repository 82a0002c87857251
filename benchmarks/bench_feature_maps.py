"""Feature maps during training: the same fit() loop with and without ``FeatureMaps`` capturing every 100 steps.

A small CNN (two 3×3 convolutions, 8 and 16 channels, on 28×28 MNIST digits,
batches of 25) trains for ``STEPS`` steps with ``fit()`` and a run log, once
plainly and once with ``FeatureMaps(model, layers=both convolutions,
probe=4 digits, every=100, unit="step")``, which at each capture hooks the two
layers, runs the probe in eval mode without gradients, copies the maps to the
host, unhooks and writes one npz (after steps 0 and 100, plus the one probe pass
at the start that sizes the captures against max_bytes). Steps between captures run no hook.

Ratio = with / without, the median of per-round ratios (interleaved rounds
after a warm-up, one torch thread, CPU time of the process). Goal: at most 1.05.
"""

from __future__ import annotations

from _capture_overhead import fit_seconds, overhead_row, print_rows

STEPS = 200  # one epoch of 200 batches: captures after steps 0 and 100
BATCH = 25
ROUNDS = 5
EVERY = 100


def _setup():
    import numpy as np
    import torch

    import vizkit as vk

    frame = vk.load_dataset("mnist")
    x = torch.tensor(frame.filter(like="pixel").to_numpy(np.float32).reshape(-1, 1, 28, 28) / 255)
    y = torch.tensor(frame["label"].to_numpy())
    data = torch.utils.data.TensorDataset(x[:STEPS * BATCH], y[:STEPS * BATCH])
    return torch.utils.data.DataLoader(data, batch_size=BATCH), x[:4]


def _cnn():
    import torch
    from torch import nn

    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 3, padding=1),
                         nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16 * 49, 10))


def _train(loader, probe, capture: bool) -> float:
    import torch

    from vizkit.torch import FeatureMaps

    model = _cnn()
    callbacks = [FeatureMaps(model, layers=["0", "3"], probe=probe, every=EVERY, unit="step")] if capture else []
    return fit_seconds(model, loader, torch.optim.SGD(model.parameters(), lr=0.05), epochs=1, callbacks=callbacks)


def run() -> list[dict]:
    loader, probe = _setup()
    return overhead_row(f"FeatureMaps every {EVERY} steps", lambda capture: _train(loader, probe, capture), rounds=ROUNDS)


if __name__ == "__main__":
    print_rows(run())
