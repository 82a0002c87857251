"""vk.diffusion_schedule, vk.diffusion_forward and vk.diffusion_reverse: what is drawn is the schedule and the frames."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import vizkit as vk
from vizkit.errors import VizkitError
from vizkit.ml import DiffusionScheduleDisplay, DiffusionStripDisplay, noise_schedule


@pytest.fixture(scope="module")
def digit():
    pixels = vk.load_dataset("digits").filter(like="pixel").to_numpy(float)
    return pixels[0].reshape(8, 8) / 8 - 1  # DDPM's range, -1 to 1


def test_schedule_chart_draws_alpha_bar_and_both_factors_from_t0():
    schedule = noise_schedule("linear")
    drawn = vk.diffusion_schedule(schedule)
    table = vk.plotted_data(drawn.ax_)
    assert len(table) == 1001 and table["t"].tolist() == list(range(1001))
    np.testing.assert_allclose(table["alpha_bar"].iloc[1:], schedule.alpha_bar)
    lines = drawn.artists_["lines"]
    np.testing.assert_allclose(lines[("linear", "signal")].get_ydata(), np.sqrt(table["alpha_bar"]))
    np.testing.assert_allclose(lines[("linear", "noise")].get_ydata(), np.sqrt(1 - table["alpha_bar"]))
    crossing = drawn.crossings_["linear"]
    assert schedule.alpha_bar_at(crossing) <= 0.5 < schedule.alpha_bar_at(crossing - 1)
    assert drawn.artists_["marks"][0].get_xdata()[0] == crossing
    assert drawn.artists_["marks"][0].get_label() == f"ᾱ = ½ at t = {crossing}"
    assert drawn.artists_["marks"][0].get_label() in [t.get_text() for t in drawn.artists_["legend"].get_texts()]
    plt.close(drawn.figure_)


def test_schedules_compared_get_a_colour_each_and_a_style_per_quantity():
    drawn = vk.diffusion_schedule({"DDPM linear": noise_schedule("linear"), "cosine": noise_schedule("cosine")},
                                  quantities=["alpha_bar", "signal"])
    lines = drawn.artists_["lines"]
    assert set(lines) == {("DDPM linear", "alpha_bar"), ("DDPM linear", "signal"), ("cosine", "alpha_bar"),
                          ("cosine", "signal")}
    assert lines[("cosine", "alpha_bar")].get_color() == lines[("cosine", "signal")].get_color()
    assert lines[("cosine", "alpha_bar")].get_color() != lines[("DDPM linear", "alpha_bar")].get_color()
    assert drawn.crossings_["cosine"] > drawn.crossings_["DDPM linear"]
    assert drawn.final_["cosine"] < 1e-6
    plt.close(drawn.figure_)


def test_forward_strip_is_the_schedules_forward_process_with_one_noise(digit):
    schedule = noise_schedule("linear")
    strip = vk.diffusion_forward(digit, schedule, t=[0, 100, 500, 1000], seed=3)
    expected = schedule.forward(digit, [0, 100, 500, 1000], noise=np.random.default_rng(3).standard_normal((8, 8)))
    for ax, frame in zip(strip.grid_, expected, strict=True):
        np.testing.assert_allclose(ax.images[0].get_array(), frame)
    table = vk.plotted_data(strip.grid_.axes_[0, 2])
    assert int(table["t"].iloc[0]) == 500 and table["alpha_bar"].iloc[0] == pytest.approx(7.8587e-2, rel=1e-4)
    assert strip.table["corr"].iloc[0] == pytest.approx(1.0) and abs(strip.table["corr"].iloc[-1]) < 0.35
    assert strip.grid_.vmin_ == -1 and strip.grid_.vmax_ == 1
    assert strip.t_ == [0, 100, 500, 1000] and strip.direction_ == "forward"
    plt.close(strip.figure_)


def test_forward_strip_defaults_to_seven_steps_from_0_to_T(digit):
    found = DiffusionStripDisplay.from_image(digit, noise_schedule(T=200))
    assert found.t_ == [0, 10, 20, 50, 100, 150, 200]


def test_without_a_schedule_both_charts_draw_ddpms_linear_one(digit):
    """A new user's first call: vk.diffusion_schedule() and vk.diffusion_forward(image) need no schedule."""
    default, explicit = vk.diffusion_schedule(), vk.diffusion_schedule(noise_schedule("linear"), ax=plt.figure().subplots())
    assert default.table.equals(explicit.table) and default.crossings_ == {"linear": 260}
    strip = vk.diffusion_forward(digit, t=[0, 500])
    assert strip.table.equals(DiffusionStripDisplay.from_image(digit, noise_schedule("linear"), t=[0, 500]).table)
    plt.close("all")


def test_reverse_strip_draws_a_row_per_sample_and_a_column_per_step():
    frames = np.random.default_rng(0).standard_normal((4, 3, 1, 8, 8))  # steps, samples, channel, H, W
    strip = vk.diffusion_reverse(frames, t=[1000, 500, 100, 0], schedule=noise_schedule(), samples=[2, 0],
                                 cmap="gray_r")
    assert strip.grid_.axes_.shape == (2, 4)
    np.testing.assert_allclose(strip.grid_.axes_[0, 1].images[0].get_array(), frames[1, 2, 0])
    np.testing.assert_allclose(strip.grid_.axes_[1, 3].images[0].get_array(), frames[3, 0, 0])
    titles = [ax.get_title() for ax in strip.grid_]
    assert titles[:4] == ["t = 1000\nᾱ = 4e-05", "t = 500\nᾱ = 0.079", "t = 100\nᾱ = 0.9", "t = 0\nᾱ = 1"]
    assert titles[4:] == [""] * 4
    row = vk.plotted_data(strip.grid_.axes_[0, 1]).iloc[0]
    assert (row["sample"], row["t"]) == (2, 500) and row["std"] == pytest.approx(frames[1, 2].std())
    plt.close(strip.figure_)


@pytest.mark.parametrize(("call", "argument"), [
    (lambda d: vk.diffusion_schedule("linear"), "schedules"),
    (lambda d: vk.diffusion_schedule(noise_schedule(), quantities=["snr"]), "quantities"),
    (lambda d: vk.diffusion_forward(d, "linear"), "schedule"),
    (lambda d: vk.diffusion_forward(np.ones((2, 8, 8)), noise_schedule()), "image"),
    (lambda d: vk.diffusion_forward(d, noise_schedule(), t=[0, 1001]), "t"),
    (lambda d: vk.diffusion_reverse(np.ones((3, 8, 8)), t=[2, 1]), "t"),
    (lambda d: vk.diffusion_reverse(np.ones((3, 8)), t=[2, 1, 0]), "frames"),
    (lambda d: vk.diffusion_reverse(np.ones((3, 2, 8, 8)), t=[2, 1, 0], samples=[2]), "samples"),
])
def test_bad_input_names_the_argument(digit, call, argument):
    with pytest.raises(VizkitError, match=f"`{argument}"):
        call(digit)
    plt.close("all")


def test_display_findings_are_there_before_drawing():
    found = DiffusionScheduleDisplay.from_schedules(noise_schedule("cosine"))
    assert found.ax_ is None and found.crossings_ == {"cosine": 497}
