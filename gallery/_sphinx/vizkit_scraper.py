"""sphinx-gallery scraper: Matplotlib's, plus vizkit.describe text under every figure.

The text is the figure's alt text in words: what a reader who cannot see the
chart needs to know (its kind, axes, series and their ranges).
"""

from __future__ import annotations

from sphinx_gallery.scrapers import matplotlib_scraper

_SPECIAL = "\\*`|_"


def _escape(text: str) -> str:
    for character in _SPECIAL:
        text = text.replace(character, "\\" + character)
    return text


def _has_data(ax) -> bool:
    return bool(ax.get_visible() and (ax.lines or ax.patches or ax.collections or ax.images)
                and ax.get_label() != "<colorbar>")


def describe_and_scrape(block, block_vars, gallery_conf, **kwargs):
    """Save the block's figures (as Matplotlib's scraper does) and describe each in a paragraph."""
    import matplotlib.pyplot as plt

    import vizkit as vk

    descriptions = []
    for number in plt.get_fignums():
        panels = [vk.describe(ax) for ax in plt.figure(number).axes if _has_data(ax)]
        if panels:
            descriptions.append(" ".join(panels))
    rst = matplotlib_scraper(block, block_vars, gallery_conf, **kwargs)
    if not rst or not descriptions:
        return rst
    paragraphs = "\n\n".join(f"*Figure {i + 1}, described:* {_escape(text)}" for i, text in enumerate(descriptions))
    return f"{rst}\n\n.. container:: vizkit-description\n\n" + "\n".join(
        "    " + line for line in paragraphs.splitlines()) + "\n"
