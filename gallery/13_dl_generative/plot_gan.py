"""
A GAN learns to draw digits
===========================

A generative adversarial network trains two networks against each other.
The generator G turns a vector of noise z into an image; the discriminator D
gets real digits and G's fakes and outputs the probability that its input is
real. D is trained to tell them apart, G to make D say "real" to its fakes
(the non-saturating loss, −log D(G(z))). The run is
``training_runs/gan_mnist.py``: two small MLPs (G: 64 → 256 → 512 → 784,
D: 784 → 512 → 256 → 1) on the 5 000 MNIST digits, Adam with learning rate
2e-4 and β₁ = 0.5, batches of 64, 40 epochs.
"""

import math

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()

RUN = "../../training_runs/runs/gan_mnist"

# %%
# Samples from one fixed noise batch
# ----------------------------------
# Before training, the script drew ONE batch of ten noise vectors and kept it:
# at each chosen epoch the generator turns the same ten vectors into images
# (``vizkit.torch.SampleLogger`` saves the noise beside them and refuses a
# batch that changed, and a test checks the saved noise never does). So a
# column follows one z through training, and any change in it is the
# generator learning. ``vk.samples_over_training`` draws what any run saved
# with ``run.log_array("samples", step=..., epoch=..., images=x)``: a row per
# epoch, a column per sample, all on one grey scale (here 8 of the 10 samples
# at 6 of the 8 saved epochs). From noise, G first finds an average blob, then
# a few shapes it repeats, then strokes that read as digits; a few stray bright
# pixels remain after 40 epochs of 78 batches.

vk.samples_over_training(RUN, epochs=[0, 4, 8, 16, 24, 39], n=8)

# %%
# The game in numbers: losses and D's outputs
# -------------------------------------------
# The script logs, per epoch, the mean of D's loss (on real and on fake
# digits, so two log-terms) and of G's loss, and D's mean output on the real
# digits, D(x), and on the fakes, D(G(z)). At the game's equilibrium G draws
# exactly the data distribution and D cannot do better than guess: D(x) =
# D(G(z)) = 1/2, D's loss is 2 ln 2 ≈ 1.39 and G's is ln 2 ≈ 0.69 (the dashed
# lines). The curves start near those values only because neither network knows
# anything yet. Then D learns faster and stays ahead: D(x) settles near 0.69
# and D(G(z)) near 0.33, D's loss near 0.95 and G's near 1.55. Neither moves
# much after epoch 15 while the samples above keep improving: the losses of a
# GAN do not fall as it learns, they measure a balance between two networks
# that both get better. A D loss that fell to 0 would be the bad sign: D
# winning outright, and G left without a gradient to learn from.

run = vk.read_run(RUN)
fig, (loss_ax, d_ax) = plt.subplots(1, 2, figsize=(9.6, 3.6), dpi=100, layout="constrained")
vk.curves(run, metric="loss", x="epoch", ax=loss_ax)
vk.refline(loss_ax, y=2 * math.log(2), label="2 ln 2")
vk.refline(loss_ax, y=math.log(2), label="ln 2")
loss_ax.set(title="Losses of D and G", ylabel="Binary cross-entropy", ylim=(0.5, None))
vk.curves(run, metric="D", x="epoch", ax=d_ax)
vk.refline(d_ax, y=0.5, label="equilibrium: 1/2")
d_ax.set(title="D(x) on real digits, D(G(z)) on fakes", ylabel="D's output (probability of real)", ylim=(0, 1))

plt.show()
