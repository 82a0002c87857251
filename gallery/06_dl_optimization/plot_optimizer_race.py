"""
The optimizer race, with a fair learning rate for each
======================================================

SGD, Momentum, Nesterov, Adagrad, Adadelta, RMSprop and Adam, the real
``torch.optim`` classes, from the same start for the same number of steps.
A race with one hand-picked learning rate for all measures the pick more
than the optimizer, so ``vizkit.torch.tune_lr`` first gives every optimizer
the same budget: one run per learning rate on a log grid from 1e-3 to 10,
scored on f after the same number of steps as the race. Each gets its best
rate, named in the legend.

On the ill-conditioned quadratic every method gets close; Adagrad, whose
rate per coordinate suits an axis-aligned bowl exactly, takes the largest
rate and reaches zero first, while Adadelta takes the largest rate on the
grid and still crawls (it asks for no lr and barely uses one). Rosenbrock's
curved valley is harder: the rates that survive its steep walls are a
hundred times smaller for the SGD family; momentum at lr 0.002 follows the
valley's floor furthest, Adam gets there with bounces, and Adagrad's big
first steps throw it out of the valley, where its shrinking steps leave it.
"""

import matplotlib.pyplot as plt

import vizkit as vk
import vizkit.torch as vt

vk.set_theme()

for surface, steps in (("ill_conditioned", 50), ("rosenbrock", 150)):
    tuned = vt.tune_lr(surface, steps=steps)
    paths = vt.optimizer_paths(surface, tuned.optimizers, steps=steps)
    plt.figure(figsize=(10, 4.4), dpi=100, layout="constrained")  # loss_surface fills the empty figure
    display = vk.loss_surface(surface, paths)
    display.ax_.set_title(f"{steps} steps on {display.title}", loc="left")
