"""The colour system: palettes, colormaps, highlight, WCAG contrast, CVD simulation and checks."""

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.colors import same_color, to_rgb

import vizkit as vk
from vizkit.errors import VizkitError, VizkitTypeError, VizkitValueError
from tests.fuzzing import fuzz_settings

# Research table (shared/research/plotting.md §1e), measured with colorspacious
# independently of vizkit: min pairwise CAM02-UCS ΔE of the first 8 colours.
PUBLISHED = {
    "okabe_ito": (14.8, 14.0, 11.0),
    "colorblind": (8.5, 5.8, 6.1),
    "tab10": (5.2, 1.6, 9.4),
}
KINDS = ("deuteranomaly", "protanomaly", "tritanomaly")


def test_default_palette_is_the_cvd_safe_one():
    assert vk.palette() == vk.palette("vizkit")
    assert same_color(vk.palette("petroff10"), mpl.color_sequences["petroff10"])  # the old default, kept


@pytest.mark.parametrize(("name", "face"), [("vizkit", "#ffffff"), ("vizkit_dark", "#1c1e23")])
def test_each_face_has_a_default_palette_whose_thin_marks_read_on_it(name, face):
    """Issue 12 §2: 3:1 against the face for every colour (WCAG 1.4.11), no greys, blue then orange."""
    from matplotlib.colors import rgb_to_hsv

    colors = vk.palette(name)
    assert len(colors) == 10
    assert min(vk.contrast_ratio(c, face) for c in colors) >= 3.0
    assert min(rgb_to_hsv(c)[1] for c in colors) >= 0.3  # none reads as the highlight grey
    hues = [rgb_to_hsv(c)[0] * 360 for c in colors[:2]]
    assert 190 <= hues[0] <= 240 and 25 <= hues[1] <= 45  # blue first, orange second (train, validation)
    assert vk.colors.default_palette(face) == name


def test_the_old_default_failed_the_contrast_the_new_ones_reach():
    assert vk.contrast_ratio(vk.palette("petroff10")[1], "white") < 2  # orange, every validation curve
    assert vk.contrast_ratio(vk.palette("vizkit")[1], "white") >= 3


def test_the_theme_picks_the_palette_of_its_face():
    with vk.theme("dark"):
        cycle = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
        assert same_color(cycle, vk.palette("vizkit_dark"))
        assert same_color(vk.colors.hue_colors(["a"])["a"], vk.palette("vizkit_dark")[0])
    with vk.theme():
        assert same_color(mpl.rcParams["axes.prop_cycle"].by_key()["color"], vk.palette("vizkit"))


@pytest.mark.parametrize("name", vk.palette_names())
def test_every_registered_palette_gives_rgb_tuples(name):
    colors = vk.palette(name, 5)
    assert len(colors) == 5
    assert all(len(c) == 3 and all(0 <= v <= 1 for v in c) for c in colors)
    assert vk.cmap(name).N >= 5


def test_palette_kinds_and_lengths():
    assert "vizkit" in vk.palette_names("categorical")
    assert "vizkit_seq" in vk.palette_names("sequential")
    assert "vizkit_div" in vk.palette_names("diverging")
    assert len(vk.palette("okabe_ito")) == 8
    assert len(vk.palette("viridis")) == 6
    assert same_color(vk.palette("viridis", 2), [mpl.colormaps["viridis"](0.0), mpl.colormaps["viridis"](1.0)])


def test_categorical_palette_repeats_with_a_warning():
    with pytest.warns(UserWarning, match="has 8 colours; 10 were asked for"):
        colors = vk.palette("okabe_ito", 10)
    assert colors[8] == colors[0]


def test_palette_accepts_a_list_of_colours():
    assert vk.palette(["red", "#00ff00"]) == [(1.0, 0.0, 0.0), (0.0, 1.0, 0.0)]


def test_unknown_palette_lists_known_ones():
    with pytest.raises(VizkitValueError) as info:
        vk.palette("viridiss")
    message = str(info.value)
    assert message.startswith("`name` must be a vizkit palette ('vizkit', ")
    assert "'vizkit_div'" in message and "Did you mean 'viridis'?" in message
    with pytest.raises(VizkitValueError, match="Did you mean 'okabe_ito'"):
        vk.cmap("okabe-ito")
    with pytest.raises(VizkitTypeError, match="`name` must be a palette or colormap name"):
        vk.cmap(3)


def test_cmap_reverse_and_categorical():
    forward, backward = vk.cmap("vizkit_seq"), vk.cmap("vizkit_seq_r")
    assert same_color(forward(0.0), backward(1.0))
    assert vk.cmap("vizkit").N == 10


def _lightness(colors):
    from vizkit.colors import _cam02ucs

    return _cam02ucs(np.array(colors))[:, 0]


