"""One convolution (or pooling) step by step: the zero-padded input, the kernel, the output, one cell traced.

:class:`ConvolutionDisplay` computes what a CNN layer computes on one
channel (a cross-correlation, as ``torch.nn.functional.conv2d`` does, over
NumPy's sliding windows; or a max / average pooling), with zero padding
and a stride, and checks the output size against
⌊(W − K + 2P)/S⌋ + 1. It draws the three grids side by side on one Axes,
cells coloured and annotated as :func:`vizkit.heatmap` colours them, the
padding in grey, and one output cell and the input window it reads outlined
in one colour. :func:`convolution` is the one call. Torch-free.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vizkit._core import bad_type, bad_value, check_number
from vizkit._core.display import Display

__all__ = ["convolution", "ConvolutionDisplay", "output_size"]

#: At most this many cells a side (input with its padding): numbers in smaller cells cannot be read.
MAX_SIDE = 16
_POOLS = {"max": np.max, "avg": np.mean}
_MIN_CONTRAST = 4.6  # a little above the 4.5:1 the heatmap keeps, as its colours are rounded to hex
_LABEL_SIZE = 9.0  # points, at least, for the names and the formula under the grids
_LABEL_GAP = 4.0  # points between a grid and its name, and between the names and the formula
_GAP = 2.0  # cells between two grids, where the operator sign stands


def output_size(size: int, kernel: int, padding: int = 0, stride: int = 1) -> int:
    """The output size of a convolution or pooling along one axis: ⌊(W − K + 2P)/S⌋ + 1.

    >>> output_size(7, 3, padding=1, stride=2), output_size(32, 5), output_size(28, 2, stride=2)
    (4, 28, 14)
    """
    return (size - kernel + 2 * padding) // stride + 1


def _pair(argument: str, value, low: int) -> tuple[int, int]:
    """An int, or a pair of ints (rows, columns), each at least ``low``."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise bad_value(argument, "an int or a pair (rows, columns)", value)
        return tuple(check_number(f"{argument}[{i}]", v, integer=True, low=low) for i, v in enumerate(value))
    number = check_number(argument, value, integer=True, low=low)
    return number, number


def _grid(argument: str, value) -> np.ndarray:
    """A 2-D array of finite numbers (tensors detached, without importing torch)."""
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        value = value.detach().cpu().numpy()
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise bad_type(argument, "a 2-D array of numbers", value) from None
    if array.ndim != 2 or 0 in array.shape:
        raise bad_value(argument, "a 2-D array of numbers (one channel)", value, got=f"shape {array.shape}")
    if not np.isfinite(array).all():
        raise bad_value(argument, "finite numbers", value, got="NaN or infinite values")
    return array


def _kernel(kernel, kernel_size):
    """(the kernel array or None, the pooling name or None, the window's (rows, columns))."""
    if isinstance(kernel, str):
        if kernel not in _POOLS:
            from vizkit._core import bad_choice

            raise bad_choice("kernel", kernel, ["a 2-D array", *_POOLS])
        if kernel_size is None:
            raise bad_value("kernel_size", f"the pooling window's size with kernel={kernel!r}", kernel_size)
        return None, kernel, _pair("kernel_size", kernel_size, 1)
    if kernel_size is not None:
        raise bad_value("kernel_size", "None when `kernel` is an array (its shape is the size)", kernel_size)
    array = _grid("kernel", kernel)
    return array, None, array.shape


