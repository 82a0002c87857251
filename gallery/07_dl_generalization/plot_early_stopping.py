"""
Early stopping: the best epoch, the patience window, the stop
=============================================================

``EarlyStopping("val_loss", patience=5)`` watches the validation loss after
every epoch. A value lower than the best so far is a new best; after five
epochs in a row without one, training stops. The callback writes its
settings, its best and stop epoch and its message into the run's config, and
``vk.early_stopping`` reads them back from the log: the title is the
callback's own message, the ring its best epoch, the shaded window the five
epochs it waited, the dashed line the epoch it stopped after.

Right: the run with the same weights and batches but no callback
(``training_runs/regularization.py``, method ``none``), with the same rule
applied to its log. It finds the same stop, and the grey continuation shows
what the patience saved: the validation loss only climbs after it.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
runs = vk.read_runs("../../training_runs/runs/regularization/*-seed0")

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), sharey=True, layout="constrained")
vk.early_stopping(runs, run="early_stopping-seed0", ax=left)
vk.early_stopping(runs, run="none-seed0", patience=5, ax=right)
left.set_yscale("log")                                  # shared: both panels
left.set_yticks([0.4, 0.5, 0.7, 1, 2], labels=["0.4", "0.5", "0.7", "1", "2"], minor=False)
left.set_yticks([], minor=True)
left.set_ylabel("Validation loss (log scale)")
right.set_ylabel("")
fig.suptitle("Stopped by EarlyStopping (left), and the same run trained on (right)", x=0.02, ha="left")
