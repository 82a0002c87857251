"""Legends: placed inside, outside, or replaced by labels at the ends of the lines."""

from __future__ import annotations

import numpy as np

from vizkit import colors as _colors
from vizkit._core import bad_value, before_draw, check_axes, check_choice
from vizkit._core.placement import stack

__all__ = ["legend"]

_WHERE = ("best", "outside right", "outside bottom", "direct", None)
_DIRECT_CONTRAST = 4.5  # WCAG text contrast (more than the 3:1 graphics minimum), as vk.lint asks of all text
_GAP_POINTS = 5


def _entries(ax):
    """The (handle, label) pairs and title of the Axes' legend, or of its labelled artists."""
    existing = ax.get_legend()
    if existing is not None:
        handles = list(existing.legend_handles)
        labels = [text.get_text() for text in existing.get_texts()]
        title = existing.get_title().get_text() or None
        existing.remove()
        return list(zip(handles, labels, strict=True)), title
    handles, labels = ax.get_legend_handles_labels()
    return list(zip(handles, labels, strict=True)), None


def legend(ax, where="best"):
    """Place the legend of an Axes, or replace it by labels at the ends of the lines.

    Works on any Axes with a legend or labelled artists: vizkit's charts,
    seaborn's ``hue=`` plots and plain ``ax.plot(..., label=...)``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    where : {"best", "outside right", "outside bottom", "direct", None}
        ``"best"``: inside, where it covers the least data. ``"outside
        right"``/``"outside bottom"``: beside the Axes, or under its tick
        labels and x label, in rows. ``"direct"``: no legend box; each line
        gets its label at its last valid point, in its own colour darkened
        (or lightened, on a dark face) to 4.5:1 contrast (text; past the
        3:1 graphics minimum), labels kept at least one font height apart. ``None``: remove the legend.

    Returns
    -------
    matplotlib.legend.Legend, list of Text (``"direct"``), or None

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import vizkit as vk
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1, 2], [1, 2, 3], label="train")
    >>> _ = ax.plot([0, 1, 2], [1, 1.5, 2.5], label="validation")
    >>> [text.get_text() for text in vk.legend(ax, where="direct")]
    ['train', 'validation']
    >>> plt.close(fig)
    """
    check_axes("ax", ax)
    where = check_choice("where", where, _WHERE)
    entries, title = _entries(ax)
    if where is None:
        return None
    if not entries:
        raise bad_value("ax", "an Axes with a legend or labelled artists", ax, got="an Axes with nothing to label")
    handles, labels = [h for h, _ in entries], [lab for _, lab in entries]
    if where == "best":
        return ax.legend(handles, labels, title=title, loc="best")
    if where == "outside right":
        return ax.legend(handles, labels, title=title, loc="upper left", bbox_to_anchor=(1.02, 1), borderaxespad=0)
    if where == "outside bottom":
        box = ax.legend(handles, labels, title=title, loc="upper center", bbox_to_anchor=(0.5, 0),
                        borderaxespad=0, ncols=min(len(entries), 5))
        before_draw(ax, _under_the_x_axis(box), key="legend-bottom")
        return box
    return _direct(ax, entries)


def _under_the_x_axis(box):
    def place(ax, renderer):
        frame = ax.get_window_extent(renderer)
        axis = ax.xaxis.get_tightbbox(renderer)
        bottom = min(frame.y0, axis.y0) if axis is not None else frame.y0
        box.set_bbox_to_anchor((0.5, (bottom - 6 - frame.y0) / frame.height), transform=ax.transAxes)

    return place


def _handle_color(handle):
    for getter in ("get_color", "get_facecolor", "get_edgecolor"):
        if hasattr(handle, getter):
            color = getattr(handle, getter)()
            color = np.atleast_2d(color)[0] if not isinstance(color, str) else color
            return color
    return None


def _line_end(lines):
    """The last valid (largest-x, finite) point over ``lines``, and the line it belongs to."""
    best = None
    for line in lines:
        xy = np.asarray(line.get_xydata(), dtype=float)
        finite = xy[np.isfinite(xy).all(axis=1)]
        if len(finite) and (best is None or finite[:, 0].max() > best[0][0]):
            best = (finite[np.argmax(finite[:, 0])], line)
    return best


def _direct(ax, entries):
    from matplotlib.colors import same_color
    from matplotlib.lines import Line2D

    drawn = [line for line in ax.get_lines() if line.get_visible() and len(line.get_xydata())]
    face = ax.get_facecolor()
    texts = []
    for handle, label in entries:
        if isinstance(handle, Line2D) and handle in drawn:
            matched = [handle]
        else:
            color = _handle_color(handle)
            matched = [line for line in drawn if color is not None and same_color(line.get_color(), color)]
        end = _line_end(matched)
        if end is None:
            continue
        (x, y), line = end
        text = ax.annotate(label, (x, y), xytext=(_GAP_POINTS, 0), textcoords="offset points", ha="left",
                           va="center", fontsize="medium", annotation_clip=False,
                           color=_colors.readable_color(line.get_color(), face, min_ratio=_DIRECT_CONTRAST))
        texts.append(text)
    if not texts:
        raise bad_value("where", "'direct' only for an Axes whose legend entries are lines", "direct",
                        got="'direct' on an Axes with no labelled line")
    before_draw(ax, _spread(texts), key="direct-labels")
    return texts


def _spread(texts):
    """Keep direct labels at least one font height apart, inside the Axes, nearest their line ends."""

    def spread(ax, renderer):
        frame = ax.get_window_extent(renderer)
        points_per_pixel = 72 / ax.figure.dpi
        targets = np.array([ax.transData.transform(text.xy)[1] for text in texts])
        height = max(text.get_fontsize() for text in texts) / points_per_pixel * 1.15
        placed = stack(targets, frame.y0, frame.y1, height)
        for text, y, target in zip(texts, placed, targets, strict=True):
            text.xyann = (_GAP_POINTS, (y - target) * points_per_pixel)

    return spread
