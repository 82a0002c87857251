"""
Layer statistics: gradients and updates of every layer while it trains
======================================================================

A loss curve says how training goes as a whole; the layers can still differ
by orders of magnitude. ``vizkit.torch.LayerStats`` logs, every few steps and
for every parameter tensor, the weight norm ‖θ‖, the gradient norm ‖∇θ‖ and
the update ratio ‖Δθ‖ / ‖θ‖ of the optimizer step, without slowing training
down (the norms stay on the device until the run log flushes)::

    fit(model, train, optimizer=optimizer, loss_fn=loss_fn, epochs=10, run=run,
        callbacks=[LayerStats(every=4)])

``vk.layer_stats`` draws one statistic as a heatmap of layers (in the model's
order) by steps, on a log colour scale because norms span decades. This is
the lecture-2 MLP (``training_runs/layer_stats_mlp.py``): the gradient norms
are largest early in training, smaller for the biases than for the weights,
and no layer's gradient vanishes or explodes next to the others.
"""

import matplotlib.pyplot as plt

import vizkit as vk
from vizkit.ml import LayerStatsDisplay

vk.set_theme()
run = vk.read_run("../../training_runs/runs/layer_stats_mlp")

fig, ax = plt.subplots(figsize=(8, 3.6), dpi=100, layout="constrained")
gradients = LayerStatsDisplay.from_runs(run, stat="grad_norm").plot(ax=ax)
ax.set_title("Gradient norm per layer")
print("vanishing:", gradients.vanishing_, "exploding:", gradients.exploding_)

# %%
# The update ratio: the rule of thumb
# -----------------------------------
# A step should change a layer's weights by about a thousandth of their
# size: much less and the layer barely learns, much more and it is unstable.
# With SGD at 0.1 and momentum 0.9 every layer starts far above 1e-3 and
# settles a few times above it as the gradients shrink; the first layer's
# bias stays highest (``too_fast_`` names it). One line per layer on a log
# axis, the rule of thumb dashed.

fig, ax = plt.subplots(figsize=(8, 3.8), dpi=100, layout="constrained")
updates = LayerStatsDisplay.from_runs(run, stat="update_ratio").plot(ax=ax, kind="lines")
ax.set_title("Update ratio ‖Δθ‖ / ‖θ‖ per step")
print("too slow:", updates.too_slow_, "too fast:", updates.too_fast_)
