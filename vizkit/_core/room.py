"""Room for what a chart draws outside its Axes: nothing vizkit draws runs past the figure's edge.

A legend or colour bar beside the Axes, long tick labels or a colour bar's
label need room that ``plt.subplots()``'s default margins do not leave, so a
plain ``savefig`` clipped them ("Origi / US / Eur"). A layout engine
(``layout="constrained"``) makes that room itself; without one,
:func:`keep_inside` shrinks the Axes at each draw by what runs past each
edge of the figure. ``bbox_inches="tight"`` (Jupyter's inline display) then
has nothing to crop away.
"""

from __future__ import annotations

__all__ = ["keep_inside", "KeepInside"]

_KEY = "keep-inside"


def keep_inside(ax, *, quick=None):
    """Keep everything drawn around ``ax`` inside its figure at each draw when the figure has no layout engine.

    ``quick(ax, renderer) -> bool``, if given, is a cheap estimate that says
    nothing can run past the figure (then the full measure is skipped). Call it
    after the chart has drawn its guides; calling it again replaces the job.
    """
    from vizkit._core.axes import before_draw

    return before_draw(ax, KeepInside(quick), key=_KEY)


class KeepInside:
    """Without a layout engine, shrink ``ax`` so what it draws outside its box stays inside the figure.

    The Axes shrinks from the position it was given (never grows past it,
    never moves into a neighbour's room) by what runs past each edge,
    measured at every draw. Guides placed in Axes coordinates (a legend
    anchored at its right edge, a colour bar in an inset) move with it. When
    shrinking would leave less than a quarter of the Axes, it keeps its place.
    """

    PAD_POINTS = 3.0
    MIN_SHARE = 0.25

    def __init__(self, quick=None):
        self.quick = quick
        self.home = None  # the position the Axes was given
        self.set_to = None  # the position this set last
        self.busy = False  # measuring calls get_tightbbox, which runs the before-draw jobs again

    def __call__(self, ax, renderer) -> None:
        import numpy as np
        from matplotlib.transforms import Bbox

        from vizkit._core.axes import rerun_before_draw

        if self.busy or ax.figure.get_layout_engine() is not None:
            return
        self.busy = True
        try:
            current = ax.get_position(original=True)
            if self.set_to is None or not np.allclose(current.bounds, self.set_to.bounds):
                self.home = current  # first draw, or the user moved the Axes
            if not np.allclose(current.bounds, self.home.bounds):
                ax.set_position(self.home)  # measure from the position given (unchanged: no reset, no cost)
                ax.apply_aspect()
            if self.quick is not None and self.quick(ax, renderer):  # the usual case, at a fraction of the cost
                self.set_to = self.home
                return
            twins = _twins(ax)  # a dual axis: one position for both, and the right one's labels count too
            box = Bbox.union([b for b in (a.get_tightbbox(renderer, bbox_extra_artists=_unclipped(a)) for a in twins)
                              if b is not None])
            frame = ax.figure.bbox
            pad = self.PAD_POINTS * ax.figure.dpi / 72
            over = np.maximum(0, [frame.x0 + pad - box.x0, frame.y0 + pad - box.y0,
                                  box.x1 - frame.x1 + pad, box.y1 - frame.y1 + pad])
            home = self.home
            x0, y0 = home.x0 + over[0] / frame.width, home.y0 + over[1] / frame.height
            x1, y1 = home.x1 - over[2] / frame.width, home.y1 - over[3] / frame.height
            fits = x1 - x0 > self.MIN_SHARE * home.width and y1 - y0 > self.MIN_SHARE * home.height
            self.set_to = Bbox.from_extents(x0, y0, x1, y1) if over.any() and fits else home
            ax.set_position(self.set_to)  # and its twins': Matplotlib keeps them together
            for axes in twins:
                axes.apply_aspect()  # set_position reset the box an equal-aspect Axes draws in
            if self.set_to is not home:
                for axes in twins:
                    rerun_before_draw(axes, renderer, but=_KEY)  # labels fitted, limits grown: for the new size
        finally:
            self.busy = False


def _twins(ax) -> list:
    """``ax`` and the Axes made by ``twinx``/``twiny`` on it (they share its position)."""
    group = getattr(ax, "_twinned_axes", None)
    return group.get_siblings(ax) if group is not None else [ax]


def _unclipped(ax) -> list:
    """What can reach past the Axes besides its axes and title: text, legend, insets (a colour bar), artists.

    Matplotlib's default list walks every patch and line to skip those clipped to the Axes: a histogram's
    thousand bars made that the larger part of the measure.
    """
    from matplotlib.text import Text

    found = [*ax.texts, *ax.artists, *ax.child_axes, ax.get_legend(),
             *(a for a in ax.collections + ax.lines + ax.patches if not a.get_clip_on() or isinstance(a, Text))]
    return [a for a in found if a is not None and a.get_visible() and a.get_in_layout()]
