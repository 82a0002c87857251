"""The callback base class and the training state of :func:`vizkit.torch.fit`.

The hooks, the order :func:`~vizkit.torch.fit` calls them in and the names of
logged values are documented once, in :mod:`vizkit.torch.callbacks`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vizkit._core.errors import bad_type

__all__ = ["Callback", "TrainState", "check_run", "split_key"]


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
    A callback that stops as soon as the validation accuracy reaches 99%:

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


def split_key(key: str) -> tuple[str, str]:
    """The ``(split, metric)`` a logs key stands for: ``"val_loss"`` -> ``("val", "loss")``.

    >>> split_key("val_acc"), split_key("loss")
    (('val', 'acc'), ('train', 'loss'))
    """
    if key.startswith("val_") and len(key) > 4:
        return "val", key[4:]
    return "train", key


def check_run(argument: str, run) -> None:
    """Raise a vizkit error naming ``argument`` unless ``run`` can ``log``, ``flush`` and ``close``."""
    if not all(callable(getattr(run, name, None)) for name in ("log", "flush", "close")):
        raise bad_type(argument, "a vizkit.torch.Run (or vizkit.io.RunWriter)", run)
