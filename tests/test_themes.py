"""Themes: rcParams applied and restored exactly, context scaling, the bundled style sheets."""

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import same_color

import vizkit as vk
import vizkit.styles
from vizkit.errors import VizkitTypeError, VizkitValueError
from vizkit.styles._generate import sheet_text
from vizkit.themes import _SHEETS, _theme_rc

SIZE_KEYS = ["font.size", "axes.labelsize", "axes.titlesize", "xtick.labelsize", "legend.fontsize",
             "lines.linewidth", "axes.linewidth", "grid.linewidth", "lines.markersize", "xtick.major.width"]


def test_set_theme_applies_style_context_and_palette():
    vk.set_theme()
    assert mpl.rcParams["axes.spines.top"] is False
    assert mpl.rcParams["axes.titlelocation"] == "left"
    assert same_color(mpl.rcParams["axes.prop_cycle"].by_key()["color"], vk.palette())
    vk.set_theme(palette="okabe_ito", rc={"axes.grid": False})
    assert same_color(mpl.rcParams["axes.prop_cycle"].by_key()["color"], vk.palette("okabe_ito"))
    assert mpl.rcParams["axes.grid"] is False


def test_theme_context_restores_rcparams_exactly():
    mpl.rcParams["lines.linewidth"] = 3.3  # a user's own setting must survive too
    before = dict(mpl.rcParams)
    with vk.theme(style="dark", context="poster", palette="tab10", rc={"axes.grid": False}):
        assert mpl.rcParams["axes.facecolor"] == vk.colors.DARK_PAPER
        assert mpl.rcParams["lines.linewidth"] == 3.5
    assert dict(mpl.rcParams) == before


def test_theme_context_restores_after_an_error():
    before = dict(mpl.rcParams)
    with pytest.raises(RuntimeError):
        with vk.theme(context="talk"):
            raise RuntimeError("boom")
    assert dict(mpl.rcParams) == before


def test_figures_made_inside_theme_keep_its_look_when_drawn_later():
    with vk.theme(style="dark", context="talk"):
        fig, ax = plt.subplots()
        ax.plot([0, 1])
    fig.canvas.draw()
    tick = ax.xaxis.get_major_ticks()[0]
    assert tick.label1.get_fontsize() == pytest.approx(15.0)
    assert same_color(tick.gridline.get_color(), vk.colors.DARK_GRID)
    assert same_color(fig.get_facecolor(), vk.colors.DARK_PAPER)


@pytest.mark.parametrize("key", SIZE_KEYS)
def test_contexts_scale_like_seaborn(key):
    sizes = [_theme_rc(context=c)[key] for c in vk.themes.contexts_available()]
    assert sizes == sorted(sizes) and len(set(sizes)) == 4  # paper < notebook < talk < poster
    notebook = _theme_rc(context="notebook")[key]
    assert _theme_rc(context="talk")[key] == pytest.approx(1.5 * notebook)
    assert _theme_rc(context="paper")[key] == pytest.approx(0.8 * notebook)


def test_bad_theme_arguments():
    with pytest.raises(VizkitValueError, match=r"`style` must be one of 'vizkit', 'dark'; got 'darkk'.*Did you mean 'dark'"):
        vk.set_theme(style="darkk")
    with pytest.raises(VizkitValueError, match=r"`context` must be one of 'paper', 'notebook', 'talk', 'poster'"):
        vk.set_theme(context="slides")
    with pytest.raises(VizkitValueError, match=r"`rc` must be a dict whose keys are Matplotlib rcParams; got 'axes.gird'.*'axes.grid'"):
        vk.set_theme(rc={"axes.gird": True})
    with pytest.raises(VizkitValueError, match=r"`rc\['lines.linewidth'\]` must be a value Matplotlib accepts"):
        vk.set_theme(rc={"lines.linewidth": "thick"})
    with pytest.raises(VizkitTypeError, match="`rc` must be a dict"):
        vk.set_theme(rc=[("axes.grid", False)])


def test_a_failed_set_theme_changes_nothing():
    before = dict(mpl.rcParams)
    with pytest.raises(VizkitValueError):
        vk.set_theme(context="talk", rc={"nope": 1})
    assert dict(mpl.rcParams) == before


def test_bundled_sheets_are_listed():
    assert vizkit.styles.available == sorted(_SHEETS)
    assert {"vizkit", "paper", "talk", "dark"} <= set(vizkit.styles.available)


@pytest.mark.parametrize("name", sorted(_SHEETS))
def test_sheet_file_is_up_to_date(name):
    path = vizkit.styles._generate.HERE / f"{name}.mplstyle"
    assert path.read_text() == sheet_text(name), "run: python -m vizkit.styles._generate"


@pytest.mark.parametrize("name", sorted(_SHEETS))
def test_plain_matplotlib_style_use_equals_the_theme(name):
    style, context = _SHEETS[name]
    with vk.theme(style=style, context=context):
        themed = dict(mpl.rcParams)
    with plt.style.context(f"vizkit.styles.{name}"):
        sheet = dict(mpl.rcParams)
    assert sheet == themed
