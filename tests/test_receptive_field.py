"""Receptive fields: the recurrence against the input-gradient footprint of real torch nets; the VGG numbers."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import vizkit as vk
from vizkit.errors import VizkitTypeError, VizkitValueError
from vizkit.ml import ReceptiveFieldDisplay, receptive_field

torch = pytest.importorskip("torch")
nn = torch.nn


def _footprint(net, size=48):
    """The side of the input pixels that one central output pixel depends on: its input gradient's support."""
    image = torch.ones(1, 1, size, size, requires_grad=True)
    out = net(image)
    out[0, 0, out.shape[2] // 2, out.shape[3] // 2].backward()
    rows, cols = np.nonzero(image.grad[0, 0].numpy())
    assert rows.max() - rows.min() == cols.max() - cols.min()
    return int(rows.max() - rows.min() + 1)


def _net(*layers):
    net = nn.Sequential(*layers)
    for module in net.modules():
        if isinstance(module, nn.Conv2d):
            nn.init.constant_(module.weight, 1.0)  # positive weights: no gradient cancels to zero
    return net


NETS = {
    "three 3×3": lambda: _net(*[nn.Conv2d(1, 1, 3, bias=False) for _ in range(3)]),
    "3×3 stride 2 then 3×3": lambda: _net(nn.Conv2d(1, 1, 3, stride=2, bias=False), nn.ReLU(),
                                          nn.Conv2d(1, 1, 3, bias=False)),
    "conv, pool, conv, pool, conv": lambda: _net(nn.Conv2d(1, 1, 3, padding=1, bias=False), nn.AvgPool2d(2),
                                                 nn.Conv2d(1, 1, 3, padding=1, bias=False), nn.AvgPool2d(2),
                                                 nn.Conv2d(1, 1, 5, bias=False)),
    "dilated 3×3 (1, 2, 4)": lambda: _net(*[nn.Conv2d(1, 1, 3, dilation=d, bias=False) for d in (1, 2, 4)]),
    "7×7 stride 2, 3×3 pool stride 2 (ResNet stem)": lambda: _net(nn.Conv2d(1, 1, 7, stride=2, padding=3,
                                                                            bias=False),
                                                                  nn.AvgPool2d(3, stride=2, padding=1)),
}


@pytest.mark.parametrize("name", list(NETS))
def test_the_recurrence_is_the_input_gradient_footprint_of_a_real_net(name):
    net = NETS[name]()
    assert receptive_field(net)["field"].iloc[-1] == _footprint(net)


def test_the_recurrence_layer_by_layer():
    table = receptive_field([(3, 1), {"kernel": 2, "stride": 2, "pool": True}, (3, 1), (3, 2, 2)])
    # r_l = r_{l-1} + (k_l - 1)·∏ strides before l, with k' = d(k - 1) + 1
    assert table["jump"].tolist() == [1, 2, 2, 4]
    assert table["field"].tolist() == [3, 3 + 1 * 1, 4 + 2 * 2, 8 + 4 * 2]
    assert table["weights"].tolist() == [9, 9, 18, 27]


def test_the_vgg_point_in_numbers_and_on_the_chart():
    stacks = {"3×3 convs": [(3, 1)] * 3, "one 5×5": [(5, 1)], "one 7×7": [(7, 1)]}
    drawn = vk.receptive_field(stacks)
    field = drawn.table.set_index(["stack", "layer"])
    assert field.loc[("3×3 convs", 2), ["field", "weights"]].tolist() == [5, 18]  # 2·9·C² = 18C²
    assert field.loc[("one 5×5", 1), ["field", "weights"]].tolist() == [5, 25]
    assert field.loc[("3×3 convs", 3), ["field", "weights"]].tolist() == [7, 27]
    assert field.loc[("one 7×7", 1), ["field", "weights"]].tolist() == [7, 49]
    c = 16  # the same count from torch's parameters, C channels in and out, no bias
    two = sum(p.numel() for p in nn.Sequential(nn.Conv2d(c, c, 3, bias=False), nn.Conv2d(c, c, 3, bias=False))
              .parameters())
    assert (two, nn.Conv2d(c, c, 5, bias=False).weight.numel()) == (18 * c * c, 25 * c * c)
    drawn_table = vk.plotted_data(drawn.ax_)
    for name, line in drawn.artists_["lines"].items():
        rows = drawn_table[drawn_table["stack"] == name]
        np.testing.assert_array_equal(line.get_ydata(), rows["field"])
    assert "5×5, 18C²" in [t.get_text() for t in drawn.artists_["labels"]]
    assert vk.lint(drawn.figure_) == []
    plt.close(drawn.figure_)


@pytest.mark.parametrize(("layers", "error", "names"), [
    ([(3,)], VizkitTypeError, r"`layers\[0\]`"),
    ([(3, 0)], VizkitValueError, r"`layers\[0\] stride`"),
    ([{"kernel": 3, "strides": 2}], VizkitValueError, "'strides'"),
    ([], VizkitValueError, "`layers`"),
    ("3x3", VizkitTypeError, "`layers`"),
])
def test_bad_layers_name_the_argument(layers, error, names):
    with pytest.raises(error, match=names):
        receptive_field(layers)
    with pytest.raises(VizkitTypeError, match="`stacks`"):
        ReceptiveFieldDisplay.from_layers("3x3")


def test_one_stack_alone_is_drawn_under_its_name():
    """A new user passes the model itself, or one list of layers, without a dict around it."""
    torch = pytest.importorskip("torch")
    model = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, dilation=2), torch.nn.Conv2d(8, 8, 3, stride=2))
    drawn = vk.receptive_field(model)
    assert drawn.table["stack"].unique().tolist() == ["Sequential"]
    assert drawn.fields_ == {"Sequential": receptive_field(model)["field"].iloc[-1]} == {"Sequential": 7}
    assert vk.receptive_field([(3, 1)] * 2, ax=plt.figure().subplots()).fields_ == {"layers": 5}
    plt.close("all")


def test_labels_must_be_a_bool():
    with pytest.raises(VizkitTypeError, match="`labels`"):
        vk.receptive_field({"3×3": [(3, 1)]}, labels="yes")
