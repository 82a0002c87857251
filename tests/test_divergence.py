"""A diverged run: the finite part on a readable scale, the jump to huge values and the NaN marked inside the Axes.

A run whose loss grows to 1.6e24 and then turns NaN (319 NaN, as a small MLP
under SGD with a far too large learning rate does) used to draw as one dot on
an axis up to 1e24, with its NaN mark outside the Axes. Each test reads what
was drawn: where every mark and label is, and the y-limits.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import vizkit as vk

MARKS = ("vizkit-nonfinite", "vizkit-off-scale")
LABELS = ("vizkit-nonfinite-label", "vizkit-off-scale-label")


def diverged(run="sgd-lr1e4", *, calm=50, nan_from=81, n=400, peak=1.6e24, sign=1.0):
    """Train loss every step: falls for ``calm`` steps, then grows exponentially to ``peak``, then NaN to step ``n``."""
    step = np.arange(n)
    loss = 2.3 * np.exp(-step / 30) + 0.3
    grow = step >= calm
    rate = np.log(peak / loss[calm]) / (nan_from - 1 - calm)
    loss[grow] = loss[calm] * np.exp((step[grow] - calm) * rate)
    loss[step >= nan_from] = np.nan
    return pd.DataFrame({"run": run, "step": step, "epoch": step // 40, "split": "train", "metric": "loss",
                         "value": sign * loss})


def healthy(run, values):
    """Train loss every step, finite throughout."""
    return pd.DataFrame({"run": run, "step": np.arange(len(values)), "split": "train", "metric": "loss",
                         "value": values})


def _ax():
    return plt.subplots(figsize=(6.4, 4), dpi=100)[1]


def _labels(ax):
    return [t.get_text() for t in ax.texts if t.get_gid() in LABELS]


def assert_marks_inside(ax):
    """Every NaN/inf and off-scale mark, and every label, lies within the Axes (x within its limits too)."""
    ax.figure.canvas.draw()
    box = ax.get_window_extent()
    marks = [line for line in ax.lines if line.get_gid() in MARKS]
    assert marks
    low, high = sorted(ax.get_xlim())
    for line in marks:
        assert np.all((line.get_xdata() >= low) & (line.get_xdata() <= high)), line.get_gid()
        for x, y in line.get_transform().transform(line.get_xydata()):
            assert box.x0 <= x <= box.x1 and box.y0 <= y <= box.y1, line.get_gid()
    for text in (t for t in ax.texts if t.get_gid() in LABELS):
        extent = text.get_window_extent()
        assert box.x0 - 0.5 <= extent.x0 and extent.x1 <= box.x1 + 0.5, text.get_text()
        assert box.y0 - 0.5 <= extent.y0 and extent.y1 <= box.y1 + 0.5, text.get_text()


def assert_readable(ax, calm_values):
    """The y-limits hold every value before the divergence and are not blown up by it."""
    low, high = ax.get_ylim()
    assert low <= np.min(calm_values) and np.max(calm_values) <= high
    assert high - low < max(2 * (np.max(calm_values) - np.min(calm_values)), 0.5 * np.max(np.abs(calm_values)))


# ---------------------------------------------------------------- curves
def test_a_diverged_run_is_drawn_on_its_scale_before_it_diverged_with_the_jump_and_the_nan_marked():
    runs = diverged()
    ax = vk.curves(runs, ax=_ax())
    calm = runs["value"].iloc[:51]
    assert_readable(ax, calm)
    assert_marks_inside(ax)
    assert _labels(ax) == ["NaN at step 81 (+318 more NaN/inf)", "↑ 1.6e24 at step 80"]
    off = next(line for line in ax.lines if line.get_gid() == "vizkit-off-scale")
    assert off.get_xdata().tolist() == [80] and off.get_marker() == "^"
    drawn = vk.plotted_data(ax)  # what was logged is all there: only the view is limited
    assert drawn["y"].max() == pytest.approx(1.6e24) and drawn["nonfinite"].sum() == 319


def test_the_nan_mark_of_a_run_that_diverged_at_once_sits_inside_the_axes():
    """SGD at lr=1e4: one finite loss, 1.4e14, then inf and NaN; the marks used to land beyond the x-limits."""
    runs = pd.DataFrame({"run": "mlp", "step": np.arange(400), "split": "train", "metric": "loss",
                         "value": [0.5456, 1.36e14, np.inf] + [np.nan] * 397})
    ax = vk.curves(runs, ax=_ax())
    assert_marks_inside(ax)
    assert_readable(ax, [0.5456])
    assert _labels(ax) == ["inf at step 2 (+397 more NaN/inf)", "↑ 1.36e14 at step 1"]


def test_x_epoch_marks_the_divergence_at_its_epoch_position_and_names_its_step():
    runs = diverged()
    ax = vk.curves(runs, x="epoch", ax=_ax())
    assert_marks_inside(ax)
    assert "↑ 1.6e24 at step 80" in _labels(ax)
    off = next(line for line in ax.lines if line.get_gid() == "vizkit-off-scale")
    assert off.get_xdata()[0] == pytest.approx(vk.plotted_data(ax).set_index("y")["x"].loc[runs["value"].max()])


def test_a_healthy_run_among_diverged_ones_keeps_its_whole_range_and_labels_name_the_run():
    adam = healthy("adam", 3.0 * np.exp(-np.arange(400) / 60) + 0.1)
    runs = pd.concat([diverged(), adam], ignore_index=True)
    ax = vk.curves(runs, by="run", ax=_ax())
    assert_readable(ax, np.concatenate([diverged()["value"].iloc[:51], adam["value"]]))
    assert_marks_inside(ax)
    assert "sgd-lr1e4 · train: ↑ 1.6e24 at step 80" in _labels(ax)


def test_a_mean_with_a_band_over_a_diverged_seed_stays_readable():
    seeds = [healthy(f"seed{s}", 2 * np.exp(-np.arange(400) / 50) + s / 10) for s in range(2)]
    runs = pd.concat([*seeds, diverged("seed2")], ignore_index=True).assign(lr=0.1)
    ax = vk.curves(runs, by="lr", band="minmax", ax=_ax())
    assert ax.get_ylim()[1] < 10
    assert_marks_inside(ax)


def test_divergence_to_minus_huge_is_marked_at_the_bottom_edge():
    ax = vk.curves(diverged(sign=-1.0).assign(metric="reward"), metric="reward", ax=_ax())
    assert_marks_inside(ax)
    assert "↓ -1.6e24 at step 80" in _labels(ax)
    assert next(line for line in ax.lines if line.get_gid() == "vizkit-off-scale").get_marker() == "v"
    assert ax.get_ylim()[0] > -10


def test_a_log_or_symlog_axis_asked_for_keeps_every_value():
    ax = _ax()
    ax.set_yscale("symlog")
    vk.curves(diverged(), ax=ax)
    assert ax.get_ylim()[1] >= 1.6e24
    assert not any(line.get_gid() == "vizkit-off-scale" for line in ax.lines)
    assert _labels(ax) == ["NaN at step 81 (+318 more NaN/inf)"]


@pytest.mark.parametrize("values", [
    3000.0 * np.exp(-np.arange(300) / 20) + 0.01,                           # starts high and falls 5 decades
    np.where(np.arange(300) == 150, 8.0, 0.5),                             # a spike 16x the rest
    np.concatenate([np.zeros(200), np.ones(100)]),                         # mostly zeros
])
def test_healthy_series_are_drawn_as_before(values):
    ax = vk.curves(healthy("r", values), ax=_ax())
    assert ax.get_autoscaley_on() and not _labels(ax)
    low, high = ax.get_ylim()
    assert low <= values.min() and values.max() <= high


# ---------------------------------------------------------------- dashboard (and LivePlot, which draws it)
def test_dashboard_panels_of_a_diverged_run_are_readable_with_the_marks_inside():
    runs = diverged()
    acc = runs.assign(metric="acc", value=np.where(runs["value"].isna(), np.nan, 0.1 + 0.001 * runs["step"]))
    fig = vk.ml.dashboard(pd.concat([runs, acc], ignore_index=True), figure=Figure(figsize=(8.8, 3.4)))
    loss_ax = next(ax for ax in fig.axes if ax.get_title() == "loss")
    assert_readable(loss_ax, runs["value"].iloc[:51])
    assert_marks_inside(loss_ax)
    assert "↑ 1.6e24 at step 80" in _labels(loss_ax)


# ---------------------------------------------------------------- gap
def test_gap_of_a_diverged_run_keeps_the_epochs_before_it_readable():
    epochs = np.arange(10)
    train = np.r_[[1.0, 0.6, 0.4, 0.3, 0.25, 0.22], [3.0, 4e3, 9e11, 1.6e24]]
    val = np.r_[[1.1, 0.7, 0.5, 0.4, 0.36, 0.35], [5.0, 2e4, np.nan, np.nan]]
    runs = pd.DataFrame({"run": "mlp", "step": np.r_[epochs, epochs] * 10 + 9, "epoch": np.r_[epochs, epochs],
                         "split": ["train"] * 10 + ["val"] * 10, "metric": "loss", "value": np.r_[train, val]})
    ax = vk.gap(runs, ax=_ax())
    assert ax.get_ylim()[1] < 5
    assert_marks_inside(ax)
    assert set(_labels(ax)) == {"NaN at step 89 (+1 more NaN/inf)", "train: ↑ 1.6e24 at epoch 9",
                                "val: ↑ 2e4 at epoch 7"}
    legend = ax.get_legend().get_window_extent()
    assert not any(legend.overlaps(t.get_window_extent()) for t in ax.texts if t.get_gid() in LABELS)


# ---------------------------------------------------------------- a real run
def test_a_small_mlp_under_sgd_with_a_huge_learning_rate_draws_readably(tmp_path):
    torch = pytest.importorskip("torch")
    from vizkit.torch import Run

    torch.manual_seed(0)
    x = torch.randn(256, 8)
    y = torch.nn.functional.one_hot((x.sum(1) > 0).long(), 2).float()
    model = torch.nn.Sequential(torch.nn.Linear(8, 32), torch.nn.ReLU(), torch.nn.Linear(32, 2))
    optimizer = torch.optim.SGD(model.parameters(), lr=2.0)
    with pytest.warns(UserWarning, match="non-finite"), Run(tmp_path / "run", flush_secs=None) as run:
        for step in range(60):
            batch = torch.randint(0, 256, (32,))
            loss = torch.nn.functional.mse_loss(model(x[batch]), y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            run.log(step=step, epoch=step // 20, loss=loss.detach())
    logged = vk.read_run(tmp_path / "run")
    values = logged["value"].to_numpy()
    finite = values[np.isfinite(values)]
    assert finite.max() > 1e6 and np.isnan(values).any()  # it did diverge
    ax = vk.curves(logged, ax=_ax())
    assert_marks_inside(ax)
    assert ax.get_ylim()[1] < finite.max() / 1e3
    assert any(text.startswith("↑ ") for text in _labels(ax))
