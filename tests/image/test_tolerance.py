"""The image-test tolerance is chosen by measurement, and this test keeps it honest.

It draws a typical vizkit figure and variants of it, and measures each
against the original with the RMS pytest-mpl uses. The tolerance in
pyproject.toml must pass a re-render and fail a changed line colour, a
removed legend and a line shifted by 2 pixels. Print the table with
`python -m tests.image.test_tolerance`.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.testing.compare import compare_images
from matplotlib.transforms import offset_copy

import vizkit as vk

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
TOLERANCE = float(tomllib.loads(PYPROJECT.read_text())["tool"]["pytest"]["ini_options"]["mpl-default-tolerance"])
SIZES = {"small (400x300)": (4.0, 3.0), "gallery (720x440)": (7.2, 4.4)}
VARIANTS = ["same", "line colour", "legend removed", "line shifted 2 px"]


def draw(variant: str, figsize) -> Figure:
    """Two lines with title, labels and legend, in the vizkit theme; ``variant`` changes one thing."""
    x = np.linspace(0, 10, 200)
    with vk.theme():
        fig = Figure(figsize=figsize, dpi=100)
        ax = fig.add_subplot()
        ax.plot(x, np.sin(x), label="train")
        (val,) = ax.plot(x, np.cos(x) * 0.8, label="validation")
        ax.set(title="Loss", xlabel="epoch", ylabel="loss")
        if variant != "legend removed":
            ax.legend(loc="upper right")
        if variant == "line colour":
            val.set_color(vk.palette()[2])
        if variant == "line shifted 2 px":
            val.set_transform(offset_copy(val.get_transform(), fig=fig, y=2, units="dots"))
    return fig


def rms(variant: str, figsize, folder: Path) -> float:
    """RMS between the reference figure and ``variant``, as pytest-mpl computes it."""
    expected, actual = folder / "expected.png", folder / f"{variant.replace(' ', '_')}.png"
    draw("same", figsize).savefig(expected)
    draw(variant, figsize).savefig(actual)
    result = compare_images(str(expected), str(actual), tol=0, in_decorator=True)
    return 0.0 if result is None else float(result["rms"])


@pytest.mark.parametrize("figsize", SIZES.values(), ids=SIZES.keys())
@pytest.mark.parametrize("variant", VARIANTS)
def test_tolerance_passes_only_the_same_figure(variant, figsize, tmp_path):
    value = rms(variant, figsize, tmp_path)
    if variant == "same":
        assert value <= TOLERANCE
    else:
        assert value > TOLERANCE, f"{variant}: RMS {value:.2f} would pass at tolerance {TOLERANCE}"


if __name__ == "__main__":
    import tempfile

    print(f"tolerance in pyproject.toml: {TOLERANCE}")
    print(f"{'change':<20}" + "".join(f"{name:>20}" for name in SIZES))
    with tempfile.TemporaryDirectory() as tmp:
        for variant in VARIANTS:
            values = [rms(variant, size, Path(tmp)) for size in SIZES.values()]
            print(f"{variant:<20}" + "".join(f"{v:>20.2f}" for v in values))
