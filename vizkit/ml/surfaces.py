"""Two-dimensional test functions of optimization lectures, as objects a chart and an optimizer share.

Each :class:`Surface` has a name, a formula for titles (valid mathtext), its
minimum (None for the saddle), a plotting range and a default start, and is
called on two arrays: numpy arrays for a contour grid, torch tensors for
:func:`vizkit.torch.optimizer_paths` (the only function that needs a cosine,
Rastrigin's, takes it from the input's own type, so autograd works and this
module never imports torch).

=====================  ==============================================  =============
name                   f(x1, x2)                                       minimum
=====================  ==============================================  =============
``"quadratic"``        x1² + 2 x2² (d2l's gradient-descent chapter)    (0, 0)
``"ill_conditioned"``  0.1 x1² + 2 x2² (d2l's momentum chapter on)     (0, 0)
``"rosenbrock"``       (1 − x1)² + 100 (x2 − x1²)²                     (1, 1)
``"rastrigin"``        20 + Σ (xi² − 10 cos 2π xi)                     (0, 0)
``"beale"``            (1.5 − x1 + x1x2)² + (2.25 − x1 + x1x2²)²        (3, 0.5)
                       + (2.625 − x1 + x1x2³)²
``"saddle"``           x1² − x2²                                       none
=====================  ==============================================  =============

:func:`mse_surface` makes the mean squared error of a line ``y = w x + b``
over ``(w, b)`` a surface too, with its least-squares optimum as minimum.

>>> from vizkit.ml import SURFACES
>>> quad = SURFACES["ill_conditioned"]
>>> quad(-5.0, -2.0), quad.minimum, quad.start
(10.5, (0.0, 0.0), (-5.0, -2.0))
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from vizkit._core import bad_value, check_number

__all__ = ["Surface", "SURFACES", "mse_surface"]


def _cos(x):
    """cos of ``x`` in its own library: a tensor's ``.cos()`` (autograd kept), numpy's otherwise."""
    if not isinstance(x, np.ndarray) and hasattr(x, "cos"):
        return x.cos()
    return np.cos(x)


@dataclass(frozen=True)
class Surface:
    """A function of two variables with what a chart of it needs.

    Parameters
    ----------
    name : str
        Short name (the key in :data:`SURFACES`).
    formula : str
        The formula for a title, valid mathtext (``"$x_1^2 + 2x_2^2$"``).
    function : callable
        ``function(x1, x2) -> f``, elementwise, with only arithmetic operators
        (and :func:`_cos`), so numpy arrays and torch tensors both work.
    minimum : (float, float) or None
        Where the global minimum is; None when there is none (a saddle).
    xlim, ylim : (float, float)
        A range that shows the interesting part.
    start : (float, float)
        A start point that makes a good race.
    variables : (str, str)
        Axis labels of the two variables (mathtext allowed).
    value : str
        Label of f (the loss axis).

    Examples
    --------
    >>> import numpy as np
    >>> from vizkit.ml.surfaces import Surface
    >>> bowl = Surface("bowl", "$x_1^2 + x_2^2$", lambda a, b: a * a + b * b, (0.0, 0.0), (-2, 2), (-2, 2), (1.5, 1.0))
    >>> bowl(np.array([1.0, 2.0]), np.array([0.0, 1.0]))
    array([1., 5.])
    """

    name: str
    formula: str
    function: Callable = field(repr=False)
    minimum: tuple | None
    xlim: tuple
    ylim: tuple
    start: tuple
    variables: tuple = ("$x_1$", "$x_2$")
    value: str = "f"

    def __call__(self, x1, x2):
        """f at ``(x1, x2)``: floats, numpy arrays (a grid) or torch tensors (autograd)."""
        return self.function(x1, x2)


def _rastrigin(x1, x2):
    tau = 2 * math.pi
    return 20 + x1 * x1 - 10 * _cos(tau * x1) + x2 * x2 - 10 * _cos(tau * x2)


def _beale(x1, x2):
    return ((1.5 - x1 + x1 * x2) ** 2 + (2.25 - x1 + x1 * x2 ** 2) ** 2
            + (2.625 - x1 + x1 * x2 ** 3) ** 2)


#: The built-in surfaces by name (see the module's table).
SURFACES = {s.name: s for s in (
    Surface("quadratic", "$x_1^2 + 2x_2^2$", lambda x1, x2: x1 * x1 + 2 * x2 * x2,
            (0.0, 0.0), (-5.5, 1.5), (-3.0, 1.5), (-5.0, -2.0)),
    Surface("ill_conditioned", "$0.1x_1^2 + 2x_2^2$", lambda x1, x2: 0.1 * x1 * x1 + 2 * x2 * x2,
            (0.0, 0.0), (-5.5, 1.5), (-3.0, 1.5), (-5.0, -2.0)),
    Surface("rosenbrock", "$(1 - x_1)^2 + 100(x_2 - x_1^2)^2$",
            lambda x1, x2: (1 - x1) ** 2 + 100 * (x2 - x1 * x1) ** 2,
            (1.0, 1.0), (-2.0, 2.0), (-1.0, 3.0), (-1.2, 1.0)),
    Surface("rastrigin", r"$20 + \sum_i\, x_i^2 - 10\cos(2\pi x_i)$", _rastrigin,
            (0.0, 0.0), (-5.12, 5.12), (-5.12, 5.12), (-2.2, 2.6)),
    Surface("beale", r"Beale: $(1.5 - x_1 + x_1x_2)^2 + \ldots$", _beale,
            (3.0, 0.5), (-4.5, 4.5), (-4.5, 4.5), (1.0, 1.5)),
    Surface("saddle", "$x_1^2 - x_2^2$", lambda x1, x2: x1 * x1 - x2 * x2,
            None, (-2.0, 2.0), (-2.0, 2.0), (-1.5, 0.05)),
)}


def mse_surface(x, y, *, start=(0.0, 0.0)) -> Surface:
    """The mean squared error of the line ``y = w x + b`` over ``(w, b)``, as a :class:`Surface`.

    Its minimum is the least-squares fit (:func:`numpy.linalg.lstsq`); its
    range is centred there and holds the level set of ``start`` (an ellipse
    whose half-widths are ``sqrt(2 Δf (H⁻¹)ᵢᵢ)``, H the MSE's Hessian), with
    a quarter to spare.

    Parameters
    ----------
    x, y : array-like of numbers
        The data: one feature and the target, same length, at least 2
        points, finite, ``x`` not constant.
    start : (float, float), default (0, 0)
        The ``(w, b)`` gradient descent starts from.

    Returns
    -------
    Surface
        ``surface(w, b)`` is ``mean((w x + b - y)²)``, for numbers, numpy
        arrays (a grid over ``(w, b)``) and torch tensors alike.

    Examples
    --------
    >>> from vizkit.ml import mse_surface
    >>> surface = mse_surface([0, 1, 2], [1, 3, 5])
    >>> [round(v, 6) for v in surface.minimum], float(surface(2.0, 1.0))
    ([2.0, 1.0], 0.0)
    """
    x, y = _data("x", x), _data("y", y)
    if len(x) != len(y):
        raise bad_value("y", f"as long as `x` ({len(x)} values)", y, got=f"{len(y)} values")
    if len(x) < 2 or np.ptp(x) == 0:
        raise bad_value("x", "at least 2 values that are not all equal", x, got=f"{len(x)} value(s), range {np.ptp(x):g}")
    start = _point("start", start)
    design = np.column_stack([x, np.ones_like(x)])
    optimum = tuple(float(v) for v in np.linalg.lstsq(design, y, rcond=None)[0])
    hessian = 2 * design.T @ design / len(x)
    offset = np.subtract(start, optimum)
    rise = max(float(offset @ hessian @ offset) / 2, 1e-12)  # f(start) - f(optimum): the MSE is quadratic
    reach = np.maximum(1.25 * np.sqrt(2 * rise * np.diag(np.linalg.inv(hessian))), 1e-3)
    xlim = (optimum[0] - reach[0], optimum[0] + reach[0])
    ylim = (optimum[1] - reach[1], optimum[1] + reach[1])

    def mse(w, b):
        if isinstance(w, (int, float, np.ndarray, np.generic)):
            xs, ys = x, y
        else:  # a tensor: the data in its dtype and device, so autograd sees one graph
            xs, ys = w.new_tensor(x), w.new_tensor(y)
        residual = w[..., None] * xs + b[..., None] - ys if np.ndim(w) else w * xs + b - ys
        return (residual * residual).mean(-1) if np.ndim(w) else (residual * residual).mean()

    return Surface("mse", "MSE of $y = wx + b$", mse, optimum, xlim, ylim, start,
                   variables=("$w$", "$b$"), value="MSE")


def _data(argument, values) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise bad_value(argument, "a 1-D array of numbers", values) from None
    if array.ndim != 1 or not np.isfinite(array).all():
        raise bad_value(argument, "a 1-D array of finite numbers", values,
                        got=f"shape {array.shape}" if array.ndim != 1 else "non-finite values")
    return array


def _point(argument, value) -> tuple[float, float]:
    """``value`` as a pair of finite floats (a start or a minimum)."""
    try:
        pair = tuple(value)
    except TypeError:
        pair = ()
    if len(pair) != 2:
        raise bad_value(argument, "a pair of numbers (x1, x2)", value)
    return tuple(check_number(argument, v) for v in pair)
