"""The charts of the regularization experiment against its run log: curve_grid, gap_summary, early_stopping,
weight_ridges (training_runs/runs/regularization, written by training_runs/regularization.py)."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy import stats

import vizkit as vk
from tests.training_scripts import ROOT
from vizkit.errors import ColumnNotFoundError, VizkitTypeError, VizkitValueError
from vizkit.ml import EarlyStoppingDisplay, GapSummaryDisplay

COMMITTED = ROOT / "training_runs" / "runs" / "regularization"
ORDER = ["none", "early_stopping", "weight_decay", "augmentation", "input_noise", "label_smoothing", "mixup",
         "dropout", "batch_norm"]

pytestmark = pytest.mark.skipif(not COMMITTED.exists(), reason="python training_runs/regularization.py first")


@pytest.fixture(scope="module")
def runs():
    return vk.read_runs(str(COMMITTED / "*"))


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def epoch_values(runs, run, split, metric):
    return runs.query("run == @run and split == @split and metric == @metric").set_index("epoch")["value"]


# -- gap_summary ------------------------------------------------------------------------------------------

def test_gap_summary_reads_each_runs_last_epoch_and_best_validation_from_the_log(runs):
    axes = vk.gap_summary(runs, by="method", metric="acc", order=ORDER)
    table = vk.plotted_data(axes[0])
    per_run = table.attrs["runs"]
    assert table["method"].tolist() == ORDER and (table["n"] == 3).all() and len(per_run) == 27
    acc = runs.query("metric == 'acc'").pivot_table(index=["run", "epoch"], columns="split", values="value")
    for row in per_run.itertuples():
        logged = acc.loc[row.run]
        assert row.epoch == logged.index.max()                            # the last epoch (a stop for early stopping)
        assert row.gap == pytest.approx(logged.loc[row.epoch, "train"] - logged.loc[row.epoch, "val"])  # train - val
        assert (row.best, row.best_epoch) == (logged["val"].max(), logged["val"].idxmax())
    none = per_run.query("method == 'none'")["gap"]
    low, high = stats.t.interval(0.95, 2, loc=none.mean(), scale=stats.sem(none))
    assert table.loc[0, ["gap", "gap_low", "gap_high"]].tolist() == pytest.approx([none.mean(), low, high])


def test_gap_summary_draws_the_table_bars_dots_and_labels(runs):
    display = GapSummaryDisplay.from_runs(runs, by="method", metric="acc", order=ORDER).plot()
    bars = display.artists_["gap_bars"]
    assert [bar.get_width() for bar in bars] == pytest.approx(display.table["gap"].tolist())
    assert [t.get_text() for t in display.axes_[0].get_yticklabels()] == ORDER        # top to bottom as ordered
    assert [bar.get_y() + bar.get_height() / 2 for bar in bars] == list(range(8, -1, -1))
    gap_dots, best_dots = display.artists_["dots"]
    np.testing.assert_allclose(gap_dots.get_offsets()[:, 0], display.per_run["gap"])      # one dot per run
    np.testing.assert_allclose(best_dots.get_offsets()[:, 0], display.per_run["best"])
    assert display.best_group_ == "augmentation" and display.smallest_gap_ == "augmentation"
    assert display.gap_["none"] == pytest.approx(display.table.loc[0, "gap"])


def test_gap_summary_of_the_loss_is_val_minus_train(runs):
    found = GapSummaryDisplay.from_runs(runs.query("method == 'none'"), by="method", metric="loss")
    row = found.per_run.iloc[0]
    assert found.mode == "min" and row["gap"] == pytest.approx(row["val"] - row["train"]) and row["gap"] > 0


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    ({"by": "recipe"}, ColumnNotFoundError, "recipe"),
    ({"by": "split"}, VizkitValueError, "`by` must be 'run' or a config column"),   # it divides each run
    ({"by": "method", "order": ["none"]}, VizkitValueError, "`order`"),
    ({"by": "method", "level": 100}, VizkitValueError, "`level`"),
    ({"by": "method", "metric": "f1"}, VizkitValueError, "`metric`"),
])
def test_gap_summary_names_the_bad_argument(runs, kwargs, error, match):
    with pytest.raises(error, match=match):
        vk.gap_summary(runs, **{"metric": "acc", **kwargs})
    assert not plt.get_fignums()                                          # a refused call draws nothing


def test_gap_summary_refuses_axes_that_are_not_a_pair(runs):
    fig, ax = plt.subplots()
    with pytest.raises(VizkitTypeError, match="`axes`"):
        vk.gap_summary(runs.query("method == 'none'"), by="method", axes=ax)


# -- early_stopping ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 2])
def test_early_stopping_draws_the_stop_the_callback_made(runs, seed):
    run = f"early_stopping-seed{seed}"
    recorded = runs.attrs["runs"][run]["config"]["early_stopping"]
    fig, ax = plt.subplots()
    display = EarlyStoppingDisplay.from_runs(runs, run=run).plot(ax=ax)
    assert (display.stop_epoch_, display.best_epoch_) == (recorded["stopped_epoch"], recorded["best_epoch"])
    assert display.best_value_ == recorded["best"] and display.reason_ == recorded["reason"]
    assert display.stopped_by_callback_ and ax.get_title(loc="left") == recorded["reason"]   # its own message
    assert display.artists_["stop"].get_xdata()[0] == recorded["stopped_epoch"]
    table = vk.plotted_data(ax)
    assert table.loc[table["window"], "epoch"].tolist() == list(range(recorded["best_epoch"] + 1,
                                                                     recorded["stopped_epoch"] + 1))
    assert table["value"].tolist() == epoch_values(runs, run, "val", "loss").tolist()
    assert not table["after"].any() and table["wait"].iloc[-1] == recorded["patience"]


def test_early_stopping_on_the_unstopped_run_finds_the_same_stop_and_greys_what_came_after(runs):
    stopped = EarlyStoppingDisplay.from_runs(runs, run="early_stopping-seed0")
    fig, ax = plt.subplots()
    display = EarlyStoppingDisplay.from_runs(runs, run="none-seed0", patience=5).plot(ax=ax)
    # the same weights and batches: the curves agree up to the stop, and so does the rule
    assert (display.stop_epoch_, display.best_epoch_, display.reason_) == (
        stopped.stop_epoch_, stopped.best_epoch_, stopped.reason_)
    assert not display.stopped_by_callback_ and display.recorded is None
    table = vk.plotted_data(ax)
    assert table.loc[table["after"], "epoch"].min() == display.stop_epoch_ + 1 and table["epoch"].max() == 29
    assert ax.get_title(loc="left") == f"EarlyStopping would stop here:\n{stopped.reason_}"


@pytest.mark.parametrize(("kwargs", "match"), [
    ({}, "`run` must be one of the 27 runs"),
    ({"run": "none-seed0"}, "`patience`"),
    ({"run": "early_stopping-seed0", "monitor": "val_f1"}, r"`monitor`.*'val_acc', 'val_loss'"),
    ({"run": "nothing"}, "`run`"),
])
def test_early_stopping_names_the_bad_argument(runs, kwargs, match):
    with pytest.raises(VizkitValueError, match=match):
        vk.early_stopping(runs, **kwargs)


# -- curve_grid --------------------------------------------------------------------------------------------

def test_curve_grid_draws_each_methods_seed_mean_in_its_own_panel(runs):
    grid = vk.curve_grid(runs, col="method", order=ORDER, metric="loss", band="sd", col_wrap=3)
    assert [ax.get_title() for ax in grid.axes.flat] == ORDER
    for method in ("none", "mixup"):
        drawn = vk.plotted_data(grid.axes_dict[method]).query("split == 'val'").set_index("x")
        logged = runs.query("method == @method and split == 'val' and metric == 'loss'").groupby("epoch")["value"]
        assert drawn["y"].to_numpy() == pytest.approx(logged.mean().to_numpy())
        assert (drawn["high"] - drawn["y"]).to_numpy() == pytest.approx(logged.std(ddof=1).to_numpy())  # ± 1 sd
    shared = {ax.get_ylim() for ax in grid.axes.flat}
    assert len(shared) == 1


def test_curve_grid_names_a_bad_order_or_column(runs):
    with pytest.raises(VizkitValueError, match="`order`"):
        vk.curve_grid(runs, col="method", order=["none", "dropout"])
    with pytest.raises(VizkitValueError, match="`col` must be 'run' or a config column"):
        vk.curve_grid(runs, col="split")
    assert not plt.get_fignums()


# -- weight_ridges -----------------------------------------------------------------------------------------

def test_weight_ridges_read_the_snapshots_by_epoch_and_show_the_decay(runs):
    chosen = runs.query("method in ['none', 'weight_decay'] and seed == 0")
    axes = vk.weight_ridges(chosen, name="fc1_sample", by="method")
    assert [ax.get_title(loc="left") for ax in axes] == ["none", "weight_decay"]
    numbers = {ax.get_title(loc="left"): vk.plotted_data(ax).attrs["weights"].set_index("epoch") for ax in axes}
    config = runs.attrs["runs"]["none-seed0"]["config"]
    expected = ["start"] + [str(e) for e in config["snapshot_epochs"][1:]]
    assert numbers["none"].index.tolist() == expected and (numbers["none"]["n"] == 2048).all()
    assert numbers["none"].loc["start", "std"] == numbers["weight_decay"].loc["start", "std"]   # the same start
    assert numbers["weight_decay"].loc["29", "abs_mean"] < 0.7 * numbers["none"].loc["29", "abs_mean"]
    drawn = vk.plotted_data(axes[1])
    assert list(pd.unique(drawn["by"].astype(str))) == expected
    assert axes[0].get_xlim() == axes[1].get_xlim()


def test_weight_ridges_names_a_missing_snapshot_name_and_a_bad_by(runs):
    with pytest.raises(VizkitValueError, match="fc1_sample"):
        vk.weight_ridges(runs.query("run == 'none-seed0'"), name="fc9")
    with pytest.raises(VizkitValueError, match="`by`"):
        vk.weight_ridges(runs.query("run == 'none-seed0'"), name="fc1_sample", by="split")
    assert not plt.get_fignums()
