"""Regularizers that change the data, in plain torch: label smoothing, mixup, augmentation, input noise.

Each is a function of a batch, so a training loop uses it where it reads a
batch; :func:`transform_batches` wraps a loader so that :func:`vizkit.torch.fit`
trains on transformed batches every epoch without a change to ``fit``.
Randomness comes from an optional ``torch.Generator`` (torch's global
generator when it is ``None``): the same seed gives the same batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sized
from typing import NamedTuple

import torch
import torch.nn.functional as F

from vizkit._core.errors import bad_type, bad_value
from vizkit._core.validate import check_number

__all__ = ["Augment", "AugmentParams", "Mixup", "add_noise", "mixup", "smooth_labels", "transform_batches"]


def _check_tensor(argument: str, value, *, floating: bool = False) -> torch.Tensor:
    if not isinstance(value, torch.Tensor):
        raise bad_type(argument, "a torch.Tensor", value)
    if floating and not value.is_floating_point():
        raise bad_type(argument, "a floating-point tensor", value, got=f"a tensor of dtype {value.dtype}")
    return value


def _check_generator(generator):
    if generator is not None and not isinstance(generator, torch.Generator):
        raise bad_type("generator", "a torch.Generator or None", generator)
    return generator


def _onehot(argument: str, targets, num_classes: int, dtype) -> torch.Tensor:
    """``targets`` as rows of class probabilities: class indices one-hot encoded, (N, K) rows kept."""
    targets = _check_tensor(argument, targets)
    if targets.ndim == 2 and targets.is_floating_point():
        if targets.shape[1] != num_classes:
            raise bad_value(argument, f"class indices or rows of {num_classes} class probabilities", targets,
                            got=f"rows of {targets.shape[1]} values")
        return targets.to(dtype)
    if targets.ndim != 1 or targets.is_floating_point() or targets.dtype == torch.bool:
        raise bad_value(argument, "a 1-D tensor of integer class indices", targets,
                        got=f"a tensor of shape {tuple(targets.shape)} and dtype {targets.dtype}")
    if targets.numel() and (int(targets.min()) < 0 or int(targets.max()) >= num_classes):
        raise bad_value(argument, f"class indices in 0 .. {num_classes - 1} (num_classes={num_classes})", targets,
                        got=f"indices from {int(targets.min())} to {int(targets.max())}")
    return F.one_hot(targets.long(), num_classes).to(dtype)


def smooth_labels(targets, num_classes, epsilon) -> torch.Tensor:
    """Label-smoothed targets: ``(1 - epsilon) * onehot + epsilon / num_classes`` (Szegedy et al. 2016).

    The true class gets ``1 - epsilon + epsilon / K``, every other class
    ``epsilon / K``; each row sums to 1. Cross-entropy against these rows is
    what ``torch.nn.functional.cross_entropy(..., label_smoothing=epsilon)``
    computes from the class indices.

    Parameters
    ----------
    targets : torch.Tensor
        Class indices, shape ``(N,)``, integer dtype.
    num_classes : int
        ``K``, the number of classes (at least 2).
    epsilon : float
        The share of probability spread evenly over all classes, in [0, 1].

    Returns
    -------
    torch.Tensor
        Shape ``(N, K)``, torch's default float dtype, on the device of ``targets``.

    Examples
    --------
    >>> import torch
    >>> from vizkit.torch.regularizers import smooth_labels
    >>> smooth_labels(torch.tensor([2, 0]), num_classes=4, epsilon=0.2)
    tensor([[0.0500, 0.0500, 0.8500, 0.0500],
            [0.8500, 0.0500, 0.0500, 0.0500]])
    """
    num_classes = check_number("num_classes", num_classes, integer=True, low=2)
    epsilon = check_number("epsilon", epsilon, low=0, high=1)
    onehot = _onehot("targets", targets, num_classes, torch.get_default_dtype())
    return (1.0 - epsilon) * onehot + epsilon / num_classes


class Mixup(NamedTuple):
    """A mixed batch: ``inputs`` and ``targets`` to train on, the weight ``lam`` and the partner ``index``."""

    inputs: torch.Tensor
    targets: torch.Tensor
    lam: float
    index: torch.Tensor


def mixup(inputs, targets, *, alpha, num_classes, generator=None) -> Mixup:
    """Mix each example with a random partner from the same batch (mixup, Zhang et al. 2018).

    One weight per batch, ``lam ~ Beta(alpha, alpha)``, and a random
    permutation ``index`` of the batch: the batch becomes
    ``lam * x + (1 - lam) * x[index]`` with targets
    ``lam * onehot(y) + (1 - lam) * onehot(y[index])``. Train with a loss that
    takes class probabilities (``torch.nn.functional.cross_entropy`` does).
    ``lam`` is drawn by inverting Beta's distribution function
    (``scipy.stats.beta.ppf``) at a uniform number from ``generator``, so a
    seeded generator gives the same mix.

    Parameters
    ----------
    inputs : torch.Tensor
        A floating-point batch, first dimension ``N``.
    targets : torch.Tensor
        Class indices ``(N,)``, or rows of class probabilities ``(N, K)``
        (e.g. from :func:`smooth_labels`), mixed as they are.
    alpha : float
        Beta's two shape parameters, > 0. Small values (0.2, as in the
        paper's ImageNet runs) give a ``lam`` near 0 or 1 most of the time:
        mostly one image with a little of another; ``alpha=1`` draws it uniformly.
    num_classes : int
        ``K``.
    generator : torch.Generator, optional
        Default: torch's global generator.

    Returns
    -------
    Mixup
        ``(inputs, targets, lam, index)``; ``targets`` has shape ``(N, K)``.

    Examples
    --------
    >>> import torch
    >>> from vizkit.torch.regularizers import mixup
    >>> x, y = torch.eye(3), torch.tensor([0, 1, 2])
    >>> mixed = mixup(x, y, alpha=0.4, num_classes=3, generator=torch.Generator().manual_seed(0))
    >>> bool(torch.allclose(mixed.inputs, mixed.lam * x + (1 - mixed.lam) * x[mixed.index]))
    True
    >>> mixed.targets.sum(dim=1)
    tensor([1., 1., 1.])
    """
    from scipy.stats import beta

    inputs = _check_tensor("inputs", inputs, floating=True)
    if inputs.ndim == 0:
        raise bad_value("inputs", "a batch with a first dimension", inputs, got="a 0-dim tensor")
    alpha = check_number("alpha", alpha, low=0, low_open=True)
    num_classes = check_number("num_classes", num_classes, integer=True, low=2)
    generator = _check_generator(generator)
    onehot = _onehot("targets", targets, num_classes, inputs.dtype)
    if len(onehot) != len(inputs):
        raise bad_value("targets", f"one target per input ({len(inputs)})", targets, got=f"{len(onehot)} targets")
    uniform = float(torch.rand((), generator=generator, dtype=torch.float64))
    lam = float(beta.ppf(uniform, alpha, alpha))
    index = torch.randperm(len(inputs), generator=generator).to(inputs.device)
    onehot = onehot.to(inputs.device)
    return Mixup(inputs=lam * inputs + (1 - lam) * inputs[index],
                 targets=lam * onehot + (1 - lam) * onehot[index], lam=lam, index=index)


def add_noise(inputs, std, generator=None) -> torch.Tensor:
    """``inputs`` plus Gaussian noise of standard deviation ``std`` (a new tensor).

    Parameters
    ----------
    inputs : torch.Tensor
        A floating-point tensor of any shape.
    std : float
        >= 0; 0 returns an unchanged copy.
    generator : torch.Generator, optional
        Default: torch's global generator.

    Examples
    --------
    >>> import torch
    >>> from vizkit.torch.regularizers import add_noise
    >>> noisy = add_noise(torch.zeros(10_000), 0.5, generator=torch.Generator().manual_seed(0))
    >>> round(float(noisy.std()), 2)
    0.5
    """
    inputs = _check_tensor("inputs", inputs, floating=True)
    std = check_number("std", std, low=0)
    generator = _check_generator(generator)
    if std == 0:
        return inputs.clone()
    device = inputs.device if generator is None else generator.device
    noise = torch.randn(inputs.shape, generator=generator, dtype=inputs.dtype, device=device)
    return inputs + std * noise.to(inputs.device)


class AugmentParams(NamedTuple):
    """What :class:`Augment` drew for each image: flipped or not, shift in pixels, rotation in degrees."""

    flip: torch.Tensor    #: (N,) bool: mirrored left-right
    shift: torch.Tensor   #: (N, 2) int64: (dx, dy) in pixels, right and down positive
    angle: torch.Tensor   #: (N,) float64: degrees, counter-clockwise positive

    def labels(self) -> list[str]:
        """One short text per image, e.g. ``"flip, shift (+1, -2), rotate +7°"``; ``"original"`` for none."""
        texts = []
        for flip, (dx, dy), angle in zip(self.flip.tolist(), self.shift.tolist(), self.angle.tolist()):
            parts = (["flip"] if flip else []) + ([f"shift ({dx:+d}, {dy:+d})"] if dx or dy else []) \
                + ([f"rotate {angle:+.0f}°"] if round(angle) else [])
            texts.append(", ".join(parts) or "original")
        return texts


class Augment:
    """Random flips, shifts, small rotations and noise for a batch of images, in plain torch.

    Each image gets its own draw: a left-right flip with probability 1/2
    (``flip=True``), a shift of ``dx, dy`` whole pixels, each uniform in
    ``-shift .. shift`` (the same as padding by ``shift`` zeros and
    cropping at a random place), and a rotation about the centre by an angle
    uniform in ``[-rotate, rotate]`` degrees. The three form one affine map
    per image, applied by ``F.affine_grid`` and ``F.grid_sample`` (bilinear,
    zeros outside the image); then Gaussian noise of standard deviation
    ``noise`` is added. With everything off the images come back unchanged.

    Parameters
    ----------
    flip : bool
    shift : int
        Largest shift in pixels, >= 0.
    rotate : float
        Largest rotation in degrees, in [0, 180].
    noise : float
        Standard deviation of the added noise, >= 0.

    Examples
    --------
    >>> import torch
    >>> from vizkit.torch.regularizers import Augment
    >>> augment = Augment(flip=True, shift=2, rotate=10)
    >>> images = torch.rand(4, 1, 8, 8)
    >>> augment(images, generator=torch.Generator().manual_seed(0)).shape
    torch.Size([4, 1, 8, 8])
    >>> params = augment.sample(4, generator=torch.Generator().manual_seed(0))
    >>> params.shift.abs().max() <= 2
    tensor(True)
    """

    def __init__(self, *, flip=False, shift=0, rotate=0.0, noise=0.0):
        if not isinstance(flip, bool):
            raise bad_type("flip", "True or False", flip)
        self.flip = flip
        self.shift = check_number("shift", shift, integer=True, low=0)
        self.rotate = check_number("rotate", rotate, low=0, high=180)
        self.noise = check_number("noise", noise, low=0)

    def __repr__(self) -> str:
        return f"Augment(flip={self.flip}, shift={self.shift}, rotate={self.rotate:g}, noise={self.noise:g})"

    @property
    def _geometric(self) -> bool:
        return self.flip or self.shift > 0 or self.rotate > 0

    def sample(self, n, generator=None) -> AugmentParams:
        """Draw the flips, shifts and angles of ``n`` images (what ``__call__`` draws first)."""
        n = check_number("n", n, integer=True, low=0)
        generator = _check_generator(generator)
        flip = torch.rand(n, generator=generator) < 0.5 if self.flip else torch.zeros(n, dtype=torch.bool)
        shift = (torch.randint(-self.shift, self.shift + 1, (n, 2), generator=generator) if self.shift
                 else torch.zeros((n, 2), dtype=torch.int64))
        angle = ((torch.rand(n, generator=generator, dtype=torch.float64) * 2 - 1) * self.rotate if self.rotate
                 else torch.zeros(n, dtype=torch.float64))
        return AugmentParams(flip=flip, shift=shift, angle=angle)

    def apply(self, images, params: AugmentParams, generator=None) -> torch.Tensor:
        """Apply drawn ``params`` to ``images`` (N, C, H, W), then add this augment's noise."""
        images = _check_images(images)
        if not isinstance(params, AugmentParams):
            raise bad_type("params", "the AugmentParams of Augment.sample()", params)
        if len(params.flip) != len(images):
            raise bad_value("params", f"draws for {len(images)} images", params, got=f"draws for {len(params.flip)}")
        out = images
        if self._geometric and len(images):
            theta = _sampling_theta(params, height=images.shape[2], width=images.shape[3])
            grid = F.affine_grid(theta.to(images), list(images.shape), align_corners=False)
            out = F.grid_sample(images, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
        return add_noise(out, self.noise, generator)

    def __call__(self, images, generator=None) -> torch.Tensor:
        """A new batch: each image of ``images`` (N, C, H, W) flipped, shifted, rotated and noised at random."""
        images = _check_images(images)
        return self.apply(images, self.sample(len(images), _check_generator(generator)), generator)


def _check_images(images) -> torch.Tensor:
    images = _check_tensor("images", images, floating=True)
    if images.ndim != 4:
        raise bad_value("images", "a batch of images of shape (N, C, H, W)", images,
                        got=f"a tensor of shape {tuple(images.shape)}",
                        hint="Reshape flat rows first, e.g. images.view(-1, 1, 8, 8) for digits.")
    return images


def _sampling_theta(params: AugmentParams, *, height: int, width: int) -> torch.Tensor:
    """The (N, 2, 3) matrices of ``affine_grid``: output position -> input position, in [-1, 1] coordinates.

    The image content moves by flip, then rotation, then shift, in pixel
    coordinates centred on the image (y down); sampling needs the inverse,
    and the normalised coordinates scale x by ``2 / width`` and y by ``2 / height``.
    """
    n = len(params.flip)
    radians = torch.deg2rad(params.angle)
    cos, sin = torch.cos(radians), torch.sin(radians)
    # Inverse rotation (content turns counter-clockwise on screen, y pointing down).
    inverse_rotation = torch.stack([torch.stack([cos, -sin], 1), torch.stack([sin, cos], 1)], 1)
    mirror = torch.ones(n, 2, dtype=torch.float64)
    mirror[params.flip, 0] = -1.0
    # input = Flip^-1 R^-1 (out - t): the linear part and its translation, in pixels.
    linear = mirror[:, :, None] * inverse_rotation
    translation = -(linear @ params.shift.to(torch.float64)[:, :, None])[:, :, 0]
    half = torch.tensor([width / 2, height / 2], dtype=torch.float64)
    theta = torch.empty(n, 2, 3, dtype=torch.float64)
    theta[:, :, :2] = linear * half[None, None, :] / half[None, :, None]
    theta[:, :, 2] = translation / half
    return theta


class _TransformedBatches:
    """A loader whose batches pass through ``fn`` each time it is iterated."""

    def __init__(self, loader, fn):
        self.loader, self.fn = loader, fn

    def __iter__(self):
        for batch in self.loader:
            if not (isinstance(batch, (tuple, list)) and len(batch) == 2):
                raise bad_value("loader", "a loader of (inputs, targets) pairs", batch,
                                got=f"a batch of type {type(batch).__name__}")
            yield self.fn(*batch)

    def __repr__(self) -> str:
        return f"transform_batches({self.loader!r}, {self.fn!r})"


class _SizedTransformedBatches(_TransformedBatches):
    """The same, with the wrapped loader's ``len()`` (``fit`` counts steps per epoch with it)."""

    def __len__(self):
        return len(self.loader)


def transform_batches(loader, fn):
    """A loader that yields ``fn(inputs, targets)`` for each batch of ``loader``, anew on every pass.

    For training on augmented, noisy or mixed batches with
    :func:`vizkit.torch.fit` unchanged: the draws differ each epoch. ``fn``
    returns the new ``(inputs, targets)`` pair; ``len()`` is the loader's.
    Wrap only the training loader: validation sees the data as it is. When
    ``fn`` turns targets into class probabilities (:func:`mixup`,
    :func:`smooth_labels`), a batch metric such as
    :func:`vizkit.torch.loop.accuracy` needs class indices: measure it on
    the validation loader, or on ``targets.argmax(dim=1)``.

    Parameters
    ----------
    loader : iterable of (inputs, targets)
        Usually a ``DataLoader``; it must be re-iterable (not a generator).
    fn : callable(inputs, targets) -> (inputs, targets)

    Returns
    -------
    iterable
        Re-iterable, with ``len()`` when ``loader`` has one.

    Examples
    --------
    >>> import torch
    >>> from torch.utils.data import DataLoader, TensorDataset
    >>> from vizkit.torch.regularizers import mixup, transform_batches
    >>> data = DataLoader(TensorDataset(torch.rand(8, 4), torch.arange(8) % 2), batch_size=4)
    >>> mixed = transform_batches(data, lambda x, y: mixup(x, y, alpha=0.2, num_classes=2)[:2])
    >>> [tuple(targets.shape) for _, targets in mixed], len(mixed)
    ([(4, 2), (4, 2)], 2)
    """
    if not callable(fn):
        raise bad_type("fn", "a callable(inputs, targets) returning (inputs, targets)", fn)
    if not isinstance(loader, Iterable) or isinstance(loader, Iterator):
        raise bad_type("loader", "a re-iterable loader of (inputs, targets), such as a DataLoader", loader,
                       hint="A generator or iterator runs out after one epoch; pass the DataLoader itself.")
    return (_SizedTransformedBatches if isinstance(loader, Sized) else _TransformedBatches)(loader, fn)
