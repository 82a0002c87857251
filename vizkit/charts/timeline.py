"""An annotated timeline: events on a time axis, labels above and below it that never collide.

Each event is a dot on a horizontal line with a stem that ends beside its
label (the event's ``label`` in bold, its ``note`` under it). Labels go above
and below the line in turn; where they would collide, a label steps farther
from the line, to the lowest place where its box touches no other label and
no stem runs through it (:func:`_place`). That layout is measured on the
rendered text each time the figure draws, so it holds at any figure size,
dpi or font; the vertical axis counts points from the line.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vizkit import colors as _colors
from vizkit._core import semantics as _semantics
from vizkit._core.axes import attach_data, before_draw, target_ax
from vizkit._core.errors import bad_choice, bad_type, bad_value, user_warning
from vizkit._core.labels import plain
from vizkit._core.room import keep_inside
from vizkit._core.validate import tidy
from vizkit.themes import ink, muted_ink

__all__ = ["timeline"]

_KEY = "timeline-labels"
# Pixel spacing at 100 dpi (scaled with the figure's dpi): between two labels, between a stem and its
# label, between the line and the nearest label, between a label and its note.
_PAD, _GAP, _BASE, _LINE_GAP = 3.0, 4.0, 9.0, 1.0
_NOTE_SCALE = 0.85  # a note's font size against its label's
_SMALLEST = 6.0  # points: labels never shrink below it to fit


def timeline(data=None, *, date=None, label=None, hue=None, highlight=None, note=None, palette=None,
             colors=None, ax=None):
    """Draw events on a time axis, each labelled, with labels that never collide.

    Parameters
    ----------
    data : DataFrame or mapping, optional
        One row per event.
    date : column name or vector
        When each event happened: datetimes, date strings (``"2014-12-22"``)
        or numbers (integer years such as 2014; fractions allowed). Dates
        give a date axis, numbers a plain one.
    label : column name or vector
        Each event's name, written in bold beside its stem.
    hue : column name or vector, optional
        A category per event: the colour of its dot and stem, in vizkit's
        level order (sorted, a Categorical's own), with a legend.
    highlight : label or list of labels, optional
        Keep these events in colour with bold labels; the rest turn the
        face's context grey, with muted text.
    note : column name or vector, optional
        A short line written under each label (missing notes are left out).
    palette : palette name, list of colours or dict, optional
        Colours of the ``hue`` levels (default: the active colour cycle).
    colors : dict, optional
        A colour for every ``hue`` level, over ``palette``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default the current Axes.

    Returns
    -------
    matplotlib.axes.Axes
        ``vizkit.plotted_data(ax)`` gives one row per event, in the order of
        ``data``: ``date``, ``label``, ``hue``, ``note``, ``x`` (its place on
        the time axis, in the axis' units), ``side`` ("above" or "below"),
        ``offset`` (points from the line to the near edge of its label),
        ``highlighted`` and ``label_drawn`` (False only for labels that did
        not fit even at the smallest font; a warning counts them). The layout
        is settled each time the figure draws.

    Raises
    ------
    VizkitValueError, VizkitTypeError, ColumnNotFoundError
        For a missing column, no events, a date that is missing or not a
        date or number, a missing label or hue, or a ``highlight`` that is
        not a label.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import vizkit as vk
    >>> history = vk.load_dataset("dl_history")
    >>> fig, ax = plt.subplots(figsize=(12, 6))
    >>> ax = vk.timeline(history, date="date", label="milestone", hue="category", note="note", ax=ax)
    >>> fig.canvas.draw()  # the labels are placed when the figure draws
    >>> drawn = vk.plotted_data(ax)
    >>> drawn[["date", "label"]].head(2)
            date    label
    0 2012-07-03  Dropout
    1 2012-09-30  AlexNet
    >>> sorted(set(drawn["side"])), bool(drawn["label_drawn"].all())
    (['above', 'below'], True)
    >>> plt.close(fig)
    """
    table, names = _check(data, date, label, hue, note, highlight)
    ax = target_ax(ax)
    face = _colors.face_color(ax)
    # hue levels in the one level order (a Categorical's own, else sorted): a level has its colour in every chart
    levels = _semantics.levels_of("hue", table["hue"], sort=True) if hue is not None else [None]
    mapping = _colors.hue_colors(levels, palette=palette, colors=colors, ordered=_ordered(table["hue"]),
                                 face=face)
    grey = _colors.context_grey(face)
    marks = [mapping[level] if on else grey for level, on in zip(table["hue"], table["highlighted"], strict=True)]
    artists = _draw(ax, table, marks)
    if hue is not None:
        present = set(table.loc[table["highlighted"], "hue"])  # the legend lists the levels drawn in colour
        _legend(ax, {level: mapping[level] for level in levels if level in present}, names.get("hue"))
    table = attach_data(ax, table.assign(side=None, offset=np.nan, label_drawn=True), chart="timeline")
    before_draw(ax, _Layout(artists, table), key=_KEY)
    keep_inside(ax)
    return ax


def _check(data, date, label, hue, note, highlight):
    """The events as a table (``date, x, label, hue, note, highlighted``) and the names of the roles."""
    import pandas as pd

    table = tidy(data, required=("date", "label"), date=date, label=label, hue=hue, note=note)
    names = table.attrs["names"]
    if table.empty:
        raise bad_value("data", "at least one event (row)", data, got="no rows")
    table["date"], table["x"] = _times(table["date"], names.get("date"))
    for role in ("label", "hue"):
        if role in table and table[role].isna().any():
            row = int(np.flatnonzero(table[role].isna().to_numpy())[0])
            raise bad_value(role, f"a value for every event{_column(names.get(role))}", None,
                            got=f"a missing value in row {row}")
    table["label"] = table["label"].map(str)
    if "hue" not in table:
        table["hue"] = None
    table["note"] = table["note"].map(lambda v: "" if pd.isna(v) else str(v)) if "note" in table else ""
    table["highlighted"] = _highlighted(table["label"], highlight)
    return table[["date", "x", "label", "hue", "note", "highlighted"]], names


def _column(name) -> str:
    return f" (column {name!r})" if name is not None else ""


def _times(values, name):
    """``values`` as dates (datetime64, wall time) or numbers, and their places on the axis (Matplotlib's
    date numbers for dates); a missing or unreadable value raises an error naming ``date`` and its row."""
    import pandas as pd
    from matplotlib import dates as mdates

    expected = f"dates, date strings such as '2014-12-22' or years such as 2014{_column(name)}"
    if pd.api.types.is_bool_dtype(values.dtype):
        raise bad_type("date", expected, values.iloc[0])
    missing = values.isna().to_numpy()
    if missing.any():
        raise bad_value("date", f"a date for every event{_column(name)}", None,
                        got=f"a missing value in row {int(np.flatnonzero(missing)[0])}")
    if _numbers(values):
        times = pd.Series(_semantics.numeric_values("date", values, column=name), index=values.index)
        return times, times.to_numpy(dtype=float)
    times = values if pd.api.types.is_datetime64_any_dtype(values.dtype) else _parse_dates(values, expected)
    if getattr(times.dt, "tz", None) is not None:
        times = times.dt.tz_localize(None)  # the wall time, as the dates were written
    return times, mdates.date2num(times.to_numpy())


def _numbers(values) -> bool:
    """Whether ``values`` are numbers (a numeric column, or an object column of ints, floats, Decimals)."""
    import numbers
    from decimal import Decimal

    import pandas as pd

    if pd.api.types.is_numeric_dtype(values.dtype):
        return True
    return values.dtype == object and all(
        isinstance(v, (numbers.Number, Decimal)) and not isinstance(v, (bool, np.bool_)) for v in values)


def _parse_dates(values, expected):
    """Dates from strings, ``datetime``/``date`` objects or Timestamps; anything else names its row."""
    import pandas as pd

    for row, value in enumerate(values):
        if not isinstance(value, (str, pd.Timestamp)) and not hasattr(value, "year") or isinstance(value, pd.Period):
            raise bad_type("date", expected, value, hint=f"Row {row}.")
    try:
        times = pd.to_datetime(values, format="mixed")
    except (ValueError, TypeError, OverflowError) as error:
        bad = next((v for v in values if _unreadable(v)), values.iloc[0])
        raise bad_value("date", expected, bad) from error
    if times.isna().any():  # "" and "NaT" read as no date
        row = int(np.flatnonzero(times.isna().to_numpy())[0])
        raise bad_value("date", expected, values.iloc[row], hint=f"Row {row}.")
    return times


def _unreadable(value) -> bool:
    import pandas as pd

    try:
        pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        return True
    return False


def _ordered(values) -> bool:
    import pandas as pd

    return isinstance(values.dtype, pd.CategoricalDtype) and bool(values.dtype.ordered)


def _highlighted(labels, highlight) -> np.ndarray:
    if highlight is None:
        return np.ones(len(labels), dtype=bool)
    focus = list(highlight) if isinstance(highlight, (list, tuple, set)) else [highlight]
    known = list(dict.fromkeys(labels))
    for value in focus:  # labels are shown as text: 2012 picks the label "2012"
        if str(value) not in known:
            raise bad_choice("highlight", value, known, what="labels among")
    return labels.isin([str(value) for value in focus]).to_numpy()


@dataclass
class _Artists:
    stems: object
    labels: list
    notes: list


def _draw(ax, table, marks) -> _Artists:
    """The line, the dots and stems (stems get their length at draw time) and one label and note per event."""
    import matplotlib as mpl
    from matplotlib.collections import LineCollection

    x = table["x"].to_numpy()
    if not _is_dates(table):
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.ticklabel_format(axis="x", useOffset=False, style="plain")
    else:
        from matplotlib import dates as mdates

        ax.xaxis_date()
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    low, high = float(x.min()), float(x.max())
    margin = (high - low) * 0.03 if high > low else (365.0 if _is_dates(table) else 1.0)
    ax.set_xlim(low - margin, high + margin)
    ax.axhline(0, color=muted_ink(ax), linewidth=1.2, zorder=1)
    stems = LineCollection([], colors=marks, linewidths=1.0, zorder=2)
    ax.add_collection(stems, autolim=False)
    ax.scatter(x, np.zeros(len(x)), c=marks, s=34, zorder=3, edgecolors=_colors.face_color(ax), linewidths=1.0)
    text, muted, size = ink(ax), muted_ink(ax), mpl.rcParams["font.size"]
    # a face-coloured backing, inside the spacing between labels: a stem that must pass a label goes behind it
    backing = {"boxstyle": "square,pad=0.08", "facecolor": _colors.face_color(ax), "edgecolor": "none"}
    labels, notes = [], []
    for row in table.itertuples():
        labels.append(ax.text(row.x, 0, plain(row.label), fontsize=size, va="top", ha="left",
                              fontweight="bold" if row.highlighted else "normal",
                              color=text if row.highlighted else muted, zorder=4, bbox=backing))
        notes.append(ax.text(row.x, 0, plain(row.note), fontsize=size * _NOTE_SCALE, va="top", ha="left",
                             color=muted, zorder=4, visible=bool(row.note), bbox=backing))
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.grid(False, axis="y")
    return _Artists(stems, labels, notes)


def _is_dates(table) -> bool:
    import pandas as pd

    return pd.api.types.is_datetime64_any_dtype(table["date"].dtype)


def _legend(ax, mapping: dict, title) -> None:
    from matplotlib.lines import Line2D

    from vizkit._core.labels import axis_label

    handles = [Line2D([], [], linestyle="none", marker="o", markersize=7, color=color, label=plain(level))
               for level, color in mapping.items()]
    if handles:
        ax.legend(handles=handles, title=None if title is None else axis_label(title), loc="upper left",
                  bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)


def _place(stems, widths, heights, *, left, right, base, pad, gap):
    """Sides (0 above, 1 below), offsets from the line and left edges of the label boxes, in pixels.

    A label is a flag on its stem: its box starts just right of the stem or ends just left of it
    (:func:`_flags`). Labels are stacked (:func:`_stack`) for each way of flagging them and each order
    (:func:`_orders`); the layout kept is the one where the fewest stems pass a label, then the lowest.
    Boxes never overlap in any of them.
    """
    best = None
    for x0 in _flags(stems, widths, left=left, right=right, gap=gap):
        for order in _orders(stems, x0, widths, pad):
            side, offset = _stack(stems, x0, widths, heights, order, base=base, pad=pad)
            far = offset + heights
            score = (_crossings(stems, x0, widths, side, offset, far, pad),
                     sum(max([0.0, *far[side == s]]) for s in (0, 1)))
            if best is None or score < best[0]:
                best = (score, side, offset, x0)
    return best[1:]


def _flags(stems, widths, *, left, right, gap):
    """Left edges of the boxes for each way of flagging the labels: every label to the right of its stem
    (to the left where it would run past the Axes), and every label pointing away from the middle (so
    that no two labels face each other), each kept inside ``[left, right]``."""
    first, last = _clusters(stems, gap)
    after, before = last + gap, first - gap - widths
    fits_after, fits_before = after + widths <= right, before >= left
    clamped = np.clip(after, left, np.maximum(left, right - widths))
    rightwards = np.where(fits_after, after, np.where(fits_before, before, clamped))
    outwards = stems > (left + right) / 2
    away = np.where(outwards, rightwards, np.where(fits_before, before, np.where(fits_after, after, clamped)))
    return [rightwards] if np.array_equal(rightwards, away) else [rightwards, away]


def _clusters(stems, within):
    """For each stem, the first and last stem of its run: stems less than ``within`` from the run's first.
    Events that near share one place, and their labels stack on one side of the run (none covers
    another's stem).

    >>> first, last = _clusters(np.array([10.0, 1.0, 2.0, 30.0]), 4)
    >>> first.tolist(), last.tolist()
    ([10.0, 1.0, 1.0, 30.0], [10.0, 2.0, 2.0, 30.0])
    """
    order = np.argsort(stems, kind="stable")
    ordered = stems[order]
    run, start = np.zeros(len(ordered), dtype=int), ordered[0]
    for k in range(1, len(ordered)):
        fresh = ordered[k] - start >= within
        run[k] = run[k - 1] + fresh
        start = ordered[k] if fresh else start
    starts = np.flatnonzero(np.diff(run, prepend=-1))
    ends = np.concatenate([starts[1:] - 1, [len(ordered) - 1]])
    first, last = np.empty_like(stems), np.empty_like(stems)
    first[order], last[order] = ordered[starts][run], ordered[ends][run]
    return first, last


def _stack(stems, x0, widths, heights, order, *, base, pad):
    """Offsets of the boxes from the line and their sides, each label put where it sits nearest the line.

    Each label goes on the side where it can sit nearest (the side opposite the previous label when both
    are as near; above for the first): at the lowest offset where its box is ``pad`` away from every
    placed box of that side, its stem (from the line to the box's far edge) runs through no placed box
    and no placed stem runs through it. A label whose box overhangs another event's stem is placed after
    that event (:func:`_nearest_first`), so it only ever has to step over labels already placed: a place
    always exists, unless two labels overhang each other's stems and no side is free for one of them;
    then it goes where the fewest stems pass behind a label (labels have a face-coloured backing).
    """
    n = len(stems)
    side, offset = np.zeros(n, dtype=int), np.zeros(n)
    placed, count = np.zeros((2, 5, n)), [0, 0]  # per side: left, right, offset, height, stem of each box
    last = 1
    for i in order:
        box = (x0[i], x0[i] + widths[i], heights[i], stems[i])
        found = [_lowest(box, placed[s, :, :count[s]], base, pad) for s in (0, 1)]
        chosen = min((1 - last, last), key=lambda s: found[s])  # the preferred side wins a tie
        side[i], offset[i], last = chosen, found[chosen][1], chosen
        placed[chosen, :, count[chosen]] = (x0[i], x0[i] + widths[i], offset[i], heights[i], stems[i])
        count[chosen] += 1
    return side, offset


def _crossings(stems, x0, widths, side, offset, far, pad) -> int:
    """How many (stem, label) pairs of one side have the stem running through the label's box."""
    inside = (x0[None, :] - pad < stems[:, None]) & (stems[:, None] < x0[None, :] + widths[None, :] + pad)
    through = far[:, None] > offset[None, :]
    same = side[:, None] == side[None, :]
    np.fill_diagonal(inside, False)
    return int((inside & through & same).sum())


def _orders(stems, x0, widths, pad) -> list:
    """Orders to place the labels in: nearest first (:func:`_nearest_first`), and the staircase order
    (labels that end at their stem from the first event on, then those that start at it from the last
    back: a later label overhanging no earlier stem)."""
    by_time = np.argsort(stems, kind="stable")
    ends = (x0 + widths <= stems)[by_time]
    return [_nearest_first(stems, x0, x0 + widths, pad), np.concatenate([by_time[ends], by_time[~ends][::-1]])]


def _nearest_first(stems, x0, x1, pad) -> np.ndarray:
    """Events in the order to place them: an event before every label whose box overhangs its stem.

    Kahn's order of "box i overhangs stem k, so k goes first", earliest event first among those ready;
    where labels overhang each other's stems (a cycle) the one with the fewest waiting is taken.
    """
    covers = (x0[:, None] - pad < stems[None, :]) & (stems[None, :] < x1[:, None] + pad)
    np.fill_diagonal(covers, False)
    waiting = covers.sum(axis=1)
    done = np.zeros(len(stems), dtype=bool)
    order = []
    by_time = np.argsort(stems, kind="stable")
    for _ in range(len(stems)):
        candidates = by_time[~done[by_time]]
        i = candidates[np.argmin(waiting[candidates])]
        order.append(i)
        done[i] = True
        waiting -= covers[:, i]
    return np.array(order, dtype=int)


def _lowest(box, placed, base, pad) -> tuple[int, float]:
    """Where ``box`` goes among the ``placed`` boxes of a side: ``(stems crossed, offset)``, the fewest
    crossings, then the lowest offset (>= ``base``) where it is ``pad`` away from every placed box.

    A crossing is this box's stem running through a placed box, or a placed stem through this box.
    """
    x0, x1, h, stem = box
    if not placed.shape[1]:
        return 0, base
    px0, px1, py, ph, pstem = placed
    beside = (px0 < x1 + pad) & (px1 > x0 - pad)
    crosses = (px0 - pad < stem) & (stem < px1 + pad)  # this stem would run through a placed box
    crossed = (x0 - pad < pstem) & (pstem < x1 + pad)  # a placed stem would run through this box
    ys = np.unique(np.concatenate([[base], py + ph + pad]))  # the top of all is always free
    ys = ys[ys >= base][:, None]
    free = ~np.any(beside & (ys < py + ph + pad) & (ys + h + pad > py), axis=1)
    crossings = np.sum(crosses & (ys + h + pad > py), axis=1) + np.sum(crossed & (ys < py + ph + pad), axis=1)
    k = np.lexsort((ys[:, 0], crossings))[0] if free.all() else \
        np.flatnonzero(free)[np.lexsort((ys[free, 0], crossings[free]))[0]]
    return int(crossings[k]), float(ys[k, 0])


@dataclass
class _Fit:
    """One try at the layout, in pixels: the room needed above and below the line, and each label's
    side, offset from the line, box (left edge, width) and the height of its first line and far edge."""

    above: float
    below: float
    side: np.ndarray
    offset: np.ndarray
    x0: np.ndarray
    width: np.ndarray
    lh: np.ndarray
    far: np.ndarray

    def shortfall(self, height: float, width: float) -> float:
        """How many times too small the Axes is for these labels (<= 1: they fit)."""
        return max((self.above + self.below) / height, max([0.0, *self.width]) / width)


class _Layout:
    """Settles the labels at each draw: measures them, places them, shrinks the font when they do not fit."""

    def __init__(self, artists: _Artists, table):
        self.artists, self.table, self.warned = artists, table, False
        self.size = artists.labels[0].get_fontsize() if artists.labels else 10.0

    def __call__(self, ax, renderer) -> None:
        scale = ax.figure.dpi / 100.0
        height, width = ax.bbox.height, ax.bbox.width - 2
        extents = self._measure(renderer)
        size, notes = self.size, True
        for _ in range(12):
            fit = self._try(ax, extents, size / self.size, notes, scale)
            short = fit.shortfall(height, width)
            if short <= 1:
                break
            if size > _SMALLEST:
                size = max(_SMALLEST, size * max(0.5, min(0.95, 1 / short)))
            elif notes and extents[2].any():
                notes = False
            else:
                break
        if size != self.size:  # text does not scale exactly with its size (hinting): place what will be drawn
            fit = self._try(ax, self._measure(renderer, size), 1.0, notes, scale)
        for text, note in zip(self.artists.labels, self.artists.notes, strict=True):
            text.set_fontsize(size)
            note.set_fontsize(size * _NOTE_SCALE)
            note.set_visible(notes and bool(note.get_text()))
        self._finish(ax, fit, height, width, scale)

    def _measure(self, renderer, size=None):
        """Widths and heights of every label and note at ``size`` (default the chart's font size)."""
        labels, notes = self.artists.labels, self.artists.notes
        size = self.size if size is None else size
        for text, note in zip(labels, notes, strict=True):  # shown while measured: a hidden text has no size
            text.set_visible(True)
            text.set_fontsize(size)
            note.set_fontsize(size * _NOTE_SCALE)
        boxes = [t.get_window_extent(renderer) for t in labels]
        noted = [bool(n.get_text()) for n in notes]
        note_boxes = [n.get_window_extent(renderer) if on else None for n, on in zip(notes, noted, strict=True)]
        return (np.array([b.width for b in boxes]), np.array([b.height for b in boxes]),
                np.array([b.width if b is not None else 0.0 for b in note_boxes]),
                np.array([b.height if b is not None else 0.0 for b in note_boxes]))

    def _try(self, ax, extents, shrink, notes, scale) -> _Fit:
        """Place every label with the font ``shrink`` times the chart's (notes shown or not)."""
        lw, lh, nw, nh = (shrink * e for e in extents)
        if notes:
            nh = np.where(nw > 0, nh + _LINE_GAP * scale, 0.0)
        else:
            nw, nh = np.zeros_like(nw), np.zeros_like(nh)
        stems = ax.transData.transform(np.column_stack([self.table["x"], np.zeros(len(lw))]))[:, 0]
        box, widths = ax.bbox, np.maximum(lw, nw)
        side, offset, x0 = _place(stems, widths, lh + nh, left=box.x0 + 1, right=box.x1 - 1,
                                  base=_BASE * scale, pad=_PAD * scale, gap=_GAP * scale)
        far = offset + lh + nh
        need = [max([0.0, *far[side == s]]) + _PAD * scale for s in (0, 1)]
        return _Fit(need[0], need[1], side, offset, x0, widths, lh, far)

    def _finish(self, ax, fit: _Fit, height, width, scale) -> None:
        above, below = fit.above, fit.below
        drawn = fit.width <= width  # a label wider than the Axes even at the smallest font is left out
        if above + below > height:  # as are the farthest labels when even the smallest font is too tall
            room = np.where(fit.side == 0, height * above / (above + below), height * below / (above + below))
            drawn &= fit.far + _PAD * scale <= room
            above, below = min(above, height / 2), min(below, height / 2)
        if not drawn.all() and not self.warned:
            self.warned = True
            user_warning(f"timeline: {int((~drawn).sum())} of {len(drawn)} labels did not fit and are left out; "
                         "give the figure more room or shorten them.")
        half = height / 2
        top, bottom = (half, half) if max(above, below) <= half else (
            (above, height - above) if above > below else (height - below, below))
        points = 72.0 / ax.figure.dpi
        ax.set_ylim(-bottom * points, top * points)
        self._move(ax, fit, drawn, points)

    def _move(self, ax, fit: _Fit, drawn, points) -> None:
        sign = np.where(fit.side == 0, 1.0, -1.0)
        left = ax.transData.inverted().transform(np.column_stack([fit.x0, np.zeros(len(fit.x0))]))[:, 0]
        near = np.where(fit.side == 0, fit.far, fit.offset) * points * sign
        for i, (text, note) in enumerate(zip(self.artists.labels, self.artists.notes, strict=True)):
            text.set_position((left[i], near[i]))
            note.set_position((left[i], near[i] - (fit.lh[i] + _LINE_GAP * ax.figure.dpi / 100.0) * points))
            text.set_visible(bool(drawn[i]))
            note.set_visible(note.get_visible() and bool(drawn[i]))
        ends = np.where(drawn, fit.far, 0.0) * points * sign
        x = self.table["x"].to_numpy()
        self.artists.stems.set_segments([[(x[i], 0.0), (x[i], ends[i])] for i in range(len(x))])
        self.table["side"] = np.where(fit.side == 0, "above", "below")
        self.table["offset"] = fit.offset * points
        self.table["label_drawn"] = drawn