class ConvolutionDisplay(Display):
    """One convolution or pooling of a small grid, with one output cell traced to its input window.

    Parameters
    ----------
    input, kernel : ndarray
        The grid and the kernel (``kernel`` None for pooling).
    output : ndarray
        What the layer gives.
    stride, padding, window : (int, int)
        Per axis (rows, columns); ``window`` is the kernel's shape.
    at : (int, int)
        The traced output cell.
    pool : {"max", "avg"} or None

    Attributes
    ----------
    output_ : ndarray
        The output (``torch.nn.functional.conv2d``'s, or ``max_pool2d`` / ``avg_pool2d``'s).
    padded_ : ndarray
        The input with its zero padding.
    output_shape_ : (int, int)
        ⌊(H − K + 2P)/S⌋ + 1 and ⌊(W − K + 2P)/S⌋ + 1.
    formula_ : str
        The width's formula, evaluated: ``"⌊(7 − 3 + 2·1)/2⌋ + 1 = 4"``.
    at_ : (int, int)
        The traced output cell; ``window_`` the padded input it reads, ``value_`` its value.
    table : DataFrame
        One row per drawn cell: ``grid`` (input, kernel, output), ``i``, ``j`` (in the
        padded input for the input), ``value``, ``padding`` and ``traced``
        (in the traced window, the kernel, or the traced output cell); what
        :func:`vizkit.plotted_data` gives.

    Examples
    --------
    >>> import numpy as np
    >>> from vizkit.charts.sliding_window import ConvolutionDisplay
    >>> found = ConvolutionDisplay.from_arrays(np.arange(25).reshape(5, 5), np.ones((3, 3)), stride=2, padding=1)
    >>> found.output_shape_, found.formula_, found.value_
    ((3, 3), '⌊(5 − 3 + 2·1)/2⌋ + 1 = 3', 108.0)
    """

    _chart = "convolution"

    def __init__(self, input, kernel, output, *, stride, padding, window, at, pool=None):
        self.input, self.kernel, self.output_ = input, kernel, output
        self.stride, self.padding, self.window, self.pool = stride, padding, window, pool
        self.padded_ = np.pad(input, [(p, p) for p in padding])
        self.output_shape_ = output.shape
        self.at_ = at
        rows, cols = (slice(a * s, a * s + k) for a, s, k in zip(at, stride, window, strict=True))
        self.window_ = self.padded_[rows, cols]
        self.value_ = float(output[at])
        w, k, p, s = input.shape[1], window[1], padding[1], stride[1]
        self.formula_ = f"⌊({w} − {k} + 2·{p})/{s}⌋ + 1 = {output.shape[1]}"
        self.table = self._cells(rows, cols)

    @classmethod
    def from_arrays(cls, input, kernel, *, stride=1, padding=0, at=None, kernel_size=None):
        """Check the grid and the kernel (or ``"max"`` / ``"avg"`` with ``kernel_size``), compute; draw nothing.

        See :func:`convolution` for the arguments.
        """
        grid = _grid("input", input)
        weights, pool, window = _kernel(kernel, kernel_size)
        stride = _pair("stride", stride, 1)
        padding = _pair("padding", padding, 0)
        if pool is not None and any(2 * p > k for p, k in zip(padding, window, strict=True)):
            raise bad_value("padding", "at most half the pooling window (as torch allows)", padding)
        padded = np.pad(grid, [(p, p) for p in padding])
        if max(padded.shape) > MAX_SIDE:
            raise bad_value("input", f"at most {MAX_SIDE} cells a side with its padding (numbers in smaller "
                            "cells cannot be read)", input, got=f"{padded.shape[0]}×{padded.shape[1]}")
        if any(k > n for k, n in zip(window, padded.shape, strict=True)):
            raise bad_value("kernel" if pool is None else "kernel_size", "a window no larger than the padded "
                            f"input ({padded.shape[0]}×{padded.shape[1]})", kernel,
                            got=f"{window[0]}×{window[1]}")
        output = _apply(padded, weights, pool, window, stride)
        expected = tuple(output_size(n, k, p, s) for n, k, p, s in zip(grid.shape, window, padding, stride,
                                                                      strict=True))
        assert output.shape == expected, (output.shape, expected)  # the formula and the computation agree
        if at is None:
            at = tuple(min(1, n - 1) for n in output.shape)
        at = _pair("at", at, 0)
        if any(a >= n for a, n in zip(at, output.shape, strict=True)):
            raise bad_value("at", f"an output cell, (row, column) below {output.shape}", at)
        return cls(grid, weights, output, stride=stride, padding=padding, window=window, at=at, pool=pool)

    def _cells(self, rows: slice, cols: slice) -> pd.DataFrame:
        frames = []
        padded = self.padded_
        pad = np.ones(padded.shape, bool)
        pad[self.padding[0]:padded.shape[0] - self.padding[0], self.padding[1]:padded.shape[1] - self.padding[1]] = 0
        traced = np.zeros(padded.shape, bool)
        traced[rows, cols] = True
        frames.append(_frame("input", padded, pad, traced))
        if self.kernel is not None:
            frames.append(_frame("kernel", self.kernel, np.zeros(self.kernel.shape, bool),
                                 np.ones(self.kernel.shape, bool)))
        cell = np.zeros(self.output_.shape, bool)
        cell[self.at_] = True
        frames.append(_frame("output", self.output_, np.zeros(self.output_.shape, bool), cell))
        return pd.concat(frames, ignore_index=True)

    # ------------------------------------------------------------------------------------------- drawing
    def _draw(self, ax, *, fmt=None) -> dict:
        from vizkit import colors
        from vizkit.themes import ink

        ax.set_axis_off()
        ax.set_aspect("equal")
        accent = colors.palette(colors.default_palette(colors.face_color(ax)))[2]  # green: apart from both ramps
        grids = [("input", self.padded_)] + ([("kernel", self.kernel)] if self.kernel is not None else []) + \
                [("output", self.output_)]
        height = max(g.shape[0] for _, g in grids)
        fmt = fmt or _fmt(np.concatenate([g.ravel() for _, g in grids]))
        label_size = max(_font_size(ax, sum(g.shape[1] for _, g in grids) + _GAP * 2, height), _LABEL_SIZE)
        below = 3 * _LABEL_GAP + label_size * (1.2 + 2 * 1.5)  # points: the names, then the formula's two lines
        size = _font_size(ax, sum(g.shape[1] for _, g in grids) + _GAP * 2, height, below=below)
        artists, left, lefts = {"images": [], "texts": []}, 0.0, {}
        for name, values in grids:
            top = (height - values.shape[0]) / 2
            lefts[name] = (left, top)
            padding = self.table.loc[self.table["grid"] == name, "padding"].to_numpy().reshape(values.shape)
            images, texts = _cells(ax, values, padding, (left, top), fmt, size)
            artists["images"] += images
            artists["texts"] += texts
            left += values.shape[1] + _GAP
        artists["outlines"] = self._outlines(ax, lefts, accent)
        artists["labels"] = self._labels(ax, lefts, height, label_size, ink(ax))
        signs = ["∗", "="] if self.pool is None else ["max" if self.pool == "max" else "mean"]
        for sign, name in zip(signs, [g for g, _ in grids][1:], strict=True):
            ax.text(lefts[name][0] - _GAP / 2, height / 2, sign, ha="center", va="center", color=ink(ax),
                    fontsize=size * 1.6 if len(sign) == 1 else size * 1.2)
        width = left - _GAP + 0.2
        ax.set_xlim(-0.1, width - 0.1)
        ax.set_ylim(height + _cells_for(ax, below, width, height + 0.1), -0.1)  # the labels' room, no more
        return artists

    def _outlines(self, ax, lefts, accent) -> list:
        (ri, rj), (sh, sw), (kh, kw) = self.at_, self.stride, self.window
        boxes = [(lefts["input"][0] + rj * sw, lefts["input"][1] + ri * sh, kw, kh),
                 (lefts["output"][0] + rj, lefts["output"][1] + ri, 1, 1)]
        if "kernel" in lefts:
            boxes.append((*lefts["kernel"], kw, kh))
        return [ax.plot([x, x + w, x + w, x, x], [y, y, y + h, y + h, y], color=accent, linewidth=2.5,
                        solid_joinstyle="miter", solid_capstyle="projecting")[0] for x, y, w, h in boxes]

    def _labels(self, ax, lefts, height, label_size, color) -> list:
        """Each grid's name and shape under it; below them, the size formula and the traced cell's value.

        They stand a fixed number of points under the grids, whatever the cells' size."""
        (h, w), (ph, pw), (sh, sw) = self.input.shape, self.padding, self.stride
        padding = f", zero padding {ph}" if ph == pw else f", zero padding {ph}×{pw}"
        stride = f"stride {sh}" if sh == sw else f"stride {sh}×{sw}"
        kernel = f"{self.window[0]}×{self.window[1]} {'kernel' if self.pool is None else self.pool + ' pooling'}"
        texts = {"input": f"input {h}×{w}{padding if ph or pw else ''}",
                 "kernel": f"kernel {self.window[0]}×{self.window[1]}",
                 "output": f"output {self.output_shape_[0]}×{self.output_shape_[1]}"}
        made = [ax.annotate(text, (lefts[name][0], height), xytext=(0, -_LABEL_GAP), textcoords="offset points",
                            ha="left", va="top", color=color, fontsize=label_size, parse_math=False,
                            annotation_clip=False) for name, text in texts.items() if name in lefts]
        how = "the sum of the window × the kernel" if self.pool is None else f"the {self.pool} of the window"
        made.append(ax.annotate(f"{kernel}, {stride}: output width {self.formula_}\n"
                                f"output[{self.at_[0]}, {self.at_[1]}] = {how} = {_number(self.value_)}",
                                (0, height), xytext=(0, -2 * _LABEL_GAP - 1.2 * label_size),
                                textcoords="offset points", ha="left", va="top", color=color,
                                fontsize=label_size, parse_math=False, linespacing=1.5, annotation_clip=False))
        return made

    def _plotted_data(self):
        table = self.table.copy()
        table.attrs.update(output_shape=self.output_shape_, formula=self.formula_, at=self.at_, value=self.value_,
                           stride=self.stride, padding=self.padding, pool=self.pool)
        return table


