"""Reading runs: vizkit's own log, TensorBoard, Lightning and Keras CSV logs, into one long frame.

Fixtures from other tools are written by the tools themselves (torch's
SummaryWriter, Lightning's CSVLogger); Keras is not installed, so its CSV is
written the way keras.callbacks.CSVLogger writes it (csv.DictWriter, excel
dialect, ``epoch`` then the sorted log keys, ``NA`` for a missing value).
"""

from __future__ import annotations

import csv
import json
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import vizkit as vk
from vizkit.errors import MissingDependencyError, VizkitTypeError, VizkitValueError
from vizkit.io import RunWriter

COLUMNS = ["run", "step", "epoch", "split", "metric", "value", "time"]


def write_lines(path, records, *, tail=""):
    """A vizkit run folder written by hand: ``records`` are dicts or raw strings, one line each."""
    path.mkdir(parents=True, exist_ok=True)
    text = "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)
    (path / "metrics.jsonl").write_text(text + tail)
    return path


def write_meta(path, **meta):
    path.mkdir(parents=True, exist_ok=True)
    (path / "meta.json").write_text(json.dumps({"format": "vizkit-run/1", **meta}))
    return path


def series(frame, split, metric, column="value"):
    rows = frame[(frame["split"] == split) & (frame["metric"] == metric)]
    return rows[column].tolist()


def assert_schema(frame):
    assert list(frame.columns[:7]) == COLUMNS
    assert frame["step"].dtype == np.int64
    assert frame["epoch"].dtype == pd.Int64Dtype()
    assert frame["value"].dtype == np.float64
    assert frame["time"].dtype == np.float64
    for column in ("run", "split", "metric"):
        assert frame[column].dtype == pd.Series(["a"]).dtype  # pandas' str dtype
    keys = frame[["run", "split", "metric", "step"]]
    assert keys.equals(keys.sort_values(["run", "split", "metric", "step"], kind="stable"))


# ---------------------------------------------------------------- vizkit runs
def test_a_writer_run_reads_back_as_the_documented_long_frame(tmp_path):
    with RunWriter(tmp_path / "mlp", config={"lr": 0.01, "model": {"hidden": 64, "act": "relu"}},
                   name="mlp-seed0") as run:
        for step in range(4):
            run.log(step=step, epoch=step // 2, loss=1.0 / (step + 1), acc=0.2 * step)
        run.log(step=3, epoch=1, split="val", loss=0.7, acc=0.5)
    frame = vk.read_run(tmp_path / "mlp")
    assert_schema(frame)
    assert list(frame.columns) == COLUMNS + ["lr", "model.hidden", "model.act"]
    assert len(frame) == 4 * 2 + 2
    assert set(frame["run"]) == {"mlp-seed0"}
    assert series(frame, "train", "loss") == [1.0, 0.5, 1 / 3, 0.25]
    assert series(frame, "train", "acc", "epoch") == [0, 0, 1, 1]
    assert series(frame, "val", "acc") == [0.5]
    assert (frame["lr"] == 0.01).all() and (frame["model.act"] == "relu").all()
    assert (frame["time"] >= 0).all() and frame["time"].max() < 5
    info = frame.attrs["runs"]["mlp-seed0"]
    assert info["status"] == "finished" and info["source"] == "vizkit"
    assert info["config"] == {"lr": 0.01, "model": {"hidden": 64, "act": "relu"}}
    assert info["path"] == str(tmp_path / "mlp")
    assert frame.attrs["nonfinite"] == []


def test_rows_are_sorted_by_split_metric_step_whatever_the_file_order(tmp_path):
    records = [{"step": s, "split": sp, "time": 10.0 + s, "b": s, "a": -s}
               for s, sp in [(3, "val"), (2, "train"), (0, "train"), (1, "val"), (1, "train")]]
    frame = vk.read_run(write_lines(tmp_path / "r", records))
    assert_schema(frame)
    assert frame[["split", "metric"]].drop_duplicates().values.tolist() == [
        ["train", "a"], ["train", "b"], ["val", "a"], ["val", "b"]]
    assert series(frame, "train", "b", "step") == [0, 1, 2]
    assert series(frame, "val", "a") == [-1.0, -3.0]
    assert frame["epoch"].isna().all()  # never logged: <NA>
    assert series(frame, "train", "b", "time") == [0.0, 1.0, 2.0]  # no meta: since the earliest record


def test_time_counts_from_the_meta_start_time(tmp_path):
    write_meta(tmp_path / "r", name="r", start_time="2026-11-24T10:00:00+00:00", status="finished")
    start = pd.Timestamp("2026-11-24T10:00:00+00:00").timestamp()
    frame = vk.read_run(write_lines(tmp_path / "r", [{"step": 0, "time": start + 2.5, "loss": 1.0}]))
    assert frame["time"].tolist() == [2.5]


def test_non_finite_values_are_restored_and_listed(tmp_path):
    records = [
        {"step": 0, "time": 1.0, "loss": 1.0, "acc": 0.5},
        {"step": 1, "time": 2.0, "loss": None, "acc": 0.6, "_nonfinite": {"loss": "NaN"}},
        {"step": 2, "time": 3.0, "loss": None, "acc": None, "_nonfinite": {"loss": "Infinity", "acc": "-Infinity"}},
    ]
    frame = vk.read_run(write_lines(tmp_path / "r", records))
    loss = series(frame, "train", "loss")
    assert loss[0] == 1.0 and np.isnan(loss[1]) and loss[2] == np.inf
    assert series(frame, "train", "acc") == [0.5, 0.6, -np.inf]
    assert sorted(frame.attrs["nonfinite"]) == [("r", "train", "acc", 2), ("r", "train", "loss", 1),
                                                ("r", "train", "loss", 2)]


def test_non_finite_values_logged_by_the_writer_round_trip(tmp_path):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "run .* is logged and flagged as non-finite", UserWarning)
        with RunWriter(tmp_path / "r") as run:
            run.log(step=0, loss=float("nan"))
            run.log(step=1, loss=float("-inf"))
            run.log(step=2, loss=0.5)
    frame = vk.read_run(tmp_path / "r")
    assert np.isnan(frame["value"][0]) and frame["value"][1] == -np.inf and frame["value"][2] == 0.5
    assert frame.attrs["nonfinite"] == [("r", "train", "loss", 0), ("r", "train", "loss", 1)]


