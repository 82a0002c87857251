"""Attention rollout (Abnar & Zuidema, 2020): how much each token's output draws on each input token, through all layers."""

from __future__ import annotations

import numpy as np

from vizkit._core import bad_choice, bad_type, bad_value

__all__ = ["attention_rollout", "check_attention"]

_WEIGHTS = ("attention weights of shape (layers, heads, T, T), (layers, N, heads, T, T) or (layers, T, T) "
            "(heads already fused), or a list with one (heads, T, T) / (N, heads, T, T) array per layer")
_FUSIONS = ("mean", "max", "min")


def check_attention(weights, argument: str = "weights") -> np.ndarray:
    """``weights`` as a float64 array (layers, ..., T, T) of finite, non-negative numbers, else a vizkit error.

    Torch tensors (on any device, with grad) are read without importing torch.
    """
    if isinstance(weights, (list, tuple)):  # one array per layer
        layers = [_numpy(argument, w) for w in weights]
        shapes = sorted({w.shape for w in layers})
        if len(shapes) != 1:
            raise bad_value(argument, _WEIGHTS, weights, got=f"layers of shapes {shapes}" if shapes else "no layers")
        array = np.stack(layers)
    else:
        array = _numpy(argument, weights)
    if array.dtype.kind not in "iuf" or array.ndim not in (3, 4, 5) or array.shape[-1] != array.shape[-2] \
            or 0 in array.shape:
        raise bad_value(argument, _WEIGHTS, weights, got=f"a {array.dtype} array of shape {array.shape}")
    array = array.astype(np.float64)
    if not np.isfinite(array).all() or (array < 0).any():
        bad = int((~np.isfinite(array)).sum() + (array < 0).sum())
        raise bad_value(argument, "attention weights: finite and non-negative (softmax outputs)", weights,
                        got=f"{bad} NaN, infinite or negative values")
    return array


def _numpy(argument: str, value) -> np.ndarray:
    if hasattr(value, "detach") and hasattr(value, "cpu"):  # a torch tensor, without importing torch
        value = value.detach().cpu().float()
    try:
        return np.asarray(value)
    except (TypeError, ValueError):  # ragged nested lists
        raise bad_type(argument, _WEIGHTS, value) from None


def attention_rollout(weights, *, head_fusion: str = "mean", residual: bool = True) -> np.ndarray:
    """Attention rollout: the attention of every token to every input token, multiplied through the layers.

    Abnar & Zuidema (2020): per layer, fuse the heads (their mean), add the
    identity for the residual connection and renormalise each row to sum to
    1, ``Â = (A + I) / rowsum``; then multiply the layers, the first on the
    right: ``R = Â_L ··· Â_2 · Â_1``. Row ``i`` of ``R`` says how much
    token ``i``'s output after the last layer draws on each input token;
    row 0 of a ViT's rollout, without its first entry, is the class token's
    attention to the patches.

    Parameters
    ----------
    weights : array-like or tensor
        Softmax attention weights, first layer first: ``(layers, heads, T,
        T)``, a batch ``(layers, N, heads, T, T)``, ``(layers, T, T)`` with
        the heads already fused, or a list of one array per layer
        (``(heads, T, T)`` or ``(N, heads, T, T)``: as
        ``nn.MultiheadAttention(..., average_attn_weights=False)`` returns them).
    head_fusion : {'mean', 'max', 'min'}
        How a layer's heads are fused: the paper's mean, or the max / min
        over heads (a common variant that keeps the strongest or the
        shared links).
    residual : bool
        Add the identity before renormalising (the paper's rollout); False
        multiplies the raw (renormalised) attention matrices.

    Returns
    -------
    numpy.ndarray
        ``(T, T)``, or ``(N, T, T)`` for a batch; every row sums to 1.

    Examples
    --------
    >>> import numpy as np
    >>> from vizkit.ml import attention_rollout
    >>> uniform = np.full((1, 1, 2, 2), 0.5)            # one layer, one head, 2 tokens attending evenly
    >>> attention_rollout(uniform)                      # (A + I) / 2
    array([[0.75, 0.25],
           [0.25, 0.75]])
    >>> attention_rollout(np.stack([np.eye(3)] * 4)).round(6).tolist() == np.eye(3).tolist()   # identity stays
    True
    """
    array = check_attention(weights)
    if head_fusion not in _FUSIONS:
        raise bad_choice("head_fusion", head_fusion, _FUSIONS)
    if not isinstance(residual, (bool, np.bool_)):
        raise bad_type("residual", "True or False", residual)
    if array.ndim > 3:  # (L, H, T, T) or (L, N, H, T, T): fuse the heads axis, just before the two token axes
        array = getattr(array, head_fusion)(axis=-3)
    if residual:
        array = array + np.eye(array.shape[-1])
    sums = array.sum(axis=-1, keepdims=True)
    if (sums <= 0).any():
        raise bad_value("weights", "attention rows with a positive sum", weights,
                        got="a row of zeros (pass residual=True, or check the weights)")
    array = array / sums
    rollout = array[0]
    for layer in array[1:]:
        rollout = layer @ rollout
    return rollout