def _apply(padded, weights, pool, window, stride) -> np.ndarray:
    """The windows the kernel stops on (every stride-th), each multiplied by the kernel and summed, or pooled.

    NumPy's ``sliding_window_view`` gives the windows without copying; the
    sum of products is a cross-correlation, as ``torch.nn.functional.conv2d``
    and ``scipy.signal.correlate2d`` compute (the tests compare with torch).
    """
    windows = np.lib.stride_tricks.sliding_window_view(padded, window)[::stride[0], ::stride[1]]
    if pool is None:
        return np.einsum("ijkl,kl->ij", windows, weights)
    return _POOLS[pool](windows, axis=(-2, -1))


def _frame(name, values, padding, traced) -> pd.DataFrame:
    i, j = np.indices(values.shape)
    return pd.DataFrame({"grid": name, "i": i.ravel(), "j": j.ravel(), "value": values.ravel(),
                         "padding": padding.ravel(), "traced": traced.ravel()})


def _cells(ax, values, padding, corner, fmt, size) -> tuple[list, list]:
    """One grid as images (the colours as :func:`vizkit.heatmap` picks them; padding grey), lines between
    the cells in the face's colour, and each cell's number in ink or paper, whichever reads on it."""
    from matplotlib.colors import ListedColormap, Normalize

    from vizkit import colors
    from vizkit.charts.heatmaps.heatmapplot import HeatmapDisplay
    from vizkit.themes import muted_ink

    (left, top), (rows, cols) = corner, values.shape
    extent = (left, left + cols, top + rows, top)
    scale = HeatmapDisplay.from_array(np.where(padding, np.nan, values), center=0 if values.min() < 0 else None)
    face = colors.face_color(ax)
    images = []
    if padding.any():
        pad_face = colors.DARK_GRID if colors._is_dark(face) else colors.GRID
        images.append(ax.imshow(np.zeros(values.shape), cmap=ListedColormap([pad_face]), extent=extent,
                                interpolation="nearest"))
    images.append(ax.imshow(np.ma.masked_array(values, padding), cmap=scale.spec.cmap, extent=extent,
                            norm=Normalize(scale.vmin_, scale.vmax_), interpolation="nearest"))
    ax.vlines(np.arange(cols + 1) + left, top, top + rows, color=face, linewidth=1.0)
    ax.hlines(np.arange(rows + 1) + top, left, left + cols, color=face, linewidth=1.0)
    texts, chosen = [], {}  # text colour per cell colour: many cells share one
    for (i, j), value in np.ndenumerate(values):
        under = tuple(images[-1].to_rgba(value)[:3])
        if padding[i, j]:
            color = muted_ink(ax)
        elif under not in chosen:
            color = colors.text_color_on(under, dark=colors.INK, light=colors.PAPER)
            if colors.contrast_ratio(color, under) < _MIN_CONTRAST:
                color = colors.readable_color(color, under, min_ratio=_MIN_CONTRAST)
            chosen[under] = color
        color = muted_ink(ax) if padding[i, j] else chosen[under]
        texts.append(ax.text(left + j + 0.5, top + i + 0.5, format(value, fmt), ha="center", va="center",
                             color=color, fontsize=size, parse_math=False))
    return images, texts


