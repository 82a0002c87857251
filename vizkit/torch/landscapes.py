"""Loss landscapes of a model, in the way of Li et al. (2018), "Visualizing the Loss Landscape of Neural Nets".

Three slices of the loss around trained weights θ, each computed here (torch)
and handed to the torch-free chart :func:`vizkit.landscape` as a
:class:`vizkit.ml.Landscape` (numpy arrays and frames, no tensors):

:func:`loss_landscape`
    The loss on an odd, symmetric grid of ``θ + α·d1 (+ β·d2)`` with
    Gaussian, filter-normalised random directions (Li et al. §4): every
    filter of a direction has the norm of the same filter of θ, biases and
    normalisation parameters are zero in the directions, θ is the grid's
    centre point exactly, and ``distance`` is the largest coefficient.
:func:`interpolate`
    The loss along the straight line ``(1 - α)·θ_start + α·θ_end`` between
    two checkpoints (Goodfellow et al. 2015), α beyond [0, 1] too.
:func:`trajectory_landscape`
    A training trajectory projected on the first two principal directions of
    its checkpoints' differences from the final θ, and the loss over the plane
    of those two directions, so that path and contours share axes (Li et al. §7).

Each evaluates with ``torch.no_grad()``, the model in eval mode, on the same
batches at every point, and gives the model back exactly as it was (its
``state_dict`` bitwise and each module's training flag).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import torch
from torch import nn

from vizkit._core.errors import bad_type, bad_value
from vizkit._core.validate import check_number
from vizkit.ml.loss_landscape import Landscape

__all__ = ["interpolate", "loss_landscape", "trajectory_landscape"]

#: Module types whose parameters are normalisation scales and shifts: zero in the random directions.
_NORM_TYPES = (nn.modules.batchnorm._NormBase, nn.LayerNorm, nn.GroupNorm) + (
    (nn.RMSNorm,) if hasattr(nn, "RMSNorm") else ())


# --- checks -----------------------------------------------------------------------------------------------------

def _check_model(model) -> nn.Module:
    if not isinstance(model, nn.Module):
        raise bad_type("model", "a torch.nn.Module", model)
    if not any(True for _ in model.parameters()):
        raise bad_value("model", "a module with parameters", model, got=f"a {type(model).__name__} without any")
    return model


def _check_loss_fn(loss_fn):
    if not callable(loss_fn):
        raise bad_type("loss_fn", "a callable(outputs, targets) returning the batch's mean loss", loss_fn)
    return loss_fn


def _check_grid_size(n) -> int:
    n = check_number("n", n, integer=True, low=3)
    if n % 2 == 0:
        raise bad_value("n", "an odd int >= 3, so that θ is the centre point of the grid", n,
                        hint=f"Use n={n + 1} or n={n - 1}.")
    return n


def _batches(data, device) -> list:
    """The ``(inputs, targets)`` batches of ``data``, read once and moved to ``device``, reused at every point."""
    if isinstance(data, (tuple, list)) and len(data) == 2 and all(isinstance(t, torch.Tensor) for t in data):
        inputs, targets = data
        if inputs.ndim == 0 or targets.ndim == 0 or len(inputs) != len(targets):
            raise bad_value("data", "a pair (inputs, targets) of tensors with the same number of rows", data,
                            got=f"shapes {tuple(inputs.shape)} and {tuple(targets.shape)}")
        batches = [(inputs, targets)]
    elif isinstance(data, Iterable) and not isinstance(data, (str, bytes, torch.Tensor, Mapping)):
        batches = []
        for batch in data:
            if not (isinstance(batch, (tuple, list)) and len(batch) == 2):
                raise bad_value("data", "a DataLoader of (inputs, targets) batches", data,
                                got=f"a batch of type {type(batch).__name__}")
            batches.append(tuple(batch))
    else:
        raise bad_type("data", "a pair (inputs, targets) of tensors or a DataLoader of such pairs", data)
    if not batches or sum(_rows(t) for _, t in batches) == 0:
        raise bad_value("data", "at least one sample", data, got="no samples")
    return [(x.to(device), t.to(device)) for x, t in batches]


def _rows(targets) -> int:
    return int(targets.shape[0]) if isinstance(targets, torch.Tensor) and targets.ndim else 1


def _check_state(argument: str, state, reference: dict) -> dict:
    """A checkpoint as a dict of tensors with the model's keys and shapes (a state dict, or arrays of an npz)."""
    if isinstance(state, nn.Module):
        state = state.state_dict()
    if not isinstance(state, Mapping) and not hasattr(state, "files"):  # np.load gives an NpzFile
        raise bad_type(argument, "a state dict (name -> tensor or array), e.g. model.state_dict()", state)
    names = list(state.files) if hasattr(state, "files") else list(state)
    missing, extra = [k for k in reference if k not in names], [k for k in names if k not in reference]
    if missing or extra:
        raise bad_value(argument, "a state dict of this model", state,
                        got=f"one with missing keys {missing[:5]} and unexpected keys {extra[:5]}")
    checked = {}
    for name, ref in reference.items():
        value = torch.as_tensor(np.asarray(state[name]) if not isinstance(state[name], torch.Tensor) else state[name])
        if tuple(value.shape) != tuple(ref.shape):
            raise bad_value(f"{argument}[{name!r}]", f"a tensor of shape {tuple(ref.shape)}", value,
                            got=f"shape {tuple(value.shape)}")
        checked[name] = value.to(device=ref.device, dtype=ref.dtype)
    return checked


