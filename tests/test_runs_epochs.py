"""Charts place and average records by the epoch they were logged with; nothing shifts epochs.

Epochs count as logged (from 0 for fit(), EarlyStopping, Lightning and Keras);
tests/test_epoch_convention.py checks that every place names the same best
epoch, for a fit() run and a Lightning run. Here: where curves(x="epoch")
puts a fit() run's steps, what gap averages per epoch, and runs that start
at other epochs (resumed, counted from 1).
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import vizkit as vk

torch = pytest.importorskip("torch")

from torch.utils.data import DataLoader, TensorDataset  # noqa: E402

from vizkit.torch import EarlyStopping, Run, fit  # noqa: E402


def _ax():
    return plt.subplots(figsize=(6.4, 4), dpi=100)[1]


@pytest.fixture(scope="module")
def stopped_run(tmp_path_factory):
    """A seeded fit() stopped by EarlyStopping("val_loss", patience=3), logged to a Run: (early, history, path)."""
    torch.manual_seed(0)
    x = torch.randn(400, 2)
    y = (x[:, 0] * x[:, 1] > 0).long()
    train = DataLoader(TensorDataset(x[:300], y[:300]), batch_size=30, shuffle=True)  # equal batches
    val = DataLoader(TensorDataset(x[300:], y[300:]), batch_size=100)
    model = torch.nn.Sequential(torch.nn.Linear(2, 32), torch.nn.ReLU(), torch.nn.Linear(32, 2))
    path = tmp_path_factory.mktemp("fit") / "seed0"
    early = EarlyStopping("val_loss", patience=3)
    with Run(path) as run:
        history = fit(model, train, val_loader=val, optimizer=torch.optim.Adam(model.parameters(), lr=0.05),
                      loss_fn=torch.nn.functional.cross_entropy, epochs=40, callbacks=[early], run=run,
                      progress=False)
    assert early.stopped_epoch is not None, "the fixture run should stop early"
    return early, history, path


def test_training_steps_of_epoch_e_fill_the_unit_that_ends_at_e(stopped_run):
    _, _, path = stopped_run
    logged = vk.read_run(path)
    train = logged.query("split == 'train' and metric == 'loss'").sort_values("step")
    drawn = vk.plotted_data(vk.curves(logged, x="epoch", ax=_ax())).query("split == 'train'")
    assert len(drawn) == len(train)
    x, epoch = drawn["x"].to_numpy(), train["epoch"].to_numpy(dtype=float)
    assert np.all((x > epoch - 1) & (x <= epoch + 1e-9))
    last_steps = train.groupby("epoch")["step"].max()
    assert drawn.set_index(train["step"].to_numpy()).loc[last_steps.to_numpy(), "x"].tolist() == last_steps.index.tolist()


def test_gap_averages_training_per_logged_epoch(stopped_run):
    _, history, path = stopped_run
    logged = vk.read_run(path)
    table = vk.plotted_data(vk.gap(logged, ax=_ax())).set_index("epoch")
    # fit()'s history holds the epoch mean of the (equal) training batches under the same epoch number
    train = history.query("split == 'train' and metric == 'loss'").set_index("epoch")["value"]
    np.testing.assert_allclose(table["train"], train.loc[table.index], rtol=1e-5)


def test_nothing_shifts_epochs_per_run():
    """A resumed run that continues at epoch 10 sits at 10, beside a run that starts at 0: no per-run shift."""
    first = pd.DataFrame({"run": "version_0", "step": [9, 19], "epoch": [0, 1], "split": "val",
                          "metric": "loss", "value": [1.0, 0.8]})
    resumed = pd.DataFrame({"run": "version_5", "step": [109, 119], "epoch": [10, 11], "split": "val",
                            "metric": "loss", "value": [0.5, 0.4]})
    starts_at_one = first.assign(run="keras-1-based", epoch=[1, 2])
    runs = pd.concat([first, resumed, starts_at_one], ignore_index=True)
    drawn = vk.plotted_data(vk.curves(runs, x="epoch", by="run", ax=_ax()))
    assert drawn.groupby("run", sort=False)["x"].agg(list).to_dict() == {
        "version_0": [0.0, 1.0], "version_5": [10.0, 11.0], "keras-1-based": [1.0, 2.0]}
    lightning = pd.concat([first, resumed], ignore_index=True)
    lightning = pd.concat([lightning, lightning.assign(split="train", value=lightning["value"] - 0.1)])
    table = vk.plotted_data(vk.gap(lightning, ax=_ax()))
    assert table["epoch"].tolist() == [0, 1, 10, 11] and (table["n"] == 1).all()  # never two epochs averaged

