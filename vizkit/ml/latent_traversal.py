"""A decoder's images over a 2-D latent lattice, drawn as one grid whose axes are the latent coordinates."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from vizkit._core import bad_type, bad_value
from vizkit._core.display import Display
from vizkit.ml._image_mosaic import centres, draw_mosaic, grey_tiles, labels_inside, value_range

__all__ = ["LatentGridDisplay", "latent_grid"]

_LATTICE = ("a vizkit.torch.decode_lattice(...) result, or a mapping with 'images' (ny, nx, H, W), 'x' (nx) and "
            "'y' (ny), such as vizkit.io.read_arrays(run, 'lattice')[step]")
_MINUS = "\N{MINUS SIGN}"


def _parts(lattice):
    if isinstance(lattice, Mapping):
        missing = [key for key in ("images", "x", "y") if key not in lattice]
        if missing:
            raise bad_value("lattice", _LATTICE, lattice, got=f"a mapping without {', '.join(map(repr, missing))}")
        return lattice["images"], lattice["x"], lattice["y"]
    if all(hasattr(lattice, key) for key in ("images", "x", "y")):
        return lattice.images, lattice.x, lattice.y
    raise bad_type("lattice", _LATTICE, lattice)


def _axis(name: str, values, count: int, order: str) -> np.ndarray:
    array = grey_tiles(f"lattice.{name}", values, f"one coordinate per {order[:-1]} ({count})", 1).astype(float)
    if len(array) != count:
        raise bad_value(f"lattice.{name}", f"one coordinate per {order[:-1]} ({count})", values,
                        got=f"{len(array)} coordinates")
    steps = np.diff(array)
    if not (np.all(steps > 0) if name == "x" else np.all(steps < 0)):
        raise bad_value(f"lattice.{name}", f"coordinates {'increasing' if name == 'x' else 'decreasing'} along the "
                                           f"{order} (as decode_lattice gives them)", values)
    return array


def _tick_label(value: float) -> str:
    return f"{value:.2g}".replace("-", _MINUS)


class LatentGridDisplay(Display):
    """Decoded images over a latent lattice: ``from_lattice`` checks them, ``plot`` draws the grid on one Axes.

    Attributes
    ----------
    images_ : numpy.ndarray of shape (ny, nx, H, W)
        The tiles; ``images_[i, j]`` was decoded at ``(x_[j], y_[i])``.
    x_, y_ : numpy.ndarray
        The latent coordinates of the columns (increasing) and rows (decreasing, top to bottom).
    tiles_ : pandas.DataFrame
        One row per tile: ``row``, ``col``, ``z1``, ``z2``, ``min``, ``max``, ``mean``;
        what :func:`vizkit.plotted_data` gives.
    vmin_, vmax_ : float
        The colour scale: 0-1 (floats in it), 0-255 (integers in it), else the tiles' range.

    Examples
    --------
    >>> import numpy as np
    >>> from vizkit.ml import LatentGridDisplay
    >>> lattice = {"images": np.zeros((3, 4, 5, 5)), "x": [-1, 0, 1, 2], "y": [1, 0, -1]}
    >>> found = LatentGridDisplay.from_lattice(lattice)
    >>> found.tiles_.loc[6, ["z1", "z2"]].tolist()      # row 1, column 2
    [1.0, 0.0]
    """

    _chart = "latent_grid"

    def __init__(self, images, x, y):
        import pandas as pd

        self.images_, self.x_, self.y_ = images, x, y
        self.vmin_, self.vmax_ = value_range(images)
        rows, cols = np.indices(images.shape[:2])
        flat = images.reshape(images.shape[0] * images.shape[1], -1).astype(float)
        self.tiles_ = pd.DataFrame({"row": rows.ravel(), "col": cols.ravel(), "z1": x[cols.ravel()],
                                    "z2": y[rows.ravel()], "min": flat.min(1), "max": flat.max(1),
                                    "mean": flat.mean(1)})

    @classmethod
    def from_lattice(cls, lattice):
        """Check the lattice's images and coordinates; draw nothing. See :func:`latent_grid`."""
        images, x, y = _parts(lattice)
        images = grey_tiles("lattice.images", images, "grey images of shape (ny, nx, H, W)", 4)
        x = _axis("x", x, images.shape[1], "columns")
        y = _axis("y", y, images.shape[0], "rows")
        return cls(images, x, y)

    def _draw(self, ax, *, cmap="gray", tick_every=None, labels=("$z_1$", "$z_2$")):
        ny, nx, height, width = self.images_.shape
        every = tick_every or (2 if max(nx, ny) > 9 else 1)
        image = draw_mosaic(ax, self.images_, cmap=cmap, vmin=self.vmin_, vmax=self.vmax_)
        columns, rows = np.arange(0, nx, every), np.arange(0, ny, every)
        ax.set_xticks(centres(nx, width)[columns], [_tick_label(v) for v in self.x_[columns]])
        ax.set_yticks(centres(ny, height)[rows], [_tick_label(v) for v in self.y_[rows]])
        ax.set_xlabel(labels[0])
        ax.set_ylabel(labels[1])
        labels_inside(ax)
        return {"image": image}

    def plot(self, ax=None, *, cmap="gray", tick_every=None, labels=("$z_1$", "$z_2$")):
        """Draw the grid on ``ax``; return ``self`` (see :func:`latent_grid`)."""
        from vizkit.colors import _cmap_for

        if not isinstance(cmap, str) and not hasattr(cmap, "with_extremes"):
            raise bad_type("cmap", "a colormap name or a Colormap", cmap)
        if isinstance(cmap, str):
            _cmap_for("cmap", cmap)
        if tick_every is not None and (isinstance(tick_every, bool) or not isinstance(tick_every, int)
                                       or tick_every < 1):
            raise bad_value("tick_every", "a whole number of tiles >= 1, or None", tick_every)
        if not isinstance(labels, (tuple, list)) or len(labels) != 2 or not all(isinstance(t, str) for t in labels):
            raise bad_type("labels", "an (x label, y label) pair of str", labels)
        return super().plot(ax, cmap=cmap, tick_every=tick_every, labels=tuple(labels))

    def _plotted_data(self):
        return self.tiles_


