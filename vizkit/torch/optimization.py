"""Real ``torch.optim`` optimizers on small problems: paths on a 2-D surface, a fair lr search, linear GD.

:func:`optimizer_paths` runs each optimizer from the same start for the same
number of steps on a function of two variables (a built-in surface of
:mod:`vizkit.ml.surfaces` or your own function of two tensors) and returns
every step as one long frame, which :func:`vizkit.loss_surface` draws.
:func:`tune_lr` gives each optimizer the same budget of trial runs over one
log grid of learning rates and keeps the lr with the lowest f after the same
number of steps. :func:`linear_gd` fits ``y = w x + b`` by plain gradient
descent on the mean squared error.

The lecture's seven methods have names (``"sgd"``, ``"momentum"``,
``"nesterov"``, ``"adagrad"``, ``"adadelta"``, ``"rmsprop"``, ``"adam"``;
``"gd"`` is ``"sgd"`` named GD) with defaults that make a readable race on
the ill-conditioned quadratic (see :data:`METHODS`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import torch

from vizkit._core.errors import bad_choice, bad_type, bad_value, missing_argument
from vizkit._core.validate import check_number
from vizkit.ml.surfaces import SURFACES, Surface, mse_surface

__all__ = ["METHODS", "TunedLR", "linear_gd", "optimizer_paths", "tune_lr"]

#: name -> (label, optimizer class, default keyword arguments) of the lecture's methods.
METHODS = {
    "gd": ("GD", torch.optim.SGD, {"lr": 0.1}),
    "sgd": ("SGD", torch.optim.SGD, {"lr": 0.1}),
    "momentum": ("Momentum", torch.optim.SGD, {"lr": 0.05, "momentum": 0.9}),
    "nesterov": ("Nesterov", torch.optim.SGD, {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    "adagrad": ("Adagrad", torch.optim.Adagrad, {"lr": 0.5}),
    "adadelta": ("Adadelta", torch.optim.Adadelta, {"lr": 1.0}),
    "rmsprop": ("RMSprop", torch.optim.RMSprop, {"lr": 0.05, "alpha": 0.9}),
    "adam": ("Adam", torch.optim.Adam, {"lr": 0.1}),
}
#: The seven of the lecture, in its order (what ``optimizers=None`` runs).
SEVEN = ("sgd", "momentum", "nesterov", "adagrad", "adadelta", "rmsprop", "adam")
#: A step counts as diverged when f or a coordinate is not finite, or |f| exceeds this factor times
#: max(|f(start)|, 1): GD with lr 0.6 on 0.1x1² + 2x2² passes it at step 11 (f 1.4e4 from 10.5).
DIVERGE_FACTOR = 1e3
#: The default grid of :func:`tune_lr`: 1e-3 to 10, three rates per decade.
LR_GRID = tuple(float(v) for v in np.logspace(-3, 1, 13))


@dataclass(frozen=True)
class _Spec:
    """One optimizer to run: its label and how to build it on a list of parameters."""

    name: str
    cls: type | None = None
    kwargs: dict = field(default_factory=dict)
    factory: object = None

    def build(self, params):
        if self.factory is not None:
            return self.factory(params)
        return self.cls(params, **self.kwargs)


def optimizer_paths(fn, optimizers=None, *, start=None, steps=20, dtype=torch.float64):
    """Run ``torch.optim`` optimizers on a function of two variables; return every step as a long frame.

    Parameters
    ----------
    fn : str, Surface or callable
        The function: a name of :data:`vizkit.ml.SURFACES` (``"rosenbrock"``),
        a :class:`vizkit.ml.Surface`, or ``fn(x1, x2) -> scalar tensor`` of
        two 0-dim tensors, differentiable by autograd.
    optimizers : str, list of str, or dict, optional
        Which optimizers: a method name or a list of them (``"adam"``,
        ``["sgd", "momentum"]``, see :data:`METHODS`), or a dict from a label
        to a method name, an optimizer class, ``(name or class, kwargs)``
        (kwargs over the method's defaults: ``("momentum", {"lr": 0.6,
        "momentum": 0.5})``) or a factory ``params -> Optimizer``. Default:
        the lecture's seven with their defaults.
    start : (float, float), optional
        Where every optimizer starts; default the surface's ``start``
        (needed for a callable).
    steps : int, default 20
        Optimizer steps per optimizer.
    dtype : torch.dtype, default torch.float64
        The parameters' dtype (float64 reproduces hand-written references).

    Returns
    -------
    DataFrame
        One row per optimizer and step, ``optimizer, step, x1, x2, f, lr,
        diverged``: step 0 is the start and step k the point after k
        updates; ``lr`` is the optimizer's learning rate; ``diverged`` is True
        from the first step whose f or coordinates are not finite or whose
        |f| exceeds 1000 × max(|f(start)|, 1). A diverged optimizer keeps
        running: its later rows hold whatever it reached (inf, NaN).

    Raises
    ------
    vizkit.errors.VizkitValueError, VizkitTypeError
        A bad argument; the message names it.

    Notes
    -----
    The d2l chapter's hand-written updates are torch's: SGD with momentum
    is ``v = βv + g; x -= ηv`` in both (d2l starts v at 0, torch at the
    first gradient: the same), RMSprop's ``alpha`` is d2l's γ. Adagrad and
    RMSprop differ in epsilon: d2l divides by ``sqrt(s + 1e-6)``, torch by
    ``sqrt(s) + eps`` (1e-10 for Adagrad, 1e-8 for RMSprop). After d2l's 20
    steps from (-5, -2) the final points differ by at most 7e-7 with torch's
    defaults and 8e-7 with ``eps=1e-6`` (Adagrad lr 0.4: 3.8e-7 and 8.0e-7 in
    x1; RMSprop lr 0.4: 6.9e-7 and 2.9e-7), far below the 6 printed decimals.

    Examples
    --------
    d2l's gradient descent with lr 0.4 on 0.1x1² + 2x2², 20 steps from (-5, -2):

    >>> import vizkit.torch as vt
    >>> paths = vt.optimizer_paths("ill_conditioned", {"GD": ("gd", {"lr": 0.4})}, steps=20)
    >>> last = paths.iloc[-1]
    >>> round(float(last["x1"]), 6), round(float(last["x2"]), 6), len(paths)
    (-0.943467, -7.3e-05, 21)
    """
    surface = _check_fn(fn)
    start = _check_start(start, surface)
    steps = check_number("steps", steps, integer=True, low=1)
    specs = _check_optimizers(optimizers)
    frames = [_run(surface, spec, start, steps, dtype)[0] for spec in specs]
    return pd.concat(frames, ignore_index=True)


def _run(fn, spec: _Spec, start, steps: int, dtype, lrs=(None,)) -> list[pd.DataFrame]:
    """One path per lr in ``lrs`` (None: the spec's own), ``steps + 1`` rows each from the start.

    Several lrs run as parameter groups of one optimizer on the sum of f over
    the points: the gradient of each point is its own (the sum decouples), so
    every path is the one a run of its own gives, at a fraction of the cost.
    """
    points = [torch.tensor(start, dtype=dtype, requires_grad=True) for _ in lrs]
    if lrs == (None,):
        optimizer = spec.build(points)
    else:
        optimizer = spec.cls([{"params": [p], "lr": lr} for p, lr in zip(points, lrs, strict=True)],
                             **{k: v for k, v in spec.kwargs.items() if k != "lr"})
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise bad_type("optimizers", "factories that return a torch.optim.Optimizer", optimizer,
                       got=f"{type(optimizer).__name__} from the factory of {spec.name!r}")
    xs, fs = np.empty((len(points), steps + 1, 2)), np.empty((len(points), steps + 1))
    for step in range(steps + 1):
        optimizer.zero_grad()
        stacked = torch.stack(points)
        if isinstance(fn, Surface):  # elementwise: one graph for all the points
            values = fn(stacked[:, 0], stacked[:, 1])
        else:
            values = torch.stack([fn(p[0], p[1]).reshape(()) for p in points])
        xs[:, step], fs[:, step] = stacked.detach().cpu().numpy(), values.detach().cpu().numpy()
        if step < steps:
            values.sum().backward()
            try:
                optimizer.step()
            except (TypeError, RuntimeError) as error:  # LBFGS wants a closure; a bad kwarg combination
                raise bad_value(f"optimizers[{spec.name!r}]", "an optimizer whose step() needs no closure", spec.cls
                                or spec.factory, got=f"{type(error).__name__} in step(): {error}") from error
    return [pd.DataFrame({"optimizer": spec.name, "step": np.arange(steps + 1), "x1": xs[i, :, 0],
                          "x2": xs[i, :, 1], "f": fs[i], "lr": float(group.get("lr", math.nan)),
                          "diverged": _diverged(xs[i], fs[i])})
            for i, group in enumerate(optimizer.param_groups)]


def _diverged(xs: np.ndarray, fs: np.ndarray) -> np.ndarray:
    """True from the first non-finite or huge step on."""
    with np.errstate(invalid="ignore", over="ignore"):
        bad = ~np.isfinite(fs) | ~np.isfinite(xs).all(axis=1) | (np.abs(fs) > DIVERGE_FACTOR * max(abs(fs[0]), 1.0))
    return np.logical_or.accumulate(bad)


def _check_fn(fn):
    """A callable of two tensors: a built-in surface by name, a Surface, or the user's function."""
    if isinstance(fn, str):
        if fn not in SURFACES:
            raise bad_choice("fn", fn, SURFACES, suffix=", a Surface or a function of two tensors")
        return SURFACES[fn]
    if not callable(fn):
        raise bad_type("fn", "a surface name, a Surface or a function of two tensors", fn)
    probe = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    try:
        value = fn(probe[0], probe[1])
    except Exception as error:  # the user's function failed on tensors: say so, keep the cause
        raise bad_value("fn", "a function of two 0-dim tensors (torch operations only)", fn,
                        got=f"an error on tensors: {type(error).__name__}: {error}") from error
    if not isinstance(value, torch.Tensor) or value.numel() != 1:
        raise bad_value("fn", "a function that returns a scalar tensor", fn,
                        got=f"{type(value).__name__}" + (f" of shape {tuple(value.shape)}"
                                                         if isinstance(value, torch.Tensor) else ""))
    return fn


def _check_start(start, surface):
    if start is None:
        if isinstance(surface, Surface):
            return tuple(float(v) for v in surface.start)
        raise missing_argument("start", "a pair of numbers (x1, x2) for a function without a default start")
    try:
        pair = tuple(start)
    except TypeError:
        pair = ()
    if len(pair) != 2:
        raise bad_value("start", "a pair of numbers (x1, x2)", start)
    return tuple(check_number("start", v) for v in pair)


def _check_optimizers(optimizers) -> list[_Spec]:
    if optimizers is None:
        optimizers = list(SEVEN)
    if isinstance(optimizers, str):
        optimizers = [optimizers]
    if isinstance(optimizers, (list, tuple)):
        named = {}
        for name in optimizers:
            if not isinstance(name, str) or name.lower() not in METHODS:
                raise bad_choice("optimizers", name, METHODS, suffix=" (or a dict of label: optimizer)")
            named[METHODS[name.lower()][0]] = name
        optimizers = named
    if not isinstance(optimizers, dict) or not optimizers:
        raise bad_type("optimizers", "a method name, a list of them or a non-empty dict of label: optimizer",
                       optimizers)
    return [_spec(str(label), spec) for label, spec in optimizers.items()]


def _spec(label: str, spec) -> _Spec:
    """One ``optimizers`` entry as a :class:`_Spec`; the error names the label."""
    kwargs = {}
    if isinstance(spec, tuple) and len(spec) == 2 and isinstance(spec[1], dict):
        spec, kwargs = spec
    if isinstance(spec, str):
        if spec.lower() not in METHODS:
            raise bad_choice(f"optimizers[{label!r}]", spec, METHODS, suffix=" or an optimizer class")
        _, cls, defaults = METHODS[spec.lower()]
        return _Spec(label, cls, {**defaults, **kwargs})
    if isinstance(spec, type) and issubclass(spec, torch.optim.Optimizer):
        return _Spec(label, spec, dict(kwargs))
    if callable(spec) and not kwargs:
        return _Spec(label, factory=spec)
    raise bad_type(f"optimizers[{label!r}]", "a method name, an optimizer class, (name or class, kwargs) "
                   "or a factory params -> Optimizer", spec)


@dataclass(frozen=True)
class TunedLR:
    """What :func:`tune_lr` found.

    Attributes
    ----------
    lrs : dict
        label -> the chosen learning rate.
    trials : DataFrame
        One row per optimizer and trial lr: ``optimizer, lr, f`` (f after
        the budgeted steps; inf for a diverged trial), ``diverged`` and
        ``chosen``.
    optimizers : dict
        label -> ``(optimizer class, kwargs)`` with the chosen lr, ready for
        :func:`optimizer_paths`.
    """

    lrs: dict
    trials: pd.DataFrame
    optimizers: dict


def tune_lr(fn, optimizers=None, *, start=None, steps=50, grid=LR_GRID, dtype=torch.float64):
    """Give each optimizer the same trial runs over one log grid of learning rates; keep the best lr.

    Every optimizer runs ``len(grid)`` times from ``start`` for ``steps``
    steps, once per learning rate, its other hyperparameters as given; each
    trial is scored on f after the last step (a diverged trial scores inf),
    and the lr with the lowest f wins (the smaller lr on ties). Same budget,
    same score, same number of steps for all: no optimizer is favoured by a
    hand-picked rate, and the score is the loss, not the distance to a
    minimum the optimizer cannot see.

    Parameters
    ----------
    fn, optimizers, start, dtype
        As in :func:`optimizer_paths`; an optimizer given as a factory
        cannot be re-run with another lr and is refused.
    steps : int, default 50
        Steps of every trial (score f after this many).
    grid : sequence of float, default 1e-3 to 10, three per decade
        The learning rates tried, positive.

    Returns
    -------
    TunedLR
        ``lrs`` (label -> lr), ``trials`` (the table) and ``optimizers``
        (to pass to :func:`optimizer_paths`).

    Examples
    --------
    >>> import vizkit.torch as vt
    >>> tuned = vt.tune_lr("ill_conditioned", ["sgd", "adam"], steps=20, grid=[0.01, 0.1, 0.4, 1.0])
    >>> tuned.lrs
    {'SGD': 0.4, 'Adam': 0.4}
    >>> len(tuned.trials)
    8
    """
    surface = _check_fn(fn)
    start = _check_start(start, surface)
    steps = check_number("steps", steps, integer=True, low=1)
    grid = _check_grid(grid)
    specs = _check_optimizers(optimizers)
    for spec in specs:
        if spec.factory is not None:
            raise bad_type(f"optimizers[{spec.name!r}]", "a method name, a class or (name or class, kwargs) "
                           "(a factory cannot be re-run with another lr)", spec.factory)
    rows = []
    for spec in specs:
        for lr, path in zip(grid, _run(surface, spec, start, steps, dtype, lrs=tuple(grid)), strict=True):
            last = path.iloc[-1]
            f = math.inf if last["diverged"] or not math.isfinite(last["f"]) else float(last["f"])
            rows.append({"optimizer": spec.name, "lr": lr, "f": f, "diverged": bool(last["diverged"])})
    trials = pd.DataFrame(rows)
    best = trials.loc[trials.groupby("optimizer", sort=False)["f"].idxmin()]
    lrs = {spec.name: float(best.loc[best["optimizer"] == spec.name, "lr"].iloc[0]) for spec in specs}
    trials["chosen"] = [lrs[name] == lr for name, lr in zip(trials["optimizer"], trials["lr"], strict=True)]
    chosen = {spec.name: (spec.cls, {**spec.kwargs, "lr": lrs[spec.name]}) for spec in specs}
    return TunedLR(lrs, trials, chosen)


def _check_grid(grid):
    try:
        values = [float(v) for v in grid]
    except (TypeError, ValueError):
        raise bad_type("grid", "a sequence of positive learning rates", grid) from None
    if not values or not all(math.isfinite(v) and v > 0 for v in values):
        raise bad_value("grid", "a non-empty sequence of positive, finite learning rates", grid)
    return sorted(set(values))


def linear_gd(x, y, *, lr, steps=100, start=(0.0, 0.0)):
    """Fit ``y = w x + b`` by plain gradient descent on the mean squared error, with autograd.

    Every step is one full-batch ``torch.optim.SGD`` update of ``(w, b)`` on
    ``mean((w x + b - y)²)``.

    Parameters
    ----------
    x, y : array-like of numbers
        One feature and the target, same length.
    lr : float
        The learning rate, positive. GD converges for lr < 2/λ_max, λ_max
        the largest eigenvalue of the MSE's Hessian ``2/n [x 1]ᵀ[x 1]``
        (``frame.attrs["stable_lr"]``) and diverges above it.
    steps : int, default 100
        Gradient steps.
    start : (float, float), default (0, 0)
        The initial ``(w, b)``.

    Returns
    -------
    DataFrame
        One row per step (step 0 is ``start``): ``step, w, b, loss, lr,
        diverged`` (as in :func:`optimizer_paths`). ``attrs`` holds
        ``optimum`` (the least-squares ``(w, b)``, :func:`numpy.linalg.lstsq`)
        and ``stable_lr`` (2/λ_max). Draw it with
        ``vk.loss_surface(vizkit.ml.mse_surface(x, y), paths=frame)``.

    Examples
    --------
    >>> import vizkit.torch as vt
    >>> path = vt.linear_gd([0, 1, 2, 3], [1, 3, 5, 7], lr=0.1, steps=300)
    >>> [round(float(v), 4) for v in path.iloc[-1][["w", "b"]]], round(path.attrs["stable_lr"], 4)
    ([2.0, 1.0], 0.238)
    """
    surface = mse_surface(x, y, start=start)
    lr = check_number("lr", lr, low=0, low_open=True)
    path = optimizer_paths(surface, {"GD": ("gd", {"lr": lr})}, start=surface.start, steps=steps)
    path = path.drop(columns="optimizer").rename(columns={"x1": "w", "x2": "b", "f": "loss"})
    features = np.column_stack([np.asarray(x, float), np.ones(np.size(x))])
    hessian = 2 * features.T @ features / len(features)
    path.attrs = {"optimum": surface.minimum, "stable_lr": float(2 / np.linalg.eigvalsh(hessian)[-1])}
    return path
