"""
A Vision Transformer reads a digit as 49 patches
================================================

A transformer reads a sequence of tokens; a Vision Transformer (Dosovitskiy
et al., 2021) makes one of an image. It cuts the image into square patches,
flattens each patch and maps it to a token with one linear layer, puts a
learned class token in front and adds a learned positional embedding to
every token, so that the model can know where each patch came from. After
the encoder blocks, the class token's output alone is classified.

The model of the assignment, ``vizkit.torch.models.vit(dim=48, depth=3,
heads=4, mlp_dim=96)`` (60 730 parameters), was trained by
``training_runs/vit_mnist.py`` on 4 000 MNIST digits for 12 epochs; the run
saved its positional embeddings, which this page reads back without torch.
"""

import matplotlib.pyplot as plt
import numpy as np

import vizkit as vk

vk.set_theme()

RUN = "../../training_runs/runs/vit_mnist"
probe = vk.io.read_arrays(RUN, "attention").popitem()[1]  # four held-out digits and their attention
embeddings = vk.io.read_arrays(RUN, "pos_embed").popitem()[1]["pos_embed"]  # (50, 48): class token first

# %%
# From an image to a sequence
# ---------------------------
# ``vk.patch_grid`` cuts the held-out 7 into 7 × 7 = 49 patches of 4 × 4
# pixels and numbers them as ``vizkit.torch.models.patchify`` orders them:
# left to right, then top to bottom, position 0 being the class token's.
# Under the image, the same patches as the sequence the transformer reads:
# each becomes a vector of 16 pixels, then a token of 48 features. Nothing in
# the sequence itself says that patch 8 sits under patch 1: only the
# positional embeddings can tell the model.

vk.patch_grid(probe["images"][3].astype(np.float32), patch_size=4)

# %%
# It learns to classify from the sequence
# ---------------------------------------
# Accuracy on the training batches (means of 9 steps) and on the 1 000
# held-out digits after each epoch: a one-cycle learning rate warms up over
# the first epochs, then decays; the ViT ends at 92.6 % held-out accuracy,
# below the small CNNs of lecture 4 on the same digits (about 96 %), which
# are built to know that neighbouring pixels belong together.

fig, ax = plt.subplots(figsize=(6.4, 3.4), layout="constrained")
vk.curves(vk.read_run(RUN), metric="acc", ax=ax)

# %%
# What the positions learned
# --------------------------
# ``vk.position_similarity`` draws the cosine similarity of each position's
# learned embedding with every other, as the ViT paper's figure 7: tile
# (r, c) colours all 49 positions by their similarity with position (r, c).
# Every tile is brightest at its own place. The whole border ring, which is
# blank in every MNIST digit, learned nearly one embedding (its 24 positions
# have a mean similarity of 0.41 with each other): the model only needs to
# know that nothing is there. Inside it, neighbours are a little alike (0.13
# on average) and positions two apart are not (-0.12): the start of the 2-D
# layout that the paper's ViT, trained on millions of images, shows clearly.

fig, ax = plt.subplots(figsize=(6.4, 5.6), layout="constrained")
vk.position_similarity(embeddings, ax=ax)
ax.set_title("Learned positional embeddings, compared")

plt.show()
