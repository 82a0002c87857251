"""``Run``: the run log of vizkit.io, taking tensors on any device without a sync per step."""

from __future__ import annotations

import os
from pathlib import Path

import torch

from vizkit._core.errors import bad_type, bad_value, user_warning
from vizkit.io.writer import RunWriter

__all__ = ["Run"]


def _rank() -> int:
    """This process' rank: from torch.distributed when initialised, else torchrun's RANK, else 0."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        return dist.get_rank()  # a local query, not a collective
    try:
        return int(os.environ.get("RANK", "0"))
    except ValueError:
        return 0


def _host_number(value, dtype):
    """One tensor's value as a Python float, or the exception that stopped its copy."""
    try:
        return value.to(dtype).cpu().item()
    except Exception as error:
        return error


class Run(RunWriter):
    """A run log for PyTorch training (docs/run_format.md); also a context manager.

    ``run.log(step=..., epoch=..., split=..., **metrics)`` takes Python or
    numpy numbers and 0-dim (or one-element) tensors on any device. Tensors
    are detached and copied on their device (so a later in-place update
    cannot change what was logged) and converted in one batch per device at
    a flush: logging adds no host-device synchronisation per step. Flushes
    happen every ``flush_every`` records, once the oldest buffered record is
    ``flush_secs`` old, at :meth:`flush` and at :meth:`close`; see
    :class:`vizkit.io.RunWriter` for what a crash can lose, and
    ``flush_every=1`` for the policy that loses nothing.

    Under ``torch.distributed`` (or torchrun's ``RANK``), only rank 0 writes
    by default; on other ranks every method is a no-op, so ranks may log
    different metrics and no call ever waits on another rank.
    ``all_ranks=True`` gives rank ``r > 0`` its own run in ``path/rank<r>``.

    Parameters
    ----------
    path, config, name, resume, flush_every, flush_secs, fsync
        As for :class:`vizkit.io.RunWriter`.
    all_ranks : bool
        Let every rank write (each to its own folder).

    Examples
    --------
    >>> import tempfile, torch, vizkit as vk
    >>> from vizkit.torch import Run
    >>> folder = tempfile.mkdtemp()
    >>> with Run(folder, config={"lr": 0.1}) as run:
    ...     for step in range(4):
    ...         loss = torch.tensor(2.0) / (step + 1)
    ...         run.log(step=step, loss=loss)
    >>> vk.read_run(folder)["value"].round(3).tolist()
    [2.0, 1.0, 0.667, 0.5]
    """

    def __init__(self, path, *, config=None, name=None, resume=False, flush_every=1000, flush_secs=1.0,
                 fsync=False, all_ranks=False):
        self.rank = _rank()
        self.writes = self.rank == 0 or bool(all_ranks)
        if not self.writes:
            self._inactive(path, config, name)
            return
        if self.rank != 0:
            path = Path(path) / f"rank{self.rank}"
        super().__init__(path, config=config, name=name, resume=resume, flush_every=flush_every,
                         flush_secs=flush_secs, fsync=fsync)

    def _inactive(self, path, config, name) -> None:
        """A rank that does not write: the same attributes, and methods that do nothing."""
        self.path = Path(path)
        self.name = name or self.path.resolve().name
        self.config = dict(config or {})
        self.closed = False
        self._step = -1
        self.log = self._skip_log
        self.flush = lambda: None
        self.log_array = lambda *args, **kwargs: None
        self.close = self._skip_close

    def _skip_log(self, step=None, epoch=None, split="train", **metrics) -> None:
        self._step = self._step + 1 if step is None else step

    def _skip_close(self, status: str = "finished") -> None:
        self.closed = True

    def _check_value(self, name: str, value):
        if isinstance(value, torch.Tensor):
            if value.numel() != 1:
                raise bad_value(name, "a number or a one-element tensor (metric value)", value,
                                got=f"a tensor of shape {tuple(value.shape)}", hint="reduce it first, e.g. loss.mean()")
            if value.dtype == torch.bool or value.is_complex():
                raise bad_type(name, "a real-valued number (metric value)", value, got=f"a {value.dtype} tensor")
            if value.is_meta:
                raise bad_value(name, "a tensor that holds a value (metric value)", value,
                                got="a tensor on the 'meta' device, which holds no data")
            value = value.detach()
            if value.dim():
                value = value.reshape(())
            return value.clone()  # asynchronous on the tensor's device
        return super()._check_value(name, value)

    def _resolve(self, records: list) -> list:
        """Convert every buffered tensor: one stacked copy to the host per (device, dtype).

        When a group's copy fails (a device or backend error), its tensors are
        copied one by one: a value that still cannot be copied is left out of
        its record and named in a warning; every other record is written.
        """
        groups: dict[tuple, list] = {}
        for record in records:
            for key, value in record[4].items():
                if type(value) is not float:
                    groups.setdefault((value.device, value.dtype), []).append((record, key, value))
        failed = []
        for (device, _), items in groups.items():
            wide = torch.float32 if device.type == "mps" else torch.float64
            try:
                values = torch.stack([value for _, _, value in items]).to(wide).cpu().tolist()
            except Exception:
                values = [_host_number(value, wide) for _, _, value in items]
            for (record, key, _), number in zip(items, values):
                if isinstance(number, Exception):
                    del record[4][key]
                    failed.append((record, key, number))
                else:
                    record[4][key] = number
        if failed:
            self._warn_unconverted(failed)
            records = [record for record in records if record[4]]
        return records

    def _warn_unconverted(self, failed: list) -> None:
        (step, _, split, _, _), key, error = failed[0]
        more, left = (f" and {len(failed) - 1} more values", "they are") if len(failed) > 1 else ("", "it is")
        user_warning(f"run {self.name!r}: metric `{key}` ({split}) at step {step}{more} could not be copied to the "
                     f"host at the flush ({type(error).__name__}: {error}); {left} left out of the log, and every "
                     "other record of the batch is written")

    def _array(self, key: str, value):
        if isinstance(value, torch.Tensor):
            return value.detach().cpu().numpy()
        return value
