"""``SampleLogger``: a generator's samples from one fixed noise batch, saved with the run at chosen epochs."""

from __future__ import annotations

import numpy as np
import torch

from vizkit._core.errors import bad_type, bad_value
from vizkit._core.validate import check_choice, check_number
from vizkit.torch.callbacks.base import Callback, check_run

__all__ = ["SampleLogger"]

_DTYPES = {"float16": torch.float16, "float32": torch.float32}


class SampleLogger(Callback):
    """Save ``sample_fn(noise)`` for ONE noise batch, fixed at the start, at chosen epochs: samples over training.

    Each capture runs ``sample_fn`` on the same noise under ``torch.no_grad()``
    (a ``torch.nn.Module`` in eval mode, its train mode restored after) and
    saves the images, the epoch and the noise itself with the run as
    ``arrays/<name>-step<step>.npz`` (no pickle), which
    :func:`vizkit.samples_over_training` draws as a row per epoch. The noise is
    copied when the logger is made and checked unchanged at every capture, so
    a column of the grid follows one noise vector through training.

    In a hand-written loop (a GAN's, which :func:`~vizkit.torch.fit` does not
    train) call :meth:`log` at the end of each epoch; as a ``fit`` callback it
    logs at ``on_epoch_end``.

    Parameters
    ----------
    sample_fn : torch.nn.Module or callable
        Noise batch -> images, e.g. the generator (N, H, W) or (N, C, H, W).
    noise : torch.Tensor
        The fixed batch, e.g. ``torch.randn(16, latent, generator=torch.Generator().manual_seed(1))``.
    every : int
        Capture at epochs 0, ``every``, 2 ``every``, ... (ignored with ``epochs``).
    epochs : list of int, optional
        Capture at exactly these epochs instead.
    run : vizkit.torch.Run, optional
        Where the samples are saved; default the run of ``fit(run=...)``.
    name : str
        The ``log_array`` name (``"samples"``, the default of ``samples_over_training``).
    dtype : {"float16", "float32"}
        What the images are stored as (float16 halves the files); the noise is kept as float32.

    Attributes
    ----------
    noise : torch.Tensor
        The fixed batch (a copy, on the host).
    epochs_ : list of int
        The epochs captured so far.

    Examples
    --------
    >>> import tempfile, torch, vizkit as vk
    >>> from vizkit.torch import Run, SampleLogger
    >>> generator = torch.nn.Sequential(torch.nn.Linear(4, 36), torch.nn.Tanh(), torch.nn.Unflatten(1, (6, 6)))
    >>> with Run(tempfile.mkdtemp()) as run:
    ...     samples = SampleLogger(generator, torch.randn(5, 4), every=2, run=run)
    ...     for epoch in range(5):
    ...         # ... train the generator for an epoch, then:
    ...         _ = samples.log(step=10 * epoch + 9, epoch=epoch)
    >>> samples.epochs_, vk.samples_over_training(run.path, n=5).grid_.axes_.shape
    ([0, 2, 4], (3, 5))
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """

    def __init__(self, sample_fn, noise, *, every=1, epochs=None, run=None, name="samples", dtype="float16"):
        if not callable(sample_fn):
            raise bad_type("sample_fn", "a generator (torch.nn.Module) or a function of the noise batch", sample_fn)
        if not isinstance(noise, torch.Tensor) or noise.ndim < 1 or not noise.is_floating_point() or not len(noise):
            raise bad_type("noise", "a floating-point tensor of a batch of noise vectors, e.g. torch.randn(16, 64)",
                           noise)
        self.sample_fn = sample_fn
        self.noise = noise.detach().cpu().clone()
        self._reference = self.noise.clone()
        self.every = check_number("every", every, integer=True, low=1)
        self.at = None if epochs is None else _check_epochs(epochs)
        if run is not None:
            check_run("run", run)
        self.run = run
        if not isinstance(name, str) or not name:
            raise bad_value("name", "a non-empty file-safe name such as 'samples'", name)
        self.name = name
        self.dtype = _DTYPES[check_choice("dtype", dtype, list(_DTYPES))]
        self.epochs_: list[int] = []

    def due(self, epoch: int) -> bool:
        """Whether ``epoch`` is one to capture at."""
        return epoch in self.at if self.at is not None else epoch % self.every == 0

    def sample(self) -> torch.Tensor:
        """``sample_fn(noise)`` on the host, without gradients (a module in eval mode, its mode restored)."""
        if not torch.equal(self.noise, self._reference):
            raise bad_value("noise", "the batch fixed when the logger was made", None,
                            got="a batch changed in place since", hint="Pass a copy if you reuse the tensor.")
        module = self.sample_fn if isinstance(self.sample_fn, torch.nn.Module) else None
        device = next((p.device for p in module.parameters()), None) if module is not None else None
        was_training = module.training if module is not None else False
        try:
            if module is not None:
                module.eval()
            with torch.no_grad():
                images = self.sample_fn(self.noise if device is None else self.noise.to(device))
        finally:
            if module is not None:
                module.train(was_training)
        if not isinstance(images, torch.Tensor):
            raise bad_type("sample_fn", "a function that returns a tensor of images", images)
        return images.detach().to(self.dtype).cpu()

    def log(self, *, step: int, epoch: int, run=None) -> bool:
        """Save the samples if ``epoch`` is due; return whether it was."""
        target = run if run is not None else self.run
        if target is None:
            raise bad_value("run", "a Run to save the samples with", None,
                            hint="pass SampleLogger(..., run=run) or log(..., run=run)")
        if not self.due(epoch):
            return False
        target.log_array(self.name, step=step, epoch=np.int64(epoch), images=self.sample().numpy(),
                         noise=self.noise.to(torch.float32).numpy())
        self.epochs_.append(int(epoch))
        return True

    # -- callback ----------------------------------------------------------
    def on_fit_start(self, state):
        if self.run is None and state.run is None:
            raise bad_value("run", "a Run to save the samples with", None,
                            hint="pass SampleLogger(..., run=run) or fit(..., run=run)")

    def on_epoch_end(self, state, logs):
        self.log(step=state.step, epoch=state.epoch, run=self.run or state.run)


def _check_epochs(epochs) -> list[int]:
    if isinstance(epochs, (int, np.integer)) and not isinstance(epochs, bool):
        epochs = [epochs]
    if not isinstance(epochs, (list, tuple, range)) or not epochs or \
            not all(isinstance(e, (int, np.integer)) and not isinstance(e, bool) and e >= 0 for e in epochs):
        raise bad_type("epochs", "a list of epoch numbers (int >= 0)", epochs)
    return sorted({int(e) for e in epochs})
