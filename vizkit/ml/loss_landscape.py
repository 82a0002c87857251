"""Loss landscapes: the loss over a line or a plane through a model's weights, with the path that led there.

:class:`Landscape` is the computed slice, torch-free (numpy arrays and
frames); :mod:`vizkit.torch.landscapes` computes it from a model
(``loss_landscape``, ``interpolate``, ``trajectory_landscape``), and
:meth:`LandscapeDisplay.from_grid` takes a grid computed elsewhere.
:class:`LandscapeDisplay` holds its findings (the loss at θ, the lowest
point, a sharpness and the curvature at θ, the barrier between two
checkpoints) and draws it: a filled contour with labelled levels (log-spaced
when the loss spans decades), θ marked, the training trajectory with its
labels; a 1-D slice as a curve. :func:`landscape` does both in one call.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from vizkit._core.display import Display
from vizkit._core.errors import bad_type, bad_value
from vizkit._core.validate import check_axes, check_number

__all__ = ["Landscape", "LandscapeDisplay", "landscape"]


@dataclass(frozen=True)
class Landscape:
    """A computed slice of the loss: coordinates along one or two directions and the loss at each point.

    Parameters
    ----------
    coords : tuple of arrays
        The coefficients along each direction (one array for a line, two for
        a plane), increasing.
    loss : ndarray
        Shape ``(len(coords[0]),)`` for a line; ``(len(coords[1]),
        len(coords[0]))`` for a plane (rows along the second direction, as
        ``contourf(x, y, loss)`` takes it).
    labels : tuple of str
        What each direction is (the axis labels).
    kind : {"random", "pca", "interpolation", "grid"}
        How it was made: filter-normalised random directions, the plane of a
        trajectory's principal directions, a line between two checkpoints,
        or a grid given by the user.
    center_loss : float, optional
        The loss at θ (coordinate 0), when θ is a grid point.
    distance : float, optional
        The largest coefficient of a random-direction grid.
    trajectory : DataFrame, optional
        Checkpoints on the plane: ``label``, ``alpha``, ``beta``, ``loss``
        (and ``in_plane``), in training order, the last at θ.
    marks : DataFrame, optional
        Named points of a line (``name``, ``alpha``, ``loss``): the two
        checkpoints of an interpolation.
    explained_variance : tuple of float, optional
        The share of the trajectory's variance along each principal direction.
    """

    coords: tuple
    loss: np.ndarray
    labels: tuple = ("direction 1", "direction 2")
    kind: str = "grid"
    center_loss: float | None = None
    distance: float | None = None
    trajectory: pd.DataFrame | None = field(default=None, repr=False)
    marks: pd.DataFrame | None = field(default=None, repr=False)
    explained_variance: tuple | None = None

    @property
    def ndim(self) -> int:
        """1 for a line, 2 for a plane."""
        return len(self.coords)


def landscape(data, *, alpha=None, beta=None, labels=None, trajectory=None, levels=None, log=None, cmap=None,
              cbar=True, ax=None):
    """Draw a loss landscape: a filled contour of a plane with θ and the trajectory, or the loss along a line.

    Parameters
    ----------
    data : Landscape or array-like
        What :func:`vizkit.torch.loss_landscape`, :func:`vizkit.torch.interpolate`
        or :func:`vizkit.torch.trajectory_landscape` returned; or a loss grid
        of your own (1-D, or 2-D with rows along ``beta``), with its coordinates.
    alpha, beta : array-like, optional
        The coordinates of a grid given as ``data`` (``beta`` for a 2-D grid).
    labels : sequence of str, optional
        Axis labels of a grid given as ``data``.
    trajectory : DataFrame, optional
        A path over a 2-D grid given as ``data``: columns ``alpha``, ``beta``
        (and ``label``), in order, ending at θ.
    levels : int or array-like, optional
        About how many contour levels (default 12), or the levels themselves.
    log : bool, optional
        Log-spaced levels (a log y axis for a line); default when the finite
        values are positive and span more than two decades.
    cmap : str, optional
        The fill's colormap; default vizkit's sequential ramp (light valleys,
        dark ridges).
    cbar : bool, default True
        A colour bar beside a plane.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.

    Returns
    -------
    matplotlib.axes.Axes
        ``vizkit.plotted_data(ax)`` has one row per grid point: ``alpha``,
        (``beta``), ``loss``; its ``.attrs`` hold ``"levels"`` and, when
        drawn, ``"trajectory"`` and ``"marks"``.

    See Also
    --------
    LandscapeDisplay : the same chart, with its findings (``center_loss_``,
        ``min_loss_``, ``sharpness_``, ``curvature_``, ``barrier_``).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> import vizkit as vk
    >>> a = np.linspace(-1, 1, 11)
    >>> bowl = 0.1 + a[None, :] ** 2 + 3 * a[:, None] ** 2
    >>> fig, ax = plt.subplots()
    >>> ax = vk.landscape(bowl, alpha=a, beta=a)
    >>> table = vk.plotted_data(ax)
    >>> len(table), float(table["loss"].min())
    (121, 0.1)
    >>> plt.close(fig)
    """
    if isinstance(data, Landscape):
        for name, given in (("alpha", alpha), ("beta", beta), ("labels", labels), ("trajectory", trajectory)):
            if given is not None:
                raise bad_value(name, "None when `data` is a Landscape (it carries its own)", given)
        display = LandscapeDisplay.from_result(data)
    else:
        display = LandscapeDisplay.from_grid(data, alpha=alpha, beta=beta, labels=labels, trajectory=trajectory)
    return display.plot(ax=ax, levels=levels, log=log, cmap=cmap, cbar=cbar).ax_


class LandscapeDisplay(Display):
    """A loss landscape and its findings; :meth:`plot` draws it (see :func:`landscape`).

    Parameters
    ----------
    landscape : Landscape
        The computed slice.

    Attributes
    ----------
    center_loss_ : float or None
        The loss at θ (coordinate 0), when θ is a grid point.
    min_loss_ : float
        The lowest finite loss on the grid, at ``min_at_`` (its coordinates).
    sharpness_ : float or None
        ``(max - center) / (1 + center)`` over the grid: Keskar et al.'s
        (2017) ε-sharpness restricted to this slice (without their ×100);
        None without θ on the grid or for a centre loss <= -1.
    curvature_ : tuple of float or None
        Per direction, the second difference at θ,
        ``(L(h) + L(-h) - 2 L(0)) / h²`` with ``h`` the grid step.
    explained_variance_ : tuple of float or None
        A trajectory plane's variance shares of PC 1 and PC 2.
    start_loss_, end_loss_, barrier_ : float or None
        An interpolation's losses at α = 0 and α = 1, and its barrier: the
        most the loss rises above the straight line between them for α in
        [0, 1] (0 when it never does; as in Frankle et al. 2020).
    monotonic_ : bool or None
        Whether an interpolation's loss never rises from α = 0 to α = 1
        (Goodfellow et al. 2015 found it falls monotonically for many nets).

    Examples
    --------
    >>> import numpy as np
    >>> from vizkit.ml import LandscapeDisplay
    >>> a = np.linspace(-1, 1, 5)
    >>> display = LandscapeDisplay.from_grid(1 + a[None, :] ** 2 + 2 * a[:, None] ** 2, alpha=a, beta=a)
    >>> display.center_loss_, display.sharpness_, display.curvature_
    (1.0, 1.5, (2.0, 4.0))
    """

    _chart = "landscape"

    def __init__(self, landscape: Landscape):
        self.landscape = landscape
        loss, coords = np.asarray(landscape.loss, dtype=float), landscape.coords
        finite = np.isfinite(loss)
        lowest = np.unravel_index(np.where(finite, loss, np.inf).argmin(), loss.shape)
        self.min_loss_ = float(loss[lowest])
        self.min_at_ = tuple(float(coords[k][lowest[::-1][k]]) for k in range(len(coords)))
        centre = _centre_index(coords)
        self.center_loss_ = float(loss[centre]) if centre is not None and landscape.kind != "interpolation" else None
        self.sharpness_ = self.curvature_ = None
        if self.center_loss_ is not None:
            if np.isfinite(self.center_loss_) and 1 + self.center_loss_ > 0:  # Keskar et al.: losses >= 0
                self.sharpness_ = float((loss[finite].max() - self.center_loss_) / (1 + self.center_loss_))
            with np.errstate(invalid="ignore", over="ignore"):  # NaN where a neighbour of θ is not finite
                self.curvature_ = _curvature(loss, coords, centre)
        self.explained_variance_ = landscape.explained_variance
        self.start_loss_ = self.end_loss_ = self.barrier_ = self.monotonic_ = None
        if landscape.kind == "interpolation":
            self.start_loss_, self.end_loss_, self.barrier_ = _barrier(coords[0], loss)
            inside = loss[(coords[0] >= 0) & (coords[0] <= 1)]
            self.monotonic_ = bool(np.isfinite(inside).all() and (np.diff(inside) <= 0).all())

    @classmethod
    def from_result(cls, landscape):
        """The Display of a :class:`Landscape` computed by :mod:`vizkit.torch` (or built by hand); draws nothing."""
        if not isinstance(landscape, Landscape):
            raise bad_type("landscape", "a vizkit.ml.Landscape (what vizkit.torch.loss_landscape returns)", landscape)
        _check_grid(landscape.loss, landscape.coords, argument="landscape.loss")
        return cls(landscape)

    @classmethod
    def from_grid(cls, loss, *, alpha, beta=None, labels=None, trajectory=None):
        """The Display of a loss grid of your own: ``loss[i]`` at ``alpha[i]``, or ``loss[j, i]`` at
        ``(alpha[i], beta[j])``; ``trajectory`` a frame with ``alpha``, ``beta`` (and ``label``); draws nothing.

        >>> import numpy as np
        >>> from vizkit.ml import LandscapeDisplay
        >>> LandscapeDisplay.from_grid([3.0, 1.0, 2.0], alpha=[-1, 0, 1]).min_at_
        (0.0,)
        """
        try:
            values = np.asarray(loss, dtype=float)
        except (TypeError, ValueError):
            raise bad_type("data", "a 1-D or 2-D array of losses", loss) from None
        coords = tuple(_coordinate(name, c) for name, c in (("alpha", alpha), ("beta", beta)) if c is not None)
        if not coords:
            raise bad_value("alpha", "the grid's coordinates (an array) when `data` is a grid", alpha)
        _check_grid(values, coords, argument="data")
        defaults = ("alpha", "beta")[: len(coords)]
        labels = defaults if labels is None else tuple(labels)
        if len(labels) != len(coords) or not all(isinstance(t, str) for t in labels):
            raise bad_value("labels", f"{len(coords)} axis label(s) (str)", labels)
        trajectory = _check_trajectory(trajectory, len(coords))
        return cls(Landscape(coords=coords, loss=values, labels=labels, kind="grid", trajectory=trajectory))

    def _plotted_data(self):
        coords, loss = self.landscape.coords, np.asarray(self.landscape.loss, dtype=float)
        if len(coords) == 1:
            table = pd.DataFrame({"alpha": coords[0], "loss": loss})
        else:
            alpha, beta = np.meshgrid(coords[0], coords[1])
            table = pd.DataFrame({"alpha": alpha.ravel(), "beta": beta.ravel(), "loss": loss.ravel()})
        table.attrs["levels"] = list(getattr(self, "_levels", []))
        for name in ("trajectory", "marks"):
            if getattr(self.landscape, name) is not None:
                table.attrs[name] = getattr(self.landscape, name).copy()
        return table

    def plot(self, ax=None, *, levels=None, log=None, cmap=None, cbar=True):
        """Draw the landscape on ``ax`` (default the current Axes) and return ``self``.

        The options are :func:`landscape`'s; they are checked before
        anything is drawn (a refused call makes no figure).
        """
        from vizkit.colors import _cmap_for
        from vizkit.ml import _landscape_draw as draw

        if ax is not None:
            check_axes("ax", ax)
        options = draw.Options(levels=_check_levels(levels), log=_check_log(log, self.landscape.loss),
                               cmap=None if cmap is None else _cmap_for("cmap", cmap), cbar=bool(cbar))
        return super().plot(ax=ax, options=options)

    def _draw(self, ax, *, options):
        from vizkit.ml import _landscape_draw as draw

        if self.landscape.ndim == 2:
            artists, self._levels = draw.plane(ax, self, options)
        else:
            artists, self._levels = draw.line(ax, self, options)
        return artists


def _coordinate(name, values) -> np.ndarray:
    try:
        values = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise bad_type(name, "an array of numbers", values) from None
    if values.ndim != 1 or len(values) < 2 or not np.isfinite(values).all() or (np.diff(values) <= 0).any():
        raise bad_value(name, "at least 2 finite, increasing coordinates", values)
    return values


def _check_grid(loss, coords, *, argument: str) -> None:
    loss = np.asarray(loss, dtype=float)
    shape = tuple(len(c) for c in coords[::-1])
    if loss.shape != shape:
        raise bad_value(argument, f"an array of shape {shape} (rows along beta, columns along alpha)", loss,
                        got=f"shape {loss.shape}")
    if not np.isfinite(loss).any():
        raise bad_value(argument, "at least one finite loss", loss, got="no finite value")


def _check_trajectory(trajectory, ndim: int):
    if trajectory is None:
        return None
    if ndim != 2 or not isinstance(trajectory, pd.DataFrame) or not {"alpha", "beta"} <= set(trajectory.columns):
        raise bad_value("trajectory", "a DataFrame with columns 'alpha' and 'beta' (on a 2-D grid)", trajectory)
    table = trajectory.copy()
    if "label" not in table:
        table["label"] = range(len(table))
    return table


def _check_levels(levels):
    if levels is None:
        return 12
    if isinstance(levels, (int, np.integer)) and not isinstance(levels, bool):
        return check_number("levels", levels, integer=True, low=2)
    try:
        values = np.asarray(levels, dtype=float)
    except (TypeError, ValueError):
        raise bad_type("levels", "an int or an increasing array of levels", levels) from None
    if values.ndim != 1 or len(values) < 2 or (np.diff(values) <= 0).any() or not np.isfinite(values).all():
        raise bad_value("levels", "an int >= 2 or at least 2 increasing finite levels", levels)
    return values


def _check_log(log, loss):
    if log is not None and not isinstance(log, (bool, np.bool_)):
        raise bad_type("log", "True, False or None (decide from the values)", log)
    finite = np.asarray(loss, dtype=float)[np.isfinite(loss)]
    if log and (finite <= 0).any():
        raise bad_value("log", "False for losses that are not all positive", log,
                        got=f"True with a minimum loss of {finite.min():.3g}")
    return log


def _centre_index(coords):
    """The grid index of coordinate 0 along every direction (rows along the second), or None."""
    found = []
    for axis in coords:
        zero = np.flatnonzero(axis == 0)
        if not len(zero):
            return None
        found.append(int(zero[0]))
    return tuple(found[::-1])


def _curvature(loss, coords, centre) -> tuple | None:
    """Second differences at θ along each direction, None where θ has no neighbour on both sides."""
    values = []
    for k, axis in enumerate(coords):
        position = list(centre)
        at = position[len(coords) - 1 - k]
        if at == 0 or at == len(axis) - 1:
            return None
        before, after = list(position), list(position)
        before[len(coords) - 1 - k], after[len(coords) - 1 - k] = at - 1, at + 1
        h = (axis[at + 1] - axis[at - 1]) / 2
        values.append(float((loss[tuple(after)] + loss[tuple(before)] - 2 * loss[tuple(position)]) / h ** 2))
    return tuple(values)


def _barrier(alpha, loss):
    """Losses at α = 0 and 1, and the largest rise above the chord between them within [0, 1]."""
    start, end = float(loss[alpha == 0][0]), float(loss[alpha == 1][0])
    inside = (alpha >= 0) & (alpha <= 1) & np.isfinite(loss)
    chord = (1 - alpha[inside]) * start + alpha[inside] * end
    return start, end, float(max(0.0, (loss[inside] - chord).max()))
