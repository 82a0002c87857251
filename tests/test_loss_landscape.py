"""Loss landscapes (Li et al. 2018): the directions, the grid, the centre, the trajectory plane, the chart."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

torch = pytest.importorskip("torch")
sklearn_datasets = pytest.importorskip("sklearn.datasets")

from torch import nn  # noqa: E402
from torch.nn import functional as F  # noqa: E402

import vizkit as vk  # noqa: E402
import vizkit.torch as vt  # noqa: E402
from tests.fuzzing import fuzz_settings  # noqa: E402
from vizkit.errors import VizkitTypeError, VizkitValueError  # noqa: E402
from vizkit.ml import Landscape, LandscapeDisplay  # noqa: E402
from vizkit.torch.landscapes import filter_normalized_direction  # noqa: E402


@pytest.fixture(scope="module")
def wine():
    """sklearn's wine set, standardised: 178 samples, 13 features, 3 classes."""
    x, y = sklearn_datasets.load_wine(return_X_y=True)
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    return torch.tensor(x, dtype=torch.float32), torch.tensor(y)


def mlp(seed=0, dropout=0.0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(13, 16), nn.ReLU(), nn.Dropout(dropout), nn.Linear(16, 3))


def trained(wine, epochs=12, every=3):
    """An MLP trained on wine with full-batch SGD; checkpoints every ``every`` epochs and the last."""
    model = mlp()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.2)
    checkpoints = {}
    for epoch in range(epochs + 1):
        if epoch % every == 0 or epoch == epochs:
            checkpoints[epoch] = {k: v.clone() for k, v in model.state_dict().items()}
        if epoch < epochs:
            optimizer.zero_grad()
            F.cross_entropy(model(wine[0]), wine[1]).backward()
            optimizer.step()
    return model, checkpoints


