"""Class-activation heatmaps: Grad-CAM (Selvaraju et al., 2017) of a convolutional layer, drawn by ``vk.overlay``."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from vizkit._core.errors import bad_type, bad_value

__all__ = ["grad_cam"]


def _check_layer(model: torch.nn.Module, layer) -> torch.nn.Module:
    if isinstance(layer, str):
        names = [name for name, _ in model.named_modules() if name]
        if layer not in names:
            raise bad_value("layer", f"the name of a module of `model` (one of {names[:12]}"
                                     f"{', ...' if len(names) > 12 else ''})", layer)
        return model.get_submodule(layer)
    if not isinstance(layer, torch.nn.Module):
        raise bad_type("layer", "a module of `model` or its name (as in model.named_modules())", layer)
    if not any(module is layer for module in model.modules()):
        raise bad_value("layer", "a module of `model` (one of model.modules())", layer,
                        got=f"a {type(layer).__name__} that `model` does not hold")
    return layer


def _check_images(images) -> torch.Tensor:
    if not isinstance(images, torch.Tensor):
        raise bad_type("images", "a float tensor of N×C×H×W (or one C×H×W image)", images)
    if images.ndim == 3:
        images = images[None]
    if images.ndim != 4 or not images.is_floating_point() or 0 in images.shape:
        raise bad_value("images", "a float tensor of N×C×H×W (or one C×H×W image)", images,
                        got=f"a {images.dtype} tensor of shape {tuple(images.shape)}")
    return images


def _check_target(target, n: int) -> torch.Tensor | None:
    if target is None:
        return None
    values = np.atleast_1d(np.asarray(target.detach().cpu() if isinstance(target, torch.Tensor) else target))
    if values.ndim != 1 or values.dtype.kind not in "iu" or len(values) not in (1, n):
        raise bad_value("target", f"a class index, or one per image ({n} ints), or None (each image's "
                                  "predicted class)", target)
    return torch.as_tensor(np.broadcast_to(values, (n,)).copy(), dtype=torch.long)


def _activations_and_scores(model, layer, images, target):
    """The layer's output and the target class scores (one per image) of one forward pass."""
    captured = []
    handle = layer.register_forward_hook(lambda module, args, output: captured.append(output))
    try:
        with torch.enable_grad():
            logits = model(images.detach().requires_grad_(True))  # so the layer's output has a graph
    finally:
        handle.remove()
    if not captured or not isinstance(captured[-1], torch.Tensor) or captured[-1].ndim != 4:
        got = "it did not run" if not captured else f"its output is {_describe_output(captured[-1])}"
        raise bad_value("layer", "a layer that runs in model(images) and gives N×C×h×w feature maps "
                                 "(a convolution, an activation or a block)", layer, got=got)
    if not isinstance(logits, torch.Tensor) or logits.ndim != 2:
        raise bad_value("model", "a classifier whose output is N×classes scores", model,
                        got=f"an output of {_describe_output(logits)}")
    if target is None:
        target = logits.detach().argmax(dim=1)
    if int(target.min()) < 0 or int(target.max()) >= logits.shape[1]:
        raise bad_value("target", f"class indices in [0, {logits.shape[1] - 1}] (the model's classes)",
                        target.tolist())
    return captured[-1], logits.gather(1, target.to(logits.device)[:, None]).sum()


def _describe_output(value) -> str:
    return f"shape {tuple(value.shape)}" if isinstance(value, torch.Tensor) else type(value).__name__


def grad_cam(model: torch.nn.Module, layer, images: torch.Tensor, target=None, *, relu: bool = True) -> np.ndarray:
    """Grad-CAM heatmaps of ``layer`` for class ``target``: where in each image that layer saw the class.

    The gradients of the target class score (the logit, before softmax) with
    respect to the layer's activations ``A`` are averaged over each channel's
    positions, giving one weight per channel; the heatmap is
    ``ReLU(Σ_k weight_k · A_k)``, upsampled to the image size with bilinear
    interpolation (``F.interpolate``, ``align_corners=False``). The hook is
    removed afterwards, the model is run in eval mode and returned to the mode
    it was in, and no parameter's ``.grad`` is touched.

    Parameters
    ----------
    model : torch.nn.Module
        A classifier: ``model(images)`` gives N×classes scores.
    layer : torch.nn.Module or str
        The module whose output (N×C×h×w feature maps) is explained, or its
        name in ``model.named_modules()``; usually the last convolutional block.
    images : torch.Tensor
        N×C×H×W (or one C×H×W image), as the model takes them.
    target : int, sequence of int or None
        The class to explain: one for all images, one per image, or None for
        each image's predicted class.
    relu : bool
        Keep only what speaks for the class (the paper's ReLU); False returns
        the signed map.

    Returns
    -------
    numpy.ndarray
        N×H×W heatmaps, float32, in the units of the weighted activations
        (not normalised: ``vk.overlay`` scales them for display).

    Examples
    --------
    >>> import torch
    >>> import vizkit.torch as vt
    >>> torch.manual_seed(0) and None
    >>> model = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.ReLU(),
    ...                             torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(4, 3))
    >>> maps = vt.grad_cam(model, model[1], torch.rand(2, 1, 8, 8), target=[0, 2])
    >>> maps.shape, bool((maps >= 0).all())
    ((2, 8, 8), True)
    """
    if not isinstance(model, torch.nn.Module):
        raise bad_type("model", "a torch.nn.Module (a classifier)", model)
    layer = _check_layer(model, layer)
    images = _check_images(images)
    target = _check_target(target, images.shape[0])
    if not isinstance(relu, bool):
        raise bad_type("relu", "True or False", relu)
    modes = {module: module.training for module in model.modules()}
    model.eval()
    try:
        activations, score = _activations_and_scores(model, layer, images, target)
        (gradients,) = torch.autograd.grad(score, activations)
    finally:
        for module, training in modes.items():
            module.training = training
    weights = gradients.mean(dim=(2, 3), keepdim=True)
    cam = (weights * activations).sum(dim=1, keepdim=True).detach()
    if relu:
        cam = F.relu(cam)
    cam = F.interpolate(cam.float(), size=tuple(images.shape[-2:]), mode="bilinear", align_corners=False)
    return cam[:, 0].cpu().numpy()
