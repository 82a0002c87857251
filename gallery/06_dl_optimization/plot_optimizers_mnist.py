"""
SGD, Momentum and Adam on MNIST, three seeds each
=================================================

The optimizer race on a real task: the lecture-2 MLP (784-256-128-10, ReLU)
learns 4 000 MNIST images with plain SGD, SGD with momentum 0.9 and Adam
(``training_runs/optimizers_mnist.py``). For each seed the three optimizers
start from the same weights and see the same batches, so the optimizer is
the only difference. None gets a hand-picked learning rate: each had the
same trials, one 8-epoch run per rate on the grid 0.001, 0.003, ..., 1, on a
seed the race does not use, and keeps the rate with the lowest validation
loss: SGD 0.3, Momentum 0.1, Adam 0.003 (named in the legend).

``vk.read_runs`` reads the nine runs with their config, and
``vk.curves(runs, by="optimizer", band="minmax")`` gives one colour per
optimizer: the mean over the three seeds, and the range they span as a band.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
runs = vk.read_runs("../../training_runs/runs/optimizers_mnist/*-seed*")
runs["optimizer"] = runs["optimizer"] + ", lr " + runs["lr"].astype(str)   # the legend names each rate

# %%
# Per step
# --------
# The training loss of every batch (32 an epoch), smoothed with a half-life
# of 10 steps over the faint raw mean. All three start at the same loss: the
# same weights, the same first batch. Adam is ahead from the first steps.
# Momentum waits on the plateau as long as SGD while its velocity builds,
# then falls faster and meets Adam after about 150 steps. Plain SGD, even at
# its best rate, lags all the way and ends at about four times their loss.

fig, ax = plt.subplots(figsize=(8, 3.8), dpi=100, layout="constrained")
vk.curves(runs[runs["split"] == "train"], metric="loss", by="optimizer", smooth=10, band="minmax", ax=ax)
ax.set(title="Training loss per step (mean of 3 seeds, and their range)", ylabel="Cross-entropy (log scale)",
       yscale="log")

# %%
# Per epoch
# ---------
# Validation after every epoch (counted from 0, as the run logs them), on
# the 1 000 held-out images. After the first epoch Adam already classifies
# 87 % of them, Momentum 68 % and SGD 45 %, its seeds anywhere from 30 % to
# 60 %. Momentum is within two points of Adam from the second epoch on and
# level with it by the fifth; SGD closes in but is still behind after the
# eighth (90 % against 94 %), its range the widest.

fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(10, 3.8), dpi=100, layout="constrained")
val = runs[runs["split"] == "val"]
vk.curves(val, metric="loss", x="epoch", by="optimizer", band="minmax", ax=loss_ax)
vk.curves(val, metric="acc", x="epoch", by="optimizer", band="minmax", ax=acc_ax)
loss_ax.set(title="Validation loss per epoch", ylabel="Cross-entropy")
acc_ax.set(title="Validation accuracy per epoch", ylabel="Accuracy")
