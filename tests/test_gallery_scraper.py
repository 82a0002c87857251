"""The gallery's scraper (gallery/_sphinx/vizkit_scraper.py): figures sized to be read at 100 %, described."""

import importlib.util
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest

import vizkit as vk

SCRAPER = Path(__file__).resolve().parents[1] / "gallery" / "_sphinx" / "vizkit_scraper.py"
spec = importlib.util.spec_from_file_location("vizkit_scraper", SCRAPER)
scraper = importlib.util.module_from_spec(spec)
spec.loader.exec_module(scraper)


def _shown(fig, dpi):
    """(width in CSS pixels at 100 %, smallest text in points as shown) for a figure saved at ``dpi``."""
    smallest = scraper.smallest_text_pt(fig)
    return fig.get_figwidth() * dpi, smallest * dpi / scraper.CSS_DPI


def test_a_wide_figure_fits_the_column_with_its_text_still_readable():
    fig, axes = plt.subplots(1, 4, figsize=(14, 3.4), dpi=100)  # the widest gallery figure: 1400 px at its dpi
    for ax in axes:
        ax.plot([0, 1], [0, 1])
    width, text_pt = _shown(fig, scraper.css_dpi(fig, scraper.smallest_text_pt(fig)))
    assert width <= scraper.COLUMN_PX
    assert text_pt >= scraper.MIN_TEXT_PT
    plt.close(fig)


def test_small_text_raises_the_resolution_until_it_reads_at_8_pt():
    fig, ax = plt.subplots(figsize=(6.4, 3.8), dpi=100)
    ax.plot([0, 1], [0, 1])
    ax.tick_params(labelsize="x-small")  # 7.6 pt with vizkit's theme: 7.9 pt as shown at 100 dpi
    dpi = scraper.css_dpi(fig, scraper.smallest_text_pt(fig))
    assert dpi > 100
    assert _shown(fig, dpi)[1] >= scraper.MIN_TEXT_PT
    plt.close(fig)


def test_a_figure_is_described_panel_by_panel_without_its_colour_bar():
    penguins = vk.load_dataset("penguins")
    fig, (left, right) = plt.subplots(1, 2)
    vk.bar(penguins, x="species", ax=left)
    left.set_title("Counts")
    image = right.imshow(np.arange(12.0).reshape(3, 4))
    fig.colorbar(image, ax=right)
    described = scraper.describe_figure(fig)
    assert [name for name, _ in described] == ["Panel 1, Counts", "Panel 2"]
    assert described[0][1] == vk.describe(left)
    assert "An image of 3 × 4 cells, values from 0 to 11." in described[1][1]
    plt.close(fig)


def test_the_description_block_is_collapsed_numbered_and_escaped():
    block = scraper._details(3, "sphx_glr_plot_a_003.png", [("", "Bar chart titled '<b>&'.")], 8.57)
    assert block.startswith("\n.. raw:: html\n\n    <details ")
    assert "<summary>Figure 3, described</summary>" in block
    assert 'data-image="sphx_glr_plot_a_003.png" data-min-text-pt="8.57"' in block
    assert "&lt;b&gt;&amp;" in block and "<b>" not in block
    assert " open" not in block  # collapsed until the reader opens it


def test_the_scraper_saves_each_figure_for_the_column_and_describes_it(tmp_path):
    pytest.importorskip("sphinx_gallery")
    import imagesize

    fig, ax = plt.subplots(figsize=(14, 3), dpi=100)
    ax.plot([1, 2, 3], [3, 1, 2], label="train")
    small, _ = plt.subplots(figsize=(4, 3), dpi=100)
    small.axes[0].plot([1, 2], [1, 2])
    paths = iter([tmp_path / "sphx_glr_plot_a_004.png", tmp_path / "sphx_glr_plot_a_005.png"])
    rst = scraper.describe_and_scrape(None, {"image_path_iterator": paths},
                                      {"src_dir": str(tmp_path), "image_srcset": [2.0]})
    assert imagesize.get(str(tmp_path / "sphx_glr_plot_a_004.png"))[0] <= scraper.COLUMN_PX
    assert imagesize.get(str(tmp_path / "sphx_glr_plot_a_004_2_00x.png"))[0] > scraper.COLUMN_PX
    assert ":alt: Figure 4: Line chart." in rst and "<summary>Figure 5, described</summary>" in rst
    assert rst.index("sphx_glr_plot_a_004.png") < rst.index("Figure 4, described") < rst.index("sphx_glr_plot_a_005")
    assert plt.get_fignums() == []
