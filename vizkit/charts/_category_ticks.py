"""Category tick labels of :func:`vizkit.bar`: dates written to their resolution, and labels that never
collide (wrapped at spaces, else turned 45 degrees, else 90, else thinned to every k-th), decided
each time the Axes draws."""

from __future__ import annotations

import math

from vizkit._core import before_draw

__all__ = ["category_texts", "fit_category_labels"]

_GAP = 3  # pixels kept between neighbouring labels
_MAX_LINES = 3  # a label wrapped onto more lines than this is turned instead


def category_texts(levels) -> list[str]:
    """The tick label of each level; dates (Timestamps, datetimes) to the finest resolution they use.

    >>> import pandas as pd
    >>> category_texts(list(pd.to_datetime(["2001-01-01", "2002-01-01"])))
    ['2001', '2002']
    >>> category_texts(list(pd.to_datetime(["2001-03-01", "2001-04-01"])))
    ['2001-03', '2001-04']
    >>> category_texts([pd.Timestamp("2001-03-04"), pd.Timestamp("2001-03-05 12:30")])
    ['2001-03-04 00:00', '2001-03-05 12:30']
    """
    import datetime

    import pandas as pd

    dated = [isinstance(level, (datetime.datetime, pd.Timestamp)) and not pd.isna(level) for level in levels]
    if not any(dated):
        return [str(level) for level in levels]
    stamps = [pd.Timestamp(level) for level, is_date in zip(levels, dated, strict=True) if is_date]
    if any(s.second or s.microsecond or s.nanosecond for s in stamps):
        pattern = "%Y-%m-%d %H:%M:%S"
    elif any(s.hour or s.minute for s in stamps):
        pattern = "%Y-%m-%d %H:%M"
    elif any(s.day != 1 for s in stamps):
        pattern = "%Y-%m-%d"
    elif any(s.month != 1 for s in stamps):
        pattern = "%Y-%m"
    else:
        pattern = "%Y"
    return [pd.Timestamp(level).strftime(pattern) if is_date else str(level)  # "Other" of top= among dates
            for level, is_date in zip(levels, dated, strict=True)]


def fit_category_labels(ax, positions, texts) -> None:
    """Keep the category labels under vertical bars (``texts`` at ``positions`` on the x axis) apart:
    flat when they fit their slots, else wrapped at spaces (at most 3 lines), else at 45 degrees, else
    at 90, and then, if even upright labels are closer than a line, every k-th category labelled.
    Decided each time the Axes draws, on its final size (``format_axis(rotate="auto")`` does the same
    for numbers). Tick labels the user sets afterwards (labels, a rotation, ``format_axis``) win."""

    shown = {"formatter": ax.xaxis.get_major_formatter(), "angle": 0}  # what the last fit (or bar) set

    def fit(ax, renderer):
        if _taken_over(ax, shown):
            return
        _show(ax, positions, texts, 0, shown)
        if not _collide(ax, renderer):
            return
        wrapped = _wrapped(ax, renderer, texts, _slot_width(ax, positions))
        if wrapped is not None:
            _show(ax, positions, wrapped, 0, shown)
            if not _collide(ax, renderer):
                return
            _show(ax, positions, texts, 0, shown)
        boxes = _boxes(ax, renderer)
        centres = sorted((box.x0 + box.x1) / 2 for box in boxes)
        spacing = min((b - a for a, b in zip(centres, centres[1:], strict=False)), default=math.inf)
        height = max(box.height for box in boxes)
        if spacing >= height * math.sqrt(2) + _GAP:
            _show(ax, positions, texts, 45, shown)
            return
        every = max(1, math.ceil((height + _GAP) / spacing))  # even upright they collide: label every k-th
        _show(ax, positions, [text if i % every == 0 else "" for i, text in enumerate(texts)], 90, shown)

    before_draw(ax, fit, key="bar-category-labels")
    _fit_before_measure(ax.xaxis, fit)


def _fit_before_measure(axis, fit) -> None:
    """Run ``fit`` whenever a layout engine measures ``axis``, before it is measured.

    The Axes measures its axes before its other children, so a fit run as a child (``before_draw``)
    would reach the layout one pass late: labels turned while the Axes still had its pre-layout size
    would keep their room after the final, wider Axes drew them flat.
    """
    measure = type(axis).get_tightbbox

    def get_tightbbox(renderer=None, *, for_layout_only=False):
        fit(axis.axes, renderer or axis.figure.canvas.get_renderer())
        return measure(axis, renderer, for_layout_only=for_layout_only)

    axis.get_tightbbox = get_tightbbox


def _show(ax, positions, texts, angle, shown) -> None:
    ax.set_xticks(positions, texts)
    for label in ax.xaxis.get_majorticklabels():
        label.set_rotation(angle)
        label.set_horizontalalignment("right" if angle == 45 else "center")
        label.set_rotation_mode("anchor" if angle == 45 else "default")
    shown.update(formatter=ax.xaxis.get_major_formatter(), angle=angle)


def _taken_over(ax, shown) -> bool:
    """Whether the user set the x tick labels since the last fit (new labels or formatter, a rotation,
    ``format_axis(rotate="auto")``): their choice wins, and the fit stops."""
    if any(getattr(artist, "key", None) == "rotate-x" for artist in ax.artists):
        return True
    if ax.xaxis.get_major_formatter() is not shown["formatter"]:
        return True
    return any(label.get_rotation() != shown["angle"] for label in ax.xaxis.get_majorticklabels())


def _boxes(ax, renderer):
    type(ax.xaxis).get_tightbbox(ax.xaxis, renderer)  # places this draw's ticks and labels (not the fit)
    shown = [label for label in ax.xaxis.get_majorticklabels() if label.get_visible() and label.get_text()]
    return sorted((label.get_window_extent(renderer) for label in shown), key=lambda box: box.x0)


def _collide(ax, renderer) -> bool:
    boxes = _boxes(ax, renderer)
    return any(a.x1 + _GAP > b.x0 for a, b in zip(boxes, boxes[1:], strict=False))


def _slot_width(ax, positions) -> float:
    """Pixels between neighbouring categories (the room each label has)."""
    if len(positions) < 2:
        return math.inf
    (x0, _), (x1, _) = ax.transData.transform([(positions[0], 0), (positions[1], 0)])
    return abs(x1 - x0)


def _wrapped(ax, renderer, texts, slot) -> list[str] | None:
    """Each text broken at spaces into lines that fit ``slot`` pixels, or None when a word alone is too
    wide or a label would need more than _MAX_LINES lines (years, codes: they are turned instead)."""
    labels = [label for label in ax.xaxis.get_majorticklabels() if label.get_text()]
    if not labels:
        return None
    font = labels[0].get_fontproperties()

    def width(line: str) -> float:
        return renderer.get_text_width_height_descent(line, font, ismath=False)[0]

    out = []
    for text in texts:
        lines: list[str] = []
        for word in text.split(" "):
            if width(word) + _GAP > slot:
                return None
            if lines and width(f"{lines[-1]} {word}") + _GAP <= slot:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)
        if len(lines) > _MAX_LINES:
            return None
        out.append("\n".join(lines))
    return out