def test_vizkit_ramps_are_ordered_in_lightness():
    seq = _lightness(vk.palette("vizkit_seq", 32))
    assert np.all(np.diff(seq) < 0), "vizkit_seq must darken monotonically"
    div = _lightness(vk.palette("vizkit_div", 33))
    assert np.all(np.diff(div[:17]) > 0) and np.all(np.diff(div[16:]) < 0), "vizkit_div must peak in the middle"
    assert abs(div[0] - div[-1]) < 1, "both ends of vizkit_div should be equally dark"
    for steps in (np.diff(seq), np.diff(div[:17]), np.diff(div[16:])):
        assert np.abs(steps).max() / np.abs(steps).min() < 2, "lightness should change evenly along a ramp"


def test_highlight_palette():
    levels = ["Adelie", "Chinstrap", "Gentoo"]
    colors = vk.highlight_palette(levels, "Gentoo")
    assert list(colors) == levels
    assert same_color(colors["Gentoo"], vk.colors.hue_colors(levels)["Gentoo"])  # its own colour, highlighted or not
    with vk.theme():
        assert same_color(vk.highlight_palette(levels, "Gentoo")["Gentoo"], vk.palette()[2])
    assert same_color(colors["Adelie"], vk.colors.GREY) and same_color(colors["Chinstrap"], vk.colors.GREY)
    with vk.theme("dark"):  # the rest recedes on the dark face too: a dark grey, not a bright one
        assert same_color(vk.highlight_palette(levels, "Gentoo")["Adelie"], vk.colors.DARK_GREY)
    two = vk.highlight_palette(levels, ["Adelie", "Gentoo"], color=["red", "blue"], others="black")
    assert same_color([two["Adelie"], two["Chinstrap"], two["Gentoo"]], ["red", "black", "blue"])
    assert same_color(vk.highlight_palette(levels, ["Adelie", "Gentoo"], color="red")["Gentoo"], "red")


def test_highlight_palette_errors():
    with pytest.raises(VizkitValueError, match=r"`focus` must be levels among 'a', 'b'; got 'c' \(str\)"):
        vk.highlight_palette(["a", "b"], "c")
    with pytest.raises(VizkitValueError, match=r"`color` must be one colour or 2 colours"):
        vk.highlight_palette(["a", "b", "c"], ["a", "b"], color=["red", "blue", "green"])
    with pytest.raises(VizkitTypeError, match="`levels` must be a sequence"):
        vk.highlight_palette("abc", "a")


@pytest.mark.parametrize(
    "fg, bg, expected",
    [("black", "white", 21.0), ("white", "white", 1.0), ("#767676", "white", 4.54), ("#777777", "white", 4.48),
     ("white", "#0000ff", 8.59), ("#ff0000", "black", 5.25)],
)
def test_contrast_ratio_matches_wcag_reference_values(fg, bg, expected):
    assert vk.contrast_ratio(fg, bg) == pytest.approx(expected, abs=0.01)
    assert vk.contrast_ratio(bg, fg) == pytest.approx(expected, abs=0.01)


def test_contrast_ratio_composites_translucent_colours():
    # 50 % black over white is mid grey (#808080 ≈ 3.95:1 against white).
    assert vk.contrast_ratio((0, 0, 0, 0.5), "white") == pytest.approx(vk.contrast_ratio("#808080", "white"), abs=0.05)
    assert vk.contrast_ratio("white", (0, 0, 0, 0.0)) == 1.0


@given(st.tuples(*[st.floats(0, 1)] * 3))
@fuzz_settings(200)
def test_text_color_on_always_picks_the_better_of_black_and_white(bg):
    chosen = vk.text_color_on(bg)
    other = (1.0, 1.0, 1.0) if chosen == (0.0, 0.0, 0.0) else (0.0, 0.0, 0.0)
    assert vk.contrast_ratio(chosen, bg) >= vk.contrast_ratio(other, bg)
    assert vk.contrast_ratio(chosen, bg) >= 4.58  # black or white always reaches ~4.58:1


def test_simulate_cvd_shapes_and_identity():
    colors = vk.palette("okabe_ito")
    np.testing.assert_allclose(vk.simulate_cvd(colors, "protan", severity=0), colors, atol=1e-9)
    single = vk.simulate_cvd("red", "deutan")
    assert isinstance(single, tuple) and len(single) == 3
    image = np.random.default_rng(0).random((4, 5, 4))
    assert vk.simulate_cvd(image, "tritanomaly").shape == (4, 5, 3)
    # Grey stays grey under every kind.
    for kind in KINDS:
        assert vk.simulate_cvd((0.5, 0.5, 0.5), kind) == pytest.approx((0.5, 0.5, 0.5), abs=0.01)


def test_simulate_cvd_matches_machado_reference():
    # Machado et al. (2009) deuteranomaly, severity 1.0, applied in linear sRGB.
    machado = np.array([[0.367322, 0.860646, -0.227968],
                        [0.280085, 0.672501, 0.047413],
                        [-0.011820, 0.042940, 0.968881]])
    rgb = np.array(to_rgb("#d55e00"))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    out = np.clip(machado @ linear, 0, 1)
    expected = np.where(out <= 0.0031308, out * 12.92, 1.055 * out ** (1 / 2.4) - 0.055)
    assert vk.simulate_cvd("#d55e00", "deuteranomaly") == pytest.approx(tuple(expected), abs=1e-3)


