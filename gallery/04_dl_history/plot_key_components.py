"""
The four key components of deep learning
========================================

Lecture 1 names what every deep learning method is made of: the **data**
the model learns from, the **model** that turns an input into a prediction,
the **loss** that scores the prediction against the label, and the
**algorithm** (the optimizer) that changes the model's parameters to lower
the loss. Reading a new paper, ask what each of the four is.

One figure for a slide: each component with a small real picture (digits
from scikit-learn, a small network, the cross-entropy loss, gradient descent
on a quadratic), and the loop they make.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import FancyArrowPatch

import vizkit as vk

vk.set_theme()
ink, muted = vk.themes.ink(plt.gca()), vk.themes.muted_ink(plt.gca())
plt.close("all")
blue, orange, green, red = vk.palette()[:4]

# Four panels of one height in a row; the room between them holds the arrows (and two y-axis labels).
fig = plt.figure(figsize=(13, 4.8), dpi=100)
boxes = [(0.02, 0.18), (0.27, 0.19), (0.555, 0.17), (0.815, 0.17)]
axes = [fig.add_axes((left, 0.27, width, 0.5)) for left, width in boxes]
parts = [("Data", "images x with labels y"), ("Model", "a network f\u03b8(x)"),
         ("Loss", "how wrong f\u03b8(x) is for y"), ("Algorithm", "changes \u03b8 to lower the loss")]
for (left, _), (title, line) in zip(boxes, parts, strict=True):  # one baseline for the four titles
    fig.text(left, 0.9, title, fontsize=14, fontweight="bold", color=ink, va="bottom")
    fig.text(left, 0.89, line, fontsize=11, color=muted, va="top")

# Data: eight handwritten digits and their labels.
digits = vk.load_dataset("digits")
pixels = digits.drop(columns="label").to_numpy().reshape(-1, 8, 8)[:8]
tiles = np.full((2 * 14, 4 * 10), np.nan)  # each digit in a 10 x 14 cell: the image, then room for its label
for k, image in enumerate(pixels):
    row, col = divmod(k, 4)
    tiles[row * 14:row * 14 + 8, 1 + col * 10:9 + col * 10] = image
axes[0].imshow(tiles, cmap="Greys", vmin=0, vmax=16)
for k, label in enumerate(digits["label"][:8]):
    row, col = divmod(k, 4)
    axes[0].text(4.5 + col * 10, 8.3 + row * 14, f"y = {label}", ha="center", va="top", fontsize=9, color=muted)

# Model: a small multilayer perceptron, input -> hidden -> output.
layers = [4, 5, 3]
spots = [np.column_stack([np.full(n, i), np.linspace(-1, 1, n) * n / 5]) for i, n in enumerate(layers)]
for left, right in zip(spots, spots[1:]):
    for a in left:
        for b in right:
            axes[1].plot(*zip(a, b), color=muted, linewidth=0.6, alpha=0.6, zorder=1)
for i, spot in enumerate(spots):
    axes[1].scatter(*spot.T, s=260, color=[blue, orange, green][i], edgecolors="white", zorder=2)
for i, name in enumerate(["input", "hidden", "output"]):
    axes[1].text(i, -1.35, name, ha="center", va="top", fontsize=9, color=muted)
axes[1].set_xlim(-0.5, 2.5)
axes[1].set_ylim(-1.6, 1.2)

# Loss: cross-entropy, -log of the probability the model gives the right label.
p = np.linspace(0.02, 1, 200)
axes[2].plot(p, -np.log(p), color=red, linewidth=2.2)
axes[2].set_xlabel("Probability of the right label")
axes[2].set_ylabel("Cross-entropy  \u2212log p")
axes[2].annotate("confident and wrong:\nlarge loss", xy=(0.05, -np.log(0.05)), xytext=(0.3, 3.0),
                 fontsize=8.5, color=muted, arrowprops={"arrowstyle": "->", "color": muted})
axes[2].set_xlim(0, 1.02)
axes[2].set_ylim(0, 4.2)

# Algorithm: gradient descent steps down the loss surface of two parameters.
w1, w2 = np.meshgrid(np.linspace(-5.5, 1.5, 120), np.linspace(-3, 3, 120))
axes[3].contour(w1, w2, w1 ** 2 + 2 * w2 ** 2, levels=[0.5, 2, 5, 10, 18, 28, 40], colors=[muted],
                linewidths=0.7)
path = [np.array([-5.0, -2.0])]
for _ in range(8):
    w = path[-1]
    path.append(w - 0.2 * np.array([2 * w[0], 4 * w[1]]))
path = np.array(path)
axes[3].plot(*path.T, color=blue, marker="o", markersize=4, linewidth=1.6)
axes[3].annotate("\u03b8 \u2190 \u03b8 \u2212 \u03b7\u2207L", xy=path[1], xytext=(-4.8, 2.1), fontsize=10,
                 color=ink, arrowprops={"arrowstyle": "->", "color": muted},
                 bbox={"boxstyle": "square,pad=0.15", "facecolor": axes[3].get_facecolor(), "edgecolor": "none"})
axes[3].set_xlabel("Weight \u03b8\u2081")
axes[3].set_ylabel("Weight \u03b8\u2082")

for ax in axes[:2]:
    ax.set_axis_off()

# The loop: data feeds the model, the loss scores it, the algorithm updates the model.
arrow = {"arrowstyle": "-|>,head_width=0.3,head_length=0.6", "color": ink, "linewidth": 1.6,
         "mutation_scale": 14, "transform": fig.transFigure}
for (start, end), passed in zip([(0.205, 0.265), (0.465, 0.505), (0.73, 0.76)], ["x", "\u0177", "\u2207L"],
                                strict=True):  # what each step hands to the next: input, prediction, gradient
    fig.add_artist(FancyArrowPatch((start, 0.52), (end, 0.52), **arrow))
    fig.text((start + end) / 2, 0.55, passed, ha="center", va="bottom", fontsize=12, color=ink)
fig.add_artist(plt.Line2D([0.90, 0.90], [0.16, 0.09], color=blue, linewidth=1.6, transform=fig.transFigure))
fig.add_artist(FancyArrowPatch((0.90, 0.09), (0.365, 0.2), connectionstyle="angle,angleA=180,angleB=90,rad=0",
                               **(arrow | {"color": blue})))
fig.text(0.63, 0.035, "repeat: the algorithm updates the model's parameters θ, step after step",
         ha="center", va="bottom", color=blue, fontsize=10)
