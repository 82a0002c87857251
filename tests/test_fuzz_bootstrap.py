"""vk.bootstrap on what real users pass: a chart of every resample, or a vizkit error naming the argument.

The frames are those of ``tests/test_fuzz_charts.py`` (nullable dtypes,
Categoricals, tz-aware datetimes, ``Decimal``, duplicate and MultiIndex
column names). Whatever is drawn resamples the column's non-NaN values.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import vizkit as vk
from tests.fuzzing import fuzz_settings
from tests.test_fuzz_charts import a_column, frames, mostly, outcome


@fuzz_settings(40)
@given(data=st.data(), frame=frames())
def test_fuzz_bootstrap(data, frame):
    x = data.draw(a_column(frame), label="x")
    options = data.draw(st.fixed_dictionaries({}, optional={
        "statistic": mostly(st.sampled_from(["mean", "median", "std", np.max]), st.sampled_from(["avg", 3, None])),
        "n_resamples": mostly(st.integers(2, 60), st.sampled_from([0, 1, 2.5, "10"])),
        "confidence_level": mostly(st.sampled_from([0.5, 0.9, 0.95]), st.sampled_from([0, 1, 95, "0.9"])),
        "method": mostly(st.sampled_from(["percentile", "basic"]), st.sampled_from(["bca", None])),
        "random_state": mostly(st.integers(0, 5), st.sampled_from([-1, 1.5, "seed"])),
    }), label="options")
    ax = outcome(lambda: vk.bootstrap(frame, x=x, **options))
    if ax is None:
        return
    drawn = vk.plotted_data(ax)
    column = frame[x]
    values = pd.to_numeric(column).to_numpy(dtype=float, na_value=np.nan)
    values = values[~np.isnan(values)]
    assert drawn.attrs["n"] == values.size >= 2
    assert drawn["count"].sum() <= drawn.attrs["n_resamples"] == options.get("n_resamples", 9999)
    low, high = drawn.attrs["ci_low"], drawn.attrs["ci_high"]
    assert not (low > high)                                          # NaN only for a degenerate sample
    if options.get("statistic", "mean") == "mean":
        assert np.isclose(drawn.attrs["estimate"], values.mean())
    plt.close("all")
