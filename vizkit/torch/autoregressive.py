"""Sampling an autoregressive model of binary pixels one pixel at a time, keeping the partial images on the way.

An autoregressive model of D pixels factorises p(x) = prod over k of
p(x_k | x_<k) in some order; here it is any callable ``model(x) -> logits``
taking a batch (N, D) of pixels (0 or 1, in their storage order) and giving
(N, D) logits, where logit d may depend only on the pixels before d in the
sampling order (a masked MLP such as MADE, a PixelCNN, a fully visible
sigmoid belief net). :func:`autoregressive_sample` draws the pixels in that
order; the partial images are drawn by :func:`vizkit.pixel_steps` and the
order by :func:`vizkit.pixel_order`.
"""

from __future__ import annotations

from typing import NamedTuple

import torch

from vizkit._core import bad_type, bad_value, check_number

__all__ = ["PixelSamples", "autoregressive_sample"]


class PixelSamples(NamedTuple):
    """What :func:`autoregressive_sample` returns."""

    samples: torch.Tensor        # (N, D): the finished samples, 0 or 1
    frames: torch.Tensor         # (len(steps), N, D): the images after `steps[i]` pixels, NaN where not yet drawn
    steps: list                  # how many pixels each frame has
    probabilities: torch.Tensor  # (N, D): p(x_d = 1 | the pixels before d) at the moment pixel d was drawn


def _order(order, pixels: int) -> torch.Tensor:
    if order is None:
        return torch.arange(pixels)
    try:
        order = torch.as_tensor(order, dtype=torch.long).flatten()
    except (TypeError, ValueError, RuntimeError):
        raise bad_type("order", f"a permutation of 0 ... {pixels - 1}", order) from None
    if order.numel() != pixels or not torch.equal(order.sort().values, torch.arange(pixels)):
        raise bad_value("order", f"a permutation of the {pixels} pixel indices 0 ... {pixels - 1}", order)
    return order


@torch.no_grad()
def autoregressive_sample(model, n, pixels, *, keep=(), order=None, generator=None, device=None) -> PixelSamples:
    """Draw ``n`` images pixel by pixel: x_k ~ Bernoulli(sigmoid(model(x)[:, k])), in ``order``.

    Parameters
    ----------
    model : callable
        ``model(x) -> logits``, (N, D) -> (N, D); logit d must depend only
        on the pixels before d in ``order`` (called in eval mode, once per pixel).
    n : int
        How many images.
    pixels : int
        D, pixels per image (e.g. 196 for 14×14).
    keep : sequence of int
        After how many drawn pixels to keep a frame (0 ... D): the partial
        images for :func:`vizkit.pixel_steps`.
    order : sequence of int, optional
        The order the pixels are drawn in (a permutation of 0 ... D-1);
        default raster order, row by row.
    generator : torch.Generator, optional
    device : torch.device, optional

    Returns
    -------
    PixelSamples
        ``samples``, ``frames`` (NaN where a pixel is not drawn yet),
        ``steps`` and ``probabilities``.

    Examples
    --------
    A model that ignores the past and says p = 0.9 everywhere:

    >>> import torch
    >>> from vizkit.torch import autoregressive_sample
    >>> sure = lambda x: torch.full_like(x, 2.2)                  # sigmoid(2.2) = 0.9
    >>> out = autoregressive_sample(sure, 500, 4, keep=[0, 2, 4], generator=torch.Generator().manual_seed(0))
    >>> out.frames.shape, out.frames[1, 0].isnan().tolist(), round(out.samples.mean().item(), 1)
    (torch.Size([3, 500, 4]), [False, False, True, True], 0.9)
    """
    n = check_number("n", n, integer=True, low=1)
    pixels = check_number("pixels", pixels, integer=True, low=1)
    order = _order(order, pixels)
    kept = sorted({int(k) for k in keep})
    if kept and (kept[0] < 0 or kept[-1] > pixels):
        raise bad_value("keep", f"pixel counts from 0 to pixels={pixels}", keep)
    was_training = getattr(model, "training", False)
    if hasattr(model, "eval"):
        model.eval()
    try:
        x = torch.zeros(n, pixels, device=device)
        probabilities = torch.zeros(n, pixels, device=device)
        frames = {}
        for k in range(pixels + 1):
            if k in kept:
                frame = x.clone()
                frame[:, order[k:]] = float("nan")
                frames[k] = frame
            if k == pixels:
                break
            d = order[k]
            logits = model(x)
            if not (isinstance(logits, torch.Tensor) and logits.shape == x.shape):
                raise bad_value("model", f"a callable returning logits of its input's shape {tuple(x.shape)}",
                                model, got=f"{getattr(logits, 'shape', type(logits).__name__)}")
            p = torch.sigmoid(logits[:, d])
            probabilities[:, d] = p
            x[:, d] = torch.bernoulli(p, generator=generator)
    finally:
        if was_training:
            model.train()
    stacked = torch.stack([frames[k] for k in kept]) if kept else x.new_zeros((0, n, pixels))
    return PixelSamples(x, stacked, kept, probabilities)
