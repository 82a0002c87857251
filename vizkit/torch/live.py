"""``LivePlot``: a training chart that redraws itself while the run trains.

The training thread never draws. A refresh flushes the run log and writes a
few bytes to a renderer process; the renderer follows the run folder
(:func:`vizkit.follow_run`), redraws :func:`vizkit.ml.run_dashboard.dashboard`
into one reused Figure and replaces the PNG atomically. In Jupyter a thread
of the kernel shows each new PNG in one output, updated in place.

Why a fresh interpreter (``subprocess``) and not ``multiprocessing``'s spawn:
spawn re-runs the training script's imports (torch included, about a second)
in the child, and re-runs the whole script when it has no ``__main__``
guard. The renderer runs :mod:`vizkit.ml.live_render`, which imports vizkit.io,
vizkit.ml and Matplotlib only.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import threading
import time
import weakref
from pathlib import Path

import torch

import vizkit
from vizkit._core.errors import bad_type, bad_value, user_warning
from vizkit._core.validate import check_choice, check_number
from vizkit.ml import live_render as _live_render
from vizkit.ml._runs import check_smooth
from vizkit.torch.callbacks import Callback

__all__ = ["LivePlot"]

# The interpreter that runs the renderer (tests point it elsewhere to see the fallback).
_PYTHON = sys.executable
_VIZKIT_ROOT = str(Path(vizkit.__file__).resolve().parent.parent)
# Seconds a stopping renderer gets to exit before it is killed.
_STOP_S = 5.0


class _Slowdown:
    """What the renderer's work cost training, measured on the training loop's own batches.

    The renderer runs at the lowest priority, yet on a machine whose cores
    training keeps busy its work still slows training, and by more than its
    CPU time where training's threads wait for each other. So LivePlot
    measures it: each batch's duration (the time between two batch ends of
    one epoch) is compared with the median of recent batches during which the
    renderer was idle; what the batches overlapping a period of renderer work
    took beyond that median, in proportion to the overlap, is training time
    that work cost.
    """

    def __init__(self, size: int = 4096, quiet_size: int = 256):
        import collections

        self._batches = collections.deque(maxlen=size)  # (begin, end) of recent batches, in time order
        self._quiet = collections.deque(maxlen=quiet_size)  # durations of batches with the renderer idle
        self._busy = []  # (begin, end) periods of renderer work, not yet costed
        self._last = None

    def batch_ended(self, now: float) -> None:
        if self._last is not None:
            self._batches.append((self._last, now))
            if not any(begin < now and self._last < end for begin, end in self._busy):
                self._quiet.append(now - self._last)
        self._last = now

    def pause(self) -> None:
        """Not a batch until the next batch end (validation, the end of an epoch)."""
        self._last = None

    def renderer_worked(self, begin: float, end: float) -> None:
        self._busy.append((begin, end))

    def costs(self, now: float) -> list[tuple[float, float]]:
        """``(end, seconds lost)`` of each finished period of renderer work that batches have ended after."""
        import statistics

        last_end = self._batches[-1][1] if self._batches else None
        if last_end is None or len(self._quiet) < 5:
            return []
        typical = statistics.median(self._quiet)
        done = [period for period in self._busy if period[1] <= last_end]
        self._busy = [period for period in self._busy if period[1] > last_end]
        costs = []
        for begin, end in done:
            lost = 0.0
            for b0, b1 in self._batches:
                overlap = min(b1, end) - max(b0, begin)
                if overlap > 0 and b1 > b0:
                    lost += max(0.0, (b1 - b0) - typical) * overlap / (b1 - b0)
            costs.append((end, lost))
        return costs


def _in_notebook() -> bool:
    """True inside a Jupyter kernel (never imports IPython itself)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    return shell is not None and getattr(shell, "kernel", None) is not None


def _close_pipe(proc: subprocess.Popen) -> None:
    """Finalizer: end a renderer whose LivePlot was dropped mid-fit (end of input stops it)."""
    try:
        proc.stdin.close()
    except OSError:
        pass


