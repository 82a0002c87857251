"""vizkit.torch.convolutionalize: a classifier's Linear head as convolutions gives its logits, and a score map on larger images."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402

import vizkit as vk  # noqa: E402
from vizkit.errors import VizkitError  # noqa: E402
from vizkit.torch import convolutionalize  # noqa: E402


def mnist_cnn():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(16 * 7 * 7, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 10)).eval()


@pytest.fixture(scope="module")
def digits():
    frame = vk.load_dataset("mnist")
    pixels = frame.drop(columns="label").to_numpy(np.float32)[:16] / 255
    return torch.from_numpy(pixels.reshape(-1, 1, 28, 28))


def test_the_fcn_gives_the_classifiers_logits_on_28x28_digits(digits):
    model = mnist_cnn()
    fcn = convolutionalize(model, (1, 28, 28)).eval()
    with torch.no_grad():
        logits, scores = model(digits), fcn(digits)
    assert scores.shape == (16, 10, 1, 1)
    np.testing.assert_allclose(scores.flatten(1).numpy(), logits.numpy(), atol=1e-5, rtol=0)


def test_linear_layers_become_a_kxk_conv_then_1x1_convs_with_the_same_weights():
    model = mnist_cnn()
    fcn = convolutionalize(model, (1, 28, 28))
    first, last = fcn[6], fcn[-1]
    assert (first.in_channels, first.out_channels, first.kernel_size) == (16, 32, (7, 7))
    assert (last.in_channels, last.out_channels, last.kernel_size) == (32, 10, (1, 1))
    assert torch.equal(first.weight.flatten(1), model[7].weight) and torch.equal(first.bias, model[7].bias)
    assert torch.equal(last.weight.flatten(1), model[10].weight)
    assert sum(p.numel() for p in fcn.parameters()) == sum(p.numel() for p in model.parameters())
    assert not any(isinstance(layer, (nn.Linear, nn.Flatten)) for layer in fcn)
    assert fcn[0] is not model[0]                                     # the model is copied, never changed


def test_a_larger_canvas_gives_a_map_whose_windows_are_the_classifiers_logits(digits):
    torch.manual_seed(1)                                              # no padding: a window sees only its own pixels
    model = nn.Sequential(nn.Conv2d(1, 8, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 5), nn.ReLU(),
                          nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16 * 4 * 4, 32), nn.ReLU(), nn.Linear(32, 10))
    canvas = torch.zeros(1, 1, 84, 84)
    canvas[0, 0, 28:56, 8:36] = digits[0, 0]                          # a digit at row 28, column 8
    fcn = convolutionalize(model, (1, 28, 28)).eval()
    with torch.no_grad():
        scores = fcn(canvas)
        window = model(canvas[:, :, 28:56, 8:36])
    assert scores.shape == (1, 10, 15, 15)                            # (84 / 4 - 7) + 1 positions, stride 4
    np.testing.assert_allclose(scores[0, :, 28 // 4, 8 // 4].numpy(), window[0].numpy(), atol=1e-5, rtol=0)


def test_a_model_it_cannot_convolutionalize_gets_an_error_naming_the_problem():
    with pytest.raises(VizkitError, match="model.*nn.Sequential"):
        convolutionalize(nn.Linear(4, 2), (1, 2, 2))
    with pytest.raises(VizkitError, match="one nn.Flatten"):
        convolutionalize(nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU()), (1, 8, 8))
    with pytest.raises(VizkitError, match="BatchNorm1d"):
        convolutionalize(nn.Sequential(nn.Flatten(), nn.Linear(4, 3), nn.BatchNorm1d(3)), (1, 2, 2))
    with pytest.raises(VizkitError, match="input_size"):
        convolutionalize(mnist_cnn(), (28, 28))
    with pytest.raises(VizkitError, match="72 features"):
        convolutionalize(nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(50, 2)), (1, 8, 8))
