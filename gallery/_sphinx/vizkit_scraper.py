"""sphinx-gallery scraper: every figure at 100 % in the content column, described in words.

Each figure is saved at a resolution at which it fits the content column of
``_static/gallery.css`` (``COLUMN_PX`` CSS pixels) without being scaled down,
and at which its smallest text still reads at ``MIN_TEXT_PT`` points or more;
a second image at twice the resolution serves sharp screens (``srcset``).
:func:`vizkit.describe` of each panel is the image's alt text and stands under
it in a collapsed block, "Figure N, described", N counting the figures of the
page. The block carries what ``tools/check_gallery.py`` measures: the image
it describes and the size of its smallest text at 100 %.
"""

from __future__ import annotations

import html
import re
from pathlib import Path, PurePosixPath

COLUMN_PX = 1200  # the content column's width for figures, in CSS pixels (_static/gallery.css)
MIN_TEXT_PT = 8.0  # the smallest text a reader sees, in points, at 100 %
CSS_DPI = 96  # CSS pixels per inch: one image pixel is one CSS pixel at 100 %


def _has_data(ax) -> bool:
    return bool(ax.get_visible() and (ax.lines or ax.patches or ax.collections or ax.images)
                and ax.get_label() != "<colorbar>")


def smallest_text_pt(fig) -> float | None:
    """The font size, in points, of the smallest visible text on the figure (tick labels included)."""
    from matplotlib.text import Text

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    sizes = []
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        if text.axes is not None and not text.axes.get_visible():
            continue
        box = text.get_window_extent(renderer)
        if box.width > 0 and fig.bbox.overlaps(box):
            sizes.append(text.get_fontsize())
    return min(sizes) if sizes else None


def css_dpi(fig, smallest: float | None) -> float:
    """Image pixels per inch: the figure's own, raised until its smallest text (``smallest`` points) reads at
    MIN_TEXT_PT, capped where the image would be wider than the column."""
    readable = CSS_DPI * MIN_TEXT_PT / smallest * 1.01 if smallest else 0.0
    return min(COLUMN_PX / fig.get_figwidth(), max(float(fig.dpi), readable))


def describe_figure(fig) -> list[tuple[str, str]]:
    """(panel name, description) for each Axes that shows data."""
    import vizkit as vk

    panels = [ax for ax in fig.axes if _has_data(ax)]
    described = []
    for index, ax in enumerate(panels):
        title = ax.get_title(loc="left") or ax.get_title() or ax.get_title(loc="right")
        title = " ".join(title.split())
        name = "" if len(panels) == 1 else (f"Panel {index + 1}" + (f", {title}" if title else ""))
        described.append((name, vk.describe(ax)))
    return described


def _save(fig, path: PurePosixPath, dpi: float, kwargs: dict) -> float:
    """Save at ``dpi``; if the image came out wider than the column (a tight box), save again narrower."""
    import imagesize

    fig.savefig(path, dpi=dpi, **kwargs)
    width, _ = imagesize.get(str(path))
    if width > COLUMN_PX:
        dpi *= COLUMN_PX / width * 0.999
        fig.savefig(path, dpi=dpi, **kwargs)
    return dpi


def _details(number: int, image: str, described, text_pt: float | None) -> str:
    """The collapsed block under a figure, as raw HTML."""
    if len(described) == 1:
        body = f"<p>{html.escape(described[0][1])}</p>"
    else:
        body = "<ul>" + "".join(f"<li><strong>{html.escape(name)}.</strong> {html.escape(text)}</li>"
                                for name, text in described) + "</ul>"
    size = f' data-min-text-pt="{text_pt:.2f}"' if text_pt else ""
    block = (f'<details class="vizkit-description" data-image="{html.escape(image)}"{size}>'
             f"<summary>Figure {number}, described</summary>{body}</details>")
    return "\n.. raw:: html\n\n    " + " ".join(block.split()) + "\n"  # one line: a break would end the block


def describe_and_scrape(block, block_vars, gallery_conf, **kwargs):
    """Save the block's figures (sized for the column) with their descriptions as alt text and under them."""
    import matplotlib
    import matplotlib.pyplot as plt
    from sphinx_gallery.scrapers import figure_rst

    to_rgba = matplotlib.colors.to_rgba
    rst = []
    try:
        for fig_number, image_path in zip(plt.get_fignums(), block_vars["image_path_iterator"], strict=False):
            fig = plt.figure(fig_number)
            image_path = PurePosixPath(image_path)
            described = describe_figure(fig)
            these = dict(kwargs)
            for attr in ("facecolor", "edgecolor"):  # as Matplotlib's scraper: keep a figure's own colours
                if to_rgba(getattr(fig, f"get_{attr}")()) != to_rgba(matplotlib.rcParams[f"figure.{attr}"]):
                    these.setdefault(attr, getattr(fig, f"get_{attr}")())
            smallest = smallest_text_pt(fig)
            dpi = _save(fig, image_path, css_dpi(fig, smallest), these)
            srcset = {0: image_path}
            for factor in gallery_conf["image_srcset"]:  # sphinx-gallery's names for the sharper copies
                multiple = f"{factor:.2f}".replace(".", "_")
                sharp = image_path.with_name(f"{image_path.stem}_{multiple}x{image_path.suffix}")
                fig.savefig(sharp, dpi=dpi * factor, **these)
                srcset[factor] = sharp
            number = int(re.search(r"_(\d+)$", image_path.stem).group(1))
            alt = f"Figure {number}: " + " ".join(
                (f"{name}: " if name else "") + text for name, text in described) if described else ""
            text_pt = smallest * dpi / CSS_DPI if smallest else None  # its points as shown at 100 %
            image_rst = figure_rst([image_path], gallery_conf["src_dir"], alt, srcsetpaths=[srcset])
            rst.append(image_rst + (_details(number, Path(image_path).name, described, text_pt) if described else ""))
    finally:
        plt.close("all")
    return "".join(rst)
