"""vk.layer_stats / LayerStatsDisplay: the logged per-layer values drawn layers x steps, in model order, with findings."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import vizkit as vk
from vizkit.errors import VizkitValueError
from vizkit.ml import LayerStatsDisplay

RUN = "training_runs/runs/layer_stats_mlp"


@pytest.fixture(scope="module")
def logged():
    return vk.read_run(RUN)


def synthetic(stat, values, layers=("fc1", "fc2", "out"), steps=(0, 10), run="mlp"):
    rows = [(run, "train", step, f"{stat}/{layer}", value)
            for layer, per_layer in zip(layers, values) for step, value in zip(steps, per_layer)]
    return pd.DataFrame(rows, columns=["run", "split", "step", "metric", "value"])


@pytest.mark.parametrize("stat", ["grad_norm", "weight_norm", "update_ratio"])
def test_plotted_data_is_the_logged_values_in_model_order(logged, stat):
    ax = vk.layer_stats(logged, stat=stat)
    drawn = vk.plotted_data(ax)
    order = ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]   # the model's, not alphabetical
    assert drawn["layer"].cat.categories.tolist() == order
    expected = logged[logged["metric"].str.startswith(stat + "/")]
    got = drawn.assign(metric=stat + "/" + drawn["layer"].astype(str)).set_index(["metric", "step"])["value"]
    pd.testing.assert_series_equal(got.sort_index(), expected.set_index(["metric", "step"])["value"].sort_index(),
                                   check_names=False)
    plt.close(ax.figure)


def test_the_heatmap_colours_the_log_of_the_values_layers_by_steps(logged):
    display = LayerStatsDisplay.from_runs(logged, stat="grad_norm").plot()
    image = display.artists_["image"].get_array()
    assert image.shape == (6, len(display.steps_)) == (6, 80)       # 320 steps, every 4th
    first = display.table.query("layer == '0.weight'")["value"].to_numpy()
    np.testing.assert_allclose(image[0], np.log10(first))
    assert [t.get_text() for t in display.ax_.get_yticklabels()][:2] == ["0.weight", "0.bias"]
    assert display.artists_["colorbar"].ax.get_ylabel() == "Gradient norm (log scale)"
    plt.close("all")


def test_the_update_ratio_is_centred_on_the_rule_of_thumb(logged):
    display = LayerStatsDisplay.from_runs(logged, stat="update_ratio").plot()
    heatmap = display.artists_["heatmap"]
    assert heatmap.center_ == -3 and heatmap.vmin_ + heatmap.vmax_ == pytest.approx(-6)
    assert display.too_slow_ == [] and display.too_fast_ == ["0.bias"]   # SGD 0.1 + momentum 0.9: ~5e-3
    lines = LayerStatsDisplay.from_runs(logged, stat="update_ratio").plot(kind="lines")
    assert lines.ax_.get_yscale() == "log" and lines.artists_["rule"].get_ydata()[0] == 1e-3
    np.testing.assert_allclose(lines.artists_["lines"]["4.bias"].get_ydata(),
                               display.table.query("layer == '4.bias'")["value"])
    plt.close("all")


def test_two_charts_share_one_scale_when_given_the_same_vmin_and_vmax():
    small = synthetic("grad_norm", [[1e-9, 1e-8], [1e-5, 1e-4], [1e-2, 1e-2]])
    large = synthetic("grad_norm", [[0.3, 0.5], [0.4, 0.4], [0.6, 1.0]])
    fig, axes = plt.subplots(1, 2)
    shown = [LayerStatsDisplay.from_runs(runs).plot(ax=ax, vmin=1e-9, vmax=1.0) for runs, ax in zip((small, large), axes)]
    for display in shown:
        image = display.artists_["image"]
        assert (image.norm.vmin, image.norm.vmax) == (-9, 0)                 # log10 of the given ends, for both
        assert vk.plotted_data(display.ax_)["value"].tolist() == display.table["value"].tolist()
    assert shown[0].artists_["colorbar"].ax.get_ylim() == shown[1].artists_["colorbar"].ax.get_ylim()
    lines = LayerStatsDisplay.from_runs(large).plot(plt.figure().add_subplot(), kind="lines", vmin=1e-9, vmax=1.0)
    assert lines.ax_.get_ylim() == pytest.approx((1e-9, 1.0))
    one_end = vk.layer_stats(large, vmin=1e-3, ax=plt.figure().add_subplot())  # the other end from the data
    assert one_end.images[0].norm.vmin == -3 and one_end.images[0].norm.vmax == pytest.approx(0)
    plt.close("all")


def test_vanishing_and_exploding_gradients_are_found():
    runs = synthetic("grad_norm", [[1e-6, 2e-6], [0.5, 0.4], [80.0, np.inf]])
    found = LayerStatsDisplay.from_runs(runs, stat="grad_norm")
    assert found.vanishing_ == ["fc1"] and found.exploding_ == ["out"] and found.too_fast_ is None
    slow = LayerStatsDisplay.from_runs(synthetic("update_ratio", [[1e-5, 2e-5], [1e-3, 2e-3], [0.5, 0.1]]),
                                       stat="update_ratio")
    assert slow.too_slow_ == ["fc1"] and slow.too_fast_ == ["out"] and slow.vanishing_ is None


def test_several_runs_are_drawn_as_their_geometric_mean_or_one_by_name():
    runs = pd.concat([synthetic("grad_norm", [[1e-2, 1e-2], [1.0, 1.0], [1.0, 4.0]], run="seed0"),
                      synthetic("grad_norm", [[1e-4, 1e-4], [1.0, 1.0], [1.0, 1.0]], run="seed1")])
    both = LayerStatsDisplay.from_runs(runs)
    assert both.table.query("layer == 'fc1'")["value"].tolist() == pytest.approx([1e-3, 1e-3])
    assert both.table.query("layer == 'out'")["value"].tolist() == pytest.approx([1.0, 2.0])
    assert both.table["runs"].unique().tolist() == [2]
    one = LayerStatsDisplay.from_runs(runs, run="seed1")
    assert one.table.query("layer == 'fc1'")["value"].tolist() == [1e-4, 1e-4]


def test_without_a_layer_order_the_layers_are_in_natural_order():
    runs = synthetic("grad_norm", [[1.0, 1.0]] * 3, layers=("10.weight", "2.weight", "1.weight"))
    assert LayerStatsDisplay.from_runs(runs).layers_ == ["1.weight", "2.weight", "10.weight"]


def test_zero_values_are_empty_cells_not_errors():
    runs = synthetic("grad_norm", [[0.0, 1.0], [1.0, 1.0], [1.0, 1.0]])
    display = LayerStatsDisplay.from_runs(runs).plot()
    assert display.artists_["heatmap"].n_missing_ == 1
    assert vk.plotted_data(display.ax_)["value"].tolist()[0] == 0.0
    plt.close("all")


def test_bad_input_is_named(logged):
    with pytest.raises(VizkitValueError, match="`stat` must be one of"):
        vk.layer_stats(logged, stat="grad")
    with pytest.raises(VizkitValueError, match=r"`stat` must be a statistic logged in `runs`.*\(none logged\)"):
        vk.layer_stats(logged[~logged["metric"].str.contains("/")])
    with pytest.raises(VizkitValueError, match="`run` must be a run in `runs`"):
        vk.layer_stats(logged, run="other")
    with pytest.raises(VizkitValueError, match="`kind` must be one of"):
        vk.layer_stats(logged, kind="bars")
    with pytest.raises(TypeError, match="`runs` must be"):
        vk.layer_stats([1, 2])
    with pytest.raises(VizkitValueError, match="`vmin` must be a number > 0"):
        vk.layer_stats(logged, vmin=0)                                      # a log scale has no 0
    with pytest.raises(VizkitValueError, match=r"`vmax` must be a number above `vmin` \(0.1\)"):
        vk.layer_stats(logged, vmin=0.1, vmax=0.01)
