"""Other tools' CSV logs as they really are: Lightning's CSVLogger after a crash, a test, a resume;
Keras' CSVLogger(append=True) sessions; hparams.yaml holding Python objects.

The Lightning fixtures are written by Lightning itself (a tiny model trained
for real). Keras is not installed, so its file is written the way
``keras.callbacks.CSVLogger`` writes it (keras/src/callbacks/csv_logger.py):
``csv.DictWriter`` with the excel dialect, ``epoch`` then the sorted log
keys, and with ``append=True`` a header only when the file is empty.
"""

from __future__ import annotations

import csv
import warnings

import numpy as np
import pytest

import vizkit as vk
from vizkit.io._csvlogs import read_hparams

def series(frame, split, metric, column="value"):
    rows = frame[(frame["split"] == split) & (frame["metric"] == metric)]
    return rows[column].tolist()


def read_quietly(path, reader=vk.read_run):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return reader(path)


# ---------------------------------------------------------------- Lightning, trained for real
# A module fixture: importing Lightning is most of its cost (seconds), the four fits take well under one.
@pytest.fixture(scope="module")
def lightning_logs(tmp_path_factory):
    """Four CSVLogger version folders of one tiny model (3 steps per epoch).

    crash/version_0: raises at step 2, in its first epoch (only ``*_step`` columns);
    fit/version_0: 2 epochs, then ``trainer.test()``; its hparams hold a class and a module;
    resume/version_0: 2 epochs with a checkpoint; resume/version_5: resumed from it to 4 epochs.
    """
    torch = pytest.importorskip("torch")
    L = pytest.importorskip("lightning.pytorch")
    from lightning.pytorch.loggers import CSVLogger
    from torch.utils.data import DataLoader, TensorDataset

    class Tiny(L.LightningModule):
        def __init__(self, lr=0.1, loss_cls=None, activation=None, crash_at=None):
            super().__init__()
            self.save_hyperparameters()
            self.net = torch.nn.Linear(4, 2)

        def training_step(self, batch, batch_idx):
            if self.global_step == self.hparams.crash_at:
                raise RuntimeError("diverged")
            x, y = batch
            loss = torch.nn.functional.cross_entropy(self.net(x), y)
            self.log("train_loss", loss, on_step=True, on_epoch=True)
            return loss

        def validation_step(self, batch, batch_idx):
            x, y = batch
            self.log("val_loss", torch.nn.functional.cross_entropy(self.net(x), y))

        def test_step(self, batch, batch_idx):
            x, y = batch
            self.log("test_acc", (self.net(x).argmax(1) == y).float().mean())

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=self.hparams.lr)

    generator = torch.Generator().manual_seed(0)
    x = torch.randn(48, 4, generator=generator)
    data = DataLoader(TensorDataset(x, (x[:, 0] > 0).long()), batch_size=16)

    root = tmp_path_factory.mktemp("lightning")

    def trainer(name, version=0, **kwargs):
        return L.Trainer(logger=CSVLogger(root, name=name, version=version), log_every_n_steps=1,
                         enable_progress_bar=False, enable_model_summary=False, accelerator="cpu", **kwargs)

    torch.manual_seed(0)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore")
        with pytest.raises(RuntimeError, match="diverged"):
            trainer("crash", max_epochs=2, enable_checkpointing=False).fit(Tiny(crash_at=2), data, data)
        fit = trainer("fit", max_epochs=2, enable_checkpointing=False)
        model = Tiny(loss_cls=torch.nn.CrossEntropyLoss, activation=torch.nn.ReLU())
        fit.fit(model, data, data)
        fit.test(model, data)
        trainer("resume", max_epochs=2).fit(Tiny(), data, data)
        checkpoint = next((root / "resume" / "version_0" / "checkpoints").glob("*.ckpt"))
        trainer("resume", version=5, max_epochs=4).fit(Tiny(), data, data, ckpt_path=str(checkpoint))
    return root


def test_a_run_stopped_in_its_first_epoch_names_its_loss_loss(lightning_logs):
    folder = lightning_logs / "crash" / "version_0"
    header = (folder / "metrics.csv").read_text().splitlines()[0]
    assert header == "epoch,step,train_loss_step"  # Lightning never reached the epoch end that writes _epoch
    frame = read_quietly(folder)
    assert frame[["split", "metric"]].drop_duplicates().values.tolist() == [["train", "loss"]]
    assert series(frame, "train", "loss", "step") == [0, 1]
    assert series(frame, "train", "loss", "epoch") == [0, 0]


