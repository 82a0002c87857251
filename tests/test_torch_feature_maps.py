"""vizkit.torch.FeatureMaps: captured maps equal the sub-module's own forward, hooks are gone after, npz without pickle."""

import zipfile

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import vizkit as vk  # noqa: E402
from vizkit.errors import VizkitTypeError, VizkitValueError  # noqa: E402
from vizkit.io import read_feature_maps  # noqa: E402
from vizkit.torch import FeatureMaps, Run, fit  # noqa: E402


@pytest.fixture(scope="module")
def digits():
    frame = vk.load_dataset("digits")
    x = torch.tensor(frame.filter(like="pixel").to_numpy(np.float32).reshape(-1, 1, 8, 8) / 16)
    return x[:128], torch.tensor(frame["label"].to_numpy()[:128])


def _cnn():
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Conv2d(1, 6, 3, padding=1), torch.nn.ReLU(), torch.nn.Conv2d(6, 8, 3),
                               torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(8 * 36, 10))


def _no_hooks(model):
    return all(not m._forward_hooks for m in model.modules())


def test_context_maps_equal_a_manual_forward_of_each_sub_module(digits):
    model, probe = _cnn(), digits[0][:4]
    model.train()
    with FeatureMaps(model, layers=["0", "3"], probe=probe, dtype="float32") as maps:
        pass
    with torch.no_grad():
        first = model[0](probe)
        fourth = model[3](model[2](model[1](first)))
    np.testing.assert_array_equal(maps.maps_["0"], first.numpy())
    np.testing.assert_array_equal(maps.maps_["3"], fourth.numpy())
    assert model.training and _no_hooks(model)  # train mode restored, hooks removed


def test_context_without_probe_keeps_the_blocks_own_forward_and_strides_channels(digits):
    model = _cnn()
    with FeatureMaps(model, channel_stride=2) as maps:  # default: every Conv2d
        assert len(model[0]._forward_hooks) == 1
        with torch.no_grad():
            model(digits[0][:3])
    assert list(maps.maps_) == ["0", "2"] and _no_hooks(model)
    assert maps.maps_["0"].shape == (3, 3, 8, 8) and maps.maps_["0"].dtype == np.float16
    with torch.no_grad():
        np.testing.assert_allclose(maps.maps_["0"], model[0](digits[0][:3])[:, ::2].numpy(), atol=2e-3)


def test_fit_saves_npz_without_pickle_every_epoch_readable_torch_free(digits, tmp_path):
    model, (x, y) = _cnn(), digits
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=32)
    capture = FeatureMaps(model, layers=["0", "2"], probe=x[:4], every=1)
    with Run(tmp_path / "run") as run:
        fit(model, loader, optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
            loss_fn=torch.nn.functional.cross_entropy, epochs=3, callbacks=[capture], run=run, progress=False)
    assert _no_hooks(model)
    files = sorted((tmp_path / "run" / "arrays").glob("*.npz"))
    assert [f.name for f in files] == [f"feature_maps-step{s:09d}.npz" for s in (3, 7, 11)]
    for file in files:
        with np.load(file, allow_pickle=False) as archive:
            assert sorted(archive.files) == ["epoch", "maps.0", "maps.2"]
        assert all(name.endswith(".npy") for name in zipfile.ZipFile(file).namelist())
    record = read_feature_maps(tmp_path / "run")
    assert record.epochs.tolist() == [0, 1, 2] and record.steps.tolist() == [3, 7, 11]
    assert record.maps["2"].shape == (3, 4, 8, 6, 6)
    with torch.no_grad():  # the last capture is the trained model's own forward
        np.testing.assert_allclose(record.maps["0"][-1], model[0](x[:4]).numpy(), atol=2e-3)
    assert capture.bytes_ == sum(record.maps[name].nbytes for name in record.layers)


def test_step_cadence_and_a_budget_that_does_not_fit_is_refused_before_training(digits, tmp_path):
    model, (x, y) = _cnn(), digits
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=32)
    run = Run(tmp_path / "a")
    fit(model, loader, optimizer=torch.optim.SGD(model.parameters(), lr=0.1), epochs=1, progress=False, run=run,
        loss_fn=torch.nn.functional.cross_entropy, callbacks=[FeatureMaps(model, probe=x[:2], every=3, unit="step")])
    run.close()
    assert read_feature_maps(run.path).steps.tolist() == [0, 3]
    small = FeatureMaps(model, probe=x[:4], max_bytes=1000)
    with pytest.raises(VizkitValueError, match="`max_bytes`.*channel_stride=") as error, Run(tmp_path / "b") as b:
        fit(model, loader, optimizer=torch.optim.SGD(model.parameters(), lr=0.1), epochs=2, progress=False, run=b,
            loss_fn=torch.nn.functional.cross_entropy, callbacks=[small])
    assert "0, 2" in str(error.value) and _no_hooks(model)
    assert not (tmp_path / "b" / "arrays").exists()


def test_bad_arguments_are_named():
    model = _cnn()
    with pytest.raises(VizkitValueError, match="`layers`.*'O'.*modules: '0', '1'"):
        FeatureMaps(model, layers=["O"])
    with pytest.raises(VizkitTypeError, match="`probe`"):
        FeatureMaps(model, probe=np.zeros((1, 1, 8, 8)))
    with pytest.raises(VizkitValueError, match="`unit`"):
        FeatureMaps(model, unit="batch")
    with pytest.raises(VizkitTypeError, match="`model`"):
        FeatureMaps("model")
