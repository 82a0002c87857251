"""
A variational autoencoder with a 2-D latent
===========================================

A VAE (Kingma & Welling, 2014) encodes an image ``x`` as a Gaussian
``q(z|x) = N(μ(x), σ²(x))`` over a latent ``z``, decodes a sample
``z = μ + σ·ε`` back into pixels, and minimises the negative evidence lower
bound: a *reconstruction* term (the binary cross-entropy of the pixels) plus
the *KL divergence* of ``q(z|x)`` from the prior ``N(0, I)``, which keeps the
codes where the decoder will later be asked for samples.

``training_runs/vae_mnist.py`` trained a small one (MLP encoder 784-256-2×2,
decoder 2-256-784) for 30 epochs on 4 000 digits of the MNIST subset. With
only two latent dimensions everything it learned can be drawn: the codes of
the 1 000 held-out digits, the decoder's images over the latent plane, and
what it makes of a digit it never trained on.
"""

import matplotlib.pyplot as plt
import numpy as np
from scipy.stats import multivariate_normal

import vizkit as vk

vk.set_theme()

RUN = "../../training_runs/runs/vae_mnist"
run = vk.read_run(RUN)

# %%
# The two terms of the objective
# ------------------------------
# ``vk.curves`` draws each logged term per epoch, training (the mean over the
# epoch's batches) and held out. The reconstruction term falls from 214 to
# 165 nats per held-out image, most of it in the first five epochs. The KL
# term is small beside it, and the two pull against each other: after its
# first-epoch high of about 9.7 nats it settles near 5, and from epoch 15 it
# creeps up again while the reconstruction still improves, as the codes
# spread to tell the digits apart. The total, the negative ELBO, is their sum.

fig, axes = plt.subplots(1, 3, figsize=(11, 3.2), layout="constrained")
for ax, metric, title in zip(axes, ["reconstruction", "kl", "loss"],
                             ["reconstruction (BCE, nats)", "KL(q(z|x) ‖ N(0, I)), nats", "−ELBO = sum of both"]):
    vk.curves(run, metric=metric, x="epoch", ax=ax)
    ax.set_title(title, loc="left")
    ax.set_ylabel("")

# %%
# The latent space and the decoder over it
# ----------------------------------------
# Left, the means ``μ`` of the held-out digits, each drawn as its own label
# (``vk.latent_over_training`` at one epoch), over the contours of the prior's
# 50, 90 and 99 % regions. Right, ``vizkit.torch.decode_lattice`` ran the
# decoder on a 15 × 15 lattice at the prior's quantiles 0.05 to 0.95 (equal
# prior mass between neighbours, as Kingma & Welling drew it), and
# ``vk.latent_grid`` draws the images with the coordinates on the axes: the 1s
# sit at negative ``z₁``, the 0s at positive ``z₁``, and the digits between
# them morph smoothly from one into the next. The dashed square on the left
# is the part of the plane the lattice covers. Only two thirds of the means lie
# inside the prior's 90 % region: the means alone are narrower than the
# prior, as each image's own σ fills in the rest. (How an encoder's codes
# approach a prior over the epochs is the adversarial autoencoder's page.)

codes = vk.io.read_arrays(RUN, "latent")
lattice = vk.io.read_arrays(RUN, "lattice").popitem()[1]
prior = multivariate_normal(np.zeros(2))
fig = plt.figure(figsize=(11, 5.0), layout="constrained")
left, right = fig.subfigures(1, 2, width_ratios=[1.1, 1])
scatter = vk.latent_over_training(codes, key="mu", labels="label", prior=prior, epochs=[30], figure=left)
inside = scatter.table_["in_region"].iloc[0]
scatter.ax_.set_title(f"held-out digits: μ after 30 epochs\n{inside * 100:.0f} % in the prior's 90 % region",
                      loc="left")
low, high = lattice["x"][0], lattice["x"][-1]  # the lattice's square, drawn over the codes
scatter.ax_.add_patch(plt.Rectangle((low, low), high - low, high - low, fill=False, ls="--", lw=1, color="0.2"))
grid = vk.latent_grid(lattice, ax=right.subplots())
grid.ax_.set_title("decoded at the prior's quantiles", loc="left")

# %%
# Originals and their reconstructions
# -----------------------------------
# The first held-out image of each digit, above what the decoder makes of its
# code ``μ``: two numbers per image are enough for the 0, the 1, the 6 and
# the 9, but the 2 and the 3 come back as 8s and the 4 and the 5 as 9s:
# their codes overlap in the middle of the plane above.

pairs = vk.io.read_arrays(RUN, "reconstructions").popitem()[1]
fig, ax = plt.subplots(figsize=(8, 2.2), layout="constrained")
shown = vk.reconstructions(pairs["original"], pairs["reconstruction"], labels=pairs["label"], ax=ax)
ax.set_title(f"held-out digits: mean squared error per pixel {shown.mse_:.3f}", loc="left")

plt.show()