def _fmt(values: np.ndarray) -> str:
    if np.all(values == np.round(values)):
        return ".0f"
    return ".1f" if np.abs(values).max() >= 10 else ".2f"


def _number(value: float) -> str:
    return f"{value:.0f}" if value == round(value) else f"{value:.2f}"


def _box_points(ax) -> tuple[float, float]:
    """The Axes' width and height in points, as placed now."""
    box = ax.get_position()
    return box.width * ax.figure.get_figwidth() * 72, box.height * ax.figure.get_figheight() * 72


def _font_size(ax, columns: float, rows: float, below: float = 0.0) -> float:
    """The annotations' size: the theme's, or smaller so a number fits in a cell of this Axes
    (``below`` points of it kept for the labels under the grids)."""
    import matplotlib as mpl

    width, height = _box_points(ax)
    cell = min(width / columns, (height - below) / rows)  # points
    return float(min(mpl.rcParams["font.size"], max(6.0, cell * 0.45)))


def _cells_for(ax, points: float, columns: float, rows: float) -> float:
    """How many cells ``points`` take at the scale the equal-aspect Axes will draw with.

    The grids fill the box's width, or its height less the room asked for; at that scale the room is
    ``points / scale`` cells, solved for the height-bound case so the room is exact either way."""
    width, height = _box_points(ax)
    by_width = width / columns  # points per cell when the width binds
    room = points / by_width
    if height / (rows + room) >= by_width:
        return room
    return points * rows / max(height - points, 1.0)  # height binds: scale = height / (rows + room)


