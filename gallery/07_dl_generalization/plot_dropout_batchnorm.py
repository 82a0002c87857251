"""
Dropout and batch normalization: what the layers do to a batch
==============================================================

*Dropout* (Srivastava et al. 2014) zeroes each unit of a layer with
probability p on every forward pass in training, a different random set each
time, so no unit can rely on a particular other one being there. The units
that survive are multiplied by 1/(1 − p), so the expected output equals the
input and nothing needs rescaling at test time, when ``model.eval()`` turns
dropout off.

Below, ``torch.nn.Dropout(p=0.5)`` itself is applied to a layer of twelve
units that all output 1: each row is one forward pass in training mode. About
half the cells are 0 and the rest 1/(1 − 0.5) = 2; in eval mode the layer
passes the ones through.
"""

import matplotlib.pyplot as plt
import pandas as pd
import torch

import vizkit as vk

vk.set_theme()

P, UNITS, PASSES = 0.5, 12, 6
torch.manual_seed(0)
dropout = torch.nn.Dropout(p=P)
ones = torch.ones(1, UNITS)
with torch.no_grad():
    passes = [dropout(ones)[0] for _ in range(PASSES)]                 # training mode: a new mask each pass
    dropout.eval()
    passes.append(dropout(ones)[0])                                   # eval mode: the identity
masks = pd.DataFrame(torch.stack(passes).numpy(), columns=[f"u{j + 1}" for j in range(UNITS)],
                     index=[f"pass {i + 1}" for i in range(PASSES)] + ["eval mode"])

fig, mask_ax = plt.subplots(figsize=(7.2, 3.4), dpi=100, layout="constrained")
vk.heatmap(masks, annot=True, fmt="g", vmin=0, vmax=1 / (1 - P), cmap="Blues", label="Output (input 1)", ax=mask_ax)
mask_ax.set(xlabel="Unit", ylabel="Forward pass",
       title=f"nn.Dropout(p={P}): zeroed units, the rest ×1/(1 − p) = {1 / (1 - P):g}")

# %%
# Batch normalization
# -------------------
# *Batch normalization* (Ioffe and Szegedy 2015) standardizes every unit over
# the batch: in training mode it subtracts the batch mean and divides by the
# batch standard deviation, then scales and shifts by two learned numbers
# (γ, β), which start at 1 and 0. Whatever the scale of the layer's input,
# the next layer sees units centred on 0 with spread 1; in eval mode the
# running averages of the batch statistics are used instead.
#
# Here a fresh ``torch.nn.Linear(64, 6)`` reads a batch of 256 digits
# (``vk.load_dataset("digits")``, raw pixel values 0-16): the six units come
# out with their own centres and spreads. ``torch.nn.BatchNorm1d(6)`` in
# training mode puts each at mean 0 and standard deviation 1; the shapes of
# the distributions stay as they were (mind the two y scales).

digits = vk.load_dataset("digits").sample(n=256, random_state=0)
pixels = torch.tensor(digits.drop(columns="label").to_numpy(), dtype=torch.float32)
torch.manual_seed(0)
linear, batchnorm = torch.nn.Linear(64, 6), torch.nn.BatchNorm1d(6)
with torch.no_grad():
    before = linear(pixels)
    after = batchnorm(before)                                          # training mode: batch statistics


def long(values, stage):
    frame = pd.DataFrame(values.numpy(), columns=[str(j + 1) for j in range(values.shape[1])])
    return frame.melt(var_name="unit", value_name="activation").assign(stage=stage)


activations = pd.concat([long(before, "before"), long(after, "after")], ignore_index=True)
fig, axes = plt.subplots(1, 2, figsize=(7.2, 3.6), dpi=100, layout="constrained")
for ax, stage in zip(axes, ["before", "after"]):
    vk.violin(activations.query("stage == @stage"), x="unit", y="activation", ax=ax)
    ax.set(xlabel="Unit", ylabel="Activation")
vk.refspan(axes[1], y=(-1, 1), label="0 ± 1")
axes[0].set_title("Before: Linear(64, 6), raw pixels")
axes[1].set_title("After: BatchNorm1d (train)")
print(activations.groupby(["stage", "unit"], sort=False)["activation"].agg(["mean", "std"]).round(2))
