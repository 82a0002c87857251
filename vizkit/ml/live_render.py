"""LivePlot's renderer: follow a run folder and redraw its dashboard into a PNG.

This module is torch-free on purpose (an import-linter contract holds it so).
:class:`vizkit.torch.LivePlot` runs it in a fresh interpreter (``python -c``
with :data:`LOADER`, which sets the training process' ``sys.path`` and runs
this module as ``__main__``), so the renderer imports vizkit.io, vizkit.ml and
Matplotlib but never ``vizkit.torch`` (whose ``__init__`` imports torch) nor the training
script (``multiprocessing``'s spawn would re-run that script's imports, torch
included, in the child). The same :class:`Renderer` also draws in the
training process when the renderer process cannot run.

Protocol, one line per message:

- training process -> renderer (stdin): ``<seq>\\n``, "draw everything
  flushed so far, then answer ``seq``", or ``<seq>!\\n``, the same at once
  (the end of fit). Requests that arrive while a drawing is under way are
  merged into one drawing, answered with the newest ``seq``. Between two
  drawings the renderer pauses (see :func:`pause_after`): at least
  ``interval`` seconds, and long enough that the CPU time of its drawings
  stays under ``cpu_budget`` of one core; an urgent request is drawn without
  pausing. The renderer imports Matplotlib and the dashboard (about a second
  of CPU) when its first request comes. End of input (the training process closed the
  pipe, or died) stops the renderer, after drawing a request that still waits.
- renderer -> training process (stdout): JSON objects,
  ``{"ready": true, "pid": ..., "startup_s": ..., "torch": false, "nice": ..., "autogroup_nice": ...}``
  once, then ``{"done": seq, "seconds": ..., "cpu_seconds": ..., "pause": ...,
  "records": ..., "error": null}`` per drawing (``pause``: seconds before the
  next unhurried drawing; ``error`` holds the message of a drawing that failed).

The renderer runs at the lowest CPU priority (``nice`` 19, set by
:data:`LOADER` before anything is imported, so its start-up yields to
training too): it draws with CPU time training leaves idle, and gets very
little while training keeps every core busy. On Linux with autogroup
scheduling (the default of most desktop distributions), a process' nice
value only orders it against processes of its own session, and the
renderer starts a session of its own (so that Ctrl-C in a terminal does not
kill it before the last drawing); :data:`LOADER` therefore also lowers its
autogroup to nice 19 (``/proc/self/autogroup``). Without that, the renderer
competed with training as an equal: a drawing took a whole core, and a
training step that needed both cores waited for it.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import traceback
from pathlib import Path

__all__ = ["LOADER", "Inbox", "Renderer", "describe_error", "main", "pause_after", "write_png_atomic"]

# The renderer's niceness: the lowest priority, so training comes first whenever both want a core.
NICE = 19

# Run by LivePlot as: python -c LOADER <sys.path as JSON> <options as JSON>. The priority is
# lowered first, so that the imports (most of the start-up) yield to training too: the process'
# nice value, and its session's autogroup (Linux), since the renderer runs in a session of its own.
LOADER = (
    "import os\n"
    "try:\n"
    f"    os.nice({NICE})\n"
    "except (AttributeError, OSError):\n"
    "    pass\n"
    "try:\n"
    "    with open('/proc/self/autogroup', 'w') as group:\n"
    f"        group.write('{NICE}')\n"
    "except OSError:\n"
    "    pass\n"
    "import json, runpy, sys\n"
    "sys.path[:] = json.loads(sys.argv[1])\n"
    "runpy.run_module('vizkit.ml.live_render', run_name='__main__', alter_sys=True)\n"
)

# How often the renderer checks that the training process still exists while idle (s).
_PARENT_CHECK_S = 1.0


def write_png_atomic(figure, path: Path) -> None:
    """Render ``figure`` to a PNG at ``path`` so readers see the old file or the new one, never half.

    Drawn with the Agg canvas and written by Pillow: what ``savefig`` does,
    less its bookkeeping (about a quarter of its time on a small dashboard).
    """
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = figure.canvas if isinstance(figure.canvas, FigureCanvasAgg) else FigureCanvasAgg(figure)
    canvas.draw()
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        Image.fromarray(np.asarray(canvas.buffer_rgba())).save(temp, format="png", dpi=(figure.dpi,) * 2)
        os.replace(temp, path)
    finally:
        if temp.exists():
            temp.unlink()


class Renderer:
    """Follow ``run_dir`` incrementally and draw its dashboard into one reused Figure.

    Parameters
    ----------
    run_dir : str or Path
        The run folder to follow.
    png : str or Path
        Where each drawing is written (atomically).
    metrics, x, smooth
        Passed to :func:`vizkit.ml.run_dashboard.dashboard`.
    figsize : (float, float) or None
        Figure size in inches; ``None`` sizes it as the dashboard sizes a new
        figure, from the number of panels.
    dpi : float
    """

    def __init__(self, run_dir, png, *, metrics=None, x="step", smooth=None, figsize=None, dpi=100):
        from matplotlib.figure import Figure

        from vizkit.io.follow import follow_run

        self.run_dir = run_dir
        self.png = Path(png)
        self.follower = follow_run(run_dir)
        self.options = {"metrics": metrics, "x": x, "smooth": smooth}
        self.figsize = figsize
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        self.data = None
        self.last_step: dict = {}  # (split, metric) -> the largest step held
        self.records = 0

    def _read(self):
        """Everything flushed so far: the rows held plus what the follower reads now."""
        import pandas as pd

        from vizkit.io.follow import follow_run

        new = self.follower.read_new()
        if not len(new):
            return self.data
        firsts = new.groupby(["split", "metric"], sort=False)["step"].agg(["min", "max"])
        went_back = any(low < self.last_step.get(key, low) for key, low in firsts["min"].items())
        if went_back:  # a resumed attempt: its records supersede the dead one's, so read the run again
            self.follower = follow_run(self.run_dir)
            self.data, self.last_step = None, {}
            new = self.follower.read_new()
            firsts = new.groupby(["split", "metric"], sort=False)["step"].agg(["min", "max"])
        self.data = new if self.data is None else pd.concat([self.data, new], ignore_index=True)
        for key, high in firsts["max"].items():
            self.last_step[key] = max(high, self.last_step.get(key, high))
        return self.data

    def draw(self) -> int:
        """Read what was flushed since the last drawing, redraw, write the PNG; return the row count."""
        from vizkit.ml.run_dashboard import dashboard, fit_figure

        data = self._read()
        if data is None or not len(data):
            return 0  # nothing flushed yet: keep whatever PNG is there
        dashboard(data, figure=self.figure, **self.options)  # it clears the figure first
        if self.figsize is None:
            fit_figure(self.figure)  # sized by the panels drawn (a constant metric is a line of text)
        write_png_atomic(self.figure, self.png)
        self.records = len(data)
        return self.records


def pause_after(seconds: float, cpu_seconds: float, *, interval: float, cpu_budget: float) -> float:
    """Seconds to wait after a drawing before the next unhurried one.

    At least ``interval``; and long enough that the drawing's CPU time is at
    most ``cpu_budget`` of one core over the drawing and the pause, so the
    pause grows with what a drawing costs (a bigger run, more panels, a
    slower machine). The CPU time counts the renderer process only, so a
    drawing slowed down by training (which comes first) does not lengthen
    the pause.

    >>> pause_after(0.2, 0.1, interval=1.0, cpu_budget=0.05)   # 0.1 s of CPU per 2 s
    1.8
    >>> pause_after(0.02, 0.01, interval=1.0, cpu_budget=0.05)  # cheap drawings: every interval
    1.0
    """
    return max(interval, cpu_seconds / cpu_budget - seconds)


class Inbox:
    """Requests from the training process, merged as they arrive (a thread reads the pipe).

    Parameters
    ----------
    stream : binary file
        The renderer's stdin.
    parent : int
        The training process' id: the renderer stops when it is gone.
    interval : float
        Seconds to pause after a drawing, at least.
    cpu_budget : float
        The share of one core the drawings may take (see :func:`pause_after`).
    """

    def __init__(self, stream, parent: int, interval: float, cpu_budget: float = 1.0):
        self.parent = parent
        self.interval = interval
        self.cpu_budget = cpu_budget
        self.cond = threading.Condition()
        self.newest = None
        self.urgent = False
        self.ended = False
        self.not_before = 0.0  # monotonic time before which no unhurried drawing starts
        threading.Thread(target=self._read, args=(stream,), daemon=True, name="inbox").start()

    def _read(self, stream) -> None:
        for line in stream:  # ends at end of input: the training process closed the pipe or died
            line = line.strip()
            urgent = line.endswith(b"!")
            digits = line.rstrip(b"!")
            if digits.isdigit():
                with self.cond:
                    self.newest = max(self.newest or 0, int(digits))
                    self.urgent |= urgent
                    self.cond.notify()
        with self.cond:
            self.ended = True
            self.cond.notify()

    def next(self):
        """Wait until a drawing is due; return the newest request number, or None to stop.

        A request still waiting at the end of input is drawn at once (the
        end of fit closes the pipe right after asking for its last drawing).
        """
        with self.cond:
            while True:
                if self.newest is None and self.ended:
                    return None
                wait = _PARENT_CHECK_S
                if self.newest is not None:
                    wait = 0.0 if self.urgent or self.ended else self.not_before - time.monotonic()
                    if wait <= 0:
                        seq, self.newest, self.urgent = self.newest, None, False
                        return seq
                if not self.cond.wait(min(wait, _PARENT_CHECK_S)) and os.getppid() != self.parent:
                    return None  # re-parented: the training process is gone

    def drew(self, seconds: float, cpu_seconds: float) -> float:
        """A drawing that took ``seconds`` (``cpu_seconds`` of CPU) just ended: return the pause before the next."""
        pause = pause_after(seconds, cpu_seconds, interval=self.interval, cpu_budget=self.cpu_budget)
        with self.cond:
            self.not_before = time.monotonic() + pause
        return pause


def main(options: dict) -> None:
    """Renderer process entry point: draw on request until the training process closes stdin."""
    parent = os.getppid()
    out = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)  # anything a library prints goes to stderr, never into the protocol
    sys.stdout = sys.stderr

    def send(**message) -> None:
        out.write(json.dumps(message) + "\n")

    inbox = Inbox(sys.stdin.buffer, parent, options["interval"], options["cpu_budget"])
    seq = inbox.next()  # the start-up (most of the renderer's CPU time) waits for the first drawing due
    if seq is None:
        return
    started = time.perf_counter()
    try:
        renderer = Renderer(options["run_dir"], options["png"], metrics=options["metrics"], x=options["x"],
                            smooth=options["smooth"], figsize=options["figsize"], dpi=options["dpi"])
    except Exception as error:  # noqa: BLE001 - reported to the training process, which warns
        send(ready=False, error=describe_error(error))
        return
    send(ready=True, pid=os.getpid(), startup_s=time.perf_counter() - started, torch="torch" in sys.modules,
         nice=_niceness(), autogroup_nice=_autogroup_niceness())
    while seq is not None:
        begin, cpu_begin = time.perf_counter(), time.process_time()
        try:
            records = renderer.draw()
            error = None
        except Exception as failure:  # noqa: BLE001 - one bad drawing must not end the live plot
            records, error = renderer.records, describe_error(failure)
        seconds, cpu_seconds = time.perf_counter() - begin, time.process_time() - cpu_begin
        pause = inbox.drew(seconds, cpu_seconds)
        try:
            send(done=seq, seconds=seconds, cpu_seconds=cpu_seconds, pause=pause, records=records, error=error)
        except (BrokenPipeError, OSError):
            return
        seq = inbox.next()


def _niceness():
    """This process' niceness (None where the OS has none)."""
    try:
        return os.nice(0)
    except (AttributeError, OSError):
        return None


def _autogroup_niceness():
    """The nice value of this process' autogroup (Linux; None where there is none)."""
    try:
        with open("/proc/self/autogroup") as group:
            return int(group.read().split()[-1])
    except (OSError, ValueError, IndexError):
        return None


def describe_error(error: BaseException) -> str:
    """The exception's own line, then the traceback for whoever has to debug it (what the renderer reports).

    >>> describe_error(ValueError("bad")).splitlines()[:2]
    ['ValueError: bad', 'ValueError: bad']
    """
    return f"{type(error).__name__}: {error}\n" + "".join(traceback.format_exception(error))


if __name__ == "__main__":
    main(json.loads(sys.argv[-1]))
