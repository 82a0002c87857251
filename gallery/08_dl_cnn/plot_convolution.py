"""
Convolution, step by step: padding, stride, the output size, pooling and classic kernels
========================================================================================

A convolutional layer slides a small kernel over its input; at each stop it
multiplies the kernel with the window under it and adds the products up.
Deep-learning libraries do not flip the kernel (strictly this is a
cross-correlation), and ``vk.convolution`` computes the same numbers as
``torch.nn.functional.conv2d``. Zero padding P adds a frame of zeros so the
kernel can stop on the border; a stride S moves it S cells at a time. Along
each axis the output then has ⌊(W − K + 2P)/S⌋ + 1 cells.
"""

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from sklearn.datasets import load_sample_image

import vizkit as vk

vk.set_theme()

# %%
# One convolution: a digit, a Sobel kernel, padding 1, stride 2
# -------------------------------------------------------------
# The input is an 8×8 digit from scikit-learn's digits (ink from 0 to 16),
# framed with one ring of zeros (grey). The 3×3 Sobel kernel responds to
# ink that grows from left to right. With stride 2 the kernel stops on every
# second cell, so the output is ⌊(8 − 3 + 2·1)/2⌋ + 1 = 4 cells a side. The
# outlined output cell is the sum of the outlined window times the kernel.

digits = vk.load_dataset("digits")
digit = digits.filter(like="pixel").to_numpy().reshape(-1, 8, 8)[0]  # a 0
sobel_x = np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])

fig, ax = plt.subplots(figsize=(7.6, 3.7), dpi=100, layout="constrained")
step = vk.convolution(digit, sobel_x, stride=2, padding=1, at=(1, 2), ax=ax)
ax.set_title("A 3×3 convolution with zero padding 1 and stride 2", loc="left")
print(step.formula_, step.output_, sep="\n")

# %%
# Max pooling: the largest value of each window
# ---------------------------------------------
# A CNN usually pools its feature maps: a 2×2 max pooling with stride 2
# keeps the strongest answer of each window and halves the height and the
# width, ⌊(8 − 2)/2⌋ + 1 = 4. Here it pools the digit's feature map: the same
# Sobel kernel with stride 1 and padding 1 (8×8 out), through a ReLU.

feature_map = F.relu(F.conv2d(torch.tensor(digit, dtype=torch.float32)[None, None],
                              torch.tensor(sobel_x, dtype=torch.float32)[None, None], padding=1))[0, 0]
fig, ax = plt.subplots(figsize=(7.6, 3.7), dpi=100, layout="constrained")
vk.convolution(feature_map.numpy(), "max", kernel_size=2, stride=2, at=(1, 2), ax=ax)
ax.set_title("2×2 max pooling, stride 2, of the ReLU feature map", loc="left")

# %%
# Classic kernels on a photograph
# -------------------------------
# The same operation with hand-made kernels is classic image processing.
# The Summer Palace (scikit-learn's ``china.jpg``) in grey goes through
# ``torch.nn.functional.conv2d`` with six kernels: two blurs (a box and a
# Gaussian, whose weights sum to 1), a sharpen (the image plus its
# difference from its neighbours), Sobel x and y (horizontal and vertical
# changes of brightness: vertical and horizontal edges) and the Laplacian
# (changes in every direction). Edge maps are signed; their magnitude is drawn.

# %%
# The kernels first, with integer weights (the blurs are divided by their sum):

binomial = np.outer([1, 4, 6, 4, 1], [1, 4, 6, 4, 1])
kernels = {  # name: (integer weights, divisor)
    "box blur ÷25": (np.ones((5, 5)), 25),
    "Gaussian ÷256": (binomial, 256),
    "sharpen": (np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]), 1),
    "Sobel x": (sobel_x, 1),
    "Sobel y": (sobel_x.T, 1),
    "Laplacian": (np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]]), 1),
}
fig, axes = plt.subplots(1, 6, figsize=(9.0, 2.0), dpi=100, layout="constrained")
for ax, (name, (kernel, _)) in zip(axes, kernels.items()):
    vk.heatmap(kernel, center=0 if kernel.min() < 0 else None, annot=True, square=True, cbar=False, ax=ax)
    ax.set_title(name, fontsize="medium")
    ax.set_xticks([])
    ax.set_yticks([])

# %%
# Then the photograph through all six at once: one ``conv2d`` call with six
# output channels (the 3×3 kernels padded to 5×5 with zeros, padding 2 so
# each map keeps the photo's size). The last tile is the gradient magnitude
# √(Sobel x² + Sobel y²), the classic edge detector.

grey = load_sample_image("china.jpg").mean(axis=2)[60:300, 150:510]  # 240×360 pixels around the palace roof
bank = np.stack([np.pad(k / d, (5 - len(k)) // 2) for k, d in kernels.values()])
filtered = F.conv2d(torch.tensor(grey, dtype=torch.float32)[None, None],
                    torch.tensor(bank, dtype=torch.float32)[:, None], padding=2)[0].numpy()
blur, gauss, sharp, gx, gy, laplace = filtered


def shown(edges):  # an edge map's magnitude, its brightest 1 % clipped so the rest is visible
    return np.minimum(np.abs(edges), np.percentile(np.abs(edges), 99))


tiles = [grey, blur, gauss, np.clip(sharp, 0, 255), shown(gx), shown(gy), shown(laplace), shown(np.hypot(gx, gy))]
titles = ["grey input", "box blur", "Gaussian blur", "sharpen", "|Sobel x|", "|Sobel y|", "|Laplacian|",
          "gradient magnitude"]
vk.image_grid(tiles, titles=titles, ncols=4, norm="each", title="Six kernels applied by one conv2d call")

plt.show()
