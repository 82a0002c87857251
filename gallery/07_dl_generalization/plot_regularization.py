"""
Nine regularizers side by side on 1 000 MNIST images
====================================================

The same MLP (784-128-128-10, ReLU, SGD with momentum 0.9) learns 1 000
MNIST images, 2 000 held out for validation, under nine treatments
(``training_runs/regularization.py``): nothing, early stopping on the
validation loss (patience 5), weight decay 5e-3, augmentation (random shifts
of up to 2 pixels and rotations of up to 12 degrees), Gaussian input noise
(sd 0.3), label smoothing (epsilon 0.1), mixup (alpha 0.4), dropout (p 0.5)
and batch normalization. For a seed every treatment starts from the same
linear weights and sees the same batches; three seeds each. MNIST rather
than the 8x8 digits, so that a shifted or rotated image is still a fair
example of its digit; 1 000 images, so that the plain MLP learns them by
heart within ten epochs.

``vk.curve_grid`` draws ``vk.curves`` once per method on shared axes: the
mean of the three seeds with a band of one standard deviation. The training
values are the epoch's batches as trained: augmented or noisy images, mixed
or smoothed targets, dropout on. So label smoothing's training loss cannot
fall below the entropy of its soft targets (about 0.5), and mixup's stays
high: neither is the loss of the hard labels.
"""

import vizkit as vk

vk.set_theme()
runs = vk.read_runs("../../training_runs/runs/regularization/*")
methods = ["none", "early_stopping", "weight_decay", "augmentation", "input_noise", "label_smoothing", "mixup",
           "dropout", "batch_norm"]

grid = vk.curve_grid(runs, col="method", order=methods, metric="loss", band="sd", col_wrap=3)
for ax in grid.axes.flat:
    ax.set_yscale("log")
for ax in grid.axes[:, 0]:
    ax.set_ylabel("Cross-entropy (log)")
grid.figure.suptitle("Training and validation loss per epoch, mean of 3 seeds ± 1 sd", x=0.02, ha="left")

# %%
# Without a regularizer the training loss falls by three decades while the
# validation loss bottoms out near epoch 9 and climbs: overfitting. Early
# stopping ends five epochs after that best one. Augmentation keeps both
# curves together to the end.
#
# The final gap and the best validation score
# -------------------------------------------
# ``vk.gap_summary`` (here as its Display, to print the numbers) reads every
# run's last epoch and its best one. The gap
# is in accuracy, training minus validation at the last epoch: in loss it
# would not compare, since mixup and label smoothing train on other targets
# (their training accuracy is counted against the hard label, for mixup
# the label with the larger weight). Each dot is a seed; the line is the 95 %
# t interval of the mean of three.

display = vk.ml.GapSummaryDisplay.from_runs(runs, by="method", metric="acc", order=methods).plot()
print(display.table.round(3).to_string(index=False))       # the numbers behind the chart
