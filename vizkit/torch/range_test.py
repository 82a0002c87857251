"""``lr_find``: the learning-rate range test on a model, leaving the model and optimizer as they were."""

from __future__ import annotations

import copy
import itertools

import numpy as np
import torch

from vizkit._core.errors import bad_value
from vizkit._core.validate import check_number
from vizkit.ml.lr_range_test import LRFinderResult, summarise
from vizkit.torch.loop import _check_loss, _check_parts, _model_device, _to_device, _unpack

__all__ = ["lr_find"]

#: The weight of the moving average of the loss that decides when the test stops (a half-life of 6.6 steps).
STOP_BETA = 0.9


def lr_find(model, loss_fn, train_loader, *, optimizer, start_lr=1e-7, end_lr=10.0, steps=100, diverge=4.0,
            device=None) -> LRFinderResult:
    """Run the learning-rate range test (Smith 2017; fastai's ``lr_find``) and put everything back.

    One short run of at most ``steps`` optimizer steps, the learning rate of
    every parameter group rising geometrically from ``start_lr`` to
    ``end_lr`` (step ``i`` uses ``start_lr * (end_lr / start_lr) ** (i /
    (steps - 1))``), on the batches of ``train_loader`` (again from its
    start when it runs out). The test stops early once the smoothed loss
    (a debiased moving average, weight 0.9) exceeds ``diverge`` times its
    lowest value, or the loss is not finite.
    Afterwards the model's and the optimizer's state (weights, buffers,
    momenta, learning rates), the model's train/eval mode and torch's CPU
    random state are restored exactly as they were: train with the
    suggested rate from where you started.

    Reading each loss to decide whether to stop costs one host-device
    synchronisation per step; the test is short.

    Parameters
    ----------
    model : torch.nn.Module
    loss_fn : callable(outputs, targets) -> 0-dim tensor
    train_loader : iterable of (inputs, targets)
    optimizer : torch.optim.Optimizer
        The optimizer you will train with (its other settings, momentum
        say, shape the test); its learning rates are overwritten during the
        test and restored afterwards.
    start_lr, end_lr : float
        The rates of the first and the last step; ``0 < start_lr < end_lr``.
    steps : int
        The most steps (at least 3).
    diverge : float
        Stop when the smoothed loss exceeds this many times its minimum
        (> 1; fastai uses 4).
    device : torch.device or str, optional
        Where batches go; default: the device of the model's parameters.

    Returns
    -------
    vizkit.ml.LRFinderResult
        Torch-free: ``table`` (``step, lr, loss, smoothed``),
        ``suggested_lr``, ``steepest_lr``, ``min_lr``, ``min10_lr``,
        ``diverged``. :func:`vizkit.lr_finder` draws it.

    Examples
    --------
    >>> import torch, vizkit as vk
    >>> from torch.utils.data import DataLoader, TensorDataset
    >>> from vizkit.torch import lr_find
    >>> _ = torch.manual_seed(0)
    >>> x = torch.randn(512, 4)
    >>> data = DataLoader(TensorDataset(x, x @ torch.tensor([[1.0], [-2.0], [0.5], [3.0]])), batch_size=32)
    >>> model = torch.nn.Linear(4, 1)
    >>> before = {k: v.clone() for k, v in model.state_dict().items()}
    >>> result = lr_find(model, torch.nn.functional.mse_loss, data, optimizer=torch.optim.SGD(model.parameters()),
    ...                  start_lr=1e-4, end_lr=10, steps=60)
    >>> all(torch.equal(before[k], v) for k, v in model.state_dict().items())     # put back exactly
    True
    >>> result.diverged, 1e-3 < result.suggested_lr < result.min_lr
    (True, True)
    """
    _check_parts(model, optimizer, loss_fn)
    start_lr = check_number("start_lr", start_lr, low=0, low_open=True)
    end_lr = check_number("end_lr", end_lr, low=start_lr, low_open=True)
    steps = check_number("steps", steps, integer=True, low=3)
    diverge = check_number("diverge", diverge, low=1, low_open=True)
    device = _model_device(model) if device is None else torch.device(device)
    rates = start_lr * (end_lr / start_lr) ** (np.arange(steps) / (steps - 1))
    saved = (copy.deepcopy(model.state_dict()), copy.deepcopy(optimizer.state_dict()), model.training,
             torch.random.get_rng_state())
    try:
        losses, diverged = _run(model, loss_fn, train_loader, optimizer, rates, diverge, device)
    finally:
        model.load_state_dict(saved[0])
        optimizer.load_state_dict(saved[1])
        model.train(saved[2])
        torch.random.set_rng_state(saved[3])
    return summarise(rates[: len(losses)], losses, diverged=diverged)


def _batches(train_loader):
    """The loader's batches, from its start again whenever it runs out (an iterator ends the test when it does)."""
    for round_ in itertools.count():
        empty = True
        for batch in train_loader:
            empty = False
            yield batch
        if empty and round_ == 0:
            raise bad_value("train_loader", "a loader that yields at least one batch", train_loader,
                            got="an empty loader")
        if empty:
            return


def _run(model, loss_fn, train_loader, optimizer, rates, diverge, device) -> tuple[list, bool]:
    """Train one step per rate; return the losses (up to the first that diverged) and whether one did."""
    model.train()
    losses, average, best = [], 0.0, np.inf
    for i, (lr, batch) in enumerate(zip(rates, _batches(train_loader))):
        for group in optimizer.param_groups:
            group["lr"] = float(lr)
        inputs, targets = _to_device(_unpack(batch, "train_loader"), device)
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(inputs), targets)
        if i == 0:
            _check_loss(loss, needs_grad=True)
        loss.backward()
        optimizer.step()
        losses.append(float(loss.detach()))  # one sync per step: the test decides whether to stop
        average = STOP_BETA * average + (1 - STOP_BETA) * losses[-1]
        smooth = average / (1 - STOP_BETA ** (i + 1))  # debiased
        best = min(best, smooth)
        if not np.isfinite(smooth) or smooth > diverge * best:
            return losses, True
    return losses, False
