"""
Heatmaps and confusion matrices
===============================

A heatmap shows a matrix at a glance: colour carries the value, position the
row and column. Three choices make it honest. A quantity that only grows
(counts, rates) gets a sequential ramp from light to dark; a signed one
(a correlation) gets a diverging ramp whose neutral middle sits at the value
that means "nothing" (``center=0``), with limits symmetric around it so equal
distances look equally strong. Numbers written in the cells must read on
every colour: ``vk.heatmap`` writes each in ink or white, whichever reaches
4.5:1 on that cell. And what repeats is left out: a correlation matrix's upper
triangle mirrors the lower, so ``mask=`` hides it.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

import vizkit as vk

vk.set_theme()
penguins = vk.load_dataset("penguins")
measures = penguins[["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]]
corr = measures.corr().iloc[1:, :-1]  # the diagonal (all 1) and the mirrored half say nothing new

fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), dpi=100, layout="constrained")
vk.heatmap(corr, center=0, vmin=-1, vmax=1, annot=True, square=True, label="Pearson r",
           mask=np.triu(np.ones(corr.shape, dtype=bool), k=1), ax=axes[0])
axes[0].set_title("All three species")
adelie = measures[penguins["species"] == "Adelie"].corr().iloc[1:, :-1]
vk.heatmap(adelie, center=0, vmin=-1, vmax=1, annot=True, square=True, label="Pearson r",
           mask=np.triu(np.ones(adelie.shape, dtype=bool), k=1), ax=axes[1])
axes[1].set_title("Adelie only")

# %%
# The pooled -0.24 between bill length and depth turns positive within a species
# (Simpson's paradox): a correlation matrix of mixed groups can mislead.
#
# A confusion matrix is a heatmap of counts: true classes down the rows,
# predicted classes across. scikit-learn counts, vizkit draws. With
# ``normalize="true"`` each row shows where that class's samples went, so the
# diagonal is each digit's recall and a pale off-diagonal cell is a mistake
# the model makes often (here, an 8 read as a 1).
X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X / 16, y, test_size=0.4, random_state=0)
model = LogisticRegression(max_iter=300).fit(X_train, y_train)
predicted = model.predict(X_test)

fig, axes = plt.subplots(1, 2, figsize=(11, 4.6), dpi=100, layout="constrained")
vk.confusion_matrix(y_test, predicted, ax=axes[0])
axes[0].set_title(f"Digits: {np.mean(predicted == y_test):.1%} right, counts")
vk.confusion_matrix(y_test, predicted, normalize="true", ax=axes[1])
axes[1].set_title("Share of each true digit")
