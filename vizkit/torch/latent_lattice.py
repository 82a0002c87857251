"""A decoder's images over a lattice of its 2-D latent space, drawn by ``vk.latent_grid``."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from vizkit._core import check_number
from vizkit._core.errors import bad_type, bad_value

__all__ = ["LatentLattice", "decode_lattice"]


@dataclass(frozen=True)
class LatentLattice:
    """Images decoded at the points of a 2-D lattice; what :func:`vizkit.latent_grid` draws.

    Attributes
    ----------
    images : numpy.ndarray of shape (ny, nx, H, W)
        ``images[i, j]`` is decoded from ``z = (x[j], y[i])``; row 0 is the
        top row, at the largest ``y``, so the grid reads like a plot.
    x : numpy.ndarray of shape (nx,)
        The first latent coordinate of each column, increasing.
    y : numpy.ndarray of shape (ny,)
        The second latent coordinate of each row, decreasing (top to bottom).
    """

    images: np.ndarray
    x: np.ndarray
    y: np.ndarray


def _coordinates(n, quantiles, coords) -> tuple[np.ndarray, np.ndarray]:
    """The lattice's x (increasing) and y (decreasing) coordinates."""
    if coords is None:
        n = check_number("n", n, integer=True, low=2)
        if not isinstance(quantiles, (tuple, list)) or len(quantiles) != 2:
            raise bad_type("quantiles", "a (low, high) pair of probabilities", quantiles)
        low, high = (check_number(f"quantiles[{i}]", q, low=0, high=1, low_open=True, high_open=True)
                     for i, q in enumerate(quantiles))
        if not low < high:
            raise bad_value("quantiles", "a (low, high) pair with low < high", quantiles)
        probabilities = torch.linspace(low, high, n, dtype=torch.float64)
        values = torch.distributions.Normal(0.0, 1.0).icdf(probabilities).numpy()  # the prior's quantiles
        return values, values[::-1].copy()
    if isinstance(coords, tuple) and len(coords) == 2 and np.ndim(coords[0]) == 1:
        x, y = (np.asarray(c, dtype=np.float64) for c in coords)
    else:
        x = np.asarray(coords, dtype=np.float64) if np.ndim(coords) == 1 else None
        y = x
    for name, values in (("x", x), ("y", y)):
        if values is None or values.ndim != 1 or len(values) < 1 or not np.isfinite(values).all():
            raise bad_value("coords", "finite latent coordinates: one 1-D sequence for both axes, or an (x, y) "
                                      "pair of them", coords, got=f"{name} = {values!r}")
    return np.sort(x), np.sort(y)[::-1].copy()


def _as_images(output, count: int, image_shape) -> np.ndarray:
    if not isinstance(output, torch.Tensor) or output.ndim < 2 or output.shape[0] != count:
        raise bad_value("decoder", f"a module mapping a (k, 2) latent batch to k images (k = {count})",
                        type(output).__name__, got=f"an output of shape {tuple(getattr(output, 'shape', ()))}")
    array = output.detach().cpu().to(torch.float32).numpy()
    if image_shape is not None:
        if not isinstance(image_shape, (tuple, list)) or len(image_shape) != 2:
            raise bad_type("image_shape", "an (H, W) pair", image_shape)
        if math.prod(image_shape) != math.prod(array.shape[1:]):
            raise bad_value("image_shape", f"(H, W) with H·W = {math.prod(array.shape[1:])} (the decoder's output "
                                           f"size)", image_shape)
        return array.reshape(count, *image_shape)
    if array.ndim == 4 and array.shape[1] == 1:
        return array[:, 0]
    if array.ndim == 3:
        return array
    side = math.isqrt(array.shape[1]) if array.ndim == 2 else 0
    if array.ndim == 2 and side * side == array.shape[1]:
        return array.reshape(count, side, side)
    raise bad_value("image_shape", "the (H, W) of the decoder's images", None,
                    got=f"none, and an output of shape {tuple(array.shape)} that is not square images")


def decode_lattice(decoder: torch.nn.Module, n=15, *, quantiles=(0.05, 0.95), coords=None,
                   image_shape=None) -> LatentLattice:
    """Decode a lattice of 2-D latent points into images, as Kingma & Welling (2014) drew their VAE's manifold.

    By default the lattice is ``n × n`` points at the quantiles of the prior
    N(0, 1) on each axis: probabilities evenly spaced from ``quantiles[0]``
    to ``quantiles[1]`` mapped through the inverse Gaussian CDF, so each
    column (and row) holds as much prior mass as the next. The decoder runs
    once, on the whole lattice, in eval mode and without gradients; its mode
    is restored afterwards.

    Parameters
    ----------
    decoder : torch.nn.Module
        Maps a ``(k, 2)`` float batch of latent points to ``k`` images:
        ``(k, H·W)`` (square images, or with ``image_shape``), ``(k, H, W)``
        or ``(k, 1, H, W)``.
    n : int
        Points per axis (15).
    quantiles : (float, float)
        The prior probabilities of the first and last points (0.05, 0.95).
    coords : array-like or (array-like, array-like), optional
        The latent coordinates themselves, for a prior that is not N(0, I):
        one sequence for both axes, or an ``(x, y)`` pair; ``n`` and
        ``quantiles`` are then unused.
    image_shape : (int, int), optional
        ``(H, W)`` of flat outputs that are not square.

    Returns
    -------
    LatentLattice
        ``images`` (ny, nx, H, W) as float32, ``x`` increasing along the
        columns and ``y`` decreasing down the rows.

    Examples
    --------
    >>> import torch, vizkit.torch as vt
    >>> decoder = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Sigmoid())   # 4 × 4 images
    >>> lattice = vt.decode_lattice(decoder, n=5)
    >>> lattice.images.shape, lattice.x.round(2).tolist()
    ((5, 5, 4, 4), [-1.64, -0.6, 0.0, 0.6, 1.64])
    """
    if not isinstance(decoder, torch.nn.Module):
        raise bad_type("decoder", "a torch.nn.Module mapping (k, 2) latent points to images", decoder)
    x, y = _coordinates(n, quantiles, coords)
    z1, z2 = np.meshgrid(x, y)  # row i at y[i], column j at x[j]
    parameter = next(iter(decoder.parameters()), None)
    dtype, device = (torch.float32, "cpu") if parameter is None else (parameter.dtype, parameter.device)
    points = torch.as_tensor(np.stack([z1.ravel(), z2.ravel()], axis=1), dtype=dtype, device=device)
    training = decoder.training
    decoder.eval()
    try:
        with torch.no_grad():
            output = decoder(points)
    finally:
        decoder.train(training)
    images = _as_images(output, len(points), image_shape)
    return LatentLattice(images.reshape(len(y), len(x), *images.shape[1:]), x, y)