class ConvNet(nn.Module):
    """Every kind of parameter the directions treat apart: conv, linear, biases, BatchNorm, a 2-D LayerNorm."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3)
        self.bn = nn.BatchNorm2d(4)
        self.up = nn.ConvTranspose2d(4, 2, 2)
        self.norm = nn.LayerNorm([2, 7, 7])
        self.fc = nn.Linear(2 * 7 * 7, 3)

    def forward(self, x):
        x = self.norm(self.up(torch.relu(self.bn(self.conv(x)))))
        return self.fc(x.flatten(1))


def snapshot(model):
    return {k: v.clone() for k, v in model.state_dict().items()}, [m.training for m in model.modules()]


def assert_restored(model, before):
    state, flags = before
    after = model.state_dict()
    assert list(after) == list(state)
    for name, tensor in state.items():
        assert torch.equal(after[name], tensor), name          # bitwise
    assert [m.training for m in model.modules()] == flags


# --- the directions ---------------------------------------------------------------------------------------------

def test_each_filter_of_a_direction_has_the_norm_of_the_same_filter_of_theta():
    torch.manual_seed(0)
    model = ConvNet()
    direction = filter_normalized_direction(model, torch.Generator().manual_seed(1))
    conv, fc, up = model.conv.weight.detach(), model.fc.weight.detach(), model.up.weight.detach()
    d_conv, d_fc, d_up = direction["conv.weight"], direction["fc.weight"], direction["up.weight"]
    # Conv2d: a filter is an output channel (dim 0); Linear: an output row; ConvTranspose2d: dim 1 of (in, out, h, w)
    np.testing.assert_allclose(d_conv.flatten(1).norm(dim=1), conv.flatten(1).norm(dim=1), rtol=1e-6)
    np.testing.assert_allclose(d_fc.norm(dim=1), fc.norm(dim=1), rtol=1e-6)
    np.testing.assert_allclose(d_up.transpose(0, 1).flatten(1).norm(dim=1),
                               up.transpose(0, 1).flatten(1).norm(dim=1), rtol=1e-6)
    assert not torch.allclose(d_fc / d_fc.norm(dim=1, keepdim=True), fc / fc.norm(dim=1, keepdim=True))


def test_biases_and_norm_parameters_are_zero_in_the_directions():
    torch.manual_seed(0)
    model = ConvNet()
    direction = filter_normalized_direction(model, torch.Generator().manual_seed(0))
    zero = ["conv.bias", "bn.weight", "bn.bias", "up.bias", "norm.weight", "norm.bias", "fc.bias"]
    assert model.norm.weight.ndim == 3                                  # a LayerNorm weight that is not a vector
    for name in zero:
        assert torch.count_nonzero(direction[name]) == 0, name
    for name in ("conv.weight", "up.weight", "fc.weight"):
        assert torch.count_nonzero(direction[name]) == direction[name].numel(), name


def test_the_directions_are_gaussian_and_seeded():
    model = nn.Linear(400, 300)
    first = filter_normalized_direction(model, torch.Generator().manual_seed(3))["weight"]
    again = filter_normalized_direction(model, torch.Generator().manual_seed(3))["weight"]
    other = filter_normalized_direction(model, torch.Generator().manual_seed(4))["weight"]
    assert torch.equal(first, again) and not torch.equal(first, other)
    # per row the entries are a Gaussian draw times a constant: standardised, their kurtosis is 3 (uniform: 1.8)
    z = first / first.std(dim=1, keepdim=True)
    assert abs(float((z ** 4).mean()) - 3.0) < 0.1


# --- the grid and the centre ------------------------------------------------------------------------------------

def test_the_centre_value_is_the_loss_at_theta_in_eval_mode(wine):
    model, _ = trained(wine)
    model = nn.Sequential(*model[:2], nn.Dropout(0.5), model[3])      # dropout: eval mode must be used
    model.train()
    with torch.no_grad():
        model.eval()
        expected = F.cross_entropy(model(wine[0]), wine[1]).item()
        model.train()
    for directions in (1, 2):
        result = vt.loss_landscape(model, F.cross_entropy, wine, directions=directions, n=5)
        centre = result.loss[(2,) * directions]
        assert centre == pytest.approx(expected, abs=1e-6)
        assert result.center_loss == centre
        assert model.training


def test_a_grid_point_is_the_loss_at_theta_plus_the_seeded_directions(wine):
    model, _ = trained(wine)
    result = vt.loss_landscape(model, F.cross_entropy, wine, n=5, distance=0.8, seed=7)
    generator = torch.Generator().manual_seed(7)
    d1 = filter_normalized_direction(model, generator)
    d2 = filter_normalized_direction(model, generator)
    moved = mlp()
    moved.load_state_dict({k: v + 0.4 * d1[k] - 0.8 * d2[k] for k, v in model.state_dict().items()})
    with torch.no_grad():
        expected = F.cross_entropy(moved.eval()(wine[0]), wine[1]).item()
    assert result.coords[0][3] == 0.4 and result.coords[1][0] == -0.8
    assert result.loss[0, 3] == pytest.approx(expected, abs=1e-6)       # rows along direction 2


@given(distance=st.floats(1e-3, 1e3), half=st.integers(1, 4))
@fuzz_settings(25)
def test_the_grid_is_odd_symmetric_with_theta_exactly_in_the_middle(distance, half):
    model = nn.Linear(2, 1)
    x, y = torch.linspace(-1, 1, 16).reshape(8, 2), torch.linspace(0, 1, 8).reshape(8, 1)
    coords = vt.loss_landscape(model, F.mse_loss, (x, y), directions=1, n=2 * half + 1, distance=distance).coords[0]
    assert len(coords) == 2 * half + 1
    assert coords[half] == 0.0 and coords[0] == -distance and coords[-1] == distance
    np.testing.assert_array_equal(coords, -coords[::-1])


def test_an_even_grid_is_refused_by_name(wine):
    with pytest.raises(VizkitValueError, match=r"`n` must be an odd int >= 3.*Use n=21 or n=19"):
        vt.loss_landscape(mlp(), F.cross_entropy, wine, n=20)


def test_the_plotted_range_grows_with_distance(wine):
    model, _ = trained(wine)
    widths = []
    for distance in (0.25, 1.0, 2.0):
        result = vt.loss_landscape(model, F.cross_entropy, wine, n=5, distance=distance)
        fig, ax = plt.subplots()
        table = vk.plotted_data(vk.landscape(result, ax=ax))
        assert (table["alpha"].min(), table["alpha"].max()) == (-distance, distance)
        assert (table["beta"].min(), table["beta"].max()) == (-distance, distance)
        assert ax.get_xlim() == (-distance, distance) and ax.get_ylim() == (-distance, distance)
        widths.append(np.ptp(ax.get_xlim()))
        plt.close(fig)
    assert widths == sorted(widths) and widths[0] < widths[-1]


def test_a_loader_gives_the_numbers_of_the_tensor_pair(wine):
    model, _ = trained(wine)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(*wine), batch_size=50, shuffle=True)
    by_pair = vt.loss_landscape(model, F.cross_entropy, wine, n=3)
    by_loader = vt.loss_landscape(model, F.cross_entropy, loader, n=3)
    np.testing.assert_allclose(by_loader.loss, by_pair.loss, atol=1e-6)


def test_every_function_gives_the_model_back_bitwise(wine):
    torch.manual_seed(0)
    model = ConvNet()
    images, labels = torch.randn(20, 1, 8, 8), torch.randint(0, 3, (20,))
    model.train()
    model(images)                                     # BatchNorm running statistics that differ from the defaults
    before = snapshot(model)
    vt.loss_landscape(model, F.cross_entropy, (images, labels), n=3)
    assert_restored(model, before)
    start = {k: torch.zeros_like(v) if v.is_floating_point() else v for k, v in before[0].items()}
    vt.interpolate(model, F.cross_entropy, (images, labels), start=start, end=before[0], alphas=[0.5])
    assert_restored(model, before)
    checkpoints = [{k: (v * (1 + 0.1 * i) if v.is_floating_point() else v) + (0.01 * i * i if v.is_floating_point()
                                                                                else 0)
                    for k, v in before[0].items()} for i in range(4)]
    vt.trajectory_landscape(model, F.cross_entropy, (images, labels), checkpoints, n=3)
    assert_restored(model, before)


def test_a_failing_loss_leaves_the_model_as_it_was(wine):
    model = mlp()
    before = snapshot(model)
    calls = []

    def breaks_later(outputs, targets):
        calls.append(1)
        if len(calls) > 3:
            raise RuntimeError("boom")
        return F.cross_entropy(outputs, targets)

    with pytest.raises(RuntimeError, match="boom"):
        vt.loss_landscape(model, breaks_later, wine, n=3)
    assert_restored(model, before)


# --- interpolation ----------------------------------------------------------------------------------------------

def test_interpolation_at_0_and_1_is_the_loss_of_each_checkpoint(wine):
    model, checkpoints = trained(wine)
    first, last = checkpoints[0], checkpoints[12]
    line = vt.interpolate(model, F.cross_entropy, wine, start=first, end=last)
    losses = {}
    for name, state in (("initial", first), ("final", last)):
        other = mlp()
        other.load_state_dict(state)
        with torch.no_grad():
            losses[name] = F.cross_entropy(other.eval()(wine[0]), wine[1]).item()
    at = dict(zip(line.coords[0], line.loss, strict=True))
    assert at[0.0] == pytest.approx(losses["initial"], abs=1e-6)
    assert at[1.0] == pytest.approx(losses["final"], abs=1e-6)
    assert line.coords[0][0] == -0.5 and line.coords[0][-1] == 1.5        # beyond both checkpoints
    display = LandscapeDisplay.from_result(line)
    assert (display.start_loss_, display.end_loss_) == (at[0.0], at[1.0])
    assert display.barrier_ >= 0 and display.center_loss_ is None
    inside = line.loss[(line.coords[0] >= 0) & (line.coords[0] <= 1)]
    assert display.monotonic_ == bool((np.diff(inside) <= 0).all())


def test_interpolation_reads_an_npz_checkpoint(wine, tmp_path):
    model, checkpoints = trained(wine)
    np.savez(tmp_path / "start.npz", **{k: v.numpy().astype(np.float32) for k, v in checkpoints[0].items()})
    with np.load(tmp_path / "start.npz") as start:
        line = vt.interpolate(model, F.cross_entropy, wine, start=start, end=model, alphas=[0.5])
    by_dict = vt.interpolate(model, F.cross_entropy, wine, start=checkpoints[0], end=model, alphas=[0.5])
    np.testing.assert_array_equal(line.loss, by_dict.loss)


# --- the trajectory on the PCA plane ----------------------------------------------------------------------------

def test_the_trajectory_plane_is_scikit_learns_pca_of_the_differences(wine):
    from sklearn.decomposition import PCA

    model, checkpoints = trained(wine)
    plane = vt.trajectory_landscape(model, F.cross_entropy, wine, checkpoints, n=5)
    flat = np.stack([np.concatenate([v.double().ravel().numpy() for k, v in s.items()]) for s in checkpoints.values()])
    pca = PCA(n_components=2, svd_solver="full").fit(flat[:-1] - flat[-1])
    np.testing.assert_allclose(plane.explained_variance, pca.explained_variance_ratio_, rtol=1e-9)
    assert all(0 < share <= 1 for share in plane.explained_variance) and sum(plane.explained_variance) <= 1
    projected = (flat[:-1] - flat[-1]) @ pca.components_.T
    ours = plane.trajectory[["alpha", "beta"]].to_numpy()[:-1]
    np.testing.assert_allclose(np.abs(ours), np.abs(projected), atol=1e-9)    # up to each component's sign
    assert tuple(plane.trajectory.iloc[-1][["alpha", "beta"]]) == (0.0, 0.0)
    assert plane.trajectory["label"].tolist() == list(checkpoints)
    assert plane.labels[0].startswith("PC 1 (") and "% of variance" in plane.labels[0]


def test_the_trajectory_plane_covers_the_path_with_theta_on_the_grid(wine):
    model, checkpoints = trained(wine)
    plane = vt.trajectory_landscape(model, F.cross_entropy, wine, checkpoints, n=7)
    for k, column in enumerate(("alpha", "beta")):
        axis, path = plane.coords[k], plane.trajectory[column]
        assert axis[0] < path.min() and path.max() < axis[-1]
        assert 0.0 in axis and len(axis) == 7
    own = plane.trajectory["loss"].iloc[-1]
    assert plane.center_loss == pytest.approx(own, abs=1e-6)                   # θ_n on the grid is θ_n itself


# --- the chart --------------------------------------------------------------------------------------------------

def test_the_chart_draws_the_grid_theta_and_the_trajectory(wine):
    model, checkpoints = trained(wine)
    plane = vt.trajectory_landscape(model, F.cross_entropy, wine, checkpoints, n=7)
    fig, ax = plt.subplots()
    display = LandscapeDisplay.from_result(plane).plot(ax=ax)
    table = vk.plotted_data(ax)
    assert len(table) == 49
    np.testing.assert_array_equal(table["loss"].to_numpy(), plane.loss.ravel())
    pd.testing.assert_frame_equal(table.attrs["trajectory"], plane.trajectory)
    np.testing.assert_allclose(display.artists_["trajectory"].get_xydata(), plane.trajectory[["alpha", "beta"]])
    assert display.artists_["theta"].get_xydata().tolist() == [[0.0, 0.0]]
    assert display.artists_["theta_label"].get_text().startswith("θ at 12 (loss ")
    assert ax.get_xlabel() == plane.labels[0] and ax.get_ylabel() == plane.labels[1]
    assert vk.lint(fig) == []
    plt.close(fig)


def test_levels_are_log_spaced_when_the_loss_spans_decades():
    a = np.linspace(-2, 2, 21)
    steep = 0.01 + 50 * (a[None, :] ** 2 + a[:, None] ** 2) ** 2
    fig, ax = plt.subplots()
    levels = np.array(vk.plotted_data(vk.landscape(steep, alpha=a, beta=a, ax=ax)).attrs["levels"])
    ratios = levels[1:] / levels[:-1]
    assert levels[0] <= steep.min() and levels[-1] >= steep.max()
    assert ratios.max() / ratios.min() < 3                  # even steps in log: 1, 2, 5, 10, ... or 1, 3, 10, ...
    plt.close(fig)
    fig, ax = plt.subplots()
    flat = vk.plotted_data(vk.landscape(1 + a[None, :] ** 2 + a[:, None] ** 2, alpha=a, beta=a, ax=ax))
    np.testing.assert_allclose(np.diff(flat.attrs["levels"]), np.diff(flat.attrs["levels"])[0])
    plt.close(fig)


def test_a_line_marks_theta_or_both_checkpoints(wine):
    model, checkpoints = trained(wine)
    fig, (left, right) = plt.subplots(1, 2)
    line = vt.loss_landscape(model, F.cross_entropy, wine, directions=1, n=9)
    display = LandscapeDisplay.from_result(line).plot(ax=left)
    assert display.artists_["theta"].get_xydata().tolist() == [[0.0, line.center_loss]]
    assert left.get_xlabel() == "direction 1 (filter-normalised)"
    between = vt.interpolate(model, F.cross_entropy, wine, start=checkpoints[0], end=checkpoints[12])
    display = LandscapeDisplay.from_result(between).plot(ax=right)
    assert [t.get_text().split(" (")[0] for t in display.artists_["mark_labels"]] == ["initial", "final"]
    table = vk.plotted_data(right)
    np.testing.assert_array_equal(table["alpha"], between.coords[0])
    assert vk.lint(fig) == []
    plt.close(fig)


def test_a_grid_of_your_own_with_its_path():
    a = np.linspace(-2, 2, 21)
    bowl = 0.5 + a[None, :] ** 2 + 2 * a[:, None] ** 2
    path = pd.DataFrame({"alpha": [-1.8, -1.0, -0.3, 0.0], "beta": [1.5, 0.4, 0.1, 0.0], "label": [0, 10, 20, 30]})
    fig, ax = plt.subplots()
    vk.landscape(bowl, alpha=a, beta=a, labels=["w1", "w2"], trajectory=path, ax=ax)
    table = vk.plotted_data(ax)
    pd.testing.assert_frame_equal(table.attrs["trajectory"], path)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("w1", "w2")
    assert vk.lint(fig) == []
    plt.close(fig)


def test_the_findings_of_a_bowl():
    a = np.linspace(-1, 1, 21)
    display = LandscapeDisplay.from_grid(2 + (a[None, :] - 0.3) ** 2 + 4 * a[:, None] ** 2, alpha=a, beta=a)
    assert display.min_at_ == pytest.approx((0.3, 0.0)) and display.min_loss_ == pytest.approx(2.0)
    assert display.center_loss_ == pytest.approx(2.09)
    assert display.curvature_ == pytest.approx((2.0, 8.0))
    assert display.sharpness_ == pytest.approx((2 + 1.3 ** 2 + 4 - 2.09) / 3.09)


# --- bad input names the argument -------------------------------------------------------------------------------

@pytest.mark.parametrize(("call", "error", "argument"), [
    (lambda w: vt.loss_landscape("model", F.cross_entropy, w), VizkitTypeError, "model"),
    (lambda w: vt.loss_landscape(mlp(), "ce", w), VizkitTypeError, "loss_fn"),
    (lambda w: vt.loss_landscape(mlp(), F.cross_entropy, w[0]), VizkitTypeError, "data"),
    (lambda w: vt.loss_landscape(mlp(), F.cross_entropy, (w[0], w[1][:5])), VizkitValueError, "data"),
    (lambda w: vt.loss_landscape(mlp(), F.cross_entropy, w, directions=3), VizkitValueError, "directions"),
    (lambda w: vt.loss_landscape(mlp(), F.cross_entropy, w, distance=0), VizkitValueError, "distance"),
    (lambda w: vt.loss_landscape(mlp(), F.cross_entropy, w, n=1), VizkitValueError, "n"),
    (lambda w: vt.loss_landscape(mlp(), F.cross_entropy, w, seed=0.5), VizkitTypeError, "seed"),
    (lambda w: vt.loss_landscape(mlp(), lambda o, t: F.cross_entropy(o, t, reduction="none"), w, n=3),
     VizkitValueError, "loss_fn"),
    (lambda w: vt.interpolate(mlp(), F.cross_entropy, w, start={"0.weight": 1}, end=mlp()), VizkitValueError,
     "start"),
    (lambda w: vt.interpolate(mlp(), F.cross_entropy, w, start=mlp(), end=nn.Linear(2, 2)), VizkitValueError, "end"),
    (lambda w: vt.interpolate(mlp(), F.cross_entropy, w, start=mlp(), end=mlp(), alphas=["a"]), VizkitTypeError,
     "alphas"),
    (lambda w: vt.interpolate(mlp(), F.cross_entropy, w, start=mlp(), end=mlp(), names="ab"), VizkitValueError,
     "names"),
    (lambda w: vt.trajectory_landscape(mlp(), F.cross_entropy, w, [mlp().state_dict()] * 3), VizkitValueError,
     "checkpoints"),
    (lambda w: vt.trajectory_landscape(mlp(), F.cross_entropy, w, [mlp().state_dict()] * 5), VizkitValueError,
     "checkpoints"),
    (lambda w: vt.trajectory_landscape(mlp(), F.cross_entropy, w, "runs/"), VizkitTypeError, "checkpoints"),
    (lambda w: vk.landscape(np.ones((3, 4)), alpha=[0, 1, 2], beta=[0, 1, 2]), VizkitValueError, "data"),
    (lambda w: vk.landscape(np.ones(3), alpha=[0, 2, 1]), VizkitValueError, "alpha"),
    (lambda w: vk.landscape(np.ones(3)), VizkitValueError, "alpha"),
    (lambda w: vk.landscape(np.ones(3), alpha=[0, 1, 2], levels=[3, 1]), VizkitValueError, "levels"),
    (lambda w: vk.landscape(np.ones(3), alpha=[0, 1, 2], log="yes"), VizkitTypeError, "log"),
    (lambda w: vk.landscape(-np.ones(3), alpha=[0, 1, 2], log=True), VizkitValueError, "log"),
    (lambda w: vk.landscape(np.ones(3), alpha=[0, 1, 2], labels=["a", "b"]), VizkitValueError, "labels"),
    (lambda w: LandscapeDisplay.from_result(np.ones(3)), VizkitTypeError, "landscape"),
    (lambda w: vk.landscape(np.ones((3, 3)), alpha=[0, 1, 2], beta=[0, 1, 2], trajectory=[1, 2]), VizkitValueError,
     "trajectory"),
    (lambda w: vk.landscape(vt.loss_landscape(mlp(), F.cross_entropy, w, n=3), alpha=[0, 1, 2]), VizkitValueError,
     "alpha"),
    (lambda w: vk.landscape(np.ones(3), alpha=[0, 1, 2], cmap="no such map"), VizkitValueError, "cmap"),
    (lambda w: vk.landscape(np.ones(3), alpha=[0, 1, 2], ax="left"), VizkitTypeError, "ax"),
], ids=lambda value: value if isinstance(value, str) else "")
def test_bad_input_is_refused_by_name(wine, call, error, argument):
    plt.close("all")
    with pytest.raises(error, match=rf"`{argument}"):
        call(wine)
    assert plt.get_fignums() == []                                      # a refused call draws nothing


def test_the_landscape_is_torch_free():
    result = Landscape(coords=(np.array([-1.0, 0.0, 1.0]),), loss=np.array([2.0, 1.0, 2.5]), kind="random",
                       labels=("direction 1 (filter-normalised)",), center_loss=1.0)
    assert result.ndim == 1 and LandscapeDisplay.from_result(result).curvature_ == (2.5,)


@given(values=st.lists(st.one_of(st.floats(-1e6, 1e6), st.just(float("nan")), st.just(float("inf"))),
                       min_size=9, max_size=9),
       dims=st.sampled_from([1, 2]))
@fuzz_settings(40)
def test_any_grid_with_a_finite_value_draws_and_its_levels_cover_it(values, dims):
    values = np.array(values)
    if not np.isfinite(values).any():
        values[4] = 1.0
    a = np.linspace(-1, 1, 3)
    fig, ax = plt.subplots()
    if dims == 1:
        vk.landscape(values, alpha=np.linspace(-1, 1, 9), ax=ax)
    else:
        table = vk.plotted_data(vk.landscape(values.reshape(3, 3), alpha=a, beta=a, ax=ax))
        finite = values[np.isfinite(values)]
        levels = table.attrs["levels"]
        slack = 1e-9 * max(1.0, np.ptp(finite))                          # round levels, not float noise
        assert levels[0] <= finite.min() + slack and levels[-1] >= finite.max() - slack
    fig.canvas.draw()
    plt.close(fig)
