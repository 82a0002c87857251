"""
Label smoothing and mixup: targets that are not one-hot
=======================================================

A classifier trained on one-hot targets is pushed to make the true class's
logit ever larger than the others: the loss reaches 0 only at infinite
confidence. Two regularizers soften what it is asked to predict.
*Label smoothing* (Szegedy et al. 2016) moves a share ε of the probability
from the true class and spreads it evenly over all K classes, so the target
row is (1 − ε)·onehot + ε/K: every wrong class gets ε/K, the true one
1 − ε + ε/K. Cross-entropy against that row is exactly what
``torch.nn.functional.cross_entropy(..., label_smoothing=ε)`` computes.
*Mixup* (Zhang et al. 2018) trains on blends of two examples: with λ drawn
from Beta(α, α), the input is λ·x_a + (1 − λ)·x_b and the target
λ·y_a + (1 − λ)·y_b, so the model is asked to be as unsure as the picture is
mixed.

The images are from the MNIST subset that ``vk.load_dataset("mnist")``
ships (5 000 handwritten digits, 28 × 28); the rows come from
``vizkit.torch.smooth_labels`` and ``vizkit.torch.mixup``.
"""

import matplotlib.pyplot as plt
import pandas as pd
import torch

import vizkit as vk
from vizkit.torch import mixup, smooth_labels

vk.set_theme()

mnist = vk.load_dataset("mnist").sample(n=16, random_state=0)           # the rows are sorted by label
images = torch.tensor(mnist.drop(columns="label").to_numpy(), dtype=torch.float32).view(-1, 1, 28, 28) / 255
labels = torch.tensor(mnist["label"].to_numpy())
K, EPSILON = 10, 0.1

smoothed = smooth_labels(labels[:1], K, EPSILON)[0]
onehot = torch.nn.functional.one_hot(labels[:1], K)[0].float()
rows = pd.DataFrame({
    "class": list(range(K)) * 2,
    "target": onehot.tolist() + smoothed.tolist(),
    "row": ["one-hot"] * K + [f"smoothed, ε = {EPSILON}"] * K,
})

fig = plt.figure(figsize=(7.2, 4.6), dpi=100, layout="constrained")
left, right = fig.subfigures(1, 2, width_ratios=[1, 3.6])
vk.image_grid(images[:1], titles=[f"label {int(labels[0])}"], figure=left)
axes = right.subplots(2, 1, sharex=True, sharey=True)
for ax, (name, row) in zip(axes, rows.groupby("row", sort=False)):
    vk.bar(row, x="class", y="target", labels=True, ax=ax)
    ax.set(ylim=(0, 1.15), ylabel="Target", title=name)
true, other = 1 - EPSILON + EPSILON / K, EPSILON / K
vk.refline(axes[1], y=true)
vk.refline(axes[1], y=other)
vk.annotate(axes[1], f"true class: 1 − ε + ε/K = {true:.2f}", (0.42, true - 0.05), xytext=(60, -12))
vk.annotate(axes[1], f"every other class: ε/K = {other:.2f}", (2, other + 0.08), xytext=(25, 22))
right.suptitle("The target row of one image, before and after smoothing")

# %%
# A mixup pair
# ------------
# One weight λ per batch and a random partner for every example (a
# permutation of the batch). The blend keeps both digits visible, and its
# target gives each of the two classes its share: λ to image a's class,
# 1 − λ to image b's. With α = 0.4, λ is often near 0 or 1 (mostly one
# image with a trace of the other); the pair below (seed 6) got λ = 0.64.

ALPHA = 0.4
batch = mixup(images[:8], labels[:8], alpha=ALPHA, num_classes=K, generator=torch.Generator().manual_seed(6))
a = next(i for i in range(8) if labels[i] != labels[batch.index[i]])      # a pair of two different digits
b = int(batch.index[a])
lam = batch.lam
target = batch.targets[a]
mixed = pd.DataFrame({"class": range(K), "target": target.tolist()})

fig = plt.figure(figsize=(7.2, 4.6), dpi=100, layout="constrained")
top, bottom = fig.subfigures(2, 1, height_ratios=[1, 1.25])
pair = vk.image_grid([images[a], images[b], batch.inputs[a]], ncols=3,
              titles=[f"a (label {int(labels[a])})", f"b (label {int(labels[b])})", "λ·a + (1 − λ)·b"],
              title=f"A mixup pair, λ = {lam:.2f} (α = {ALPHA})", figure=top)
mixed_ax = bottom.subplots()
vk.bar(mixed, x="class", y="target", labels=True, ax=mixed_ax)
mixed_ax.set(ylim=(0, 1.12), ylabel="Target probability", title="Its target λ·y_a + (1 − λ)·y_b")

# %%
# How mixed, set by α
# -------------------
# Each batch draws its own λ. Small α puts most draws near 0 or 1 (a faint
# second image), α = 1 draws λ uniformly, larger α concentrates it around
# 1/2 (blends of equal parts). Below, 400 batches of ``mixup`` for each α.

generator = torch.Generator().manual_seed(0)
draws = pd.DataFrame([{"α": alpha,
                       "λ": mixup(images[:2], labels[:2], alpha=alpha, num_classes=K, generator=generator).lam}
                      for alpha in (0.2, 1.0, 4.0) for _ in range(400)])

fig, ax = plt.subplots(figsize=(7.2, 3.2), dpi=100, layout="constrained")
vk.ridgeline(draws, x="λ", by="α", kind="hist", bins=20, ax=ax)
ax.set(xlim=(0, 1), title="λ ~ Beta(α, α): 400 draws of mixup per α")
