"""Real torch.optim optimizers on 2-D surfaces: d2l's numbers, divergence kept, a fair lr search, linear GD."""

from __future__ import annotations

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import vizkit as vk  # noqa: E402
import vizkit.torch as vt  # noqa: E402
from vizkit.errors import VizkitError  # noqa: E402
from vizkit.ml import SURFACES, mse_surface  # noqa: E402

# d2l-en, chapter_optimization (gd.md, momentum.md, adagrad.md, rmsprop.md): 20 steps from (-5, -2).
# f_2d is x1² + 2x2² in gd.md and 0.1x1² + 2x2² from momentum.md on; the printed final points:
D2L_ANCHORS = [
    ("gd eta=0.1", "quadratic", ("gd", {"lr": 0.1}), (-0.057646, -0.000073)),
    ("gd eta=0.4", "ill_conditioned", ("gd", {"lr": 0.4}), (-0.943467, -0.000073)),
    ("gd eta=0.6", "ill_conditioned", ("gd", {"lr": 0.6}), (-0.387814, -1673.365109)),
    ("momentum eta=0.6 beta=0.5", "ill_conditioned", ("momentum", {"lr": 0.6, "momentum": 0.5}), (0.007188, 0.002553)),
    ("momentum eta=0.6 beta=0.25", "ill_conditioned", ("momentum", {"lr": 0.6, "momentum": 0.25}),
     (-0.126340, -0.186632)),
    ("adagrad eta=0.4", "ill_conditioned", ("adagrad", {"lr": 0.4}), (-2.382563, -0.158591)),
    ("adagrad eta=2", "ill_conditioned", ("adagrad", {"lr": 2}), (-0.002295, -0.000000)),
    ("rmsprop eta=0.4 gamma=0.9", "ill_conditioned", ("rmsprop", {"lr": 0.4, "alpha": 0.9}), (-0.010599, 0.000000)),
]


def _last(surface, spec, steps=20):
    return vt.optimizer_paths(surface, {"run": spec}, start=(-5, -2), steps=steps).iloc[-1]


@pytest.mark.parametrize("surface, spec, expected", [a[1:] for a in D2L_ANCHORS], ids=[a[0] for a in D2L_ANCHORS])
def test_torch_optimizers_reproduce_d2l_final_points(surface, spec, expected):
    last = _last(surface, spec)
    assert last["step"] == 20
    assert last["x1"] == pytest.approx(expected[0], abs=1e-4)
    assert last["x2"] == pytest.approx(expected[1], abs=1e-4)


def _d2l_adaptive(eta, *, gamma=None, eps=1e-6):
    """d2l's adagrad_2d / rmsprop_2d verbatim in form: eps inside the square root."""
    x1, x2, s1, s2 = -5.0, -2.0, 0.0, 0.0
    for _ in range(20):
        g1, g2 = 0.2 * x1, 4 * x2
        if gamma is None:
            s1, s2 = s1 + g1 ** 2, s2 + g2 ** 2
        else:
            s1, s2 = gamma * s1 + (1 - gamma) * g1 ** 2, gamma * s2 + (1 - gamma) * g2 ** 2
        x1 -= eta / math.sqrt(s1 + eps) * g1
        x2 -= eta / math.sqrt(s2 + eps) * g2
    return x1, x2


@pytest.mark.parametrize("spec, reference", [
    (("adagrad", {"lr": 0.4}), _d2l_adaptive(0.4)),
    (("adagrad", {"lr": 2}), _d2l_adaptive(2)),
    (("rmsprop", {"lr": 0.4, "alpha": 0.9}), _d2l_adaptive(0.4, gamma=0.9)),
])
def test_eps_outside_the_root_in_torch_moves_the_final_point_by_under_1e_6(spec, reference):
    # d2l divides by sqrt(s + 1e-6); torch by sqrt(s) + eps (1e-10 Adagrad, 1e-8 RMSprop by default).
    # Neither torch's default eps nor eps=1e-6 outside the root is d2l's formula; both land within 1e-6.
    for eps in (None, 1e-6):
        kwargs = dict(spec[1]) | ({} if eps is None else {"eps": eps})
        last = _last("ill_conditioned", (spec[0], kwargs))
        assert abs(last["x1"] - reference[0]) < 1e-6
        assert abs(last["x2"] - reference[1]) < 1e-6