# --- evaluation -------------------------------------------------------------------------------------------------

@contextlib.contextmanager
def _evaluating(model):
    """Eval mode and no_grad inside; afterwards every tensor of the state dict and every training flag as before."""
    saved = {name: tensor.detach().clone() for name, tensor in model.state_dict(keep_vars=True).items()}
    flags = [(module, module.training) for module in model.modules()]
    model.eval()
    try:
        with torch.no_grad():
            yield
    finally:
        with torch.no_grad():
            for name, tensor in model.state_dict(keep_vars=True).items():
                tensor.copy_(saved[name])
        for module, flag in flags:
            module.training = flag


def _loss(model, loss_fn, batches) -> float:
    """The mean loss over every sample of ``batches`` (each batch's mean weighted by its rows)."""
    total, rows = 0.0, 0
    for inputs, targets in batches:
        value = loss_fn(model(inputs), targets)
        if not isinstance(value, torch.Tensor) or value.numel() != 1:
            raise bad_value("loss_fn", "a callable returning the batch's mean loss as a 1-element tensor", value)
        n = _rows(targets)
        total += float(value) * n
        rows += n
    return total / rows


def _model_device(model) -> torch.device:
    return next(model.parameters()).device


# --- random directions --------------------------------------------------------------------------------------------

def _zeroed(model) -> set:
    """Names of the parameters that stay fixed in a random direction: biases, norm layers', other vectors."""
    names = set()
    for prefix, module in model.named_modules():
        for name, parameter in module.named_parameters(recurse=False):
            full = f"{prefix}.{name}" if prefix else name
            if isinstance(module, _NORM_TYPES) or name.endswith("bias") or parameter.ndim <= 1:
                names.add(full)
    return names


def _filter_dims(model) -> dict:
    """The axis of each weight that indexes its filters: 0 (a Linear's output rows, a Conv's output channels),
    1 for a transposed convolution (its weight is (in, out, ...))."""
    dims = {}
    for prefix, module in model.named_modules():
        for name, _ in module.named_parameters(recurse=False):
            full = f"{prefix}.{name}" if prefix else name
            dims[full] = 1 if isinstance(module, nn.modules.conv._ConvTransposeNd) and name == "weight" else 0
    return dims


def filter_normalized_direction(model, generator: torch.Generator) -> dict:
    """One Gaussian direction in the space of ``model``'s parameters, filter-normalised (Li et al. §4).

    For every weight with two or more dimensions, each filter ``d_i`` (a
    Linear's output row, a Conv's output channel) is drawn from N(0, 1) and
    rescaled to the norm of the same filter of θ: ``‖d_i‖ = ‖θ_i‖``. Biases,
    the parameters of normalisation layers and any other 1-D parameter are
    zero. Drawn on the CPU in float64 from ``generator`` (the same direction
    on every device), then cast to each parameter's dtype and device.

    >>> import torch
    >>> model = torch.nn.Linear(3, 2)
    >>> d = filter_normalized_direction(model, torch.Generator().manual_seed(0))
    >>> bool(torch.allclose(d["weight"].norm(dim=1), model.weight.norm(dim=1))), d["bias"].abs().sum().item()
    (True, 0.0)
    """
    zeroed, dims = _zeroed(model), _filter_dims(model)
    direction = {}
    for name, parameter in model.named_parameters():
        theta = parameter.detach().to("cpu", torch.float64)
        d = torch.randn(theta.shape, generator=generator, dtype=torch.float64)
        if name in zeroed:
            d.zero_()
        else:
            axis = dims[name]
            reduce = [k for k in range(theta.ndim) if k != axis]
            norm = torch.linalg.vector_norm
            scale = norm(theta, dim=reduce, keepdim=True) / norm(d, dim=reduce, keepdim=True).clamp_min(1e-30)
            d.mul_(scale)
        direction[name] = d.to(device=parameter.device, dtype=parameter.dtype)
    return direction