def test_a_torn_last_line_is_skipped_with_a_warning_naming_file_and_line(tmp_path):
    records = [{"step": s, "loss": 1.0 / (s + 1)} for s in range(5)]
    folder = write_lines(tmp_path / "r", records, tail='{"step": 5, "loss": 0.1')
    with pytest.warns(UserWarning, match=r"metrics\.jsonl, line 6: skipped the torn last line") as caught:
        frame = vk.read_run(folder)
    assert str(folder / "metrics.jsonl") in str(caught[0].message)
    assert caught[0].filename == __file__  # attributed to the caller's line
    assert frame["step"].tolist() == [0, 1, 2, 3, 4]


def test_a_complete_last_line_without_its_newline_is_kept(tmp_path):
    folder = write_lines(tmp_path / "r", [{"step": 0, "loss": 1.0}], tail='{"step": 1, "loss": 0.5}')
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert vk.read_run(folder)["step"].tolist() == [0, 1]


def test_bad_lines_mid_file_are_skipped_each_with_a_warning_the_rest_is_read(tmp_path):
    records = [{"step": s, "split": "train", "loss": float(s)} for s in range(3000)]
    records[1000] = '{"step": 1000, "split": "tra'  # a torn line a resumed writer ended with "\n"
    records[2500] = "not json at all"
    records[2600] = "[1, 2, 3]"  # valid JSON, not a record
    with pytest.warns(UserWarning) as caught:
        frame = vk.read_run(write_lines(tmp_path / "r", records))
    messages = [str(w.message) for w in caught]
    assert any("metrics.jsonl, line 1001:" in m for m in messages)
    assert any("metrics.jsonl, line 2501:" in m for m in messages)
    assert any("metrics.jsonl, line 2601:" in m and "not an object" in m for m in messages)
    assert len(messages) == 3
    assert frame["step"].tolist() == [s for s in range(3000) if s not in (1000, 2500, 2600)]
    assert frame["value"].tolist() == [float(s) for s in frame["step"]]


