"""LivePlot: a renderer process redraws the run; the training thread only flushes and asks.

The hooks are driven by a small loop shaped like ``fit()`` (``train`` below),
so every test controls exactly when refreshes happen.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from types import SimpleNamespace

import matplotlib.image
import pytest

torch = pytest.importorskip("torch")

from torch.utils.data import DataLoader, TensorDataset

import vizkit.torch.live as live_module
from vizkit.torch import Callback, LivePlot, Run, TrainState, fit

PNG_START = b"\x89PNG\r\n\x1a\n"
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"


def whole_png(data: bytes) -> bool:
    return data.startswith(PNG_START) and data.endswith(PNG_END)


def gone(pid: int) -> bool:
    """The process has exited (a zombie not yet reaped by whoever adopted it counts as exited)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return False


def train(live, run, *, steps=300, per_epoch=100, each_step=None, fail_at=None):
    """A loop shaped like fit(): log train loss/acc per step, val loss per epoch, call the hooks.

    Then wait for the last drawing, which the renderer makes after the end of fit.
    """
    state = TrainState(run=run)
    live.on_fit_start(state)
    try:
        for step in range(steps):
            state.step, state.epoch = step, step // per_epoch
            if step == fail_at:
                raise FloatingPointError("loss is NaN")
            run.log(step=step, epoch=state.epoch, loss=2.0 / (1 + step / 50), acc=step / steps)
            live.on_batch_end(state, {})
            if each_step is not None:
                each_step(step)
            if (step + 1) % per_epoch == 0:
                run.log(step=step, epoch=state.epoch, split="val", loss=2.2 / (1 + step / 50))
                live.on_epoch_end(state, {})
    except Exception as error:
        live.on_exception(state, error)
        live.wait()
        raise
    live.on_fit_end(state)
    live.wait()
    return state


def wait_until(condition, timeout=30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)


def rows(steps=300, per_epoch=100) -> int:
    """Logged values of ``train``: loss and acc per step, val loss per epoch."""
    return 2 * steps + steps // per_epoch


@pytest.fixture
def run(tmp_path):
    with Run(tmp_path / "run", name="mlp") as run:
        yield run


# ------------------------------------------------------------------ script mode
def test_script_mode_keeps_a_png_of_the_whole_run_in_the_run_folder(run):
    live = LivePlot(every=50)
    train(live, run)
    assert live.path == run.path / "live.png"
    assert whole_png(live.path.read_bytes())
    assert live.records_drawn == rows()  # the last picture shows every logged value
    image = matplotlib.image.imread(live.path)
    assert image.shape[0] > 100 and image.shape[1] > 100
    assert [p.name for p in run.path.iterdir() if p.name.startswith(".")] == []  # no temp file left


def test_the_png_is_drawn_while_training_not_only_at_the_end(run):
    live = LivePlot(every=20, delay=0)  # the first drawing is due at once, not after the start-up's share of the budget
    seen = []

    def look_at_step_250(step):
        if step == 250:
            wait_until(lambda: live.records_drawn > 0)  # the renderer takes a second to start
            seen.append(live.records_drawn)

    train(live, run, each_step=look_at_step_250)
    assert 0 < seen[0] < rows()


def test_a_reader_never_sees_half_a_png_while_it_is_rewritten(run, tmp_path):
    path = tmp_path / "elsewhere" / "chart.png"
    live = LivePlot(every=1, path=path, interval=0, cpu_budget=1, delay=0)  # as many pictures as the renderer can draw
    reads, versions, stop = [], set(), threading.Event()

    def reader():
        while not stop.is_set():
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue
            reads.append(whole_png(data))
            versions.add(hash(data))

    def pace(step):
        if step == 100:
            wait_until(lambda: live.records_drawn > 0)  # past the renderer's start-up, however slow
        # until the reader has seen a few rewrites, leave the renderer more time (a loaded machine draws slowly)
        time.sleep(0.002 if len(versions) >= 3 else 0.02)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        train(live, run, steps=1500, per_epoch=500, each_step=pace)
    finally:
        stop.set()
        thread.join()
    assert live.path == path
    assert len(versions) >= 3, "the PNG should have been rewritten while it was read"
    assert len(reads) > 100 and all(reads)


