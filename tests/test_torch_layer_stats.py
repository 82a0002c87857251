"""LayerStats: per-layer weight and gradient norms and update ratios, equal to a plain loop's, without a sync per step."""

import copy

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from torch.nn.functional import cross_entropy  # noqa: E402
from torch.utils.data import DataLoader, TensorDataset  # noqa: E402

import vizkit as vk  # noqa: E402
from vizkit.errors import VizkitTypeError, VizkitValueError  # noqa: E402
from tests.cuda_checks import fit_without_sync_inside_epochs  # noqa: E402
from vizkit.torch import Callback, LayerStats, Run, fit  # noqa: E402


def penguins_tensors():
    frame = vk.load_dataset("penguins").dropna(subset=["bill_length_mm", "bill_depth_mm", "flipper_length_mm"])
    x = frame[["bill_length_mm", "bill_depth_mm", "flipper_length_mm"]].to_numpy(dtype="float32")
    x = (x - x.mean(axis=0)) / x.std(axis=0)
    y = frame["species"].astype("category").cat.codes.to_numpy(dtype="int64")
    return torch.from_numpy(x), torch.from_numpy(y)


def mlp():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Linear(3, 16), torch.nn.ReLU(), torch.nn.Linear(16, 3))


class Recorder(Callback):
    """What a plain loop would compute at every step: the parameters before and after, and the gradients."""

    def __init__(self):
        self.before, self.seen = None, {}

    def on_fit_start(self, state):
        self.before = {n: p.detach().clone() for n, p in state.model.named_parameters()}

    def on_batch_end(self, state, logs):
        after = {n: p.detach().clone() for n, p in state.model.named_parameters()}
        grads = {n: p.grad.detach().clone() for n, p in state.model.named_parameters()}
        self.seen[state.step] = (self.before, after, grads)
        self.before = after


def train(tmp_path, *, every=3, by="parameter", optimizer=torch.optim.SGD, **options):
    x, y = penguins_tensors()
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True)
    model = mlp()
    recorder = Recorder()
    run = Run(tmp_path / "run", flush_secs=None)
    fit(model, loader, optimizer=optimizer(model.parameters(), **(options or {"lr": 0.1})), loss_fn=cross_entropy,
        epochs=2, callbacks=[LayerStats(every=every, by=by), recorder], run=run, progress=False)
    return vk.read_run(tmp_path / "run"), recorder.seen, model


def norm(tensors):
    return float(torch.linalg.vector_norm(torch.cat([t.reshape(-1) for t in tensors])))


def test_logged_norms_equal_the_norms_of_the_parameters_and_gradients_at_those_steps(tmp_path):
    logged, seen, model = train(tmp_path, every=3)
    stats = logged[logged["metric"].str.contains("/")]
    assert sorted(stats["step"].unique()) == [s for s in sorted(seen) if s % 3 == 0]   # 0, 3, ... of 12 steps
    assert stats["split"].unique().tolist() == ["train"]
    names = [n for n, _ in model.named_parameters()]
    assert set(stats["metric"]) == {f"{s}/{n}" for s in ("weight_norm", "grad_norm", "update_ratio") for n in names}
    assert logged["layer_order"].iloc[0] == tuple(names) == ("0.weight", "0.bias", "2.weight", "2.bias")
    for row in stats.itertuples():
        statistic, name = row.metric.split("/")
        before, after, grads = (part[name] for part in seen[row.step])
        expected = {"weight_norm": norm([after]), "grad_norm": norm([grads]),
                    "update_ratio": norm([after - before]) / norm([before])}[statistic]
        assert row.value == pytest.approx(expected, rel=1e-5), (row.metric, row.step)


def test_the_update_ratio_is_the_parameter_change_of_the_step_for_adam_too(tmp_path):
    logged, seen, _ = train(tmp_path, every=1, optimizer=torch.optim.Adam, lr=0.01)
    ratio = logged.query("metric == 'update_ratio/2.weight'").set_index("step")["value"]
    expected = [norm([seen[s][1]["2.weight"] - seen[s][0]["2.weight"]]) / norm([seen[s][0]["2.weight"]])
                for s in ratio.index]
    np.testing.assert_allclose(ratio.to_numpy(), expected, rtol=1e-5)
    assert len(ratio) == len(seen) == 12


