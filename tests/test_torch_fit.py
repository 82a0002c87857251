"""fit(): a plain loop that returns a chartable history, honours callbacks, and never syncs per step."""

import json

import pandas as pd
import pytest

torch = pytest.importorskip("torch")

from torch.utils.data import DataLoader, TensorDataset

import vizkit as vk
from vizkit.errors import VizkitTypeError, VizkitValueError
from vizkit.torch import Callback, EarlyStopping, MetricLogger, Run, fit
from vizkit.torch.loop import accuracy, evaluate
from tests.cuda_checks import fit_without_sync_inside_epochs

cross_entropy = torch.nn.functional.cross_entropy


def data(n=10, seed=0):
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 3, generator=generator)
    return x, (x[:, 0] > 0).long()


def small_model(seed=0):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(3, 6), torch.nn.Tanh(), torch.nn.Linear(6, 2))


def test_history_is_a_long_frame_like_read_run(tmp_path):
    x, y = data(40)
    train, val = DataLoader(TensorDataset(x, y), batch_size=8), DataLoader(TensorDataset(x[:16], y[:16]), batch_size=8)
    model = small_model()
    run = Run(tmp_path / "mlp", flush_secs=None)
    history = fit(model, train, val_loader=val, optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
                  loss_fn=cross_entropy, epochs=3, metrics={"acc": accuracy}, run=run, progress=False)
    logged = vk.read_run(tmp_path / "mlp")
    assert list(history.columns) == ["run", "step", "epoch", "split", "metric", "value", "time"]
    assert history.dtypes.to_dict() == logged[history.columns].dtypes.to_dict()  # the dtypes of read_run too
    assert len(history) == 3 * 4                                   # 3 epochs x (train, val) x (loss, acc)
    assert set(history["run"]) == {"mlp"}
    assert history["step"].unique().tolist() == [4, 9, 14]          # the last step of each epoch
    assert history.equals(history.sort_values(["run", "split", "metric", "step"]).reset_index(drop=True))
    assert (history["time"] >= 0).all()
    # the validation rows are exactly what the run logged
    val_logged = logged.query("split == 'val'").reset_index(drop=True)
    val_history = history.query("split == 'val'").reset_index(drop=True)
    pd.testing.assert_frame_equal(val_logged[["step", "epoch", "split", "metric"]].astype(str),
                                  val_history[["step", "epoch", "split", "metric"]].astype(str))
    assert val_logged["value"].to_numpy() == pytest.approx(val_history["value"].to_numpy())
    wide = history.pivot_table(index="epoch", columns=["split", "metric"], values="value")
    assert wide.shape == (3, 4)


def test_train_values_are_size_weighted_epoch_means_and_val_values_come_from_evaluate():
    x, y = data(10)
    loader = DataLoader(TensorDataset(x, y), batch_size=4)           # batches of 4, 4 and 2
    model = small_model()
    frozen = torch.optim.SGD(model.parameters(), lr=0.0)             # lr 0: the model never changes
    history = fit(model, loader, val_loader=loader, optimizer=frozen, loss_fn=cross_entropy, epochs=1,
                  metrics={"acc": accuracy}, progress=False)
    with torch.no_grad():
        outputs = model(x)
    expected = {"loss": cross_entropy(outputs, y).item(), "acc": accuracy(outputs, y).item()}
    for split in ("train", "val"):
        got = history.query("split == @split").set_index("metric")["value"]
        assert got["loss"] == pytest.approx(expected["loss"], rel=1e-6)
        assert got["acc"] == pytest.approx(expected["acc"])
    assert evaluate(model, loader, loss_fn=cross_entropy, metrics={"acc": accuracy}, prefix="test_") == pytest.approx(
        {"test_loss": expected["loss"], "test_acc": expected["acc"]}, rel=1e-6)


def test_the_model_trains_and_validates_in_the_right_modes():
    seen = []

    class Probe(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.linear = torch.nn.Linear(3, 2)

        def forward(self, inputs):
            seen.append((self.training, torch.is_grad_enabled()))
            return self.linear(inputs)

    x, y = data(8)
    loader = DataLoader(TensorDataset(x, y), batch_size=4)
    model = Probe()
    fit(model, loader, val_loader=loader, optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
        loss_fn=cross_entropy, epochs=2, progress=False)
    per_epoch = [(True, True)] * 2 + [(False, False)] * 2        # 2 training batches, then 2 validation batches
    assert seen == per_epoch * 2
    assert model.training                                          # left in training mode, as found


def test_the_loss_goes_down_on_a_learnable_problem():
    x, y = data(256, seed=1)
    loader = DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True)
    model = small_model()
    history = fit(model, loader, optimizer=torch.optim.Adam(model.parameters(), lr=0.05), loss_fn=cross_entropy,
                  epochs=8, metrics={"acc": accuracy}, progress=False)
    loss = history.query("metric == 'loss'")["value"].to_numpy()
    acc = history.query("metric == 'acc'")["value"].to_numpy()
    assert loss[-1] < loss[0] / 2 and acc[-1] > 0.9


