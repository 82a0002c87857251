"""TensorBoard and CSV logs that read wrong or empty: each says what was found and why.

Two event files of one folder are read as attempts of one run, as vizkit's
own resume; a folder with no scalars, an LFS pointer, a 0-byte event file and
a ``metrics.csv`` read as either kind of log are reported, never an empty
frame without a word.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import vizkit as vk
from vizkit.errors import VizkitValueError

pytest.importorskip("tensorboard")
SummaryWriter = pytest.importorskip("torch.utils.tensorboard").SummaryWriter

LFS_POINTER = ("version https://git-lfs.github.com/spec/v1\n"
               "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 38012345\n")


def run_twice(folder, starts=(0, 0), lr=(0.1, 0.01)):
    """One script run twice into the same folder (each run from its start step)."""
    for start, rate in zip(starts, lr):
        with SummaryWriter(str(folder)) as writer:
            for step in range(start, start + 5):
                writer.add_scalar("loss", rate * step, step)
                writer.add_scalar("lr", rate, step)


# ---------------------------------------------------------------- two event files in one folder
def test_two_runs_into_one_folder_are_attempts_the_later_wins_with_a_warning(tmp_path):
    run_twice(tmp_path / "run")
    assert len(list((tmp_path / "run").iterdir())) == 2
    with pytest.warns(UserWarning, match=r"holds 2 event files whose steps overlap.*attempts.*10 records replaced"):
        frame = vk.read_run(tmp_path / "run")
    assert frame[frame["metric"] == "loss"]["step"].tolist() == [0, 1, 2, 3, 4]  # no zigzag
    assert (frame[frame["metric"] == "lr"]["value"] == np.float32(0.01)).all()  # the later run only


def test_a_resumed_run_keeps_the_earlier_file_before_its_first_step(tmp_path):
    run_twice(tmp_path / "run", starts=(0, 3))  # resumed from a checkpoint at step 3
    with pytest.warns(UserWarning, match=r"4 records replaced"):
        frame = vk.read_run(tmp_path / "run")
    lr = frame[frame["metric"] == "lr"]
    assert lr["step"].tolist() == [0, 1, 2, 3, 4, 5, 6, 7]
    np.testing.assert_allclose(lr["value"], [0.1] * 3 + [0.01] * 5, rtol=1e-6)


def test_event_files_that_follow_each_other_are_read_without_a_warning(tmp_path):
    run_twice(tmp_path / "run", starts=(0, 5))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert vk.read_run(tmp_path / "run")["step"].nunique() == 10


# ---------------------------------------------------------------- nothing to read
@pytest.fixture
def empty_logs(tmp_path):
    """Folders of event files that hold no scalars, as people find them in repositories."""
    with SummaryWriter(str(tmp_path / "histograms")) as writer:
        writer.add_histogram("weights", np.arange(10.0), 0)
        writer.add_image("sample", np.zeros((3, 4, 4)), 0)
        writer.add_pr_curve("pr", np.array([0, 1, 1]), np.array([0.2, 0.7, 0.9]), 0)
    for name, content in (("lfs", LFS_POINTER.encode()), ("zero", b"")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "events.out.tfevents.1764000000.host.1.0").write_bytes(content)
    return tmp_path


@pytest.mark.parametrize(("name", "why"), [
    ("histograms", r"holds no scalars: its event files hold only other summaries "
                   r"\(histogram \(1\), image \(1\), pr_curve \(1\)\)"),
    ("lfs", r"events\.out\.tfevents\.1764000000\.host\.1\.0 is a Git LFS pointer \(fetch it with `git lfs pull`\)"),
    ("zero", r"events\.out\.tfevents\.1764000000\.host\.1\.0 is empty \(0 bytes\)"),
])
def test_read_run_of_a_folder_without_scalars_says_why(empty_logs, name, why):
    with pytest.raises(VizkitValueError, match=r"`path` must be a run with values to read; got .*" + why):
        vk.read_run(empty_logs / name)
    file = next((empty_logs / name).iterdir())
    with pytest.raises(VizkitValueError, match=why):  # the file inside it says the same
        vk.read_run(file)


def test_read_runs_warns_for_each_folder_without_scalars_and_reads_the_rest(empty_logs):
    with SummaryWriter(str(empty_logs / "good")) as writer:
        writer.add_scalar("loss", 1.0, 0)
    with pytest.warns(UserWarning) as caught:
        frame = vk.read_runs(empty_logs)
    messages = sorted(str(w.message) for w in caught)
    assert len(messages) == 3
    assert "histograms holds no scalars" in messages[0]
    assert "Git LFS pointer" in messages[1] and "empty (0 bytes)" in messages[2]
    assert frame["run"].unique().tolist() == ["good"]


def test_a_metrics_csv_reads_the_same_as_a_folder_and_as_a_file(tmp_path):
    (tmp_path / "run").mkdir()
    rows = "".join(f"{epoch},{1 / (epoch + 1)},{2 / (epoch + 1)}\n" for epoch in range(300))
    (tmp_path / "run" / "metrics.csv").write_text("epoch,loss,val_loss\n" + rows)  # no step column
    folder, file = vk.read_run(tmp_path / "run"), vk.read_run(tmp_path / "run" / "metrics.csv")
    assert len(folder) == 600
    assert folder.equals(file)
    assert folder.attrs["runs"] == file.attrs["runs"]


def test_a_metrics_csv_that_is_neither_log_names_the_file_and_its_columns(tmp_path):
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "metrics.csv").write_text("loss,acc\n0.5,0.9\n")
    for path in (tmp_path / "run", tmp_path / "run" / "metrics.csv"):
        with pytest.raises(VizkitValueError, match=r"metrics\.csv', a CSV with neither a 'step' column .* "
                                                   r"its columns: 'loss', 'acc'"):
            vk.read_run(path)


def test_a_lightning_csv_with_a_header_only_says_there_is_nothing_to_read(tmp_path):
    (tmp_path / "version_0").mkdir()
    (tmp_path / "version_0" / "metrics.csv").write_text("epoch,step,train_loss\n")
    with pytest.raises(VizkitValueError, match=r"metrics\.csv: no values to read"):
        vk.read_run(tmp_path / "version_0")
    with pytest.warns(UserWarning, match=r"metrics\.csv: no values to read"):
        assert len(vk.read_runs([tmp_path / "version_0"])) == 0


def test_a_tensorboard_folder_and_its_event_file_read_the_same(tmp_path):
    with SummaryWriter(str(tmp_path / "run")) as writer:
        for step in range(3):
            writer.add_scalar("loss/train", 1.0 / (step + 1), step)
    folder = vk.read_run(tmp_path / "run")
    file = vk.read_run(next((tmp_path / "run").iterdir()))
    assert len(folder) == 3 and folder.equals(file)
    assert folder.attrs["runs"] == file.attrs["runs"]


def test_a_truncated_event_file_is_read_up_to_the_damage_with_a_warning_naming_the_byte(tmp_path):
    with SummaryWriter(str(tmp_path / "run")) as writer:
        for step in range(10):
            writer.add_scalar("loss", float(step), step)
    file = next((tmp_path / "run").iterdir())
    data = file.read_bytes()
    file.write_bytes(data[:-7])  # a writer killed mid-record
    with pytest.warns(UserWarning, match=r"events\.out\.tfevents\..* is damaged \(truncated record at byte \d+\); "
                                         r"the records before the damage are read"):
        frame = vk.read_run(tmp_path / "run")
    assert frame["value"].tolist() == [float(step) for step in range(9)]


def test_a_lightning_run_resumed_into_its_version_folder_keeps_the_steps_before_the_resume(tmp_path):
    loggers = pytest.importorskip("lightning.pytorch.loggers")
    for start, loss in ((0, 1.0), (3, 0.5)):  # the resumed logger writes hp_metric = -1 at step 0 again
        logger = loggers.TensorBoardLogger(str(tmp_path), name="tb", version=0)
        logger.log_hyperparams({"lr": 0.1})
        for step in range(start, start + 5):
            logger.log_metrics({"train_loss": loss, "epoch": step // 5}, step=step)
        logger.finalize("success")
    with pytest.warns(UserWarning, match=r"2 event files whose steps overlap.*\(4 records replaced\)"):
        frame = vk.read_run(tmp_path / "tb" / "version_0")
    assert frame["step"].tolist() == list(range(8))
    assert frame["value"].tolist() == [1.0] * 3 + [0.5] * 5


def test_an_event_file_damaged_before_its_first_scalar_says_where(tmp_path):
    with SummaryWriter(str(tmp_path / "run")) as writer:
        writer.add_scalar("loss", 1.0, 0)
    file = next((tmp_path / "run").iterdir())
    data = bytearray(file.read_bytes())
    data[-5] ^= 0xFF  # one flipped bit in the last record, the only scalar
    file.write_bytes(bytes(data))
    with pytest.raises(VizkitValueError, match=r"tfevents\.\S+ is damaged \(bad CRC at byte \d+\)"):
        vk.read_run(tmp_path / "run")
