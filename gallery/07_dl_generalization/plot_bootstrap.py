"""
The bootstrap: a statistic's uncertainty, and a model's error from resamples
============================================================================

Resampling the data with replacement, as often as we like, stands in for
drawing new samples from the population we cannot draw from again. The
spread of a statistic over the resamples is its sampling distribution, and
its central 95 % is a confidence interval (the *percentile* interval).
``vk.bootstrap`` resamples through ``scipy.stats.bootstrap`` and draws that
distribution, the interval and the statistic of the data itself: here the
mean bill length of the 342 measured penguins.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()

penguins = vk.load_dataset("penguins").dropna(subset=["bill_length_mm"])
fig, ax = plt.subplots(figsize=(7.2, 3.6), dpi=100, layout="constrained")
vk.bootstrap(penguins, x="bill_length_mm", statistic="mean", n_resamples=9999, random_state=0, ax=ax)
ax.set_title("Mean bill length of the penguins: 9,999 resamples")

# %%
# A model's error by the bootstrap
# --------------------------------
#
# Each resample holds about 63.2 % of the distinct rows: a row is missed by
# all *n* draws with probability (1 - 1/n)\ :sup:`n`, about 1/e = 0.368. A
# model fitted on a resample can be scored on the rows it never saw (out of
# bag), which is pessimistic (it learned from 63 % of the rows), while its
# training error is optimistic. Efron's **.632** estimate weighs the
# leave-one-out bootstrap error (each row's error over the fits that left it
# out) by 0.632 and the training error by 0.368. When the model overfits,
# that is still too optimistic, and Efron and Tibshirani's **.632+** moves
# the weight towards the out-of-bag error by the relative overfitting rate,
# measured against the no-information error (the error when labels and
# predictions are paired at random). The 1-nearest-neighbour classifier on
# the raw wine features (no scaling, so one feature in the hundreds
# dominates the distances) is their example of a rule that overfits: its
# training error is 0, and the two estimates part. ``training_error="full"``
# follows the papers; the default, ``"resample"``, forms the estimates per
# resample as mlxtend's ``bootstrap_point632_score`` does, and gives its
# numbers for the same resamples.

from sklearn.datasets import load_wine  # noqa: E402
from sklearn.neighbors import KNeighborsClassifier  # noqa: E402

X, y = load_wine(return_X_y=True)
fig, ax = plt.subplots(figsize=(7.2, 3.6), dpi=100, layout="constrained")
display = vk.ml.Bootstrap632Display.from_estimator(KNeighborsClassifier(n_neighbors=1), X, y, n_resamples=100,
                                                   training_error="full", random_state=0).plot(ax=ax)
ax.set_title("1-nearest neighbour on the wine data: 100 bootstrap fits")
print(f"left out per resample: {display.oob_fraction_:.3f} (1/e = 0.368); "
      f".632: {display.err_632_:.3f}, .632+: {display.err_632plus_:.3f}")