def latent_grid(lattice, *, cmap="gray", tick_every=None, labels=("$z_1$", "$z_2$"), ax=None):
    """Draw the images a decoder makes over a 2-D latent lattice, with the latent coordinates as axes.

    The tiles sit edge to edge (a pixel apart) as one image, row ``i`` and
    column ``j`` at ``(x[j], y[i])``: reading across a row moves along
    ``z₁``, up a column along ``z₂``. With the lattice at the prior's
    quantiles (:func:`vizkit.torch.decode_lattice`), equal steps between
    tiles are equal prior mass, as in Kingma & Welling (2014), and the tick
    labels give the coordinates themselves.

    Parameters
    ----------
    lattice : LatentLattice or mapping
        ``images`` (ny, nx, H, W), ``x`` (nx, increasing), ``y`` (ny,
        decreasing): what ``decode_lattice`` returns, or the arrays a run saved
        (``vizkit.io.read_arrays(run, "lattice")[step]``). Floats in 0-1 and
        integers in 0-255 are drawn on that scale; other values on their range.
    cmap : str or Colormap
        Default ``"gray"`` (white strokes on black, a pixel of the face between tiles).
    tick_every : int, optional
        Label every k-th row and column; default every second past 9 tiles.
    labels : (str, str)
        The axis labels (``$z_1$``, ``$z_2$``).
    ax : Axes, optional

    Returns
    -------
    LatentGridDisplay
        ``.tiles_`` (row, col, z1, z2, min, max, mean per tile, also
        ``vk.plotted_data(ax)``), ``.ax_``.

    Examples
    --------
    >>> import numpy as np, vizkit as vk
    >>> lattice = {"images": np.random.default_rng(0).random((5, 5, 8, 8)),
    ...            "x": np.linspace(-2, 2, 5), "y": np.linspace(2, -2, 5)}
    >>> grid = vk.latent_grid(lattice)
    >>> [t.get_text() for t in grid.ax_.get_xticklabels()]
    ['−2', '−1', '0', '1', '2']
    >>> import matplotlib.pyplot as plt; plt.close(grid.figure_)
    """
    return LatentGridDisplay.from_lattice(lattice).plot(ax, cmap=cmap, tick_every=tick_every, labels=labels)
