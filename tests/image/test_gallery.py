"""Every gallery script is an image test: the same code, compared with a reviewed baseline.

Regenerate on purpose with `make baselines`, then look at each PNG.
"""

import pytest

from tests.image.gallery import SCRIPTS, assert_lints_clean, run_script, stack


def test_every_section_has_a_readme():
    sections = {script.parent for script in SCRIPTS}
    assert sections, "no gallery scripts found"
    for section in sections:
        assert (section / "README.txt").is_file()


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
@pytest.mark.mpl_image_compare
def test_gallery_figure(script):
    """The page matches its reviewed baseline and lints clean."""
    figures = run_script(script)
    assert figures, f"{script.name} drew no figure"
    composite = stack(figures)  # the pixels of each figure's first draw, as the gallery saves it
    assert_lints_clean(figures)  # one run of the page for both checks (tests/test_review.py lints where this skips)
    return composite


def test_stack_copies_every_figure_pixel_for_pixel(tmp_path):
    import io

    import matplotlib.pyplot as plt
    import numpy as np

    from tests.image.gallery import _pixels

    first, ax = plt.subplots(figsize=(2, 1), dpi=100)
    ax.plot([0, 1], [1, 0])
    second = plt.figure(figsize=(3, 1.5), dpi=100, facecolor="black")
    expected = [_pixels(first), _pixels(second)]
    composite = stack([first, second])
    buffer = io.BytesIO()
    composite.savefig(buffer, format="png", dpi=100)
    got = plt.imread(io.BytesIO(buffer.getvalue()))
    got = (got * 255).round().astype(np.uint8)
    assert got.shape[:2] == (100 + 150, 300)
    np.testing.assert_array_equal(got[:100, :200], expected[0])
    np.testing.assert_array_equal(got[100:, :300], expected[1])
    assert (got[:100, 200:, :3] == 255).all()  # the narrower figure is padded in white
