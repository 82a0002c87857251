"""vizkit.ml.attention_rollout (Abnar & Zuidema, 2020): torch-free, rows sum to 1, the paper's recurrence."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import fuzz_settings
from vizkit.errors import VizkitTypeError, VizkitValueError
from vizkit.ml import attention_rollout


def _softmax_rows(rng, shape):
    scores = rng.normal(size=shape) * 2
    weights = np.exp(scores)
    return weights / weights.sum(-1, keepdims=True)


def test_rows_sum_to_one():
    weights = _softmax_rows(np.random.default_rng(0), (3, 4, 10, 10))
    rollout = attention_rollout(weights)
    assert rollout.shape == (10, 10)
    np.testing.assert_allclose(rollout.sum(-1), 1, atol=1e-12)
    assert (rollout >= 0).all()


def test_one_layer_is_the_head_mean_plus_identity_renormalised():
    weights = _softmax_rows(np.random.default_rng(1), (1, 3, 6, 6))
    mean = weights[0].mean(0)
    expected = (mean + np.eye(6)) / (mean + np.eye(6)).sum(-1, keepdims=True)
    np.testing.assert_allclose(attention_rollout(weights), expected, atol=1e-12)
    np.testing.assert_allclose(expected, (mean + np.eye(6)) / 2, atol=1e-12)  # softmax rows sum to 1: (A + I) / 2


def test_identity_attention_gives_identity():
    np.testing.assert_allclose(attention_rollout(np.stack([np.stack([np.eye(5)] * 2)] * 4)), np.eye(5), atol=1e-12)


def test_layers_multiply_the_first_on_the_right():
    weights = _softmax_rows(np.random.default_rng(2), (3, 2, 4, 4))
    steps = [(w.mean(0) + np.eye(4)) / 2 for w in weights]
    np.testing.assert_allclose(attention_rollout(weights), steps[2] @ steps[1] @ steps[0], atol=1e-12)
    np.testing.assert_allclose(attention_rollout(weights, residual=False),
                               weights[2].mean(0) @ weights[1].mean(0) @ weights[0].mean(0), atol=1e-12)


def test_a_batch_a_list_of_layers_and_fused_heads_give_the_same_rollout():
    weights = _softmax_rows(np.random.default_rng(3), (2, 5, 3, 7, 7))           # (layers, N, heads, T, T)
    batch = attention_rollout(weights)
    assert batch.shape == (5, 7, 7)
    for n in range(5):
        np.testing.assert_allclose(batch[n], attention_rollout(weights[:, n]), atol=1e-12)
    np.testing.assert_allclose(attention_rollout(list(weights)), batch, atol=1e-12)
    np.testing.assert_allclose(attention_rollout(weights[:, 0].mean(1)), batch[0], atol=1e-12)


def test_max_and_min_fusion():
    weights = _softmax_rows(np.random.default_rng(4), (1, 3, 4, 4))
    fused = weights[0].max(0) + np.eye(4)
    np.testing.assert_allclose(attention_rollout(weights, head_fusion="max"), fused / fused.sum(-1, keepdims=True))


def test_a_torch_tensor_is_read_without_asking_for_numpy_first():
    torch = pytest.importorskip("torch")
    weights = torch.softmax(torch.randn(2, 2, 5, 5, requires_grad=True), -1)
    np.testing.assert_allclose(attention_rollout(weights), attention_rollout(weights.detach().numpy()), atol=1e-6)


@pytest.mark.parametrize(("weights", "error", "match"), [
    (np.ones((4, 4)), VizkitValueError, "weights"),                        # no layer axis
    (np.ones((2, 3, 4, 5)), VizkitValueError, "shape"),                    # not square
    (-np.ones((1, 4, 4)), VizkitValueError, "negative"),
    (np.full((1, 3, 3), np.nan), VizkitValueError, "NaN"),
    ([np.ones((2, 3, 3)), np.ones((2, 4, 4))], VizkitValueError, "layers of shapes"),
    (np.array(["a"] * 9).reshape(1, 3, 3), VizkitValueError, "weights"),
])
def test_bad_weights_are_named(weights, error, match):
    with pytest.raises(error, match=match):
        attention_rollout(weights)


def test_bad_options_are_named():
    with pytest.raises(VizkitValueError, match="head_fusion"):
        attention_rollout(np.ones((1, 1, 2, 2)), head_fusion="median")
    with pytest.raises(VizkitTypeError, match="residual"):
        attention_rollout(np.ones((1, 1, 2, 2)), residual="yes")
    with pytest.raises(VizkitValueError, match="positive sum"):
        attention_rollout(np.zeros((1, 1, 2, 2)), residual=False)


@fuzz_settings(40)
@given(layers=st.integers(1, 4), heads=st.integers(1, 3), tokens=st.integers(1, 6), seed=st.integers(0, 2**16))
def test_any_softmax_weights_roll_out_to_a_row_stochastic_matrix(layers, heads, tokens, seed):
    rollout = attention_rollout(_softmax_rows(np.random.default_rng(seed), (layers, heads, tokens, tokens)))
    np.testing.assert_allclose(rollout.sum(-1), 1, atol=1e-9)
    assert (rollout >= 0).all() and (np.diag(rollout) >= 0.5 ** layers - 1e-12).all()  # the residual path is kept
