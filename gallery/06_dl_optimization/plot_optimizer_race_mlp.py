"""
Seven optimizers train the same network
=======================================

The lecture's practice: one small MLP (1 → 32 → 32 → 1, tanh) learns
``sin(x) + 0.3 sin(3x)`` on [-π, π] from 256 noisy samples, once per
optimizer, every time from the same initial weights (the SHA-256 of the
weights at the start is in each run's config). Each optimizer gets the
learning rate that served it best on the same budget of trial runs (one per
half-decade from 3e-4 to 10, scored on the final training loss), and three
seeds (the noise and the batch order) make a band around the mean.

``training_runs/optimizer_race.py`` trains the 21 runs with ``fit()`` and
``MetricLogger``; reading them back is ``vk.read_runs``, and the race is
``vk.curves(..., by="optimizer")``, the chart any folder of your own runs
with an ``optimizer`` in their config gets (both axes are logarithmic, so
the first steps, where the methods differ most, are not squeezed into the
left edge). Adagrad's first steps overshoot (its rate is largest while the
squared gradients it divides by are still few), then it leads; plain SGD is
the slowest throughout.

The second figure draws what the network computes, from the predictions
each run saved with ``run.log_array``: the first column is the same in every
row (the same initial weights), and the root mean square error to the
target in each panel ranks the methods. Every method has the sigmoid-like
outline after 80 steps; only Adagrad and Adam have started on the wiggles of
``0.3 sin(3x)`` by step 320.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import vizkit as vk

vk.set_theme()
LECTURE_ORDER = ["SGD", "Momentum", "Nesterov", "Adagrad", "Adadelta", "RMSprop", "Adam"]
runs = vk.read_runs("../../training_runs/runs/optimizer_race/*")
runs["optimizer"] = pd.Categorical(runs["optimizer"], categories=LECTURE_ORDER)   # legend and rows in this order
lrs = runs.groupby("optimizer", observed=True)["lr"].first()
labelled = runs.assign(optimizer=pd.Categorical(
    [f"{name} (lr {lrs[name]:.2g})" for name in runs["optimizer"]],
    categories=[f"{name} (lr {lrs[name]:.2g})" for name in LECTURE_ORDER]))

fig, ax = plt.subplots(figsize=(9, 4.6), dpi=100, layout="constrained")
vk.curves(labelled, metric="loss", x="step", by="optimizer", band="minmax", ax=ax)
ax.set(xscale="log", yscale="log", xlabel="Step (log scale)", ylabel="Training MSE (log scale)",
       title="Mean of 3 seeds and their range (each point: 4 batches)")


def target(x):
    """The function every run fits."""
    return np.sin(x) + 0.3 * np.sin(3 * x)


fits = vk.function_fits(runs, target=target)
