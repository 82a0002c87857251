"""vk.loss_surface: contours with the paths drawn as computed, f by step beside, divergence inside the Axes."""

from __future__ import annotations

import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.colors import LogNorm, to_rgb

import vizkit as vk
from vizkit.errors import VizkitError
from vizkit.ml import SURFACES, LossSurfaceDisplay, mse_surface
from tests.fuzzing import fuzz_settings

torch = pytest.importorskip("torch")
import vizkit.torch as vt  # noqa: E402

D2L = {"GD": ("gd", {"lr": 0.4}), "Momentum": ("momentum", {"lr": 0.6, "momentum": 0.5}),
       "Adagrad": ("adagrad", {"lr": 2}), "RMSprop": ("rmsprop", {"lr": 0.4, "alpha": 0.9})}


def _penguins():
    penguins = vk.load_dataset("penguins").dropna(subset=["flipper_length_mm", "body_mass_g"])
    x = (penguins["flipper_length_mm"] - penguins["flipper_length_mm"].mean()).to_numpy() / 10
    return x, penguins["body_mass_g"].to_numpy() / 1000


def _lines(ax):
    return {line.get_label(): line for line in ax.get_lines()}


def test_every_path_is_drawn_vertex_by_vertex_as_computed():
    paths = vt.optimizer_paths("ill_conditioned", D2L, steps=20)
    display = vk.loss_surface("ill_conditioned", paths)
    drawn = vk.plotted_data(display.ax_)
    pd.testing.assert_frame_equal(drawn.drop(columns=["drawn", "chart"], errors="ignore"), paths)
    assert drawn["drawn"].all()
    pd.testing.assert_frame_equal(vk.plotted_data(display.loss_ax_), drawn)
    lines = _lines(display.ax_)
    for name, spec in D2L.items():
        line = lines[f"{name} (lr {spec[1]['lr']:.2g})"]
        path = paths[paths["optimizer"] == name]
        np.testing.assert_array_equal(line.get_xdata(), path["x1"])
        np.testing.assert_array_equal(line.get_ydata(), path["x2"])
        assert line.get_marker() == "o" and line.get_markersize() < 4
        loss_line = _lines(display.loss_ax_)[line.get_label()]
        np.testing.assert_array_equal(loss_line.get_ydata(), path["f"])
        assert to_rgb(loss_line.get_color()) == to_rgb(line.get_color())
    assert display.loss_ax_.get_yscale() == "log"
    assert display.best_ == "Adagrad" and display.diverged_ == []
    assert display.final_points_["Momentum"] == pytest.approx((0.007188, 0.002553), abs=1e-4)


def test_start_and_minimum_are_marked_and_levels_are_labelled_and_log_spaced():
    paths = vt.optimizer_paths("quadratic", {"GD": ("gd", {"lr": 0.1})}, steps=20)
    display = vk.loss_surface("quadratic", paths)
    start, minimum = display.artists_["start"], display.artists_["minimum"]
    assert (start.get_xdata()[0], start.get_ydata()[0]) == (-5.0, -2.0)
    assert (minimum.get_xdata()[0], minimum.get_ydata()[0]) == (0.0, 0.0)
    contour = display.artists_["contour"]
    assert isinstance(contour.norm, LogNorm)
    ratios = np.diff(np.log(contour.levels))
    np.testing.assert_allclose(ratios, ratios[0])  # evenly spaced on a log scale
    assert contour.levels[-1] / contour.levels[0] > 100
    labels = [t.get_text() for t in display.ax_.texts]
    assert len(labels) >= 3 and all(float(t) > 0 for t in labels)
    legend = [t.get_text() for t in display.artists_["legend"].get_texts()]
    assert legend == ["GD (lr 0.1)", "start", "minimum"]


def test_a_surface_that_goes_negative_gets_linear_levels_and_a_linear_loss_axis():
    paths = vt.optimizer_paths("saddle", {"Adam": ("adam", {"lr": 0.05})}, steps=30)
    display = vk.loss_surface("saddle", paths)
    assert not isinstance(display.artists_["contour"].norm, LogNorm)
    assert display.loss_ax_.get_yscale() == "linear"
    assert display.minimum_ is None and "minimum" not in display.artists_


def test_a_diverging_path_is_cut_at_the_edge_with_an_arrow_and_its_step():
    paths = vt.optimizer_paths("ill_conditioned", {"GD": ("gd", {"lr": 0.6}), "ok": ("gd", {"lr": 0.4})}, steps=20)
    display = vk.loss_surface("ill_conditioned", paths)
    surface = SURFACES["ill_conditioned"]
    (x0, x1), (y0, y1) = display.ax_.get_xlim(), display.ax_.get_ylim()
    # the view is the surface's range (the diverged path does not grow it), not 1e3 wide
    assert (x0, x1) == pytest.approx(surface.xlim) and (y0, y1) == pytest.approx(surface.ylim)
    line = _lines(display.ax_)["GD (lr 0.6)"]
    assert (y0 <= line.get_ydata()).all() and (line.get_ydata() <= y1).all()
    assert display.diverged_ == ["GD"] and display.diverged_at_ == {"GD": 11}
    label = [t for t in display.ax_.texts if "diverged" in t.get_text()]
    assert [t.get_text() for t in label] == ["GD\ndiverged at step 11"]
    arrow = label[0].xy  # the label sits on the edge where the arrow ends
    assert y0 - 1e-9 <= arrow[1] <= y1 + 1e-9 and x0 <= arrow[0] <= x1
    assert any(a.arrow_patch is not None for a in display.ax_.texts if not a.get_text())
    drawn = vk.plotted_data(display.ax_)
    assert not drawn.loc[drawn["optimizer"] == "GD", "drawn"].all()
    assert display.best_ == "ok"


