"""Pass-through keyword arguments checked once, against the Matplotlib artist a chart draws.

Every chart hands its ``**kwargs`` (and ``*_kws`` dicts) to Matplotlib. Left
alone, a typo (``bar(colour="red")``) or a wrong type (``alpha="0.5"``)
surfaces as Matplotlib's bare ``AttributeError``/``TypeError``/``ValueError``
from deep inside a draw call, after half the chart is drawn. Here each key is
resolved through Matplotlib's aliases (``lw`` -> ``linewidth``), looked up
among the artist's properties (a close name is suggested), and its value is
tried on a throwaway artist of that class, before anything is drawn.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from vizkit._core.errors import bad_choice, bad_type, bad_value
from vizkit._core.validate import check_number

__all__ = ["ArtistKws", "check_artist_kws", "try_call_kws"]


@dataclass(frozen=True)
class ArtistKws:
    """What a chart's pass-through keywords go to.

    Attributes
    ----------
    artist : type
        The Matplotlib artist class the keywords end up on
        (``matplotlib.lines.Line2D``, ``matplotlib.patches.Rectangle``, ...).
    call : tuple of str
        Keywords of the drawing call that are not properties of the artist
        (``Axes.scatter``'s ``s``, ``marker``, ``cmap``); the chart checks these.
    reserved : mapping of str to str
        Keywords the chart sets itself, each with what the value must be instead
        (``{"color": "unset when `hue` is set (colours come from `palette`)"}``).
    """

    artist: type
    call: tuple = ()
    reserved: Mapping = field(default_factory=dict)


# What Matplotlib raises for a value it cannot use, in a setter, a drawing call or a draw.
_REFUSALS = (TypeError, ValueError, AttributeError, KeyError, IndexError, RuntimeError, ArithmeticError)


def _scratch_axes():
    """A tiny Axes on its own Agg figure (no pyplot), to try values on by drawing."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(1, 1), dpi=10)
    FigureCanvasAgg(figure)
    return figure.add_subplot()


_SCRATCH = threading.local()


def _trial_axes():
    """This thread's scratch Axes for trying values, made once: artists are added, drawn alone and removed."""
    if getattr(_SCRATCH, "ax", None) is None:
        _SCRATCH.ax = _scratch_axes()
    return _SCRATCH.ax


def _throwaway(artist: type, ax):
    """An instance of ``artist`` with a little data, added to the scratch Axes ``ax``."""
    from matplotlib.collections import Collection, PathCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle
    from matplotlib.path import Path

    if issubclass(artist, Line2D):
        return ax.add_line(artist([0, 1], [0, 1], marker="o"))
    if issubclass(artist, Rectangle):
        return ax.add_patch(artist((0, 0), 1, 1))
    if issubclass(artist, PathCollection):
        return ax.add_collection(artist([Path.unit_circle()], sizes=[10], offsets=[(0.5, 0.5)],
                                        offset_transform=ax.transData))
    made = artist([]) if issubclass(artist, Collection) else artist()
    return ax.add_patch(made) if isinstance(made, Patch) else ax.add_artist(made)


def _properties(artist: type) -> list[str]:
    from matplotlib.artist import ArtistInspector

    return sorted(ArtistInspector(artist).get_setters())


def _hatch(value) -> None:
    if not isinstance(value, (str, type(None))):
        raise bad_type("hatch", "a hatch pattern such as '//' or 'xx' (a str), or None", value)


def _label(value) -> None:
    if not isinstance(value, (str, type(None))) and np.iterable(value):
        raise bad_type("label", "one label (a str) for what the chart draws", value)


def _zorder(value) -> None:
    check_number("zorder", value)


def _path_effects(value) -> None:
    from matplotlib.patheffects import AbstractPathEffect

    if not (isinstance(value, (list, tuple)) and all(isinstance(v, AbstractPathEffect) for v in value)):
        raise bad_type("path_effects", "a list of matplotlib.patheffects effects", value)


def _sketch_params(value) -> None:
    if value is None:
        return
    if not isinstance(value, (list, tuple)) or len(value) != 3:
        raise bad_type("sketch_params", "None or a (scale, length, randomness) tuple of numbers", value)
    for i, number in enumerate(value):
        check_number(f"sketch_params[{i}]", number)


def _optional(kind: str, test):
    def check(value, key) -> None:
        if value is not None and not test(value):
            raise bad_type(key, f"{kind} or None", value)
    return check


# Values a setter stores without a look, that Matplotlib only chokes on later (in the drawing call or at draw time).
_STORED_AS_GIVEN = {
    "hatch": _hatch, "label": _label, "zorder": _zorder, "path_effects": _path_effects,
    "sketch_params": _sketch_params, "angle": lambda value: check_number("angle", value),
    "snap": lambda value: _optional("True or False", lambda v: isinstance(v, (bool, np.bool_)))(value, "snap"),
    "agg_filter": lambda value: _optional("a callable", callable)(value, "agg_filter"),
}
# What the chart itself sets on every artist it draws: where it sits, in which figure, from which data.
_CHART_SETS = ("figure", "axes", "transform", "xdata", "ydata", "data", "offsets", "paths", "array", "urls",
               "offset_transform", "sizes", "clip_box", "clip_path")


def _try_value(artist: type, key: str, value) -> None:
    """Raise a vizkit error naming ``key`` when ``artist`` refuses ``value``."""
    name = artist.__name__
    if key in _STORED_AS_GIVEN:
        _STORED_AS_GIVEN[key](value)
    ax = _trial_axes()
    trial = _throwaway(artist, ax)
    try:
        trial.set(**{key: value})
        trial.draw(ax.figure.canvas.get_renderer())  # some values are only read when drawn (marker colours, markevery)
    except _REFUSALS as error:
        hint = f"({type(error).__name__}: {error})"
        builder = bad_type if isinstance(error, TypeError) else bad_value
        raise builder(key, f"a value Matplotlib's {name} accepts for {key!r}", value, hint=hint) from None
    finally:
        trial.remove()


def check_artist_kws(kws: Mapping, target: ArtistKws, *, argument: str = "**kwargs") -> dict:
    """Return ``kws`` with Matplotlib's aliases resolved, every key and value checked on ``target.artist``.

    An unknown key raises a vizkit error naming it and suggesting the closest
    property ("Did you mean 'color'?"); a value the artist refuses raises a
    vizkit error naming the key and what it must be; a key in
    ``target.reserved`` raises with the reason given there.

    >>> from matplotlib.patches import Rectangle
    >>> check_artist_kws({"lw": 2, "ec": "black"}, ArtistKws(Rectangle))
    {'linewidth': 2, 'edgecolor': 'black'}
    >>> check_artist_kws({"colour": "red"}, ArtistKws(Rectangle))
    Traceback (most recent call last):
    ...
    vizkit._core.errors.VizkitValueError: `colour` must be a Matplotlib Rectangle property; got 'colour' (str). Did you mean 'color'?
    """
    from matplotlib import cbook

    if not isinstance(kws, Mapping):
        raise bad_type(argument, "a dict of Matplotlib properties", kws)
    if not all(isinstance(key, str) for key in kws):
        raise bad_type(argument, "a dict with str keys (Matplotlib property names)", dict(kws))
    try:
        kws = cbook.normalize_kwargs(dict(kws), target.artist)
    except TypeError as error:
        raise bad_type(argument, "keyword arguments without two aliases of one property", dict(kws),
                       got=str(error)) from None
    properties = None
    for key, value in kws.items():
        if key in target.reserved:
            raise bad_value(key, target.reserved[key], value)
        if key in _CHART_SETS:
            raise bad_value(key, "unset: the chart sets it on what it draws", value)
        if key in target.call:
            continue
        properties = properties or _properties(target.artist)
        if key not in properties:
            raise bad_choice(key, key, properties + list(target.call),
                             what=f"a Matplotlib {target.artist.__name__} property", listed=False)
        _try_value(target.artist, key, value)
    return kws


def try_call_kws(kws: Mapping, keys: Iterable[str], call, *, what: str) -> None:
    """Try each of ``keys`` present in ``kws`` alone in ``call(ax, **{key: value})`` on a scratch Axes, and draw.

    For keywords of a drawing call that are not artist properties (``Axes.hexbin``'s
    ``gridsize``, ``cmap``, ``norm``): whatever the call or the drawing refuses
    becomes a vizkit error naming the keyword and ``what`` must accept it.

    >>> try_call_kws({"gridsize": "big"}, ["gridsize"], lambda ax, **kw: ax.hexbin([0, 1], [0, 1], **kw),
    ...              what="Axes.hexbin")
    Traceback (most recent call last):
    ...
    vizkit._core.errors.VizkitValueError: `gridsize` must be a value Axes.hexbin accepts; got 'big' (str). (ValueError: too many values to unpack (expected 2))
    """
    for key in keys:
        if key not in kws:
            continue
        ax = _scratch_axes()
        try:
            call(ax, **{key: kws[key]})
            ax.figure.canvas.draw()
        except _REFUSALS as error:
            hint = f"({type(error).__name__}: {error})"
            builder = bad_type if isinstance(error, TypeError) else bad_value
            raise builder(key, f"a value {what} accepts", kws[key], hint=hint) from None