def test_step_0_is_the_start_and_each_optimizer_gets_steps_plus_one_rows():
    paths = vt.optimizer_paths("rosenbrock", steps=15)
    assert list(paths.columns) == ["optimizer", "step", "x1", "x2", "f", "lr", "diverged"]
    assert list(paths["optimizer"].unique()) == ["SGD", "Momentum", "Nesterov", "Adagrad", "Adadelta", "RMSprop",
                                                 "Adam"]
    assert (paths.groupby("optimizer").size() == 16).all()
    first = paths[paths["step"] == 0]
    assert (first["x1"] == SURFACES["rosenbrock"].start[0]).all()
    assert (first["x2"] == SURFACES["rosenbrock"].start[1]).all()
    assert paths.loc[paths["optimizer"] == "Adam", "lr"].iloc[0] == 0.1
    with np.errstate(all="ignore"):  # the defaults suit the quadratics: plain SGD with lr 0.1 diverges here
        expected = SURFACES["rosenbrock"](paths["x1"].to_numpy(), paths["x2"].to_numpy())
    np.testing.assert_allclose(paths["f"], expected)


def test_divergence_is_kept_and_flagged_never_raised():
    paths = vt.optimizer_paths("ill_conditioned", {"GD": ("gd", {"lr": 0.6})}, steps=20)
    assert paths["diverged"].idxmax() == 11 and paths["diverged"].iloc[11:].all()  # f passes 1000 x f(start)
    assert paths["x2"].iloc[-1] == pytest.approx(-1673.365109, abs=1e-4)  # the run went on to the end
    wild = vt.optimizer_paths("rosenbrock", {"SGD": ("sgd", {"lr": 10.0})}, steps=30)
    assert len(wild) == 31 and wild["diverged"].iloc[-1]
    assert not np.isfinite(wild["f"].iloc[-1])


def test_user_functions_classes_and_factories():
    def bowl(a, b):
        return (a - 1) ** 2 + (b + 2) ** 2
    paths = vt.optimizer_paths(bowl, {"class": torch.optim.SGD, "tuple": (torch.optim.SGD, {"lr": 0.25}),
                                      "factory": lambda params: torch.optim.Adam(params, lr=0.5)},
                               start=(0, 0), steps=40)
    # torch's SGD default lr is 1e-3 since 2.x: 40 steps barely move
    last = paths.groupby("optimizer").tail(1).set_index("optimizer")
    assert last.loc["tuple", ["x1", "x2"]].tolist() == pytest.approx([1, -2], abs=1e-6)
    assert last.loc["factory", "f"] < 0.1


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_surfaces_give_numpy_and_torch_the_same_values_and_autograd_gradients(name):
    surface = SURFACES[name]
    grid = np.array([[-1.3, 0.7], [0.4, -2.1], [2.0, 1.5]])
    values = surface(grid[:, 0], grid[:, 1])
    for (a, b), expected in zip(grid, values, strict=True):
        point = torch.tensor([a, b], dtype=torch.float64, requires_grad=True)
        value = surface(point[0], point[1])
        value.backward()
        assert float(value.detach()) == pytest.approx(expected, rel=1e-12)
        h = 1e-6
        numeric = [(surface(a + h, b) - surface(a - h, b)) / (2 * h), (surface(a, b + h) - surface(a, b - h)) / (2 * h)]
        np.testing.assert_allclose(point.grad.numpy(), numeric, rtol=1e-5, atol=1e-5)
    if surface.minimum is not None:
        assert surface(*surface.minimum) == pytest.approx(0, abs=1e-12)


@pytest.mark.parametrize("call, argument", [
    (lambda: vt.optimizer_paths("rosenbrok"), "`fn`"),
    (lambda: vt.optimizer_paths(42), "`fn`"),
    (lambda: vt.optimizer_paths(lambda a, b: torch.stack([a, b]), start=(0, 0)), "`fn`"),
    (lambda: vt.optimizer_paths(lambda a, b: a * b), "`start`"),
    (lambda: vt.optimizer_paths("beale", "adamw"), "`optimizers`"),
    (lambda: vt.optimizer_paths("beale", {"A": ("adamm", {})}), "`optimizers['A']`"),
    (lambda: vt.optimizer_paths("beale", {"A": 3}), "`optimizers['A']`"),
    (lambda: vt.optimizer_paths("beale", start=(1, 2, 3)), "`start`"),
    (lambda: vt.optimizer_paths("beale", steps=0), "`steps`"),
    (lambda: vt.tune_lr("beale", grid=[0.1, -1]), "`grid`"),
    (lambda: vt.tune_lr("beale", {"F": lambda p: torch.optim.SGD(p, lr=0.1)}), "`optimizers['F']`"),
    (lambda: vt.linear_gd([1, 2, 3], [1, 2], lr=0.1), "`y`"),
    (lambda: vt.linear_gd([1, 1, 1], [1, 2, 3], lr=0.1), "`x`"),
    (lambda: vt.linear_gd([1, 2, 3], [1, 2, 3], lr=0), "`lr`"),
])
def test_bad_input_names_the_argument(call, argument):
    with pytest.raises(VizkitError, match=argument.replace("[", r"\[").replace("]", r"\]")):
        call()