def test_simulate_cvd_errors():
    with pytest.raises(VizkitValueError, match=r"`kind` must be one of 'deuteranomaly', .* got 'deutrans'.*Did you mean"):
        vk.simulate_cvd(["red"], "deutrans")
    with pytest.raises(VizkitValueError, match=r"`severity` must be a number >= 0 and <= 100; got 150"):
        vk.simulate_cvd(["red"], "deutan", severity=150)
    with pytest.raises(VizkitValueError, match=r"`colors` must be an array of floats in 0-1"):
        vk.simulate_cvd(np.full((2, 2, 3), 255.0), "deutan")


@pytest.mark.parametrize("name", PUBLISHED)
def test_check_cvd_reproduces_the_published_measurements(name):
    colors = vk.palette(name)[:8]
    report = vk.check_cvd(colors)
    measured = tuple(round(report.min_delta_e[k], 1) for k in KINDS)
    assert measured == pytest.approx(PUBLISHED[name], abs=0.11)


@pytest.mark.parametrize(("name", "expected"), [("vizkit", (16.9, 14.7, 14.7)), ("vizkit_dark", (17.1, 18.5, 14.8))])
def test_default_palettes_reach_the_target_under_every_kind(name, expected):
    report = vk.check_cvd(vk.palette(name)[:8], threshold=14)
    assert report.passed, str(report)
    assert tuple(round(report.min_delta_e[k], 1) for k in KINDS) == pytest.approx(expected, abs=0.11)


@pytest.mark.parametrize("name", ["vizkit", "vizkit_dark"])
def test_all_ten_default_colours_stay_apart(name):
    """Past 8 levels (ten digits, ten segmentation classes) every pair still differs at a glance:
    ΔE >= 14 with normal vision and >= 11 under each full-severity deficiency. The light palette's
    10th colour was a second teal (ΔE 12.4 from colour 6) until digits 5 and 9 looked alike."""
    report = vk.check_cvd(vk.palette(name)[:10])
    assert report.min_delta_e["normal"] >= 14, str(report)
    assert min(report.min_delta_e[k] for k in KINDS) >= 11, str(report)


def test_check_cvd_agrees_with_colour_science_computed_directly():
    """The reference: Machado 2009 at severity 1 and CAM02-UCS, straight from colour-science."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import colour
    rgb = np.array(vk.palette("vizkit")[:8])
    matrix = colour.blindness.matrix_cvd_Machado2009("Tritanomaly", 1.0)
    simulated = colour.models.eotf_inverse_sRGB(np.clip(colour.models.eotf_sRGB(rgb) @ matrix.T, 0, 1))
    jab = colour.XYZ_to_CAM02UCS(colour.sRGB_to_XYZ(np.clip(simulated, 0, 1)))
    distances = np.linalg.norm(jab[:, None] - jab[None], axis=-1)[np.triu_indices(8, 1)]
    assert vk.check_cvd(rgb).min_delta_e["tritanomaly"] == pytest.approx(distances.min(), abs=1e-6)


def test_check_cvd_report_parts():
    report = vk.check_cvd("tab10")
    assert not report.passed and report.failures == list(KINDS)
    i, j = report.closest_pair["protanomaly"]
    assert {vk.colors._CATEGORICAL["tab10"][i], vk.colors._CATEGORICAL["tab10"][j]} == {"#ff7f0e", "#2ca02c"}
    table = report.to_frame()
    assert list(table["vision"]) == ["normal", *KINDS]
    assert list(table["passed"]) == [True, False, False, False]
    assert "FAIL" in str(report) and "failed: deuteranomaly" in str(report)


def test_check_cvd_reads_the_colours_of_an_axes_and_a_figure():
    fig, (left, right) = plt.subplots(1, 2)
    left.plot([0, 1], color="#ff7f0e")
    left.plot([1, 0], color="#2ca02c")
    left.axhline(0.5, color="#ff7f0e")  # the same colour again counts once
    right.bar([0, 1], [1, 2], color=["#1f77b4", "#1f77b4"])
    assert len(vk.check_cvd(left).colors) == 2
    assert vk.check_cvd(left).min_delta_e["protanomaly"] < 5
    assert len(vk.check_cvd(fig).colors) == 3


def test_check_cvd_accepts_arrays_and_reads_line_collections():
    assert vk.check_cvd(np.array(vk.palette("tab10"))).failures == list(KINDS)
    fig, ax = plt.subplots()
    ax.vlines([0, 1], 0, 1, colors=["#ff7f0e", "#2ca02c"])
    assert len(vk.check_cvd(ax).colors) == 2


def test_check_cvd_with_fewer_than_two_colours_passes():
    report = vk.check_cvd(["red"])
    assert report.passed and report.closest_pair["deuteranomaly"] is None


def test_check_cvd_bad_input():
    with pytest.raises(VizkitTypeError, match="`x` must be a palette name, a sequence or"):
        vk.check_cvd(42)
    with pytest.raises(VizkitError, match="`threshold`"):
        vk.check_cvd("vizkit", threshold=-1)
