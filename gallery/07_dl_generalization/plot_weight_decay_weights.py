"""
Weight decay pulls the weights towards zero
===========================================

Weight decay adds ``lambda * w`` to every weight's gradient, so each step
shrinks every weight a little, and only weights the data keeps pushing stay
large. ``training_runs/regularization.py`` saved a fixed sample of 2 048
first-layer weights (the same indices each time, float16) before training
and every third epoch, for seed 0 without regularization and with weight
decay 5e-3; both start from the same weights. ``vk.weight_ridges`` draws one
histogram per snapshot, the two runs side by side over the same bins.

Without decay the distribution keeps its starting width and grows tails.
With decay it narrows epoch after epoch into a peak around zero: the mean
absolute weight falls by 40 % in 30 epochs (the table below). The weights of
pixels that are black in every training image (the border) get no gradient
from the data at all, so only the decay moves them. Each panel scales its
own ridges to its tallest one; the weight axis is shared.
"""

import vizkit as vk

vk.set_theme()
runs = vk.read_runs("../../training_runs/runs/regularization/*-seed0")
chosen = runs[runs["method"].isin(["none", "weight_decay"])]

axes = vk.weight_ridges(chosen, name="fc1_sample", by="method")
axes[0].figure.suptitle("First-layer weights (a fixed sample of 2 048) per epoch", x=0.02, ha="left")
numbers = vk.plotted_data(axes[1]).attrs["weights"]
print(numbers[["epoch", "std", "abs_mean", "near_zero"]].round(4).to_string(index=False))
