"""
Autoregressive models: an image drawn one pixel at a time
=========================================================

An autoregressive model writes the probability of an image as a product of
one-pixel conditionals, p(x) = p(x₁) p(x₂ | x₁) ⋯ p(x_D | x₁ … x_{D−1}), in a
fixed order. It can then score an image exactly (the sum of the pixels'
log-probabilities) and sample one by drawing pixel 1, then pixel 2 given
pixel 1, and so on: D network passes for D pixels.

``training_runs/autoregressive_pixels.py`` trained a class-conditional MADE
(Germain et al., 2015), a masked MLP whose output for pixel d sees only the
pixels before d, on the MNIST subset shrunk to 14×14 and binarised (4 500
digits, 30 epochs, about 15 s). On the 500 held-out digits it needs 41.8 bits
per image, against 196 for coin flips. ``vizkit.torch.autoregressive_sample``
drew one digit of each class pixel by pixel and kept the partial images.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()

RUN = "../../training_runs/runs/autoregressive_pixels"

# %%
# The order, and what one pixel may look at
# -----------------------------------------
# ``vk.pixel_order`` numbers the pixels in the order they are drawn: raster
# order, row by row, as PixelCNN and this MADE use (1 to 14 along the top
# row, on to 196 in the bottom right corner). With ``highlight=100`` only
# the 99 pixels the 100th is conditioned on are shown: everything above it
# and to its left, nothing below or to the right. The masks in the model
# enforce exactly this (a test checks that its Jacobian is strictly lower
# triangular).

fig, ax = plt.subplots(figsize=(5.6, 5.4), layout="constrained")
vk.pixel_order((14, 14), highlight=100, ax=ax)
ax.set_title("Pixel 100 is drawn from the 99 before it", loc="left")

# %%
# Partial images, step by step
# ----------------------------
# ``vk.pixel_steps`` draws the partial images the sampler kept, a column per
# number of pixels drawn and a row per sample (the 3, 6 and 9 of the ten).
# The pixels still to come are hatched grey; the pixel drawn last is
# outlined. The first rows are almost all background, so the digit appears
# from the top down, and each new stroke continues the ones above it.

steps = vk.io.read_arrays(RUN, "steps").popitem()[1]
vk.pixel_steps(steps["frames"], steps=steps["steps"].tolist(), samples=[3, 6, 9])

# %%
# How sure the model was
# ----------------------
# The probability each pixel of those three digits was drawn with. The
# background far from the strokes is certain (p ≈ 0); along a stroke the
# model is sure once the pixels above fix the stroke's direction; the
# uncertain pixels, near 0.5, are the edges where the stroke could go
# either way: where two samples of the same digit part.

vk.image_grid(steps["probabilities"][[3, 6, 9]], titles=["3", "6", "9"], norm=(0, 1), cmap="vizkit_seq", ncols=3,
              colorbar=True, title="p(pixel = 1 | the pixels before it), when it was drawn")

# %%
# Samples
# -------
# Two more samples of each class (every other one the run saved), none
# picked. The 0s, 1s and 6s read as their digit; others are broken or
# blotted: a pixel drawn early is never revised, so a wrong turn stays in
# the image, and a small MADE on 4 500 digits knows little of strokes.

samples = vk.io.read_arrays(RUN, "samples").popitem()[1]
vk.image_grid(samples["samples"][::2], titles=samples["labels"][::2].tolist(), cmap="gray_r", ncols=10)

plt.show()
