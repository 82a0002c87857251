"""
Gradient descent, momentum, Adagrad and RMSprop on d2l's quadratic
==================================================================

The optimization chapter of *Dive into Deep Learning* follows every method
on one ill-conditioned quadratic, f = 0.1 x1² + 2 x2², for 20 steps from
(-5, -2). ``vizkit.torch.optimizer_paths`` runs the real ``torch.optim``
optimizers with the chapter's hyperparameters and lands on its printed
points to 1e-6.

Gradient descent with lr 0.4 creeps along the flat x1 direction; with lr 0.6
it overshoots in the steep x2 direction more at every step (the chart cuts
it at the edge and says when it diverged). Momentum with the same lr 0.6
averages the zig-zag away and reaches the minimum. Adagrad divides each
coordinate's step by the root of its summed squared gradients: with lr 0.4
the steps shrink too fast to get far; with lr 2 it arrives. RMSprop's moving
average (γ = 0.9) keeps the steps from shrinking for good.
"""

import matplotlib.pyplot as plt

import vizkit as vk
import vizkit.torch as vt

vk.set_theme()
start = (-5.0, -2.0)

momentum = vt.optimizer_paths("ill_conditioned", {
    "GD": ("gd", {"lr": 0.4}),
    "GD, larger lr": ("gd", {"lr": 0.6}),
    "Momentum β=0.5": ("momentum", {"lr": 0.6, "momentum": 0.5}),
}, start=start, steps=20)
plt.figure(figsize=(10, 4.2), dpi=100, layout="constrained")  # loss_surface fills the empty figure
display = vk.loss_surface("ill_conditioned", momentum)
display.ax_.set_title("Momentum: GD's lr 0.6 converges", loc="left")

adaptive = vt.optimizer_paths("ill_conditioned", {
    "Adagrad": ("adagrad", {"lr": 0.4}),
    "Adagrad, larger lr": ("adagrad", {"lr": 2.0}),
    "RMSprop γ=0.9": ("rmsprop", {"lr": 0.4, "alpha": 0.9}),
}, start=start, steps=20)
plt.figure(figsize=(10, 4.2), dpi=100, layout="constrained")
display = vk.loss_surface("ill_conditioned", adaptive)
display.ax_.set_title("A step size per coordinate", loc="left")
