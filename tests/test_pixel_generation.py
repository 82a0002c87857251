"""vk.pixel_order and vk.pixel_steps: the numbers drawn are the order, the tiles are the partial images."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import vizkit as vk
from vizkit.errors import VizkitError
from vizkit.ml import PixelOrderDisplay, PixelStepsDisplay


@pytest.fixture(scope="module")
def digit():
    """A binarised 8×8 digit from scikit-learn's set (ink where the pixel is at least 8 of 16)."""
    pixels = vk.load_dataset("digits").filter(like="pixel").to_numpy(float)
    return (pixels[3].reshape(8, 8) >= 8).astype(float)


def partial(image, counts, order=None):
    """Frames of ``image`` with the first ``count`` pixels of ``order`` drawn, the rest NaN."""
    order = np.arange(image.size) if order is None else np.asarray(order)
    frames = []
    for count in counts:
        frame = np.full(image.size, np.nan)
        frame[order[:count]] = image.ravel()[order[:count]]
        frames.append(frame.reshape(image.shape))
    return np.stack(frames)


def test_pixel_order_numbers_every_pixel_by_its_turn():
    drawn = vk.pixel_order((3, 4))
    table = vk.plotted_data(drawn.ax_)
    assert drawn.positions_.tolist() == [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]
    assert table["context"].all() and len(table) == 12
    texts = sorted(int(t.get_text()) for t in drawn.ax_.texts)
    assert texts == list(range(1, 13))
    plt.close(drawn.figure_)


def test_a_highlighted_pixel_shows_only_the_pixels_it_is_conditioned_on():
    order = [11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]  # backwards
    drawn = vk.pixel_order((3, 4), order=order, highlight=5)
    assert drawn.positions_[2].tolist() == [4, 3, 2, 1] and drawn.context_size_ == 4
    table = vk.plotted_data(drawn.ax_)
    assert table.loc[table["context"], "position"].tolist() == [4, 3, 2, 1]
    assert sorted(int(t.get_text()) for t in drawn.ax_.texts) == [1, 2, 3, 4, 5]  # later pixels are not shown
    box = drawn.artists_["highlight"]  # around pixel 5: row 1, column 3
    assert (min(box.get_xdata()), max(box.get_xdata())) == (2.5, 3.5)
    assert (min(box.get_ydata()), max(box.get_ydata())) == (0.5, 1.5)
    plt.close(drawn.figure_)


def test_pixel_steps_draws_the_partial_images_with_the_rest_hatched(digit):
    frames = partial(digit, [0, 20, 40, 64])
    drawn = vk.pixel_steps(frames, steps=[0, 20, 40, 64])
    assert [ax.get_title() for ax in drawn.grid_] == ["0 of 64", "20 of 64", "40 of 64", "64 of 64"]
    shown = drawn.grid_.axes_[0, 1].images[0].get_array()        # RGB: ink black, background white, rest grey
    np.testing.assert_allclose(shown[:2, :, 0].ravel()[:16], 1 - digit.ravel()[:16], atol=1e-6)
    assert np.ptp(shown[3:, :, :3]) == 0 and 0.5 < shown[3, 0, 0] < 0.9   # rows 3-7 wait, in one grey
    row = vk.plotted_data(drawn.grid_.axes_[0, 1]).iloc[0]
    assert (row["step"], row["drawn"], row["last_row"], row["last_col"]) == (20, 20, 2, 3)
    assert row["ink"] == pytest.approx(digit.ravel()[:20].mean())
    hatched = [p for p in drawn.artists_["hatches"] if p.axes is drawn.grid_.axes_[0, 1]]
    assert sum(p.get_width() * p.get_height() for p in hatched) == 44 and all(p.get_hatch() for p in hatched)
    assert len(hatched) == 2                                     # the rest of row 2, and rows 3-7 as one block
    assert len(drawn.artists_["outlines"]) == 3                   # none before the first pixel
    plt.close(drawn.figure_)


def test_flat_frames_of_several_samples_and_another_order(digit):
    order = np.arange(64).reshape(8, 8).T.ravel()                 # column by column
    frames = np.stack([partial(digit, [0, 8, 64], order), partial(1 - digit, [0, 8, 64], order)], axis=1)
    found = PixelStepsDisplay.from_frames(frames.reshape(3, 2, 64), steps=[0, 8, 64], shape=(8, 8), order=order)
    assert found.table.query("step == 8")[["last_row", "last_col"]].values.tolist() == [[7, 0], [7, 0]]
    drawn = found.plot(samples=[1])
    assert drawn.grid_.axes_.shape == (1, 3)
    plt.close(drawn.figure_)


@pytest.mark.parametrize(("call", "argument"), [
    (lambda d: vk.pixel_order((3,)), "shape"),
    (lambda d: vk.pixel_order((2, 2), order=[0, 1, 2, 2]), "order"),
    (lambda d: vk.pixel_order((2, 2), highlight=5), "highlight"),
    (lambda d: vk.pixel_steps(partial(d, [0, 10]), steps=[0]), "steps"),
    (lambda d: vk.pixel_steps(partial(d, [0, 10]), steps=[0, 11]), "frames"),
    (lambda d: vk.pixel_steps(partial(d, [0, 10]), steps=[0, 10], samples=[1]), "samples"),
    (lambda d: vk.pixel_steps(np.ones((2, 64)), steps=[64, 64], shape=(8, 7)), "frames"),
])
def test_bad_input_names_the_argument(digit, call, argument):
    with pytest.raises(VizkitError, match=f"`{argument}"):
        call(digit)
    plt.close("all")


def test_findings_before_drawing():
    found = PixelOrderDisplay.from_shape((14, 14), highlight=100)
    assert found.ax_ is None and found.context_size_ == 99 and found.positions_[7, 1] == 100


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.fuzzing import fuzz_settings  # noqa: E402


@fuzz_settings(30)
@given(height=st.integers(1, 6), width=st.integers(1, 6), seed=st.integers(0, 2**16), data=st.data())
def test_any_order_and_counts_give_a_table_that_matches_the_frames(height, width, seed, data):
    rng = np.random.default_rng(seed)
    order = rng.permutation(height * width)
    image = (rng.random((height, width)) > 0.5).astype(float)
    counts = sorted(data.draw(st.lists(st.integers(0, height * width), min_size=1, max_size=4, unique=True)))
    found = PixelStepsDisplay.from_frames(partial(image, counts, order), steps=counts, order=order)
    assert found.table["drawn"].tolist() == counts
    for count, (row, col) in zip(counts, found.table[["last_row", "last_col"]].values, strict=True):
        assert (row, col) == ((-1, -1) if count == 0 else divmod(int(order[count - 1]), width))
    positions = PixelOrderDisplay.from_shape((height, width), order=order).positions_
    assert positions.ravel()[order].tolist() == list(range(1, height * width + 1))
