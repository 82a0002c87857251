"""vizkit.torch.AttentionMaps: per-head weights equal softmax(Q K^T / sqrt(d)) from the layer's own projections,
rows sum to 1, masks hold, the model's outputs are bit-identical, and nothing is left attached."""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from vizkit.errors import VizkitTypeError, VizkitValueError  # noqa: E402
from vizkit.io import read_arrays  # noqa: E402
from vizkit.torch import AttentionMaps, Run, fit  # noqa: E402

D, HEADS, LENGTH, BATCH = 24, 4, 7, 3  # d_head = 6: the scale 1/sqrt(6) is inexact


def _encoder(batch_first=True, norm_first=False):
    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(D, HEADS, 32, dropout=0.1, batch_first=batch_first,
                                             norm_first=norm_first)
    return torch.nn.TransformerEncoder(layer, 2, enable_nested_tensor=batch_first and not norm_first)


def _tokens(batch_first=True):
    x = torch.randn(BATCH, LENGTH, D, generator=torch.Generator().manual_seed(1))
    return x if batch_first else x.transpose(0, 1)


def _untouched(model, before=None):
    """No hook and no wrapper left, and (given the attributes of every module before) nothing else added."""
    if before is not None and [sorted(vars(m)) for m in model.modules()] != before:
        return False
    return all(not m._forward_hooks and not m._forward_pre_hooks and "forward" not in m.__dict__
               for m in model.modules())


