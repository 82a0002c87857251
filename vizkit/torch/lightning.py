"""``VizkitCallback``: a Lightning callback that writes a vizkit run log.

Needs the ``lightning`` package (``pip install 'vizkit[lightning]'``).
"""

from __future__ import annotations

import re

from vizkit._core.errors import bad_type, missing_dependency, user_warning
from vizkit.torch.callbacks.lr_logger import LRLogger

try:
    from lightning.pytorch import Callback as _LightningCallback
except ImportError:
    raise missing_dependency("vizkit.torch.lightning", "lightning", "lightning") from None

__all__ = ["VizkitCallback"]

_SPLITS = {"train": "train", "training": "train", "val": "val", "valid": "val", "validation": "val", "test": "test"}
_PREFIXED = re.compile(r"^(train|training|val|valid|validation|test)[_/](.+)$")
_SKIPPED = {"step", "epoch"}  # Lightning's own bookkeeping keys, reserved in the run log


def metric_name(key: str, split: str) -> tuple[str, str]:
    """The ``(split, metric)`` of a key Lightning logged: ``"val/acc"`` -> ``("val", "acc")``.

    A ``train``/``val``/``valid``/``validation``/``test`` prefix (before ``_``
    or ``/``) names the split; a key without one takes ``split`` (that of the
    hook where it first appeared). Lightning's ``_step`` / ``_epoch``
    suffixes (a value logged with both ``on_step`` and ``on_epoch``) are dropped.

    >>> metric_name("val_loss", "train"), metric_name("train/acc_step", "train"), metric_name("loss", "val")
    (('val', 'loss'), ('train', 'acc'), ('val', 'loss'))
    """
    match = _PREFIXED.match(key)
    if match:
        split, key = _SPLITS[match.group(1)], match.group(2)
    for suffix in ("_step", "_epoch"):
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)]
            break
    return split, key


