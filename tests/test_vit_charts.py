"""The ViT charts, torch-free: vk.patch_grid, vk.position_similarity, vk.cls_attention; what is drawn equals the arrays."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import vizkit as vk
from tests.fuzzing import fuzz_settings
from vizkit.errors import VizkitTypeError, VizkitValueError
from vizkit.charts.image_patches import PatchGridDisplay
from vizkit.ml import ClassTokenAttentionDisplay, PositionSimilarityDisplay, attention_rollout


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def digit():
    frame = vk.load_dataset("mnist")
    return frame.iloc[0, :784].to_numpy().reshape(28, 28) / 255.0


def _attention(seed, shape=(3, 4, 50, 50)):
    scores = np.random.default_rng(seed).normal(size=shape) * 3
    weights = np.exp(scores)
    return weights / weights.sum(-1, keepdims=True)


# ----------------------------------------------------------------------------- patch_grid
def test_patch_grid_numbers_49_patches_in_reading_order_and_draws_them_as_a_sequence(digit):
    shown = vk.patch_grid(digit, patch_size=4)
    table = vk.plotted_data(shown.axes_["image"])
    assert table["position"].tolist() == list(range(1, 50))
    assert table.loc[8, ["row", "col", "top", "left"]].tolist() == [2, 2, 4, 4]      # position 9: second row, second column
    for k in (0, 8, 48):
        top, left = table.loc[k, ["top", "left"]]
        np.testing.assert_array_equal(shown.patches_[k], digit[top:top + 4, left:left + 4])
        assert table.loc[k, "mean"] == pytest.approx(digit[top:top + 4, left:left + 4].mean())
    texts = shown.artists_["numbers"]
    assert [t.get_text() for t in texts] == [str(k) for k in range(1, 50)]
    strip = shown.artists_["sequence"].get_array()
    assert strip.shape == (4, 49 * 5 - 1) and strip.mask[:, 4].all()                    # one masked column between patches
    np.testing.assert_array_equal(strip[:, 5 * 20:5 * 20 + 4], shown.patches_[20])
    np.testing.assert_array_equal(shown.artists_["image"].get_array(), digit)
    assert vk.lint(shown.figure_) == []


def test_patch_grid_without_strip_or_numbers_and_a_colour_image():
    image = np.random.default_rng(0).integers(0, 256, size=(12, 8, 3), dtype=np.uint8)
    shown = vk.patch_grid(image, patch_size=4, sequence=False, numbers=False)
    assert shown.grid_ == (3, 2) and shown.axes_["sequence"] is None and shown.artists_["numbers"] == []
    np.testing.assert_array_equal(shown.patches_[3], image[4:8, 4:8])
    strip = vk.patch_grid(image, patch_size=4).artists_["sequence"].get_array()
    np.testing.assert_array_equal(strip[:, 5:9], image[0:4, 4:8])


def test_patch_grid_bad_input_is_named(digit):
    with pytest.raises(VizkitValueError, match="patch_size"):
        vk.patch_grid(digit, patch_size=5)
    with pytest.raises(VizkitValueError, match="patch_size"):
        vk.patch_grid(digit, patch_size=0)
    with pytest.raises(VizkitTypeError, match="sequence"):
        vk.patch_grid(digit, sequence="yes")
    with pytest.raises(VizkitValueError, match="image"):
        vk.patch_grid(np.zeros((2, 3, 4, 5)))


# ----------------------------------------------------------------------------- position_similarity
def test_position_similarity_is_the_cosine_of_each_pair_and_each_tile_draws_its_row():
    embeddings = np.random.default_rng(0).normal(size=(50, 16))                      # class token + 7 × 7
    shown = vk.position_similarity(embeddings)
    patches = embeddings[1:] / np.linalg.norm(embeddings[1:], axis=1, keepdims=True)
    np.testing.assert_allclose(shown.similarity_, patches @ patches.T, atol=1e-12)
    assert shown.class_token_ and shown.grid_ == (7, 7)
    drawn = shown.ax_.images[0].get_array()
    assert drawn.shape == (55, 55) and drawn.mask[7, :].all() and drawn.mask[:, 7].all()   # one blank line between tiles
    np.testing.assert_allclose(drawn[16:23, 40:47], shown.similarity_[19].reshape(7, 7))   # tile of position (3, 6)
    data = vk.plotted_data(shown.ax_)
    assert len(data) == 49 * 49
    row = data.query("query == 19 and key == 19").iloc[0]
    assert (row["query_row"], row["query_col"], row["similarity"]) == (3, 6, pytest.approx(1.0))
    assert shown.ax_.images[0].norm.vmin == -1 and shown.ax_.images[0].norm.vmax == 1
    assert [t.get_text() for t in shown.ax_.get_xticklabels()] == [str(c) for c in range(1, 8)]
    assert vk.lint(shown.figure_) == []


def test_position_similarity_finds_that_learned_positions_fall_with_distance():
    rows, cols = np.divmod(np.arange(25), 5)
    angle = np.stack([rows, cols], 1)[:, :, None] * np.array([0.3, 0.7])            # smooth 2-D codes
    embeddings = np.concatenate([np.cos(angle), np.sin(angle)], 1).reshape(25, -1)
    found = PositionSimilarityDisplay.from_embeddings(embeddings[None])
    assert not found.class_token_ and found.grid_ == (5, 5)
    assert found.by_distance_["pairs"].sum() == 25 * 25
    assert (np.diff(found.by_distance_["mean"]) < 0).all()


def test_position_similarity_takes_a_grid_that_is_not_square():
    found = PositionSimilarityDisplay.from_embeddings(np.random.default_rng(1).normal(size=(7, 4)), grid=(2, 3))
    assert found.grid_ == (2, 3) and found.class_token_ and found.similarity_.shape == (6, 6)


@pytest.mark.parametrize(("kw", "error", "match"), [
    ({"embeddings": np.ones((48, 4))}, VizkitValueError, "square number"),
    ({"embeddings": np.ones((49,))}, VizkitValueError, "embeddings"),
    ({"embeddings": np.full((4, 2), np.nan)}, VizkitValueError, "NaN"),
    ({"embeddings": np.ones((10, 2)), "grid": (2, 3)}, VizkitValueError, "grid"),
    ({"embeddings": np.ones((10, 2)), "grid": "3x3"}, VizkitTypeError, "grid"),
])
def test_position_similarity_bad_input_is_named(kw, error, match):
    with pytest.raises(error, match=match):
        vk.position_similarity(**kw)


# ----------------------------------------------------------------------------- cls_attention
def test_cls_attention_maps_are_the_class_tokens_rows_on_the_patch_grid(digit):
    weights = _attention(0)
    found = ClassTokenAttentionDisplay.from_weights(digit, weights)
    np.testing.assert_allclose(found.heads_[1, 2], weights[1, 2, 0, 1:].reshape(7, 7))
    np.testing.assert_allclose(found.mean_[2], weights[2, :, 0, 1:].mean(0).reshape(7, 7))
    np.testing.assert_allclose(found.self_attention_, weights[:, :, 0, 0])
    for layer in range(3):
        np.testing.assert_allclose(found.rollout_[layer], attention_rollout(weights[:layer + 1])[0, 1:].reshape(7, 7))
    row = found.table.query("layer == 2 and kind == 'head' and head == 3").iloc[0]
    assert row["peak"] == weights[1, 2, 0, 1:].argmax() + 1
    assert row["on_patches"] == pytest.approx(1 - weights[1, 2, 0, 0])


def test_cls_attention_draws_each_map_over_the_image_a_patch_per_4_by_4_block(digit):
    weights = _attention(1)
    shown = vk.cls_attention(digit, weights, layers=[1, 3])
    assert shown.axes_.shape == (2, 6)
    assert [ax.get_title() for ax in shown.axes_[0]] == ["head 1", "head 2", "head 3", "head 4", "mean", "rollout"]
    assert [ax.get_ylabel() for ax in shown.axes_[:, 0]] == ["layer 1", "layer 3"]
    drawn = vk.plotted_data(shown.axes_[1, 1]).attrs["heatmap"]                      # layer 3, head 2, scaled to its max
    expected = weights[2, 1, 0, 1:].reshape(7, 7)
    np.testing.assert_allclose(drawn, np.kron(expected / expected.max(), np.ones((4, 4))))
    rollout = vk.plotted_data(shown.axes_[1, 5]).attrs["heatmap"]
    np.testing.assert_allclose(rollout[::4, ::4], shown.rollout_[2] / shown.rollout_[2].max())
    assert vk.lint(shown.figure_) == []


def test_cls_attention_takes_a_batch_with_sample_or_a_list_of_layers(digit):
    batch = _attention(2, (2, 3, 2, 50, 50))                                          # (layers, N, heads, T, T)
    one = ClassTokenAttentionDisplay.from_weights(digit, batch, sample=1)
    np.testing.assert_allclose(one.heads_, batch[:, 1, :, 0, 1:].reshape(2, 2, 7, 7))
    listed = ClassTokenAttentionDisplay.from_weights(digit, list(batch[:, 1]))
    np.testing.assert_allclose(listed.rollout_, one.rollout_)


@pytest.mark.parametrize(("kw", "error", "match"), [
    ({"weights": _attention(3, (2, 1, 3, 50, 50))}, VizkitValueError, "sample"),
    ({"weights": _attention(3, (2, 1, 3, 50, 50)), "sample": 3}, VizkitValueError, "sample"),
    ({"weights": _attention(3, (2, 3, 50, 50)), "sample": 0}, VizkitValueError, "sample"),
    ({"weights": _attention(3, (2, 3, 9, 9))}, VizkitValueError, "shaped like the image"),   # 8 patches: no square
    ({"weights": _attention(3, (2, 3, 50, 50)), "layers": 3}, VizkitValueError, "layers"),
    ({"weights": _attention(3, (2, 3, 50, 50)), "layers": "all"}, VizkitTypeError, "layers"),
])
def test_cls_attention_bad_input_is_named(digit, kw, error, match):
    with pytest.raises(error, match=match):
        vk.cls_attention(digit, **kw)


@fuzz_settings(30)
@given(layers=st.integers(1, 3), heads=st.integers(1, 3), rows=st.integers(1, 4), cols=st.integers(1, 4),
       patch=st.integers(1, 3), seed=st.integers(0, 2**16))
def test_any_softmax_weights_split_between_the_patches_and_the_class_token(layers, heads, rows, cols, patch, seed):
    tokens = rows * cols + 1
    found = ClassTokenAttentionDisplay.from_weights(np.zeros((rows * patch, cols * patch)),
                                                    _attention(seed, (layers, heads, tokens, tokens)))
    assert found.heads_.shape == (layers, heads, rows, cols)
    np.testing.assert_allclose(found.heads_.sum((-1, -2)) + found.self_attention_, 1, atol=1e-9)
    assert (found.rollout_.sum((-1, -2)) < 1).all() and (found.rollout_ >= 0).all()   # the rest stays on the class token
    assert found.table["peak"].between(1, rows * cols).all()


@fuzz_settings(30)
@given(rows=st.integers(1, 5), cols=st.integers(1, 5), patch=st.integers(1, 4), colour=st.booleans(),
       seed=st.integers(0, 2**16))
def test_any_image_is_its_patches_put_back_in_reading_order(rows, cols, patch, colour, seed):
    shape = (rows * patch, cols * patch, 3) if colour else (rows * patch, cols * patch)
    image = np.random.default_rng(seed).random(shape)
    found = PatchGridDisplay.from_image(image, patch_size=patch)
    back = found.patches_.reshape(rows, cols, patch, patch, *shape[2:]).swapaxes(1, 2).reshape(shape)
    np.testing.assert_array_equal(back, image)
    assert found.table["position"].tolist() == list(range(1, rows * cols + 1)) and found.grid_ == (rows, cols)
