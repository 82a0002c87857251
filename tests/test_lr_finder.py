"""lr_find and lr_finder: the range test's rates, the model put back exactly, a suggestion where the loss falls."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

torch = pytest.importorskip("torch")
from torch.nn.functional import cross_entropy  # noqa: E402

import vizkit as vk  # noqa: E402
from vizkit.errors import VizkitTypeError, VizkitValueError  # noqa: E402
from vizkit.ml import LRFinderDisplay, LRFinderResult  # noqa: E402
from vizkit.torch import lr_find  # noqa: E402
from vizkit.torch.data import frame_loaders  # noqa: E402


@pytest.fixture(scope="module")
def digits():
    torch.manual_seed(0)
    train, _ = frame_loaders(vk.load_dataset("digits"), val_size=0.2, batch_size=64, seed=0)
    return train


def mlp():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10))


class Recording(torch.optim.SGD):
    """SGD that remembers the learning rate of every step."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.used = []

    def step(self, closure=None):
        self.used.append(self.param_groups[0]["lr"])
        return super().step(closure)


def test_the_learning_rate_rises_geometrically_from_start_to_end(digits):
    model = mlp()
    optimizer = Recording(model.parameters(), lr=0.1)
    result = lr_find(model, cross_entropy, digits, optimizer=optimizer, start_lr=1e-6, end_lr=1e-2, steps=50)
    assert not result.diverged and len(result.table) == 50      # 50 steps: the loader (23 batches) runs twice
    used = np.array(optimizer.used)
    np.testing.assert_array_equal(used, result.table["lr"].to_numpy())
    assert used[0] == 1e-6 and used[-1] == pytest.approx(1e-2, rel=1e-12)
    np.testing.assert_allclose(used[1:] / used[:-1], (1e-2 / 1e-6) ** (1 / 49), rtol=1e-12)


def test_the_model_the_optimizer_and_the_random_state_are_put_back_bitwise(digits):
    model = mlp()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for inputs, targets in list(digits)[:3]:                   # an optimizer with state (Adam's moments)
        optimizer.zero_grad()
        cross_entropy(model(inputs), targets).backward()
        optimizer.step()
    model.eval()
    weights = {k: v.clone() for k, v in model.state_dict().items()}
    state = optimizer.state_dict()
    moments = {i: {k: v.clone() if torch.is_tensor(v) else v for k, v in s.items()} for i, s in state["state"].items()}
    groups = [dict(g) for g in state["param_groups"]]
    rng = torch.random.get_rng_state()
    result = lr_find(model, cross_entropy, digits, optimizer=optimizer, steps=100)
    assert result.diverged and len(result.table) < 100          # the loss exploded before 10
    assert all(torch.equal(weights[k], v) for k, v in model.state_dict().items())
    after = optimizer.state_dict()
    assert [dict(g) for g in after["param_groups"]] == groups
    for i, s in after["state"].items():
        assert all(torch.equal(v, moments[i][k]) if torch.is_tensor(v) else v == moments[i][k] for k, v in s.items())
    assert not model.training and torch.equal(torch.random.get_rng_state(), rng)


def test_the_suggestion_lies_where_the_smoothed_loss_falls(digits):
    model = mlp()
    result = lr_find(model, cross_entropy, digits, optimizer=torch.optim.SGD(model.parameters(), lr=0.1,
                                                                             momentum=0.9), start_lr=1e-5, steps=100)
    table = result.table
    at = int(np.argmin(np.abs(table["lr"] - result.suggested_lr)))
    lowest = int(table["smoothed"].idxmin())
    assert result.suggested_lr == result.steepest_lr < result.min_lr
    assert 0 < at < lowest
    assert table["smoothed"][at + 1] < table["smoothed"][at] < table["smoothed"][at - 1]   # falling there
    assert table["smoothed"][at] < table["smoothed"][0] and table["smoothed"][lowest] < table["smoothed"][at]
    assert result.min10_lr == result.min_lr / 10


def test_the_chart_draws_the_result(digits):
    model = mlp()
    result = lr_find(model, cross_entropy, digits, optimizer=torch.optim.SGD(model.parameters(), lr=0.1), steps=60)
    ax = vk.lr_finder(result)
    drawn = vk.plotted_data(ax)
    pd.testing.assert_frame_equal(drawn.drop(columns="suggested"), result.table)
    assert drawn.attrs["suggested_lr"] == result.suggested_lr
    assert drawn.loc[drawn["suggested"], "lr"].item() == pytest.approx(result.suggested_lr)
    assert ax.get_xscale() == "log"
    display = LRFinderDisplay.from_result(result, method="min10").plot()
    assert display.suggested_lr_ == result.min10_lr
    assert f"{result.min10_lr:.2g}" in display.artists_["label"].get_text()
    plt.close("all")


def test_a_frame_of_lr_and_loss_is_summarised_too():
    lr = np.geomspace(1e-4, 1, 80)
    loss = 2 - np.tanh(2 * (np.log10(lr) + 2)) + 3 * lr
    result = LRFinderDisplay.from_result(pd.DataFrame({"lr": lr, "loss": loss})).result
    assert isinstance(result, LRFinderResult)
    assert result.steepest_lr == pytest.approx(1e-2, rel=0.15)          # the inflection of the tanh


def test_bad_input_is_named(digits):
    model = mlp()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(VizkitValueError, match="`end_lr` must be"):
        lr_find(model, cross_entropy, digits, optimizer=optimizer, start_lr=1.0, end_lr=0.1)
    with pytest.raises(VizkitValueError, match="`steps` must be"):
        lr_find(model, cross_entropy, digits, optimizer=optimizer, steps=2)
    with pytest.raises(VizkitTypeError, match="`optimizer` must be"):
        lr_find(model, cross_entropy, digits, optimizer="sgd")
    with pytest.raises(VizkitValueError, match="`train_loader` must be a loader that yields at least one batch"):
        lr_find(model, cross_entropy, [], optimizer=optimizer)
    with pytest.raises(VizkitTypeError, match="`result` must be an LRFinderResult"):
        vk.lr_finder([1, 2, 3])
    with pytest.raises(VizkitValueError, match="`result` must be .*without 'loss'"):
        vk.lr_finder(pd.DataFrame({"lr": [1e-3, 1e-2, 1e-1]}))
    with pytest.raises(VizkitValueError, match="`lr` must be positive, increasing"):
        vk.lr_finder(pd.DataFrame({"lr": [1e-3, 1e-4, 1e-1], "loss": [1.0, 0.5, 0.7]}))
    with pytest.raises(VizkitValueError, match="`method` must be"):
        vk.lr_finder(pd.DataFrame({"lr": [1e-3, 1e-2, 1e-1], "loss": [1.0, 0.5, 0.7]}), method="valley")