def convolution(input, kernel, *, stride=1, padding=0, at=None, kernel_size=None, fmt=None, ax=None):
    """Draw one convolution step by step: the zero-padded input, the kernel, the output, one cell traced.

    The input with its zero padding (grey), the kernel and the output are
    drawn side by side as annotated cells; the output cell ``at`` and the
    input window it reads are outlined in one colour, and the output size
    formula ⌊(W − K + 2P)/S⌋ + 1 is written out for the drawn case. As in
    every deep-learning library the kernel is not flipped (a
    cross-correlation), so the output equals ``torch.nn.functional.conv2d``'s.

    Parameters
    ----------
    input : 2-D array-like
        One channel, at most 16 cells a side with its padding.
    kernel : 2-D array-like, or "max" or "avg"
        The kernel, or a pooling (with ``kernel_size``): the window's maximum
        or mean. Pooling pads with zeros too (torch pads max pooling with
        −∞; the two agree for inputs that are not negative).
    stride, padding : int or (int, int)
        Per axis, as torch's ``stride`` and ``padding``.
    at : (int, int), optional
        The output cell traced (row, column); default (1, 1) or the last
        cell of a smaller output.
    kernel_size : int or (int, int), optional
        The pooling window; only with ``kernel="max"`` or ``"avg"``.
    fmt : str, optional
        The numbers' format spec; default whole numbers when all are whole.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    ConvolutionDisplay
        ``output_``, ``output_shape_``, ``formula_``, ``window_``,
        ``value_``, and ``ax_``; :func:`vizkit.plotted_data` of ``ax_``
        gives one row per drawn cell.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, numpy as np, vizkit as vk
    >>> image = np.arange(49).reshape(7, 7) % 5
    >>> drawn = vk.convolution(image, [[0, 1, 0], [1, -4, 1], [0, 1, 0]], stride=2, padding=1)
    >>> drawn.output_shape_, drawn.formula_
    ((4, 4), '⌊(7 − 3 + 2·1)/2⌋ + 1 = 4')
    >>> cells = vk.plotted_data(drawn.ax_)
    >>> int(cells["padding"].sum()), int((cells["traced"] & (cells["grid"] == "input")).sum())
    (32, 9)
    >>> plt.close(drawn.figure_)
    """
    if fmt is not None and not isinstance(fmt, str):
        raise bad_type("fmt", "a format spec such as '.2f'", fmt)
    display = ConvolutionDisplay.from_arrays(input, kernel, stride=stride, padding=padding, at=at,
                                             kernel_size=kernel_size)
    return display.plot(ax=ax, fmt=fmt)
