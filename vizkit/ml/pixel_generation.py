"""An autoregressive image model at work: the order its pixels are drawn in, and the partial images step by step.

An autoregressive model draws pixel k from p(x_k | x_1 ... x_{k-1}), one
pixel at a time in a fixed order. :class:`PixelOrderDisplay` numbers the
pixels in that order (optionally only those one pixel may look at);
:class:`PixelStepsDisplay` draws the partial images saved on the way
(:func:`vizkit.torch.autoregressive_sample`'s frames: NaN where a pixel is not
drawn yet), the pixels still to come hatched grey and the one just drawn
outlined. :func:`pixel_order` and :func:`pixel_steps` are the one calls.
Torch-free.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vizkit._core import bad_type, bad_value, check_number
from vizkit._core.display import Display
from vizkit.charts.images import ImageGridDisplay

__all__ = ["PixelOrderDisplay", "PixelStepsDisplay", "pixel_order", "pixel_steps"]

_TITLE = "One pixel at a time: each drawn from p(xₖ | the pixels before it)"


def _shape(shape) -> tuple[int, int]:
    if not isinstance(shape, (tuple, list)) or len(shape) != 2:
        raise bad_type("shape", "(height, width), two ints", shape)
    return tuple(check_number(f"shape[{i}]", n, integer=True, low=1) for i, n in enumerate(shape))


def _order(order, pixels: int) -> np.ndarray:
    """The drawing order as pixel indices (raster order by default), checked to be a permutation."""
    if order is None:
        return np.arange(pixels)
    if hasattr(order, "detach") and hasattr(order, "cpu"):
        order = order.detach().cpu()
    array = np.asarray(order).ravel()
    if array.dtype.kind not in "iu" or array.size != pixels or not np.array_equal(np.sort(array), np.arange(pixels)):
        raise bad_value("order", f"a permutation of the {pixels} pixel indices 0 ... {pixels - 1} (raster indices)",
                        order)
    return array.astype(int)


class PixelOrderDisplay(Display):
    """The position of every pixel in an autoregressive model's drawing order, as a numbered grid.

    Parameters
    ----------
    table : DataFrame
        One row per pixel: ``row``, ``col``, ``position`` (1 is drawn first)
        and ``context`` (True for the pixels the highlighted one may see).
    shape : (int, int)
    highlight : int or None
        The position whose context is shown.

    Attributes
    ----------
    positions_ : ndarray
        (H, W): each pixel's position in the order, from 1.
    context_size_ : int or None
        How many pixels the highlighted one is conditioned on (``highlight - 1``).

    Examples
    --------
    >>> from vizkit.ml import PixelOrderDisplay
    >>> found = PixelOrderDisplay.from_shape((2, 3), highlight=5)
    >>> found.positions_.tolist(), found.context_size_
    ([[1, 2, 3], [4, 5, 6]], 4)
    """

    _chart = "pixel_order"

    def __init__(self, table: pd.DataFrame, shape, highlight=None):
        self.table = table
        self.shape_ = tuple(shape)
        self.highlight_ = highlight
        self.positions_ = table["position"].to_numpy().reshape(shape)
        self.context_size_ = None if highlight is None else int(highlight) - 1

    @classmethod
    def from_shape(cls, shape, *, order=None, highlight=None):
        """Number the pixels of an image of ``shape`` in ``order`` (raster by default); draw nothing."""
        height, width = _shape(shape)
        order = _order(order, height * width)
        highlight = check_number("highlight", highlight, integer=True, low=1, high=height * width, allow_none=True)
        position = np.empty(height * width, dtype=int)
        position[order] = np.arange(1, height * width + 1)
        table = pd.DataFrame({"row": np.repeat(np.arange(height), width), "col": np.tile(np.arange(width), height),
                              "position": position})
        table["context"] = table["position"] < highlight if highlight is not None else True
        return cls(table, (height, width), highlight)

    def _draw(self, ax, *, annot=True) -> dict:
        from vizkit.charts.heatmaps.heatmapplot import HeatmapDisplay
        from vizkit.colors import palette

        mask = None if self.highlight_ is None else self.positions_ > self.highlight_
        cells = HeatmapDisplay.from_array(self.positions_, mask=mask, annot=annot, fmt="d")
        cells._draw(ax, square=True, cbar=False)  # a heatmap; plotted_data is this chart's table
        ax.set_xlabel("Column")
        ax.set_ylabel("Row")
        height, width = self.shape_
        artists = {"image": ax.images[0], "frame": _frame(ax, height, width)}
        if self.highlight_ is not None:  # cells are centred on integer coordinates, as imshow draws them
            row, col = np.argwhere(self.positions_ == self.highlight_)[0]
            artists["highlight"] = _box(ax, row - 0.5, col - 0.5, 1, 1, color=palette()[1], linewidth=2.5)
        return artists

    def _plotted_data(self):
        return self.table


class PixelStepsDisplay(Display):
    """Partial images of an autoregressive sampler: a column per step, a row per sample.

    Parameters
    ----------
    frames : ndarray
        (steps, samples, H, W), NaN where a pixel is not drawn yet.
    table : DataFrame
        One row per tile: ``sample``, ``step`` (pixels drawn), ``drawn``
        (non-NaN pixels counted), ``ink`` (the mean of the drawn pixels),
        ``last_row``, ``last_col`` (the pixel drawn last; -1 at step 0).
    order : ndarray

    Attributes
    ----------
    steps_ : list of int
    pixels_ : int
        Pixels per image.

    Examples
    --------
    >>> import numpy as np
    >>> from vizkit.ml import PixelStepsDisplay
    >>> image = np.arange(6.0).reshape(2, 3) % 2
    >>> frames = np.stack([np.where(np.arange(6).reshape(2, 3) < k, image, np.nan) for k in (0, 4, 6)])
    >>> found = PixelStepsDisplay.from_frames(frames, steps=[0, 4, 6])
    >>> found.table[["step", "drawn", "last_row", "last_col"]].values.tolist()
    [[0, 0, -1, -1], [4, 4, 1, 0], [6, 6, 1, 2]]
    """

    _chart = "pixel_steps"
    grid_ = None

    def __init__(self, frames, table, order):
        self.frames = frames
        self.table = table
        self.order = order
        self.steps_ = [int(s) for s in table.loc[table["sample"] == 0, "step"]]
        self.pixels_ = int(frames.shape[2] * frames.shape[3])

    @classmethod
    def from_frames(cls, frames, *, steps, shape=None, order=None):
        """Check the frames against the order; draw nothing. See :func:`pixel_steps`."""
        array = _frames(frames, shape)
        pixels = array.shape[2] * array.shape[3]
        order = _order(order, pixels)
        try:
            steps = [int(s) for s in steps]
        except (TypeError, ValueError):
            raise bad_type("steps", "a list of ints: pixels drawn in each frame", steps) from None
        if len(steps) != array.shape[0]:
            raise bad_value("steps", f"one count per frame ({array.shape[0]})", steps, got=f"{len(steps)} counts")
        rows = []
        for k, step in enumerate(steps):
            if not 0 <= step <= pixels:
                raise bad_value("steps", f"pixel counts from 0 to {pixels}", steps)
            for n in range(array.shape[1]):
                flat = array[k, n].ravel()
                drawn = ~np.isnan(flat)
                if not np.array_equal(np.flatnonzero(drawn), np.sort(order[:step])):
                    raise bad_value("frames", f"frames whose first `steps` pixels in `order` are drawn and the rest "
                                    "NaN", frames, got=f"frame {k} (step {step}), sample {n}: {int(drawn.sum())} "
                                    "pixels drawn, not the first ones in the order")
                last = divmod(int(order[step - 1]), array.shape[3]) if step else (-1, -1)
                rows.append({"sample": n, "step": step, "drawn": int(drawn.sum()),
                             "ink": float(flat[drawn].mean()) if drawn.any() else float("nan"),
                             "last_row": last[0], "last_col": last[1]})
        table = pd.DataFrame(rows).sort_values(["sample", "step"], kind="stable").reset_index(drop=True)
        return cls(array, table, order)

    def plot(self, *, samples=None, cmap="gray_r", title=True, tile_size=None, figure=None):
        """Draw a column per step and a row per sample; return ``self`` (see :func:`pixel_steps`)."""
        from vizkit.colors import _cmap_for

        rows = _samples(samples, self.frames.shape[1])
        colormap = _cmap_for("cmap", cmap)
        if not isinstance(title, (bool, str)):
            raise bad_type("title", "True (the default heading), False or a str", title)
        images, titles, picked = [], [], []
        for i, sample in enumerate(rows):
            for k, step in enumerate(self.steps_):
                images.append(_rgb(self.frames[k, sample], colormap))
                picked.append(int(np.flatnonzero((self.table["sample"] == sample) & (self.table["step"] == step))[0]))
                titles.append(f"{step} of {self.pixels_}" if i == 0 else "")
        grid = _StepsGrid.from_images(images, titles=titles)
        grid.tiles_ = pd.concat([self.table.iloc[picked].reset_index(drop=True), grid.tiles_], axis=1)
        grid.plot(ncols=len(self.steps_), title=_TITLE if title is True else (title or None), tile_size=tile_size,
                  figure=figure)
        hatches, outlines = [], []
        for ax, index in zip(grid, picked, strict=True):
            row = self.table.iloc[index]
            k = self.steps_.index(int(row["step"]))
            _frame(ax, *self.frames.shape[2:])
            hatches.extend(_hatch(ax, np.isnan(self.frames[k, int(row["sample"])])))
            if row["last_row"] >= 0:
                outlines.append(_outline(ax, int(row["last_row"]), int(row["last_col"])))
        self.grid_, self.figure_ = grid, grid.figure_
        self.artists_ = {**grid.artists_, "hatches": hatches, "outlines": outlines}
        return self

    def _plotted_data(self):
        return self.table


class _StepsGrid(ImageGridDisplay):
    _chart = "pixel_steps"


def _frames(frames, shape) -> np.ndarray:
    if hasattr(frames, "detach") and hasattr(frames, "cpu"):
        frames = frames.detach().cpu()
    try:
        array = np.asarray(frames, dtype=np.float64)
    except (TypeError, ValueError):
        raise bad_type("frames", "an array of pixel values, NaN where not drawn yet", frames) from None
    if shape is not None:
        height, width = _shape(shape)
        if array.ndim not in (2, 3) or array.shape[-1] != height * width:
            raise bad_value("frames", f"(steps, samples, {height * width}) or (steps, {height * width}) flat "
                            f"frames for shape={shape}", frames, got=f"an array of shape {array.shape}")
        array = array.reshape(*array.shape[:-1], height, width)
    if array.ndim == 3:
        array = array[:, None]
    if array.ndim != 4 or 0 in array.shape:
        raise bad_value("frames", "(steps, H, W) or (steps, samples, H, W) frames, or flat ones with `shape`",
                        frames, got=f"an array of shape {array.shape}")
    if np.isinf(array).any():
        raise bad_value("frames", "finite pixel values (NaN for pixels not drawn yet)", frames,
                        got="infinite values")
    return array


def _samples(samples, count: int) -> list[int]:
    if samples is None:
        return list(range(count))
    if isinstance(samples, (int, np.integer)):
        samples = [samples]
    if not isinstance(samples, (list, tuple, range)) or not samples:
        raise bad_type("samples", "an int or a list of ints (rows of the frames)", samples)
    if any(not isinstance(s, (int, np.integer)) or not 0 <= s < count for s in samples):
        raise bad_value("samples", f"indices from 0 to {count - 1}", samples)
    return [int(s) for s in samples]


def _rgb(frame: np.ndarray, colormap) -> np.ndarray:
    """A frame as RGB: drawn pixels through ``colormap`` (values clipped to 0-1), the rest the context grey."""
    from vizkit.colors import context_grey

    rgb = colormap(np.clip(np.nan_to_num(frame, nan=0.0), 0, 1))[..., :3]
    rgb[np.isnan(frame)] = context_grey()
    return rgb


def _hatch(ax, missing: np.ndarray) -> list:
    """Hatch the pixels not drawn yet: a rectangle per run of them along a row, runs alike in rows below merged."""
    from matplotlib.patches import Rectangle

    from vizkit.colors import face_color

    boxes: dict = {}  # (first column, length) -> [top row, rows] of the open rectangle
    done = []
    for r in range(missing.shape[0]):
        cols = np.flatnonzero(missing[r])
        runs = {(int(run[0]), len(run)) for run in np.split(cols, np.flatnonzero(np.diff(cols) > 1) + 1)} \
            if cols.size else set()
        for key in [k for k in boxes if k not in runs or boxes[k][0] + boxes[k][1] != r]:
            done.append((key, boxes.pop(key)))
        for key in runs:
            boxes.setdefault(key, [r, 0])[1] += 1
    done.extend(boxes.items())
    return [ax.add_patch(Rectangle((col - 0.5, top - 0.5), length, rows, fill=False, linewidth=0, hatch="////",
                                   edgecolor=face_color(ax)))
            for (col, length), (top, rows) in done]


def _box(ax, top: float, left: float, height: float, width: float, *, color, linewidth: float):
    """A rectangle's outline as a line (not a patch: nothing reads it as a filled background)."""
    line, = ax.plot([left, left + width, left + width, left, left], [top, top, top + height, top + height, top],
                    color=color, linewidth=linewidth, solid_joinstyle="miter", zorder=3, clip_on=False)
    return line


