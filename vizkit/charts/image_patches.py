"""An image cut into square patches, numbered in reading order, and the patches as the sequence a ViT reads."""

from __future__ import annotations

import numpy as np

from vizkit._core import bad_type, bad_value, check_number
from vizkit._core.axes import attach_data
from vizkit._core.display import Display
from vizkit.charts.images import _check_cmap, _natural, _one_image

__all__ = ["PatchGridDisplay", "patch_grid"]

_GAP = 1  # pixels of background between the patches of the sequence strip


class PatchGridDisplay(Display):
    """An image and its patches: ``from_image`` cuts, ``plot`` draws the numbered grid and the sequence strip.

    Attributes
    ----------
    patches_ : numpy.ndarray of shape (P, p, p) or (P, p, p, C)
        The patches in reading order (left to right, then top to bottom),
        as ``vizkit.torch.models.patchify`` orders them.
    grid_ : (int, int)
        Patch rows and columns.
    patch_size_ : int
    table : pandas.DataFrame
        One row per patch: ``position`` (1 to P: its place in the sequence,
        after the class token at 0), ``row``, ``col`` (1-based), ``top``,
        ``left`` (its first pixel), ``mean`` (its mean pixel value).
    axes_ : dict
        After :meth:`plot`: ``{"image": Axes, "sequence": Axes or None}``.

    Examples
    --------
    >>> import numpy as np
    >>> from vizkit.charts.image_patches import PatchGridDisplay
    >>> image = np.arange(36.0).reshape(6, 6)
    >>> found = PatchGridDisplay.from_image(image, patch_size=3)
    >>> found.grid_, found.patches_.shape, found.table["top"].tolist(), found.table["left"].tolist()
    ((2, 2), (4, 3, 3), [0, 0, 3, 3], [0, 3, 0, 3])
    >>> found.patches_[1].tolist()                       # the top-right patch: rows 0-2, columns 3-5
    [[3.0, 4.0, 5.0], [9.0, 10.0, 11.0], [15.0, 16.0, 17.0]]
    """

    _chart = "patch_grid"
    axes_: dict = {}

    def __init__(self, image, patches, table, patch_size):
        self.image = image
        self.patches_ = patches
        self.table = table
        self.patch_size_ = patch_size
        self.grid_ = (int(table["row"].max()), int(table["col"].max()))

    @classmethod
    def from_image(cls, image, *, patch_size=4):
        """Cut ``image`` into patches; draw nothing. See :func:`patch_grid` for the arguments."""
        import pandas as pd

        array = _one_image("image", image)
        p = check_number("patch_size", patch_size, integer=True, low=1)
        height, width = array.shape[:2]
        if height % p or width % p:
            raise bad_value("patch_size", f"a divisor of the image's height and width ({height} × {width})",
                            patch_size, hint="A ViT crops or resizes the image first so that the patches tile it.")
        rows, cols = height // p, width // p
        patches = array.reshape(rows, p, cols, p, *array.shape[2:]).swapaxes(1, 2).reshape(rows * cols, p, p,
                                                                                           *array.shape[2:])
        row, col = np.divmod(np.arange(rows * cols), cols)
        table = pd.DataFrame({"position": row * cols + col + 1, "row": row + 1, "col": col + 1, "top": row * p,
                              "left": col * p, "mean": patches.reshape(rows * cols, -1).mean(axis=1)})
        return cls(array, patches, table, p)

    def plot(self, *, sequence=True, numbers=True, cmap="gray", figure=None):
        """Draw the image with its patch grid and numbers, and the patches as a strip; return ``self``."""
        import matplotlib.pyplot as plt

        for name, value in (("sequence", sequence), ("numbers", numbers)):
            if not isinstance(value, (bool, np.bool_)):
                raise bad_type(name, "True or False", value)
        colormap = _check_cmap(cmap)
        if figure is None:
            figure = plt.figure(figsize=(7.2, 4.6 if sequence else 3.8), layout="constrained")
        if sequence:
            top, bottom = figure.subplots(2, 1, height_ratios=[3.4, 0.6])
        else:
            top, bottom = figure.subplots(1, 1), None
        limits = _natural(self.image) if self.image.min() >= 0 else None
        scale = {"cmap": colormap, "vmin": limits[0], "vmax": limits[1]} if limits and self.image.ndim == 2 else \
            {"cmap": colormap}
        self._draw_image(top, scale, numbers)
        if sequence:
            self._draw_sequence(bottom, scale)
        self.axes_ = {"image": top, "sequence": bottom}
        self.ax_, self.figure_ = top, figure
        self.artists_ = {"image": top.images[0], "numbers": list(top.texts),
                         "sequence": bottom.images[0] if sequence else None}
        return self

    def _draw_image(self, ax, scale, numbers) -> None:
        from vizkit.colors import palette

        p, (rows, cols) = self.patch_size_, self.grid_
        ax.imshow(self.image, interpolation="nearest", **scale)
        line = palette()[1]
        for k in range(1, rows):
            ax.axhline(k * p - 0.5, color=line, linewidth=1.2)
        for k in range(1, cols):
            ax.axvline(k * p - 0.5, color=line, linewidth=1.2)
        if numbers:
            face = ax.get_facecolor()
            size = min(8.0, 0.45 * 72 * 3.4 / max(rows, cols))
            for row in self.table.itertuples(index=False):
                ax.text(row.left - 0.3, row.top - 0.3, str(row.position), ha="left", va="top", fontsize=size,
                        bbox={"boxstyle": "square,pad=0.1", "facecolor": face, "edgecolor": "none", "alpha": 0.75})
        ax.set(xticks=[], yticks=[])
        ax.spines[:].set_visible(False)
        ax.set_title(f"{rows} × {cols} = {rows * cols} patches of {p} × {p} pixels, numbered in reading order",
                     fontsize="medium")
        attach_data(ax, self.table, chart=self._chart)

    def _draw_sequence(self, ax, scale) -> None:
        p, n = self.patch_size_, len(self.patches_)
        strip = np.full((p, n * (p + _GAP) - _GAP, *self.patches_.shape[3:]), np.nan)
        for k, patch in enumerate(self.patches_):
            strip[:, k * (p + _GAP):k * (p + _GAP) + p] = patch
        if strip.ndim == 3:  # colour: NaN cannot be drawn, the gaps become white
            strip = np.nan_to_num(strip, nan=255 if self.image.dtype.kind in "iu" else 1).astype(self.image.dtype)
        ax.imshow(np.ma.masked_invalid(strip) if strip.ndim == 2 else strip, interpolation="nearest", **scale)
        cols = self.grid_[1]
        starts = np.arange(0, n, cols)  # the first patch of each image row
        ax.set_xticks(starts * (p + _GAP) + (p - 1) / 2, [str(k + 1) for k in starts], fontsize="small")
        ax.set_yticks([])
        ax.tick_params(length=2)
        ax.spines[:].set_visible(False)
        ax.set_xlabel("the same patches as a sequence: position 1 to "
                      f"{n} (each image row of {cols} patches follows the one above)", fontsize="small")
        attach_data(ax, self.table, chart=self._chart)

    def _plotted_data(self):
        return self.table


