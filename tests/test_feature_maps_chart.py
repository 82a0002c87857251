"""vk.feature_maps: a tile per channel of one probe image, per layer or over epochs; tiles equal the saved maps."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import vizkit as vk
from vizkit.errors import VizkitTypeError, VizkitValueError
from vizkit.io import RunWriter


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """A run folder as FeatureMaps writes it: three epochs of two layers' maps of four digits (blurred pixels)."""
    frame = vk.load_dataset("digits")
    pixels = frame.filter(like="pixel").to_numpy(np.float32).reshape(-1, 8, 8)[:4] / 16
    with RunWriter(tmp_path_factory.mktemp("maps")) as writer:
        for epoch in range(3):
            first = np.stack([pixels * (c + 1 + epoch) for c in range(6)], axis=1)  # (4, 6, 8, 8)
            second = first[:, :3, ::2, ::2]
            writer.log_array("feature_maps", step=10 * epoch, epoch=np.int64(epoch),
                             **{"maps.conv1": first.astype(np.float16), "maps.conv2": second.astype(np.float16)})
    return writer.path


def test_per_layer_a_tile_per_channel_of_the_last_capture(run):
    record = vk.io.read_feature_maps(run)
    shown = vk.feature_maps(run, image=2)
    assert shown.over_ == "layer" and [len(list(g)) for g in shown.grids_] == [6, 3]
    for grid, layer in zip(shown.grids_, ["conv1", "conv2"], strict=True):
        for channel, ax in enumerate(grid):
            np.testing.assert_array_equal(ax.images[0].get_array(), record.maps[layer][-1, 2, channel])
            row = vk.plotted_data(ax).iloc[0]
            assert (row["layer"], row["epoch"], row["channel"], row["image"]) == (layer, 2, channel, 2)
    assert vk.lint(shown.figure_) == []


def test_over_epochs_a_row_per_epoch_on_one_shared_scale(run):
    record = vk.io.read_feature_maps(run)
    shown = vk.feature_maps(run, layers="conv2", over="epoch", image=0)
    grid = shown.grids_[0]
    assert grid.axes_.shape == (3, 3) and grid.colorbar_ is not None
    assert [grid.axes_[r, 0].get_title() for r in range(3)] == ["epoch 0", "epoch 1", "epoch 2"]
    for (epoch, channel), ax in zip(np.ndindex(3, 3), grid, strict=True):
        np.testing.assert_array_equal(ax.images[0].get_array(), record.maps["conv2"][epoch, 0, channel])
    assert grid.vmax_ == pytest.approx(record.maps["conv2"][:, 0].max())
    assert vk.lint(shown.figure_) == []


def test_a_dict_or_array_of_maps_and_max_channels():
    maps = np.random.default_rng(0).random((2, 20, 5, 5))
    shown = vk.feature_maps({"block": maps}, max_channels=10)
    assert len(shown.tiles_) == 10 and "10 of 20 channels" in shown.grids_[0].artists_["title"].get_text()
    assert len(vk.feature_maps(maps[0]).tiles_) == 16


def test_bad_input_is_named(run):
    with pytest.raises(VizkitValueError, match="`layers`.*'conv1', 'conv2'"):
        vk.feature_maps(run, layers="conv3")
    with pytest.raises(VizkitValueError, match="`layers`.*one layer"):
        vk.feature_maps(run, layers=["conv1", "conv2"], over="epoch")
    with pytest.raises(VizkitValueError, match="`image`.*0 to 3"):
        vk.feature_maps(run, image=4)
    with pytest.raises(VizkitValueError, match="`over`"):
        vk.feature_maps(run, over="epochs")
    with pytest.raises(VizkitValueError, match=r"`maps`.*\(N, C, H, W\)"):
        vk.feature_maps(np.zeros((3, 3)))
    with pytest.raises(VizkitTypeError, match="`maps`"):
        vk.feature_maps(42)
