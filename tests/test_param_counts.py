"""vk.param_counts: parameters per layer as bars in model order, each labelled with the formula that counts them."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import vizkit as vk
from vizkit.errors import VizkitTypeError, VizkitValueError
from vizkit.ml import ParamCountsDisplay

#: vizkit.torch.summary's table of the PyTorch CIFAR-10 tutorial net (tests/test_model_summary.py makes it from torch)
CIFAR_NET = pd.DataFrame({
    "layer": ["conv1", "pool", "conv2", "pool", "fc1", "fc2", "fc3"],
    "type": ["Conv2d", "MaxPool2d", "Conv2d", "MaxPool2d", "Linear", "Linear", "Linear"],
    "params": [456, 0, 2_416, 0, 48_120, 10_164, 850],
    "weight_shape": [(6, 3, 5, 5), None, (16, 6, 5, 5), None, (120, 400), (84, 120), (10, 84)],
    "bias": [True, False, True, False, True, True, True],
    "shared_with": [None] * 7,
})


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_the_cifar_net_draws_a_bar_per_layer_with_parameters_labelled_by_its_formula():
    ax = vk.param_counts(CIFAR_NET)
    drawn = vk.plotted_data(ax)
    assert drawn["layer"].tolist() == ["conv1", "conv2", "fc1", "fc2", "fc3"]  # model order, pooling left out
    assert drawn["params"].tolist() == [456, 2_416, 48_120, 10_164, 850]
    assert drawn["formula"].tolist() == ["5·5·3·6 + 6", "5·5·6·16 + 16", "400·120 + 120", "120·84 + 84", "84·10 + 10"]
    assert [bar.get_width() for bar in ax.containers[0]] == drawn["params"].tolist()
    labels = [text.get_text() for text in ax.texts]
    assert labels[0] == "5·5·3·6 + 6 = 456" and labels[2] == "400·120 + 120 = 48,120"
    assert ax.get_title(loc="left") == "Parameters per layer: 62,006 in all"
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "conv1 (Conv2d)"
    ax.figure.canvas.draw()
    assert ax.get_xlim()[1] > 48_120 and vk.lint(ax.figure) == []
    right = ax.get_window_extent().x1
    assert all(text.get_window_extent().x1 <= right + 1 for text in ax.texts)  # every label inside the Axes


def test_formulas_of_a_bias_free_stem_a_batch_norm_an_embedding_and_other_layers():
    table = pd.DataFrame({"layer": ["stem", "bn", "embed", "head", "prelu"],
                          "type": ["Conv2d", "BatchNorm2d", "Embedding", "Linear", "PReLU"],
                          "params": [9_408, 128, 800, 0, 1],
                          "weight_shape": [(64, 3, 7, 7), (64,), (100, 8), (100, 8), (1,)],
                          "bias": [False, True, False, False, False],
                          "shared_with": [None, None, None, "embed", None]})
    found = ParamCountsDisplay.from_summary(table)
    assert found.table["formula"].tolist() == ["7·7·3·64", "2·64", "100·8", "shared with embed", "1"]
    assert found.total_params_ == 9_408 + 128 + 800 + 1 and found.largest_ == "stem"


def test_a_formula_that_does_not_give_the_count_falls_back_to_the_count():
    table = CIFAR_NET.assign(params=[456, 0, 2_416, 0, 48_121, 10_164, 850])  # fc1 with one extra parameter
    drawn = ParamCountsDisplay.from_summary(table).table
    assert drawn.loc[drawn["layer"] == "fc1", "formula"].item() == "48,121"


def test_a_model_summary_gives_its_total_and_its_table():
    class Summary:  # what vizkit.torch.summary returns, as the chart reads it
        table = CIFAR_NET
        total_params = 62_006

    found = ParamCountsDisplay.from_summary(Summary())
    assert found.total_params_ == 62_006 and found.largest_ == "fc1"
    assert found.largest_share_ == pytest.approx(48_120 / 62_006)


def test_log_scale_draws_a_dot_per_layer_and_lints_clean():
    display = ParamCountsDisplay.from_summary(CIFAR_NET).plot(log=True)
    ax = display.ax_
    assert ax.get_xscale() == "log" and not ax.containers
    assert display.artists_["points"].get_xdata().tolist() == [456, 2_416, 48_120, 10_164, 850]
    ax.figure.canvas.draw()
    assert ax.get_xlim()[0] == 100 and vk.lint(ax.figure) == []


def test_bad_input_names_the_argument():
    with pytest.raises(VizkitTypeError, match="`summary`"):
        vk.param_counts([456, 2416])
    with pytest.raises(VizkitValueError, match="`summary`.*without params"):
        vk.param_counts(CIFAR_NET.drop(columns="params"))
    with pytest.raises(VizkitValueError, match="`summary`.*whole numbers"):
        vk.param_counts(CIFAR_NET.assign(params=-1))
    with pytest.raises(VizkitValueError, match="`summary`.*none with parameters"):
        vk.param_counts(CIFAR_NET[CIFAR_NET["type"] == "MaxPool2d"])
    with pytest.raises(VizkitTypeError, match="`log`"):
        vk.param_counts(CIFAR_NET, log="yes")
