"""Callbacks: the hook surface, MetricLogger, EarlyStopping and LRLogger, in fit() and by hand."""

import json

import pytest

torch = pytest.importorskip("torch")

from torch.utils.data import DataLoader, TensorDataset

import vizkit as vk
from vizkit.errors import VizkitTypeError, VizkitValueError
from vizkit.torch import Callback, EarlyStopping, LRLogger, MetricLogger, Run, TrainState, fit
from vizkit.torch.loop import accuracy

HOOKS = ["on_fit_start", "on_epoch_start", "on_batch_end", "on_validation_end", "on_epoch_end", "on_fit_end",
         "on_exception"]


def loaders(n=48, batch_size=8, seed=0):
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 4, generator=generator)
    y = (x[:, 0] + x[:, 1] > 0).long()
    train = DataLoader(TensorDataset(x, y), batch_size=batch_size)
    val = DataLoader(TensorDataset(x[: n // 2], y[: n // 2]), batch_size=n)
    return train, val


def model_and_optimizer(lr=0.1, seed=0):
    torch.manual_seed(seed)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
    return model, torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)


def train(callbacks, *, epochs=3, val=True, lr=0.1, **kwargs):
    train_loader, val_loader = loaders()
    model, optimizer = model_and_optimizer(lr)
    history = fit(model, train_loader, val_loader=val_loader if val else None, optimizer=optimizer,
                  loss_fn=torch.nn.functional.cross_entropy, epochs=epochs, metrics={"acc": accuracy},
                  callbacks=callbacks, progress=False, **kwargs)
    return model, history


def quiet_run(path, **kwargs):
    return Run(path, flush_secs=None, **kwargs)  # no background flush: the tests decide when records land


class Recorder(Callback):
    def __init__(self):
        self.calls = []

    def __getattribute__(self, name):
        if name in HOOKS:
            def hook(state, *args):
                self.calls.append((name, state.epoch, state.step, *(sorted(a) if isinstance(a, dict) else type(a).__name__ for a in args)))
            return hook
        return super().__getattribute__(name)


# -- the hook surface ------------------------------------------------------------

def test_every_hook_of_the_base_class_is_a_no_op():
    callback, state = Callback(), TrainState()
    for name in HOOKS:
        args = (state,) if name in ("on_fit_start", "on_epoch_start", "on_fit_end") else (
            (state, ValueError("x")) if name == "on_exception" else (state, {"loss": 1.0}))
        assert getattr(callback, name)(*args) is None
    assert callback.state_dict() == {} and callback.load_state_dict({}) is None
    assert TrainState().step == -1 and TrainState().stop_training is False


def test_hooks_are_called_in_order_with_the_documented_logs():
    recorder = Recorder()
    train([recorder], epochs=2)
    names = [call[0] for call in recorder.calls]
    per_epoch = ["on_epoch_start"] + ["on_batch_end"] * 6 + ["on_validation_end", "on_epoch_end"]
    assert names == ["on_fit_start"] + per_epoch * 2 + ["on_fit_end"]
    batch = recorder.calls[2]
    assert batch == ("on_batch_end", 0, 0, ["acc", "loss"])          # epoch 0, the first step is 0
    assert recorder.calls[8] == ("on_validation_end", 0, 5, ["val_acc", "val_loss"])
    assert recorder.calls[9] == ("on_epoch_end", 0, 5, ["acc", "loss", "val_acc", "val_loss"])
    assert recorder.calls[-1] == ("on_fit_end", 1, 11)


def test_a_custom_callback_can_stop_training():
    class StopAfter(Callback):
        def on_epoch_end(self, state, logs):
            state.stop_training = state.epoch == 1

    _, history = train([StopAfter()], epochs=10)
    assert history["epoch"].max() == 1


# -- MetricLogger ----------------------------------------------------------------

def test_metric_logger_writes_train_steps_and_val_epochs(tmp_path):
    run = quiet_run(tmp_path / "run", config={"lr": 0.1})
    _, history = train([MetricLogger(run)], epochs=3)
    assert run.closed
    meta = json.loads((tmp_path / "run" / "meta.json").read_text())
    assert meta["status"] == "finished" and meta["config"] == {"lr": 0.1}
    logged = vk.read_run(tmp_path / "run")
    train_rows = logged.query("split == 'train'")
    assert sorted(train_rows["metric"].unique()) == ["acc", "loss"]
    assert train_rows.query("metric == 'loss'")["step"].tolist() == list(range(18))
    assert train_rows.query("metric == 'loss'")["epoch"].tolist() == [0] * 6 + [1] * 6 + [2] * 6
    val_rows = logged.query("split == 'val'")
    assert val_rows.query("metric == 'loss'")[["step", "epoch"]].values.tolist() == [[5, 0], [11, 1], [17, 2]]
    # the epoch means of the step records are fit()'s training history (equal batch sizes here)
    means = train_rows.groupby(["epoch", "metric"])["value"].mean()
    history_train = history.query("split == 'train'").set_index(["epoch", "metric"])["value"]
    assert means.to_numpy() == pytest.approx(history_train.sort_index().to_numpy(), rel=1e-6)
    val_history = history.query("split == 'val'")["value"].to_numpy()
    assert val_rows["value"].to_numpy() == pytest.approx(val_history, rel=1e-6)


def test_metric_logger_never_converts_a_tensor_in_a_step(tmp_path, monkeypatch):
    """Per-step hooks hand tensors to the run untouched; only the epoch-end flush converts."""
    conversions = []

    def forbid(name):
        original = getattr(torch.Tensor, name)

        def spy(self, *args, **kwargs):
            conversions.append((name, in_step[0]))
            return original(self, *args, **kwargs)
        monkeypatch.setattr(torch.Tensor, name, spy)

    in_step = [False]

    class Watch(MetricLogger):
        def on_batch_end(self, state, logs):
            assert all(isinstance(value, torch.Tensor) for value in logs.values())
            in_step[0] = True
            super().on_batch_end(state, logs)
            in_step[0] = False

    for name in ("item", "cpu", "tolist", "__float__", "numpy"):
        forbid(name)
    train([Watch(quiet_run(tmp_path / "run"))], epochs=2)
    assert conversions, "the epoch-end flush should convert"
    assert not [c for c in conversions if c[1]], f"converted inside on_batch_end: {conversions}"


def test_metric_logger_every_k_steps_logs_window_means(tmp_path):
    every_step = quiet_run(tmp_path / "each")
    windows = quiet_run(tmp_path / "every4")
    train([MetricLogger(every_step), MetricLogger(windows, every=4)], epochs=2)
    each = vk.read_run(tmp_path / "each").query("split == 'train' and metric == 'loss'")["value"].to_numpy()
    logged = vk.read_run(tmp_path / "every4").query("split == 'train' and metric == 'loss'")
    # windows end at steps 3, 7, 11 and at each epoch end (5: the rest of epoch 0, 11: end of epoch 1)
    assert logged["step"].tolist() == [3, 5, 7, 11]
    expected = [each[0:4].mean(), each[4:6].mean(), each[6:8].mean(), each[8:12].mean()]
    assert logged["value"].to_numpy() == pytest.approx(expected, rel=1e-6)


def test_metric_logger_marks_a_crashed_run_and_keeps_what_was_logged(tmp_path):
    calls = {"n": 0}

    def flaky_loss(outputs, targets):
        calls["n"] += 1
        if calls["n"] == 9:  # 6 training batches, 1 validation batch, steps 6 and 7: step 7 raises
            raise RuntimeError("loss exploded")
        return torch.nn.functional.cross_entropy(outputs, targets)

    run = quiet_run(tmp_path / "run")
    train_loader, val_loader = loaders()
    model, optimizer = model_and_optimizer()
    with pytest.raises(RuntimeError, match="loss exploded"):
        fit(model, train_loader, val_loader=val_loader, optimizer=optimizer, loss_fn=flaky_loss, epochs=3,
            callbacks=[MetricLogger(run)], progress=False)
    assert run.closed
    assert json.loads((tmp_path / "run" / "meta.json").read_text())["status"] == "crashed"
    logged = vk.read_run(tmp_path / "run")
    assert logged.query("split == 'train' and metric == 'loss'")["step"].tolist() == list(range(7))
    assert logged.query("split == 'val'")["step"].unique().tolist() == [5]


def test_metric_logger_close_false_keeps_the_run_open(tmp_path):
    run = quiet_run(tmp_path / "run")
    train([MetricLogger(run, close=False)], epochs=1)
    assert not run.closed
    run.log(step=6, split="test", acc=0.5)
    run.close()
    assert "test" in set(vk.read_run(tmp_path / "run")["split"])


def test_metric_logger_checks_its_arguments(tmp_path):
    with pytest.raises(VizkitTypeError, match=r"`run` must be a vizkit.torch.Run"):
        MetricLogger(str(tmp_path))
    run = quiet_run(tmp_path / "run")
    with pytest.raises(VizkitTypeError, match=r"`every` must be an int >= 1; got 2.5"):
        MetricLogger(run, every=2.5)
    run.close()
    with pytest.raises(VizkitValueError, match=r"`run` must be an open run.*closed"):
        train([MetricLogger(run)], epochs=1)


# -- EarlyStopping ---------------------------------------------------------------

def feed(early, values, key="val_loss"):
    state = TrainState()
    early.on_fit_start(state)
    for state.epoch, value in enumerate(values):
        early.on_epoch_end(state, {key: value})
        if state.stop_training:
            break
    return state


def test_early_stopping_counts_epochs_without_improvement():
    early = EarlyStopping("val_loss", patience=2)
    state = feed(early, [1.0, 0.8, 0.9, 0.85, 0.5])
    assert state.stop_training and early.stopped_epoch == 3
    assert (early.best, early.best_epoch, early.wait) == (0.8, 1, 2)
    assert early.reason == "val_loss did not improve for 2 epochs (best 0.8 at epoch 1)"


def test_early_stopping_min_delta_and_max_mode():
    early = EarlyStopping("val_loss", patience=1, min_delta=0.1)
    assert feed(early, [1.0, 0.95, 0.5]).stop_training and early.stopped_epoch == 1  # 0.05 is too small a gain
    early = EarlyStopping("val_acc", patience=1)
    assert early.mode == "max"
    state = feed(early, [0.5, 0.7, 0.9, 0.8], key="val_acc")
    assert state.stop_training and early.best == 0.9 and early.best_epoch == 2


@pytest.mark.parametrize("monitor, mode", [("val_loss", "min"), ("loss", "min"), ("val_acc", "max"),
                                           ("val/accuracy", "max"), ("val_mae", "min"), ("f1_score", "max")])
def test_early_stopping_reads_the_direction_from_the_name(monitor, mode):
    assert EarlyStopping(monitor).mode == mode


def test_early_stopping_refuses_a_name_it_cannot_read():
    with pytest.raises(VizkitValueError, match=r"`mode` must be 'min' or 'max' for this monitor; got 'auto'.*'val_wobble'"):
        EarlyStopping("val_wobble")
    assert EarlyStopping("val_wobble", mode="max").mode == "max"
    with pytest.raises(VizkitValueError, match=r"`mode` must be one of 'auto', 'min', 'max'; got 'minimum'"):
        EarlyStopping("val_loss", mode="minimum")


def test_early_stopping_stops_at_once_on_a_non_finite_value():
    early = EarlyStopping("val_loss", patience=5)
    assert feed(early, [1.0, float("nan"), 0.5]).stop_training
    assert early.stopped_epoch == 1 and early.best == 1.0 and "nan" in early.reason


def test_early_stopping_names_the_keys_when_the_monitor_is_missing():
    with pytest.raises(VizkitValueError, match=r"`monitor` must be a key of the epoch logs \('acc', 'loss'\); "
                                               r"got 'val_loss'.*only when it is given a val_loader"):
        train([EarlyStopping("val_loss")], val=False)


def test_early_stopping_in_fit_restores_the_best_weights():
    snapshots = {}

    class Snapshot(Callback):
        def on_epoch_end(self, state, logs):
            snapshots[state.epoch] = [p.detach().clone() for p in state.model.parameters()]

    early = EarlyStopping("val_loss", patience=2, restore_best=True)
    model, history = train([Snapshot(), early], epochs=40, lr=1.5)  # a rate high enough to stop improving
    assert early.stopped_epoch is not None and history["epoch"].max() == early.stopped_epoch < 39
    val_loss = history.query("split == 'val' and metric == 'loss'").set_index("epoch")["value"]
    assert early.best_epoch == val_loss.idxmin() and early.best == pytest.approx(val_loss.min())
    for restored, best in zip(model.parameters(), snapshots[early.best_epoch]):
        assert torch.equal(restored, best)


def test_early_stopping_state_dict_resumes_the_count():
    first = EarlyStopping("val_loss", patience=3)
    feed(first, [1.0, 0.7, 0.8])
    saved = first.state_dict()
    assert saved == {"monitor": "val_loss", "mode": "min", "best": 0.7, "best_epoch": 1, "wait": 1,
                     "stopped_epoch": None, "reason": None}
    resumed = EarlyStopping("val_loss", patience=3)
    resumed.load_state_dict(json.loads(json.dumps(saved)))  # plain values: they survive JSON or torch.save
    state = TrainState(epoch=3)
    resumed.on_fit_start(state)                           # a loaded state survives the next fit start
    for state.epoch, value in [(3, 0.9), (4, 0.95)]:
        resumed.on_epoch_end(state, {"val_loss": value})
    assert state.stop_training and resumed.stopped_epoch == 4 and resumed.wait == 3
    with pytest.raises(VizkitValueError, match=r"`state_dict` must be the state of an EarlyStopping with monitor='val_acc'"):
        EarlyStopping("val_acc").load_state_dict(saved)


def test_early_stopping_starts_afresh_in_a_new_fit():
    early = EarlyStopping("val_loss", patience=1)
    feed(early, [1.0, 2.0])
    assert early.stopped_epoch == 1
    feed(early, [3.0, 2.0, 1.0])
    assert early.stopped_epoch is None and early.best == 1.0


# -- LRLogger --------------------------------------------------------------------

def test_lr_logger_reads_every_optimizer_family():
    weights = [torch.nn.Parameter(torch.zeros(2))]
    assert LRLogger.values(torch.optim.SGD(weights, lr=0.1, momentum=0.9)) == {"lr": 0.1, "momentum": 0.9}
    assert LRLogger.values(torch.optim.Adam(weights, lr=1e-3, betas=(0.8, 0.99))) == {"lr": 1e-3, "momentum": 0.8}
    assert LRLogger.values(torch.optim.Adagrad(weights, lr=0.01)) == {"lr": 0.01}
    two = torch.optim.SGD([{"params": weights}, {"params": [torch.nn.Parameter(torch.zeros(1))], "lr": 0.5}], lr=0.1)
    assert LRLogger.values(two) == {"lr/group0": 0.1, "momentum/group0": 0, "lr/group1": 0.5, "momentum/group1": 0}


def test_lr_logger_logs_each_step_and_follows_a_schedule(tmp_path):
    class Halve(Callback):  # a scheduler stepped by a callback, at each epoch end
        def on_fit_start(self, state):
            self.scheduler = torch.optim.lr_scheduler.StepLR(state.optimizer, step_size=1, gamma=0.5)

        def on_epoch_end(self, state, logs):
            self.scheduler.step()

    run = quiet_run(tmp_path / "run")
    train([MetricLogger(run), LRLogger(), Halve()], epochs=3)  # LRLogger() takes the MetricLogger's run
    lr = vk.read_run(tmp_path / "run").query("metric == 'lr'")
    assert lr["step"].tolist() == list(range(18)) and set(lr["split"]) == {"train"}
    assert lr.groupby("epoch")["value"].unique().map(list).tolist() == [[0.1], [0.05], [0.025]]
    momentum = vk.read_run(tmp_path / "run").query("metric == 'momentum'")["value"]
    assert set(momentum) == {0.9}


def test_lr_logger_per_epoch_logs_at_each_epochs_first_step(tmp_path):
    run = quiet_run(tmp_path / "run")
    train([LRLogger(interval="epoch")], epochs=3, run=run)
    lr = vk.read_run(tmp_path / "run").query("metric == 'lr'")
    assert lr[["step", "epoch"]].values.tolist() == [[0, 0], [6, 1], [12, 2]]


def test_lr_logger_with_named_groups_and_its_own_run(tmp_path):
    torch.manual_seed(0)
    body, head = torch.nn.Linear(4, 8), torch.nn.Linear(8, 2)
    model = torch.nn.Sequential(body, torch.nn.ReLU(), head)
    optimizer = torch.optim.Adam([{"params": body.parameters(), "name": "body", "lr": 1e-3},
                                  {"params": head.parameters(), "name": "head", "lr": 1e-2}])
    run = quiet_run(tmp_path / "run")
    train_loader, _ = loaders()
    with run:
        fit(model, train_loader, optimizer=optimizer, loss_fn=torch.nn.functional.cross_entropy, epochs=1,
            callbacks=[LRLogger(run, every=3)], progress=False)
    logged = vk.read_run(tmp_path / "run")
    assert sorted(logged["metric"].unique()) == ["lr/body", "lr/head", "momentum/body", "momentum/head"]
    assert logged.query("metric == 'lr/head'")[["step", "value"]].values.tolist() == [[0, 1e-2], [3, 1e-2]]


def test_lr_logger_needs_a_run():
    with pytest.raises(VizkitValueError, match=r"`run` must be a Run to log to; got None.*MetricLogger"):
        train([LRLogger()])
    with pytest.raises(VizkitValueError, match=r"`interval` must be one of 'step', 'epoch'; got 'batch'"):
        LRLogger(interval="batch")


def test_lr_logger_without_momentum():
    weights = [torch.nn.Parameter(torch.zeros(2))]
    assert LRLogger.values(torch.optim.SGD(weights, lr=0.1, momentum=0.9), momentum=False) == {"lr": 0.1}


# -- one epoch number for one record -----------------------------------------------------------

def test_early_stopping_history_and_read_run_name_the_same_epoch(tmp_path):
    run = quiet_run(tmp_path / "run")
    early = EarlyStopping("val_loss", patience=2)
    _, history = train([early], epochs=30, lr=2.0, run=run)  # a rate this high stops improving early
    assert early.stopped_epoch is not None
    val_history = history.query("split == 'val' and metric == 'loss'").set_index("epoch")["value"]
    logged = vk.read_run(tmp_path / "run").query("split == 'val' and metric == 'loss'").set_index("epoch")["value"]
    assert f"best {early.best:.4g} at epoch {early.best_epoch})" in early.reason
    assert val_history.idxmin() == logged.idxmin() == early.best_epoch               # the same epoch number ...
    assert val_history[early.best_epoch] == logged[early.best_epoch] == early.best  # ... for the same record
    assert history["epoch"].max() == logged.index.max() == early.stopped_epoch       # and the same last epoch


def test_early_stopping_records_its_stop_in_the_run_config(tmp_path):
    run = quiet_run(tmp_path / "run")
    early = EarlyStopping("val_loss", patience=2)
    train([early], epochs=30, lr=2.0, run=run)
    recorded = vk.read_run(tmp_path / "run").attrs["runs"]["run"]["config"]["early_stopping"]
    assert recorded == {"monitor": "val_loss", "mode": "min", "patience": 2, "min_delta": 0.0, "best": early.best,
                        "best_epoch": early.best_epoch, "wait": early.wait, "stopped_epoch": early.stopped_epoch,
                        "reason": early.reason}
    assert recorded["stopped_epoch"] is not None and "did not improve for 2 epochs" in recorded["reason"]
    _, history = train([EarlyStopping("val_loss", patience=2)], epochs=2)      # no run: nothing to record, no error
    assert history["epoch"].max() == 1
