"""vizkit.torch.models.vit and patchify: the ViT of the assignment, its parameters counted by hand, its attention."""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from vizkit.errors import VizkitTypeError, VizkitValueError  # noqa: E402
from vizkit.torch.models import EncoderBlock, patchify, vit  # noqa: E402


def _by_hand(d, depth, m, tokens, classes, pixels):
    """The parameter formula of the lecture, one term per layer."""
    patch = pixels * d + d                       # the linear patch embedding
    cls, positions = d, tokens * d               # the class token, one learned embedding per token
    block = 2 * (2 * d)                          # two LayerNorms (scale and shift)
    block += 3 * d * d + 3 * d + d * d + d       # Q, K, V in one in_proj, the output projection
    block += d * m + m + m * d + d               # the MLP
    return patch + cls + positions + depth * block + 2 * d + d * classes + classes


@pytest.mark.parametrize("kw", [{}, {"dim": 48, "depth": 3, "heads": 4, "mlp_dim": 96},
                                {"dim": 32, "depth": 2, "heads": 2, "mlp_dim": 64, "patch_size": 7}])
def test_parameters_equal_the_formula_counted_by_hand(kw):
    model = vit(**kw)
    d, p = kw.get("dim", 64), kw.get("patch_size", 4)
    tokens = (28 // p) ** 2 + 1
    expected = _by_hand(d, kw.get("depth", 3), kw.get("mlp_dim", 128), tokens, 10, p * p)
    assert sum(t.numel() for t in model.parameters()) == expected


def test_the_runs_model_has_60_730_parameters():
    # 816 patch embedding + 48 class token + 2 400 positions + 3 × 18 960 per block + 96 final norm + 490 head
    assert sum(t.numel() for t in vit(dim=48, depth=3, heads=4, mlp_dim=96).parameters()) == 60_730
    assert _by_hand(48, 3, 96, 50, 10, 16) == 60_730


def test_patchify_cuts_a_digit_into_49_patches_in_reading_order():
    image = torch.arange(28 * 28, dtype=torch.float32).reshape(1, 1, 28, 28)
    patches = patchify(image, 4)
    assert patches.shape == (1, 49, 16)
    for k in (0, 6, 7, 48):
        row, col = divmod(k, 7)
        np.testing.assert_array_equal(patches[0, k].numpy(), image[0, 0, 4 * row:4 * row + 4, 4 * col:4 * col + 4]
                                      .reshape(-1).numpy())


def test_patchify_keeps_the_channels_of_a_pixel_together_per_channel_block():
    image = torch.stack([torch.zeros(4, 4), torch.ones(4, 4), 2 * torch.ones(4, 4)])[None]   # R = 0, G = 1, B = 2
    patches = patchify(image, 2)
    assert patches.shape == (1, 4, 12)
    assert patches[0, 0].tolist() == [0.0] * 4 + [1.0] * 4 + [2.0] * 4


def test_forward_takes_images_or_flat_rows_and_returns_each_blocks_attention_per_head():
    torch.manual_seed(0)
    model = vit(dim=32, depth=2, heads=2, mlp_dim=64).eval()
    images = torch.rand(3, 1, 28, 28)
    logits, weights = model(images, return_attention=True)
    torch.testing.assert_close(model(images.reshape(3, -1)), logits)
    assert logits.shape == (3, 10) and len(weights) == 2
    for w in weights:
        assert w.shape == (3, 2, 50, 50)
        torch.testing.assert_close(w.sum(-1), torch.ones(3, 2, 50))


def test_attention_equals_softmax_of_queries_and_keys_from_the_blocks_own_projections():
    torch.manual_seed(1)
    block = EncoderBlock(dim=16, heads=2, mlp_dim=32).eval()
    x = torch.randn(2, 5, 16)
    _, weights = block(x, need_weights=True)
    h = block.norm1(x)
    q, k, _ = torch.nn.functional.linear(h, block.attn.in_proj_weight, block.attn.in_proj_bias).chunk(3, dim=-1)
    q, k = (t.reshape(2, 5, 2, 8).transpose(1, 2) for t in (q, k))       # (N, heads, T, 8)
    expected = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(8), dim=-1)
    torch.testing.assert_close(weights, expected)


def test_bad_sizes_are_named():
    with pytest.raises(VizkitValueError, match="patch_size"):
        vit(patch_size=5)
    with pytest.raises(VizkitValueError, match="heads"):
        vit(dim=30, heads=4)
    with pytest.raises(VizkitTypeError, match="patch_size"):
        patchify(torch.zeros(1, 1, 4, 4), 2.0)
    with pytest.raises(VizkitValueError, match="images"):
        patchify(torch.zeros(4, 4), 2)
    with pytest.raises(VizkitValueError, match="num_classes"):
        vit(num_classes=0)


def test_what_forward_returns_is_what_the_torch_free_charts_take():
    import matplotlib.pyplot as plt

    import vizkit as vk
    from vizkit.ml import attention_rollout

    torch.manual_seed(2)
    model = vit(dim=16, depth=2, heads=2, mlp_dim=32).eval()
    images = torch.rand(2, 1, 28, 28)
    with torch.no_grad():
        _, weights = model(images, return_attention=True)            # a list of (N, heads, 50, 50) tensors
    shown = vk.cls_attention(images[1, 0], weights, sample=1)
    np.testing.assert_allclose(shown.heads_[1, 0], weights[1][1, 0, 0, 1:].reshape(7, 7).numpy(), rtol=1e-6)
    np.testing.assert_allclose(shown.rollout_[-1], attention_rollout(weights)[1, 0, 1:].reshape(7, 7), rtol=1e-6)
    plt.close(shown.figure_)


def test_attention_maps_captures_the_same_weights_the_model_returns():
    from vizkit.torch import AttentionMaps

    torch.manual_seed(3)
    model = vit(dim=16, depth=2, heads=2, mlp_dim=32).eval()
    images = torch.rand(2, 1, 28, 28)
    maps = AttentionMaps(model).capture(images)
    assert maps.layers == ["blocks.0.attn", "blocks.1.attn"]
    with torch.no_grad():
        _, weights = model(images, return_attention=True)
    for name, returned in zip(maps.layers, weights, strict=True):
        np.testing.assert_allclose(maps.weights[name], returned.numpy(), atol=1e-6)
