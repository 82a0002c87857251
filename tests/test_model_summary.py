"""vizkit.torch.summary: a model's layers with output shapes, kernels, parameters counted once and mult-adds.

The numbers are the lecture's anchors (the PyTorch CIFAR-10 tutorial net, a
5×5 convolution from 3 to 6 channels, ResNet's bias-free 7×7 stem) and the
two cases torchinfo 1.8.0 gets wrong (a ReLU module shared by three blocks:
160 for 120; an embedding tied to its output head: 1 600 for 800).
"""

import pytest

torch = pytest.importorskip("torch")
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from torch import nn  # noqa: E402
from torch.nn import functional as F  # noqa: E402

from vizkit.errors import VizkitTypeError, VizkitValueError  # noqa: E402
from tests.fuzzing import fuzz_settings  # noqa: E402
from vizkit.torch import ModelSummary, summary  # noqa: E402


class TutorialNet(nn.Module):
    """The net of PyTorch's "Training a classifier" tutorial (CIFAR-10), as written there."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


def test_the_cifar_tutorial_net_has_the_lectures_counts_and_shapes():
    found = summary(TutorialNet(), (3, 32, 32))
    table = found.table
    assert table["layer"].tolist() == ["conv1", "pool", "conv2", "pool", "fc1", "fc2", "fc3"]
    assert table["params"].tolist() == [456, 0, 2_416, 0, 48_120, 10_164, 850]
    assert found.total_params == found.trainable_params == 62_006
    assert table["output_shape"].tolist()[:4] == [(6, 28, 28), (6, 14, 14), (16, 10, 10), (16, 5, 5)]
    assert table["kernel"].tolist()[:4] == [(5, 5), (2, 2), (5, 5), (2, 2)]
    assert found.input_size == (3, 32, 32) and found.output_shape == (10,)
    # mult-adds: one per weight per output position; the linear layers in·out
    assert table["mult_adds"].tolist() == [6 * 28 * 28 * 5 * 5 * 3, 0, 16 * 10 * 10 * 5 * 5 * 6, 0,
                                           400 * 120, 120 * 84, 84 * 10]
    assert found.mult_adds == table["mult_adds"].sum() == 651_720


def test_a_5x5_convolution_from_3_to_6_channels_has_456_parameters_and_352_800_mult_adds():
    found = summary(nn.Conv2d(3, 6, 5), (3, 32, 32))
    assert found.total_params == 5 * 5 * 3 * 6 + 6 == 456
    assert found.mult_adds == 6 * 28 * 28 * (5 * 5 * 3) == 352_800
    assert found.table.loc[0, "weight_shape"] == (6, 3, 5, 5) and found.table.loc[0, "bias"]


def test_a_bias_free_7x7_stem_from_3_to_64_channels_has_9_408():
    found = summary(nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False), (3, 224, 224))
    assert found.total_params == 7 * 7 * 3 * 64 == 9_408
    assert found.output_shape == (64, 112, 112) and not found.table.loc[0, "bias"]


def test_a_relu_module_shared_by_three_blocks_counts_its_layers_once_each():
    relu = nn.ReLU()
    model = nn.Sequential(*[nn.Sequential(nn.Linear(4, 4), relu, nn.Linear(4, 4)) for _ in range(3)])
    found = summary(model, (4,))
    assert found.total_params == 120  # torchinfo 1.8.0: 160
    assert found.table["type"].tolist() == ["Linear", "ReLU", "Linear"] * 3  # a row per call
    assert found.table["layer"].tolist()[1::3] == ["0.1"] * 3  # the one module, by its name
    assert found.table["params"].sum() == 120


def test_an_embedding_tied_to_its_head_counts_800_once():
    embed, head = nn.Embedding(100, 8), nn.Linear(8, 100, bias=False)
    head.weight = embed.weight
    found = summary(nn.Sequential(embed, head), (12,), dtype=torch.long)
    assert found.total_params == 800  # torchinfo 1.8.0: 1 600
    assert found.table["params"].tolist() == [800, 0]
    assert found.table["shared_with"].tolist() == [None, "0"]
    assert found.output_shape == (12, 100)
    assert "0 (shared with 0)" in str(found)


def test_attention_mult_adds_are_counted_by_hand_and_out_proj_is_named():
    """Summaries run in eval without grad, where MultiheadAttention takes a fused fast path and CPU attention a
    fused kernel, both invisible to the flop counter (0 mult-adds before). Per layer, L tokens of width d:
    Q, K, V and out projections 4·L·d², scores and weighted sum 2·L²·d."""
    L, d = 10, 32
    model = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, 4, 64, batch_first=True), 2, enable_nested_tensor=False)
    found = summary(model, (L, d))
    attention = found.table.query("type == 'MultiheadAttention'")
    assert attention["mult_adds"].tolist() == [4 * L * d * d + 2 * L * L * d] * 2
    assert found.mult_adds == 2 * (4 * L * d * d + 2 * L * L * d + 2 * L * d * 64)
    assert torch.backends.mha.get_fastpath_enabled()  # put back
    assert "layers.0.self_attn.out_proj, layers.1.self_attn.out_proj" in str(found)


def test_frozen_parameters_are_counted_but_not_trainable():
    model = TutorialNet()
    model.conv1.requires_grad_(False)
    found = summary(model, (3, 32, 32))
    assert (found.total_params, found.trainable_params, found.non_trainable_params) == (62_006, 61_550, 456)
    assert found.table["trainable"].tolist()[0] == 0


def test_the_meta_device_summarises_without_allocating():
    with torch.device("meta"):
        model = TutorialNet()
    found = summary(model, (3, 32, 32))
    assert found.total_params == 62_006 and found.mult_adds == 651_720
    assert found.table["output_shape"].tolist()[2] == (16, 10, 10)


def test_the_model_is_left_as_it_was():
    model = TutorialNet().train()
    before = {name: p.clone() for name, p in model.named_parameters()}
    summary(model, (3, 32, 32))
    assert model.training and all(m.training for m in model.modules())
    assert not any(m._forward_hooks or m._forward_pre_hooks for m in model.modules())
    assert all(torch.equal(p, before[name]) for name, p in model.named_parameters())


def test_text_and_html_show_each_layer_and_the_totals():
    found = summary(TutorialNet(), (3, 32, 32))
    text = str(found)
    assert "conv1 (Conv2d)" in text and "[6, 28, 28]" in text and "5×5" in text and "48,120" in text
    assert "Total params: 62,006" in text and "Mult-adds per example: 651,720" in text
    assert "<td>conv1 (Conv2d)</td>" in found._repr_html_()
    assert isinstance(found, ModelSummary) and "62,006" in repr(found)


def test_bad_input_names_the_argument():
    with pytest.raises(VizkitTypeError, match="`model`"):
        summary("resnet", (3, 32, 32))
    with pytest.raises(VizkitValueError, match="`input_size`"):
        summary(TutorialNet(), (3, 0, 32))
    with pytest.raises(VizkitTypeError, match="`input_size`"):
        summary(TutorialNet(), "3x32x32")
    with pytest.raises(VizkitTypeError, match="`dtype`"):
        summary(TutorialNet(), (3, 32, 32), dtype="float")
    with pytest.raises(VizkitValueError, match="`device`"):
        summary(TutorialNet(), (3, 32, 32), device="meta")


def vgg16():
    """VGG-16 as in Simonyan and Zisserman (configuration D), 1 000 classes."""
    layers, channels = [], 3
    for width in [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]:
        if width == "M":
            layers.append(nn.MaxPool2d(2))
        else:
            layers += [nn.Conv2d(channels, width, 3, padding=1), nn.ReLU(inplace=True)]
            channels = width
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(512 * 7 * 7, 4096), nn.ReLU(True), nn.Dropout(),
                         nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(), nn.Linear(4096, 1000))


def test_vgg16_on_the_meta_device_has_138_million_parameters_and_15_5_billion_mult_adds():
    with torch.device("meta"):  # 553 MB of weights never allocated
        model = vgg16()
    found = summary(model, (3, 224, 224))
    assert found.total_params == 138_357_544
    assert found.mult_adds == 15_470_264_320  # the usual "15.5 GMACs" of VGG-16 at 224×224
    assert found.output_shape == (1000,) and found.table["output_shape"].tolist()[30] == (512, 7, 7)


def test_an_input_the_forward_pass_refuses_names_input_size_and_the_layer():
    with pytest.raises(VizkitValueError, match=r"`input_size`.*fc1 \(Linear\) failed on it"):
        summary(TutorialNet(), (3, 28, 28))


@fuzz_settings(20)
@given(cin=st.integers(1, 8), cout=st.integers(1, 8), kernel=st.integers(1, 4), bias=st.booleans(),
       linear=st.booleans())
def test_every_formula_param_counts_writes_gives_the_count_summary_found(cin, cout, kernel, bias, linear):
    from vizkit.ml import ParamCountsDisplay

    layer = nn.Linear(cin, cout, bias=bias) if linear else nn.Conv2d(cin, cout, kernel, bias=bias)
    found = summary(layer, (cin,) if linear else (cin, 6, 6))
    assert found.total_params == sum(p.numel() for p in layer.parameters())
    written = ParamCountsDisplay.from_summary(found).table["formula"].item()
    assert eval(written.replace("·", "*")) == found.total_params  # noqa: S307 - digits, dots and plus only
    assert written.endswith(f"+ {cout}") == bias
