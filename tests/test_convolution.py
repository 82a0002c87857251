"""vk.convolution: the drawn output is torch's conv2d / pooling output, its size the formula's; bad input."""

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import vizkit as vk
from tests.fuzzing import fuzz_settings
from vizkit.charts.sliding_window import ConvolutionDisplay, output_size
from vizkit.errors import VizkitTypeError, VizkitValueError

torch = pytest.importorskip("torch")
F = torch.nn.functional

# a real 7×7 patch: the Summer Palace (scikit-learn's china.jpg) in grey, every 20th pixel
_PHOTO = None


def _patch():
    global _PHOTO
    if _PHOTO is None:
        from sklearn.datasets import load_sample_image

        _PHOTO = load_sample_image("china.jpg").mean(axis=2)[100:240:20, 200:340:20].round()
    return _PHOTO


SOBEL_X = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], float)


@pytest.mark.parametrize(("stride", "padding"), list(itertools.product([1, 2], [0, 1, 2])))
def test_output_is_torch_conv2d_and_its_size_the_formula(stride, padding):
    image = _patch()
    found = ConvolutionDisplay.from_arrays(image, SOBEL_X, stride=stride, padding=padding)
    expected = F.conv2d(torch.tensor(image)[None, None], torch.tensor(SOBEL_X)[None, None], stride=stride,
                        padding=padding)[0, 0].numpy()
    np.testing.assert_allclose(found.output_, expected)
    side = (7 - 3 + 2 * padding) // stride + 1
    assert found.output_shape_ == expected.shape == (side, side) == (output_size(7, 3, padding, stride),) * 2
    assert found.formula_ == f"⌊(7 − 3 + 2·{padding})/{stride}⌋ + 1 = {side}"


@pytest.mark.parametrize(("pool", "reference"), [("max", "max_pool2d"), ("avg", "avg_pool2d")])
@pytest.mark.parametrize(("size", "stride", "padding"), [(2, 2, 0), (3, 1, 1), (3, 2, 1)])
def test_pooling_is_torch_pooling(pool, reference, size, stride, padding):
    image = _patch()  # brightness, never negative: torch's −∞ padding of max pooling gives the same
    found = ConvolutionDisplay.from_arrays(image, pool, kernel_size=size, stride=stride, padding=padding)
    expected = getattr(F, reference)(torch.tensor(image)[None, None], size, stride=stride, padding=padding)[0, 0]
    np.testing.assert_allclose(found.output_, expected.numpy())


def test_what_was_drawn_traces_one_output_cell_to_its_window():
    image = _patch()
    drawn = vk.convolution(image, SOBEL_X, stride=2, padding=1, at=(2, 3))
    cells = vk.plotted_data(drawn.ax_)
    by_grid = {name: group for name, group in cells.groupby("grid", sort=False)}
    padded = by_grid["input"]["value"].to_numpy().reshape(9, 9)
    np.testing.assert_array_equal(padded[1:-1, 1:-1], image)
    assert by_grid["input"]["padding"].sum() == 81 - 49 and (padded[by_grid["input"]["padding"].to_numpy()
                                                                    .reshape(9, 9)] == 0).all()
    window = by_grid["input"][by_grid["input"]["traced"]]
    assert sorted(set(window["i"])) == [4, 5, 6] and sorted(set(window["j"])) == [6, 7, 8]  # rows 2·2.., cols 3·2..
    out = by_grid["output"]
    assert out.loc[out["traced"], ["i", "j"]].values.tolist() == [[2, 3]]
    assert drawn.value_ == pytest.approx((drawn.window_ * SOBEL_X).sum()) == drawn.output_[2, 3]
    np.testing.assert_array_equal(out["value"].to_numpy().reshape(4, 4), drawn.output_)
    texts = [t.get_text() for t in drawn.artists_["texts"]]
    assert len(texts) == 81 + 9 + 16 and texts[-16:] == [f"{v:.0f}" for v in drawn.output_.ravel()]
    assert "⌊(7 − 3 + 2·1)/2⌋ + 1 = 4" in drawn.artists_["labels"][-1].get_text()
    assert len(drawn.artists_["outlines"]) == 3 and vk.lint(drawn.figure_) == []
    plt.close(drawn.figure_)


@pytest.mark.parametrize(("kwargs", "error", "names"), [
    (dict(input=np.ones(5), kernel=np.ones((3, 3))), VizkitValueError, "`input`"),
    (dict(input=np.ones((20, 20)), kernel=np.ones((3, 3))), VizkitValueError, "at most 16"),
    (dict(input=np.ones((5, 5)), kernel=np.ones((7, 7))), VizkitValueError, "`kernel`"),
    (dict(input=np.ones((5, 5)), kernel="min", kernel_size=2), VizkitValueError, "`kernel`"),
    (dict(input=np.ones((5, 5)), kernel="max"), VizkitValueError, "`kernel_size`"),
    (dict(input=np.ones((5, 5)), kernel=np.ones((3, 3)), stride=0), VizkitValueError, "`stride`"),
    (dict(input=np.ones((5, 5)), kernel=np.ones((3, 3)), padding=1.5), VizkitTypeError, "`padding`"),
    (dict(input=np.ones((5, 5)), kernel=np.ones((3, 3)), at=(3, 0)), VizkitValueError, "`at`"),
    (dict(input=[[1, np.nan]], kernel=[[1]]), VizkitValueError, "`input`"),
])
def test_bad_input_names_the_argument(kwargs, error, names):
    figures = plt.get_fignums()
    with pytest.raises(error, match=names):
        vk.convolution(**kwargs)
    assert plt.get_fignums() == figures


@fuzz_settings(40)
@given(height=st.integers(1, 9), width=st.integers(1, 9), kh=st.integers(1, 4), kw=st.integers(1, 4),
       stride=st.tuples(st.integers(1, 3), st.integers(1, 3)), padding=st.tuples(st.integers(0, 2), st.integers(0, 2)),
       seed=st.integers(0, 2**16))
def test_any_shapes_give_torch_conv2d_or_a_vizkit_error(height, width, kh, kw, stride, padding, seed):
    rng = np.random.default_rng(seed)
    image, kernel = rng.integers(-9, 10, (height, width)), rng.integers(-3, 4, (kh, kw))
    if kh > height + 2 * padding[0] or kw > width + 2 * padding[1]:
        with pytest.raises(VizkitValueError, match="`kernel`"):
            ConvolutionDisplay.from_arrays(image, kernel, stride=stride, padding=padding)
        return
    found = ConvolutionDisplay.from_arrays(image, kernel, stride=stride, padding=padding)
    expected = F.conv2d(torch.tensor(image, dtype=torch.float64)[None, None],
                        torch.tensor(kernel, dtype=torch.float64)[None, None], stride=stride, padding=padding)
    np.testing.assert_allclose(found.output_, expected[0, 0].numpy())
    assert found.output_shape_ == tuple(output_size(n, k, p, s) for n, k, p, s in
                                        zip((height, width), (kh, kw), padding, stride))
