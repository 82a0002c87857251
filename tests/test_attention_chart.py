"""vk.attention: a layers × heads grid of the weights as given, masked cells hatched, one head's top links outlined."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import vizkit as vk
from vizkit.errors import VizkitTypeError, VizkitValueError
from tests.fuzzing import fuzz_settings
from vizkit.ml import AttentionDisplay

TOKENS = ["<s>", "the", "cat", "sat", "on", "the", "mat"]
L = len(TOKENS)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _softmax(scores):
    with np.errstate(invalid="ignore"):  # a row of -inf only (no key to see) gives NaN
        weights = np.exp(scores - np.max(scores, axis=-1, keepdims=True))
        return weights / weights.sum(axis=-1, keepdims=True)


@pytest.fixture(scope="module")
def capture():
    """Two layers × three heads of a causal decoder on two sentences, as AttentionMaps saves them:
    head 0 looks at the previous token, head 1 at the first, head 2 at the same token."""
    causal = np.triu(np.ones((L, L), bool), k=1)
    q, k = np.indices((L, L))
    targets = [np.maximum(q - 1, 0), np.zeros_like(q), q]
    noise = np.random.default_rng(0).normal(0, 0.3, (2, 3, L, L))  # (layers, heads, queries, keys)
    scores = np.stack([4.0 * (k == t) for t in targets]) + noise
    weights = _softmax(np.where(causal, -np.inf, scores))
    weights = weights[:, None].repeat(2, axis=1)  # (layers, batch 2, heads, L, L)
    return {"weights.blocks.0.attn": weights[0].astype(np.float16),
            "weights.blocks.1.attn": weights[1].astype(np.float16),
            "masked.blocks.0.attn": np.broadcast_to(causal, (2, L, L)),
            "masked.blocks.1.attn": np.broadcast_to(causal, (2, L, L)), "epoch": np.int64(3)}


def test_grid_draws_every_layer_and_head_as_given_on_one_colour_scale(capture):
    shown = vk.attention(capture, tokens=TOKENS, example=1)
    assert shown.axes_.shape == (2, 3) and shown.layers_ == ["blocks.0.attn", "blocks.1.attn"]
    limits = {ax.images[0].get_clim() for ax in shown.axes_.ravel()}
    assert len(limits) == 1 and limits.pop()[0] == 0  # one shared scale, from 0
    causal = np.triu(np.ones((L, L), bool), k=1)
    for i, layer in enumerate(shown.layers_):
        for h in range(3):
            ax = shown.axes_[i, h]
            drawn = ax.images[0].get_array()
            given = capture[f"weights.{layer}"][1, h].astype(float)
            np.testing.assert_array_equal(drawn.mask, causal)  # masked cells are not coloured as 0 ...
            np.testing.assert_array_equal(drawn.data[~causal], given[~causal])
            hatched = [c for c in ax.collections if c.get_hatch()]  # ... but hatched, one patch per cell
            assert len(hatched) == 1 and len(hatched[0].get_paths()) == causal.sum()
            table = vk.plotted_data(ax)
            assert (table["layer"] == layer).all() and (table["head"] == h).all()
            np.testing.assert_array_equal(table["weight"].to_numpy().reshape(L, L)[~causal], given[~causal])
            np.testing.assert_allclose(table.groupby("query")["weight"].sum(), 1, atol=2e-3)  # float16 rows
    assert [t.get_text() for t in shown.axes_[0, 0].get_yticklabels()] == TOKENS
    assert [t.get_text() for t in shown.axes_[1, 2].get_xticklabels()] == TOKENS
    assert len(shown.figure_.axes) == 2 * 3 + 1  # one colour bar


def test_heads_summary_finds_previous_first_and_same_token_heads(capture):
    found = AttentionDisplay.from_maps(capture, tokens=TOKENS)
    assert found.heads_.query("head == 0")["offset"].tolist() == [-1, -1]
    assert found.heads_.query("head == 2")["offset"].tolist() == [0, 0]
    first_token = found.heads_.query("head == 1")
    assert (first_token["key"] == 0).all() and (first_token["key_share"] == 1).all()  # its offset varies
    first = found.cells_.query("head == 1 and top")
    assert (first["key_token"] == "<s>").all()


def test_one_head_outlines_the_top_k_keys_of_every_query(capture):
    fig, ax = plt.subplots(figsize=(5, 4.5), layout="constrained")
    shown = vk.attention(capture, tokens=TOKENS, layer="blocks.1.attn", head=2, top_k=2, ax=ax)
    given = capture["weights.blocks.1.attn"][0, 2].astype(float)
    given[np.triu(np.ones((L, L), bool), k=1)] = np.nan
    table = vk.plotted_data(ax)
    outlined = table.query("top")
    for query, rows in outlined.groupby("query"):
        strongest = np.argsort(-np.nan_to_num(given[query], nan=-1), kind="stable")[:2]
        expected = sorted(k for k in strongest if not np.isnan(given[query, k]))
        assert sorted(rows["key"]) == expected
    boxes = [c for c in ax.collections if not c.get_hatch()]
    assert len(boxes) == 1 and len(boxes[0].get_paths()) == len(outlined) == 1 + 2 * (L - 1)
    assert shown.axes_.shape == (1, 1) and "blocks.1.attn, head 2" in ax.get_title(loc="left")


def test_plain_arrays_mask_choices_and_cross_attention():
    weights = _softmax(np.random.default_rng(1).normal(size=(2, 4, 5)))  # heads 2, queries 4, keys 5
    unmasked = AttentionDisplay.from_arrays(weights, tokens=list("abcd"), key_tokens=list("vwxyz"))
    assert unmasked.layers_ == ["attention"] and not unmasked.cells_["masked"].any()
    assert unmasked.cells_["weight"].notna().all()
    causal = AttentionDisplay.from_arrays({"x": weights}, mask="causal", heads=1)
    hidden = causal.cells_.pivot(index="query", columns="key", values="masked").to_numpy()
    np.testing.assert_array_equal(hidden, np.triu(np.ones((4, 5), bool), k=2))  # keys after the query's
    assert causal.heads == [1] and causal.tokens_ == ["0", "1", "2", "3"]
    own = np.zeros((4, 5), bool)
    own[:, 4] = True
    assert AttentionDisplay.from_arrays(weights, mask=own).cells_.query("key == 4")["weight"].isna().all()


def test_bad_input_names_the_argument(capture):
    weights = np.full((1, 2, 3, 3), 1 / 3)
    with pytest.raises(VizkitTypeError, match="maps"):
        vk.attention("weights")
    with pytest.raises(VizkitValueError, match="tokens"):
        vk.attention(weights, tokens=["a", "b"])
    with pytest.raises(VizkitValueError, match="mask"):
        vk.attention(weights, mask=np.ones((2, 2), bool))
    with pytest.raises(VizkitValueError, match="mask"):
        vk.attention(weights, mask="upper")
    with pytest.raises(VizkitValueError, match="example"):
        vk.attention(weights, example=1)
    with pytest.raises(VizkitValueError, match="heads"):
        vk.attention(weights, heads=[5])
    with pytest.raises(VizkitValueError, match="layers"):
        vk.attention(capture, layers="blocks.7.attn")
    with pytest.raises(VizkitValueError, match=r"\[0, 1\]"):
        vk.attention(weights * 4)
    with pytest.raises(VizkitValueError, match="shape"):
        vk.attention(np.ones(3))
    with pytest.raises(VizkitValueError, match="layer"):
        vk.attention(capture, layer=5, head=0)
    assert plt.get_fignums() == []  # a refused call draws nothing


@fuzz_settings(24)
@given(heads=st.integers(1, 3), queries=st.integers(1, 6), keys=st.integers(1, 6), top_k=st.integers(1, 3),
       causal=st.booleans(), seed=st.integers(0, 2**16), sharpness=st.sampled_from([0.1, 1.0, 30.0]))
def test_any_softmax_cells_are_the_input_and_top_cells_are_each_rows_strongest(heads, queries, keys, top_k, causal,
                                                                                 seed, sharpness):
    scores = np.random.default_rng(seed).normal(0, sharpness, (heads, queries, keys))
    hidden = np.triu(np.ones((queries, keys), bool), k=1 + keys - queries) & causal  # keys after the query's
    weights = _softmax(np.where(hidden, -np.inf, scores))
    weights[np.isnan(weights)] = 0  # a query that may see no key
    found = AttentionDisplay.from_arrays(weights, mask="causal" if causal else None, top_k=min(top_k, keys))
    for head in range(heads):
        cells = found.cells_.query("head == @head")
        drawn = cells["weight"].to_numpy().reshape(queries, keys)
        np.testing.assert_array_equal(np.isnan(drawn), hidden)
        np.testing.assert_array_equal(drawn[~hidden], weights[head][~hidden])
        top = cells["top"].to_numpy().reshape(queries, keys)
        for q in range(queries):
            seen = weights[head, q][~hidden[q]]
            assert top[q].sum() == min(top_k, keys, len(seen))
            others = weights[head, q][~top[q] & ~hidden[q]]
            if top[q].any() and others.size:  # nothing outside the top cells is stronger than the weakest of them
                assert weights[head, q][top[q]].min() >= others.max()


def test_long_sequences_label_every_nth_token_and_lint_clean():
    weights = _softmax(np.random.default_rng(2).normal(size=(1, 2, 50, 50)))  # a ViT's class token and 49 patches
    tokens = ["cls"] + [f"p{i}" for i in range(49)]
    shown = vk.attention({"blocks.0.attn": weights}, tokens=tokens)
    labels = [t.get_text() for t in shown.axes_[0, 0].get_yticklabels()]
    assert labels[0] == "cls" and 5 < len(labels) < 50 and set(labels) <= set(tokens)
    assert vk.lint(shown.figure_) == []