@pytest.mark.filterwarnings("ignore:.*saved with YAML tags")  # the fit run's hparams; tested below
def test_a_finished_run_keeps_loss_per_step_and_loss_epoch_per_epoch(lightning_logs):
    frame = vk.read_run(lightning_logs / "fit" / "version_0")
    assert frame[["split", "metric"]].drop_duplicates().values.tolist() == [
        ["test", "acc"], ["train", "loss"], ["train", "loss_epoch"], ["val", "loss"]]
    assert series(frame, "train", "loss", "step") == list(range(6))
    assert series(frame, "train", "loss", "epoch") == [0, 0, 0, 1, 1, 1]
    assert series(frame, "train", "loss_epoch", "epoch") == [0, 1]
    assert series(frame, "val", "loss", "epoch") == [0, 1]


@pytest.mark.filterwarnings("ignore:.*saved with YAML tags")  # the fit run's hparams; tested below
def test_one_name_for_the_loss_whether_or_not_the_epoch_twin_was_written(lightning_logs):
    crashed = read_quietly(lightning_logs / "crash" / "version_0")
    finished = vk.read_run(lightning_logs / "fit" / "version_0")
    assert set(crashed["metric"]) <= set(finished["metric"])
    both = vk.read_runs([lightning_logs / "crash" / "version_0", lightning_logs / "fit" / "version_0"])
    assert set(both.loc[both["metric"] == "loss", "run"]) == {"crash/version_0", "fit/version_0"}