def test_requests_faster_than_the_renderer_draws_are_merged(run):
    live = LivePlot(every=1)
    train(live, run, steps=600, per_epoch=200)
    assert 1 <= len(live.render_seconds) < 600  # 603 requests, far fewer drawings
    assert live.records_drawn == rows(600, 200)


def test_the_renderer_pauses_between_drawings(run):
    live = LivePlot(every=1, interval=0.5, delay=0)

    def pace(step):
        if step == 50:
            wait_until(lambda: live.records_drawn > 0)
        time.sleep(0.005)

    begin = time.perf_counter()
    train(live, run, steps=400, per_epoch=400, each_step=pace)
    seconds = time.perf_counter() - begin
    assert 2 <= len(live.render_seconds) <= seconds / 0.5 + 2
    assert live.records_drawn == rows(400, 400)


def test_the_pause_grows_with_what_a_drawing_costs_and_the_end_is_drawn_at_once(tmp_path):
    live = LivePlot(every=1, interval=0, cpu_budget=0.001, delay=0)  # 1 ms of CPU per second: minutes apart
    run = Run(tmp_path / "run", flush_secs=None)  # only LivePlot flushes
    flushes = []

    def count_flushes_between_the_first_drawing_and_the_end(step):
        if step == 100:
            wait_until(lambda: live.records_drawn > 0)
            run.flush = lambda: (flushes.append(step), type(run).flush(run))[1]
        if step == 299:
            del run.flush

    train(live, run, each_step=count_flushes_between_the_first_drawing_and_the_end)
    run.close()
    first_cpu, first_seconds = live.render_cpu_seconds[0], live.render_seconds[0]
    assert live.render_pauses[0] == pytest.approx(first_cpu / 0.001 - first_seconds)  # the budget sets the pause
    assert len(live.render_seconds) == 2  # no unhurried drawing in the pause; the end is drawn without waiting
    assert live.records_drawn == rows()
    assert flushes == []  # 200 refreshes and an epoch end in the pause cost the training thread no flush


def test_the_renderer_starts_when_the_first_drawing_is_due(run):
    live = LivePlot(every=1, delay=3600)  # not within this test
    hellos = []
    train(live, run, each_step=lambda step: step == 299 and hellos.append((live._hello, live.renderer_pid)))
    assert hellos == [(None, None)]  # no renderer while training: it starts when the first drawing is due ...
    assert live._hello["ready"] and len(live.render_seconds) == 1 and live.records_drawn == rows()  # ... the end's


def test_cheap_drawings_pause_for_the_interval():
    from vizkit.ml.live_render import pause_after

    assert pause_after(0.05, 0.01, interval=1.0, cpu_budget=0.03) == 1.0
    assert pause_after(0.5, 0.3, interval=1.0, cpu_budget=0.03) == pytest.approx(9.5)  # 0.3 s in 10 s: 3 %
    assert pause_after(0.5, 0.3, interval=1.0, cpu_budget=1) == 1.0


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities here")
def test_the_renderer_runs_at_the_lowest_priority(run):
    live = LivePlot(every=10)
    train(live, run, steps=30, per_epoch=30)
    assert live._hello["nice"] == 19


@pytest.mark.skipif(not os.path.exists("/proc/self/autogroup"), reason="no autogroup scheduling here")
def test_the_renderer_session_runs_at_the_lowest_priority_too(run):
    # Under autogroup scheduling a nice value only counts inside the session, and the renderer
    # has a session of its own: its autogroup must be niced too, or it competes with training.
    live = LivePlot(every=10)
    train(live, run, steps=30, per_epoch=30)
    assert live._hello["autogroup_nice"] == 19


