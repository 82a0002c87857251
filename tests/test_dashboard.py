"""vk.ml.dashboard: one panel per metric, splits overlaid in the same colours, one legend, quick redraws."""

import time

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import same_color
from matplotlib.figure import Figure

import vizkit as vk
from tests.test_curves import make_runs, one_series
from vizkit.errors import ColumnNotFoundError, VizkitTypeError, VizkitValueError
from vizkit.ml import dashboard
from vizkit.ml.run_dashboard import CONSTANTS_GID


def _colors_by_split(fig):
    """{split: set of line colours} over every panel (main lines only)."""
    out = {}
    for ax in fig.axes:
        data = vk.plotted_data(ax)
        if data.empty:
            continue
        for line in ax.lines:
            if (line.get_alpha() or 1) == 1 and line.get_gid() != "vizkit-nonfinite":
                split = "val" if len(line.get_xdata()) <= 30 else "train"
                out.setdefault(split, []).append(line.get_color())
    return out


def test_one_panel_per_metric_in_logged_order_with_one_shared_legend():
    runs = make_runs(seeds=(0,))
    lr = one_series(np.where(np.arange(120) < 60, 0.01, 0.001), metric="lr", run="lr0.01-seed0",
                    epoch=np.arange(120) // 20 + 1)
    fig = dashboard(pd.concat([runs, lr.assign(step=lr.step + 5)], ignore_index=True), figure=Figure())
    assert [ax.get_title() for ax in fig.axes] == ["loss", "acc", "lr"]  # first logged at step 0, 0, 5
    assert all(ax.get_legend() is None for ax in fig.axes)
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == ["train", "val"]
    colors = _colors_by_split(fig)
    for split, handle in zip(["train", "val"], legend.legend_handles, strict=True):
        assert all(same_color(c, handle.get_color()) for c in colors[split])


def test_the_same_split_keeps_its_colour_in_a_panel_without_the_others():
    runs = make_runs(seeds=(0,))
    only_val = runs.query("split == 'val' and metric == 'acc'").assign(metric="val_f1")
    fig = dashboard(pd.concat([runs, only_val], ignore_index=True), figure=Figure())
    panel = next(ax for ax in fig.axes if ax.get_title() == "val_f1")
    assert same_color(panel.lines[0].get_color(), fig.legends[0].legend_handles[1].get_color())


def test_panels_come_in_rows_of_two_or_three_and_only_the_bottom_ones_name_x():
    runs = pd.concat([one_series([1.0, 0.5], metric=m) for m in ["loss", "acc", "lr", "grad_norm", "f1"]])
    fig = dashboard(runs, figure=Figure())
    shapes = [ax.get_subplotspec().get_geometry()[:2] for ax in fig.axes]
    assert set(shapes) == {(2, 3)}
    assert [ax.get_xlabel() for ax in fig.axes] == ["", "", "Step", "Step", "Step"]
    four = dashboard(runs, metrics=["loss", "acc", "lr", "f1"], figure=Figure())
    assert four.axes[0].get_subplotspec().get_geometry()[:2] == (2, 2)


def test_dashboard_redraws_into_the_same_figure_and_opens_no_pyplot_figure():
    runs = make_runs(seeds=(0,))
    fig = Figure()
    before = plt.get_fignums()
    assert dashboard(runs.query("step < 50"), figure=fig) is fig
    first = list(fig.axes)
    dashboard(runs, figure=fig)
    assert len(fig.axes) == 2 and not set(first) & set(fig.axes) and len(fig.legends) == 1
    assert plt.get_fignums() == before
    assert fig.get_layout_engine() is not None


def test_a_new_figure_is_sized_by_its_panels():
    fig = dashboard(make_runs(seeds=(0,)))
    assert tuple(fig.get_size_inches()) == pytest.approx((8.8, 3.4))


def test_metrics_x_and_smooth_reach_every_panel():
    runs = make_runs(seeds=(0,))
    fig = dashboard(runs, metrics="acc", x="epoch", smooth=10, figure=Figure())
    (ax,) = fig.axes
    data = vk.plotted_data(ax)
    assert ax.get_title() == "acc" and ax.get_xlabel() == "Epoch" and "smooth" in data
    assert data.query("split == 'val'")["x"].tolist() == [1, 2, 3, 4, 5, 6]


def test_a_run_of_a_million_steps_redraws_only_its_decimated_points(rng):
    n = 1_000_000
    runs = pd.concat([one_series(rng.normal(size=n).cumsum(), metric="loss"),
                      one_series(rng.uniform(size=n), metric="acc"),
                      one_series(rng.normal(size=100), steps=np.arange(1, 101) * 10_000 - 1, split="val")],
                     ignore_index=True)
    fig = Figure(figsize=(9, 3.5))
    FigureCanvasAgg(fig)  # a canvas that renders, as a live plot's PNG needs
    dashboard(runs.iloc[:1000], figure=fig)  # first use of tsdownsample starts its thread pool
    fig.canvas.draw()
    timings = []
    for _ in range(2):
        start = time.perf_counter()
        dashboard(runs, figure=fig)
        fig.canvas.draw()
        timings.append(time.perf_counter() - start)
    print(f"dashboard + draw of 2e6 records: {min(timings) * 1000:.0f} ms")  # measured by make bench, not asserted
    notes = [t.get_text() for ax in fig.axes for t in ax.texts if t.get_gid() == "vizkit-decimation-note"]
    assert notes == ["1,000,100 logged / 2,102 drawn", "1,000,000 logged / 2,002 drawn"]
    drawn = [sum(len(line.get_xdata()) for line in ax.lines) for ax in fig.axes]
    assert drawn == [2_102, 2_002]  # what is redrawn is the decimated curve (about MAX_POINTS), never 1e6 points


def test_an_empty_frame_says_no_records_yet():
    fig = dashboard(make_runs(seeds=(0,)).iloc[:0], figure=Figure())
    (ax,) = fig.axes
    assert ax.texts[0].get_text() == "no records logged yet"


def test_bad_arguments_are_named():
    runs = make_runs(seeds=(0,))
    with pytest.raises(VizkitValueError, match=r"`metrics` must be one of 'loss', 'acc'; got 'los'"):
        dashboard(runs, metrics=["los"], figure=Figure())
    with pytest.raises(VizkitTypeError, match=r"`figure` must be a matplotlib.figure.Figure"):
        dashboard(runs, figure=plt.subplots()[1])
    with pytest.raises(VizkitValueError, match=r"`x` must be one of 'step', 'epoch', 'time'"):
        dashboard(runs, x="steps", figure=Figure())
    with pytest.raises(VizkitValueError, match=r"`metrics` must be a non-empty list"):
        dashboard(runs, metrics=[], figure=Figure())


# ---------------------------------------------------------------- several runs, schedules, constants (issue 11)
def _optimizer_runs():
    """Six runs as an optimizer comparison logs them: loss, acc, a constant lr and momentum per optimizer."""
    runs = make_runs(lrs=(0.001, 0.01, 0.1), seeds=(0, 1), epochs=4)
    runs["optimizer"] = runs["lr"].map({0.001: "sgd", 0.01: "momentum", 0.1: "adam"})
    train = runs.query("split == 'train' and metric == 'loss'")
    hyper = [train.assign(metric="lr", value=train["lr"]),
             train.assign(metric="momentum", value=np.where(train["optimizer"] == "sgd", 0.0, 0.9))]
    return pd.concat([runs, *hyper], ignore_index=True)


def test_by_a_config_column_colours_the_runs_by_group_and_tells_splits_apart_by_line_style():
    runs = _optimizer_runs()
    fig = dashboard(runs, by="optimizer", figure=Figure())
    (legend, _) = fig.legends
    assert legend.get_title().get_text() == "Optimizer"
    assert [t.get_text() for t in legend.get_texts()] == ["sgd", "momentum", "adam", "train", "val"]
    colour = {t.get_text(): h.get_color() for t, h in zip(legend.get_texts(), legend.legend_handles, strict=True)}
    for ax in fig.axes:
        data = vk.plotted_data(ax)
        assert set(data["optimizer"]) == {"adam", "momentum", "sgd"}
        for line in (line for line in ax.lines if (line.get_alpha() or 1) == 1 and line.get_label() != "_last_value"):
            level = data.loc[(data["x"] == line.get_xdata()[0]) & (data["y"] == line.get_ydata()[0]), "optimizer"]
            assert same_color(line.get_color(), colour[level.iloc[0]])
        assert {line.get_linestyle() for line in ax.lines if len(line.get_xdata()) == 4} == {"--"}  # val, dashed


def test_constant_metrics_become_one_line_of_text_instead_of_a_panel():
    runs = make_runs(seeds=(0,))
    train = runs.query("split == 'train' and metric == 'loss'")
    sgd = pd.concat([runs, train.assign(metric="lr", value=0.1), train.assign(metric="momentum", value=0.0)])
    fig = dashboard(sgd, figure=Figure())
    assert [ax.get_title() for ax in fig.axes] == ["loss", "acc"]
    (constants,) = [legend for legend in fig.legends if legend.get_gid() == CONSTANTS_GID]
    assert [t.get_text() for t in constants.get_texts()] == ["lr = 0.1 (constant)", "momentum = 0 (constant)"]
    assert tuple(dashboard(sgd).get_size_inches()) == pytest.approx((8.8, 3.4 + 2 * 0.22))


def test_constants_that_differ_between_runs_name_who_holds_each_value():
    runs = _optimizer_runs()
    by_optimizer = dashboard(runs, by="optimizer", figure=Figure())
    (constants,) = [legend for legend in by_optimizer.legends if legend.get_gid() == CONSTANTS_GID]
    assert [t.get_text() for t in constants.get_texts()] == [
        "lr = 0.001 (sgd), 0.01 (momentum), 0.1 (adam) (constant)",
        "momentum = 0 (sgd), 0.9 (momentum, adam) (constant)"]
    by_split = dashboard(runs.query("optimizer != 'momentum'"), figure=Figure())
    texts = [t.get_text() for t in by_split.legends[1].get_texts()]
    assert texts[1] == "momentum = 0 (lr0.001-seed0, lr0.001-seed1), 0.9 (lr0.1-seed0, lr0.1-seed1) (constant)"


def test_a_schedule_that_changes_keeps_its_panel_and_is_never_smoothed():
    runs = make_runs(seeds=(0,))
    train = runs.query("split == 'train' and metric == 'loss'")
    step_lr = np.where(train["step"] < 60, 0.1, 0.03)  # StepLR: a drop at step 60
    fig = dashboard(pd.concat([runs, train.assign(metric="lr-SGD", value=step_lr)]), smooth=5, figure=Figure())
    panel = next(ax for ax in fig.axes if ax.get_title() == "lr-SGD")
    data = vk.plotted_data(panel)
    assert "smooth" not in data and data["y"].tolist() == step_lr.tolist()
    loss = vk.plotted_data(next(ax for ax in fig.axes if ax.get_title() == "loss"))
    assert loss.query("split == 'train'")["smooth"].notna().all()
    assert loss.query("split == 'val'").get("smooth", pd.Series(dtype=float)).isna().all()  # 6 points: raw


def test_the_live_plots_renderer_draws_what_the_dashboard_draws_and_is_sized_by_its_panels(tmp_path):
    """LivePlot renders through dashboard: a schedule stays a step, constants are text, the PNG fits the panels."""
    from vizkit.io import RunWriter
    from vizkit.ml.live_render import Renderer

    with RunWriter(tmp_path / "run") as run:
        for step in range(120):
            run.log(step=step, loss=2.0 / (1 + step), lr=0.1 if step < 60 else 0.01, momentum=0.9)
    renderer = Renderer(tmp_path / "run", tmp_path / "live.png", smooth=0.9)
    assert renderer.draw() == 360
    assert [ax.get_title() for ax in renderer.figure.axes] == ["loss", "lr"]
    lr = vk.plotted_data(renderer.figure.axes[1])
    assert "smooth" not in lr and lr["y"].iloc[59:61].tolist() == [0.1, 0.01]
    assert tuple(renderer.figure.get_size_inches()) == pytest.approx((8.8, 3.4 + 0.22))
    assert (tmp_path / "live.png").stat().st_size > 0


def test_by_names_a_column_of_the_runs():
    with pytest.raises(ColumnNotFoundError, match=r"optimiser"):
        dashboard(make_runs(seeds=(0,)), by="optimiser", figure=Figure())
