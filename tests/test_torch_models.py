"""The five modern CNN families in plain torch: torchvision's exact parameter and module counts."""

import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402

from vizkit.errors import VizkitTypeError, VizkitValueError  # noqa: E402
from vizkit.torch import models  # noqa: E402

PARAMETERS = {
    "alexnet": 61_100_840,
    "vgg11": 132_863_336,
    "vgg16": 138_357_544,
    "vgg19": 143_667_240,
    "googlenet": 6_624_904,
    "resnet18": 11_689_512,
    "resnet34": 21_797_672,
    "resnet50": 25_557_032,
    "densenet121": 7_978_856,
}

MODULES = {  # Conv2d / Linear / BatchNorm2d
    "alexnet": (5, 3, 0),
    "vgg16": (13, 3, 0),
    "googlenet": (57, 1, 57),
    "resnet18": (20, 1, 20),
    "densenet121": (120, 1, 121),
}


def on_meta(name, **kwargs):
    with torch.device("meta"):
        return getattr(models, name)(**kwargs)


def n_parameters(model):
    return sum(p.numel() for p in model.parameters())


@pytest.mark.parametrize("name", PARAMETERS)
def test_parameters_at_1000_classes_equal_torchvisions(name):
    assert n_parameters(on_meta(name)) == PARAMETERS[name]


def test_googlenet_with_its_auxiliary_classifiers_has_13_004_888_parameters():
    assert n_parameters(on_meta("googlenet", aux_logits=True)) == 13_004_888


@pytest.mark.parametrize("name", MODULES)
def test_module_counts_equal_torchvisions(name):
    model = on_meta(name)
    counts = tuple(sum(isinstance(m, kind) for m in model.modules()) for kind in (nn.Conv2d, nn.Linear, nn.BatchNorm2d))
    assert counts == MODULES[name]


def test_num_classes_changes_only_the_last_layer():
    ten, thousand = on_meta("resnet50", num_classes=10), on_meta("resnet50")
    assert ten.fc.out_features == 10
    assert n_parameters(thousand) - n_parameters(ten) == 990 * (2048 + 1)


def test_resnet18_maps_images_to_logits():
    torch.manual_seed(0)
    assert models.resnet18(num_classes=10).eval()(torch.randn(1, 3, 64, 64)).shape == (1, 10)


def test_googlenet_aux_heads_sit_after_inception_4a_and_4d():
    model = on_meta("googlenet", num_classes=7, aux_logits=True)
    assert (model.aux1.conv[0].in_channels, model.aux2.conv[0].in_channels) == (512, 528)
    assert model.aux1.fc2.out_features == model.fc.out_features == 7


def test_densenet_block_output_concatenates_its_input_and_32_new_channels_per_layer():
    block = models.DenseBlock(6, 64, growth_rate=32, bn_size=4).eval()
    images = torch.randn(1, 64, 8, 8)
    out = block(images)
    assert out.shape == (1, 64 + 6 * 32, 8, 8)
    assert torch.equal(out[:, :64], images)                       # the input passes through unchanged


@pytest.mark.parametrize(("value", "error"), [(0, VizkitValueError), (2.5, VizkitTypeError), (True, VizkitTypeError)])
def test_bad_num_classes_is_named(value, error):
    with pytest.raises(error, match="num_classes"):
        models.alexnet(num_classes=value)


def test_aux_logits_must_be_a_bool():
    with pytest.raises(VizkitTypeError, match="aux_logits"):
        models.googlenet(aux_logits="yes")


def test_architecture_table_depth_is_the_longest_chain_of_weight_layers_the_names_count():
    table = models.architecture_table(mult_adds=False).set_index("model")
    assert table["depth"].to_dict() == {
        "AlexNet": 8, "VGG-11": 11, "VGG-16": 16, "VGG-19": 19, "GoogLeNet": 22,
        "ResNet-18": 18, "ResNet-34": 34, "ResNet-50": 50, "DenseNet-121": 121}
    # every convolution and linear layer: ResNet's projection shortcuts and GoogLeNet's parallel branches too
    assert table.loc["ResNet-50", "weight_layers"] == 54 and table.loc["GoogLeNet", "weight_layers"] == 58
    assert table["parameters"].to_dict() == {
        "AlexNet": PARAMETERS["alexnet"], "VGG-11": PARAMETERS["vgg11"], "VGG-16": PARAMETERS["vgg16"],
        "VGG-19": PARAMETERS["vgg19"], "GoogLeNet": PARAMETERS["googlenet"], "ResNet-18": PARAMETERS["resnet18"],
        "ResNet-34": PARAMETERS["resnet34"], "ResNet-50": PARAMETERS["resnet50"],
        "DenseNet-121": PARAMETERS["densenet121"]}
    assert "mult_adds" not in table


def test_architecture_table_takes_your_own_modules_and_counts_tied_weights_once():
    head = nn.Linear(8, 100, bias=False)
    embed = nn.Embedding(100, 8)
    head.weight = embed.weight
    table = models.architecture_table({"tied": nn.Sequential(embed, head)}, mult_adds=False)
    assert table.loc[0, "parameters"] == 800 and table.loc[0, "family"] == "Sequential"


def test_architecture_table_names_a_bad_model():
    with pytest.raises(VizkitValueError, match="models.*ResNet-50"):
        models.architecture_table(["ResNet50"])
    with pytest.raises(VizkitTypeError, match="models"):
        models.architecture_table("ResNet-50")


def test_architecture_table_mult_adds_of_one_convolution_are_its_output_size_times_its_kernel():
    table = models.architecture_table({"conv": nn.Conv2d(3, 6, 5)}, input_size=(3, 32, 32))
    assert table.loc[0, "parameters"] == 456
    assert table.loc[0, "mult_adds"] == 6 * 28 * 28 * (5 * 5 * 3)          # output values times weights per value