def test_stop_training_mid_epoch_still_validates_and_ends_the_epoch():
    events = []

    class StopAtStep(Callback):
        def on_batch_end(self, state, logs):
            events.append(("batch", state.step))
            state.stop_training = state.step == 3

        def on_validation_end(self, state, logs):
            events.append(("val", state.step))

        def on_epoch_end(self, state, logs):
            events.append(("epoch_end", state.epoch))

        def on_fit_end(self, state):
            events.append(("fit_end", state.step))

    x, y = data(12)
    loader = DataLoader(TensorDataset(x, y), batch_size=2)          # 6 batches per epoch
    model = small_model()
    history = fit(model, loader, val_loader=loader, optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
                  loss_fn=cross_entropy, epochs=5, callbacks=[StopAtStep()], progress=False)
    assert events == [("batch", 0), ("batch", 1), ("batch", 2), ("batch", 3), ("val", 3), ("epoch_end", 0), ("fit_end", 3)]
    assert history["epoch"].unique().tolist() == [0] and history["step"].unique().tolist() == [3]


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt()])
def test_on_exception_runs_then_the_error_propagates(error, tmp_path):
    seen = []

    class Watch(Callback):
        def on_batch_end(self, state, logs):
            if state.step == 2:
                raise error

        def on_exception(self, state, caught):
            seen.append((type(caught), state.step))

        def on_fit_end(self, state):
            seen.append("fit_end")

    class Broken(Callback):
        def on_exception(self, state, caught):
            raise ValueError("a broken callback")

    x, y = data(8)
    model = small_model()
    run = Run(tmp_path / "run", flush_secs=None)
    with pytest.raises(type(error)), pytest.warns(UserWarning, match="Broken.on_exception failed: ValueError"):
        fit(model, DataLoader(TensorDataset(x, y), batch_size=2), optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
            loss_fn=cross_entropy, epochs=2, callbacks=[Broken(), Watch()], run=run, progress=False)
    assert seen == [(type(error), 2)]                                 # on_fit_end never ran
    assert json.loads((tmp_path / "run" / "meta.json").read_text())["status"] == "crashed"
    assert vk.read_run(tmp_path / "run").query("metric == 'loss'")["step"].tolist() == [0, 1, 2]


def test_no_host_conversion_per_step(monkeypatch):
    """Conversions to Python numbers happen once per epoch, however many batches there are."""
    counts = []

    def count_conversions(batch_size):
        calls = []
        for name in ("item", "cpu", "tolist", "__float__", "numpy"):
            original = getattr(torch.Tensor, name)
            monkeypatch.setattr(torch.Tensor, name, lambda self, *a, _o=original, _n=name, **k: (calls.append(_n), _o(self, *a, **k))[1])
        x, y = data(64)
        loader = DataLoader(TensorDataset(x, y), batch_size=batch_size)
        model = small_model()
        fit(model, loader, val_loader=loader, optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
            loss_fn=cross_entropy, epochs=2, metrics={"acc": accuracy}, progress=False)
        monkeypatch.undo()
        return len(calls)

    counts = [count_conversions(32), count_conversions(2)]          # 2 and 32 batches per epoch
    assert counts[0] == counts[1] > 0


def test_run_shorthand_adds_one_metric_logger(tmp_path):
    x, y = data(8)
    loader = DataLoader(TensorDataset(x, y), batch_size=4)
    model = small_model()
    run = Run(tmp_path / "run", flush_secs=None)
    seen = []

    class Peek(Callback):
        def on_fit_start(self, state):
            seen.append(state.run)

    fit(model, loader, optimizer=torch.optim.SGD(model.parameters(), lr=0.1), loss_fn=cross_entropy, epochs=1,
        callbacks=[MetricLogger(run), Peek()], run=run, progress=False)
    assert seen == [run]
    assert vk.read_run(tmp_path / "run")["step"].tolist() == [0, 1]   # logged once, not twice


