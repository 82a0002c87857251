"""Pass-through keywords: a typo or a wrong value names the keyword in every chart, before anything is drawn."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import vizkit as vk
from vizkit.errors import VizkitTypeError, VizkitValueError


@pytest.fixture
def df():
    return pd.DataFrame({"epoch": [1, 2, 3, 4], "loss": [0.9, 0.6, 0.5, 0.4], "lr": [0.1, 0.05, 0.02, 0.01],
                         "run": ["a", "a", "b", "b"]})


@pytest.mark.parametrize("chart, kws, typo, right", [
    (vk.bar, {"x": "run", "y": "loss"}, "colour", "color"),
    (vk.bar, {"x": "run"}, "edgecolour", "edgecolor"),
    (vk.scatter, {"x": "epoch", "y": "loss"}, "edgecolour", "edgecolor"),
    (vk.scatter, {"x": "epoch", "y": "loss"}, "linewidht", "linewidth"),
    (vk.line, {"x": "epoch", "y": "loss"}, "colour", "color"),
    (vk.dual_axis, {"x": "epoch", "left": "loss", "right": "lr"}, "linewidht", "linewidth"),
])
def test_a_misspelt_keyword_is_named_with_the_right_one(df, chart, kws, typo, right):
    with pytest.raises(VizkitValueError, match=rf"`{typo}` must be a Matplotlib \w+ property.*Did you mean '{right}'"):
        chart(df, **kws, **{typo: "red"})
    assert not plt.gca().patches and not plt.gca().lines and not plt.gca().collections  # nothing drawn


def test_facet_names_a_typo_of_its_own_arguments_and_of_the_chart(df):
    with pytest.raises(VizkitValueError, match=r"`colwrap` must be a facet\(\) argument.*Did you mean 'col_wrap'"):
        vk.facet(df, chart=vk.bar, col="run", x="epoch", colwrap=2)
    with pytest.raises(VizkitValueError, match=r"`colour` must be a Matplotlib Rectangle property.*'color'"):
        vk.facet(df, chart=vk.bar, col="run", x="epoch", colour="red")
    assert not plt.get_fignums()  # the refused grid is closed


def test_swatches_checks_its_patch_keywords():
    with pytest.raises(VizkitValueError, match=r"`hatchh` must be a Matplotlib Rectangle property.*'hatch'"):
        vk.swatches("okabe_ito", hatchh="//")
    with pytest.raises(VizkitValueError, match=r"`edgecolor` must be unset"):
        vk.swatches("okabe_ito", edgecolor="red")
    ax = vk.swatches("okabe_ito", alpha=0.5, cvd=False)
    assert all(patch.get_alpha() == 0.5 for patch in ax.patches)


def test_wrong_values_name_the_keyword_and_what_it_must_be(df):
    with pytest.raises(VizkitTypeError, match=r"`alpha` must be a value Matplotlib's Rectangle accepts"):
        vk.bar(df, x="run", alpha="0.5")
    with pytest.raises(VizkitValueError, match=r"`alpha` must be a value Matplotlib's Rectangle accepts"):
        vk.bar(df, x="run", alpha=-1)
    with pytest.raises(VizkitTypeError, match=r"`width` must be a number > 0"):
        vk.bar(df, x="run", width=[0.1, 0.2, 0.3])
    with pytest.raises(VizkitTypeError, match=r"`hatch` must be"):
        vk.bar(df, x="run", hatch=2.0)
    with pytest.raises(VizkitValueError, match=r"`height` must be unset"):
        vk.bar(df, x="run", height=3)
    with pytest.raises(VizkitValueError, match=r"`color` must be unset: each side's line"):
        vk.dual_axis(df, x="epoch", left="loss", right="lr", color="red")


def test_aliases_and_good_values_still_reach_the_artists(df):
    ax = vk.bar(df, x="run", y="loss", ec="black", lw=2, width=0.5, alpha=0.5)
    assert all(p.get_linewidth() == 2 and p.get_alpha() == 0.5 and p.get_width() == 0.5 for p in ax.patches)
    plt.close("all")
    left, right = vk.dual_axis(df, x="epoch", left="loss", right="lr", linestyle="--")
    assert left.lines[0].get_linestyle() == right.lines[0].get_linestyle() == "--"