def _symmetric_grid(distance: float, n: int) -> np.ndarray:
    """``n`` (odd) coefficients from -distance to distance: exactly 0 in the middle, exactly ±distance at the ends."""
    half = n // 2
    return distance * (np.arange(-half, half + 1) / half)


def _grid_losses(model, loss_fn, batches, theta: dict, directions: list, coords: list) -> np.ndarray:
    """Loss at ``θ + Σ c_k d_k`` for every combination of ``coords``; shape (len(coords[-1]), ..., len(coords[0]))."""
    parameters = dict(model.named_parameters())
    shape = tuple(len(c) for c in coords)
    losses = np.empty(shape)
    for index in np.ndindex(*shape):
        for name, parameter in parameters.items():
            point = theta[name]
            for direction, axis, k in zip(directions, coords, index, strict=True):
                if axis[k] != 0:
                    point = point + float(axis[k]) * direction[name]
            parameter.copy_(point)
        losses[index] = _loss(model, loss_fn, batches)
    return losses.T  # rows follow the second direction (y), columns the first (x): contourf(x, y, loss)


def loss_landscape(model, loss_fn, data, *, directions=2, distance=1.0, n=21, seed=0) -> Landscape:
    """The loss around a model's weights θ along filter-normalised random directions (Li et al. 2018).

    Parameters
    ----------
    model : torch.nn.Module
        The model at θ (its current weights). It is given back exactly as it
        was: every tensor of its ``state_dict`` bitwise, each module's
        training flag.
    loss_fn : callable
        ``loss_fn(outputs, targets)`` returning the batch's mean loss (e.g.
        ``torch.nn.functional.cross_entropy``).
    data : (inputs, targets) tensors or DataLoader
        The samples the loss is averaged over. A loader is read once; the
        same batches are used at every grid point (shuffling changes nothing).
    directions : {1, 2}, default 2
        A 1-D slice (loss against α) or a 2-D plane (α, β).
    distance : float, default 1.0
        The largest coefficient: the grid runs from ``-distance`` to
        ``distance`` along each direction. With filter-normalised directions,
        a coefficient of 1 moves every filter by its own norm.
    n : int, default 21
        Grid points per direction; odd, so that θ is the centre point.
    seed : int, default 0
        Seed of the Gaussian directions (drawn on the CPU, so the same on
        every device).

    Returns
    -------
    vizkit.ml.Landscape
        ``coords`` (the coefficients per direction), ``loss`` (shape ``(n,)``,
        or ``(n, n)`` with rows along β and columns along α), ``center_loss``
        (the loss at θ) and the axis labels; draw it with
        :func:`vizkit.landscape`.

    Raises
    ------
    vizkit.errors.VizkitValueError, vizkit.errors.VizkitTypeError
        A bad argument, named: an even ``n``, a ``distance`` <= 0, ``data``
        that is not (inputs, targets) pairs, ...

    Notes
    -----
    Directions (Li et al. §4): each is Gaussian, and for every weight of two
    or more dimensions each filter ``d_i`` (a Linear's output row, a
    Conv's output channel, a transposed Conv's output channel along its
    second axis) is rescaled so that ``‖d_i‖ = ‖θ_i‖``; biases, the
    parameters of normalisation layers (BatchNorm, LayerNorm, GroupNorm,
    ...) and other 1-D parameters are zero in both directions, so they stay
    at θ. Buffers (BatchNorm's running statistics) are θ's throughout. The
    coefficients are ``distance * k / (n // 2)`` for ``k = -(n // 2) ...
    n // 2``: exactly 0 at the centre and ±distance at the ends, so the
    centre value is ``loss(θ)`` itself. The evaluation runs in eval mode
    under ``torch.no_grad()``. It costs ``n`` (1-D) or ``n²`` (2-D) passes
    over ``data``.

    Examples
    --------
    >>> import torch
    >>> import vizkit.torch as vt
    >>> _ = torch.manual_seed(0)
    >>> model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    >>> x, y = torch.randn(64, 4), torch.randint(0, 3, (64,))
    >>> result = vt.loss_landscape(model, torch.nn.functional.cross_entropy, (x, y), n=5, distance=0.5)
    >>> result.loss.shape, result.coords[0].tolist()
    ((5, 5), [-0.5, -0.25, 0.0, 0.25, 0.5])
    >>> bool(result.center_loss == result.loss[2, 2])
    True
    """
    model, loss_fn = _check_model(model), _check_loss_fn(loss_fn)
    if directions not in (1, 2) or isinstance(directions, bool):
        raise bad_value("directions", "1 (a line) or 2 (a plane)", directions)
    distance = check_number("distance", distance, low=0, low_open=True)
    n = _check_grid_size(n)
    seed = check_number("seed", seed, integer=True)
    batches = _batches(data, _model_device(model))
    with _evaluating(model):
        theta = {name: p.detach().clone() for name, p in model.named_parameters()}
        generator = torch.Generator().manual_seed(seed)
        found = [filter_normalized_direction(model, generator) for _ in range(directions)]
        coords = [_symmetric_grid(distance, n)] * directions
        losses = _grid_losses(model, loss_fn, batches, theta, found, coords)
    center = losses[(n // 2,) * directions]
    labels = ("direction 1 (filter-normalised)", "direction 2 (filter-normalised)")[:directions]
    return Landscape(coords=tuple(coords), loss=losses, labels=labels, kind="random", center_loss=float(center),
                     distance=distance)



# --- interpolation --------------------------------------------------------------------------------------------------

def _default_alphas() -> np.ndarray:
    return np.arange(-10, 31) / 20  # -0.5 to 1.5 by 0.05, with 0 and 1 exactly


def interpolate(model, loss_fn, data, *, start, end, alphas=None, names=("initial", "final")) -> Landscape:
    """The loss along the straight line between two checkpoints: ``θ(α) = (1 - α)·θ_start + α·θ_end``.

    Goodfellow et al. (2015)'s one-dimensional view: α = 0 is ``start``, α = 1
    is ``end``, and values beyond [0, 1] extrapolate past either.

    Parameters
    ----------
    model : torch.nn.Module
        A model of the checkpoints' architecture; given back as it was.
    loss_fn : callable
        ``loss_fn(outputs, targets)`` returning the batch's mean loss.
    data : (inputs, targets) tensors or DataLoader
        The samples the loss is averaged over (a loader is read once).
    start, end : dict or torch.nn.Module
        The two checkpoints: state dicts of ``model`` (tensors, or the arrays
        of an ``np.load``-ed npz), or models whose state dict is taken.
    alphas : array-like, optional
        Where to evaluate; default -0.5 to 1.5 by 0.05. 0 and 1 are always
        added, so both checkpoints are on the curve.
    names : (str, str), default ("initial", "final")
        What the two checkpoints are called on the chart.

    Returns
    -------
    vizkit.ml.Landscape
        ``coords[0]`` the sorted α, ``loss`` the loss at each; ``marks`` a
        frame of the two checkpoints (``name``, ``alpha``, ``loss``).

    Notes
    -----
    Every floating-point tensor of the state dict is interpolated
    (parameters and buffers, with ``torch.lerp``, which is exact at α = 0
    and α = 1); integer buffers (BatchNorm's batch count) are ``end``'s.

    Examples
    --------
    >>> import torch
    >>> import vizkit.torch as vt
    >>> _ = torch.manual_seed(0)
    >>> model = torch.nn.Linear(2, 1)
    >>> start = {k: v.clone() for k, v in model.state_dict().items()}
    >>> end = {k: torch.zeros_like(v) for k, v in start.items()}
    >>> x, y = torch.randn(32, 2), torch.randn(32, 1)
    >>> line = vt.interpolate(model, torch.nn.functional.mse_loss, (x, y), start=start, end=end, alphas=[0.5])
    >>> line.coords[0].tolist(), line.marks["name"].tolist()
    ([0.0, 0.5, 1.0], ['initial', 'final'])
    >>> bool(line.loss[-1] == torch.nn.functional.mse_loss(torch.zeros(32, 1), y).item())
    True
    """
    model, loss_fn = _check_model(model), _check_loss_fn(loss_fn)
    reference = model.state_dict()
    first, last = _check_state("start", start, reference), _check_state("end", end, reference)
    alphas = _check_alphas(alphas)
    names = _check_names(names)
    batches = _batches(data, _model_device(model))
    losses = np.empty(len(alphas))
    with _evaluating(model):
        state = model.state_dict(keep_vars=True)
        for k, alpha in enumerate(alphas):
            for name, tensor in state.items():
                if tensor.is_floating_point():
                    tensor.copy_(torch.lerp(first[name], last[name], float(alpha)))
                else:
                    tensor.copy_(last[name])
            losses[k] = _loss(model, loss_fn, batches)
    at = {float(a): float(v) for a, v in zip(alphas, losses, strict=True)}
    marks = pd.DataFrame({"name": list(names), "alpha": [0.0, 1.0], "loss": [at[0.0], at[1.0]]})
    return Landscape(coords=(alphas,), loss=losses, labels=(f"α (0 = {names[0]}, 1 = {names[1]})",),
                     kind="interpolation", marks=marks)


def _check_alphas(alphas) -> np.ndarray:
    if alphas is None:
        return _default_alphas()
    try:
        values = np.asarray(alphas, dtype=float).ravel()
    except (TypeError, ValueError):
        raise bad_type("alphas", "an array of numbers", alphas) from None
    if not np.isfinite(values).all():
        raise bad_value("alphas", "finite numbers", alphas)
    return np.union1d(values, [0.0, 1.0])


def _check_names(names) -> tuple:
    if (not isinstance(names, Sequence) or isinstance(names, str) or len(names) != 2
            or not all(isinstance(n, str) for n in names)):
        raise bad_value("names", "two strings (the start's and the end's name)", names)
    return tuple(names)


# --- trajectory on the PCA plane ------------------------------------------------------------------------------------

def _flat(state: dict, names: list) -> np.ndarray:
    return np.concatenate([state[name].detach().to("cpu", torch.float64).reshape(-1).numpy() for name in names])


def _pca_plane(differences: np.ndarray):
    """The first two principal directions of the rows (centred, as scikit-learn's PCA) and their variance shares."""
    centred = differences - differences.mean(axis=0)
    _, singular, components = np.linalg.svd(centred, full_matrices=False)
    variance = singular ** 2
    if variance.sum() == 0 or len(variance) < 2 or variance[1] == 0:
        raise bad_value("checkpoints", "checkpoints that move in at least two directions", None,
                        got="checkpoints whose differences span fewer than two")
    return components[:2], tuple(float(v) for v in variance[:2] / variance.sum())


def _axis_through_zero(values: np.ndarray, n: int, margin: float) -> np.ndarray:
    """``n`` evenly spaced coefficients covering ``values`` and 0 with ``margin`` of their span on each side,
    with 0 (the final θ) exactly a grid point."""
    low, high = min(values.min(), 0.0), max(values.max(), 0.0)
    span = (high - low) or 1.0
    low, high = low - margin * span, high + margin * span
    step = (high - low) / (n - 1)
    below = int(round(-low / step))
    return step * np.arange(-below, n - below)


def trajectory_landscape(model, loss_fn, data, checkpoints, *, n=21, margin=0.15) -> Landscape:
    """A training trajectory on the plane of its first two principal directions, with the loss over that plane.

    Li et al. (2018) §7: random directions are nearly orthogonal to a
    trajectory, so they show none of it; the principal directions of the
    checkpoints' differences from the final weights θ_n show most of it.

    Parameters
    ----------
    model : torch.nn.Module
        A model of the checkpoints' architecture; given back as it was.
    loss_fn : callable
        ``loss_fn(outputs, targets)`` returning the batch's mean loss.
    data : (inputs, targets) tensors or DataLoader
        The samples the loss is averaged over (a loader is read once).
    checkpoints : sequence or dict of state dicts
        At least four checkpoints in training order, the last one θ_n (the
        plane's origin); a dict's keys are their labels on the chart (e.g.
        epochs), a sequence's labels are 0, 1, 2, ...
    n : int, default 21
        Grid points per direction (odd >= 3).
    margin : float, default 0.15
        Room around the trajectory on each side, as a share of its extent.

    Returns
    -------
    vizkit.ml.Landscape
        The loss on the grid over (PC 1, PC 2) through θ_n, the axes labelled
        with their share of the variance (``explained_variance``), and
        ``trajectory``: one row per checkpoint with ``label``, ``alpha``,
        ``beta`` (its projection), ``loss`` (the checkpoint's own loss) and
        ``in_plane`` (the share of its squared distance from θ_n that lies
        in the plane).

    Notes
    -----
    The differences ``θ_i - θ_n`` of every parameter (biases included: the
    trajectory is the whole model's) are the rows of a matrix; its principal
    directions are found as scikit-learn's PCA finds them (the rows centred,
    then an SVD) and are unit vectors. A checkpoint is drawn at
    ``(⟨θ_i - θ_n, u_1⟩, ⟨θ_i - θ_n, u_2⟩)`` and the loss at ``(α, β)`` is
    that of ``θ_n + α u_1 + β u_2`` (buffers θ_n's), so both share the same
    axes. The grid covers the trajectory; θ_n is exactly a grid point.

    Examples
    --------
    >>> import torch
    >>> import vizkit.torch as vt
    >>> _ = torch.manual_seed(0)
    >>> model = torch.nn.Linear(3, 1)
    >>> x, y = torch.randn(64, 3), torch.randn(64, 1)
    >>> optimizer, checkpoints = torch.optim.SGD(model.parameters(), lr=0.1), {}
    >>> for epoch in range(6):
    ...     checkpoints[epoch] = {k: v.clone() for k, v in model.state_dict().items()}
    ...     optimizer.zero_grad(); torch.nn.functional.mse_loss(model(x), y).backward(); optimizer.step()
    >>> plane = vt.trajectory_landscape(model, torch.nn.functional.mse_loss, (x, y), checkpoints, n=5)
    >>> plane.loss.shape, plane.trajectory["label"].tolist()[-1], 0 < sum(plane.explained_variance) <= 1
    ((5, 5), 5, True)
    """
    model, loss_fn = _check_model(model), _check_loss_fn(loss_fn)
    n = _check_grid_size(n)
    margin = check_number("margin", margin, low=0)
    labels, states = _check_checkpoints(checkpoints, model.state_dict())
    batches = _batches(data, _model_device(model))
    names = [name for name, _ in model.named_parameters()]
    final = _flat(states[-1], names)
    differences = np.stack([_flat(state, names) - final for state in states[:-1]])
    components, shares = _pca_plane(differences)
    projected = differences @ components.T
    squared = (differences ** 2).sum(axis=1)
    in_plane = np.divide((projected ** 2).sum(axis=1), squared, out=np.ones_like(squared), where=squared > 0)
    coords = [_axis_through_zero(projected[:, k], n, margin) for k in range(2)]
    with _evaluating(model):
        parameters = dict(model.named_parameters())
        own = []
        for state in states:
            model.load_state_dict(state)
            own.append(_loss(model, loss_fn, batches))
        model.load_state_dict(states[-1])  # θ_n's buffers on the plane
        theta = {name: p.detach().clone() for name, p in parameters.items()}
        plane = [_unflatten(c, parameters) for c in components]
        losses = _grid_losses(model, loss_fn, batches, theta, plane, coords)
    trajectory = pd.DataFrame({"label": labels, "alpha": np.append(projected[:, 0], 0.0),
                               "beta": np.append(projected[:, 1], 0.0), "loss": own,
                               "in_plane": np.append(in_plane, 1.0)})
    center = losses[list(coords[1]).index(0.0), list(coords[0]).index(0.0)]
    return Landscape(coords=tuple(coords), loss=losses, kind="pca", center_loss=float(center),
                     labels=tuple(f"PC {k + 1} ({share:.0%} of variance)" for k, share in enumerate(shares)),
                     trajectory=trajectory, explained_variance=shares)


def _unflatten(vector: np.ndarray, parameters: dict) -> dict:
    pieces, start = {}, 0
    for name, parameter in parameters.items():
        size = parameter.numel()
        pieces[name] = torch.as_tensor(vector[start:start + size]).reshape(parameter.shape).to(
            device=parameter.device, dtype=parameter.dtype)
        start += size
    return pieces


def _check_checkpoints(checkpoints, reference: dict):
    if isinstance(checkpoints, Mapping):
        labels, states = list(checkpoints), list(checkpoints.values())
    elif isinstance(checkpoints, Sequence) and not isinstance(checkpoints, str):
        labels, states = list(range(len(checkpoints))), list(checkpoints)
    else:
        raise bad_type("checkpoints", "a list or dict of state dicts, in training order", checkpoints)
    if len(states) < 4:
        raise bad_value("checkpoints", "at least 4 state dicts (three and the final θ)", checkpoints,
                        got=f"{len(states)}")
    return labels, [_check_state(f"checkpoints[{label!r}]", s, reference) for label, s in zip(labels, states,
                                                                                               strict=True)]