def test_a_refresh_costs_the_training_thread_a_flush_and_a_message(run):
    live = LivePlot(every=10)
    costs = []
    state = TrainState(run=run)
    live.on_fit_start(state)
    for step in range(20_000):  # a run big enough that drawing it takes the renderer a while
        run.log(step=step, loss=1.0 / (1 + step))
    for step in range(20_000, 20_200):
        state.step = step
        run.log(step=step, loss=1.0 / (1 + step))
        begin = time.perf_counter()
        live.on_batch_end(state, {})
        if step % 10 == 9:
            costs.append(time.perf_counter() - begin)
    live.on_fit_end(state)
    live.wait()
    assert len(costs) == 20
    assert statistics.median(costs) < 0.05  # in fact well under a millisecond: the drawing is elsewhere
    assert live.records_drawn == 20_200


def test_every_counts_batches_and_epoch_ends_always_refresh(run):
    live = LivePlot(every=None)
    train(live, run, steps=40, per_epoch=20)
    assert live.records_drawn == rows(40, 20)
    assert 1 <= len(live.render_seconds) <= 3  # two epoch ends and the end of fit, perhaps merged


def test_the_options_reach_the_renderer(run):
    live = LivePlot(every=50, metrics="loss", x="epoch", smooth=20, dpi=80)
    train(live, run)
    height, width, _ = matplotlib.image.imread(live.path).shape
    assert (width, height) == (round(4.4 * 80), round(3.4 * 80))  # one panel, sized as the dashboard sizes it
    assert live.errors == []


def test_figsize_and_dpi_set_the_png_size(run):
    live = LivePlot(every=50, figsize=(5, 3), dpi=80)
    train(live, run)
    assert matplotlib.image.imread(live.path).shape[:2] == (240, 400)


def test_a_drawing_that_fails_is_warned_about_once_and_training_goes_on(run):
    live = LivePlot(every=50, metrics="val_loss")  # splits are not metric names: "loss" is the val loss too
    with pytest.warns(UserWarning, match=r"could not draw run 'mlp': .*`metrics` must be one of") as caught:
        train(live, run)
    assert len([w for w in caught if "could not draw" in str(w.message)]) == 1
    assert live.errors and "Traceback" in live.errors[-1]
    assert live.renderer_pid is None


# ------------------------------------------------------------------ with fit()
def tiny_fit(tmp_path, callbacks, epochs=3):
    torch.manual_seed(0)
    data = DataLoader(TensorDataset(torch.randn(320, 4), torch.randn(320, 1)), batch_size=32)
    model = torch.nn.Linear(4, 1)
    run = Run(tmp_path / "fit")
    fit(model, data, val_loader=data, optimizer=torch.optim.SGD(model.parameters(), lr=0.05),
        loss_fn=torch.nn.functional.mse_loss, epochs=epochs, callbacks=callbacks, run=run, progress=False)
    return run


def test_fit_with_wait_returns_with_the_whole_run_drawn(tmp_path):
    live = LivePlot(every=5, wait=True)
    run = tiny_fit(tmp_path, [live])
    assert live.path == run.path / "live.png" and whole_png(live.path.read_bytes())
    assert live.records_drawn == 3 * 10 + 3  # a train loss per step, a val loss per epoch
    assert live.renderer_pid is None and live.errors == []


class Explode(Callback):
    def __init__(self, live, at):
        self.live, self.at, self.pid = live, at, None

    def on_batch_end(self, state, logs):
        self.pid = self.live.renderer_pid
        if state.step == self.at:
            raise RuntimeError("CUDA out of memory (pretend)")


def test_fit_that_raises_ends_the_renderer_and_keeps_the_picture_so_far(tmp_path):
    live = LivePlot(every=5, delay=0)
    explode = Explode(live, at=14)
    with pytest.raises(RuntimeError, match="out of memory"):
        tiny_fit(tmp_path, [live, explode])
    live.wait()
    assert explode.pid is not None and gone(explode.pid) and live.renderer_pid is None
    assert whole_png(live.path.read_bytes())
    assert live.records_drawn == 15 + 1  # steps 0-14, and the val loss of epoch 0