def test_initial_epoch_continues_steps_for_a_resumed_run(tmp_path):
    x, y = data(8)
    loader = DataLoader(TensorDataset(x, y), batch_size=4)          # 2 steps per epoch
    model = small_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    fit(model, loader, optimizer=optimizer, loss_fn=cross_entropy, epochs=2, run=Run(tmp_path / "run"), progress=False)
    history = fit(model, loader, optimizer=optimizer, loss_fn=cross_entropy, epochs=4, initial_epoch=2,
                  run=Run(tmp_path / "run", resume=True), progress=False)
    assert history["epoch"].unique().tolist() == [2, 3] and history["step"].unique().tolist() == [5, 7]
    logged = vk.read_run(tmp_path / "run")
    assert logged["step"].tolist() == list(range(8)) and logged["epoch"].tolist() == [0, 0, 1, 1, 2, 2, 3, 3]


def test_device_moves_model_and_batches():
    x, y = data(8)
    model = small_model()
    history = fit(model, DataLoader(TensorDataset(x, y), batch_size=4), optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
                  loss_fn=cross_entropy, epochs=1, device="cpu", progress=False)
    assert next(model.parameters()).device.type == "cpu" and len(history) == 1


def test_the_progress_bar_names_the_epoch_and_its_values(capsys):
    x, y = data(8)
    model = small_model()
    fit(model, DataLoader(TensorDataset(x, y), batch_size=4), optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
        loss_fn=cross_entropy, epochs=2, metrics={"acc": accuracy}, progress=True)
    err = capsys.readouterr().err
    assert "epoch 1 (of 0-1)" in err and "4/4" in err and "loss=" in err and "acc=" in err  # epochs as logged


def test_history_draws_with_curves():
    curves = pytest.importorskip("vizkit.ml.learning_curves")
    x, y = data(32)
    loader = DataLoader(TensorDataset(x, y), batch_size=8)
    model = small_model()
    history = fit(model, loader, val_loader=loader, optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
                  loss_fn=cross_entropy, epochs=4, progress=False)
    ax = curves.curves(history, metric="loss", x="epoch")
    assert len(ax.get_lines()) >= 2


def test_bad_arguments_are_named():
    x, y = data(8)
    loader = DataLoader(TensorDataset(x, y), batch_size=4)
    model = small_model()
    sgd = torch.optim.SGD(model.parameters(), lr=0.1)
    common = {"optimizer": sgd, "loss_fn": cross_entropy, "epochs": 1, "progress": False}
    with pytest.raises(VizkitTypeError, match=r"`model` must be a torch.nn.Module"):
        fit(lambda t: t, loader, **common)
    with pytest.raises(VizkitTypeError, match=r"`optimizer` must be a torch.optim.Optimizer"):
        fit(model, loader, **{**common, "optimizer": "sgd"})
    with pytest.raises(VizkitTypeError, match=r"`epochs` must be an int >= 1; got 2.5"):
        fit(model, loader, **{**common, "epochs": 2.5})
    with pytest.raises(VizkitValueError, match=r"`epochs` must be an int >= 1; got 0"):
        fit(model, loader, **{**common, "epochs": 0})
    with pytest.raises(VizkitTypeError, match=r"`metrics` must be a dict of name -> callable"):
        fit(model, loader, metrics=[accuracy], **common)
    with pytest.raises(VizkitValueError, match=r"`metrics` must be names that are not 'loss'.*got 'val_acc'"):
        fit(model, loader, metrics={"val_acc": accuracy}, **common)
    with pytest.raises(VizkitTypeError, match=r"`callbacks\[0\]` must be a vizkit.torch.Callback"):
        fit(model, loader, callbacks=[print], **common)
    with pytest.raises(VizkitValueError, match=r"`train_loader` must be a loader of \(inputs, targets\) pairs; got a batch of type list with 3 items"):
        fit(model, DataLoader(TensorDataset(x, y, y), batch_size=4), **common)
    with pytest.raises(VizkitValueError, match=r"`train_loader` must be a loader that yields at least one batch; got an empty loader"):
        fit(model, [], **common)
    with pytest.raises(VizkitValueError, match=r"`loader` must be a loader that yields at least one batch"):
        fit(model, loader, val_loader=[], **common)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_no_synchronisation_per_step_on_cuda(tmp_path):
    """Between the first and the last batch of an epoch nothing waits for the GPU."""
    x, y = data(512)
    loader = DataLoader(TensorDataset(x, y), batch_size=32)           # 16 steps per epoch
    model = small_model().cuda()

    run = Run(tmp_path / "run", flush_secs=None)
    fit_without_sync_inside_epochs(model, loader, optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
                                   loss_fn=cross_entropy, epochs=2, metrics={"acc": accuracy},
                                   callbacks=[MetricLogger(run)])
    assert len(vk.read_run(tmp_path / "run").query("metric == 'loss'")) == 32


