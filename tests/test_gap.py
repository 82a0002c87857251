"""vk.gap: training against validation per epoch, the gap shaded, the best epoch and overfitting marked."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import same_color

import vizkit as vk
from tests.test_curves import make_runs
from vizkit.colors import hue_colors
from vizkit.errors import VizkitTypeError, VizkitValueError


def per_epoch(train, val, *, metric="loss", run="mlp", epochs=None):
    """A run logging ``metric`` once per epoch for both splits (epochs from 1)."""
    n = len(train)
    epochs = np.arange(1, n + 1) if epochs is None else np.asarray(epochs)
    return pd.DataFrame({"run": run, "step": np.concatenate([epochs * 10 - 1] * 2),
                         "epoch": np.concatenate([epochs, epochs]), "split": ["train"] * n + ["val"] * n,
                         "metric": metric, "value": np.asarray(list(train) + list(val), dtype=float)})


TRAIN = [1.0, 0.7, 0.5, 0.4, 0.3, 0.25, 0.2, 0.15, 0.12, 0.1]
VAL = [1.1, 0.8, 0.6, 0.5, 0.52, 0.55, 0.6, 0.66, 0.7, 0.75]


def _ax():
    return plt.subplots(figsize=(6.4, 4), dpi=100)[1]


def _legend(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


# ---------------------------------------------------------------- marks
def test_gap_marks_the_best_epoch_and_the_onset_of_overfitting():
    ax = vk.gap(per_epoch(TRAIN, VAL), ax=_ax())
    table = vk.plotted_data(ax)
    assert table.loc[table["best"], "epoch"].tolist() == [4]
    assert table.loc[table["overfitting"], "epoch"].tolist() == [4, 5, 6, 7, 8, 9, 10]
    assert _legend(ax) == ["train", "val", "gap", "overfitting from epoch 4", "best: epoch 4 (0.5)"]
    ring = next(line for line in ax.lines if line.get_label() == "_best")
    assert (ring.get_xdata()[0], ring.get_ydata()[0]) == (4, 0.5)
    onset = next(line for line in ax.lines if line.get_label() == "_onset")
    assert onset.get_xdata()[0] == 4


def test_the_gap_is_shaded_lighter_before_the_onset_and_darker_after():
    ax = vk.gap(per_epoch(TRAIN, VAL), ax=_ax())
    before, after = ax.collections
    assert before.get_alpha() < after.get_alpha()
    assert same_color(before.get_facecolor()[0][:3], hue_colors(["train", "val"])["val"])


def test_gap_table_holds_the_per_epoch_values_and_how_much_worse_validation_is():
    ax = vk.gap(per_epoch(TRAIN, VAL), ax=_ax())
    table = vk.plotted_data(ax)
    assert list(table.columns) == ["epoch", "train", "val", "n", "gap", "best", "overfitting"]
    np.testing.assert_allclose(table["gap"], np.subtract(VAL, TRAIN))


def test_validation_still_improving_at_the_end_is_no_overfitting():
    val = [1.1, 0.8, 0.6, 0.5, 0.45, 0.42, 0.4, 0.39, 0.38, 0.37]
    ax = vk.gap(per_epoch(TRAIN, val), ax=_ax())
    table = vk.plotted_data(ax)
    assert table.loc[table["best"], "epoch"].tolist() == [10] and not table["overfitting"].any()
    assert not any(text.startswith("overfitting") for text in _legend(ax))
    assert len(ax.collections) == 1


def test_fewer_worse_epochs_than_patience_is_not_yet_overfitting():
    val = VAL[:6]  # best at epoch 4, then two worse epochs
    table = vk.plotted_data(vk.gap(per_epoch(TRAIN[:6], val), ax=_ax()))
    assert not table["overfitting"].any()
    table = vk.plotted_data(vk.gap(per_epoch(TRAIN[:6], val), patience=2, ax=_ax()))
    assert table.loc[table["overfitting"], "epoch"].min() == 4


def test_a_plateau_of_both_curves_is_not_overfitting():
    train = [1.0, 0.7, 0.5, 0.4, 0.4, 0.41, 0.4, 0.42, 0.41, 0.42]
    table = vk.plotted_data(vk.gap(per_epoch(train, VAL), ax=_ax()))
    assert not table["overfitting"].any()


def test_onset_waits_for_training_to_improve_after_the_best_epoch():
    train = [1.0, 0.7, 0.5, 0.4, 0.4, 0.4, 0.4, 0.3, 0.2, 0.1]  # flat for 3 epochs after the best, then falls
    table = vk.plotted_data(vk.gap(per_epoch(train, VAL), ax=_ax()))
    assert table.loc[table["overfitting"], "epoch"].min() == 5


# ---------------------------------------------------------------- tolerance of the onset
# A seeded fit() run stopped by EarlyStopping("val_loss", patience=3): validation is best at epoch 9
# (0.05889) and then wobbles on a plateau (0.0593 at most, 0.7 % worse) while training keeps improving.
PLATEAU_TRAIN = [0.9, 0.41, 0.27, 0.2, 0.15, 0.12, 0.1, 0.085, 0.072, 0.063, 0.056, 0.05, 0.045]
PLATEAU_VAL = [0.52, 0.21, 0.14, 0.1, 0.085, 0.074, 0.068, 0.063, 0.0601, 0.05889, 0.0591, 0.0593, 0.059]


def test_a_flat_validation_plateau_is_no_overfitting():
    runs = per_epoch(PLATEAU_TRAIN, PLATEAU_VAL, epochs=range(13))
    ax = vk.gap(runs, ax=_ax())
    table = vk.plotted_data(ax)
    assert table.loc[table["best"], "epoch"].tolist() == [9] and not table["overfitting"].any()
    assert _legend(ax) == ["train", "val", "gap", "best: epoch 9 (0.0589)"]
    display = vk.ml.GapDisplay.from_runs(runs, rtol=0, atol=0)  # any worse value: the plateau would count
    assert display.overfitting_onset_ == 9


def test_overfitting_is_found_where_validation_rises_beyond_the_noise():
    rng = np.random.default_rng(0)
    epochs = np.arange(20)
    train = np.exp(-epochs / 4) + 0.01
    val = np.where(epochs <= 10, 0.3 + 0.05 * (10 - epochs), 0.3 + 0.012 * (epochs - 10))  # 4 % worse an epoch
    val = val * (1 + 0.003 * rng.standard_normal(20))                                      # after epoch 10
    display = vk.ml.GapDisplay.from_runs(per_epoch(train, val, epochs=epochs))
    assert (display.best_epoch_, display.overfitting_onset_) == (10, 10)


def test_overfitting_of_a_logged_mlp_run_is_found_after_its_best_epoch():
    run = vk.read_run("training_runs/runs/mlp_mnist/seed0")  # written by fit(); val loss 0.2366 at epoch 7
    display = vk.ml.GapDisplay.from_runs(run)
    val = run.query("split == 'val' and metric == 'loss'").set_index("epoch")["value"]
    assert display.best_epoch_ == int(val.idxmin()) == 7
    # epoch 8 is within 2 % of the best (0.2405); from epoch 9 on validation stays more than 2 % worse
    assert display.overfitting_onset_ == 8
    assert (val.loc[9:] > 1.02 * val.min()).all() and val.loc[8] < 1.02 * val.min()
    assert vk.ml.GapDisplay.from_runs(run, rtol=0).overfitting_onset_ == 7
    assert vk.ml.GapDisplay.from_runs(run, atol=0.05).overfitting_onset_ is None


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"rtol": -0.1}, VizkitValueError, r"`rtol` must be a number >= 0; got -0.1"),
    ({"atol": "1e-3"}, VizkitTypeError, r"`atol` must be a number >= 0; got '1e-3' \(str\)"),
    ({"rtol": float("nan")}, VizkitValueError, r"`rtol` must be a finite number >= 0"),
    ({"atol": True}, VizkitTypeError, r"`atol` must be a number >= 0"),
])
def test_bad_tolerances_are_refused(kwargs, error, message):
    with pytest.raises(error, match=message):
        vk.gap(per_epoch(TRAIN, VAL), **kwargs)


# ---------------------------------------------------------------- direction
def test_accuracy_is_better_higher_from_its_name_and_the_gap_is_oriented():
    train_acc = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.92, 0.94, 0.95, 0.96]
    val_acc = [0.45, 0.55, 0.65, 0.7, 0.68, 0.66, 0.65, 0.63, 0.6, 0.58]
    ax = vk.gap(per_epoch(train_acc, val_acc, metric="val_accuracy"), metric="val_accuracy", ax=_ax())
    table = vk.plotted_data(ax)
    assert table.loc[table["best"], "epoch"].tolist() == [4]
    assert table.loc[table["overfitting"], "epoch"].min() == 4
    np.testing.assert_allclose(table["gap"], np.subtract(train_acc, val_acc))


def test_mode_overrides_the_name_and_an_unknown_name_needs_it():
    runs = per_epoch(TRAIN, VAL, metric="wobble")
    with pytest.raises(VizkitValueError, match=r"cannot tell from the name 'wobble'"):
        vk.gap(runs, metric="wobble")
    table = vk.plotted_data(vk.gap(runs, metric="wobble", mode="max", ax=_ax()))
    assert table.loc[table["best"], "epoch"].tolist() == [1]
    with pytest.raises(VizkitValueError, match=r"`mode` must be one of 'min', 'max'"):
        vk.gap(runs, metric="wobble", mode="lowest")


# ---------------------------------------------------------------- rates, runs, epochs
def test_training_logged_every_step_is_averaged_per_epoch():
    runs = make_runs(seeds=(0,))
    table = vk.plotted_data(vk.gap(runs, ax=_ax()))
    train = runs.query("split == 'train' and metric == 'loss'")
    np.testing.assert_allclose(table["train"], train.groupby("epoch")["value"].mean())
    np.testing.assert_allclose(table["val"], runs.query("split == 'val' and metric == 'loss'")["value"])
    assert table["epoch"].tolist() == [1, 2, 3, 4, 5, 6]


def test_several_runs_are_averaged_per_epoch_and_the_legend_says_so():
    runs = make_runs(seeds=(0, 1, 2), epochs=12, overfit_after=6)
    ax = vk.gap(runs, ax=_ax())
    table = vk.plotted_data(ax)
    val = runs.query("split == 'val' and metric == 'loss'").groupby("epoch")["value"].mean()
    np.testing.assert_allclose(table["val"], val)
    assert (table["n"] == 3).all()
    assert ax.get_legend().get_title().get_text() == "mean of 3 runs"
    assert table.loc[table["best"], "epoch"].tolist() == [int(val.idxmin())]
    assert table["overfitting"].any()


def test_runs_that_reach_fewer_epochs_are_averaged_where_they_are():
    runs = pd.concat([per_epoch(TRAIN, VAL, run="a"), per_epoch(TRAIN[:5], VAL[:5], run="b")], ignore_index=True)
    runs.loc[runs.run == "b", "value"] += 1
    table = vk.plotted_data(vk.gap(runs, ax=_ax()))
    assert table["n"].tolist() == [2] * 5 + [1] * 5
    assert table["val"].iloc[0] == pytest.approx(VAL[0] + 0.5) and table["val"].iloc[-1] == VAL[-1]


def test_training_steps_without_epochs_take_their_epoch_from_the_runs_epoch_ends():
    runs = make_runs(seeds=(0,))
    runs.loc[runs.split == "train", "epoch"] = pd.NA
    table = vk.plotted_data(vk.gap(runs, ax=_ax()))
    train = make_runs(seeds=(0,)).query("split == 'train' and metric == 'loss'")
    np.testing.assert_allclose(table["train"], train.groupby("epoch")["value"].mean())


def test_runs_without_epochs_are_compared_per_evaluation_step():
    runs = make_runs(seeds=(0,)).drop(columns="epoch")
    ax = vk.gap(runs, ax=_ax())
    table = vk.plotted_data(ax)
    assert table["step"].tolist() == [19, 39, 59, 79, 99, 119] and ax.get_xlabel() == "Step"
    train = runs.query("split == 'train' and metric == 'loss'")
    np.testing.assert_allclose(table["train"].iloc[1], train.query("20 <= step <= 39")["value"].mean())


# ---------------------------------------------------------------- splits, colours, NaN, legend
def test_validation_split_is_found_by_name_or_given():
    runs = per_epoch(TRAIN, VAL).replace({"split": {"val": "validation"}})
    assert _legend(vk.gap(runs, ax=_ax()))[:2] == ["train", "validation"]
    runs = pd.concat([runs, per_epoch(TRAIN, VAL).query("split == 'val'").assign(split="test")])
    assert _legend(vk.gap(runs, val="test", ax=_ax()))[:2] == ["train", "test"]


def test_missing_splits_are_named_with_the_splits_that_exist():
    runs = per_epoch(TRAIN, VAL)
    with pytest.raises(VizkitValueError, match=r"`train` must be a split of metric 'loss' in `runs`: 'train', "
                                               r"'val'; got 'training'"):
        vk.gap(runs, train="training")
    with pytest.raises(VizkitValueError, match=r"`val` must be a validation split of metric 'loss'.*Its splits: "
                                               r"'train'"):
        vk.gap(runs.query("split == 'train'"))
    with pytest.raises(VizkitValueError, match=r"`metric` must be one of the metrics in `runs`: 'loss'"):
        vk.gap(runs, metric="acc")


def test_bad_patience_is_refused():
    with pytest.raises(VizkitTypeError, match=r"`patience` must be an int >= 1"):
        vk.gap(per_epoch(TRAIN, VAL), patience=1.5)


def test_train_and_val_take_the_colours_curves_gives_them():
    runs = per_epoch(TRAIN, VAL)
    train, val = vk.gap(runs, ax=_ax()).lines[:2]
    expected = [line.get_color() for line in vk.curves(runs, ax=_ax()).lines]
    assert same_color([train.get_color(), val.get_color()], expected)
    with vk.theme():
        train, val = vk.gap(runs, ax=_ax()).lines[:2]
        assert same_color([train.get_color(), val.get_color()], vk.palette(n=2))


def test_nonfinite_validation_is_left_out_marked_and_never_crashes():
    val = list(VAL)
    val[6] = np.nan
    ax = vk.gap(per_epoch(TRAIN, val), ax=_ax())
    table = vk.plotted_data(ax)
    assert np.isnan(table["val"].iloc[6]) and table.loc[table["best"], "epoch"].tolist() == [4]
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "vizkit-nonfinite-label"]
    assert labels == ["NaN at step 69"]


def test_the_legend_covers_no_point_of_the_curves():
    runs = make_runs(seeds=(0, 1, 2), epochs=30, overfit_after=12)
    ax = vk.gap(runs, ax=_ax())
    ax.figure.canvas.draw()
    box = ax.get_legend().get_window_extent()
    for line in ax.lines[:2]:
        points = line.get_transform().transform(line.get_xydata())
        assert not box.count_contains(points)


# ---------------------------------------------------------------- GapDisplay
def test_gap_display_reads_its_findings_without_drawing():
    before = plt.get_fignums()
    display = vk.ml.GapDisplay.from_runs(per_epoch(TRAIN, VAL))
    assert (display.best_epoch_, display.best_value_) == (4, 0.5)
    assert (display.overfitting_onset_, display.onset_value_) == (4, 0.5)
    assert (display.mode, display.n_runs, display.x) == ("min", 1, "epoch")
    assert display.ax_ is None and display.figure_ is None and plt.get_fignums() == before
    assert list(display.table.columns) == ["epoch", "train", "val", "n", "gap", "best", "overfitting"]
    assert repr(display).startswith("GapDisplay(best_epoch_=4, best_value_=0.5, overfitting_onset_=4")


def test_gap_display_findings_are_what_the_drawn_chart_labels():
    runs = make_runs(seeds=(0, 1, 2), epochs=30, overfit_after=12)
    display = vk.ml.GapDisplay.from_runs(runs)
    ax = _ax()
    assert display.plot(ax=ax) is display and display.ax_ is ax and display.figure_ is ax.figure
    table = vk.plotted_data(ax)
    assert table.loc[table["best"], "epoch"].tolist() == [display.best_epoch_]
    assert table.loc[table["overfitting"], "epoch"].min() == display.overfitting_onset_
    assert _legend(ax)[-2:] == [f"overfitting from epoch {display.overfitting_onset_}",
                                f"best: epoch {display.best_epoch_} ({display.best_value_:.3g})"]
    assert display.artists_["best"].get_xdata()[0] == display.best_epoch_
    assert display.artists_["onset"].get_xdata()[0] == display.overfitting_onset_
    assert display.artists_["legend"] is ax.get_legend() and display.artists_["fills"] == list(ax.collections)
    assert [display.artists_["train"], display.artists_["val"]] == list(ax.lines[:2])


def test_gap_is_the_display_drawn_on_its_ax():
    runs = per_epoch(TRAIN, VAL)
    one_call = vk.plotted_data(vk.gap(runs, patience=2, ax=_ax()))
    display = vk.ml.GapDisplay.from_runs(runs, patience=2).plot(ax=_ax())
    pd.testing.assert_frame_equal(vk.plotted_data(display.ax_), one_call)
    assert _legend(display.ax_) == _legend(vk.gap(runs, patience=2, ax=_ax()))


def test_gap_display_without_epochs_finds_steps_and_without_overfitting_finds_no_onset():
    display = vk.ml.GapDisplay.from_runs(make_runs(seeds=(0,)).drop(columns="epoch"))
    assert display.x == "step" and display.best_epoch_ in [19, 39, 59, 79, 99, 119]
    val = [1.1, 0.8, 0.6, 0.5, 0.45, 0.42, 0.4, 0.39, 0.38, 0.37]
    display = vk.ml.GapDisplay.from_runs(per_epoch(TRAIN, val))
    assert display.best_epoch_ == 10 and display.overfitting_onset_ is None and display.onset_value_ is None
    display.plot(ax=_ax())
    assert display.artists_["onset"] is None and len(display.artists_["fills"]) == 1


def test_gap_display_draws_nothing_for_a_validation_that_is_never_finite():
    display = vk.ml.GapDisplay.from_runs(per_epoch(TRAIN, [np.nan] * len(TRAIN)))
    assert display.best_epoch_ is None and display.best_value_ is None and display.overfitting_onset_ is None
    assert display.plot(ax=_ax()).artists_["best"] is None
