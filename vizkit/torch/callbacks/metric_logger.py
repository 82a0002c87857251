"""``MetricLogger``: the loss and metrics of :func:`~vizkit.torch.fit`, written to a run."""

from __future__ import annotations

from vizkit._core.errors import bad_value, user_warning
from vizkit._core.validate import check_number
from vizkit.torch.callbacks.base import Callback, check_run, split_key

__all__ = ["MetricLogger"]


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
        check_run("run", run)
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
            metrics = {split_key(key)[1]: value for key, value in logs.items()}
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
            user_warning(f"MetricLogger could not close run {getattr(self.run, 'name', '')!r} after "
                          f"{type(error).__name__}: {failure!r}")
