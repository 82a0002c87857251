"""
Convolutionalization: a classifier's head as convolutions gives a map of class scores
=====================================================================================

A CNN classifier ends in fully connected layers: ``Flatten`` turns the
16×7×7 feature map of a 28×28 digit into 784 numbers and ``Linear(784, 32)``
weighs them. The same 32 × 784 weights, reshaped to 32 × 16 × 7 × 7, are a
``Conv2d(16, 32, 7)``; the next ``Linear(32, 10)`` is a 1×1 convolution.
:func:`vizkit.torch.convolutionalize` makes that rewrite. On a 28×28 digit the
new network gives the classifier's logits as a 1×1 map; on a larger image it
slides the whole classifier over it, one 28×28 window every 4 pixels (the
two 2×2 poolings), in one pass: a map of class scores, the first step from
classifying an image to labelling its pixels.
"""

import json
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.patches import Rectangle
from torch import nn

import vizkit as vk
from vizkit.torch import convolutionalize

vk.set_theme()
torch.set_num_threads(1)  # a model this small runs fastest on one thread

# %%
# The classifier and its convolutional twin
# -----------------------------------------
# ``training_runs/fcn_segmentation.py`` trained this classifier on 4 000
# MNIST digits and saved its weights (float16). On held-out digits the
# convolutionalized network gives the same logits, to rounding.

run = Path("../../training_runs/runs/fcn_segmentation")
classifier = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                           nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                           nn.Linear(16 * 7 * 7, 32), nn.ReLU(), nn.Linear(32, 10))
classifier.load_state_dict({name: torch.from_numpy(w.astype(np.float32))
                            for name, w in np.load(run / "classifier.npz").items()})
fcn = convolutionalize(classifier.eval(), (1, 28, 28)).eval()
print(fcn)

mnist = vk.load_dataset("mnist")
held_out = mnist.iloc[np.random.default_rng(0).permutation(len(mnist))[4000:]]   # the script's split
digits = torch.tensor(held_out.filter(like="pixel").to_numpy(np.float32).reshape(-1, 1, 28, 28) / 255)
with torch.no_grad():
    difference = (fcn(digits).flatten(1) - classifier(digits)).abs().max().item()
print(f"largest logit difference over {len(digits)} held-out digits: {difference:.1e}")

# %%
# Scores on a larger canvas
# -------------------------
# Three held-out digits on an 84×84 canvas. The network answers with 10 maps
# of 15×15 scores, one per window position; below, the softmax probability
# of each digit on the canvas, drawn at the centre of its window as the
# opacity of one colour. Where a window sits exactly on a digit (ringed in
# white), as the classifier's training images did, the digit's own class
# wins. A window 4 pixels off sees a shifted or half digit, and one over
# empty space sees nothing the classifier was trained on: both still get a
# probability for every class, often a confident wrong one (the 7 map lights
# up over parts of the 3 and the 0). That is why segmentation networks are
# trained on shifted, partial and empty windows and add a background class.

placed = {3: (4, 4), 7: (8, 52), 0: (48, 28)}     # digit: (top, left), on the 4-pixel grid of the windows
canvas = torch.zeros(1, 1, 84, 84)
labels = held_out["label"].to_numpy()
for digit, (top, left) in placed.items():
    canvas[0, 0, top:top + 28, left:left + 28] = digits[np.flatnonzero(labels == digit)[0], 0]
with torch.no_grad():
    probabilities = fcn(canvas).softmax(dim=1)[0].numpy()       # 10 × 15 × 15

centres = (14 - 2 - 0.5, 14 - 2 - 0.5 + 4 * probabilities.shape[-1])   # where the score cells sit on the canvas
# Each window's probability is drawn as the opacity of one colour over the canvas: a window the network
# is sure of is solid, one near 0 leaves the digits showing (the colour bar is that ramp over black).
accent = np.array(matplotlib.colors.to_rgb(vk.palette()[1]))
over_black = matplotlib.colors.LinearSegmentedColormap.from_list("over_black", ["black", accent])
fig, axes = plt.subplots(1, 4, figsize=(12, 3.05), dpi=100, layout="constrained")
axes[0].imshow(canvas[0, 0].numpy(), cmap="gray")
axes[0].add_patch(Rectangle((-0.5, -0.5), 28, 28, fill=False, edgecolor=vk.palette()[1], linewidth=1.5))
axes[0].set_title("Canvas, a 28×28 window")
for ax, digit in zip(axes[1:], placed):
    ax.imshow(canvas[0, 0].numpy(), cmap="gray")
    cells = np.concatenate([np.broadcast_to(accent, (*probabilities[digit].shape, 3)),
                            probabilities[digit][..., None]], axis=-1)
    ax.imshow(cells, extent=(centres[0], centres[1], centres[1], centres[0]))
    ax.set_xlim(-0.5, 83.5)
    ax.set_ylim(83.5, -0.5)
    top, left = placed[digit]
    ax.add_patch(Rectangle((centres[0] + left, centres[0] + top), 4, 4, fill=False, edgecolor="white",
                           linewidth=1.5))   # the window that sits exactly on this digit
    ax.set_title(f"P({digit}) per window")
    print(f"P({digit}) where the window sits on the {digit}: {probabilities[digit][top // 4, left // 4]:.2f}")
for ax in axes:
    ax.set_xticks([])
    ax.set_yticks([])
fig.colorbar(matplotlib.cm.ScalarMappable(matplotlib.colors.Normalize(0, 1), over_black), ax=axes[1:], shrink=0.8,
             label="softmax probability")
