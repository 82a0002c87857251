"""The distribution charts on what real users pass: a correct chart or a vizkit error naming the argument.

The frames and keywords are those of ``tests/test_fuzz_charts.py`` (nullable
dtypes, Categoricals with unused levels, tz-aware datetimes, ``Decimal``,
duplicate and MultiIndex column names, misspelt keywords). Whatever is drawn
counts every row that has a value, and nothing else.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import vizkit as vk
from tests.fuzzing import fuzz_settings
from tests.test_fuzz_charts import PALETTES, a_column, extra_kws, frames, mostly, outcome, rows_with

EXAMPLES = 60


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@fuzz_settings(EXAMPLES)
@given(data=st.data(), frame=frames())
def test_fuzz_hist(data, frame):
    x = data.draw(a_column(frame), label="x")
    hue = data.draw(st.one_of(st.none(), a_column(frame)), label="hue")
    options = data.draw(st.fixed_dictionaries({}, optional={
        "bins": mostly(st.sampled_from([1, 5, "auto", "sturges", [-1, 0, 1]]), st.sampled_from([0, "many", [1, 0]])),
        "stat": mostly(st.sampled_from(["count", "density", "probability", "percent"]), st.just("frequency")),
        "multiple": mostly(st.sampled_from(["layer", "stack", "dodge"]), st.just("fill")),
        "element": mostly(st.sampled_from(["bars", "step"]), st.just("poly")), "palette": PALETTES,
    }), label="options")
    options |= data.draw(extra_kws(["edgecolor", "linewidth", "color", "alpha"]), label="kws")

    def call():
        ax = vk.hist(frame, x=x, hue=hue, **options)
        drawn = vk.plotted_data(ax)
        assert drawn["count"].sum() + drawn.attrs["outside"] == rows_with(frame, x, hue).sum()
        return ax

    outcome(call)


@fuzz_settings(EXAMPLES)
@given(data=st.data(), frame=frames())
def test_fuzz_kde_and_ecdf(data, frame):
    x = data.draw(a_column(frame), label="x")
    hue = data.draw(st.one_of(st.none(), a_column(frame)), label="hue")
    options = data.draw(st.fixed_dictionaries({}, optional={
        "bw_adjust": mostly(st.floats(0.2, 3), st.sampled_from([0, -1, "wide"])),
        "cut": mostly(st.floats(0, 4), st.sampled_from([-1, None])), "palette": PALETTES,
        "fill": mostly(st.booleans(), st.just("yes")),
    }), label="options")

    def kde():
        ax = vk.kde(frame, x=x, hue=hue, **options)
        assert np.isfinite(vk.plotted_data(ax).get("density", [])).all()
        return ax

    def ecdf():
        ax = vk.ecdf(frame, x=x, hue=hue, palette=options.get("palette"), stat="count")
        drawn = vk.plotted_data(ax)
        top = drawn.groupby("hue")["cumulative"].max().sum() if hue is not None else drawn["cumulative"].max()
        assert top == rows_with(frame, x, hue).sum()
        return ax

    outcome(kde)
    outcome(ecdf)


@fuzz_settings(EXAMPLES)
@given(data=st.data(), frame=frames())
def test_fuzz_box_violin_ridgeline(data, frame):
    x, y = data.draw(a_column(frame), label="x"), data.draw(st.one_of(st.none(), a_column(frame)), label="y")
    hue = data.draw(st.one_of(st.none(), a_column(frame)), label="hue")
    orient = data.draw(mostly(st.sampled_from([None, "v", "h"]), st.just("up")), label="orient")

    def box():
        ax = vk.box(frame, x=x, y=y, hue=hue, orient=orient)
        assert vk.plotted_data(ax)["n"].sum() == rows_with(frame, x, y, hue).sum()
        return ax

    outcome(box)
    outcome(lambda: vk.violin(frame, x=x, y=y, hue=hue, orient=orient))
    outcome(lambda: vk.ridgeline(frame, x=x, by=y, kind=data.draw(st.sampled_from(["kde", "hist"]), label="kind")))