def test_tune_lr_gives_every_optimizer_the_same_trials_and_keeps_the_lowest_final_f():
    grid = [0.01, 0.03, 0.1, 0.3, 1.0]
    tuned = vt.tune_lr("ill_conditioned", ["sgd", "momentum", "adam"], steps=30, grid=grid)
    assert tuned.trials.groupby("optimizer").size().to_dict() == {"SGD": 5, "Momentum": 5, "Adam": 5}
    for name, trials in tuned.trials.groupby("optimizer"):
        assert tuned.lrs[name] == trials.loc[trials["f"].idxmin(), "lr"]
        assert trials["chosen"].sum() == 1
    assert math.isinf(tuned.trials.query("optimizer == 'SGD' and lr == 1.0")["f"].iloc[0])  # diverged: scored inf
    # the grouped trial is the run a single optimizer gives at that lr
    paths = vt.optimizer_paths("ill_conditioned", tuned.optimizers, steps=30)
    finals = paths.groupby("optimizer").tail(1).set_index("optimizer")["f"]
    for name, lr in tuned.lrs.items():
        trial = tuned.trials.query("optimizer == @name and lr == @lr")["f"].iloc[0]
        assert finals[name] == pytest.approx(trial, rel=1e-12)
        assert paths.loc[paths["optimizer"] == name, "lr"].iloc[0] == lr


def _penguins():
    penguins = vk.load_dataset("penguins").dropna(subset=["flipper_length_mm", "body_mass_g"])
    x = (penguins["flipper_length_mm"] - penguins["flipper_length_mm"].mean()).to_numpy() / 10  # cm, centred
    return x, penguins["body_mass_g"].to_numpy() / 1000  # kg


def _diabetes():
    from sklearn.datasets import load_diabetes
    data = load_diabetes()
    return data.data[:, 2] * 20 + 1, data.target / 100  # bmi, scaled to unit spread and shifted off zero


@pytest.mark.parametrize("load", [_penguins, _diabetes])
def test_linear_gd_ends_at_the_least_squares_fit(load):
    x, y = load()
    path = vt.linear_gd(x, y, lr=0.8 * vt.linear_gd(x, y, lr=0.1, steps=1).attrs["stable_lr"], steps=300)
    w, b = np.linalg.lstsq(np.column_stack([x, np.ones_like(x)]), y, rcond=None)[0]
    assert abs(path["w"].iloc[-1] - w) < 1e-3 and abs(path["b"].iloc[-1] - b) < 1e-3
    assert path.attrs["optimum"] == pytest.approx((w, b))
    assert list(path.columns) == ["step", "w", "b", "loss", "lr", "diverged"]


def test_linear_gd_loss_never_rises_below_2_over_lambda_max_and_diverges_above():
    x, y = _penguins()
    design = np.column_stack([x, np.ones_like(x)])
    stable = 2 / np.linalg.eigvalsh(2 * design.T @ design / len(x))[-1]
    assert vt.linear_gd(x, y, lr=0.1, steps=1).attrs["stable_lr"] == pytest.approx(stable)
    for share in (0.1, 0.5, 0.9, 0.99):
        loss = vt.linear_gd(x, y, lr=share * stable, steps=200)["loss"].to_numpy()
        assert (np.diff(loss) <= 1e-12).all(), share
    above = vt.linear_gd(x, y, lr=1.1 * stable, steps=200)
    assert above["diverged"].iloc[-1] and above["loss"].iloc[-1] > 1e3 * above["loss"].iloc[0]


def test_mse_surface_is_the_mean_squared_error():
    x, y = _penguins()
    surface = mse_surface(x, y)
    assert surface(0.3, 4.0) == pytest.approx(np.mean((0.3 * x + 4.0 - y) ** 2))
    grid = surface(np.array([[0.3, 0.5]]), np.array([[4.0, 4.2]]))
    assert grid.shape == (1, 2) and grid[0, 0] == pytest.approx(surface(0.3, 4.0))


def test_an_optimizer_that_needs_a_closure_is_named():
    with pytest.raises(VizkitError, match=r"`optimizers\['LBFGS'\]`"):
        vt.optimizer_paths("beale", {"LBFGS": torch.optim.LBFGS}, steps=2)
