"""
Several seeds: a mean with its range
====================================

One run is one draw: another initialisation and batch order give another
curve. Three seeds of the same MLP, read together with ``vk.read_runs``, are
averaged per epoch, and the band shows the range the seeds span
(``band="minmax"``; with three seeds a bootstrap interval of the mean would be
hardly more than that range), so a difference between settings can be judged
against the spread between seeds. Drawn one by one (``by="run"``), in one
colour per split, the seeds differ only in lightness: blue is training and
orange validation in every panel.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
runs = vk.read_runs("../../training_runs/runs/mlp_mnist/seed*")
train_colour, val_colour = vk.palette()[:2]

fig, (mean_ax, train_ax, val_ax) = plt.subplots(1, 3, figsize=(12.6, 3.8), dpi=100, layout="constrained",
                                                sharey=True)
vk.curves(runs, metric="loss", x="epoch", smooth=10, band="minmax", ax=mean_ax)
mean_ax.set(title="Mean of 3 seeds, and their range", ylabel="Cross-entropy (log scale)", yscale="log")
# Each seed in shades of its split's colour: the darkest is seed 0, the lightest still 3:1 on white.
vk.curves(runs[runs["split"] == "train"], metric="loss", x="epoch", smooth=10, by="run",
          palette=vk.palette("Blues", 7)[::-1][:3], ax=train_ax)
train_ax.set(title="Training loss of each seed", ylabel=None)
vk.curves(runs[runs["split"] == "val"], metric="loss", x="epoch", by="run",
          palette=vk.palette("Oranges", 7)[::-1][:3], ax=val_ax)
val_ax.set(title="Validation loss of each seed", ylabel=None)
