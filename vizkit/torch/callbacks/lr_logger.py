"""``LRLogger``: each parameter group's learning rate and momentum, per step."""

from __future__ import annotations

from vizkit._core.errors import bad_value
from vizkit._core.validate import check_choice, check_number
from vizkit.torch.callbacks.base import Callback, check_run

__all__ = ["LRLogger"]


class LRLogger(Callback):
    """Log the learning rate and momentum of every parameter group.

    Metrics ``"lr"`` and ``"momentum"`` (the ``momentum`` of SGD or RMSprop,
    or ``beta1`` of the Adam family; left out for optimizers with neither,
    and with ``momentum=False``) go to split ``"train"``. With several parameter groups, or a group that
    has a ``"name"`` key, each metric is suffixed with the group's name:
    ``"lr/backbone"``, ``"lr/head"`` (``"group<i>"`` for unnamed groups).

    Parameters
    ----------
    run : vizkit.torch.Run, optional
        Default: the run of ``fit(run=...)`` or of a :class:`MetricLogger`.
    interval : {"step", "epoch"}
        ``"step"``: after every ``every``-th optimizer step, the rate that
        step used (``fit(scheduler=...)`` steps its scheduler after the
        callbacks' ``on_batch_end``); ``"epoch"``: at each epoch start, at
        the epoch's first step (the rate in force during that epoch).
    every : int
        With ``interval="step"``, log every ``every`` steps.
    momentum : bool
        Log the momentum too.

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

    def __init__(self, run=None, *, interval="step", every=1, momentum=True):
        if run is not None:
            check_run("run", run)
        self.run = run
        self.interval = check_choice("interval", interval, ["step", "epoch"])
        self.every = check_number("every", every, integer=True, low=1)
        self.momentum = bool(momentum)
        self._target = None

    @staticmethod
    def values(optimizer, *, momentum: bool = True) -> dict:
        """``{"lr": ..., "momentum": ...}`` (suffixed per group) for ``optimizer``'s parameter groups now.

        Without the momentum when ``momentum=False``. Also what
        :class:`vizkit.torch.lightning.VizkitCallback` and ``fit(scheduler=...)`` log.
        """
        groups = optimizer.param_groups
        values = {}
        for index, group in enumerate(groups):
            named = len(groups) > 1 or "name" in group
            suffix = f"/{group.get('name', f'group{index}')}" if named else ""
            if group.get("lr") is not None:
                values["lr" + suffix] = group["lr"]
            if not momentum:
                continue
            beta = group.get("momentum")
            if beta is None and "betas" in group:
                beta = group["betas"][0]
            if beta is not None:
                values["momentum" + suffix] = beta
        return values

    def on_fit_start(self, state):
        self._target = self.run if self.run is not None else state.run
        if self._target is None:
            raise bad_value("run", "a Run to log to", None,
                            hint="pass LRLogger(run), fit(..., run=run), or put a MetricLogger(run) in the callbacks")
        if state.optimizer is None:
            raise bad_value("optimizer", "an optimizer in the training state", None)

    def _log(self, state, step: int) -> None:
        values = self.values(state.optimizer, momentum=self.momentum)
        if values:
            self._target.log(step=max(step, 0), epoch=state.epoch, split="train", **values)

    def on_epoch_start(self, state):
        if self.interval == "epoch":
            self._log(state, state.step + 1)

    def on_batch_end(self, state, logs):
        if self.interval == "step" and state.step % self.every == 0:
            self._log(state, state.step)