def patch_grid(image, patch_size=4, *, sequence=True, numbers=True, cmap="gray", figure=None):
    """Draw an image cut into square patches with their order, and the patches as a sequence (a ViT's input).

    A Vision Transformer reads an image as a sequence: it cuts the image
    into ``patch_size`` × ``patch_size`` patches, numbers them in reading
    order (left to right, then top to bottom) and embeds each as one token;
    a class token takes position 0 in front. The chart draws the image with
    the patch borders and each patch's position, and under it the patches
    side by side in that order.

    Parameters
    ----------
    image : array-like, tensor or PIL image
        H×W grey or H×W×3 colour, uint8 or floats; H and W multiples of ``patch_size``.
    patch_size : int
        The side of a patch in pixels (4: a 28 × 28 digit gives 7 × 7 = 49 patches).
    sequence : bool
        Draw the strip of patches in sequence order under the image.
    numbers : bool
        Write each patch's position (1 to P) in its top-left corner.
    cmap : str or Colormap
        For a grey image.
    figure : Figure or SubFigure, optional
        Draw into it; default a new figure.

    Returns
    -------
    PatchGridDisplay
        ``.patches_``, ``.table``, ``.axes_`` (``"image"``, ``"sequence"``), ``.figure_``;
        ``vk.plotted_data(ax)`` of either Axes is the table of patches.

    Examples
    --------
    >>> import vizkit as vk
    >>> digit = vk.load_dataset("mnist").iloc[0, :784].to_numpy().reshape(28, 28)
    >>> shown = vk.patch_grid(digit, patch_size=4)
    >>> shown.grid_, len(vk.plotted_data(shown.axes_["image"]))
    ((7, 7), 49)
    >>> import matplotlib.pyplot as plt; plt.close(shown.figure_)
    """
    return PatchGridDisplay.from_image(image, patch_size=patch_size).plot(sequence=sequence, numbers=numbers,
                                                                         cmap=cmap, figure=figure)
