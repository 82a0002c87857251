"""vizkit.torch.autoregressive_sample, and the AR page's model: pixel k never depends on pixels k, k+1, ..."""

import importlib.util

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from tests.training_scripts import ROOT  # noqa: E402
from vizkit.errors import VizkitError  # noqa: E402
from vizkit.torch import autoregressive_sample  # noqa: E402


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("training_autoregressive_pixels",
                                                  ROOT / "training_runs" / "autoregressive_pixels.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def copy_previous(x):
    """A chain: pixel 0 is a fair coin, every later pixel copies the one before it (logit ±20)."""
    logits = torch.zeros_like(x)
    logits[:, 1:] = 40 * x[:, :-1] - 20
    return logits


def test_pixels_are_drawn_in_order_each_from_the_ones_before():
    out = autoregressive_sample(copy_previous, 200, 6, keep=[0, 1, 3, 6], generator=torch.Generator().manual_seed(0))
    samples = out.samples
    assert ((samples == 0) | (samples == 1)).all()
    assert (samples == samples[:, :1]).all()                    # every pixel copied its predecessor
    assert 60 < int(samples[:, 0].sum()) < 140                  # the first pixel is a fair coin
    assert out.steps == [0, 1, 3, 6] and out.frames.shape == (4, 200, 6)
    assert out.frames[0].isnan().all() and torch.equal(out.frames[-1], samples)
    assert out.frames[2, :, :3].eq(samples[:, :3]).all() and out.frames[2, :, 3:].isnan().all()
    np.testing.assert_allclose(out.probabilities[:, 0], 0.5)
    np.testing.assert_allclose(out.probabilities[:, 1:], samples[:, :-1], atol=1e-8)


def test_another_order_draws_the_pixels_in_that_order():
    reverse = lambda x: copy_previous(x.flip(1)).flip(1)       # noqa: E731 - the chain, right to left
    out = autoregressive_sample(reverse, 50, 5, keep=[2], order=[4, 3, 2, 1, 0],
                                generator=torch.Generator().manual_seed(1))
    assert (out.samples == out.samples[:, -1:]).all()
    assert out.frames[0, :, 3:].eq(out.samples[:, 3:]).all() and out.frames[0, :, :3].isnan().all()


def test_the_pages_model_is_autoregressive_its_jacobian_strictly_lower_triangular(script):
    torch.manual_seed(0)
    model = script.MADE(pixels=16, hidden=24)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.normal_()                                 # any weights: the masks alone must hold it
    model.labels = torch.tensor([3])
    x = torch.bernoulli(torch.full((16,), 0.5), generator=torch.Generator().manual_seed(1))
    jacobian = torch.autograd.functional.jacobian(lambda v: model(v[None])[0], x)   # d logit_i / d x_j
    assert jacobian.shape == (16, 16)
    assert (jacobian.triu() == 0).all()                         # logit i never sees pixel i or a later one
    below = torch.tril_indices(16, 16, -1)
    assert (jacobian[below[0], below[1]] != 0).all()           # and does see every one before it
    # the same by flipping one pixel: the probabilities of pixels 0 ... k are unchanged
    for k in range(16):
        flipped = x.clone()
        flipped[k] = 1 - flipped[k]
        with torch.no_grad():
            before, after = model(x[None])[0], model(flipped[None])[0]
        assert torch.equal(before[:k + 1], after[:k + 1])


def test_sampling_leaves_the_model_in_training_mode(script):
    model = script.MADE(pixels=9, hidden=8).train()
    model.labels = torch.zeros(2, dtype=torch.long)
    autoregressive_sample(model, 2, 9, generator=torch.Generator().manual_seed(0))
    assert model.training


@pytest.mark.parametrize(("kwargs", "argument"), [
    ({"n": 0}, "n"),
    ({"pixels": 2.5}, "pixels"),
    ({"keep": [7]}, "keep"),
    ({"order": [0, 1, 1, 2, 3, 4]}, "order"),
    ({"model": lambda x: x[:, :2]}, "model"),
])
def test_bad_input_names_the_argument(kwargs, argument):
    call = {"model": copy_previous, "n": 2, "pixels": 6, **kwargs}
    with pytest.raises(VizkitError, match=f"`{argument}"):
        autoregressive_sample(call.pop("model"), call.pop("n"), call.pop("pixels"), **call)
