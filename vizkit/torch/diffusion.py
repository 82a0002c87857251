"""DDPM with torch: the noise-prediction loss and the reverse process, on a schedule from :func:`vizkit.ml.noise_schedule`.

A denoiser is any callable ``model(x_t, t) -> epsilon`` taking a batch x_t
and its steps t (a long tensor of shape (N,), 1-based as in the paper) and
returning its estimate of the noise epsilon, of x_t's shape.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import torch

from vizkit._core import bad_type, bad_value

__all__ = ["DDPMSamples", "ddpm_loss", "ddpm_sample"]


class DDPMSamples(NamedTuple):
    """What :func:`ddpm_sample` returns: the samples, and x_t at the kept steps (T first, 0 last)."""

    samples: torch.Tensor  # x_0, of the asked shape
    frames: torch.Tensor   # (len(t), *shape): x_t at each kept t
    t: list                # the kept steps, descending


def _tables(schedule):
    if not all(hasattr(schedule, name) for name in ("betas", "alpha_bar", "T")):
        raise bad_type("schedule", "a vizkit.ml.NoiseSchedule (vizkit.ml.noise_schedule(...))", schedule)
    return (torch.tensor(np.array(schedule.betas), dtype=torch.float64),
            torch.tensor(np.array(schedule.alpha_bar), dtype=torch.float64))


def ddpm_loss(model, x0, schedule, *, generator=None) -> torch.Tensor:
    """DDPM's simple loss: draw t ~ U{1..T} and epsilon ~ N(0, I) per example, return mean ||epsilon - model(x_t, t)||².

    Parameters
    ----------
    model : callable
        ``model(x_t, t) -> epsilon``, t a long tensor of 1-based steps.
    x0 : Tensor
        A batch of clean data, (N, ...).
    schedule : NoiseSchedule
    generator : torch.Generator, optional

    Returns
    -------
    Tensor
        The mean squared error, a scalar with a gradient.

    Examples
    --------
    >>> import torch
    >>> from vizkit.ml import noise_schedule
    >>> from vizkit.torch import ddpm_loss
    >>> zero = lambda x, t: torch.zeros_like(x)           # predicts no noise: the loss is E[epsilon²] = 1
    >>> loss = ddpm_loss(zero, torch.zeros(4000, 2), noise_schedule(), generator=torch.Generator().manual_seed(0))
    >>> round(loss.item(), 1)
    1.0
    """
    _, alpha_bar = _tables(schedule)
    t = torch.randint(1, schedule.T + 1, (x0.shape[0],), generator=generator, device=x0.device)
    noise = torch.randn(x0.shape, generator=generator, dtype=x0.dtype, device=x0.device)
    bar = alpha_bar.to(x0.device)[t - 1].to(x0.dtype).reshape(-1, *([1] * (x0.ndim - 1)))
    xt = bar.sqrt() * x0 + (1 - bar).sqrt() * noise
    return torch.nn.functional.mse_loss(model(xt, t), noise)


@torch.no_grad()
def ddpm_sample(model, schedule, shape, *, keep=(), generator=None, device=None) -> DDPMSamples:
    """Run DDPM's reverse process from x_T ~ N(0, I) down to x_0, keeping x_t at the steps asked.

    Each step is Algorithm 2 of Ho et al. (2020), with sigma_t² = beta_t:
    x_{t-1} = (x_t - beta_t / sqrt(1 - alpha-bar_t) · model(x_t, t)) / sqrt(alpha_t) + sigma_t z,
    z ~ N(0, I) for t > 1 and 0 at the last step.

    Parameters
    ----------
    model : callable
        ``model(x_t, t) -> epsilon``; called in eval mode, without gradients.
    schedule : NoiseSchedule
        From :func:`vizkit.ml.noise_schedule`: the one the model was trained on.
    shape : tuple of int
        The batch to draw, e.g. ``(16, 1, 8, 8)``.
    keep : sequence of int
        The steps t (0 to T) whose x_t to keep, for a strip
        (:func:`vizkit.diffusion_reverse`); T is pure noise, 0 the samples.
    generator : torch.Generator, optional
        For reproducible samples.
    device : torch.device, optional

    Returns
    -------
    DDPMSamples
        ``samples`` (x_0), ``frames`` (x_t at the kept steps, T first) and
        ``t`` (those steps, descending).

    Examples
    --------
    >>> import torch
    >>> from vizkit.ml import noise_schedule
    >>> from vizkit.torch import ddpm_sample
    >>> out = ddpm_sample(lambda x, t: torch.zeros_like(x), noise_schedule(T=50), (2, 3), keep=[0, 25, 50],
    ...                   generator=torch.Generator().manual_seed(0))
    >>> out.samples.shape, out.frames.shape, out.t
    (torch.Size([2, 3]), torch.Size([3, 2, 3]), [50, 25, 0])
    """
    betas, alpha_bar = _tables(schedule)
    try:
        shape = tuple(int(n) for n in shape)
    except (TypeError, ValueError):
        raise bad_type("shape", "a tuple of ints, the batch to draw", shape) from None
    if not shape or min(shape) < 1:
        raise bad_value("shape", "a tuple of positive ints", shape)
    kept = sorted({int(t) for t in keep}, reverse=True)
    if kept and (kept[-1] < 0 or kept[0] > schedule.T):
        raise bad_value("keep", f"steps from 0 to T={schedule.T}", keep)
    was_training = getattr(model, "training", False)
    if hasattr(model, "eval"):
        model.eval()
    try:
        x = torch.randn(shape, generator=generator, device=device)
        frames = {schedule.T: x.clone()} if schedule.T in kept else {}
        for t in range(schedule.T, 0, -1):
            beta, bar = betas[t - 1].item(), alpha_bar[t - 1].item()
            steps = torch.full((shape[0],), t, dtype=torch.long, device=x.device)
            mean = (x - beta / np.sqrt(1 - bar) * model(x, steps)) / np.sqrt(1 - beta)
            x = mean + np.sqrt(beta) * torch.randn(shape, generator=generator, device=device) if t > 1 else mean
            if t - 1 in kept:
                frames[t - 1] = x.clone()
    finally:
        if was_training:
            model.train()
    stacked = torch.stack([frames[t] for t in kept]) if kept else x.new_zeros((0, *shape))
    return DDPMSamples(x, stacked, kept)
