"""
Linear regression by gradient descent: a good and a too-large learning rate
===========================================================================

Body mass of the Palmer penguins against flipper length (centred, in cm),
fitted as ``y = w x + b`` by plain gradient descent: every step is one
``torch.optim.SGD`` update on the mean squared error, with autograd
(``vizkit.torch.linear_gd``). Left, the MSE over ``(w, b)`` with the
least-squares fit (``np.linalg.lstsq``) starred and the path, one dot per
step; right, the MSE by step.

Gradient descent on a quadratic converges exactly when the learning rate is
below 2/λ_max, λ_max the largest eigenvalue of the MSE's Hessian. Here that
bound is 0.51: at 0.2 the loss falls every step and the path runs into the
star; at 0.6 every step overshoots in ``w`` (the steep direction) by more
than the last, and the MSE grows without end. The chart keeps the view on
the surface and cuts the path where it leaves, with the step at which it
diverged.
"""

import matplotlib.pyplot as plt

import vizkit as vk
import vizkit.torch as vt
from vizkit.ml import mse_surface

vk.set_theme()
penguins = vk.load_dataset("penguins").dropna(subset=["flipper_length_mm", "body_mass_g"])
x = (penguins["flipper_length_mm"] - penguins["flipper_length_mm"].mean()).to_numpy() / 10  # cm, centred
y = penguins["body_mass_g"].to_numpy() / 1000  # kg

good = vt.linear_gd(x, y, lr=0.2, steps=30)
too_large = vt.linear_gd(x, y, lr=0.6, steps=30)
bound = good.attrs["stable_lr"]

fig, (top, bottom) = plt.subplots(2, 1, figsize=(8.8, 8.4), dpi=100, layout="constrained")
first = vk.loss_surface(mse_surface(x, y), paths=good, ax=top)
second = vk.loss_surface(mse_surface(x, y), paths=too_large, ax=bottom)
first.ax_.set_title(f"lr 0.2 < 2/λ_max = {bound:.2f}: into the fit", loc="left")
second.ax_.set_title(f"lr 0.6 > {bound:.2f}: each step overshoots more", loc="left")
first.loss_ax_.set_title("MSE falls every step")
second.loss_ax_.set_title("MSE grows without end")