def test_a_resumed_run_is_drawn_with_each_step_once(tmp_path):
    import vizkit as vk

    with Run(tmp_path / "run") as run:  # the first attempt reached step 199, then died
        for step in range(200):
            run.log(step=step, loss=2.0)
    live = LivePlot(every=10, delay=0)
    with Run(tmp_path / "run", resume=True) as run:  # restarted from the checkpoint of step 99
        state = TrainState(run=run, step=99)
        live.on_fit_start(state)
        live.on_epoch_end(state, {})
        wait_until(lambda: live.records_drawn == 200)  # the renderer holds the dead attempt's records
        for step in range(100, 150):
            state.step = step
            run.log(step=step, loss=1.0)
            live.on_batch_end(state, {})
        live.on_fit_end(state)
        live.wait()
    assert live.records_drawn == len(vk.read_run(run.path)) == 150


def test_fit_returns_at_once_and_the_renderer_draws_the_whole_run_then_exits(tmp_path):
    live = LivePlot(every=5)
    drawn_at_return = []

    class AfterLive(Callback):  # runs after LivePlot's on_fit_end: what fit returns with
        def on_fit_end(self, state):
            drawn_at_return.append((live.records_drawn, live._final))

    run = tiny_fit(tmp_path, [live, AfterLive()])
    pid = live._proc.pid
    wait_until(lambda: live._ended)  # the renderer's output ends: it drew and exited by itself
    assert gone(pid)
    assert drawn_at_return[0][1] is not None  # the last drawing was asked for, not waited for
    assert live.records_drawn == 3 * 10 + 3 and whole_png((run.path / "live.png").read_bytes())
    assert live.renderer_pid is None and live.errors == []
    live.wait()  # nothing left to wait for
    assert live.records_drawn == 3 * 10 + 3


# ------------------------------------------------------------------ the renderer process
def test_the_renderer_process_ends_after_fit(run):
    live = LivePlot(every=50, delay=0)
    pids = []
    train(live, run, each_step=lambda step: pids.append(live.renderer_pid))
    assert set(pids[:49]) == {None} and len(set(pids[49:])) == 1  # started by the first refresh, one process
    assert live.renderer_pid is None
    assert gone(pids[-1])


def test_the_renderer_process_ends_after_an_exception_and_the_png_shows_the_run_so_far(run):
    live = LivePlot(every=50, delay=0)
    pids = []
    with pytest.raises(FloatingPointError, match="loss is NaN"):
        train(live, run, fail_at=150, each_step=lambda step: pids.append(live.renderer_pid))
    assert live.renderer_pid is None and pids[-1] is not None and gone(pids[-1])
    assert whole_png(live.path.read_bytes())
    assert live.records_drawn == 2 * 150 + 1  # 150 steps of loss and acc, one val loss


TRAINING_SCRIPT = '''
import sys, time
from vizkit.torch import LivePlot, Run, TrainState
run = Run(sys.argv[1])
live = LivePlot(every=1, delay=0)
live.on_fit_start(TrainState(run=run))
live.on_batch_end(TrainState(run=run), {})  # the first refresh starts the renderer
print(live.renderer_pid, flush=True)
while True:
    run.log(loss=1.0)
    live.on_batch_end(TrainState(run=run), {})
    time.sleep(0.01)
'''


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="reads process states from /proc")
def test_the_renderer_ends_when_the_training_process_is_killed(tmp_path):
    training = subprocess.Popen([sys.executable, "-c", TRAINING_SCRIPT, str(tmp_path / "run")],
                                stdout=subprocess.PIPE, text=True)
    renderer = int(training.stdout.readline())
    wait_until(lambda: (tmp_path / "run" / "live.png").exists())
    training.kill()  # SIGKILL: no hook runs, no cleanup
    training.wait()
    wait_until(lambda: gone(renderer), timeout=10)
    assert gone(renderer)


