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


def test_resnet18_maps_images_to_logits_and_googlenet_adds_two_aux_outputs_in_training():
    torch.manual_seed(0)
    images = torch.randn(1, 3, 64, 64)
    assert models.resnet18(num_classes=10).eval()(images).shape == (1, 10)
    logits, aux2, aux1 = on_meta("googlenet", num_classes=7, aux_logits=True).train()(images.to("meta"))
    assert logits.shape == aux2.shape == aux1.shape == (1, 7)
    assert on_meta("googlenet", num_classes=7, aux_logits=True).eval()(images.to("meta")).shape == (1, 7)


def test_densenet_block_output_concatenates_its_input_and_32_new_channels_per_layer():
    with torch.device("meta"):
        block = models.DenseBlock(6, 64, growth_rate=32, bn_size=4)
        out = block(torch.empty(1, 64, 56, 56))
    assert out.shape == (1, 64 + 6 * 32, 56, 56)


@pytest.mark.parametrize(("value", "error"), [(0, VizkitValueError), (2.5, VizkitTypeError), (True, VizkitTypeError)])
def test_bad_num_classes_is_named(value, error):
    with pytest.raises(error, match="num_classes"):
        models.alexnet(num_classes=value)


def test_aux_logits_must_be_a_bool():
    with pytest.raises(VizkitTypeError, match="aux_logits"):
        models.googlenet(aux_logits="yes")