def _frame(ax, height: int, width: int):
    """A thin grey line around the image, so white pixels end where it does."""
    from vizkit.colors import context_grey

    return _box(ax, -0.5, -0.5, height, width, color=context_grey(), linewidth=0.8)


def _outline(ax, row: int, col: int):
    from vizkit.colors import palette

    return _box(ax, row - 0.5, col - 0.5, 1, 1, color=palette()[1], linewidth=1.5)


def pixel_order(shape, *, order=None, highlight=None, annot=True, ax=None):
    """Draw the order an autoregressive model draws its pixels in: each pixel numbered by its turn.

    Parameters
    ----------
    shape : (int, int)
        The image's height and width.
    order : sequence of int, optional
        The raster indices of the pixels in drawing order; default raster
        order (row by row, left to right), as a PixelCNN or MADE draws them.
    highlight : int, optional
        A turn k (from 1): pixel k is outlined and only the pixels before it,
        the ones p(x_k | x_1 ... x_{k-1}) may look at, are shown.
    annot : bool
        Write each pixel's number in it.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    PixelOrderDisplay
        ``positions_`` (H×W numbers), ``context_size_``, ``table`` and ``ax_``;
        :func:`vizkit.plotted_data` gives one row per pixel.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, vizkit as vk
    >>> drawn = vk.pixel_order((4, 4), highlight=7)
    >>> drawn.positions_[1].tolist(), drawn.context_size_, int(vk.plotted_data(drawn.ax_)["context"].sum())
    ([5, 6, 7, 8], 6, 6)
    >>> plt.close(drawn.figure_)
    """
    if not isinstance(annot, (bool, np.bool_)):
        raise bad_type("annot", "True or False", annot)
    return PixelOrderDisplay.from_shape(shape, order=order, highlight=highlight).plot(ax=ax, annot=annot)


