"""
An adversarial autoencoder: the codes learn the prior
=====================================================

A VAE pulls each code towards the prior with a KL term, which needs the
prior's density in closed form. The adversarial autoencoder (Makhzani et
al., 2016) needs only samples from it: a discriminator on the latent tells
the encoder's codes from draws of the prior, and the encoder learns to fool
it, while encoder and decoder keep learning to reconstruct. Any prior one
can sample will do; here a mixture of 10 Gaussians (σ = 0.5) on a circle of
radius 4, a shape no encoder takes by chance.

``training_runs/aae_mnist.py`` trained one with the VAE's shapes (MLP
784-256-2 and 2-256-784, a discriminator 2-64-64-1) for 30 epochs on 4 000
digits of the MNIST subset; every batch takes a reconstruction step, a
discriminator step and a generator step. It saved the codes of the 1 000
held-out digits before training and after epochs 1, 3, 10 and 30.
"""

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import vizkit as vk

vk.set_theme()

RUN = "../../training_runs/runs/aae_mnist"
config = json.loads(Path(RUN, "meta.json").read_text())["config"]
angles = 2 * np.pi * np.arange(config["prior_components"]) / config["prior_components"]
means = config["prior_radius"] * np.column_stack([np.cos(angles), np.sin(angles)])
var = config["prior_std"] ** 2


def prior(points):
    """The imposed prior's density: the mean of 10 isotropic Gaussians."""
    return np.exp(-((points[:, None] - means) ** 2).sum(-1) / (2 * var)).mean(1) / (2 * np.pi * var)


# %%
# The codes over training, against the prior
# -------------------------------------------
# ``vk.latent_over_training`` draws the held-out codes at each saved epoch on
# one scale, each digit as its own glyph, over the contours of the prior's
# 50, 90 and 99 % regions (the ten petals). Untrained, every code sits at the
# origin. After one epoch the reconstruction term has stretched them along a
# line, which crosses a petal or two by chance (so the share inside the 90 %
# region, in the titles, is no progress yet). By epoch 10 the discriminator
# has pushed the codes out onto the ring, and by epoch 30 digits have taken
# petals: the 0s at the top, the 1s at the left, the 6s at the right, the 7s
# and 9s sharing the bottom. Half the codes are inside the prior's 90 %
# region; most of the rest lie between neighbouring petals, where the prior
# has little mass: 30 epochs on 4 000 digits come close, not all the way.

codes = vk.io.read_arrays(RUN, "latent")
shown = vk.latent_over_training(codes, labels="label", prior=prior)

# %%
# The three losses
# ----------------
# The reconstruction term (left) falls as in a plain autoencoder. The two
# adversarial losses (middle, right, on the training batches) are a game, not
# a descent: when the codes cannot be told from the prior the best
# discriminator says ½ everywhere, its loss is 2 ln 2 ≈ 1.39 and the
# generator's ln 2 ≈ 0.69 (the dashed lines). In the first epochs the
# discriminator wins easily (codes on a line look nothing like ten petals);
# by epochs 5 to 9 the encoder has caught up and both losses come near the
# balance; after that the discriminator slowly pulls ahead again, telling the
# codes that lie between the petals.

run = vk.read_run(RUN)
fig, axes = plt.subplots(1, 3, figsize=(11, 3.2), layout="constrained")
vk.curves(run, metric="reconstruction", x="epoch", ax=axes[0])
axes[0].set_title("reconstruction (BCE, nats)", loc="left")
for ax, metric, balance in [(axes[1], "discriminator", 2 * np.log(2)), (axes[2], "generator", np.log(2))]:
    vk.curves(run, metric=metric, x="epoch", ax=ax)
    vk.refline(ax, y=balance, label=f"balance {balance:.2f}")
    ax.set_title(f"{metric} (BCE)", loc="left")
for ax in axes:
    ax.set_ylabel("")

# %%
# Originals and their reconstructions
# -----------------------------------
# The first held-out image of each digit, above what the decoder makes of
# its code: with two numbers per image, bound to the prior's petals, the 1,
# the 3, the 6, the 8 and the 9 come back; the 4 and the 7, whose codes sit
# beside the 9s at the bottom of the ring, come back as 9s.

pairs = vk.io.read_arrays(RUN, "reconstructions").popitem()[1]
fig, ax = plt.subplots(figsize=(8, 2.2), layout="constrained")
found = vk.reconstructions(pairs["original"], pairs["reconstruction"], labels=pairs["label"], ax=ax)
ax.set_title(f"held-out digits: mean squared error per pixel {found.mse_:.3f}", loc="left")

plt.show()