# -- callbacks given alone, a loss that is not one number ---------------------------------------

def test_a_single_callback_is_taken_as_a_list_of_one():
    x, y = data(8)
    loader = DataLoader(TensorDataset(x, y), batch_size=4)
    model = small_model()
    early = EarlyStopping("loss", patience=0, min_delta=10.0)  # nothing improves by 10: stops after epoch 1
    history = fit(model, loader, optimizer=torch.optim.SGD(model.parameters(), lr=0.1), loss_fn=cross_entropy,
                  epochs=5, callbacks=early, progress=False)
    assert early.stopped_epoch == 1 and history["epoch"].unique().tolist() == [0, 1]
    with pytest.raises(VizkitTypeError, match=r"`callbacks` must be a vizkit.torch.Callback or a list of them; got 'early'"):
        fit(model, loader, optimizer=torch.optim.SGD(model.parameters(), lr=0.1), loss_fn=cross_entropy, epochs=1,
            callbacks="early", progress=False)


@pytest.mark.parametrize(("loss_fn", "error", "message"), [
    (lambda out, y: cross_entropy(out, y, reduction="none"), VizkitValueError,
     r"`loss_fn` must be a callable\(outputs, targets\) returning a 0-dim tensor \(the mean loss of the batch\); "
     r"got a tensor of shape \(4,\)\. Reduce it to one number: .*reduction='none'.*loss.mean\(\)"),
    (lambda out, y: cross_entropy(out, y).item(), VizkitTypeError, r"`loss_fn` must be .*; got a float, \d\.\d+\.$"),
    (lambda out, y: cross_entropy(out, y).detach(), VizkitValueError,
     r"`loss_fn` must be .* that requires grad; got a tensor without a grad_fn\. Was it computed under torch.no_grad"),
])
def test_a_loss_that_is_not_one_number_to_minimise_is_named(loss_fn, error, message):
    x, y = data(8)
    model = small_model()
    with pytest.raises(error, match=message):
        fit(model, DataLoader(TensorDataset(x, y), batch_size=4), optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
            loss_fn=loss_fn, epochs=1, progress=False)


def test_evaluate_checks_its_loss_too():
    x, y = data(8)
    with pytest.raises(VizkitValueError, match=r"`loss_fn` must be .*; got a tensor of shape \(4,\)"):
        evaluate(small_model(), DataLoader(TensorDataset(x, y), batch_size=4),
                 loss_fn=lambda out, y: cross_entropy(out, y, reduction="none"))


# -- scheduler= ----------------------------------------------------------------------------------

def scheduled_fit(tmp_path, make_scheduler, *, epochs=3, val=False, **kwargs):
    """fit() on 6 batches per epoch with the scheduler ``make_scheduler(optimizer)``; the run's lr rows."""
    x, y = data(24)
    loader = DataLoader(TensorDataset(x, y), batch_size=4)
    model = small_model()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    run = Run(tmp_path / "run", flush_secs=None)
    history = fit(model, loader, val_loader=loader if val else None, optimizer=optimizer, loss_fn=cross_entropy,
                  epochs=epochs, scheduler=make_scheduler(optimizer), run=run, progress=False, **kwargs)
    logged = vk.read_run(tmp_path / "run")
    return history, logged.query("metric.str.startswith('lr')", engine="python"), optimizer


def test_an_epoch_scheduler_is_stepped_after_each_epoch_and_its_rate_logged_per_epoch(tmp_path):
    history, lr, optimizer = scheduled_fit(tmp_path, lambda opt: torch.optim.lr_scheduler.StepLR(opt, 1, gamma=0.5))
    assert lr[["step", "epoch", "split", "metric", "value"]].values.tolist() == [
        [0, 0, "train", "lr", 0.1], [6, 1, "train", "lr", 0.05], [12, 2, "train", "lr", 0.025]]  # each epoch's rate
    assert optimizer.param_groups[0]["lr"] == pytest.approx(0.0125)       # stepped after the last epoch too
    assert set(history["metric"]) == {"loss"}                              # the history holds the metrics only