def pixel_steps(frames, *, steps, shape=None, order=None, samples=None, cmap="gray_r", title=True, tile_size=None,
                figure=None):
    """Draw an autoregressive model's partial images: a column per step, the pixels still to come hatched grey.

    Parameters
    ----------
    frames : array or tensor
        (steps, H, W) or (steps, samples, H, W) partial images, NaN where a
        pixel is not drawn yet (``vizkit.torch.autoregressive_sample(...)
        .frames``, flat (steps, samples, D) with ``shape``). Pixel values in
        0 ... 1.
    steps : list of int
        How many pixels each frame has drawn (``.steps``).
    shape : (int, int), optional
        (H, W) of flat frames.
    order : sequence of int, optional
        The drawing order (raster by default); each frame must hold exactly
        the first ``steps`` pixels of it. The pixel drawn last is outlined.
    samples : int or list of int, optional
        Which samples (rows) to draw; default all.
    cmap : str or Colormap
        For the drawn pixels; ``"gray_r"``: 1 (ink) black on white.
    title : bool or str
    tile_size : float, optional
    figure : Figure or SubFigure, optional

    Returns
    -------
    PixelStepsDisplay
        ``table`` (per tile: step, pixels drawn, their mean, the last one),
        ``steps_``, ``grid_`` and ``figure_``.

    Examples
    --------
    >>> import numpy as np, vizkit as vk
    >>> image = np.eye(4)
    >>> frames = np.stack([np.where(np.arange(16).reshape(4, 4) < k, image, np.nan) for k in (0, 6, 16)])
    >>> drawn = vk.pixel_steps(frames, steps=[0, 6, 16])
    >>> [ax.get_title() for ax in drawn.grid_], len(drawn.artists_["outlines"])
    (['0 of 16', '6 of 16', '16 of 16'], 2)
    >>> import matplotlib.pyplot as plt; plt.close(drawn.figure_)
    """
    display = PixelStepsDisplay.from_frames(frames, steps=steps, shape=shape, order=order)
    return display.plot(samples=samples, cmap=cmap, title=title, tile_size=tile_size, figure=figure)
