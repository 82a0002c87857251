"""One line as vizkit draws it: a smoothed line over its faint raw series, a band under both.

:func:`vizkit.line` and :func:`vizkit.curves` (and the dashboard's panels)
compute their numbers first, then hand each line to :func:`draw_line_band`
with the constants below, so a smoothed series, its raw values and its band
look the same in every chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["BAND_ALPHA", "RAW_ALPHA", "RAW_MARKER_SCALE", "RAW_WIDTH", "SPARSE_POINTS", "LineData", "LineLook",
           "draw_line_band"]

#: A line of at most this many points is sparse: its points get markers (an epoch-level curve).
SPARSE_POINTS = 30
#: Opacity of the raw series under a smoothed line (times the line's own alpha), and of a band.
RAW_ALPHA = 0.3
BAND_ALPHA = 0.2
#: Width of the raw series under a smoothed line, relative to the line's width.
RAW_WIDTH = 0.6
#: Size of the markers of small points (the raw series, epoch-level curves), relative to rcParams.
RAW_MARKER_SCALE = 0.7
#: The raw series sits just under its smoothed line, the band further under.
_RAW_BELOW = 0.05
_BAND_BELOW = 0.5


@dataclass
class LineData:
    """The computed values of one line, ready to draw (x already in drawable units).

    ``curve`` is a dense ``(x, y)`` through the points (interpolation), drawn
    as the line instead of the points when there is no ``smooth``.
    """

    x: np.ndarray
    y: np.ndarray
    smooth: np.ndarray | None = None
    low: np.ndarray | None = None
    high: np.ndarray | None = None
    curve: tuple | None = None


@dataclass
class LineLook:
    """How one line looks: colour, width and zorder, the user's Line2D keywords, its markers.

    ``markers`` are the Line2D marker properties of the points (empty: none).
    With a smoothed line they go on the raw series when ``markers_on_raw``
    (:func:`vizkit.line`: the points are the data) and on the smoothed line
    otherwise (:func:`vizkit.curves`: an epoch-level curve stays marked).
    ``raw_first`` adds the raw series to the Axes before the smoothed line
    (``ax.lines`` order). ``step`` draws the band in steps, like the line.
    """

    color: object
    width: float
    zorder: float
    kws: dict = field(default_factory=dict)
    markers: dict = field(default_factory=dict)
    markers_on_raw: bool = True
    raw_first: bool = False
    step: bool = False


def draw_line_band(ax, data: LineData, look: LineLook):
    """Draw ``data`` on ``ax``: the line (smoothed over its faint raw series when smoothed), its band under.

    Returns the main Line2D (the smoothed line, or the line).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> x = np.arange(4.0)
    >>> main = draw_line_band(ax, LineData(x, x ** 2, smooth=x * 3), LineLook(color="C0", width=1.5, zorder=2))
    >>> [round(line.get_alpha() or 1, 2) for line in ax.lines], main.get_ydata().tolist()
    ([1, 0.3], [0.0, 3.0, 6.0, 9.0])
    >>> plt.close(fig)
    """
    if data.smooth is None:
        x, y = data.curve if data.curve is not None else (data.x, data.y)
        main = ax.plot(x, y, **_main_style(look, look.markers))[0]
    else:
        if look.raw_first:  # needs a colour: a raw series drawn first must not take one from the cycle
            ax.plot(data.x, data.y, **_raw_style(look, look.color))
        main = ax.plot(data.x, data.smooth, **_main_style(look, {} if look.markers_on_raw else look.markers))[0]
        if not look.raw_first:
            ax.plot(data.x, data.y, **_raw_style(look, main.get_color()))
    if data.low is not None and bool((np.isfinite(data.low) | np.isfinite(data.high)).any()):
        ax.fill_between(data.x, data.low, data.high, color=main.get_color(), alpha=BAND_ALPHA, linewidth=0,
                        zorder=look.zorder - _BAND_BELOW, step="post" if look.step else None)
    return main


def _main_style(look: LineLook, markers: dict) -> dict:
    kws = look.kws if markers or "markevery" not in look.kws else {
        k: v for k, v in look.kws.items() if k != "markevery"}
    return {"color": look.color, "linewidth": look.width, "zorder": look.zorder, **markers, **kws}


def _raw_style(look: LineLook, color) -> dict:
    """The faint raw series: the line's style, thinner and transparent, unlabelled, just under it."""
    import matplotlib as mpl

    if look.markers_on_raw:
        markers, dropped = {"markersize": RAW_MARKER_SCALE * mpl.rcParams["lines.markersize"], **look.markers}, ()
    else:
        markers, dropped = {}, ("marker", "markevery", "markersize")
    kws = {k: v for k, v in look.kws.items() if k not in ("label", "alpha", *dropped)}
    alpha = look.kws.get("alpha")  # None is Matplotlib's "opaque", as when it is not given
    return {**markers, **kws, "color": color, "linewidth": RAW_WIDTH * look.width,
            "alpha": RAW_ALPHA * (1.0 if alpha is None else alpha), "zorder": look.zorder - _RAW_BELOW,
            "label": "_raw"}
