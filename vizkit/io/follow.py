"""Follow a live vizkit run: the records flushed since the last look, as they arrive.

:class:`RunFollower` remembers how far into ``metrics.jsonl`` it has read
(a byte offset). Each :meth:`~RunFollower.read_new` reads what was appended
since, up to the last complete line: a line still being written is left for
the next call. Iterating polls until the run's status is no longer
``running`` and nothing new remains.
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from vizkit._core import bad_value, check_number
from vizkit._core.errors import user_warning as warn
from vizkit.io._frame import RunData, to_frame
from vizkit.io._jsonl import (
    first_time,
    parse_lines,
    read_meta,
    run_info,
    series_of,
    start_time,
)
from vizkit.io.readers import _as_path, _source

__all__ = ["RunFollower", "follow_run"]


class RunFollower:
    """The records of a vizkit run flushed since the last look (see :func:`follow_run`).

    Attributes
    ----------
    path : Path
        The run folder.
    poll : float
        Seconds between looks while iterating.
    timeout : float or None
        Iteration stops after this many seconds without a new record
        (None: it waits for the run to finish).
    offset : int
        Bytes of ``metrics.jsonl`` read so far (complete lines only).
    """

    def __init__(self, path, *, poll: float = 0.2, timeout: float | None = None):
        self.path = Path(path)
        self.poll = poll
        self.timeout = timeout
        self.offset = 0
        self._lines = 0  # complete lines read so far, for line numbers in warnings
        self._start: float | None = None

    @property
    def status(self) -> str | None:
        """meta.json ``status`` now (``running``, ``finished``, ``crashed``), None without meta.json."""
        return read_meta(self.path).get("status")

    def read_new(self) -> pd.DataFrame:
        """Records flushed since the last call, as :func:`vizkit.read_run` lays them out.

        An incomplete last line is held back until its newline arrives.
        Within the new records a resumed attempt supersedes earlier ones as
        in :func:`~vizkit.read_run`; records returned by an earlier call are
        not withdrawn (call :func:`~vizkit.read_run` for the settled log).

        Returns
        -------
        pandas.DataFrame
            Possibly empty; the same columns, dtypes, order and ``attrs`` as
            :func:`~vizkit.read_run`; ``time`` counts from the run's start.
        """
        file = self.path / "metrics.jsonl"
        data = b""
        try:
            with open(file, "rb") as handle:
                size = handle.seek(0, 2)
                if size < self.offset:
                    warn(f"{file} shrank from {self.offset} to {size} bytes; reading it again from the start.")
                    self.offset, self._lines = 0, 0
                handle.seek(self.offset)
                data = handle.read()
        except FileNotFoundError:
            pass
        complete = data[: data.rfind(b"\n") + 1]
        meta = read_meta(self.path)
        wide = parse_lines(complete, str(file), first_line=self._lines + 1)
        self.offset += len(complete)
        self._lines += complete.count(b"\n")
        if self._start is None:
            self._start = start_time(meta)
        if self._start is None:
            self._start = first_time(wide)
        info = run_info(self.path, meta)
        run = RunData(info["name"], self.path, "vizkit", info["status"], info["config"],
                      series_of(wide, self._start))
        return to_frame([run])

    def __iter__(self):
        """Yield each non-empty :meth:`read_new` frame, polling every ``poll`` seconds.

        Stops when the run's status is no longer ``running`` and everything
        it wrote has been yielded, or after ``timeout`` seconds without a new
        record.
        """
        idle_since = time.monotonic()
        while True:
            frame = self.read_new()
            if len(frame):
                idle_since = time.monotonic()
                yield frame
                continue
            if self.status not in (None, "running"):
                frame = self.read_new()  # records flushed between the last read and the status change
                if len(frame):
                    yield frame
                return
            if self.timeout is not None and time.monotonic() - idle_since >= self.timeout:
                return
            time.sleep(self.poll)

    def __repr__(self) -> str:
        return f"RunFollower({str(self.path)!r}, offset={self.offset})"


def follow_run(path, *, poll: float = 0.2, timeout: float | None = None) -> RunFollower:
    """Follow a vizkit run while it trains: new records as DataFrames, as they are flushed.

    Parameters
    ----------
    path : str or os.PathLike
        A vizkit run folder (or its ``metrics.jsonl``). ``metrics.jsonl`` may
        not exist yet.
    poll : float
        Seconds between looks at the file while iterating (> 0).
    timeout : float, optional
        Iterating stops after this many seconds without a new record, e.g.
        for a run that was killed and so stays ``running``. Default: wait
        until the run's status is no longer ``running``.

    Returns
    -------
    RunFollower
        ``.read_new()`` returns the records flushed since the last call;
        iterating yields them as they arrive (non-empty frames only).

    Raises
    ------
    VizkitValueError
        When ``path`` does not exist or is another tool's log (only vizkit
        runs are followed), or ``poll``/``timeout`` is not a positive number.

    See Also
    --------
    read_run : the whole run at once, superseded attempts removed.

    Examples
    --------
    >>> import tempfile
    >>> import vizkit as vk
    >>> from vizkit.io import RunWriter
    >>> writer = RunWriter(tempfile.mkdtemp(), flush_every=1)
    >>> follower = vk.follow_run(writer.path)
    >>> writer.log(step=0, loss=2.0)
    >>> follower.read_new()[["step", "metric", "value"]]
       step metric  value
    0     0   loss    2.0
    >>> writer.log(step=1, loss=1.5)
    >>> writer.close()
    >>> [frame["value"].tolist() for frame in follower]  # the rest, until the run is finished
    [[1.5]]
    """
    folder = _as_path("path", path)
    poll = check_number("poll", poll, low=0, low_open=True)
    timeout = check_number("timeout", timeout, low=0, low_open=True, allow_none=True)
    if folder.name == "metrics.jsonl":
        folder = folder.parent
    if not folder.is_dir():
        raise bad_value("path", "an existing vizkit run folder", str(path),
                        got=f"{str(path)!r}, which " + ("is not a folder" if folder.exists() else "does not exist"))
    found = _source(folder)
    if found is not None and found[0] != "vizkit":
        raise bad_value("path", "a vizkit run folder (follow_run reads metrics.jsonl as it grows)", str(path),
                        got=f"{str(path)!r}, a {found[0]} log", hint="Use vizkit.read_run() to read it once.")
    return RunFollower(folder, poll=poll, timeout=timeout)
