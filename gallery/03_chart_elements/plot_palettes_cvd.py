"""
Palettes under colour-vision deficiency
=======================================

About one man in twelve sees colours differently. Each palette below is drawn
as it is and as simulated for deuteranomaly, protanomaly and tritanomaly at
full severity (Machado 2009); the number ending each row is the smallest
colour difference between any two of its colours (CAM02-UCS ΔE), and the two
closest colours are outlined. vizkit's default comes as two palettes, one
per face (the theme picks it): ``vizkit`` for white and ``vizkit_dark`` for
the dark face. Each keeps its first eight colours at least 14.7 apart under
every kind (the rows below show all ten: the last two only extend the
palette, for charts that past eight levels add line styles, hatches or
markers, and keep every pair at least 10 apart), no grey among them (grey means "the rest" in a highlight), and
every colour at least 3:1 against its face, so thin lines and markers read;
Matplotlib's ``tab10`` and seaborn's ``colorblind`` fall to 1.6 and 5.8
under protanomaly.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()

# %%
# Categorical palettes: every pair must stay distinct.
fig, axes = plt.subplots(5, 1, figsize=(7.2, 10.5), dpi=100, layout="constrained")
for ax, name in zip(axes, ["vizkit", "vizkit_dark", "okabe_ito", "colorblind", "tab10"]):
    vk.swatches(name, ax=ax)
    ax.set_title(name)

# %%
# The same numbers as a report, for use in code and tests.
print(vk.check_cvd(vk.palette("vizkit")[:8]))

# %%
# Sequential and diverging palettes, sampled in 9 steps: neighbouring steps
# must stay distinct, and a ramp must keep its order of lightness. Nine steps
# across a ramp sit about 10 apart at best, so rows are marked against ΔE 5.
fig, axes = plt.subplots(3, 1, figsize=(7.2, 6.3), dpi=100, layout="constrained")
for ax, name in zip(axes, ["vizkit_seq", "viridis", "vizkit_div"]):
    vk.swatches(name, n=9, threshold=5, ax=ax)
    ax.set_title(name)
