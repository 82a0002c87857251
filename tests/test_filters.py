"""vk.filters: a convolution layer's kernels as tiles, equal to the weights (scaled as documented), bad shapes."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import vizkit as vk
from vizkit.errors import VizkitTypeError, VizkitValueError

SOBEL_X = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], float)
KERNELS = np.stack([SOBEL_X, SOBEL_X.T, np.full((3, 3), 1 / 9), [[0, -1, 0], [-1, 5, -1], [0, -1, 0]]])


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _drawn(grid):
    return [np.asarray(ax.images[0].get_array()) for ax in grid]


def test_grey_tiles_are_the_kernels_row_per_output_channel_column_per_input_channel():
    weight = KERNELS.reshape(2, 2, 3, 3)  # 2 filters of 2 input channels
    grid = vk.filters(weight)
    assert grid.axes_.shape == (2, 2) and not grid.rgb_
    tiles = grid.tiles_
    assert tiles[["out_channel", "in_channel"]].values.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    for drawn, kernel, (_, tile) in zip(_drawn(grid), KERNELS, tiles.iterrows(), strict=True):
        np.testing.assert_array_equal(drawn, kernel)
        assert (tile["min"], tile["max"]) == (kernel.min(), kernel.max())
        assert (tile["vmin"], tile["vmax"]) == (kernel.min(), kernel.max())  # each tile its own min-max
    ax = grid.axes_[1, 0]
    row = vk.plotted_data(ax).iloc[0]
    assert (row["index"], row["out_channel"], row["in_channel"]) == (2, 1, 0)
    assert ax.images[0].get_clim() == (KERNELS[2].min(), KERNELS[2].max())


def test_shared_scale_is_centred_at_zero_with_one_colour_bar():
    grid = vk.filters(KERNELS.reshape(4, 1, 3, 3), scale="shared")
    assert (grid.vmin_, grid.vmax_) == (-5.0, 5.0) and grid.limit_ == 5.0
    assert grid.colorbar_ is not None
    assert {ax.images[0].get_clim() for ax in grid} == {(-5.0, 5.0)}
    assert grid.axes_[0, 0].images[0].get_cmap().name == "vizkit_div"
    assert vk.lint(grid.figure_) == []


def test_rgb_tiles_put_input_channels_0_1_2_in_red_green_blue():
    rng = np.random.default_rng(0)
    weight = rng.normal(size=(6, 3, 5, 5))
    grid = vk.filters(weight)  # Cin == 3: one colour tile per filter
    assert grid.rgb_ and len(list(grid)) == 6 and set(grid.tiles_["in_channel"]) == {-1}
    for drawn, kernel in zip(_drawn(grid), weight, strict=True):
        expected = (kernel - kernel.min()) / (kernel.max() - kernel.min())
        for channel in range(3):  # R, G, B in order
            np.testing.assert_allclose(drawn[..., channel], expected[channel], rtol=1e-6)
    shared = vk.filters(weight, scale="shared")
    limit = np.abs(weight).max()
    np.testing.assert_allclose(_drawn(shared)[2][..., 1], weight[2, 1] / (2 * limit) + 0.5, rtol=1e-6)
    assert not vk.filters(weight, rgb=False).rgb_  # 18 grey tiles instead
    assert vk.lint(grid.figure_) == []


def test_a_torch_weight_with_grad_is_read_without_importing_torch_here():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    conv = torch.nn.Conv2d(1, 4, 3)
    grid = vk.filters(conv.weight)
    for drawn, kernel in zip(_drawn(grid), conv.weight.detach().numpy()[:, 0], strict=True):
        np.testing.assert_allclose(drawn, kernel)
    layer = vk.filters(conv)  # the layer itself stands for its weight
    for drawn, kernel in zip(_drawn(layer), conv.weight.detach().numpy()[:, 0], strict=True):
        np.testing.assert_allclose(drawn, kernel)


@pytest.mark.parametrize(("weight", "words"), [
    (np.zeros((4, 3, 3)), "Conv1d"),
    (np.zeros((10, 784)), "Linear layer"),
    (np.zeros((0, 1, 3, 3)), "at least one kernel"),
    (np.full((1, 1, 3, 3), np.nan), "finite"),
    (np.zeros((30, 30, 3, 3)), "max_tiles"),
])
def test_bad_weights_are_refused_naming_the_shape(weight, words):
    with pytest.raises(VizkitValueError, match="`weight`") as error:
        vk.filters(weight)
    assert words in str(error.value)


def test_bad_options_are_named():
    with pytest.raises(VizkitValueError, match="`rgb`.*4 input channels"):
        vk.filters(np.zeros((2, 4, 3, 3)), rgb=True)
    with pytest.raises(VizkitValueError, match="`scale`.*'shared'"):
        vk.filters(np.zeros((2, 1, 3, 3)), scale="share")
    with pytest.raises(VizkitTypeError, match="`weight`"):
        vk.filters(np.array([["a"]]))