def test_the_renderer_never_imports_torch(run):
    live = LivePlot(every=10)
    train(live, run, steps=30, per_epoch=30)
    assert live._hello["ready"] is True
    assert live._hello["torch"] is False


def test_a_liveplot_can_follow_a_second_fit(tmp_path):
    live = LivePlot(every=25)
    for name in ("first", "second"):
        with Run(tmp_path / name) as run:
            train(live, run, steps=100, per_epoch=50)
        assert live.path == tmp_path / name / "live.png"
        assert live.records_drawn == rows(100, 50)
        assert live.renderer_pid is None


def test_without_a_renderer_it_warns_and_draws_in_the_training_thread(run, monkeypatch):
    monkeypatch.setattr(live_module, "_PYTHON", str(run.path / "no-such-python"))
    live = LivePlot(every=10, delay=0)
    with pytest.warns(UserWarning, match=r"renderer process could not start .* draws in the training thread"):
        train(live, run, steps=200, per_epoch=100)
    assert live.renderer_pid is None
    assert len(live.render_seconds) == 3  # two epoch ends and the end of fit, in-thread
    assert whole_png(live.path.read_bytes()) and live.records_drawn == rows(200, 100)


def test_a_renderer_that_dies_is_noticed_and_the_last_picture_is_still_drawn(run):
    live = LivePlot(every=10, delay=0)

    def kill_it(step):
        if step == 50:
            os.kill(live.renderer_pid, signal.SIGKILL)
            time.sleep(0.5)

    with pytest.warns(UserWarning, match="renderer process (ended unexpectedly|cannot be reached)"):
        train(live, run, each_step=kill_it)
    assert live.renderer_pid is None
    assert whole_png(live.path.read_bytes()) and live.records_drawn == rows()


def test_a_rank_that_does_not_write_draws_nothing(tmp_path):
    run = SimpleNamespace(path=tmp_path / "rank1", name="r", writes=False, flush=lambda: None,
                          log=lambda **kwargs: None)
    live = LivePlot(every=1)
    train(live, run, steps=10, per_epoch=5)
    assert live.renderer_pid is None and not (tmp_path / "rank1" / "live.png").exists()


# ------------------------------------------------------------------ Jupyter
class FakeHandle:
    def __init__(self):
        self.updates, self.threads = [], set()

    def update(self, obj):
        self.updates.append(obj)
        self.threads.add(threading.current_thread().name)


def test_notebook_mode_updates_one_output_in_place(run, monkeypatch):
    import IPython.display

    shown, handle = [], FakeHandle()

    def display(obj, **kwargs):
        shown.append((obj, kwargs))
        return handle

    monkeypatch.setattr(IPython.display, "display", display)
    live = LivePlot(every=50, mode="notebook", delay=0)
    train(live, run, each_step=lambda step: step == 150 and wait_until(lambda: handle.updates))
    assert len(shown) == 1 and shown[0][1]["display_id"] is True  # one output ...
    assert len(handle.updates) >= 2  # ... updated in place
    assert all(isinstance(image, IPython.display.Image) for image in handle.updates)
    assert handle.updates[-1].data == live.path.read_bytes()  # the last update is the whole run
    assert all(name.startswith("vizkit-liveplot") for name in handle.threads)  # by the kernel-side thread


def test_auto_mode_outside_jupyter_shows_nothing(run, monkeypatch):
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: pytest.fail("display() called in a script"))
    train(LivePlot(every=50), run, steps=100)