def _by_hand(mha, x, mask=None):
    """softmax(Q K^T / sqrt(d_head) + mask) per head, from in_proj_weight and in_proj_bias: (batch, heads, L, S)."""
    q, k, _ = torch.nn.functional.linear(x, mha.in_proj_weight, mha.in_proj_bias).chunk(3, dim=-1)
    heads = [t.reshape(x.shape[0], x.shape[1], HEADS, D // HEADS).transpose(1, 2) for t in (q, k)]
    scores = heads[0] @ heads[1].transpose(-1, -2) / math.sqrt(D // HEADS)
    if mask is not None:
        scores = scores + mask
    return torch.softmax(scores, dim=-1)


CASES = [{}, {"mask": "causal", "is_causal": True}, {"src_key_padding_mask": "padding"}]


def _kwargs(case):
    causal = torch.nn.Transformer.generate_square_subsequent_mask(LENGTH)
    padding = torch.zeros(BATCH, LENGTH, dtype=torch.bool)
    padding[1, -2:] = True
    values = {"causal": causal, "padding": padding}
    return {key: values.get(value, value) if isinstance(value, str) else value for key, value in case.items()}


@pytest.mark.parametrize("batch_first", [True, False])
@pytest.mark.parametrize("mode", ["train", "eval"])
def test_capture_leaves_outputs_bit_identical_rows_sum_to_one_and_nothing_attached(batch_first, mode):
    model, x = _encoder(batch_first), _tokens(batch_first)
    model.train(mode == "train")
    for case in CASES:
        kwargs = _kwargs(case)
        with torch.no_grad():  # eval without gradients: the layer's fused path (nested tensors for padding)
            torch.manual_seed(5)
            plain = model(x, **kwargs)
            with AttentionMaps(model) as maps:
                torch.manual_seed(5)  # dropout draws the same numbers: the capture draws none
                captured = model(x, **kwargs)
        assert torch.equal(plain, captured) and _untouched(model), case
        assert maps.layers == ["layers.0.self_attn", "layers.1.self_attn"]
        for weights, masked in zip(maps.weights.values(), maps.masked.values()):
            _check_rows_and_masks(weights, masked, kwargs)


def _check_rows_and_masks(weights, masked, kwargs):
    assert weights.shape == (BATCH, HEADS, LENGTH, LENGTH)
    real = ~np.isnan(weights)  # the rows of padded queries are NaN
    np.testing.assert_allclose(np.nansum(weights, axis=-1)[real.all(axis=-1)], 1, atol=1e-6)
    if "mask" in kwargs:
        upper = np.triu(np.ones((LENGTH, LENGTH), bool), k=1)
        assert (weights[..., upper] == 0).all() and masked[:, upper].all() and not masked[:, ~upper].any()
    if "src_key_padding_mask" in kwargs:
        assert (weights[1, :, :5, 5:] == 0).all() and np.isnan(weights[1, :, 5:]).all() and real[[0, 2]].all()
        assert masked[1, :, 5:].all() and not masked[0].any()
    if not kwargs:
        assert real.all() and not masked.any()


@pytest.mark.parametrize("norm_first", [False, True])
def test_weights_equal_softmax_of_scaled_scores_from_in_proj(norm_first):
    model, x = _encoder(norm_first=norm_first), _tokens()
    causal = torch.nn.Transformer.generate_square_subsequent_mask(LENGTH)
    with torch.no_grad():
        model.eval()
        first, second = model.layers
        hidden = first(x, src_mask=causal)
        inputs = [first.norm1(x), second.norm1(hidden)] if norm_first else [x, hidden]
        with AttentionMaps(model) as maps:
            model(x, mask=causal, is_causal=not norm_first)  # with and without the is_causal hint
        expected = [_by_hand(layer.self_attn, h, causal) for layer, h in zip(model.layers, inputs)]
    error = max(np.abs(maps.weights[f"layers.{i}.self_attn"] - e.numpy()).max() for i, e in enumerate(expected))
    print(f"max abs error against softmax(Q K^T / sqrt(d_head)) by hand: {error:.2e}")
    assert error < 1e-6, error


def test_capture_runs_eval_without_gradients_and_restores_train_mode():
    model, x = _encoder(), _tokens()
    maps = AttentionMaps(model, probe=x).capture()
    with torch.no_grad():
        model.eval()
        expected = _by_hand(model.layers[0].self_attn, x)
    model.train()
    again = AttentionMaps(model).capture((x, None))
    assert model.training and _untouched(model)
    np.testing.assert_allclose(maps.weights["layers.0.self_attn"], expected.numpy(), atol=1e-6)
    np.testing.assert_array_equal(again.weights["layers.0.self_attn"], maps.weights["layers.0.self_attn"])


def test_decoder_self_and_cross_attention_and_free_multihead_attention():
    torch.manual_seed(0)
    decoder = torch.nn.TransformerDecoder(torch.nn.TransformerDecoderLayer(D, HEADS, 32, batch_first=True), 1).eval()
    target, memory = _tokens()[:, :5], _tokens()
    causal = torch.nn.Transformer.generate_square_subsequent_mask(5)
    with torch.no_grad():
        plain = decoder(target, memory, tgt_mask=causal)
        with AttentionMaps(decoder) as maps:
            captured = decoder(target, memory, tgt_mask=causal)
    assert torch.equal(plain, captured) and _untouched(decoder)
    assert maps.layers == ["layers.0.self_attn", "layers.0.multihead_attn"]
    assert maps.weights["layers.0.self_attn"].shape == (BATCH, HEADS, 5, 5)
    assert maps.weights["layers.0.multihead_attn"].shape == (BATCH, HEADS, 5, LENGTH)
    assert (maps.weights["layers.0.self_attn"][..., np.triu_indices(5, 1)[0], np.triu_indices(5, 1)[1]] == 0).all()

    free = torch.nn.MultiheadAttention(D, HEADS, batch_first=True)
    with torch.no_grad():
        _, averaged = free(target, target, target)
        with AttentionMaps(free) as maps:
            free(target, target, target, need_weights=False)
    assert maps.layers == [""]
    np.testing.assert_allclose(maps.weights[""].mean(axis=1), averaged.numpy(), atol=1e-6)


def test_fit_saves_a_capture_every_epoch_readable_without_torch(tmp_path):
    model, x = _encoder(), _tokens()
    head = torch.nn.Sequential(model, torch.nn.Flatten(), torch.nn.Linear(LENGTH * D, 2))
    y = torch.tensor([0, 1, 0])
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=3)
    with Run(tmp_path / "run") as run:
        fit(head, loader, optimizer=torch.optim.SGD(head.parameters(), lr=0.1),
            loss_fn=torch.nn.functional.cross_entropy, epochs=3, run=run, progress=False,
            callbacks=[AttentionMaps(head, probe=(x[:2], y[:2]), every=2)])
    found = read_arrays(tmp_path / "run", "attention_maps")
    assert sorted(found) == [0, 2]  # epochs 0 and 2, one step each
    saved = found[2]
    assert saved["weights.0.layers.1.self_attn"].shape == (2, HEADS, LENGTH, LENGTH)
    assert saved["weights.0.layers.1.self_attn"].dtype == np.float16 and int(saved["epoch"]) == 2
    assert _untouched(head)


def test_bad_input_names_the_argument():
    model = _encoder()
    with pytest.raises(VizkitTypeError, match="model"):
        AttentionMaps("model")
    with pytest.raises(VizkitValueError, match="nn.MultiheadAttention"):
        AttentionMaps(torch.nn.Linear(2, 2))
    with pytest.raises(VizkitValueError, match="layers.0.self_attn"):
        AttentionMaps(model, layers=["layers.0"])
    with pytest.raises(VizkitValueError, match="every"):
        AttentionMaps(model, every=0)
    with pytest.raises(VizkitValueError, match="x"):
        AttentionMaps(model).capture()
    one = AttentionMaps(model, layers="layers.1.self_attn")
    assert one.layers == ["layers.1.self_attn"]
    before = [sorted(vars(m)) for m in model.modules()]
    padding = torch.zeros(BATCH, LENGTH, dtype=torch.bool)
    padding[:, -1] = True  # every sequence one short: the nested batch is 6 long, the weights still 7 x 7
    one.capture(_tokens(), src_key_padding_mask=padding)  # eval, nested: the encoder's pre-hook records the length
    weights = one.weights["layers.1.self_attn"]
    assert list(one.weights) == ["layers.1.self_attn"] and weights.shape == (BATCH, HEADS, LENGTH, LENGTH)
    assert np.isnan(weights[:, :, -1]).all() and (weights[:, :, :-1, -1] == 0).all()
    assert _untouched(model, before)