def test_linear_regression_marks_lstsq_and_shows_divergence_above_2_over_lambda_max():
    x, y = _penguins()
    good = vt.linear_gd(x, y, lr=0.2, steps=30)
    w, b = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)[0]
    display = LossSurfaceDisplay.from_linear_regression(x, y, paths=good).plot()
    assert display.minimum_ == pytest.approx((w, b))
    assert (display.ax_.get_xlabel(), display.ax_.get_ylabel()) == ("$w$", "$b$")
    assert display.loss_ax_.get_ylabel() == "MSE (log scale)"
    loss = _lines(display.loss_ax_)["GD (lr 0.2)"].get_ydata()
    assert (np.diff(loss) <= 0).all()
    plt.close("all")

    stable = good.attrs["stable_lr"]
    bad = vt.linear_gd(x, y, lr=1.2 * stable, steps=60)
    assert bad["loss"].iloc[-1] > 1e10
    display = vk.loss_surface(mse_surface(x, y), paths=bad)
    xlim, ylim = display.ax_.get_xlim(), display.ax_.get_ylim()
    assert max(map(abs, xlim + ylim)) < 100  # not blown out to the path's 1e6
    texts = [t.get_text() for t in display.ax_.texts]
    assert f"GD\ndiverged at step {display.diverged_at_['GD']}" in texts
    top = display.loss_ax_.get_ylim()[1]
    assert top < 1e20 and np.isfinite(top)  # the loss curve stops at 1e8 x its start, marked at the edge
    assert any(line.get_marker() == "^" for line in display.loss_ax_.get_lines())


def test_findings_without_drawing_and_from_grid():
    x = np.linspace(-2, 2, 41)
    f = np.add.outer(2 * x ** 2, x ** 2)  # rows: x2, columns: x1
    paths = pd.DataFrame({"optimizer": "A", "step": [0, 1], "x1": [1.5, 0.2], "x2": [-1.0, 0.1], "f": [0.0, 0.0]})
    display = LossSurfaceDisplay.from_grid(x, x, f, paths=paths, minimum=(0, 0))
    assert display.ax_ is None and display.final_points_ == {"A": (0.2, 0.1)}
    display.plot(loss_ax=False)
    assert display.loss_ax_ is None and display.ax_.get_xlim() == (-2, 2)


def test_it_splits_a_given_axes_cell_and_lints_clean():
    with vk.theme():
        fig, axes = plt.subplots(2, 1, figsize=(9, 8), layout="constrained")
        paths = vt.optimizer_paths("ill_conditioned", steps=30)
        display = vk.loss_surface("ill_conditioned", paths, ax=axes[0])
        assert display.ax_ is axes[0] and display.loss_ax_ in fig.axes
        assert vk.lint(fig) == []


@pytest.mark.parametrize("call, argument", [
    (lambda: vk.loss_surface("rosenbrok"), "`fn_or_grid`"),
    (lambda: vk.loss_surface(3), "`fn_or_grid`"),
    (lambda: vk.loss_surface((np.arange(3), np.arange(4), np.zeros((3, 3)))), "`f`"),
    (lambda: vk.loss_surface(([3, 2, 1], np.arange(4), np.zeros((4, 3)))), "`x1`"),
    (lambda: vk.loss_surface("beale", pd.DataFrame({"a": [1]})), "`paths`"),
    (lambda: vk.loss_surface("beale", [np.zeros(3)]), "`paths`"),
    (lambda: vk.loss_surface("beale", xlim=(2, 1)), "`xlim`"),
    (lambda: vk.loss_surface(lambda a, b: a + b), "`xlim`"),
    (lambda: vk.loss_surface(lambda a, b: a.nope, xlim=(0, 1), ylim=(0, 1)), "`fn`"),
])
def test_bad_input_names_the_argument(call, argument):
    figures = plt.get_fignums()
    with pytest.raises(VizkitError, match=argument):
        call()
    assert plt.get_fignums() == figures  # a refused call draws nothing


def test_vizkit_ml_draws_surfaces_without_importing_torch():
    code = ("import sys, vizkit as vk, matplotlib; matplotlib.use('Agg');"
            "vk.loss_surface('rosenbrock'); from vizkit.ml import SURFACES, mse_surface; mse_surface([1, 2], [3, 4]);"
            "assert 'torch' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


@fuzz_settings(25)
@given(lr=st.floats(1e-3, 50, allow_nan=False), x1=st.floats(-5, 1), x2=st.floats(-3, 1),
       name=st.sampled_from(sorted(SURFACES)))
def test_any_lr_and_start_give_a_bounded_view(lr, x1, x2, name):
    paths = vt.optimizer_paths(name, {"SGD": ("sgd", {"lr": lr})}, start=(x1, x2), steps=12)
    display = vk.loss_surface(name, paths)
    surface = SURFACES[name]
    for got, (low, high) in zip((display.ax_.get_xlim(), display.ax_.get_ylim()), (surface.xlim, surface.ylim),
                                strict=True):
        centre, half = (low + high) / 2, (high - low) / 2
        assert centre - 3.2 * half <= got[0] <= low and high <= got[1] <= centre + 3.2 * half
    assert np.isfinite(display.loss_ax_.get_ylim()).all()
    plt.close("all")
