"""vk.swatches: a palette drawn as it is and under each colour-vision deficiency."""

import subprocess
import sys

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import same_color
from matplotlib.patches import Rectangle

import vizkit as vk


def _swatches(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def test_swatches_draw_one_row_per_vision_kind():
    fig, ax = plt.subplots()
    vk.swatches("okabe_ito", ax=ax)
    patches = _swatches(ax)
    assert len(patches) == 4 * 8
    assert same_color([p.get_facecolor() for p in patches[:8]], vk.palette("okabe_ito"))
    simulated = vk.simulate_cvd(vk.palette("okabe_ito"), "protanomaly")
    assert same_color([p.get_facecolor() for p in patches[16:24]], simulated)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["normal", "deutan", "protan", "tritan"]


def test_swatches_outline_the_closest_pair_and_print_delta_e():
    fig, ax = plt.subplots()
    vk.swatches("tab10", ax=ax)
    data = vk.plotted_data(ax)
    report = vk.check_cvd("tab10")
    protan = data[data["vision"] == "protan"]
    assert protan.loc[protan["closest"], "position"].tolist() == list(report.closest_pair["protanomaly"])
    assert protan["min_delta_e"].iloc[0] == pytest.approx(report.min_delta_e["protanomaly"])
    outlined = [i for i, p in enumerate(_swatches(ax)[20:30]) if p.get_linewidth() > 0]
    assert outlined == list(report.closest_pair["protanomaly"])
    labels = [t.get_text() for t in ax.texts]
    assert labels[0] == "min ΔE 20.2" and labels[2] == "min ΔE 1.6  ✗"


def test_swatches_without_cvd_rows_and_with_a_ramp():
    fig, ax = plt.subplots()
    vk.swatches("viridis", n=5, cvd=False, ax=ax)
    assert len(_swatches(ax)) == 5
    assert set(vk.plotted_data(ax)["vision"]) == {"normal"}


def test_swatches_without_ax_draw_a_figure_of_their_own_and_check_input():
    # Regression (issue 12): on the current Axes, the README's swatches landed on a stocks chart's date axis.
    fig, ax = plt.subplots()
    own = vk.swatches()
    assert own is not ax and own.figure is not fig and not ax.patches
    assert own.figure.get_layout_engine() is not None  # room for the row names and ΔE notes
    assert vk.swatches(ax=ax) is ax  # an ax given is used
    n_figures = len(plt.get_fignums())
    with pytest.raises(vk.errors.VizkitValueError, match="`colors` must be a vizkit palette"):
        vk.swatches("nope")
    assert len(plt.get_fignums()) == n_figures  # a refused call makes no figure



def test_simulating_colour_blindness_leaves_numpys_print_options_alone():
    """colour-science switches NumPy to legacy printing when first imported; vizkit puts it back."""
    script = ("import numpy as np, vizkit as vk; before = np.get_printoptions(); "
              "vk.simulate_cvd(['red'], 'deutan'); assert np.get_printoptions() == before; "
              "print(repr(np.float64(0.5)))")
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert shown.strip() == "np.float64(0.5)"


def test_the_number_of_colours_is_capped_and_errors_name_each_functions_argument():
    with pytest.raises(vk.errors.VizkitValueError, match=r"`n` must be an int >= 1 and <= 10000; got 10000000"):
        vk.palette("viridis", 10**7)
    with pytest.raises(vk.errors.VizkitValueError, match=r"`n` must be an int >= 1 and <= 256"):
        vk.swatches(n=10**30)
    with pytest.raises(vk.errors.VizkitValueError, match=r"`colors` must be at most 256 colours .*; got 300 colours"):
        vk.swatches(["red", "blue"] * 150)
    with pytest.raises(vk.errors.VizkitValueError, match="`x` must be a vizkit palette"):
        vk.check_cvd("nope")
    assert len(vk.palette("viridis", 10_000)) == 10_000
