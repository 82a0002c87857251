"""Fixtures for vizkit's tests: seeded data, clean Matplotlib state, image-test gating."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from tests.image.gallery import PINNED_MATPLOTLIB, images_compared


def pytest_collection_modifyitems(config, items):
    if images_compared():
        return
    skip = pytest.mark.skip(
        reason=f"image baselines are drawn with Matplotlib {PINNED_MATPLOTLIB}.x; "
        f"this is {matplotlib.__version__} (install vizkit[test] for the pinned version)"
    )
    for item in items:
        if item.get_closest_marker("mpl_image_compare"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _clean_matplotlib():
    """Every test starts and ends with no figures and the rcParams it found."""
    with matplotlib.rc_context():
        yield
    plt.close("all")


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture
def long_df(rng):
    """Tidy data: 60 rows, a numeric x/y, a 3-level hue and a 2-level style."""
    n = 60
    return pd.DataFrame({
        "x": rng.normal(size=n),
        "y": rng.normal(size=n),
        "group": np.repeat(["a", "b", "c"], n // 3),
        "kind": np.tile(["u", "v"], n // 2),
    })


@pytest.fixture
def wide_df(rng):
    """Wide data: 20 steps, one column per series."""
    return pd.DataFrame(rng.normal(size=(20, 3)).cumsum(axis=0), columns=["a", "b", "c"])
