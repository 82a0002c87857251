"""
Diffusion: noise added step by step, and taken away
===================================================

A diffusion model (DDPM, Ho et al., 2020) learns to undo a fixed noising
process. The forward process adds a little Gaussian noise at each of T
steps, β_t of variance at step t, so that after t steps
x_t = √ᾱ_t x₀ + √(1 − ᾱ_t) ε with ᾱ_t = (1 − β_1) ⋯ (1 − β_t). A network
learns to predict ε from x_t and t; sampling starts from pure noise x_T and
removes the predicted noise one step at a time.

``vizkit.ml.noise_schedule`` gives β_t, α_t and ᾱ_t (steps numbered from 1
to T, as in the paper); ``vizkit.torch.ddpm_sample`` runs the reverse
process on it. ``training_runs/diffusion_digits.py`` trained a small
denoiser (an MLP with a time embedding and the digit's label, 8 000 steps)
on scikit-learn's 8×8 digits scaled to −1 … 1, with DDPM's linear schedule
(β from 10⁻⁴ to 0.02, T = 1000), and saved the strips drawn below.
"""

import matplotlib.pyplot as plt

import vizkit as vk
from vizkit.ml import noise_schedule

vk.set_theme()

RUN = "../../training_runs/runs/diffusion_digits"
ddpm = noise_schedule("linear", T=1000, beta_start=1e-4, beta_end=0.02)

# %%
# The schedule: how much of x₀ is left after t steps
# ---------------------------------------------------
# ``vk.diffusion_schedule`` draws ᾱ_t (the share of x₀'s variance still in
# x_t) and the two factors of x_t: √ᾱ_t in front of the image and
# √(1 − ᾱ_t) in front of the noise. Their squares add up to 1, so data of
# unit variance keeps unit variance at every step. With DDPM's schedule
# ᾱ_1 = 0.9999, ᾱ_500 = 0.0786 and ᾱ_1000 = 0.00004: the noise overtakes the
# image at t = 260, and x_1000 is pure noise, as sampling assumes.

fig, ax = plt.subplots(figsize=(7.2, 4), layout="constrained")
vk.diffusion_schedule(ddpm, ax=ax)

# %%
# Linear against cosine
# ---------------------
# The linear schedule destroys small images early: past t ≈ 600 almost
# nothing is left to learn from. Nichol and Dhariwal's cosine schedule
# (``noise_schedule("cosine")``) lets ᾱ_t fall slowly at both ends and
# crosses ½ near the middle, at t = 497.

fig, ax = plt.subplots(figsize=(7.2, 4), layout="constrained")
vk.diffusion_schedule({"DDPM linear": ddpm, "cosine": noise_schedule("cosine")}, quantities=["alpha_bar"], ax=ax)

# %%
# Forward: one digit noised
# -------------------------
# ``vk.diffusion_forward`` draws x_t of one image at chosen steps, all with
# the same ε, on the data's scale (−1 … 1, values beyond it clipped). After
# 100 steps the 0 is still plain (ᾱ = 0.9); at t = 500 it is hardly there,
# and from t = 750 on no eye can find it.

forward = vk.io.read_arrays(RUN, "forward").popitem()[1]
vk.diffusion_forward(forward["x0"], ddpm, t=forward["t"].tolist(), cmap="gray_r")

# %%
# Reverse: from noise to digits
# -----------------------------
# ``vizkit.torch.ddpm_sample`` started from x_1000 ~ N(0, I) for one sample
# of each digit and kept x_t on the way (``keep=``). ``vk.diffusion_reverse``
# draws a row per sample (here three of the ten: the 0, 5 and 6). For most
# of the way the frames stay noise; the digit's shape appears between
# t = 350 and 150, and the last 100 steps clean the strokes.

reverse = vk.io.read_arrays(RUN, "reverse").popitem()[1]
vk.diffusion_reverse(reverse["frames"], t=reverse["t"].tolist(), schedule=ddpm, samples=[0, 5, 6],
                     cmap="gray_r")

# %%
# Samples
# -------
# Two more samples of each digit from the same model (every other one the
# run saved), none picked: most read as their digit, with the speckled
# background and the odd broken stroke of a small MLP trained for about a
# minute.

samples = vk.io.read_arrays(RUN, "samples").popitem()[1]
vk.image_grid(samples["samples"][::2].clip(-1, 1), titles=samples["labels"][::2].tolist(), norm=(-1, 1),
              cmap="gray_r", ncols=10)

plt.show()
