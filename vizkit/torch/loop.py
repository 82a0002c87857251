"""``fit()``: a plain training loop with callbacks, a progress bar and a history frame.

Read :func:`fit` top to bottom: it is the loop a lecture writes on the board,
plus the calls to callbacks. A hand-written loop needs none of it: call
``run.log(...)`` where you want a record (see :func:`fit`'s Examples).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pandas as pd
import torch

from vizkit._core.errors import bad_type, bad_value, user_warning
from vizkit._core.validate import check_choice, check_number
from vizkit.io.metrics import metric_direction
from vizkit.torch.callbacks import Callback, LRLogger, MetricLogger, TrainState
from vizkit.torch.callbacks.base import split_key

__all__ = ["accuracy", "evaluate", "fit"]

HISTORY_COLUMNS = ["run", "step", "epoch", "split", "metric", "value", "time"]


def accuracy(outputs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """The share of rows whose largest output is the target class (a 0-dim tensor, on the device).

    >>> import torch
    >>> from vizkit.torch.loop import accuracy
    >>> accuracy(torch.tensor([[2.0, 1.0], [0.0, 3.0], [1.0, 0.0]]), torch.tensor([0, 1, 1]))
    tensor(0.6667)
    """
    return (outputs.argmax(dim=-1) == targets).float().mean()


def _to_device(batch, device):
    """Move the tensors of a batch (a tensor, or tuples, lists and dicts of them) to ``device``."""
    if isinstance(batch, torch.Tensor):
        return batch.to(device, non_blocking=True)
    if isinstance(batch, (tuple, list)):
        return type(batch)(_to_device(item, device) for item in batch)
    if isinstance(batch, dict):
        return {key: _to_device(value, device) for key, value in batch.items()}
    return batch


def _unpack(batch, argument: str):
    """``(inputs, targets)`` of a batch; a clear error naming the loader for anything else."""
    if isinstance(batch, (tuple, list)) and len(batch) == 2:
        return batch
    raise bad_value(argument, "a loader of (inputs, targets) pairs", batch,
                    got=f"a batch of type {type(batch).__name__}"
                        + (f" with {len(batch)} items" if isinstance(batch, (tuple, list)) else ""))


def _batch_size(inputs, targets) -> int:
    for item in (targets, inputs):
        if isinstance(item, torch.Tensor) and item.ndim > 0:
            return item.shape[0]
    return 1


def _check_metrics(metrics) -> dict:
    if metrics is None:
        return {}
    if not isinstance(metrics, dict):
        raise bad_type("metrics", "a dict of name -> callable(outputs, targets), e.g. {'acc': accuracy}", metrics)
    for name, function in metrics.items():
        if not isinstance(name, str) or not name or name.startswith(("val_", "_")) or name in ("loss", "step", "epoch", "split", "time"):
            raise bad_value("metrics", "names that are not 'loss', reserved, or prefixed 'val_'", name)
        if not callable(function):
            raise bad_type(f"metrics[{name!r}]", "a callable(outputs, targets) returning a number or 0-dim tensor", function)
    return dict(metrics)


def _model_device(model) -> torch.device:
    for tensor in model.parameters():
        return tensor.device
    return torch.device("cpu")


def evaluate(model, loader, *, loss_fn, metrics=None, device=None, prefix="val_") -> dict:
    """Mean loss and metrics of ``model`` over ``loader``, in eval mode and without gradients.

    Sums stay on the device; one conversion at the end gives Python floats.

    Parameters
    ----------
    model : torch.nn.Module
    loader : iterable of (inputs, targets)
    loss_fn : callable(outputs, targets) -> 0-dim tensor
        A mean over the batch (the results weigh each batch by its size).
    metrics : dict of name -> callable(outputs, targets), optional
    device : torch.device or str, optional
        Default: the device of the model's parameters.
    prefix : str
        Put before every name: ``"val_loss"``, ``"val_acc"``.

    Returns
    -------
    dict
        ``{prefix + "loss": float, prefix + name: float, ...}``.

    Examples
    --------
    >>> import torch
    >>> from torch.utils.data import DataLoader, TensorDataset
    >>> from vizkit.torch.loop import accuracy, evaluate
    >>> model = torch.nn.Linear(2, 2)
    >>> with torch.no_grad():
    ...     _ = model.weight.copy_(torch.eye(2)), model.bias.zero_()
    >>> data = DataLoader(TensorDataset(torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]), torch.tensor([0, 1, 1])))
    >>> scores = evaluate(model, data, loss_fn=torch.nn.functional.cross_entropy, metrics={"acc": accuracy})
    >>> round(scores["val_acc"], 3)
    0.667
    """
    metrics = _check_metrics(metrics)
    device = _model_device(model) if device is None else torch.device(device)
    was_training = model.training
    model.eval()
    totals, count = {}, 0
    try:
        with torch.no_grad():
            for batch in loader:
                inputs, targets = _to_device(_unpack(batch, "loader"), device)
                outputs = model(inputs)
                size = _batch_size(inputs, targets)
                loss = loss_fn(outputs, targets)
                if count == 0:
                    _check_loss(loss, needs_grad=False)
                values = {"loss": loss, **{name: fn(outputs, targets) for name, fn in metrics.items()}}
                for name, value in values.items():
                    totals[name] = totals.get(name, 0.0) + value * size
                count += size
    finally:
        model.train(was_training)
    if count == 0:
        raise bad_value("loader", "a loader that yields at least one batch", loader, got="an empty loader")
    return {prefix + name: float(total) / count for name, total in totals.items()}


def fit(model, train_loader, *, val_loader=None, optimizer, loss_fn, epochs, metrics=None,
        callbacks=(), device=None, progress=True, run=None, initial_epoch=0,
        scheduler=None, scheduler_interval="epoch", scheduler_monitor=None) -> pd.DataFrame:
    """Train ``model`` for ``epochs`` epochs; return the history as a long DataFrame.

    Each epoch: ``model.train()``, then for every batch ``zero_grad``,
    forward, ``loss_fn``, ``backward``, ``optimizer.step()`` (and
    ``scheduler.step()`` with ``scheduler_interval="step"``); then, with a
    ``val_loader``, the same without gradients in ``model.eval()``; then
    ``scheduler.step()`` with ``scheduler_interval="epoch"``. Batch
    values stay on the device (no ``.item()`` per step): epoch sums are
    converted once per epoch. Callbacks are called in the order given (see
    :mod:`vizkit.torch.callbacks` for when); one that sets
    ``state.stop_training`` ends training after the current epoch. If
    anything raises (``KeyboardInterrupt`` too), every callback's
    ``on_exception`` runs and the error propagates.

    Parameters
    ----------
    model : torch.nn.Module
    train_loader : iterable of (inputs, targets)
        Usually a ``torch.utils.data.DataLoader``. ``inputs`` may also be a
        tuple or dict of tensors; it is passed to ``model`` as one argument.
    val_loader : iterable of (inputs, targets), optional
        Evaluated after every epoch; its values are logged as ``"val_<name>"``.
    optimizer : torch.optim.Optimizer
    loss_fn : callable(outputs, targets) -> 0-dim tensor
        The batch mean to minimise, e.g. ``torch.nn.functional.cross_entropy``.
        The first batch's loss is checked (a vizkit error names its shape
        if it is not one number, e.g. a ``reduction="none"`` loss).
    epochs : int
        The epoch to stop after (counted from 0, so ``epochs`` in all when
        ``initial_epoch=0``).
    metrics : dict of name -> callable(outputs, targets), optional
        Batch metrics, e.g. ``{"acc": vizkit.torch.loop.accuracy}``; each
        returns a batch mean (a 0-dim tensor, left on the device).
    callbacks : Callback or sequence of Callback
        :class:`~vizkit.torch.MetricLogger`, :class:`~vizkit.torch.EarlyStopping`, ...
        A single callback may be passed as it is.
    device : torch.device or str, optional
        Moves the model and every batch there. Default: where the model's
        parameters are (the model is not moved).
    progress : bool
        Show a tqdm progress bar (``tqdm.auto``: a widget in Jupyter).
    run : vizkit.torch.Run, optional
        Shorthand for adding ``MetricLogger(run)`` to ``callbacks`` (unless
        one for this run is there already); also ``state.run``.
    initial_epoch : int
        Epochs already trained, when resuming from a checkpoint: training
        runs epochs ``initial_epoch .. epochs - 1`` and steps continue from
        ``initial_epoch * len(train_loader)``.
    scheduler : torch.optim.lr_scheduler.LRScheduler, optional
        A learning-rate scheduler of ``optimizer`` (``StepLR``,
        ``OneCycleLR``, ``ReduceLROnPlateau``, ...), stepped by ``fit``. With
        a run, the learning rate of every parameter group is logged to split
        ``"train"`` as :class:`~vizkit.torch.LRLogger` names it (``"lr"``
        for one group; ``"lr/<name>"``, or ``"lr/group<i>"`` for an unnamed
        group, for several), at the interval the scheduler steps at: the
        rate each optimizer step used, or each epoch's rate at its first
        step (put an ``LRLogger`` in ``callbacks`` to log it otherwise, or
        with the momentum too).
    scheduler_interval : {"epoch", "step"}
        Step the scheduler after every epoch (after validation and the
        callbacks' ``on_epoch_end``) or after every batch (after the
        callbacks' ``on_batch_end``); Lightning's ``interval``. Schedulers
        counted in batches (``OneCycleLR``, ``CyclicLR``) need ``"step"``.
    scheduler_monitor : str, optional
        For ``ReduceLROnPlateau`` only: the epoch-logs key its ``step()`` is
        given (as :class:`~vizkit.torch.EarlyStopping`'s ``monitor``);
        default ``"val_loss"`` with a ``val_loader``, else ``"loss"``.

    Returns
    -------
    pandas.DataFrame
        One row per (epoch, split, metric), with the columns of
        :func:`vizkit.read_run`: ``run`` (the run's name, else ``"fit"``),
        ``step`` (the last step of the epoch), ``epoch``, ``split``
        (``"train"``: the mean over the epoch's batches; ``"val"``),
        ``metric`` (``"loss"``, the metric names), ``value`` and ``time``
        (seconds since ``fit`` started). ``vizkit.curves(history,
        x="epoch")`` charts it; ``history.pivot_table(index="epoch",
        columns=["split", "metric"], values="value")`` makes it wide.

    Raises
    ------
    VizkitValueError
        For a loader that yields nothing or something other than pairs, a
        ``loss_fn`` whose first loss is not one number that requires grad, or
        a scheduler of another optimizer.

    See Also
    --------
    evaluate : the validation pass on its own.

    Examples
    --------
    >>> import tempfile, torch, vizkit as vk
    >>> from torch.utils.data import DataLoader, TensorDataset
    >>> from vizkit.torch import EarlyStopping, Run, fit
    >>> from vizkit.torch.loop import accuracy
    >>> _ = torch.manual_seed(0)
    >>> x = torch.randn(256, 2)
    >>> y = (x[:, 0] * x[:, 1] > 0).long()                   # XOR-like quadrants
    >>> train = DataLoader(TensorDataset(x[:192], y[:192]), batch_size=32, shuffle=True)
    >>> val = DataLoader(TensorDataset(x[192:], y[192:]), batch_size=64)
    >>> model = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2))
    >>> run = Run(tempfile.mkdtemp(), config={"lr": 0.05})
    >>> history = fit(model, train, val_loader=val, optimizer=torch.optim.Adam(model.parameters(), lr=0.05),
    ...               loss_fn=torch.nn.functional.cross_entropy, epochs=20, metrics={"acc": accuracy},
    ...               callbacks=[EarlyStopping("val_loss", patience=3)], run=run, progress=False)
    >>> list(history.columns)
    ['run', 'step', 'epoch', 'split', 'metric', 'value', 'time']
    >>> history.query("epoch == 0")[["step", "split", "metric"]].to_string(index=False)
    ' step split metric\\n    5 train    acc\\n    5 train   loss\\n    5   val    acc\\n    5   val   loss'
    >>> logged = vk.read_run(run.path)                      # the run holds every step
    >>> int(logged.query("split == 'train'")["step"].max()) == int(history["step"].max())
    True

    The same loop by hand needs no callbacks, only ``run.log``:

    >>> with Run(tempfile.mkdtemp()) as run:
    ...     step = 0
    ...     for epoch in range(2):
    ...         for inputs, targets in train:
    ...             loss = torch.nn.functional.cross_entropy(model(inputs), targets)
    ...             run.log(step=step, epoch=epoch, loss=loss.detach())   # a tensor: no sync here
    ...             step += 1

    A learning-rate schedule, stepped and logged by ``fit``:

    >>> optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    >>> run = Run(tempfile.mkdtemp())
    >>> _ = fit(model, train, optimizer=optimizer, loss_fn=torch.nn.functional.cross_entropy, epochs=3,
    ...         scheduler=torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5), run=run,
    ...         progress=False)
    >>> vk.read_run(run.path).query("metric == 'lr'")[["step", "epoch", "value"]].values.tolist()
    [[0, 0, 0.1], [6, 1, 0.05], [12, 2, 0.025]]
    """
    _check_parts(model, optimizer, loss_fn)
    epochs = check_number("epochs", epochs, integer=True, low=1)
    initial_epoch = check_number("initial_epoch", initial_epoch, integer=True, low=0, high=epochs)
    metrics = _check_metrics(metrics)
    schedule = _check_schedule(scheduler, scheduler_interval, scheduler_monitor, optimizer, val_loader)
    callbacks, run = _with_logger(callbacks, run, schedule)
    device = _place(model, device)
    steps_per_epoch = len(train_loader) if hasattr(train_loader, "__len__") else None
    if initial_epoch and steps_per_epoch is None:
        raise bad_value("initial_epoch", "0 for a train_loader without len()", initial_epoch)

    state = TrainState(epoch=initial_epoch, step=initial_epoch * (steps_per_epoch or 0) - 1, epochs=epochs,
                       run=run, model=model, optimizer=optimizer, device=device)
    loop = _Loop(model=model, optimizer=optimizer, loss_fn=loss_fn, metrics=metrics, device=device, state=state,
                 callbacks=callbacks, run_name=getattr(run, "name", None) or "fit", started=time.perf_counter(),
                 schedule=schedule)
    loop.bar = _progress_bar(progress, steps_per_epoch, epochs - initial_epoch)
    try:
        rows = _train(loop, train_loader, val_loader, range(initial_epoch, epochs))
    except BaseException as error:
        _report_exception(loop, error)
        raise
    finally:
        if loop.bar is not None:
            loop.bar.close()
    return _history(rows)


# ---------------------------------------------------------------- checks
def _check_parts(model, optimizer, loss_fn) -> None:
    if not isinstance(model, torch.nn.Module):
        raise bad_type("model", "a torch.nn.Module", model)
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise bad_type("optimizer", "a torch.optim.Optimizer", optimizer)
    if not callable(loss_fn):
        raise bad_type("loss_fn", "a callable(outputs, targets) returning a 0-dim tensor", loss_fn)


_LOSS_EXPECTED = "a callable(outputs, targets) returning a 0-dim tensor (the mean loss of the batch)"


def _check_loss(loss, *, needs_grad: bool) -> None:
    """A clear error naming ``loss_fn`` unless ``loss`` (its value on the first batch) is one number to minimise."""
    if not isinstance(loss, torch.Tensor):
        raise bad_type("loss_fn", _LOSS_EXPECTED, loss, got=f"a {type(loss).__name__}, {loss!r:.40}")
    if loss.numel() != 1:
        raise bad_value("loss_fn", _LOSS_EXPECTED, loss, got=f"a tensor of shape {tuple(loss.shape)}",
                        hint="Reduce it to one number: a built-in loss with its default reduction='mean' "
                             "(not reduction='none'), or loss.mean().")
    if needs_grad and not loss.requires_grad:
        raise bad_value("loss_fn", _LOSS_EXPECTED + " that requires grad", loss,
                        got="a tensor without a grad_fn",
                        hint="Was it computed under torch.no_grad(), detached (.detach(), .item()), or from a "
                             "model whose parameters all have requires_grad=False?")


@dataclass
class _Schedule:
    """A learning-rate scheduler, checked, and when ``fit`` steps it."""

    scheduler: object
    interval: str  # "epoch" or "step"
    monitor: str | None  # the epoch-logs key given to ReduceLROnPlateau.step, else None

    def step_epoch(self, logs: dict) -> None:
        if self.monitor is None:
            self.scheduler.step()
            return
        if self.monitor not in logs:
            listed = ", ".join(repr(key) for key in sorted(logs))
            raise bad_value("scheduler_monitor", f"a key of the epoch logs ({listed})", self.monitor)
        self.scheduler.step(logs[self.monitor])


def _check_schedule(scheduler, interval, monitor, optimizer, val_loader) -> _Schedule | None:
    interval = check_choice("scheduler_interval", interval, ["epoch", "step"])
    if monitor is not None and not isinstance(monitor, str):
        raise bad_type("scheduler_monitor", "a key of the epoch logs such as 'val_loss', or None", monitor)
    if scheduler is None:
        if monitor is not None:
            raise bad_value("scheduler_monitor", "None without a scheduler", monitor)
        return None
    plateau = isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau)
    if not plateau and not isinstance(scheduler, torch.optim.lr_scheduler.LRScheduler):
        raise bad_type("scheduler", "a torch.optim.lr_scheduler instance (StepLR, OneCycleLR, ReduceLROnPlateau, ...)",
                       scheduler)
    if scheduler.optimizer is not optimizer:
        raise bad_value("scheduler", "a scheduler of the optimizer given to fit", scheduler,
                        got=f"a {type(scheduler).__name__} of another optimizer",
                        hint="Make it from the same optimizer: scheduler=StepLR(optimizer, ...).")
    if not plateau:
        if monitor is not None:
            raise bad_value("scheduler_monitor", f"None for a {type(scheduler).__name__} (only ReduceLROnPlateau "
                                                 "reads a monitored value)", monitor)
        return _Schedule(scheduler, interval, None)
    if interval != "epoch":
        raise bad_value("scheduler_interval", "'epoch' for ReduceLROnPlateau (it compares epoch values)", interval)
    monitor = monitor or ("val_loss" if val_loader is not None else "loss")
    if metric_direction(monitor) not in (None, scheduler.mode):
        user_warning(f"fit: ReduceLROnPlateau has mode={scheduler.mode!r}, but a higher {monitor!r} looks "
                     f"{'better' if metric_direction(monitor) == 'max' else 'worse'}: is mode="
                     f"{metric_direction(monitor)!r} meant?")
    return _Schedule(scheduler, interval, monitor)


def _with_logger(callbacks, run, schedule=None):
    """``(callbacks, run)``: the callbacks checked, with ``MetricLogger(run)`` first unless one logs to ``run``.

    Without ``run``, the run of the first MetricLogger given (if any). With a
    schedule and a run, an ``LRLogger`` of the learning rates at the
    schedule's interval, unless one is given.
    """
    if isinstance(callbacks, Callback):
        callbacks = [callbacks]
    elif callbacks is None:
        callbacks = []
    elif isinstance(callbacks, (str, bytes, dict)) or not hasattr(callbacks, "__iter__"):
        raise bad_type("callbacks", "a vizkit.torch.Callback or a list of them", callbacks)
    callbacks = list(callbacks)
    for index, callback in enumerate(callbacks):
        if not isinstance(callback, Callback):
            raise bad_type(f"callbacks[{index}]", "a vizkit.torch.Callback", callback)
    if run is not None and not any(isinstance(c, MetricLogger) and c.run is run for c in callbacks):
        callbacks.insert(0, MetricLogger(run))
    if run is None:
        run = next((c.run for c in callbacks if isinstance(c, MetricLogger)), None)
    if schedule is not None and run is not None and not any(isinstance(c, LRLogger) for c in callbacks):
        callbacks.insert(1 if isinstance(callbacks[0], MetricLogger) else 0,
                         LRLogger(run, interval=schedule.interval, momentum=False))
    return callbacks, run


def _place(model, device) -> torch.device:
    """Move ``model`` to ``device`` if given; return the device training runs on."""
    if device is None:
        return _model_device(model)
    device = torch.device(device)
    model.to(device)
    return device


# ---------------------------------------------------------------- the loop
@dataclass
class _Loop:
    """What one ``fit`` call trains with, checked: the loop's steps take this instead of a dozen arguments."""

    model: torch.nn.Module
    optimizer: torch.optim.Optimizer
    loss_fn: object
    metrics: dict  # name -> callable(outputs, targets)
    device: torch.device
    state: TrainState  # what callbacks see: epoch, step, stop_training, ...
    callbacks: list
    run_name: str
    started: float  # perf_counter() when fit started: the history's time column counts from it
    schedule: _Schedule | None = None  # the learning-rate scheduler fit steps, if any
    bar: object = None  # the tqdm progress bar, or None
    loss_checked: bool = False  # the first batch's loss was checked (once per fit)

    def call(self, hook: str, *args) -> None:
        """Call ``hook`` of every callback, in order."""
        for callback in self.callbacks:
            getattr(callback, hook)(self.state, *args)


def _train(loop, train_loader, val_loader, epochs: range) -> list:
    """Train ``epochs`` (with validation after each), calling the callbacks; return the history rows."""
    state = loop.state
    rows = []
    loop.call("on_fit_start")
    for epoch in epochs:
        state.epoch = epoch
        if loop.bar is not None:
            # the logged epoch (from 0), as every message and chart names it, and the last one to run
            loop.bar.set_description(f"epoch {epoch} (of {epochs.start}-{epochs.stop - 1})")
        loop.call("on_epoch_start")
        epoch_logs = _train_epoch(loop, train_loader)
        if val_loader is not None:  # the same without gradients, in eval mode
            val_logs = evaluate(loop.model, val_loader, loss_fn=loop.loss_fn, metrics=loop.metrics,
                                device=loop.device)
            loop.call("on_validation_end", val_logs)
            epoch_logs.update(val_logs)
        loop.call("on_epoch_end", epoch_logs)
        if loop.schedule is not None and loop.schedule.interval == "epoch":
            loop.schedule.step_epoch(epoch_logs)
        seconds = time.perf_counter() - loop.started
        for key, value in epoch_logs.items():
            split, metric = split_key(key)  # "val_loss" -> ("val", "loss")
            rows.append((loop.run_name, state.step, epoch, split, metric, value, seconds))
        if loop.bar is not None:
            loop.bar.set_postfix({key: f"{value:.4g}" for key, value in epoch_logs.items()}, refresh=True)
        if state.stop_training:
            break
    loop.call("on_fit_end")
    return rows


def _train_epoch(loop, train_loader) -> dict:
    """One pass over the training batches; return the epoch means (one device sync for them all)."""
    loop.model.train()
    totals, count = {}, 0
    for batch in train_loader:
        logs, size = _train_step(loop, batch)
        for name, value in logs.items():  # sums on the device: no synchronisation
            totals[name] = totals.get(name, 0.0) + value * size
        count += size
        loop.call("on_batch_end", logs)  # before the scheduler steps: callbacks see the rate this step used
        if loop.schedule is not None and loop.schedule.interval == "step":
            loop.schedule.scheduler.step()
        if loop.bar is not None:
            loop.bar.update()
        if loop.state.stop_training:
            break
    if count == 0:
        raise bad_value("train_loader", "a loader that yields at least one batch", train_loader,
                        got="an empty loader")
    return {name: float(total) / count for name, total in totals.items()}


def _train_step(loop, batch):
    """``zero_grad``, forward, loss, backward, ``step`` on one batch; return its logs (on the device) and size."""
    inputs, targets = _to_device(_unpack(batch, "train_loader"), loop.device)
    loop.optimizer.zero_grad(set_to_none=True)
    outputs = loop.model(inputs)
    loss = loop.loss_fn(outputs, targets)
    if not loop.loss_checked:
        _check_loss(loss, needs_grad=True)
        loop.loss_checked = True
    loss.backward()
    loop.optimizer.step()
    loop.state.step += 1
    logs = {"loss": loss.detach()}
    with torch.no_grad():
        outputs = outputs.detach()
        for name, function in loop.metrics.items():
            logs[name] = function(outputs, targets)
    return logs, _batch_size(inputs, targets)


def _report_exception(loop, error) -> None:
    """Every callback's ``on_exception``; one that fails is reported, so the training error still propagates."""
    for callback in loop.callbacks:
        try:
            callback.on_exception(loop.state, error)
        except Exception as failure:  # noqa: BLE001 - report, but let the training error propagate
            user_warning(f"{type(callback).__name__}.on_exception failed: {failure!r}")


def _progress_bar(progress: bool, steps_per_epoch, epochs: int):
    if not progress:
        return None
    from tqdm.auto import tqdm

    total = steps_per_epoch * epochs if steps_per_epoch is not None else None
    return tqdm(total=total, unit="step", dynamic_ncols=True)


def _history(rows: list) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=HISTORY_COLUMNS)
    frame = frame.astype({"run": str, "step": "int64", "epoch": "Int64", "split": str, "metric": str,
                          "value": "float64", "time": "float64"})
    return frame.sort_values(["run", "split", "metric", "step"], kind="stable").reset_index(drop=True)
