"""``EarlyStopping``: end training when a monitored epoch value stops improving."""

from __future__ import annotations

import math

from vizkit._core.errors import bad_type, bad_value
from vizkit._core.validate import check_choice, check_number
from vizkit.io.metrics import metric_direction
from vizkit.torch.callbacks.base import Callback

__all__ = ["EarlyStopping"]


def _auto_mode(monitor: str) -> str:
    """``mode="auto"``: the direction :func:`vizkit.io.metrics.metric_direction` reads from the name, or an error."""
    direction = metric_direction(monitor)
    if direction is None:
        raise bad_value("mode", "'min' or 'max' for this monitor", "auto",
                        hint=f"'auto' cannot tell whether a higher or a lower {monitor!r} is better.")
    return direction


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
        Which way is better; ``"auto"`` reads it from the name with
        :func:`vizkit.io.metric_direction`, the vocabulary :func:`vizkit.gap`
        and :func:`vizkit.curves` read too (``loss``, ``error``, ``ce``,
        ``mse``, ``fid`` ... -> ``"min"``; ``acc``, ``auroc``, ``f1``,
        ``psnr``, ``ssim`` ... -> ``"max"``), and refuses a name it cannot read.
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
    When training logs to a run (``state.run``: ``fit(run=...)`` or a
    :class:`MetricLogger`), the run's config gets, after every epoch, the key
    ``"early_stopping"``: ``monitor``, ``mode``, ``patience``, ``min_delta``
    and the attributes above, so a chart of the run log
    (:func:`vizkit.early_stopping`) draws the stop this callback made.

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
        self._record(state)

    def _record(self, state) -> None:
        """The settings and the state so far, in the run's config (written to meta.json when the run closes)."""
        config = getattr(state.run, "config", None)
        if isinstance(config, dict):
            config["early_stopping"] = {"monitor": self.monitor, "mode": self.mode, "patience": self.patience,
                                        "min_delta": self.min_delta, **{key: getattr(self, key) for key in
                                        ("best", "best_epoch", "wait", "stopped_epoch", "reason")}}

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
