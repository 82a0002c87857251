"""
Loss and accuracy, per step and per epoch
=========================================

A training run logs at two rates: the training loss and accuracy after every
batch (34 steps an epoch here), the validation values once per epoch. Drawn
on one step axis, each series sits at the steps it was logged at, so a
validation point lands where its epoch ended. The per-batch values are noisy;
a debiased exponential moving average (``smooth=``, a half-life in steps, or
TensorBoard's weight such as 0.9) shows their trend over the faint raw curve,
and the value last logged is written at its end, since the average lags it.
The validation series, 20 points, is shorter than the average's window, so it
is drawn as logged. On an epoch axis the per-step values get fractional
epochs, so both rates still share one chart.

The run is seed 0 of ``training_runs/mlp_mnist.py``: a 784-256-128-10 MLP,
SGD with momentum, 4 000 MNIST images for training and 1 000 for validation.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
run = vk.read_run("../../training_runs/runs/mlp_mnist/seed0")

# %%
# Per step: the raw training values faint, their moving average (half-life 10
# steps) bold, validation once per epoch.
fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(9.6, 3.6), dpi=100, layout="constrained")
vk.curves(run, metric="loss", smooth=10, ax=loss_ax)
vk.curves(run, metric="acc", smooth=10, ax=acc_ax)
loss_ax.set(title="Loss per step", ylabel="Cross-entropy")
acc_ax.set(title="Accuracy per step", ylabel="Accuracy")

# %%
# The same run per epoch: log scale shows the training loss falling for all
# 20 epochs while validation bottoms out early.
fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(9.6, 3.6), dpi=100, layout="constrained")
vk.curves(run, metric="loss", x="epoch", smooth=10, ax=loss_ax)
vk.curves(run, metric="acc", x="epoch", smooth=10, ax=acc_ax)
loss_ax.set(title="Loss per epoch", ylabel="Cross-entropy (log scale)", yscale="log")
acc_ax.set(title="Accuracy per epoch", ylabel="Accuracy")
