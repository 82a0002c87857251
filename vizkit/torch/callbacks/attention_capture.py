"""``AttentionMaps``: the attention weights of every attention layer, per head, on a probe batch."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from vizkit._core.errors import bad_type, bad_value
from vizkit._core.validate import check_choice, check_number
from vizkit.torch.callbacks.base import Callback, check_run

__all__ = ["ARRAY_NAME", "AttentionMaps"]

#: The ``log_array`` name of the captures: ``arrays/attention_maps-step<step>.npz`` holds ``epoch`` (0-d),
#: ``weights.<layer>`` (batch, heads, queries, keys) and ``masked.<layer>`` (batch, queries, keys).
ARRAY_NAME = "attention_maps"

_ENCODER_LAYER = torch.nn.TransformerEncoderLayer


def _masked(attn_mask, key_padding_mask, batch: int, queries: int, keys: int) -> torch.Tensor:
    """Where attention was forbidden, for every head: (batch, queries, keys), True = masked."""
    masked = torch.zeros(batch, queries, keys, dtype=torch.bool, device=_device(attn_mask, key_padding_mask))
    if attn_mask is not None:
        forbid = attn_mask if attn_mask.dtype == torch.bool else torch.isneginf(attn_mask)
        if forbid.ndim == 3:  # (batch * heads, queries, keys): masked for every head
            forbid = forbid.reshape(batch, -1, queries, keys).all(dim=1)
        masked = masked | forbid
    if key_padding_mask is not None:
        pad = key_padding_mask if key_padding_mask.dtype == torch.bool else torch.isneginf(key_padding_mask)
        masked = masked | pad.reshape(-1, 1, keys)
    return masked


def _device(*tensors):
    return next((t.device for t in tensors if t is not None), None)


def _weights(mha, query, key, value, *, key_padding_mask=None, attn_mask=None, is_causal=False):
    """The softmax weights of one call of ``mha``, per head and without dropout: (batch, heads, L, S), masked.

    Recomputed by :func:`torch.nn.functional.multi_head_attention_forward` from the module's own
    projections, with ``need_weights=True, average_attn_weights=False`` and ``dropout_p=0``: no
    random numbers are drawn, so the model's own forward pass is untouched.
    """
    unbatched = query.dim() == 2
    if unbatched:
        query, key, value = query.unsqueeze(0), key.unsqueeze(0), value.unsqueeze(0)
        key_padding_mask = None if key_padding_mask is None else key_padding_mask.reshape(1, -1)
    elif not mha.batch_first:
        query, key, value = (t.transpose(0, 1) for t in (query, key, value))
    batch, queries, keys = query.shape[0], query.shape[1], key.shape[1]
    if is_causal and attn_mask is None:
        attn_mask = torch.nn.Transformer.generate_square_subsequent_mask(queries, device=query.device)
    separate = not mha._qkv_same_embed_dim
    with torch.no_grad():
        _, weights = F.multi_head_attention_forward(
            query.transpose(0, 1), key.transpose(0, 1), value.transpose(0, 1), mha.embed_dim, mha.num_heads,
            mha.in_proj_weight, mha.in_proj_bias, mha.bias_k, mha.bias_v, mha.add_zero_attn, 0.0,
            mha.out_proj.weight, mha.out_proj.bias, training=False, key_padding_mask=key_padding_mask,
            need_weights=True, attn_mask=attn_mask, use_separate_proj_weight=separate,
            q_proj_weight=mha.q_proj_weight, k_proj_weight=mha.k_proj_weight, v_proj_weight=mha.v_proj_weight,
            average_attn_weights=False)
    masked = _masked(attn_mask, key_padding_mask, batch, queries, weights.shape[-1])
    return weights.detach(), masked


def _unnest(src, length: int):
    """A nested batch (the encoder's path for padded batches in eval) as a padded one and its padding mask."""
    lengths = [part.shape[0] for part in src.unbind()]
    padded = torch.nested.to_padded_tensor(src, 0.0, (len(lengths), length, src.size(-1)))
    positions = torch.arange(length, device=padded.device)
    padding = positions[None, :] >= torch.tensor(lengths, device=padded.device)[:, None]
    return padded, padding


class AttentionMaps(Callback):
    """Capture the attention weights of every attention layer of a model, per layer and per head.

    Every ``nn.MultiheadAttention`` in ``model.named_modules()`` is captured
    under its own name (``"layers.0.self_attn"``; a decoder layer's
    ``"layers.0.multihead_attn"`` is its cross-attention), without averaging
    over heads and without dropout: ``weights[name]`` has shape
    (batch, heads, queries, keys) and every row of a query sums to 1.

    How the weights are obtained: nothing in the model's call is changed. A
    forward hook (``with_kwargs=True``) on each ``nn.MultiheadAttention``
    sees the query, key, value and masks it was called with, and recomputes
    the weights from the module's own projections by
    :func:`torch.nn.functional.multi_head_attention_forward` with
    ``need_weights=True, average_attn_weights=False`` and no dropout (so no
    random numbers are drawn). An ``nn.TransformerEncoderLayer`` calls its
    ``self_attn`` with ``need_weights=False`` and, in eval mode without
    gradients, takes a fused path that never calls ``self_attn`` at all;
    a hook inside the layer would switch that path off (and change the
    layer's outputs in the last bits under a mask). So for those layers the
    layer's ``forward`` is wrapped on the instance for the capture (no hook
    is registered on the layer or inside it): the wrapper calls the original
    and recomputes the weights from its input (``norm1`` of it when
    ``norm_first``), ``src_mask``, ``src_key_padding_mask`` and
    ``is_causal``. When ``nn.TransformerEncoder`` runs a padded batch as
    nested tensors (eval mode with a padding mask), the padding is restored
    for the recomputation. The model's outputs are bit-identical with and
    without a capture; hooks and wrappers are removed afterwards.

    Use it three ways: ``AttentionMaps(model).capture(x)`` runs ``x`` once
    (eval mode, no gradients, the mode restored after); ``with
    AttentionMaps(model) as maps: model(x)`` captures the block's own forward
    passes (the last one is kept); and as a :func:`~vizkit.torch.fit`
    callback it captures ``probe`` every ``every`` epochs (or steps), never
    on the steps in between (no hook is registered then), and saves each
    capture with the run as ``arrays/attention_maps-step<step>.npz``
    (read it back with :func:`vizkit.io.read_arrays`, torch-free).

    Parameters
    ----------
    model : torch.nn.Module
    layers : list of str, optional
        Names of ``nn.MultiheadAttention`` sub-modules; default all of them.
    probe : tensor or (inputs, targets), optional
        The batch to capture on (for ``capture()`` without an argument and for the callback).
    every : int
        Capture every ``every`` epochs or steps (the callback).
    unit : {"epoch", "step"}
    run : vizkit.torch.Run, optional
        Where captures are saved; default the run of ``fit(run=...)``.
    dtype : {"float16", "float32"}
        What the callback saves the weights as.

    Attributes
    ----------
    layers : list of str
        The captured layers, in the model's order.
    weights : dict of str -> numpy.ndarray
        The last capture, per layer: (batch, heads, queries, keys), float32.
    masked : dict of str -> numpy.ndarray
        Per layer, where attention was forbidden for every head (causal or
        padding masks): (batch, queries, keys), True = masked.

    Examples
    --------
    >>> import torch
    >>> from vizkit.torch import AttentionMaps
    >>> _ = torch.manual_seed(0)
    >>> layer = torch.nn.TransformerEncoderLayer(d_model=8, nhead=2, batch_first=True)
    >>> model = torch.nn.TransformerEncoder(layer, num_layers=2)
    >>> maps = AttentionMaps(model).capture(torch.randn(3, 5, 8))
    >>> maps.layers
    ['layers.0.self_attn', 'layers.1.self_attn']
    >>> maps.weights["layers.0.self_attn"].shape
    (3, 2, 5, 5)
    >>> bool(abs(maps.weights["layers.1.self_attn"].sum(axis=-1) - 1).max() < 1e-5)
    True
    """

    def __init__(self, model, layers=None, *, probe=None, every=1, unit="epoch", run=None, dtype="float16"):
        if not isinstance(model, torch.nn.Module):
            raise bad_type("model", "a torch.nn.Module", model)
        self.model = model
        self.layers = self._check_layers(layers)
        self.probe = None if probe is None else self._check_probe("probe", probe)
        self.every = check_number("every", every, integer=True, low=1)
        self.unit = check_choice("unit", unit, ["epoch", "step"])
        if run is not None:
            check_run("run", run)
        self.run = run
        self.dtype = check_choice("dtype", dtype, ["float16", "float32"])
        self.weights: dict[str, np.ndarray] = {}
        self.masked: dict[str, np.ndarray] = {}
        self._captured: dict[str, tuple] = {}
        self._undo: list = []
        self._lengths: dict[int, int] = {}  # an encoder layer's sequence length, for nested batches
        self._target = None

    def _check_layers(self, layers) -> list[str]:
        found = [name for name, m in self.model.named_modules() if isinstance(m, torch.nn.MultiheadAttention)]
        if layers is None:
            if not found:
                raise bad_value("model", "a model with nn.MultiheadAttention layers", type(self.model).__name__)
            return found
        if isinstance(layers, str):
            layers = [layers]
        if not isinstance(layers, (list, tuple)) or not all(isinstance(n, str) for n in layers):
            raise bad_type("layers", "a list of nn.MultiheadAttention names (model.named_modules())", layers)
        for name in layers:
            if name not in found:
                raise bad_value("layers", "names of the model's nn.MultiheadAttention modules", name,
                                hint=f"They are: {', '.join(map(repr, found)) or 'none'}.")
        return [name for name in found if name in layers]

    @staticmethod
    def _check_probe(argument, probe):
        if isinstance(probe, (tuple, list)) and len(probe) == 2 and isinstance(probe[0], torch.Tensor):
            probe = probe[0]
        if not isinstance(probe, torch.Tensor):
            raise bad_type(argument, "a batch of inputs (a tensor, or an (inputs, targets) pair)", probe)
        return probe.detach()

    # -- attaching ---------------------------------------------------------
    def _attach(self) -> None:
        modules = dict(self.model.named_modules())
        owners = {id(m.self_attn): m for m in modules.values() if isinstance(m, _ENCODER_LAYER)}
        for name in self.layers:
            owner = owners.get(id(modules[name]))
            if owner is None:
                handle = modules[name].register_forward_hook(self._mha_hook(name), with_kwargs=True)
                self._undo.append(handle.remove)
            else:
                self._wrap_encoder_layer(name, owner)
        for encoder in (m for m in modules.values() if isinstance(m, torch.nn.TransformerEncoder)):
            handle = encoder.register_forward_pre_hook(self._length_hook(encoder), with_kwargs=True)
            self._undo.append(handle.remove)

    def _detach(self) -> None:
        while self._undo:
            self._undo.pop()()
        self._lengths = {}

    def _mha_hook(self, name):
        def hook(module, args, kwargs, output):
            names = ("query", "key", "value", "key_padding_mask", "need_weights", "attn_mask")
            given = dict(zip(names, args)) | kwargs
            self._captured[name] = _weights(
                module, given["query"], given["key"], given["value"], key_padding_mask=given.get("key_padding_mask"),
                attn_mask=given.get("attn_mask"), is_causal=bool(given.get("is_causal", False)))
        return hook

    def _length_hook(self, encoder):
        def hook(module, args, kwargs):
            src = args[0] if args else kwargs["src"]
            for layer in encoder.layers:
                self._lengths[id(layer)] = src.shape[1 if layer.self_attn.batch_first else 0]
        return hook

    def _wrap_encoder_layer(self, name, layer) -> None:
        original = layer.forward

        def forward(src, src_mask=None, src_key_padding_mask=None, is_causal=False):
            out = original(src, src_mask=src_mask, src_key_padding_mask=src_key_padding_mask, is_causal=is_causal)
            x, padding = src, src_key_padding_mask
            if src.is_nested:
                longest = max(part.shape[0] for part in src.unbind())
                x, padding = _unnest(src, self._lengths.get(id(layer), longest))
            with torch.no_grad():
                x = layer.norm1(x) if layer.norm_first else x
                weights, masked = _weights(layer.self_attn, x, x, x, key_padding_mask=padding, attn_mask=src_mask,
                                           is_causal=bool(is_causal))
            if padding is not None:  # the rows of padded queries are padding, not attention
                weights = weights.masked_fill(padding.to(torch.bool).reshape(weights.shape[0], 1, -1, 1), np.nan)
            self._captured[name] = (weights, masked)
            return out

        layer.forward = forward
        self._undo.append(lambda: delattr(layer, "forward"))

    def _to_host(self) -> None:
        captured, self._captured = self._captured, {}
        self.weights = {n: captured[n][0].float().cpu().numpy() for n in self.layers if n in captured}
        self.masked = {n: captured[n][1].cpu().numpy() for n in self.layers if n in captured}

    # -- one capture -------------------------------------------------------
    def capture(self, *inputs, **kwargs):
        """Call the model once on ``inputs`` (default the probe), in eval mode without gradients; return ``self``.

        Positional and keyword arguments go to the model as they are
        (``capture(x, x, x)`` for a bare ``nn.MultiheadAttention``,
        ``capture(x, mask=causal)``); tensors are moved to its device.
        """
        if not inputs:
            if self.probe is None:
                raise bad_value("x", "a batch to capture on", None,
                                hint="Pass AttentionMaps(model).capture(x) or AttentionMaps(model, probe=x).")
            inputs = (self.probe,)
        inputs = (self._check_probe("x", inputs[0]),) + inputs[1:]
        device = next((p.device for p in self.model.parameters()), inputs[0].device)
        inputs = tuple(t.to(device) if isinstance(t, torch.Tensor) else t for t in inputs)
        kwargs = {k: t.to(device) if isinstance(t, torch.Tensor) else t for k, t in kwargs.items()}
        was_training = self.model.training
        self._attach()
        try:
            self.model.eval()
            with torch.no_grad():
                self.model(*inputs, **kwargs)
        finally:
            self._detach()
            self.model.train(was_training)
        self._to_host()
        return self

    def __enter__(self):
        self.weights, self.masked, self._captured = {}, {}, {}
        self._attach()
        return self

    def __exit__(self, *error):
        self._detach()
        self._to_host()
        return False

    # -- callback ----------------------------------------------------------
    def on_fit_start(self, state):
        if self.probe is None:
            raise bad_value("probe", "a probe batch for AttentionMaps during fit", None,
                            hint="Pass AttentionMaps(model, probe=x[:4]).")
        if state.model is not None and state.model is not self.model:
            raise bad_value("model", "the model fit() trains", self.model)
        self._target = self.run if self.run is not None else state.run
        if self._target is None:
            raise bad_value("run", "a Run to save the attention maps with", None,
                            hint="pass AttentionMaps(..., run=run) or fit(..., run=run)")

    def on_batch_end(self, state, logs):
        if self.unit == "step" and state.step % self.every == 0:
            self._save(state)

    def on_epoch_end(self, state, logs):
        if self.unit == "epoch" and state.epoch % self.every == 0:
            self._save(state)

    def _save(self, state) -> None:
        self.capture()
        arrays = {f"weights.{n}": w.astype(self.dtype) for n, w in self.weights.items()}
        arrays |= {f"masked.{n}": m for n, m in self.masked.items()}
        self._target.log_array(ARRAY_NAME, step=state.step, epoch=np.int64(state.epoch), **arrays)

    def on_exception(self, state, error):
        self._detach()