class VizkitCallback(_LightningCallback):
    """Write what a LightningModule logs (``self.log``) to a vizkit run.

    Values logged in ``training_step`` are written per step to split
    ``"train"``; values logged in validation (or test) at the end of it to
    split ``"val"`` (``"test"``), at the last optimizer step taken; values
    logged only per epoch in training at the end of the epoch. The split
    comes from the name (``"val_loss"``, ``"val/loss"``, ``"train_acc"``,
    ``"test/acc"``) or, for an unprefixed name, from where it was first
    logged; see :func:`metric_name`. A value logged with both
    ``on_step=True`` and ``on_epoch=True`` is written per step only (its
    epoch mean is the mean of those records).

    The learning rate of every parameter group of every optimizer is
    written to split ``"train"`` at each optimizer step, the rate that step
    used (read before it, as Lightning's ``LearningRateMonitor`` does), named
    as :class:`vizkit.torch.LRLogger` names it: ``"lr"`` for one group,
    ``"lr/<group name>"`` or ``"lr/group<i>"`` for several; with several
    optimizers, ``"lr/opt<k>"`` then the group's suffix
    (``"lr/opt1/group0"``). Pass ``lr=False`` to leave it out.

    Steps and epochs count from 0 as in :func:`vizkit.torch.fit`: ``step``
    is ``trainer.global_step - 1`` (the index of the last optimizer step),
    ``epoch`` is ``trainer.current_epoch``. Test metrics of a
    ``trainer.test`` after ``trainer.fit`` are written at the last step and
    the last epoch trained (Lightning's ``current_epoch`` is one past it by
    then); of a test without a fit, with no epoch. Tensors stay on their
    device until the run's next flush; this callback flushes at every epoch
    end. The sanity-check validation is not logged.

    Parameters
    ----------
    run : vizkit.torch.Run
        An open run.
    close : bool
        Close the run (``finished``) at the end of ``trainer.fit``; pass
        ``False`` to log ``trainer.test(...)`` to it afterwards. When
        training raises, the run is closed as ``crashed`` either way.
    lr : bool
        Log the learning rates.

    Notes
    -----
    Like Lightning's own loggers, a value logged only on some steps repeats
    its last value on the steps in between.

    Examples
    --------
    >>> import tempfile
    >>> from vizkit.torch import Run
    >>> from vizkit.torch.lightning import VizkitCallback
    >>> callback = VizkitCallback(Run(tempfile.mkdtemp()))
    >>> callback                                             # doctest: +ELLIPSIS
    VizkitCallback(run='...', close=True, lr=True)

    Then ``lightning.pytorch.Trainer(callbacks=[callback]).fit(module, train, val)``
    and ``vizkit.curves(vizkit.read_run(callback.run.path))``.
    """

    def __init__(self, run, *, close=True, lr=True):
        if not all(callable(getattr(run, name, None)) for name in ("log", "flush", "close")):
            raise bad_type("run", "a vizkit.torch.Run (or vizkit.io.RunWriter)", run)
        super().__init__()
        self.run = run
        self.close = bool(close)
        self.lr = bool(lr)
        self._split_of: dict[str, str] = {}  # Lightning key -> split, fixed where the key first appears
        self._kind_of: dict[str, str] = {}   # Lightning key -> "step", "epoch" or "eval"
        self._trained_epoch = None  # the epoch of the last training record written, for test results
        self._lr_step = None  # the optimizer step whose learning rates were written last

    def __repr__(self) -> str:
        return f"VizkitCallback(run={getattr(self.run, 'name', self.run)!r}, close={self.close}, lr={self.lr})"

    @staticmethod
    def learning_rates(optimizers) -> dict:
        """``{"lr": ...}`` for one optimizer (see :meth:`LRLogger.values`), ``{"lr/opt<k>...": ...}`` for several.

        >>> import torch
        >>> def weights():
        ...     return [torch.nn.Parameter(torch.zeros(2))]
        >>> VizkitCallback.learning_rates([torch.optim.SGD(weights(), lr=0.1)])
        {'lr': 0.1}
        >>> VizkitCallback.learning_rates([torch.optim.Adam(weights(), lr=1e-3), torch.optim.SGD(
        ...     [{"params": weights()}, {"params": weights(), "lr": 0.5}], lr=0.1)])
        {'lr/opt0': 0.001, 'lr/opt1/group0': 0.1, 'lr/opt1/group1': 0.5}
        """
        if len(optimizers) == 1:
            return LRLogger.values(optimizers[0], momentum=False)
        return {f"lr/opt{index}" + key[len("lr"):]: value for index, optimizer in enumerate(optimizers)
                for key, value in LRLogger.values(optimizer, momentum=False).items()}

    # -- collecting --------------------------------------------------------
    def _values(self, trainer, kind: str, split: str) -> dict:
        """The scalar values of this hook's ``kind`` now in ``trainer.logged_metrics``, as ``{(split, metric): tensor}``."""
        values = {}
        for key, value in trainer.logged_metrics.items():
            if key in _SKIPPED or getattr(value, "numel", lambda: 1)() != 1:
                continue
            if key not in self._kind_of:
                own_split = metric_name(key, split)[0]
                self._split_of[key] = own_split
                if own_split != "train":
                    self._kind_of[key] = "eval"  # val/test values are logged at the end of their loop only
                else:
                    self._kind_of[key] = "step" if kind == "eval" else kind
            if self._kind_of[key] == kind and (kind != "eval" or self._split_of[key] == split):
                values[metric_name(key, self._split_of[key])] = value
        return values

    def _write(self, trainer, values: dict, *, epoch="current") -> None:
        """Log ``values`` at the last optimizer step, at ``epoch`` (by default Lightning's current epoch)."""
        if epoch == "current":
            epoch = self._trained_epoch = trainer.current_epoch
        by_split: dict[str, dict] = {}
        for (split, metric), value in values.items():
            by_split.setdefault(split, {})[metric] = value
        step = max(trainer.global_step - 1, 0)
        for split, metrics in by_split.items():
            self.run.log(step=step, epoch=epoch, split=split, **metrics)

    # -- Lightning hooks ---------------------------------------------------
    def on_train_batch_start(self, trainer, pl_module, batch, batch_idx):
        # Before the step: the rates it uses (Lightning steps schedulers before on_train_batch_end).
        # Once per optimizer step (with gradient accumulation, several batches make one step).
        if self.lr and trainer.optimizers and trainer.global_step != self._lr_step:
            self._lr_step = trainer.global_step
            rates = self.learning_rates(trainer.optimizers)
            if rates:
                self.run.log(step=trainer.global_step, epoch=trainer.current_epoch, split="train", **rates)

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        self._write(trainer, self._values(trainer, "step", "train"))

    def on_validation_end(self, trainer, pl_module):
        if not trainer.sanity_checking:
            self._write(trainer, self._values(trainer, "eval", "val"))

    def on_train_epoch_end(self, trainer, pl_module):
        stepped = {metric_name(key, self._split_of[key]) for key, kind in self._kind_of.items() if kind == "step"}
        values = {name: value for name, value in self._values(trainer, "epoch", "train").items() if name not in stepped}
        self._write(trainer, values)
        self.run.flush()

    def on_test_end(self, trainer, pl_module):
        if getattr(self.run, "closed", False):
            user_warning(f"VizkitCallback: run {getattr(self.run, 'name', '')!r} was closed at the end of fit, so "
                          "the test metrics are not logged; pass VizkitCallback(run, close=False) to log them")
            return
        self._write(trainer, self._values(trainer, "eval", "test"), epoch=self._trained_epoch)
        self.run.flush()

    def on_fit_end(self, trainer, pl_module):
        if self.close:
            self.run.close(status="finished")
        else:
            self.run.flush()

    def on_exception(self, trainer, pl_module, exception):
        if getattr(self.run, "closed", False):
            return
        try:
            self.run.close(status="crashed")
        except Exception as failure:  # noqa: BLE001 - never mask the training error
            user_warning(f"VizkitCallback could not close run {getattr(self.run, 'name', '')!r}: {failure!r}")
