"""
Several seeds: a mean with a band
=================================

One run is one draw: another initialisation and batch order give another
curve. Three seeds of the same MLP, read together with ``vk.read_runs``, are
averaged per step with a 95 % bootstrap confidence band of the mean
(``band="ci"``), so a difference between settings can be judged against the
spread between seeds. Drawn one by one (``by="run"``), the same runs show
that the seeds agree early and part ways once validation turns up.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
runs = vk.read_runs("../../training_runs/runs/mlp_mnist/seed*")

fig, (mean_ax, runs_ax) = plt.subplots(1, 2, figsize=(9.6, 3.6), dpi=100, layout="constrained", sharey=True)
vk.curves(runs, metric="loss", x="epoch", smooth=10, band="ci", ax=mean_ax)
vk.curves(runs, metric="loss", x="epoch", smooth=10, by="run", ax=runs_ax)
mean_ax.set(title="Mean of 3 seeds, 95 % CI", ylabel="Cross-entropy (log scale)", yscale="log")
runs_ax.set(title="Each seed (val dashed)", ylabel=None)
