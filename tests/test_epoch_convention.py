"""One epoch convention everywhere: every place names the logged epoch (0 is the first epoch).

One run goes through fit() + EarlyStopping, read_run, gap, curves(x="epoch"), and a
Lightning run through VizkitCallback and Lightning's own CSVLogger: for the same record,
every place names the same epoch (docs/run_format.md, "Epochs").
"""

import re

import matplotlib.pyplot as plt
import numpy as np
import pytest

torch = pytest.importorskip("torch")

from torch.utils.data import DataLoader, TensorDataset

import vizkit as vk
from vizkit.ml import GapDisplay
from vizkit.torch import EarlyStopping, Run, fit


def overfitting_data(seed=0):
    """Few noisy training rows and a wide model: validation loss turns up after a few epochs."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(200, 10, generator=generator)
    y = (x[:, 0] + 0.8 * torch.randn(200, generator=generator) > 0).long()
    train = DataLoader(TensorDataset(x[:24], y[:24]), batch_size=8)
    val = DataLoader(TensorDataset(x[100:], y[100:]), batch_size=50)
    return train, val


@pytest.fixture(scope="module")
def early_stopped(tmp_path_factory):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(10, 64), torch.nn.ReLU(), torch.nn.Linear(64, 2))
    train, val = overfitting_data()
    early = EarlyStopping("val_loss", patience=3)
    path = tmp_path_factory.mktemp("runs") / "fit"
    history = fit(model, train, val_loader=val, optimizer=torch.optim.Adam(model.parameters(), lr=0.01),
                  loss_fn=torch.nn.functional.cross_entropy, epochs=40, callbacks=[early],
                  run=Run(path, flush_secs=None), progress=False)
    return early, history, vk.read_run(path)


def test_fit_early_stopping_read_run_gap_and_curves_name_the_same_epoch(early_stopped):
    early, history, logged = early_stopped
    best = early.best_epoch
    assert early.stopped_epoch is not None and best < early.stopped_epoch     # it did stop early
    assert f"at epoch {best}" in early.reason                                  # the message

    def val_loss(frame):
        rows = frame.query("split == 'val' and metric == 'loss'")
        return rows.set_index("epoch")["value"]

    assert val_loss(history).idxmin() == best                                   # fit()'s history
    assert val_loss(logged).idxmin() == best                                    # read_run
    assert int(logged["epoch"].min()) == 0                                      # the first epoch is 0

    display = GapDisplay.from_runs(logged)                                      # gap
    assert display.best_epoch_ == best
    ax = vk.gap(logged, ax=plt.figure().add_subplot())
    table = vk.plotted_data(ax)
    assert table.loc[table["best"], "epoch"].tolist() == [best]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(re.fullmatch(rf"best: epoch {best} \(.*\)", label) for label in labels), labels

    ax = vk.curves(logged, metric="loss", x="epoch", ax=plt.figure().add_subplot())                            # curves
    drawn = vk.plotted_data(ax).query("split == 'val'")
    np.testing.assert_array_equal(drawn["x"], val_loss(logged).index.to_numpy(float))
    train = vk.plotted_data(ax).query("split == 'train'")
    last_steps = logged.query("split == 'train'").groupby("epoch")["step"].max()
    # the last training step of epoch e is drawn at x = e, where epoch e's validation sits
    at_end = train.set_index(logged.query("split == 'train' and metric == 'loss'").sort_values("step")["step"].to_numpy())
    assert at_end.loc[last_steps.to_numpy(), "x"].tolist() == last_steps.index.astype(float).tolist()


L = pytest.importorskip("lightning.pytorch")


class Classifier(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Linear(10, 2)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.cross_entropy(self.net(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=True)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.log("val_loss", torch.nn.functional.cross_entropy(self.net(x), y))

    def test_step(self, batch, batch_idx):
        x, y = batch
        self.log("test_loss", torch.nn.functional.cross_entropy(self.net(x), y))

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


def test_lightning_runs_name_the_epochs_lightning_counted(tmp_path):
    from lightning.pytorch.loggers import CSVLogger

    from vizkit.torch.lightning import VizkitCallback

    torch.manual_seed(0)
    train, val = overfitting_data()
    epochs_seen = []
    run = Run(tmp_path / "vizkit", flush_secs=None)

    class Recorder(L.Callback):
        def on_validation_epoch_end(self, trainer, module):
            if not trainer.sanity_checking:
                epochs_seen.append(trainer.current_epoch)

    trainer = L.Trainer(max_epochs=4, logger=CSVLogger(tmp_path, name="csv"), log_every_n_steps=1,
                        callbacks=[VizkitCallback(run, close=False), Recorder()],
                        enable_progress_bar=False, enable_model_summary=False, enable_checkpointing=False)
    module = Classifier()
    trainer.fit(module, train, val)
    trainer.test(module, val, verbose=False)
    run.close()
    assert epochs_seen == [0, 1, 2, 3]

    for logged in (vk.read_run(tmp_path / "vizkit"), vk.read_run(tmp_path / "csv" / "version_0")):
        val_epochs = logged.query("split == 'val' and metric == 'loss'")["epoch"].tolist()
        assert val_epochs == epochs_seen, logged["run"].iloc[0]
        test_epochs = logged.query("split == 'test'")["epoch"].tolist()
        assert test_epochs == [epochs_seen[-1]], logged["run"].iloc[0]          # tested after the last epoch trained
        assert vk.plotted_data(vk.gap(logged, ax=plt.figure().add_subplot()))["epoch"].tolist() == epochs_seen
        drawn = vk.plotted_data(vk.curves(logged, x="epoch", ax=plt.figure().add_subplot()))
        assert drawn.query("split == 'val'")["x"].tolist() == epochs_seen
        assert drawn.query("split == 'test'")["x"].tolist() == [epochs_seen[-1]]  # where training ended
