"""Run a gallery script the way sphinx-gallery does, and hand its figures to pytest-mpl."""

from __future__ import annotations

import contextlib
import runpy
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

# Image baselines are drawn with this Matplotlib minor version (pinned in the
# `test` extra); text rendering differs between minors, so image tests skip elsewhere.
PINNED_MATPLOTLIB = "3.11"

GALLERY = Path(__file__).resolve().parents[2] / "gallery"
SCRIPTS = sorted(GALLERY.glob("[0-9]*/plot_*.py"))


def run_script(path: Path) -> list[Figure]:
    """Run one gallery script from its own folder, as sphinx-gallery does; return the figures it left open."""
    plt.close("all")
    with matplotlib.rc_context(), contextlib.chdir(path.parent):
        runpy.run_path(str(path), run_name="__main__")
    return [plt.figure(number) for number in plt.get_fignums()]


def images_compared() -> bool:
    """True where the image tests run: this Matplotlib is the minor the baselines were drawn with."""
    return ".".join(matplotlib.__version__.split(".")[:2]) == PINNED_MATPLOTLIB


def assert_lints_clean(figures: list[Figure]) -> None:
    """Every figure of a page passes ``vk.lint``; the failure lists each finding."""
    import vizkit as vk

    for figure in figures:
        findings = vk.lint(figure)
        assert findings == [], [str(f) for f in findings]


def _pixels(figure: Figure) -> np.ndarray:
    figure.canvas.draw()
    return np.asarray(figure.canvas.buffer_rgba()).copy()


def stack(figures: list[Figure], dpi: int = 100) -> Figure:
    """One figure holding each figure's rendered pixels, top to bottom, pixel for pixel.

    A page with several figures becomes one image test: the composite is a
    lossless copy of each figure as the gallery saves it (its first draw).
    The figures stay open (the test's teardown closes them), so they can be
    linted after their pixels are taken.
    """
    images = [_pixels(f) for f in figures]
    width = max(image.shape[1] for image in images)
    height = sum(image.shape[0] for image in images)
    composite = Figure(figsize=(width / dpi, height / dpi), dpi=dpi, facecolor="white")
    top = height
    for image in images:
        top -= image.shape[0]
        composite.figimage(image, xo=0, yo=top, origin="upper")
    return composite
