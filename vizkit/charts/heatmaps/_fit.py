"""Fit a heatmap's text to its cells each time it is drawn: tick labels that never collide, annotations that fit.

The room a cell has is known only when the figure is laid out (a colour bar,
a layout engine or a resized window change it), so these run before every
draw (:func:`vizkit._core.before_draw`) and decide from the full list of
labels each time: idempotent, and cheap when nothing changes.

- y tick labels: every label when a text line fits a cell's height, else
  every k-th row, k a "nice" step (2, 5, 10, 20, 50, ...) that leaves two
  lines of room between labels.
- x tick labels: flat when the widest fits its cells, else turned 45° when a
  column is wider than a slanted line, else 90° (a line's height per column),
  thinned the same way when even that is too tight; thinned labels stay flat
  when every k-th one fits flat at a step no larger (a time axis of many
  narrow columns reads 0, 5, 10, ... level, not turned).
- annotations: shrunk until the widest fits a cell; hidden, with a warning,
  when that takes text below :data:`MIN_ANNOT_POINTS`.
"""

from __future__ import annotations

import math

import numpy as np

GAP_POINTS = 2.0  # free room between two neighbouring labels, in points
MIN_ANNOT_POINTS = 5.0
_NICE = (1, 2, 5)


def thinned_step(line: float, cell: float) -> int:
    """Every label when a ``line`` fits a ``cell``; else a nice step that leaves two lines between labels.

    (Every k-th label reads as a scale when it has room around it; packed tight it reads as a smudge.)
    """
    return 1 if line <= cell else nice_step(2 * line / max(cell, 1e-9))


def nice_step(needed: float) -> int:
    """The smallest step of 1, 2, 5, 10, 20, 50, ... that is at least ``needed``.

    >>> [nice_step(v) for v in (0.3, 1, 1.2, 3, 7, 11, 240)]
    [1, 1, 2, 5, 10, 20, 500]
    """
    if needed <= 1:
        return 1
    power = 10 ** math.floor(math.log10(needed))
    for factor in (*_NICE, 10):
        if factor * power >= needed - 1e-9:
            return int(factor * power)
    return int(10 * power)  # pragma: no cover - the loop always returns


def _points_to_px(ax, points: float) -> float:
    return points * ax.figure.dpi / 72


def _text_widths(renderer, labels, fontproperties) -> np.ndarray:
    return np.array([renderer.get_text_width_height_descent(str(label), fontproperties, ismath=False)[0]
                     for label in labels])


def _escaped(label) -> str:
    """A label as typed: data never becomes mathtext (each ``$`` is escaped)."""
    return str(label).replace("$", r"\$")


class LabelFitter:
    """Thin and turn a heatmap's tick labels to its cells (see the module's docstring).

    The labels go through a fixed locator and a formatter, so Matplotlib makes
    tick objects only for the labels shown, when it draws.
    """

    def __init__(self, rows: list, cols: list):
        import matplotlib as mpl

        self.rows = [_escaped(r) for r in rows]
        self.cols = [_escaped(c) for c in cols]
        self.font = mpl.font_manager.FontProperties(size=mpl.rcParams["xtick.labelsize"])
        self.state = None  # (y step, x step, x angle) last set: nothing changes when it is the same

    def _line(self, ax) -> float:
        return _points_to_px(ax, self.font.get_size_in_points()) * 1.2 + _points_to_px(ax, GAP_POINTS)

    def __call__(self, ax, renderer) -> None:
        box = ax.get_window_extent(renderer)
        cell_w, cell_h = box.width / len(self.cols), box.height / len(self.rows)
        line = self._line(ax)
        state = (thinned_step(line, cell_h), *self._columns(ax, renderer, cell_w, line))
        if state != self.state:
            self.apply(ax, state)

    def _columns(self, ax, renderer, cell_w: float, line: float) -> tuple[int, int]:
        """(step, angle) of the x labels: flat with every label when they fit, else turned."""
        step = thinned_step(line, cell_w)
        if (cell_w >= line * 0.8 or step > 1) and len(self.cols) <= 400:
            widest = float(_text_widths(renderer, self.cols, self.font).max()) + _points_to_px(ax, GAP_POINTS)
            if widest <= cell_w:
                return 1, 0
            flat = thinned_step(widest, cell_w)
            if step > 1 and flat <= step:
                return flat, 0
        return step, 45 if step == 1 and cell_w >= line * math.sqrt(2) else 90

    def guess(self, ax) -> tuple:
        """A first (y step, x step, angle) from the Axes' current size, before any renderer can measure."""
        box = ax.get_position().transformed(ax.figure.transFigure)
        line = self._line(ax)
        cell_w, cell_h = box.width / len(self.cols), box.height / len(self.rows)
        size = _points_to_px(ax, self.font.get_size_in_points())
        flat = max(len(c) for c in self.cols) * size * 0.6 + _points_to_px(ax, GAP_POINTS) <= cell_w
        return thinned_step(line, cell_h), 1 if flat else thinned_step(line, cell_w), 0 if flat else 90

    def apply(self, ax, state: tuple) -> None:
        """Show every ``y_step``-th row label and ``x_step``-th column label, the latter at ``angle``."""
        from matplotlib.ticker import FixedLocator, FuncFormatter

        y_step, x_step, angle = state
        for axis, labels, step in ((ax.yaxis, self.rows, y_step), (ax.xaxis, self.cols, x_step)):
            axis.set_major_locator(FixedLocator(np.arange(0, len(labels), step)))
            axis.set_major_formatter(FuncFormatter(lambda value, _pos, labels=labels: labels[int(round(value))]))
        try:
            ax.tick_params(axis="x", labelrotation=angle, labelrotation_mode="xtick" if angle else "default")
        except (ValueError, TypeError):  # Matplotlib < 3.10 has no labelrotation_mode: align the labels one by one
            ax.tick_params(axis="x", labelrotation=angle)
            for label in ax.xaxis.get_majorticklabels():
                label.set(ha="right" if angle == 45 else "center", rotation_mode="anchor" if angle == 45 else "default")
        self.state = state