def test_a_step_suffix_logged_through_an_ended_epoch_is_the_users_own_name(tmp_path):
    loggers = pytest.importorskip("lightning.pytorch.loggers")
    logger = loggers.CSVLogger(str(tmp_path), name="m")
    for step in range(6):
        logger.log_metrics({"samples_per_step": 16.0, "train_loss_step": 1.0, "epoch": step // 3}, step=step)
        if step % 3 == 2:
            logger.log_metrics({"train_loss_epoch": 1.0, "epoch": step // 3}, step=step)
    logger.save()
    frame = read_quietly(tmp_path / "m" / "version_0")
    assert sorted(set(frame["metric"])) == ["loss", "loss_epoch", "samples_per_step"]


@pytest.mark.filterwarnings("ignore:.*saved with YAML tags")  # the fit run's hparams; tested below
def test_trainer_test_after_fit_is_read_at_the_last_trained_epoch(lightning_logs):
    folder = lightning_logs / "fit" / "version_0"
    last_line = (folder / "metrics.csv").read_text().splitlines()[-1].split(",")
    assert last_line[:2] == ["2", "6"]  # Lightning writes test at current_epoch (2) and global_step (6)
    frame = vk.read_run(folder)
    assert series(frame, "test", "acc", "epoch") == [1]  # the last epoch trained, where val_loss of epoch 1 is
    assert series(frame, "test", "acc", "step") == [6]  # the step as logged
    assert max(series(frame, "val", "loss", "epoch")) == 1


def test_a_test_run_without_training_before_it_keeps_its_epoch(tmp_path):
    loggers = pytest.importorskip("lightning.pytorch.loggers")
    logger = loggers.CSVLogger(str(tmp_path), name="m")
    logger.log_metrics({"test_acc": 0.9, "epoch": 7}, step=30)  # trainer.test(ckpt_path=...) of epoch 7
    logger.save()
    assert series(read_quietly(tmp_path / "m" / "version_0"), "test", "acc", "epoch") == [7]


def test_a_resumed_lightning_run_keeps_its_logged_epochs(lightning_logs):
    versions = [lightning_logs / "resume" / "version_0", lightning_logs / "resume" / "version_5"]
    assert (versions[1] / "metrics.csv").read_text().splitlines()[1].startswith("2,6,")
    frame = vk.read_runs(versions)
    assert frame["run"].unique().tolist() == ["version_0", "version_5"]
    first, resumed = (frame[frame["run"] == name] for name in ("version_0", "version_5"))
    assert series(first, "val", "loss", "epoch") == [0, 1]
    assert series(resumed, "val", "loss", "epoch") == [2, 3]
    assert series(resumed, "train", "loss", "epoch") == [2, 2, 2, 3, 3, 3]
    assert series(resumed, "train", "loss", "step") == [6, 7, 8, 9, 10, 11]
    assert vk.read_run(versions[1])[["step", "epoch"]].equals(resumed[["step", "epoch"]].reset_index(drop=True))


def test_lightnings_hp_metric_placeholder_is_not_a_metric(tmp_path):
    loggers = pytest.importorskip("lightning.pytorch.loggers")
    logger = loggers.CSVLogger(str(tmp_path), name="m")
    logger.log_metrics({"hp_metric": -1}, step=0)
    logger.log_metrics({"train_loss": 0.5}, step=0)
    logger.save()
    assert read_quietly(tmp_path / "m" / "version_0")["metric"].tolist() == ["loss"]
    logger.log_metrics({"hp_metric": 0.8}, step=5)  # self.log("hp_metric", val_acc): a real value
    logger.save()
    frame = read_quietly(tmp_path / "m" / "version_0")
    assert series(frame, "train", "hp_metric") == [0.8]


# ---------------------------------------------------------------- hparams.yaml with Python tags
def test_python_tagged_hparams_keep_every_plain_key_and_read_as_text(lightning_logs):
    folder = lightning_logs / "fit" / "version_0"
    text = (folder / "hparams.yaml").read_text()
    assert "!!python/name:torch.nn.modules.loss.CrossEntropyLoss" in text
    assert "!!python/object:torch.nn.modules.activation.ReLU" in text
    tags = r"hparams\.yaml: 2 value\(s\) are Python objects saved with YAML tags"
    with pytest.warns(UserWarning, match=tags) as caught:
        frame = vk.read_run(folder)
    assert len([w for w in caught if "YAML tags" in str(w.message)]) == 1
    assert "activation: 'torch.nn.modules.activation.ReLU'" in str(caught[0].message)
    assert frame.attrs["runs"]["version_0"]["config"] == {
        "lr": 0.1, "crash_at": None, "loss_cls": "torch.nn.modules.loss.CrossEntropyLoss",
        "activation": "torch.nn.modules.activation.ReLU"}
    assert (frame["loss_cls"] == "torch.nn.modules.loss.CrossEntropyLoss").all() and (frame["lr"] == 0.1).all()


def test_hparams_loading_constructs_no_python_object(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr("builtins.print", lambda *a, **k: calls.append(a))
    path = tmp_path / "hparams.yaml"
    path.write_text("lr: 0.1\n"
                    "evil: !!python/object/apply:builtins.print [constructed]\n"
                    "module: !!python/module:os\n"
                    "device: !!python/object/apply:torch.device [cpu]\n"
                    "custom: !Tagged {a: 1}\n")
    with pytest.warns(UserWarning, match="4 value"):
        config = read_hparams(path)
    assert calls == []
    assert config == {"lr": 0.1, "evil": "builtins.print(constructed)", "module": "os",
                      "device": "torch.device(cpu)", "custom": "!Tagged"}
    assert all(type(value) in (float, str) for value in config.values())


def test_plain_data_under_python_tags_reads_as_data_without_a_warning(tmp_path):
    yaml = pytest.importorskip("yaml")
    from collections import OrderedDict

    path = tmp_path / "hparams.yaml"
    values = {"lr": np.float64(0.003), "batch": np.int64(64), "half": np.float32(0.5), "flag": np.bool_(True),
              "betas": (0.9, 0.999), "order": OrderedDict(a=1, b=2)}
    path.write_text(yaml.dump(values))  # PyYAML's full dumper, as Lightning's save_hparams_to_yaml uses
    assert "!!python/object/apply:numpy" in path.read_text() and "!!python/tuple" in path.read_text()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        config = read_hparams(path)
    assert config == {"lr": 0.003, "batch": 64, "half": 0.5, "flag": True, "betas": (0.9, 0.999),
                      "order": {"a": 1, "b": 2}}
    assert type(config["lr"]) is float and type(config["batch"]) is int


def test_a_large_hparams_file_reads_with_libyaml(tmp_path):
    yaml = pytest.importorskip("yaml")
    if not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("PyYAML without libyaml")
    from vizkit.io._csvlogs import _hparams_loader

    assert issubclass(_hparams_loader(), yaml.CSafeLoader)
    path = tmp_path / "hparams.yaml"
    labels = {f"class_{i}": i for i in range(2000)}
    path.write_text(yaml.dump({"lr": 0.1, "labels": labels}))
    assert read_hparams(path) == {"lr": 0.1, "labels": labels}


def test_hparams_that_are_not_yaml_warn_and_give_no_config(tmp_path):
    path = tmp_path / "hparams.yaml"
    path.write_text("lr: [0.1\n")
    with pytest.warns(UserWarning, match=r"hparams\.yaml could not be read as YAML \(.*Error\); the run has no config"):
        assert read_hparams(path) == {}
    path.write_bytes(b"lr: \xff\xfe\x00\n")
    with pytest.warns(UserWarning, match="could not be read as YAML"):
        assert read_hparams(path) == {}


# ---------------------------------------------------------------- Keras CSVLogger(append=True)
class KerasCSVLogger:
    """keras.callbacks.CSVLogger's file handling (keras/src/callbacks/csv_logger.py), without Keras."""

    def __init__(self, filename, append=False):
        self.filename, self.append = filename, append

    def fit(self, epochs, *, initial_epoch=0):
        """One ``model.fit(initial_epoch=...)`` session: ``on_train_begin``, one ``on_epoch_end`` per epoch."""
        append_header = True
        if self.append and self.filename.exists():
            with open(self.filename) as handle:
                append_header = not bool(len(handle.readline()))
        with open(self.filename, "a" if self.append else "w") as handle:
            writer = None
            for epoch, logs in enumerate(epochs, start=initial_epoch):
                keys = sorted(logs)
                if writer is None:
                    writer = csv.DictWriter(handle, fieldnames=["epoch"] + keys, dialect=csv.excel)
                    if append_header:
                        writer.writeheader()
                writer.writerow({"epoch": epoch, **{key: logs.get(key, "NA") for key in keys}})


def epochs(lr, n):
    return [{"accuracy": 0.5 + lr * e, "loss": 1.0 - lr * e, "val_accuracy": 0.5, "val_loss": 1.0 - lr * e / 2}
            for e in range(n)]


def test_keras_append_sessions_are_attempts_the_later_wins_from_its_first_epoch(tmp_path):
    path = tmp_path / "training.csv"
    logger = KerasCSVLogger(path, append=True)
    logger.fit(epochs(0.1, 4))  # a first session, epochs 0-3
    logger.fit(epochs(0.05, 3))  # the script run again: epochs 0-2 again, appended
    lines = path.read_text().splitlines()
    assert lines[0] == "epoch,accuracy,loss,val_accuracy,val_loss" and lines.count(lines[0]) == 1
    assert [line.split(",")[0] for line in lines[1:]] == ["0", "1", "2", "3", "0", "1", "2"]
    with pytest.warns(UserWarning, match=r"training\.csv: the epoch restarts at line 6 \(epoch 0 after 3\).*"
                                         r"CSVLogger\(append=True\).*attempts.*\(4 of 7 rows replaced\)") as caught:
        frame = vk.read_run(path)
    assert len(caught) == 1
    assert series(frame, "train", "loss", "epoch") == [0, 1, 2]
    np.testing.assert_allclose(series(frame, "train", "loss"), [1.0, 0.95, 0.9])  # the later session only
    assert frame.groupby(["split", "metric"])["step"].apply(lambda s: s.is_unique).all()


def test_a_keras_resume_from_an_earlier_initial_epoch_replaces_the_overlap(tmp_path):
    path = tmp_path / "training.csv"
    logger = KerasCSVLogger(path, append=True)
    logger.fit(epochs(0.1, 5))  # epochs 0-4, the last checkpoint at epoch 2
    logger.fit(epochs(0.05, 4)[2:], initial_epoch=2)  # model.fit(initial_epoch=2, epochs=4): epochs 2-3
    with pytest.warns(UserWarning, match=r"line 7 \(epoch 2 after 4\)"):
        frame = vk.read_run(path)
    assert series(frame, "train", "loss", "epoch") == [0, 1, 2, 3]
    np.testing.assert_allclose(series(frame, "train", "loss"), [1.0, 0.9, 0.9, 0.85])


def test_a_keras_resume_that_continues_the_epochs_is_one_session(tmp_path):
    path = tmp_path / "training.csv"
    logger = KerasCSVLogger(path, append=True)
    logger.fit(epochs(0.1, 3))
    logger.fit(epochs(0.1, 5)[3:], initial_epoch=3)
    frame = read_quietly(path)
    assert series(frame, "train", "loss", "epoch") == [0, 1, 2, 3, 4]