class LivePlot(Callback):
    """Chart the run while it trains: one panel per metric, train and validation overlaid.

    Each refresh costs the training thread a :meth:`Run.flush` and a few
    bytes written to a pipe; a separate renderer process follows the run
    folder and redraws :func:`vizkit.ml.run_dashboard.dashboard` into the PNG at
    ``path``, replaced atomically (a reader never sees half a PNG). In
    Jupyter the same picture is shown in one output, updated in place.
    Requests that come faster than the renderer can draw are merged: it
    always draws everything flushed so far. At the end of fit (and after an
    exception) LivePlot asks for one last drawing of the whole run and lets
    the renderer draw it and exit while ``fit`` returns (``wait=True``, or
    :meth:`wait`, waits for it).

    What it costs training: the renderer runs at the lowest CPU priority
    (``nice`` 19, from before its imports, and on Linux its session's
    autogroup too, see :mod:`vizkit.ml.live_render`), so it draws with CPU time
    training leaves idle; and it keeps its drawings' CPU time under
    ``cpu_budget`` of one core (3% by default): after a drawing that took
    ``c`` seconds of CPU it pauses ``c / cpu_budget`` seconds (at least
    ``interval``), so the bigger the run, the less often it is redrawn: a
    drawing of 0.15 s of CPU (a small run) is followed by a 5 s pause, one
    of 1 s (a million points) by a 33 s pause. Even at the lowest priority,
    the renderer's work slows training on a machine whose cores training
    keeps busy, and by more than its CPU time where training's threads wait
    for each other; so LivePlot also measures what each drawing cost
    training (batches that overlapped it took longer than the median batch
    of the renderer's idle time: :attr:`render_costs`), and keeps the
    renderer idle until that cost is at most ``cpu_budget`` of the time
    since. Refreshes that come during
    the pause cost the training thread nothing (not even the flush). The
    renderer's start-up (about a second of CPU) is paid from the same
    budget: the renderer process starts when the first drawing is due,
    ``delay`` seconds into fit (33 s by default), so a shorter fit costs
    nothing while it trains and is drawn at its end. The end of fit is
    always drawn, at once. ``make bench`` measures the cost
    end to end: 10 epochs of a small CNN with and without LivePlot. On a
    machine where other programs keep every core busy, the low-priority
    renderer may draw rarely, and after ``timeout`` seconds without the
    last drawing LivePlot draws it in the training thread.

    If the renderer cannot start or dies, LivePlot warns once and draws in
    the training thread instead, at epoch ends and at the end of fit only.

    Parameters
    ----------
    every : int or None, default 100
        Refresh after every ``every`` training batches (optimizer steps) of
        this fit; ``None`` refreshes only at epoch ends. LivePlot also
        refreshes at each epoch end and at the end of fit.
    path : str or Path, optional
        The PNG to keep up to date; default ``<run folder>/live.png``.
    metrics : str or list of str, optional
        The metrics to chart, one panel each; default every metric logged.
    x : {"step", "epoch", "time"}
        The x axis of every panel (``"time"``: seconds since the run started).
    smooth : float, optional
        Half-life, in steps (>= 1), of the debiased EMA drawn over each
        series, or TensorBoard's smoothing weight in [0, 1) (0.9 is a
        half-life of 6.58 steps), computed on the full data; schedules (lr,
        momentum, ...) are never smoothed (see :func:`vizkit.curves`).
    mode : {"auto", "notebook", "script"}
        ``"notebook"`` also shows the picture in one Jupyter output updated in
        place; ``"auto"`` picks it inside a Jupyter kernel.
    figsize : (float, float), optional
        Figure size in inches; default: sized by the dashboard from the
        number of panels.
    dpi : float, default 100
    interval : float, default 1
        Seconds the renderer pauses after a drawing, at least; requests
        meanwhile are merged. The end of fit is drawn without a pause.
    cpu_budget : float, default 0.03
        The share of one core the renderer's drawings may take, and the share
        of training time they may cost: after a drawing, it pauses until its
        CPU time is at most this share of the time since the drawing began
        (see :func:`vizkit.ml.live_render.pause_after`), and until the
        training time it cost (:attr:`render_costs`) is at most this share of
        the time since it ended. ``1`` redraws as often as ``interval`` and
        the drawing time allow, whatever it costs.
    delay : float, optional
        Seconds into fit before the first drawing (and the renderer's
        start-up); default ``1 / cpu_budget``, as if starting were a drawing
        of one second of CPU (33 s; 1 s with ``cpu_budget=1``). ``0`` draws
        from the start.
    spare_thread : bool, default True
        While the renderer works (its start-up and each drawing), train with
        one torch thread fewer (``torch.set_num_threads``), when training uses
        more than one, and give it back after: then the renderer has a core
        of its own instead of preempting one of training's threads, which
        the others would wait for. ``False`` leaves torch's thread count
        alone.
    wait : bool, default False
        At the end of fit, wait for the last drawing, so that the PNG and
        :attr:`records_drawn` show the whole run when ``fit`` returns. By
        default ``fit`` returns at once and the renderer draws the whole run
        in the background (starting it and drawing take about a second of
        CPU, most of a short fit's time), then exits, also when the script
        ends meanwhile.
    timeout : float, default 60
        Seconds :meth:`wait` waits for the renderer's last drawing before
        drawing in the training thread instead.

    Attributes
    ----------
    path : Path
        The PNG, once fit has started.
    render_seconds : list of float
        How long each drawing took the renderer (not the training thread).
    render_cpu_seconds : list of float
        The renderer's CPU time for each drawing.
    render_pauses : list of float
        The pause after each drawing of the renderer process before its next
        unhurried one (it grows with ``render_cpu_seconds``).
    render_costs : list of float
        Seconds of training each drawing cost, as measured on the batches
        that overlapped it (the first drawing's includes the renderer's
        start-up); LivePlot waits ``cost / cpu_budget`` seconds after a
        drawing before it asks for the next.
    records_drawn : int
        Rows of the run (one per logged value) in the latest picture.
    errors : list of str
        Messages (with tracebacks) of drawings that failed; each is also
        warned about once.

    Examples
    --------
    >>> import tempfile, torch
    >>> from torch.utils.data import DataLoader, TensorDataset
    >>> from vizkit.torch import LivePlot, Run, fit
    >>> _ = torch.manual_seed(0)
    >>> data = DataLoader(TensorDataset(torch.randn(256, 3), torch.randn(256, 1)), batch_size=32)
    >>> model = torch.nn.Linear(3, 1)
    >>> live = LivePlot(every=4)                      # redraw every 4 steps, at epoch ends, at the end
    >>> history = fit(model, data, val_loader=data, optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
    ...               loss_fn=torch.nn.functional.mse_loss, epochs=3, callbacks=[live],
    ...               run=Run(tempfile.mkdtemp()), progress=False)
    >>> live.path.name, live.wait().records_drawn    # the last drawing: 24 train losses and 3 val losses
    ('live.png', 27)
    """

    def __init__(self, every=100, path=None, *, metrics=None, x="step", smooth=None, mode="auto", figsize=None,
                 dpi=100, interval=1.0, cpu_budget=0.03, delay=None, spare_thread=True, wait=False,
                 timeout=60.0):
        self.every = check_number("every", every, integer=True, low=1, allow_none=True)
        if path is not None and not isinstance(path, (str, os.PathLike)):
            raise bad_type("path", "a file path (str or Path) or None", path)
        self._path = path
        if isinstance(metrics, str):
            metrics = [metrics]
        if metrics is not None:
            if not isinstance(metrics, (list, tuple)) or not all(isinstance(m, str) for m in metrics):
                raise bad_type("metrics", "a metric name or a list of metric names", metrics)
            if not metrics:
                raise bad_value("metrics", "at least one metric name, or None for all", metrics)
            metrics = list(metrics)
        self.metrics = metrics
        self.x = check_choice("x", x, ["step", "epoch", "time"])
        self.smooth = None if check_smooth(smooth) is None else float(smooth)  # the dashboard reads both forms
        self.mode = check_choice("mode", mode, ["auto", "notebook", "script"])
        if self.mode == "notebook" and importlib.util.find_spec("IPython") is None:
            raise bad_value("mode", "'auto' or 'script' here ('notebook' needs IPython, which is not installed)", mode)
        if figsize is not None:
            if not isinstance(figsize, (tuple, list)) or len(figsize) != 2:
                raise bad_type("figsize", "a (width, height) pair of inches", figsize)
            figsize = tuple(check_number(f"figsize[{i}]", v, low=0, low_open=True) for i, v in enumerate(figsize))
        self.figsize = figsize
        self.dpi = check_number("dpi", dpi, low=0, low_open=True)
        self.interval = check_number("interval", interval, low=0)
        self.cpu_budget = check_number("cpu_budget", cpu_budget, low=0, low_open=True, high=1)
        self.delay = check_number("delay", delay, low=0, allow_none=True)
        if not isinstance(spare_thread, bool):
            raise bad_type("spare_thread", "True or False", spare_thread)
        self.spare_thread = spare_thread
        self.wait_at_end = bool(wait)
        self.timeout = check_number("timeout", timeout, low=0, low_open=True)
        self.path = None
        self.render_seconds: list[float] = []
        self.render_cpu_seconds: list[float] = []
        self.render_pauses: list[float] = []
        self.render_costs: list[float] = []
        self.records_drawn = 0
        self.errors: list[str] = []
        self._hello = None  # the renderer's "ready" message
        self._run = None
        self._proc = None
        self._fd = None
        self._listener = None
        self._finalizer = None
        self._local = None
        self._handle = None
        self._cond = threading.Condition()
        self._reset()

    def _reset(self) -> None:
        self._active = False
        self._batches = 0
        self._sent = 0
        self._done = 0
        self._stopping = False
        self._ended = False  # the renderer's output ended (it exited, or died)
        self._started = False  # the renderer process was started (or failed to) in this fit
        self._start_at = 0.0  # monotonic time from which a refresh starts the renderer
        self._final = None  # the request number of the last drawing, asked for at the end of fit
        self._quiet_until = 0.0  # monotonic time until which the renderer pauses: refreshes before it are skipped
        self._slowdown = _Slowdown()
        self._spawned_at = None  # monotonic time the renderer process was started
        self._threads = None  # torch's thread count while one is spared for the renderer
        self._failure = None  # why the renderer process is gone, once it is
        self._warned: set[str] = set()
        self._pending_warnings: list[str] = []

    # -- what a user may look at ------------------------------------------
    @property
    def renderer_pid(self):
        """The renderer process' id while it runs; ``None`` before fit, once it exited, and when drawing in-thread."""
        proc = self._proc
        return None if proc is None or proc.poll() is not None else proc.pid

    def wait(self):
        """Wait for the last drawing of the fit that ended, and for the renderer to exit; return ``self``.

        The PNG and :attr:`records_drawn` then show the whole run. After
        ``timeout`` seconds without it, the run is drawn in the calling
        thread. Does nothing when no drawing is pending.
        """
        if self._final is None:
            return self
        drawn = self._wait(self._final, self.timeout)
        self._final = None
        if not drawn and self._failure is None:
            self._lost(f"the renderer did not answer within timeout={self.timeout:g} s")
        self._stop_renderer()
        self._warn_pending()
        if not drawn:
            self._draw_here()
        return self

    # -- hooks ------------------------------------------------------------
    def on_fit_start(self, state) -> None:
        run = getattr(state, "run", None)
        if run is None:
            raise bad_value("state.run", "a vizkit Run (LivePlot charts the run's folder)", None,
                            hint="Give fit() a run: fit(..., run=Run(folder)).")
        self._give_back_thread()
        self._stop_renderer()
        self._reset()
        self.render_seconds, self.errors, self.records_drawn, self._hello = [], [], 0, None
        self.render_cpu_seconds, self.render_pauses, self.render_costs = [], [], []
        self._run = run
        self._local = None
        if not getattr(run, "writes", True):  # a DDP rank that does not write: nothing to chart here
            return
        self._active = True
        self.path = Path(run.path) / "live.png" if self._path is None else Path(self._path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        notebook = self.mode == "notebook" or (self.mode == "auto" and _in_notebook())
        self._handle = self._open_display(run) if notebook else None
        self._start_at = time.monotonic() + (1 / self.cpu_budget if self.delay is None else self.delay)

    def on_batch_end(self, state, logs) -> None:
        if not self._active:
            return
        self._batches += 1
        self._slowdown.batch_ended(time.monotonic())
        if self.every is not None and self._batches % self.every == 0:
            self._refresh(here=False)
        self._spare_a_thread()

    def on_epoch_end(self, state, logs) -> None:
        if self._active:
            self._refresh(here=True)
            self._spare_a_thread()
            self._slowdown.pause()  # validation and the epoch's end are not a batch

    def on_fit_end(self, state) -> None:
        self._give_back_thread()
        if self._active:
            self._finish()

    def on_exception(self, state, error) -> None:
        self._give_back_thread()
        if not self._active:  # not started, or finished already (a later callback's on_fit_end raised)
            return
        try:  # show the run up to the failure; never mask the error itself
            self._finish()
        except Exception as failure:  # noqa: BLE001
            self._stop_renderer()
            user_warning(f"LivePlot could not draw run {self._run_name()!r} after the exception: {failure!r}")

    # -- sharing the cores -------------------------------------------------
    def _spare_a_thread(self) -> None:
        """While the renderer works, train with one torch thread fewer; give it back after."""
        if not self.spare_thread:
            return
        busy = self._proc is not None and self._sent > self._done
        if busy and self._threads is None and torch.get_num_threads() > 1:
            self._threads = torch.get_num_threads()
            torch.set_num_threads(self._threads - 1)
        elif not busy:
            self._give_back_thread()

    def _give_back_thread(self) -> None:
        if self._threads is not None:
            torch.set_num_threads(self._threads)
            self._threads = None

    # -- refreshing -------------------------------------------------------
    def _refresh(self, *, here: bool) -> None:
        """Flush the run and ask for a drawing; without a renderer, draw here when ``here``."""
        self._warn_pending()
        if not self._started:
            if time.monotonic() < self._start_at:
                return  # no drawing due yet: nothing to flush, nothing to start
            self._start_renderer()
        if self._proc is not None:
            self._charge_slowdown()
            # Nothing to do while the renderer pauses (it would not draw before then), nor while one
            # request already waits behind the drawing under way (it reads everything flushed by then).
            if time.monotonic() >= self._quiet_until and self._sent - self._done < 2:
                self._flush()
                self._request()
            return
        self._flush()
        if here:
            self._draw_here()

    def _charge_slowdown(self) -> None:
        """Pause the renderer until what its work cost training is ``cpu_budget`` of the time since."""
        with self._cond:
            costs = self._slowdown.costs(time.monotonic())
        for end, lost in costs:
            self.render_costs.append(lost)
            if self.cpu_budget < 1:  # a whole core: no budget, draw as often as interval allows
                with self._cond:
                    self._quiet_until = max(self._quiet_until, end + lost / self.cpu_budget)

    def _request(self, *, now: bool = False) -> int:
        self._sent += 1
        try:
            os.write(self._fd, b"%d%s\n" % (self._sent, b"!" if now else b""))
        except BlockingIOError:
            pass  # a full pipe (never with at most 3 requests in it): the queued ones read the newest data anyway
        except OSError as error:
            self._lost(f"the renderer process cannot be reached ({error.strerror or error})")
        return self._sent

    def _finish(self) -> None:
        """Ask for the last drawing of the whole run and end the renderer's input (it exits after it)."""
        self._active = False
        self._warn_pending()
        self._flush()
        if not self._started:
            self._start_renderer()
        if self._proc is None:
            self._draw_here()
            return
        self._final = self._request(now=True)
        with self._cond:
            self._stopping = True
        _close_pipe(self._proc)  # end of input: the renderer draws the request, then exits
        if self.wait_at_end:
            self.wait()

    def _flush(self) -> None:
        if not getattr(self._run, "closed", False):  # MetricLogger may have closed (so flushed) it already
            self._run.flush()

    def _wait(self, seq: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._done < seq and self._failure is None and not self._ended:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return self._done >= seq

    def _draw_here(self) -> None:
        """Draw in the training thread (no renderer process): at epoch ends and at the end of fit."""
        try:
            if self._local is None:
                self._local = _live_render.Renderer(self._run.path, self.path, **self._options())
            begin = time.perf_counter()
            records = self._local.draw()
            self.render_seconds.append(time.perf_counter() - begin)
            self.records_drawn = records
            if records and self._handle is not None:
                self._show()
        except Exception as error:  # noqa: BLE001 - a chart problem must not stop training
            self._note_error(_live_render.describe_error(error))
            self._warn_pending()

    # -- the renderer process ---------------------------------------------
    def _options(self) -> dict:
        return {"metrics": self.metrics, "x": self.x, "smooth": self.smooth, "figsize": self.figsize,
                "dpi": self.dpi}

    def _renderer_options(self) -> dict:
        return dict(self._options(), run_dir=str(Path(self._run.path).resolve()), png=str(self.path.resolve()),
                    interval=self.interval, cpu_budget=self.cpu_budget)

    def _start_renderer(self) -> None:
        self._started = True
        options = self._renderer_options()
        search = [_VIZKIT_ROOT] + [entry for entry in sys.path if entry != _VIZKIT_ROOT]
        command = [_PYTHON, "-c", _live_render.LOADER, json.dumps(search), json.dumps(options)]
        env = dict(os.environ, MPLBACKEND="Agg")
        try:
            if not _PYTHON:
                raise OSError("sys.executable is empty, so no Python can be started")
            proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                                    text=False, close_fds=True, start_new_session=True)
        except OSError as error:
            self._failure = f"its renderer process could not start ({error})"
            self._warn_failure()
            return
        try:
            os.set_blocking(proc.stdin.fileno(), False)  # a refresh never waits on a busy renderer
        except (AttributeError, OSError):
            pass  # (Windows before Python 3.12) harmless: at most 3 short requests are ever in the pipe
        self._proc, self._fd = proc, proc.stdin.fileno()
        self._spawned_at = time.monotonic()
        self._finalizer = weakref.finalize(self, _close_pipe, proc)
        self._listener = threading.Thread(target=self._listen, args=(proc,), daemon=True,
                                          name=f"vizkit-liveplot-{proc.pid}")
        self._listener.start()

    def _listen(self, proc: subprocess.Popen) -> None:
        """Kernel-side thread: read the renderer's answers; show each new PNG; notice its end."""
        try:
            for line in proc.stdout:
                message = json.loads(line)
                if "ready" in message:
                    self._hello = message
                    if not message["ready"]:
                        with self._cond:
                            self._failure = f"its renderer process could not start: {message['error'].splitlines()[0]}"
                elif "done" in message:
                    if message["error"]:
                        self._note_error(message["error"])
                    else:
                        end = time.monotonic()  # the renderer worked from its start (first drawing) or the drawing's
                        begin = self._spawned_at if not self.render_seconds else end - message["seconds"]
                        with self._cond:
                            self._slowdown.renderer_worked(begin, end)
                        self.render_seconds.append(message["seconds"])
                        self.render_cpu_seconds.append(message["cpu_seconds"])
                        self.render_pauses.append(message["pause"])
                        self.records_drawn = message["records"]
                        if message["records"] and self._handle is not None:
                            self._show()
                    with self._cond:
                        self._done = max(self._done, message["done"])
                        self._quiet_until = time.monotonic() + message["pause"]
                        self._cond.notify_all()
        except (OSError, ValueError):
            pass
        finally:
            try:
                proc.wait(timeout=_STOP_S)  # reap it: its output ended, so it exits
            except subprocess.TimeoutExpired:
                pass
            with self._cond:
                self._ended = True
                if not self._stopping and self._failure is None:
                    code = proc.poll()
                    why = "" if code is None else f" (exit code {code})"
                    self._failure = f"its renderer process ended unexpectedly{why}"
                self._cond.notify_all()

    def _stop_renderer(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        with self._cond:
            self._stopping = True
        if self._finalizer is not None:
            self._finalizer.detach()
        _close_pipe(proc)  # end of input: the renderer finishes its drawing, if any, and exits
        try:
            proc.wait(timeout=_STOP_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        self._listener.join(timeout=_STOP_S)
        proc.stdout.close()

    def _lost(self, why: str) -> None:
        """The renderer is unusable: stop it and draw in-thread from now on."""
        with self._cond:
            if self._failure is None:
                self._failure = why
        self._stop_renderer()

    # -- warnings and the notebook ------------------------------------------
    def _run_name(self) -> str:
        return getattr(self._run, "name", str(getattr(self._run, "path", "?")))

    def _note_error(self, text: str) -> None:
        with self._cond:  # the listener thread reports, the training thread warns
            self.errors.append(text)
            self._pending_warnings.append(f"LivePlot could not draw run {self._run_name()!r}: "
                                          f"{text.splitlines()[0]} (full traceback in LivePlot.errors)")

    def _warn_failure(self) -> None:
        message = (f"LivePlot: {self._failure}; it draws in the training thread instead, "
                   "at epoch ends and at the end of fit only")
        if message not in self._warned:
            self._warned.add(message)
            user_warning(message)

    def _warn_pending(self) -> None:
        """Warn, in the training thread, about what the renderer reported since the last hook."""
        if self._failure is not None and self._proc is not None:
            self._stop_renderer()
        if self._failure is not None:
            self._warn_failure()
        with self._cond:
            messages, self._pending_warnings = self._pending_warnings, []
        for message in messages:
            if message not in self._warned:
                self._warned.add(message)
                user_warning(message)

    def _open_display(self, run):
        from IPython.display import display

        every = f"every {self.every} steps and " if self.every else ""
        text = f"LivePlot of run {self._run_name()!r}: redrawn {every}at each epoch end"
        return display({"text/plain": text}, raw=True, display_id=True)

    def _show(self) -> None:
        """Put the current PNG into the notebook output (called by the listener thread, or in-thread)."""
        from IPython.display import Image

        try:
            self._handle.update(Image(data=self.path.read_bytes(), format="png"))
        except Exception as error:  # noqa: BLE001 - the notebook going away must not stop training
            self._note_error(_live_render.describe_error(error))
