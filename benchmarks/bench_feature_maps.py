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

import statistics
import tempfile
import time

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

    from vizkit.torch import FeatureMaps, Run, fit

    model = _cnn()
    callbacks = [FeatureMaps(model, layers=["0", "3"], probe=probe, every=EVERY, unit="step")] if capture else []
    with Run(tempfile.mkdtemp()) as run:
        start = time.process_time()  # CPU time: on a busy machine, wall time measures the neighbours
        fit(model, loader, optimizer=torch.optim.SGD(model.parameters(), lr=0.05), epochs=1, progress=False,
            loss_fn=torch.nn.functional.cross_entropy, callbacks=callbacks, run=run)
        return time.process_time() - start


def run() -> list[dict]:
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # one thread: the ratio measures the capture, not how busy cores share threads
    try:
        return _measure()
    finally:
        torch.set_num_threads(threads)


def _measure() -> list[dict]:
    loader, probe = _setup()
    _train(loader, probe, True), _train(loader, probe, False)  # warm-up
    plain, hooked = [], []
    for _ in range(ROUNDS):
        hooked.append(_train(loader, probe, True))
        plain.append(_train(loader, probe, False))
    ratio = statistics.median(h / p for h, p in zip(hooked, plain, strict=True))
    return [{"benchmark": f"FeatureMaps every {EVERY} steps", "vizkit": statistics.median(hooked),
             "alternative": "the same fit, no capture", "other": statistics.median(plain), "ratio": ratio,
             "goal": "<= 1.05x", "met": ratio <= 1.05}]


if __name__ == "__main__":
    for row in run():
        print(f"{row['benchmark']}: {row['vizkit']:.2f} s with, {row['other']:.2f} s without, "
              f"{row['ratio']:.3f}x (goal {row['goal']})")
