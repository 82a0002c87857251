"""VizkitCallback: what a LightningModule logs lands in a vizkit run, per step and per epoch, by split."""

import importlib
import json
import sys
import warnings

import pytest

torch = pytest.importorskip("torch")
L = pytest.importorskip("lightning.pytorch")

from torch.utils.data import DataLoader, TensorDataset

import vizkit as vk
from vizkit.errors import MissingDependencyError, VizkitTypeError
from vizkit.torch import Run
from vizkit.torch.lightning import VizkitCallback, metric_name


class TinyModule(L.LightningModule):
    """Logs the ways lectures do: per step, per step and epoch, per epoch only, val with '/' and '_'."""

    def __init__(self, fail_at_step=None):
        super().__init__()
        self.net = torch.nn.Linear(4, 2)
        self.fail_at_step = fail_at_step

    def training_step(self, batch, batch_idx):
        if self.global_step == self.fail_at_step:
            raise RuntimeError("diverged")
        x, y = batch
        out = self.net(x)
        loss = torch.nn.functional.cross_entropy(out, y)
        self.log("train_loss", loss)                                          # per step
        self.log("train_acc", (out.argmax(1) == y).float().mean(), on_step=True, on_epoch=True)
        self.log("grad_norm_proxy", out.abs().mean(), on_step=False, on_epoch=True)  # per epoch, no prefix
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        out = self.net(x)
        self.log("val_loss", torch.nn.functional.cross_entropy(out, y))
        self.log("val/acc", (out.argmax(1) == y).float().mean())

    def test_step(self, batch, batch_idx):
        x, y = batch
        self.log("test_acc", (self.net(x).argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


def loader():
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(48, 4, generator=generator)
    return DataLoader(TensorDataset(x, (x[:, 0] > 0).long()), batch_size=16)   # 3 steps per epoch


def trainer(callback, **kwargs):
    options = dict(max_epochs=2, enable_progress_bar=False, logger=False, enable_checkpointing=False,
                   enable_model_summary=False, accelerator="cpu")
    return L.Trainer(callbacks=[callback], **{**options, **kwargs})


@pytest.fixture(autouse=True)
def _quiet_lightning():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*(does not have many workers|LeafSpec|litlogger).*")
        yield


def test_steps_epochs_and_splits(tmp_path):
    torch.manual_seed(0)
    run = Run(tmp_path / "run", flush_secs=None)
    trainer(VizkitCallback(run)).fit(TinyModule(), loader(), loader())
    assert run.closed and json.loads((tmp_path / "run" / "meta.json").read_text())["status"] == "finished"
    logged = vk.read_run(tmp_path / "run")
    series = {key: frame[["step", "epoch"]].values.tolist() for key, frame in logged.groupby(["split", "metric"])}
    assert series == {
        ("train", "loss"): [[0, 0], [1, 0], [2, 0], [3, 1], [4, 1], [5, 1]],          # per step, from 0
        ("train", "acc"): [[0, 0], [1, 0], [2, 0], [3, 1], [4, 1], [5, 1]],           # its _epoch twin is not repeated
        ("train", "grad_norm_proxy"): [[2, 0], [5, 1]],                               # per epoch only
        ("val", "loss"): [[2, 0], [5, 1]],                                            # no sanity-check record
        ("val", "acc"): [[2, 0], [5, 1]],                                             # 'val/acc'
        ("train", "lr"): [[0, 0], [1, 0], [2, 0], [3, 1], [4, 1], [5, 1]],            # the optimizer's rate
    }
    assert logged.query("split == 'val' and metric == 'acc'")["value"].between(0, 1).all()


def test_values_match_what_lightning_computed(tmp_path):
    torch.manual_seed(0)
    run = Run(tmp_path / "run", flush_secs=None)
    fitter = trainer(VizkitCallback(run))
    fitter.fit(TinyModule(), loader(), loader())
    logged = vk.read_run(tmp_path / "run").set_index(["split", "metric", "step"])["value"]
    final = fitter.callback_metrics
    assert logged["val", "loss", 5] == pytest.approx(float(final["val_loss"]))
    assert logged["val", "acc", 5] == pytest.approx(float(final["val/acc"]))
    assert logged["train", "grad_norm_proxy", 5] == pytest.approx(float(final["grad_norm_proxy"]))
    assert logged["train", "acc"].loc[3:5].mean() == pytest.approx(float(final["train_acc_epoch"]))


def test_test_metrics_after_fit_with_close_false(tmp_path):
    torch.manual_seed(0)
    run = Run(tmp_path / "run", flush_secs=None)
    fitter = trainer(VizkitCallback(run, close=False))
    module = TinyModule()
    fitter.fit(module, loader(), loader())
    assert not run.closed
    fitter.test(module, loader(), verbose=False)
    run.close()
    test = vk.read_run(tmp_path / "run").query("split == 'test'")
    assert fitter.current_epoch == 2                             # Lightning's count: one past the last epoch
    assert test[["metric", "step", "epoch"]].values.tolist() == [["acc", 5, 1]]  # at the last epoch trained


def test_a_test_without_a_fit_has_no_epoch(tmp_path):
    run = Run(tmp_path / "run", flush_secs=None)
    trainer(VizkitCallback(run)).test(TinyModule(), loader(), verbose=False)
    run.close()
    test = vk.read_run(tmp_path / "run").query("split == 'test'")
    assert test[["metric", "step"]].values.tolist() == [["acc", 0]] and test["epoch"].isna().all()


def test_lightning_early_stopping_val_records_and_test_name_the_same_epochs(tmp_path):
    class Diverging(TinyModule):  # the validation loss only grows: Lightning's EarlyStopping ends epoch 2
        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=0.5, maximize=True)

    torch.manual_seed(0)
    seen = []

    class Epochs(L.Callback):  # the epoch Lightning reports for each validation
        def on_validation_end(self, trainer, module):
            if not trainer.sanity_checking:
                seen.append((trainer.current_epoch, float(trainer.callback_metrics["val_loss"])))

    run = Run(tmp_path / "run", flush_secs=None)
    stop = L.callbacks.EarlyStopping("val_loss", patience=2)
    fitter = trainer(VizkitCallback(run, close=False), max_epochs=10)
    fitter.callbacks.extend([stop, Epochs()])
    module = Diverging()
    fitter.fit(module, loader(), loader())
    fitter.test(module, loader(), verbose=False)
    run.close()
    logged = vk.read_run(tmp_path / "run")
    val = logged.query("split == 'val' and metric == 'loss'")
    assert stop.stopped_epoch == 2 and [epoch for epoch, _ in seen] == [0, 1, 2]
    assert val["epoch"].tolist() == [epoch for epoch, _ in seen]
    assert val["value"].tolist() == pytest.approx([value for _, value in seen])
    assert logged.query("split == 'test'")["epoch"].tolist() == [stop.stopped_epoch]


# -- learning rates ------------------------------------------------------------------------------

class Scheduled(TinyModule):
    """Two parameter groups, a rate halved after every epoch."""

    def configure_optimizers(self):
        optimizer = torch.optim.SGD([{"params": self.net.weight}, {"params": self.net.bias, "lr": 0.5}], lr=0.1)
        return {"optimizer": optimizer, "lr_scheduler": torch.optim.lr_scheduler.StepLR(optimizer, 1, gamma=0.5)}


def test_the_rate_of_every_param_group_is_logged_at_each_step(tmp_path):
    torch.manual_seed(0)
    run = Run(tmp_path / "run", flush_secs=None)
    trainer(VizkitCallback(run)).fit(Scheduled(), loader(), loader())
    lr = vk.read_run(tmp_path / "run").query("metric.str.startswith('lr')", engine="python")
    by_metric = {metric: frame[["step", "epoch", "value"]].values.tolist() for metric, frame in lr.groupby("metric")}
    assert by_metric == {  # the rate each step used: the epoch's, halved after epoch 0
        "lr/group0": [[0, 0, 0.1], [1, 0, 0.1], [2, 0, 0.1], [3, 1, 0.05], [4, 1, 0.05], [5, 1, 0.05]],
        "lr/group1": [[0, 0, 0.5], [1, 0, 0.5], [2, 0, 0.5], [3, 1, 0.25], [4, 1, 0.25], [5, 1, 0.25]]}
    assert set(lr["split"]) == {"train"}


class TwoOptimizers(TinyModule):
    """Manual optimization with two optimizers, as a GAN steps them."""

    def __init__(self):
        super().__init__()
        self.automatic_optimization = False
        self.other = torch.nn.Linear(4, 2)

    def training_step(self, batch, batch_idx):
        x, y = batch
        for optimizer, net in zip(self.optimizers(), (self.net, self.other)):
            loss = torch.nn.functional.cross_entropy(net(x), y)
            optimizer.zero_grad()
            self.manual_backward(loss)
            optimizer.step()
        self.log("train_loss", loss)

    def configure_optimizers(self):
        return torch.optim.Adam(self.net.parameters(), lr=1e-3), torch.optim.SGD(self.other.parameters(), lr=0.1)


def test_the_rates_of_several_optimizers_are_named_by_index(tmp_path):
    run = Run(tmp_path / "run", flush_secs=None)
    trainer(VizkitCallback(run)).fit(TwoOptimizers(), loader(), loader())
    logged = vk.read_run(tmp_path / "run")
    rates = logged.query("metric.str.startswith('lr')", engine="python").groupby("metric")["value"].unique()
    assert rates.map(list).to_dict() == {"lr/opt0": [1e-3], "lr/opt1": [0.1]}
    assert logged.query("metric == 'lr/opt0'")["step"].is_unique


def test_lr_false_logs_no_rate(tmp_path):
    run = Run(tmp_path / "run", flush_secs=None)
    trainer(VizkitCallback(run, lr=False)).fit(TinyModule(), loader(), loader())
    assert not vk.read_run(tmp_path / "run")["metric"].str.startswith("lr").any()


def test_test_after_a_closed_run_warns(tmp_path):
    run = Run(tmp_path / "run", flush_secs=None)
    fitter = trainer(VizkitCallback(run))
    module = TinyModule()
    fitter.fit(module, loader(), loader())
    with pytest.warns(UserWarning, match=r"was closed at the end of fit.*VizkitCallback\(run, close=False\)"):
        fitter.test(module, loader(), verbose=False)


def test_a_crash_in_training_marks_the_run_crashed(tmp_path):
    run = Run(tmp_path / "run", flush_secs=None)
    with pytest.raises(RuntimeError, match="diverged"):
        trainer(VizkitCallback(run)).fit(TinyModule(fail_at_step=4), loader(), loader())
    assert json.loads((tmp_path / "run" / "meta.json").read_text())["status"] == "crashed"
    logged = vk.read_run(tmp_path / "run")
    assert logged.query("split == 'train' and metric == 'loss'")["step"].tolist() == [0, 1, 2, 3]


@pytest.mark.parametrize("key, split, expected", [
    ("val_loss", "train", ("val", "loss")), ("val/acc", "train", ("val", "acc")),
    ("valid_loss", "train", ("val", "loss")), ("validation/f1", "train", ("val", "f1")),
    ("test_acc", "val", ("test", "acc")), ("train/loss_step", "train", ("train", "loss")),
    ("train_acc_epoch", "train", ("train", "acc")), ("loss", "val", ("val", "loss")),
    ("lr-SGD", "train", ("train", "lr-SGD")), ("value_step", "train", ("train", "value")),
])
def test_metric_names(key, split, expected):
    assert metric_name(key, split) == expected


def test_refuses_a_non_run():
    with pytest.raises(VizkitTypeError, match=r"`run` must be a vizkit.torch.Run"):
        VizkitCallback("runs/x")


def test_missing_lightning_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "lightning.pytorch", None)  # as if not installed
    monkeypatch.delitem(sys.modules, "vizkit.torch.lightning")
    with pytest.raises(MissingDependencyError, match=r"vizkit.torch.lightning needs the 'lightning' package.*vizkit\[lightning\]"):
        importlib.import_module("vizkit.torch.lightning")
    monkeypatch.undo()
    importlib.import_module("vizkit.torch.lightning")
