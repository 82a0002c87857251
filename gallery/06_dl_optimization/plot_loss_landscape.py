"""
Loss landscapes: the loss around trained weights, and the path that led there
=============================================================================

A network has thousands of weights, so its loss cannot be drawn; a slice of
it can. Li et al. (2018) draw the loss on the plane through the trained
weights θ spanned by two random directions, each rescaled filter by filter
to the size of θ's own filters, so that a step of 1 means the same relative
change in every layer. A random plane shows the shape around θ but none of
the training path, which lies almost orthogonal to any random direction; the
plane of the path's two principal directions shows the path. Along a single
line, the loss from the initial to the final weights shows whether training
had a barrier to cross (Goodfellow et al., 2015).

The MLP here (3 466 weights) learned scikit-learn's digits in 30 epochs;
``training_runs/landscape_mlp.py`` saved its weights every third epoch.
"""

# %%
# The loss is averaged over the 1 437 training images at every point of a
# 21 x 21 grid; the model is given back exactly as it was.
import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import torch
from torch import nn

import vizkit as vk
import vizkit.torch as vt
from vizkit.torch.data import frame_loaders

vk.set_theme()
torch.set_num_threads(1)  # a model this small runs fastest on one thread
run = Path("../../training_runs/runs/landscape_mlp")
config = json.loads((run / "meta.json").read_text())["config"]
train, _ = frame_loaders(vk.load_dataset("digits"), val_size=config["val_size"], seed=config["split_seed"])
checkpoints = {int(path.stem.removeprefix("epoch_")): dict(np.load(path))
               for path in sorted((run / "checkpoints").glob("epoch_*.npz"))}
first, last = min(checkpoints), max(checkpoints)

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 10))
model.load_state_dict({name: torch.from_numpy(array) for name, array in checkpoints[last].items()})
loss_fn = nn.functional.cross_entropy

around = vt.loss_landscape(model, loss_fn, train, distance=1.0, n=21, seed=0)
path = vt.trajectory_landscape(model, loss_fn, train, checkpoints, n=21)

fig, (random_ax, path_ax) = plt.subplots(1, 2, figsize=(11.5, 4.6), dpi=100, layout="constrained")
vk.landscape(around, ax=random_ax)
random_ax.set_title("Around θ: two random, filter-normalised directions")
vk.landscape(path, ax=path_ax)
path_ax.set_title("The training path, labelled by epoch")

# %%
# Random directions (left) show a single valley around θ; the plane of the
# path's principal directions (right) shows the path: from epoch 0 at the
# left (loss 2.3) it runs mostly along the first direction, which holds most
# of its variance. The lowest point of that plane lies a little past θ along
# PC 1: training was still moving that way when it stopped.
#
# Along the straight line from the initial to the final weights the loss
# never rises (``LandscapeDisplay.from_result(between).monotonic_`` is True):
# no bump to climb between the two. Past the final weights (α > 1) it is lower
# still for a while, as on the plane; before the initial weights (α < 0) it
# stays at chance level, ln 10 ≈ 2.3.
between = vt.interpolate(model, loss_fn, train, start=checkpoints[first], end=checkpoints[last],
                         names=(f"epoch {first}", f"epoch {last}"))
fig, line_ax = plt.subplots(figsize=(7.5, 3.6), dpi=100, layout="constrained")
vk.landscape(between, ax=line_ax)
line_ax.set_title("From the initial to the final weights")
