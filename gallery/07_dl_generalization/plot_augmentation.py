"""
Data augmentation: one image, many training examples
====================================================

Augmentation regularizes by showing the model a slightly different version
of each image every epoch: shifted by a few pixels, turned by a few degrees,
mirrored, with a little noise. The label stays the same, so the model learns
that these changes do not matter. Which changes are safe depends on the
data: a mirrored photo of a cat is still a cat, a mirrored 3 is not a 3, so
digits get shifts, small rotations and noise but no flips.

``vizkit.torch.Augment`` draws one transform per image, in plain torch (one
affine map through ``affine_grid`` and ``grid_sample``, zeros outside the
image), seeded by a ``torch.Generator``; each tile below is titled with what
was drawn for it. The digit is from the MNIST subset of ``vk.load_dataset("mnist")``.
"""

import matplotlib.pyplot as plt
import torch

import vizkit as vk
from vizkit.torch import Augment

vk.set_theme()

digit = vk.load_dataset("mnist").iloc[[1500]]            # a 3
image = torch.tensor(digit.drop(columns="label").to_numpy(), dtype=torch.float32).view(1, 1, 28, 28) / 255

N = 11
augment = Augment(shift=3, rotate=20, noise=0.1)
generator = torch.Generator().manual_seed(0)
params = augment.sample(N, generator)
augmented = augment.apply(image.expand(N, -1, -1, -1), params, generator)

fig = plt.figure(figsize=(7.2, 3.6), dpi=100)
grid = vk.image_grid(torch.cat([image, augmented]), ncols=6, titles=["original"] + params.labels(),
              title="Shift up to 3 px, rotate up to ±20°, Gaussian noise sd 0.1", norm=(0, 1), figure=fig)

# %%
# The same draws with flips added: half the digits come out mirrored, which
# is no longer the digit the label says.

flips = Augment(flip=True, shift=3, rotate=20, noise=0.1)
generator = torch.Generator().manual_seed(0)
flip_params = flips.sample(7, generator)
flipped = flips.apply(image.expand(7, -1, -1, -1), flip_params, generator)

fig = plt.figure(figsize=(7.2, 4.4), dpi=100)
flipped_grid = vk.image_grid(torch.cat([image, flipped]), ncols=4, titles=["original"] + flip_params.labels(),
              title="The same with random flips: wrong for digits", norm=(0, 1), figure=fig)
