"""
Readable text on coloured backgrounds
=====================================

White labels on every bar are a common default, and they fail on light
colours. ``vk.text_color_on(color)`` picks black or white, whichever contrasts
more with the colour behind it. Each cell shows its WCAG 2.x contrast ratio
(``vk.contrast_ratio``); normal text needs at least 4.5, and cells below it
are crossed out.
"""

import matplotlib.pyplot as plt

import vizkit as vk

vk.set_theme()
palettes = {"vizkit palette": vk.palette(), "vizkit_seq ramp": vk.palette("vizkit_seq", 10)}
rows = {"always white": lambda color: "white", "vk.text_color_on": vk.text_color_on}

fig, axes = plt.subplots(2, 1, figsize=(7.2, 4.4), dpi=100, layout="constrained")
for ax, (title, colors) in zip(axes, palettes.items()):
    for row, choose in enumerate(rows.values()):
        chips = ax.bar(range(len(colors)), 0.9, bottom=row + 0.05, width=0.92, color=colors)
        for chip in chips:  # colour chips under a label, not data: the lightest must stay light
            chip.set_gid(vk.review.IGNORE)
        for i, color in enumerate(colors):
            ratio = vk.contrast_ratio(choose(color), color)
            label = f"{ratio:.1f}" + ("" if ratio >= 4.5 else "\n✗")
            text = ax.text(i, row + 0.5, label, color=choose(color), ha="center", va="center",
                           fontsize=11, fontweight="bold")
            if ratio < 4.5:  # unreadable on purpose: tell vk.lint this is the bad example
                text.set_gid("vizkit:lint-ignore")
    ax.set_yticks([0.5, 1.5], list(rows))
    ax.set_ylim(2, 0)
    ax.set_xticks([])
    ax.tick_params(axis="y", length=0)
    ax.grid(False)
    ax.spines[["left", "bottom"]].set_visible(False)
    ax.set_title(title)
