"""Grad-CAM (vizkit.torch.grad_cam) against a hand computation, and vk.overlay against its blend formula."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import vizkit as vk
from vizkit.errors import VizkitError

torch = pytest.importorskip("torch")
import vizkit.torch as vt  # noqa: E402


def _gap_net():
    """conv(1→3, 3×3, same size) → ReLU → global average pool → linear(3→2), hand-set weights."""
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Conv2d(1, 3, 3, padding=1), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool2d(1),
                              torch.nn.Flatten(), torch.nn.Linear(3, 2))
    with torch.no_grad():
        net[4].weight.copy_(torch.tensor([[1.0, -2.0, 0.5], [-1.0, 1.5, 2.0]]))
    return net


def test_grad_cam_equals_the_class_activation_map_computed_by_hand():
    # After global average pooling, d score_c / d A_k(i, j) = W[c, k] / (h·w) everywhere, so Grad-CAM's
    # channel weights are W[c, k] / (h·w) and the map is ReLU(Σ_k W[c, k]·A_k) / (h·w): CAM (Zhou et al., 2016).
    net, images = _gap_net(), torch.rand(2, 1, 6, 6, generator=torch.Generator().manual_seed(1))
    activations = torch.relu(net[0](images)).detach()
    for c in (0, 1):
        by_hand = torch.relu(torch.einsum("k,nkij->nij", net[4].weight[c].detach(), activations)) / 36
        np.testing.assert_allclose(vt.grad_cam(net, net[1], images, target=c), by_hand.numpy(), rtol=1e-5, atol=1e-7)


def test_grad_cam_upsamples_a_smaller_layer_bilinearly_and_the_target_changes_the_map():
    net = _gap_net()
    net.insert(2, torch.nn.MaxPool2d(2))  # the layer explained is 3×3, the image 6×6
    images = torch.rand(1, 1, 6, 6, generator=torch.Generator().manual_seed(2))
    pooled = torch.nn.functional.max_pool2d(torch.relu(net[0](images)), 2).detach()
    maps = {c: vt.grad_cam(net, "2", images, target=c) for c in (0, 1)}
    for c, got in maps.items():
        small = torch.relu(torch.einsum("k,nkij->nij", net[5].weight[c].detach(), pooled)) / 9
        expected = torch.nn.functional.interpolate(small[:, None], size=(6, 6), mode="bilinear", align_corners=False)
        np.testing.assert_allclose(got, expected[:, 0].numpy(), rtol=1e-5, atol=1e-7)
    assert not np.allclose(maps[0], maps[1])
    predicted = int(net(images).argmax())
    np.testing.assert_array_equal(vt.grad_cam(net, "2", images), maps[predicted])  # None: the predicted class


def test_grad_cam_leaves_the_model_as_it_found_it():
    net = _gap_net()
    net.insert(1, torch.nn.BatchNorm2d(3))  # in training mode a forward pass would update its running statistics
    net.train()
    net[0].requires_grad_(False)  # frozen layers still get a map: the input carries the graph
    before = {k: v.clone() for k, v in net.state_dict().items()}
    maps = vt.grad_cam(net, net[0], torch.rand(3, 1, 6, 6), target=[0, 1, 0])
    assert maps.shape == (3, 6, 6) and maps.dtype == np.float32
    assert net.training and all(m.training for m in net.modules())
    assert not any(m._forward_hooks for m in net.modules())
    assert all(p.grad is None for p in net.parameters())
    assert all(torch.equal(before[k], v) for k, v in net.state_dict().items())


@pytest.mark.parametrize(("kwargs", "argument"), [
    ({"layer": "conv9"}, "layer"),
    ({"layer": torch.nn.ReLU()}, "layer"),
    ({"layer": "3"}, "layer"),          # Flatten: N×3, not feature maps
    ({"target": 5}, "target"),
    ({"target": [0, 1, 0]}, "target"),  # three targets for two images
    ({"images": np.zeros((2, 1, 6, 6))}, "images"),
])
def test_grad_cam_names_the_bad_argument(kwargs, argument):
    net = _gap_net()
    call = {"layer": net[1], "images": torch.rand(2, 1, 6, 6), "target": 0} | kwargs
    with pytest.raises(VizkitError, match=f"`{argument}`"):
        vt.grad_cam(net, call["layer"], call["images"], call["target"])


# ----------------------------------------------------------------------------- overlay
def _drawn(ax) -> np.ndarray:
    return np.asarray(ax.images[0].get_array())


def test_overlay_draws_the_blend_formula_in_rgb_order_and_a_red_image_stays_red():
    red = np.zeros((6, 8, 3), dtype=np.uint8)
    red[..., 0] = 255
    heat = np.linspace(0, 3, 48).reshape(6, 8)
    fig, ax = plt.subplots()
    vk.overlay(red, heat, alpha=0.3, cmap="viridis", ax=ax)
    expected = 0.7 * np.array([1.0, 0, 0]) + 0.3 * plt.get_cmap("viridis")(heat / 3)[..., :3]
    np.testing.assert_allclose(_drawn(ax), expected)
    fig2, ax2 = plt.subplots()
    vk.overlay(red.astype(float) / 255, heat, alpha=0.0, ax=ax2)  # float 0-1 input, heatmap weight 0
    np.testing.assert_array_equal(_drawn(ax2), np.broadcast_to([1.0, 0.0, 0.0], (6, 8, 3)))  # red, not blue (BGR)
    table = vk.plotted_data(ax)
    assert table.loc[0, "heatmap_max"] == 3 and not table.loc[0, "flat"]
    assert len(ax.child_axes) == 1 and not ax.texts  # the colour bar (an inset), no note
    plt.close(fig)
    plt.close(fig2)


def test_overlay_resizes_a_small_map_as_torch_does():
    heat = np.random.default_rng(0).random((3, 4))
    fig, ax = plt.subplots()
    vk.overlay(np.full((12, 16), 0.5), heat, ax=ax)  # a grey image
    expected = torch.nn.functional.interpolate(torch.tensor(heat)[None, None], size=(12, 16), mode="bilinear",
                                               align_corners=False)[0, 0].numpy()
    np.testing.assert_allclose(vk.plotted_data(ax).attrs["heatmap"], expected / expected.max(), rtol=1e-12)
    plt.close(fig)


@pytest.mark.parametrize(("heat", "words"), [(np.zeros((4, 4)), "all zero"),
                                              (-np.ones((4, 4)), "all negative"),
                                              (np.array([[0, -1], [-2, 0]]), "zero or negative")])
def test_overlay_draws_a_map_with_nothing_positive_flat_with_a_note(heat, words, recwarn):
    image = np.random.default_rng(1).random((*heat.shape, 3))
    fig, ax = plt.subplots()
    vk.overlay(image, heat, alpha=0.5, ax=ax)
    drawn = _drawn(ax)
    assert np.isfinite(drawn).all()
    np.testing.assert_allclose(drawn, 0.5 * image + 0.5 * np.array(plt.get_cmap("inferno")(0.0)[:3]))
    assert words in ax.texts[0].get_text() and vk.plotted_data(ax).loc[0, "flat"]
    assert not ax.child_axes  # no colour bar: a flat map has no scale
    assert not recwarn.list
    fig.canvas.draw()
    plt.close(fig)


@pytest.mark.parametrize(("image", "heat", "kwargs", "argument"), [
    (np.full((4, 4, 3), 2.0), np.ones((4, 4)), {}, "image"),     # floats outside [0, 1]
    (np.full((4, 4, 3), 300), np.ones((4, 4)), {}, "image"),     # ints outside 0-255
    (np.ones((4, 8, 3)), np.ones((8, 4)), {}, "heatmap"),        # transposed
    (np.ones((4, 4, 3)), np.ones((2, 4, 4)), {}, "heatmap"),     # a stack
    (np.ones((4, 4, 3)), np.full((4, 4), np.nan), {}, "heatmap"),
    (np.ones((4, 4, 3)), np.ones((4, 4)), {"alpha": 1.5}, "alpha"),
    (np.ones((4, 4, 3)), np.ones((4, 4)), {"cmap": "nope"}, "cmap"),
])
def test_overlay_names_the_bad_argument(image, heat, kwargs, argument):
    fig, ax = plt.subplots()
    with pytest.raises(VizkitError, match=f"`{argument}`"):
        vk.overlay(image, heat, ax=ax, **kwargs)
    assert not ax.images
    plt.close(fig)


@pytest.mark.parametrize(("heat", "hint"), [(np.ones((8, 4)), "Pass heatmap.T"), (np.ones((4, 4)), "Compute it on")])
def test_overlay_suggests_a_transpose_only_when_it_would_fit(heat, hint):
    with pytest.raises(VizkitError, match="`heatmap`") as error:
        vk.overlay(np.ones((4, 8, 3)), heat)
    assert hint in str(error.value)
    plt.close("all")