def test_a_step_scheduler_logs_the_rate_each_step_used(tmp_path):
    seen = []

    class Probe(Callback):  # what the optimizer used at this step
        def on_batch_end(self, state, logs):
            seen.append(state.optimizer.param_groups[0]["lr"])

    _, lr, _ = scheduled_fit(tmp_path, lambda opt: torch.optim.lr_scheduler.LambdaLR(opt, lambda step: 1 / (1 + step)),
                             epochs=2, scheduler_interval="step", callbacks=[Probe()])
    assert lr["step"].tolist() == list(range(12)) and lr["epoch"].tolist() == [0] * 6 + [1] * 6
    assert lr["value"].tolist() == pytest.approx([0.1 / (1 + step) for step in range(12)]) == seen


def test_reduce_on_plateau_is_given_the_monitored_epoch_value(tmp_path):
    values = []

    class Plateau(torch.optim.lr_scheduler.ReduceLROnPlateau):
        def step(self, metrics):
            values.append(metrics)
            super().step(metrics)

    history, lr, _ = scheduled_fit(tmp_path, lambda opt: Plateau(opt, patience=0, factor=0.5, threshold=10.0),
                                   val=True)  # nothing improves by 1000 %: the rate halves after every epoch
    assert values == history.query("split == 'val' and metric == 'loss'")["value"].tolist()  # val_loss by default
    assert lr["value"].tolist() == [0.1, 0.05, 0.025]


def test_several_param_groups_are_logged_as_lr_logger_names_them(tmp_path):
    x, y = data(8)
    model = small_model()
    optimizer = torch.optim.SGD([{"params": model[0].parameters()}, {"params": model[2].parameters(), "lr": 0.5}],
                                lr=0.1)
    run = Run(tmp_path / "run", flush_secs=None)
    fit(model, DataLoader(TensorDataset(x, y), batch_size=4), optimizer=optimizer, loss_fn=cross_entropy, epochs=1,
        scheduler=torch.optim.lr_scheduler.StepLR(optimizer, 1), scheduler_interval="step", run=run, progress=False)
    lr = vk.read_run(tmp_path / "run").query("metric != 'loss'")
    assert lr.groupby("metric")["value"].first().to_dict() == {"lr/group0": 0.1, "lr/group1": 0.5}


def test_bad_schedulers_are_named(tmp_path):
    x, y = data(8)
    loader = DataLoader(TensorDataset(x, y), batch_size=4)
    model = small_model()
    sgd = torch.optim.SGD(model.parameters(), lr=0.1)
    common = {"optimizer": sgd, "loss_fn": cross_entropy, "epochs": 1, "progress": False}
    other = torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(VizkitTypeError, match=r"`scheduler` must be a torch.optim.lr_scheduler instance"):
        fit(model, loader, scheduler="cosine", **common)
    with pytest.raises(VizkitValueError, match=r"`scheduler` must be a scheduler of the optimizer given to fit; "
                                               r"got a StepLR of another optimizer"):
        fit(model, loader, scheduler=torch.optim.lr_scheduler.StepLR(other, 1), **common)
    with pytest.raises(VizkitValueError, match=r"`scheduler_interval` must be one of 'epoch', 'step'; got 'batch'"):
        fit(model, loader, scheduler=torch.optim.lr_scheduler.StepLR(sgd, 1), scheduler_interval="batch", **common)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(sgd)
    with pytest.raises(VizkitValueError, match=r"`scheduler_interval` must be 'epoch' for ReduceLROnPlateau"):
        fit(model, loader, scheduler=plateau, scheduler_interval="step", **common)
    with pytest.raises(VizkitValueError, match=r"`scheduler_monitor` must be a key of the epoch logs \('loss'\); got 'val_loss'"):
        fit(model, loader, scheduler=plateau, scheduler_monitor="val_loss", **common)
    with pytest.raises(VizkitValueError, match=r"`scheduler_monitor` must be None for a StepLR"):
        fit(model, loader, scheduler=torch.optim.lr_scheduler.StepLR(sgd, 1), scheduler_monitor="loss", **common)
    with pytest.warns(UserWarning, match=r"ReduceLROnPlateau has mode='min', but a higher 'acc' looks better"):
        fit(model, loader, scheduler=plateau, scheduler_monitor="acc", metrics={"acc": accuracy}, **common)