def test_a_metric_first_appearing_after_megabytes_of_lines_is_kept(tmp_path):
    records = [{"step": s, "epoch": s // 1000, "split": "train", "time": 1e9 + s, "loss": 1.0 / (s + 1)}
               for s in range(40_000)]
    late = 30_000
    assert len("".join(json.dumps(r) + "\n" for r in records[:late])) > 2_000_000
    for record in records[late:]:
        record["grad_norm"] = 0.5
    records[-1]["lr"] = 1  # an int, a single time, in the very last line
    frame = vk.read_run(write_lines(tmp_path / "r", records))
    assert series(frame, "train", "grad_norm", "step") == list(range(late, 40_000))
    assert series(frame, "train", "lr") == [1.0]
    assert len(series(frame, "train", "loss")) == 40_000


def test_values_that_change_type_mid_file_keep_the_numbers(tmp_path):
    records = [{"step": s, "x": s} for s in range(2000)] + [{"step": s, "x": s + 0.5} for s in range(2000, 4000)]
    records[3000] = {"step": 3000, "x": "oops"}
    with pytest.warns(UserWarning, match=r"metric 'x' .* holds str values, not numbers"):
        frame = vk.read_run(write_lines(tmp_path / "r", records))
    assert len(frame) == 3999
    assert frame["value"].iloc[-1] == 3999.5


def test_a_resumed_attempt_supersedes_earlier_records_from_its_first_step(tmp_path):
    records = ([{"step": s, "loss": 1.0, "time": 1.0 + s} for s in range(10)]          # attempt 1: 0..9
               + [{"step": 9, "split": "val", "loss": 1.0}]
               + [{"_attempt": 2, "time": 50.0}]
               + [{"step": s, "loss": 2.0, "time": 50.0 + s} for s in range(6, 12)]   # attempt 2 from 6
               + [{"_attempt": 3, "time": 90.0}]
               + [{"step": s, "loss": 3.0, "time": 90.0 + s} for s in range(8, 10)])  # attempt 3 from 8
    frame = vk.read_run(write_lines(tmp_path / "r", records))
    loss = frame[(frame["split"] == "train")]
    # attempt 3 (from step 8) supersedes steps >= 8 of both earlier attempts, 10 and 11 of attempt 2 too
    assert loss["step"].tolist() == list(range(10))  # each step once
    assert loss["value"].tolist() == [1.0] * 6 + [2.0] * 2 + [3.0] * 2
    assert loss["time"].tolist()[-3:] == [56.0, 97.0, 98.0]
    assert series(frame, "val", "loss") == []  # val at step 9 belonged to the dead attempt


def test_a_resume_marker_without_records_supersedes_nothing(tmp_path):
    records = [{"step": s, "loss": 1.0} for s in range(3)] + [{"_attempt": 2, "time": 9.0}]
    assert vk.read_run(write_lines(tmp_path / "r", records))["step"].tolist() == [0, 1, 2]


def test_a_run_resumed_by_the_writer_after_a_torn_line_reads_each_step_once(tmp_path):
    folder = tmp_path / "r"
    run = RunWriter(folder, flush_every=1, flush_secs=None)
    for step in range(8):
        run.log(step=step, loss=1.0)
    run.close()
    with open(folder / "metrics.jsonl", "a") as handle:  # a writer killed mid-line
        handle.write('{"step":8,"split":"train","ti')
    with RunWriter(folder, resume=True, flush_every=1) as run:
        for step in range(5, 10):
            run.log(step=step, loss=2.0)
    with pytest.warns(UserWarning, match=r"metrics\.jsonl, line 9: skipped a line"):
        frame = vk.read_run(folder)
    assert frame["step"].tolist() == list(range(10))
    assert frame["value"].tolist() == [1.0] * 5 + [2.0] * 5


def test_config_columns_flatten_nested_keys_and_never_replace_the_frame_columns(tmp_path):
    write_meta(tmp_path / "r", name="r", config={"opt": {"name": "adam", "betas": [0.9, 0.99]}, "step": 5,
                                                 "seed": 3})
    frame = vk.read_run(write_lines(tmp_path / "r", [{"step": 0, "loss": 1.0}, {"step": 1, "loss": 0.5}]))
    assert list(frame.columns) == COLUMNS + ["opt.name", "opt.betas", "config.step", "seed"]
    assert frame["step"].tolist() == [0, 1]
    assert frame["config.step"].tolist() == [5, 5]
    assert frame["opt.betas"].tolist() == [(0.9, 0.99)] * 2
    assert frame.groupby("opt.betas").size().tolist() == [2]


def test_a_run_with_no_records_yet_is_an_empty_frame_with_the_schema(tmp_path):
    frame = vk.read_run(write_meta(tmp_path / "r", name="fresh", status="running", config={"lr": 0.1}))
    assert len(frame) == 0
    assert_schema(frame)
    assert frame.attrs["runs"]["fresh"]["status"] == "running"


def test_reading_the_metrics_file_reads_its_run(tmp_path):
    folder = write_lines(tmp_path / "r", [{"step": 0, "loss": 1.0}])
    assert vk.read_run(folder / "metrics.jsonl").equals(vk.read_run(folder))


# ---------------------------------------------------------------- several runs
def _seed_runs(root, seeds=(0, 1, 2)):
    for seed in seeds:
        with RunWriter(root / f"seed{seed}", config={"seed": seed, "lr": 0.1}, name=f"mlp-{seed}") as run:
            for step in range(3):
                run.log(step=step, loss=seed + 1.0 / (step + 1))


def test_read_runs_takes_a_glob_a_list_or_a_folder_of_runs(tmp_path):
    _seed_runs(tmp_path / "runs")
    by_glob = vk.read_runs(str(tmp_path / "runs" / "seed*"))
    by_list = vk.read_runs([tmp_path / "runs" / "seed2", tmp_path / "runs" / "seed0", tmp_path / "runs" / "seed1"])
    by_folder = vk.read_runs(tmp_path / "runs")
    assert_schema(by_glob)
    assert by_glob["run"].unique().tolist() == ["mlp-0", "mlp-1", "mlp-2"]
    assert by_glob.groupby("run")["seed"].first().tolist() == [0, 1, 2]
    pd.testing.assert_frame_equal(by_glob, by_list)
    pd.testing.assert_frame_equal(by_glob, by_folder)
    assert sorted(by_glob.attrs["runs"]) == ["mlp-0", "mlp-1", "mlp-2"]


def test_read_runs_names_runs_that_share_a_name_by_their_relative_path(tmp_path):
    for experiment in ("exp_a", "exp_b"):
        write_lines(tmp_path / experiment / "version_0", [{"step": 0, "loss": 1.0}])
    write_lines(tmp_path / "exp_a" / "version_1", [{"step": 0, "loss": 2.0}])
    frame = vk.read_runs(tmp_path)
    assert frame["run"].unique().tolist() == ["exp_a/version_0", "exp_b/version_0", "version_1"]
    assert frame.attrs["runs"]["exp_b/version_0"]["path"] == str(tmp_path / "exp_b" / "version_0")


def test_read_runs_unions_config_columns_and_mixes_sources(tmp_path):
    write_meta(tmp_path / "a", name="a", config={"lr": 0.1})
    write_lines(tmp_path / "a", [{"step": 0, "loss": 1.0}])
    write_meta(tmp_path / "b", name="b", config={"dropout": 0.5})
    write_lines(tmp_path / "b", [{"step": 0, "loss": 2.0}])
    keras = write_keras_csv(tmp_path / "c.csv", [{"loss": 3.0}])
    frame = vk.read_runs([tmp_path / "a", tmp_path / "b", keras])
    assert frame["run"].tolist() == ["a", "b", "c"]
    assert frame["lr"].tolist()[0] == 0.1 and np.isnan(frame["lr"].tolist()[1])
    assert frame["dropout"].tolist()[1] == 0.5
    assert [frame.attrs["runs"][r]["source"] for r in "abc"] == ["vizkit", "vizkit", "keras-csv"]


# ---------------------------------------------------------------- TensorBoard
@pytest.fixture
def tensorboard_run(tmp_path):
    pytest.importorskip("tensorboard")
    SummaryWriter = pytest.importorskip("torch.utils.tensorboard").SummaryWriter
    folder = tmp_path / "tb" / "cnn"
    writer = SummaryWriter(str(folder))
    for step in range(0, 50, 10):
        writer.add_scalar("loss/train", 1.0 / (step + 1), step)
        writer.add_scalar("train/acc", step / 100, step)
        writer.add_scalar("Loss/validation", 2.0 / (step + 1), step)
        writer.add_scalar("lr", 0.1, step)
        writer.add_scalars("f1", {"train": 0.5, "val": 0.25}, step)
        writer.add_scalars("grad", {"norm": 3.0}, step)
        writer.add_scalar("val_perplexity", 7.5, step, new_style=True)  # a TF2-style tensor scalar
    writer.close()
    return folder


def test_a_tensorboard_folder_gives_every_scalar_with_its_split(tensorboard_run):
    frame = vk.read_run(tensorboard_run)
    assert_schema(frame)
    pairs = frame[["split", "metric"]].drop_duplicates().values.tolist()
    assert pairs == [["train", "acc"], ["train", "f1"], ["train", "grad/norm"], ["train", "loss"], ["train", "lr"],
                     ["val", "Loss"], ["val", "f1"], ["val", "perplexity"]]
    assert series(frame, "train", "loss", "step") == [0, 10, 20, 30, 40]
    np.testing.assert_allclose(series(frame, "train", "loss"), [1 / (s + 1) for s in range(0, 50, 10)], rtol=1e-6)
    assert series(frame, "val", "f1") == [0.25] * 5
    assert series(frame, "val", "perplexity") == [7.5] * 5
    time = np.array(series(frame, "train", "loss", "time"))
    assert (time >= 0).all() and (np.diff(time) >= 0).all() and time[-1] < 60
    assert set(frame["run"]) == {"cnn"}
    assert frame.attrs["runs"]["cnn"]["source"] == "tensorboard"


def test_a_lightning_style_epoch_scalar_fills_the_epoch_column(tmp_path):
    pytest.importorskip("tensorboard")
    SummaryWriter = pytest.importorskip("torch.utils.tensorboard").SummaryWriter
    writer = SummaryWriter(str(tmp_path / "tb"))
    for step in range(6):
        writer.add_scalar("epoch", step // 3, step)
        writer.add_scalar("train_loss_step", 1.0, step)
        if step % 3 == 2:
            writer.add_scalar("train_loss_epoch", 0.9, step)
            writer.add_scalar("val_loss", 1.1, step)
    writer.close()
    frame = vk.read_run(tmp_path / "tb")
    assert sorted(set(frame["metric"])) == ["loss", "loss_epoch"]
    assert series(frame, "train", "loss", "epoch") == [0, 0, 0, 1, 1, 1]
    assert series(frame, "val", "loss", "epoch") == [0, 1]


def test_a_lightning_tensorboard_logger_folder_brings_its_hparams(tmp_path):
    pytest.importorskip("tensorboard")
    loggers = pytest.importorskip("lightning.pytorch.loggers")
    logger = loggers.TensorBoardLogger(str(tmp_path), name="tb", default_hp_metric=False)
    logger.log_hyperparams({"lr": 0.003, "batch_size": 64})
    for step in range(3):
        logger.log_metrics({"train_loss": 1.0 - 0.1 * step, "epoch": 0}, step=step)
    logger.finalize("success")
    frame = vk.read_run(tmp_path / "tb" / "version_0")
    assert series(frame, "train", "loss") == pytest.approx([1.0, 0.9, 0.8])
    assert series(frame, "train", "loss", "epoch") == [0, 0, 0]
    assert (frame["lr"] == 0.003).all() and (frame["batch_size"] == 64).all()


def test_read_runs_finds_each_tensorboard_run_of_a_log_folder(tmp_path):
    pytest.importorskip("tensorboard")
    SummaryWriter = pytest.importorskip("torch.utils.tensorboard").SummaryWriter
    for name, lr in (("lr0.1", 0.1), ("lr0.01", 0.01)):
        writer = SummaryWriter(str(tmp_path / "runs" / name))
        writer.add_scalars("loss", {"train": 1.0, "val": 1.5}, 0)
        writer.add_scalar("lr", lr, 0)
        writer.close()
    frame = vk.read_runs(tmp_path / "runs")
    assert frame["run"].unique().tolist() == ["lr0.01", "lr0.1"]
    assert frame[frame["metric"] == "loss"]["split"].tolist() == ["train", "val"] * 2


def test_a_missing_tensorboard_package_names_the_extra(tmp_path, monkeypatch):
    (tmp_path / "tb").mkdir()
    (tmp_path / "tb" / "events.out.tfevents.1764000000.host.1.0").write_bytes(b"")
    for name in list(sys.modules):
        if name == "tensorboard" or name.startswith("tensorboard."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "tensorboard", None)  # import tensorboard -> ImportError
    with pytest.raises(MissingDependencyError, match=r"'tensorboard' package.*pip install 'vizkit\[tensorboard\]'"):
        vk.read_run(tmp_path / "tb")


# ---------------------------------------------------------------- Lightning CSVLogger
@pytest.fixture
def lightning_run(tmp_path):
    loggers = pytest.importorskip("lightning.pytorch.loggers")
    logger = loggers.CSVLogger(str(tmp_path / "lightning_logs"), name="mnist")
    logger.log_hyperparams({"lr": 0.01, "model": {"hidden": 32}, "seed": 0})
    for step in range(6):
        logger.log_metrics({"train_loss_step": 1.0 / (step + 1), "train/acc": 0.1 * step, "epoch": step // 3},
                           step=step)
        if step % 3 == 2:
            logger.log_metrics({"train_loss_epoch": 0.5, "val_loss": 0.8 - 0.1 * step, "val_acc": 0.6,
                                "epoch": step // 3}, step=step)
    logger.save()
    logger.finalize("success")
    return tmp_path / "lightning_logs" / "mnist" / "version_0"


def test_a_lightning_csv_logger_folder_reads_with_splits_epochs_and_hparams(lightning_run):
    assert (lightning_run / "metrics.csv").is_file() and (lightning_run / "hparams.yaml").is_file()
    frame = vk.read_run(lightning_run)
    assert_schema(frame)
    assert frame[["split", "metric"]].drop_duplicates().values.tolist() == [
        ["train", "acc"], ["train", "loss"], ["train", "loss_epoch"], ["val", "acc"], ["val", "loss"]]
    assert series(frame, "train", "loss", "step") == list(range(6))
    assert series(frame, "train", "loss", "epoch") == [0, 0, 0, 1, 1, 1]
    assert series(frame, "val", "loss", "step") == [2, 5]
    np.testing.assert_allclose(series(frame, "val", "loss"), [0.6, 0.3])
    assert frame["time"].isna().all()
    assert (frame["lr"] == 0.01).all() and (frame["model.hidden"] == 32).all()
    assert set(frame["run"]) == {"version_0"}
    assert frame.attrs["runs"]["version_0"]["source"] == "lightning-csv"


def test_read_runs_finds_lightning_versions_in_their_logs_folder(lightning_run):
    loggers = pytest.importorskip("lightning.pytorch.loggers")
    logs = lightning_run.parent.parent
    logger = loggers.CSVLogger(str(logs), name="mnist")  # the next version: version_1
    logger.log_metrics({"train_loss": 2.0}, step=0)
    logger.save()
    frame = vk.read_runs(logs)
    assert frame["run"].unique().tolist() == ["version_0", "version_1"]
    assert series(frame[frame["run"] == "version_1"], "train", "loss") == [2.0]


# ---------------------------------------------------------------- Keras CSVLogger
def write_keras_csv(path, epochs):
    """What keras.callbacks.CSVLogger writes: sorted keys after ``epoch``, excel dialect, NA when missing."""
    keys = sorted({key for logs in epochs for key in logs})
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["epoch"] + keys, dialect=csv.excel)
        writer.writeheader()
        for epoch, logs in enumerate(epochs):
            writer.writerow({"epoch": epoch, **{key: logs.get(key, "NA") for key in keys}})
    return path


def test_a_keras_csv_logger_file_reads_one_row_per_epoch(tmp_path):
    epochs = [{"loss": 0.9, "accuracy": 0.6, "val_loss": 1.0, "val_accuracy": 0.55},
              {"loss": 0.5, "accuracy": 0.8, "val_loss": 0.7, "val_accuracy": 0.7},
              {"loss": 0.3, "accuracy": 0.9}]  # no validation this epoch: NA
    path = write_keras_csv(tmp_path / "training.csv", epochs)
    assert path.read_bytes().startswith(b"epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.6,0.9,0.55,1.0\r\n")
    frame = vk.read_run(path)
    assert_schema(frame)
    assert frame[["split", "metric"]].drop_duplicates().values.tolist() == [
        ["train", "accuracy"], ["train", "loss"], ["val", "accuracy"], ["val", "loss"]]
    assert series(frame, "train", "loss") == [0.9, 0.5, 0.3]
    assert series(frame, "train", "loss", "step") == [0, 1, 2]
    assert series(frame, "train", "loss", "epoch") == [0, 1, 2]
    assert series(frame, "val", "loss") == [1.0, 0.7]
    assert set(frame["run"]) == {"training"}


def test_a_keras_column_of_arrays_is_skipped_with_a_warning(tmp_path):
    path = write_keras_csv(tmp_path / "k.csv", [{"loss": 1.0, "probs": '"[0.1, 0.9]"'}])
    with pytest.warns(UserWarning, match=r"column 'probs' of .*k\.csv holds values that are not numbers"):
        frame = vk.read_run(path)
    assert frame["metric"].tolist() == ["loss"]


# ---------------------------------------------------------------- errors
def test_a_path_that_is_not_a_run_says_what_was_expected(tmp_path):
    with pytest.raises(VizkitValueError, match=r"`path` must be an existing path: a vizkit run folder .*does not exist"):
        vk.read_run(tmp_path / "nope")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.txt").write_text("hello")
    with pytest.raises(VizkitValueError, match=r"`path` must be a vizkit run folder .*TensorBoard.*Lightning.*Keras"
                                               r".*'.*notes', which is none of these"):
        vk.read_run(tmp_path / "notes")
    with pytest.raises(VizkitValueError, match=r"none of these"):
        vk.read_run(tmp_path / "notes" / "readme.txt")
    with pytest.raises(VizkitTypeError, match=r"`path` must be a path \(str or os.PathLike\); got 3 \(int\)"):
        vk.read_run(3)


def test_read_run_of_a_folder_of_runs_points_to_read_runs(tmp_path):
    _seed_runs(tmp_path, seeds=(0, 1))
    with pytest.raises(VizkitValueError, match=r"a folder holding 2 runs\. Use vizkit\.read_runs\(\)"):
        vk.read_run(tmp_path)


def test_read_runs_errors_name_the_argument(tmp_path):
    with pytest.raises(VizkitValueError, match=r"`paths_or_glob` must be a pattern matching at least one run"):
        vk.read_runs(str(tmp_path / "seed*"))
    with pytest.raises(VizkitValueError, match=r"`paths_or_glob` must be an existing path"):
        vk.read_runs([tmp_path / "missing"])
    with pytest.raises(VizkitValueError, match=r"`paths_or_glob` must be .*non-empty list"):
        vk.read_runs([])
    with pytest.raises(VizkitTypeError, match=r"`paths_or_glob` must be a glob pattern, a path, or a list"):
        vk.read_runs(42)


def test_a_run_replayed_through_tensorboard_reads_back_equal_to_float32(tmp_path):
    """What the gallery's TensorBoard page shows: the same values, by split and metric."""
    SummaryWriter = pytest.importorskip("torch.utils.tensorboard").SummaryWriter
    original = vk.read_run(Path(__file__).parents[1] / "training_runs/runs/mlp_mnist/seed0")
    original = original.query("metric in ['loss', 'acc']")
    with SummaryWriter(tmp_path) as writer:
        for row in original.itertuples():
            writer.add_scalar(f"{row.metric}/{row.split}", row.value, global_step=row.step)
    back = vk.read_run(tmp_path)
    key = ["split", "metric", "step"]
    merged = original.merge(back, on=key, suffixes=("", "_tb"), validate="one_to_one")
    assert len(merged) == len(original) == len(back)
    np.testing.assert_allclose(merged.value_tb, merged.value.astype(np.float32), rtol=0, atol=0)
