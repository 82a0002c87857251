"""Callbacks for :func:`vizkit.torch.fit`: a tiny hook surface and a small training state.

A callback overrides the hooks it needs; the base class defines every hook as
a no-op. :func:`~vizkit.torch.fit` calls them in this order::

    on_fit_start(state)
    for each epoch:
        on_epoch_start(state)
        for each batch:  on_batch_end(state, logs)        # logs: this batch, device tensors
        on_validation_end(state, logs)                     # logs: "val_<metric>", with a val_loader
        on_epoch_end(state, logs)                          # logs: epoch means and "val_<metric>", floats
    on_fit_end(state)                                      # or, when anything raised:
    on_exception(state, error)                             # then the error propagates

Names of logged values
----------------------
Batch logs hold ``"loss"`` and one key per entry of ``fit(metrics=...)``
(``"acc"``, ...). Validation logs hold the same names prefixed with
``"val_"``. Epoch logs hold both: ``"loss"`` (the mean over the epoch's
batches) and ``"val_loss"``. In the run log a key ``"val_<metric>"`` is
metric ``<metric>`` of split ``"val"``; any other key is a metric of split
``"train"``. So ``EarlyStopping(monitor="val_loss")`` watches the rows
``split == "val", metric == "loss"`` of :func:`vizkit.read_run`.

Steps and epochs count from 0: ``state.step`` is the global index of the last
optimizer step taken (``-1`` before the first), ``state.epoch`` the index of
the current epoch. Validation is logged at the step that ended its epoch.
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass
from typing import Any

from vizkit._core.errors import bad_type, bad_value
from vizkit._core.validate import check_choice, check_number

__all__ = ["Callback", "EarlyStopping", "LRLogger", "MetricLogger", "TrainState"]


@dataclass
class TrainState:
    """What a callback may read (and ``stop_training``, which it may set) during :func:`~vizkit.torch.fit`.

    Attributes
    ----------
    epoch : int
        Index of the current epoch, from 0.
    step : int
        Global index of the last optimizer step taken, from 0 (``-1`` before the first).
    epochs : int or None
        The number of epochs ``fit`` was asked for.
    run : vizkit.torch.Run or None
        The run being logged to, if any (``fit(run=...)`` or the first
        :class:`MetricLogger`'s run).
    model : torch.nn.Module
    optimizer : torch.optim.Optimizer
    device : torch.device or None
    stop_training : bool
        Set it to ``True`` to end training after the current epoch's
        validation and ``on_epoch_end`` (the rest of the epoch's batches are skipped).

    Examples
    --------
    >>> from vizkit.torch import TrainState
    >>> TrainState(epoch=2, step=99)
    TrainState(epoch=2, step=99, epochs=None, run=None, model=None, optimizer=None, device=None, stop_training=False)
    """

    epoch: int = 0
    step: int = -1
    epochs: int | None = None
    run: Any = None
    model: Any = None
    optimizer: Any = None
    device: Any = None
    stop_training: bool = False


class Callback:
    """Base class of :func:`~vizkit.torch.fit` callbacks: every hook is a no-op.

    Override only the hooks you need. ``logs`` maps names to numbers or
    tensors; in per-batch hooks the tensors are on the training device, so
    never call ``.item()``, ``.cpu()`` or ``float()`` on them there (each is
    a host-device synchronisation per step): hand them to ``run.log``, which
    converts a batch of them at a flush. :meth:`state_dict` and
    :meth:`load_state_dict` carry a callback's state across a resumed run.

    Examples
    --------
    A callback that stops as soon as the validation accuracy reaches 99 %:

    >>> from vizkit.torch import Callback
    >>> class StopAt(Callback):
    ...     def __init__(self, target):
    ...         self.target = target
    ...     def on_epoch_end(self, state, logs):
    ...         if logs.get("val_acc", 0.0) >= self.target:
    ...             state.stop_training = True
    >>> StopAt(0.99).target
    0.99
    """

    def on_fit_start(self, state: TrainState) -> None:
        """Before the first epoch."""

    def on_epoch_start(self, state: TrainState) -> None:
        """Before the first batch of an epoch."""

    def on_batch_end(self, state: TrainState, logs: dict) -> None:
        """After the optimizer step of a batch; ``logs`` hold that batch's values (device tensors)."""

    def on_validation_end(self, state: TrainState, logs: dict) -> None:
        """After validation; ``logs`` hold ``"val_<metric>"`` values (floats)."""

    def on_epoch_end(self, state: TrainState, logs: dict) -> None:
        """After an epoch and its validation; ``logs`` hold epoch means and validation values (floats)."""

    def on_fit_end(self, state: TrainState) -> None:
        """After the last epoch (not called when training raised)."""

    def on_exception(self, state: TrainState, error: BaseException) -> None:
        """When anything in training raised (``KeyboardInterrupt`` included); the error propagates afterwards."""

    def state_dict(self) -> dict:
        """The callback's state, to save beside a checkpoint (plain Python values)."""
        return {}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore what :meth:`state_dict` returned."""


def _split_key(key: str) -> tuple[str, str]:
    """The ``(split, metric)`` a logs key stands for: ``"val_loss"`` -> ``("val", "loss")``.

    >>> _split_key("val_acc"), _split_key("loss")
    (('val', 'acc'), ('train', 'loss'))
    """
    if key.startswith("val_") and len(key) > 4:
        return "val", key[4:]
    return "train", key


def _check_run(argument: str, run) -> None:
    if not all(callable(getattr(run, name, None)) for name in ("log", "flush", "close")):
        raise bad_type(argument, "a vizkit.torch.Run (or vizkit.io.RunWriter)", run)


class MetricLogger(Callback):
    """Log the loss and metrics of :func:`~vizkit.torch.fit` to a run.

    Batch logs go to split ``"train"`` at their step (the mean of the last
    ``every`` batches at every ``every``-th step, and of the batches left at
    the end of an epoch). Validation logs go to split ``"val"`` at the step
    that ended the epoch, without their ``"val_"`` prefix. Epoch means of the
    training batches are not logged again: the step records hold them (group
    ``read_run(...)`` by ``epoch`` to get them).

    Tensors stay on their device: the run converts a batch of them at a
    flush, and this callback flushes at every epoch end. At the end of
    ``fit`` the run is flushed and, with ``close=True``, closed as
    ``finished``; when training raises it is closed as ``crashed``.

    Parameters
    ----------
    run : vizkit.torch.Run
        An open run.
    every : int
        Log training values every ``every`` steps (averaged over them, on
        the device).
    close : bool
        Close the run at the end of ``fit``. Pass ``False`` to keep logging
        to it afterwards (test metrics, say).

    Examples
    --------
    >>> import tempfile, torch, vizkit as vk
    >>> from torch.utils.data import DataLoader, TensorDataset
    >>> from vizkit.torch import MetricLogger, Run, fit
    >>> _ = torch.manual_seed(0)
    >>> data = DataLoader(TensorDataset(torch.randn(64, 3), torch.randn(64, 1)), batch_size=16)
    >>> model = torch.nn.Linear(3, 1)
    >>> run = Run(tempfile.mkdtemp())
    >>> history = fit(model, data, val_loader=data, optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
    ...               loss_fn=torch.nn.functional.mse_loss, epochs=2, callbacks=[MetricLogger(run)], progress=False)
    >>> logged = vk.read_run(run.path)
    >>> logged.query("split == 'train'")["step"].unique().tolist()
    [0, 1, 2, 3, 4, 5, 6, 7]
    >>> logged.query("split == 'val'")["step"].unique().tolist()
    [3, 7]
    """

    def __init__(self, run, *, every=1, close=True):
        _check_run("run", run)
        self.run = run
        self.every = check_number("every", every, integer=True, low=1)
        self.close = bool(close)
        self._sums: dict = {}
        self._counts: dict = {}

    def on_fit_start(self, state):
        if getattr(self.run, "closed", False):
            raise bad_value("run", "an open run", self.run, hint="it was closed; make a new Run, or Run(path, resume=True)")
        self._sums, self._counts = {}, {}

    def on_batch_end(self, state, logs):
        if not logs:
            return
        if self.every == 1:
            self.run.log(step=state.step, epoch=state.epoch, split="train", **logs)
            return
        for key, value in logs.items():  # tensor additions on the device: no synchronisation
            self._sums[key] = self._sums[key] + value if key in self._sums else value
            self._counts[key] = self._counts.get(key, 0) + 1
        if (state.step + 1) % self.every == 0:
            self._log_window(state)

    def _log_window(self, state) -> None:
        if self._sums:
            means = {key: total / self._counts[key] for key, total in self._sums.items()}
            self.run.log(step=state.step, epoch=state.epoch, split="train", **means)
        self._sums, self._counts = {}, {}

    def on_validation_end(self, state, logs):
        if logs:
            metrics = {_split_key(key)[1]: value for key, value in logs.items()}
            self.run.log(step=max(state.step, 0), epoch=state.epoch, split="val", **metrics)

    def on_epoch_end(self, state, logs):
        self._log_window(state)
        self.run.flush()

    def on_fit_end(self, state):
        self._log_window(state)
        if self.close:
            self.run.close(status="finished")
        else:
            self.run.flush()

    def on_exception(self, state, error):
        self._sums, self._counts = {}, {}
        if getattr(self.run, "closed", False):
            return
        try:
            self.run.close(status="crashed")  # flushes what is buffered first
        except Exception as failure:  # noqa: BLE001 - the training error matters more: report, never mask it
            warnings.warn(f"MetricLogger could not close run {getattr(self.run, 'name', '')!r} after "
                          f"{type(error).__name__}: {failure!r}", UserWarning, stacklevel=2)


# Words that say which way a monitored quantity should go (mode="auto").
_HIGHER_IS_BETTER = {"acc", "accuracy", "auc", "auroc", "f1", "fscore", "precision", "recall", "iou",
                     "miou", "dice", "r2", "map", "top1", "top5", "bleu", "score"}
_LOWER_IS_BETTER = {"loss", "error", "err", "mse", "mae", "rmse", "nll", "ce", "perplexity", "ppl", "wer", "cer"}


def _auto_mode(monitor: str) -> str:
    words = set(re.split(r"[^a-z0-9]+", monitor.lower()))
    higher, lower = bool(words & _HIGHER_IS_BETTER), bool(words & _LOWER_IS_BETTER)
    if higher == lower:
        raise bad_value("mode", "'min' or 'max' for this monitor", "auto",
                        hint=f"'auto' cannot tell whether a higher or a lower {monitor!r} is better.")
    return "max" if higher else "min"


class EarlyStopping(Callback):
    """Stop training when a monitored epoch value has stopped improving.

    At every epoch end the value ``logs[monitor]`` is compared with the best
    so far: it improves when it is lower than ``best - min_delta``
    (``mode="min"``) or higher than ``best + min_delta`` (``mode="max"``).
    After ``patience`` epochs in a row without improvement, training stops.
    A NaN or infinite value stops training at once.

    Parameters
    ----------
    monitor : str
        A key of the epoch logs: ``"val_loss"`` (split ``"val"``, metric
        ``"loss"`` in the run log), ``"val_acc"``, or ``"loss"`` for the mean
        training loss of the epoch.
    patience : int
        The number of epochs in a row without improvement after which
        training stops (0 and 1 both stop at the first such epoch).
    mode : {"auto", "min", "max"}
        Which way is better; ``"auto"`` reads it from the name (``loss``,
        ``error``, ``mse`` ... -> ``"min"``; ``acc``, ``auc``, ``f1`` ... ->
        ``"max"``) and refuses a name it cannot read.
    min_delta : float
        The smallest change that counts as an improvement.
    restore_best : bool
        At the end of ``fit``, load the weights of the best epoch back into
        the model (a copy of them is kept on the model's device).

    Attributes
    ----------
    best : float or None
        The best value so far.
    best_epoch : int or None
    wait : int
        Epochs since the last improvement.
    stopped_epoch : int or None
        The epoch after which training stopped, ``None`` if it did not.
    reason : str or None
        Why training stopped, in words.

    Notes
    -----
    :meth:`state_dict` / :meth:`load_state_dict` carry ``best``,
    ``best_epoch``, ``wait`` and ``stopped_epoch`` across a resumed run
    (save it beside the model checkpoint); a loaded state is kept by the
    next ``fit``, which otherwise starts afresh. The best weights are not in
    it: they belong to the model checkpoint.

    Examples
    --------
    >>> from vizkit.torch import EarlyStopping, TrainState
    >>> early = EarlyStopping("val_loss", patience=2)
    >>> early.mode
    'min'
    >>> state = TrainState()
    >>> for state.epoch, val_loss in enumerate([0.9, 0.7, 0.72, 0.71]):
    ...     early.on_epoch_end(state, {"val_loss": val_loss})
    >>> early.best, early.best_epoch, early.stopped_epoch, state.stop_training
    (0.7, 1, 3, True)
    >>> early.reason
    'val_loss did not improve for 2 epochs (best 0.7 at epoch 1)'

    In :func:`~vizkit.torch.fit`, with the weights of the best epoch put back at the end:
    ``fit(..., val_loader=val, callbacks=[EarlyStopping("val_loss", patience=3, restore_best=True)])``.
    """

    def __init__(self, monitor="val_loss", *, patience=3, mode="auto", min_delta=0.0, restore_best=False):
        if not isinstance(monitor, str) or not monitor:
            raise bad_type("monitor", "a key of the epoch logs such as 'val_loss'", monitor)
        self.monitor = monitor
        self.patience = check_number("patience", patience, integer=True, low=0)
        mode = check_choice("mode", mode, ["auto", "min", "max"])
        self.mode = _auto_mode(monitor) if mode == "auto" else mode
        self.min_delta = abs(check_number("min_delta", min_delta, low=0))
        self.restore_best = bool(restore_best)
        self._reset()
        self._loaded = False

    def _reset(self) -> None:
        self.best = None
        self.best_epoch = None
        self.wait = 0
        self.stopped_epoch = None
        self.reason = None
        self._best_weights = None

    def on_fit_start(self, state):
        if not self._loaded:
            self._reset()
        self._loaded = False

    def _improves(self, value: float) -> bool:
        if self.best is None:
            return True
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def on_epoch_end(self, state, logs):
        if self.monitor not in logs:
            listed = ", ".join(repr(key) for key in sorted(logs)) or "none"
            hint = " fit() logs 'val_*' keys only when it is given a val_loader." if self.monitor.startswith("val_") else ""
            raise bad_value("monitor", f"a key of the epoch logs ({listed})", self.monitor, hint=hint.strip())
        value = float(logs[self.monitor])  # an epoch-end value: one conversion per epoch is fine
        if not math.isfinite(value):
            self._stop(state, f"{self.monitor} is {value} at epoch {state.epoch}")
        elif self._improves(value):
            self.best, self.best_epoch, self.wait = value, state.epoch, 0
            if self.restore_best and state.model is not None:
                self._best_weights = {k: v.detach().clone() for k, v in state.model.state_dict().items()}
        else:
            self.wait += 1
            if self.wait >= self.patience:
                self._stop(state, f"{self.monitor} did not improve for {self.wait} epochs "
                                  f"(best {self.best:.4g} at epoch {self.best_epoch})")

    def _stop(self, state, reason: str) -> None:
        state.stop_training = True
        self.stopped_epoch = state.epoch
        self.reason = reason

    def on_fit_end(self, state):
        if self.restore_best and self._best_weights is not None and state.model is not None:
            state.model.load_state_dict(self._best_weights)

    def state_dict(self) -> dict:
        return {"monitor": self.monitor, "mode": self.mode, "best": self.best, "best_epoch": self.best_epoch,
                "wait": self.wait, "stopped_epoch": self.stopped_epoch, "reason": self.reason}

    def load_state_dict(self, state_dict: dict) -> None:
        for key in ("monitor", "mode"):
            if state_dict.get(key) != getattr(self, key):
                raise bad_value("state_dict", f"the state of an EarlyStopping with {key}={getattr(self, key)!r}",
                                state_dict.get(key), got=f"one saved with {key}={state_dict.get(key)!r}")
        self.best = state_dict["best"]
        self.best_epoch = state_dict["best_epoch"]
        self.wait = state_dict["wait"]
        self.stopped_epoch = state_dict.get("stopped_epoch")
        self.reason = state_dict.get("reason")
        self._best_weights = None
        self._loaded = True

    def __repr__(self) -> str:
        return (f"EarlyStopping(monitor={self.monitor!r}, patience={self.patience}, mode={self.mode!r}, "
                f"min_delta={self.min_delta:g}, restore_best={self.restore_best})")


class LRLogger(Callback):
    """Log the learning rate and momentum of every parameter group.

    Metrics ``"lr"`` and ``"momentum"`` (the ``momentum`` of SGD or RMSprop,
    or ``beta1`` of the Adam family; left out for optimizers with neither)
    go to split ``"train"``. With several parameter groups, or a group that
    has a ``"name"`` key, each metric is suffixed with the group's name:
    ``"lr/backbone"``, ``"lr/head"`` (``"group<i>"`` for unnamed groups).

    Parameters
    ----------
    run : vizkit.torch.Run, optional
        Default: the run of ``fit(run=...)`` or of a :class:`MetricLogger`.
    interval : {"step", "epoch"}
        ``"step"``: after every ``every``-th optimizer step; ``"epoch"``: at
        each epoch start, at the epoch's first step (the rate in force
        during that epoch).
    every : int
        With ``interval="step"``, log every ``every`` steps.

    Examples
    --------
    >>> import torch
    >>> from vizkit.torch import LRLogger
    >>> head, body = torch.nn.Linear(2, 2), torch.nn.Linear(2, 2)
    >>> optimizer = torch.optim.SGD([{"params": body.parameters(), "name": "body"},
    ...                              {"params": head.parameters(), "name": "head", "lr": 0.1}], lr=0.01, momentum=0.9)
    >>> LRLogger.values(optimizer)
    {'lr/body': 0.01, 'momentum/body': 0.9, 'lr/head': 0.1, 'momentum/head': 0.9}
    """

    def __init__(self, run=None, *, interval="step", every=1):
        if run is not None:
            _check_run("run", run)
        self.run = run
        self.interval = check_choice("interval", interval, ["step", "epoch"])
        self.every = check_number("every", every, integer=True, low=1)
        self._target = None

    @staticmethod
    def values(optimizer) -> dict:
        """``{"lr": ..., "momentum": ...}`` (suffixed per group) for ``optimizer``'s parameter groups now."""
        groups = optimizer.param_groups
        values = {}
        for index, group in enumerate(groups):
            named = len(groups) > 1 or "name" in group
            suffix = f"/{group.get('name', f'group{index}')}" if named else ""
            if group.get("lr") is not None:
                values["lr" + suffix] = group["lr"]
            momentum = group.get("momentum")
            if momentum is None and "betas" in group:
                momentum = group["betas"][0]
            if momentum is not None:
                values["momentum" + suffix] = momentum
        return values

    def on_fit_start(self, state):
        self._target = self.run if self.run is not None else state.run
        if self._target is None:
            raise bad_value("run", "a Run to log to", None,
                            hint="pass LRLogger(run), fit(..., run=run), or put a MetricLogger(run) in the callbacks")
        if state.optimizer is None:
            raise bad_value("optimizer", "an optimizer in the training state", None)

    def _log(self, state, step: int) -> None:
        values = self.values(state.optimizer)
        if values:
            self._target.log(step=max(step, 0), epoch=state.epoch, split="train", **values)

    def on_epoch_start(self, state):
        if self.interval == "epoch":
            self._log(state, state.step + 1)

    def on_batch_end(self, state, logs):
        if self.interval == "step" and state.step % self.every == 0:
            self._log(state, state.step)