def test_by_module_takes_weight_and_bias_of_a_module_as_one_vector(tmp_path):
    logged, seen, _ = train(tmp_path, every=4, by="module")
    stats = logged[logged["metric"].str.contains("/")]
    assert set(stats["metric"]) == {f"{s}/{n}" for s in ("weight_norm", "grad_norm", "update_ratio") for n in "02"}
    assert logged["layer_order"].iloc[0] == ("0", "2")
    row = stats.query("metric == 'grad_norm/2' and step == 4").iloc[0]
    assert row.value == pytest.approx(norm([seen[4][2]["2.weight"], seen[4][2]["2.bias"]]), rel=1e-5)


def test_logging_converts_nothing_per_step(monkeypatch, tmp_path):
    """The host conversions during fit do not grow with the number of logged steps (Run converts at flushes)."""

    def conversions(batch_size, folder):
        calls = []
        for name in ("item", "cpu", "tolist", "__float__", "numpy"):
            original = getattr(torch.Tensor, name)
            monkeypatch.setattr(torch.Tensor, name,
                                lambda self, *a, _o=original, _n=name, **k: (calls.append(_n), _o(self, *a, **k))[1])
        x, y = penguins_tensors()
        model = mlp()
        run = Run(folder, flush_every=10**6, flush_secs=None)
        stats = LayerStats(run, every=1)
        stats_flushes = []
        monkeypatch.setattr(run, "flush", lambda _f=run.flush: (stats_flushes.append(1), _f())[1])
        fit(model, DataLoader(TensorDataset(x, y), batch_size=batch_size), optimizer=torch.optim.SGD(
            model.parameters(), lr=0.1), loss_fn=cross_entropy, epochs=2, callbacks=[stats], progress=False)
        monkeypatch.undo()
        run.close()
        return len(calls), len(vk.read_run(folder))

    few, many = conversions(342, tmp_path / "a"), conversions(8, tmp_path / "b")   # 1 and 43 steps per epoch
    assert many[1] > 40 * few[1] / 2                     # many more records logged ...
    assert few[0] == many[0]                             # ... with the same number of conversions


def test_the_training_itself_is_unchanged(tmp_path):
    _, _, with_stats = train(tmp_path / "a", every=1)
    x, y = penguins_tensors()
    torch.manual_seed(1)
    model = mlp()
    fit(model, DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True), progress=False, epochs=2,
        optimizer=torch.optim.SGD(model.parameters(), lr=0.1), loss_fn=cross_entropy)
    for a, b in zip(with_stats.state_dict().values(), model.state_dict().values(), strict=True):
        assert torch.equal(a, b)


def test_bad_arguments_are_named():
    with pytest.raises(VizkitTypeError, match="`every` must be"):
        LayerStats(every=2.5)
    with pytest.raises(VizkitValueError, match="`by` must be"):
        LayerStats(by="layer")
    model = mlp()
    x, y = penguins_tensors()
    with pytest.raises(VizkitValueError, match="`run` must be a Run to log to"):
        fit(model, DataLoader(TensorDataset(x, y), batch_size=64), optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
            loss_fn=cross_entropy, epochs=1, callbacks=[LayerStats()], progress=False)
    frozen = copy.deepcopy(model).requires_grad_(False)
    with pytest.raises(VizkitValueError, match="`model` must be a model with parameters that require grad"):
        LayerStats(Run.__new__(Run)).on_fit_start(type("S", (), {"model": frozen, "run": None, "step": -1})())


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_no_synchronisation_per_step_on_cuda(tmp_path):
    """Between the first and the last batch of an epoch nothing waits for the GPU, though every step is logged."""
    x, y = penguins_tensors()
    loader = DataLoader(TensorDataset(x, y), batch_size=16)
    model = mlp().cuda()

    fit_without_sync_inside_epochs(model, loader, optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
                                   loss_fn=cross_entropy, epochs=2, callbacks=[LayerStats(every=1, by="module")],
                                   run=Run(tmp_path / "run", flush_secs=None))
    logged = vk.read_run(tmp_path / "run")
    assert logged.query("metric == 'grad_norm/0'")["step"].tolist() == list(range(2 * len(loader)))