# ------------------------------------------------------------------ arguments
@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"every": 2.5}, TypeError, r"`every` must be an int >= 1; got 2.5 \(float\)"),
    ({"every": 0}, ValueError, r"`every` must be an int >= 1; got 0"),
    ({"path": 3}, TypeError, r"`path` must be a file path"),
    ({"metrics": ["loss", 1]}, TypeError, r"`metrics` must be a metric name or a list of metric names"),
    ({"metrics": []}, ValueError, r"`metrics` must be at least one metric name"),
    ({"mode": "jupyter"}, ValueError, r"`mode` must be one of 'auto', 'notebook', 'script'"),
    ({"x": "steps"}, ValueError, r"`x` must be one of 'step', 'epoch', 'time'; got 'steps' \(str\)\. Did you mean 'step'\?"),
    ({"smooth": -1}, ValueError, r"`smooth` must be None, a half-life in steps \(a number >= 1, e.g. 10\), or TensorBoard"),
    ({"interval": -1}, ValueError, r"`interval` must be a number >= 0; got -1"),
    ({"cpu_budget": 0}, ValueError, r"`cpu_budget` must be a number > 0 and <= 1; got 0 "),
    ({"delay": -1}, ValueError, r"`delay` must be a number >= 0; got -1"),
    ({"cpu_budget": 3}, ValueError, r"`cpu_budget` must be a number > 0 and <= 1; got 3 "),
    ({"figsize": (8,)}, TypeError, r"`figsize` must be a \(width, height\) pair"),
])
def test_bad_arguments_are_named(kwargs, error, message):
    with pytest.raises(error, match=message):
        LivePlot(**kwargs)


def test_a_fit_without_a_run_is_refused():
    with pytest.raises(ValueError, match=r"`state.run` must be a vizkit Run"):
        LivePlot().on_fit_start(TrainState())


def test_what_a_drawing_costs_training_is_measured_on_the_batches_it_overlapped():
    slowdown = live_module._Slowdown()
    now = 0.0
    for _ in range(20):  # 10 ms batches, renderer idle
        now += 0.010
        slowdown.batch_ended(now)
    slowdown.renderer_worked(now, now + 0.5)  # the renderer works for 0.5 s ...
    for _ in range(25):  # ... and the batches under it take 20 ms: 10 ms lost each
        now += 0.020
        slowdown.batch_ended(now)
    slowdown.pause()  # an epoch end: the time until the next batch end is not a batch
    now += 3.0
    slowdown.batch_ended(now)
    [(end, lost)] = slowdown.costs(now)
    assert end == pytest.approx(0.7) and lost == pytest.approx(0.25)
    assert slowdown.costs(now) == []  # each period is charged once


def test_a_period_is_charged_only_once_batches_ended_after_it():
    slowdown = live_module._Slowdown()
    for step in range(1, 11):
        slowdown.batch_ended(step * 0.01)
    slowdown.renderer_worked(0.05, 0.5)  # still under way as far as the batches tell
    assert slowdown.costs(0.1) == []
    slowdown.batch_ended(0.6)
    assert [end for end, _ in slowdown.costs(0.6)] == [0.5]


def test_liveplot_waits_until_what_the_renderer_cost_training_fits_the_budget(run):
    live = LivePlot(every=1, interval=0, cpu_budget=0.5, delay=0)

    def pace(step):
        if step == 20:  # training stands still until the first drawing: all of that is its cost
            wait_until(lambda: live.records_drawn > 0)
        time.sleep(0.002)

    train(live, run, steps=300, per_epoch=300, each_step=pace)
    [cost] = live.render_costs  # the first drawing, charged while training went on
    assert cost > 0.1
    # so no refresh for cost / 0.5 s, longer than the rest of training: the next drawing is the last
    assert len(live.render_seconds) == 2 and live.records_drawn == rows(300, 300)


@pytest.mark.parametrize("spare", [True, False])
def test_training_spares_a_thread_for_the_renderer_while_it_works_and_gets_it_back(run, spare):
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        live = LivePlot(every=1, delay=0, spare_thread=spare)
        threads = []
        train(live, run, steps=200, per_epoch=100, each_step=lambda step: threads.append(torch.get_num_threads()))
        after = torch.get_num_threads()
    finally:
        torch.set_num_threads(before)
    assert after == 2  # given back at the end of fit
    assert set(threads) == ({1, 2} if spare else {2}) or (spare and set(threads) == {1})
    assert threads[0] == (1 if spare else 2)  # the renderer starts with the first refresh