class AnnotationFitter:
    """Shrink a heatmap's cell annotations until the widest fits its cell."""

    def __init__(self, texts: list, size: float, shape: tuple):
        self.texts = texts
        self.size = size
        self.shape = shape
        self.widest = None  # (width, height) of the widest annotation at ``size``, in points
        self.warned = False

    def _measure(self, renderer) -> tuple[float, float]:
        font = self.texts[0].get_fontproperties().copy()
        font.set_size(self.size)
        sizes = [renderer.get_text_width_height_descent(t.get_text(), font, ismath=False)[:2] for t in self.texts]
        to_points = 72 / renderer.points_to_pixels(72)
        return max(w for w, _ in sizes) * to_points, max(h for _, h in sizes) * to_points

    def __call__(self, ax, renderer) -> None:
        if not self.texts:
            return
        if self.widest is None:
            self.widest = self._measure(renderer)
        box = ax.get_window_extent(renderer)
        to_points = 72 / renderer.points_to_pixels(72)
        cell_w, cell_h = box.width / self.shape[1] * to_points, box.height / self.shape[0] * to_points
        width, height = self.widest
        scale = min(1.0, 0.9 * cell_w / max(width, 1e-9), 0.8 * cell_h / max(height, 1e-9))
        size = self.size * scale
        fits = size >= MIN_ANNOT_POINTS
        if fits != self.texts[0].get_visible():
            for text in self.texts:
                text.set_visible(fits)
        if not fits and not self.warned:
            from vizkit._core.errors import user_warning

            self.warned = True
            user_warning(f"The heatmap's annotations are hidden: its cells are {cell_w:.0f} x {cell_h:.0f} pt, and "
                         f"its numbers would need text below {MIN_ANNOT_POINTS:g} pt to fit. Enlarge the figure, "
                         "annotate fewer cells, or pass annot=False.")
        if fits and not math.isclose(size, self.texts[0].get_fontsize()):
            for text in self.texts:
                text.set_fontsize(size)


def clearly_inside(labels: LabelFitter | None):
    """The quick check :func:`vizkit._core.room.keep_inside` runs first on a heatmap: see :func:`_clearly_inside`.

    ``labels``' state says how the column labels are turned (90° before the first fit).
    """

    def quick(ax, renderer) -> bool:
        angle = labels.state[2] if labels is not None and labels.state else 90
        return _clearly_inside(ax, renderer, angle)

    return quick


def _extent(renderer, texts, font, angle: float) -> tuple[float, float]:
    """(width, height) in pixels of the largest of ``texts`` turned by ``angle`` degrees."""
    sizes = [renderer.get_text_width_height_descent(t, font, ismath=False)[:2] for t in texts if t] or [(0, 0)]
    theta = math.radians(angle)
    return (max(abs(w * math.cos(theta)) + abs(h * math.sin(theta)) for w, h in sizes),
            max(abs(w * math.sin(theta)) + abs(h * math.cos(theta)) for w, h in sizes))


def _clearly_inside(ax, renderer, angle: float) -> bool:
    """A quick estimate of the room the tick labels, axis titles and colour bar need around ``ax``.

    True when every side has a sixth more room than that: nothing can run past
    the figure. Otherwise :class:`vizkit._core.room.KeepInside` measures everything.
    """
    import matplotlib as mpl

    box, frame = ax.get_window_extent(renderer), ax.figure.bbox
    font = mpl.font_manager.FontProperties(size=mpl.rcParams["xtick.labelsize"])
    line = _points_to_px(ax, font.get_size_in_points()) * 1.3
    pad = _points_to_px(ax, mpl.rcParams["xtick.major.pad"] + 4)

    def labels(axis):
        return axis.get_major_formatter().format_ticks(axis.get_majorticklocs())  # set_locs first, as a draw does

    left = _extent(renderer, labels(ax.yaxis), font, 0)[0] + pad + line * bool(ax.get_ylabel())
    bottom = _extent(renderer, labels(ax.xaxis), font, angle)[1] + pad + line * bool(ax.get_xlabel())
    right = 0.0
    for child in ax.child_axes:  # the colour bar: its box, tick labels and label
        right = max(right, child.get_window_extent(renderer).x1 - box.x1 + pad
                    + _extent(renderer, labels(child.yaxis), font, 0)[0] + line * bool(child.get_ylabel()))
    top = line * 2 * bool(ax.get_title(loc="left") or ax.get_title() or ax.get_title(loc="right"))
    room = (box.x0 - frame.x0, box.y0 - frame.y0, frame.x1 - box.x1, frame.y1 - box.y1)
    return all(have >= 1.15 * need for have, need in zip(room, (left, bottom, right, top), strict=True))
