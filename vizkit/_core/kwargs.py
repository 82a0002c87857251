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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from vizkit._core.errors import bad_choice, bad_type, bad_value

__all__ = ["ArtistKws", "check_artist_kws", "close_to"]


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


def _throwaway(artist: type):
    """A bare instance of ``artist`` to try values on."""
    from matplotlib.collections import Collection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    if issubclass(artist, Line2D):
        return artist([], [])
    if issubclass(artist, Rectangle):
        return artist((0, 0), 1, 1)
    if issubclass(artist, Collection):
        return artist([]) if artist.__init__ is not Collection.__init__ else artist()
    return artist()


def _properties(artist: type) -> list[str]:
    from matplotlib.artist import ArtistInspector

    return sorted(ArtistInspector(artist).get_setters())


# Values a setter stores without a look and Matplotlib only chokes on at draw time.
_DRAW_TIME = {"hatch": (str, type(None))}


def _try_value(argument: str, artist: type, key: str, value) -> None:
    """Raise a vizkit error naming ``key`` when ``artist`` refuses ``value``."""
    name = artist.__name__
    kinds = _DRAW_TIME.get(key)
    if kinds is not None and not isinstance(value, kinds):
        raise bad_type(key, f"a value Matplotlib's {name} accepts for {key!r} (a str or None)", value)
    try:
        _throwaway(artist).set(**{key: value})
    except (TypeError, ValueError, AttributeError, KeyError, IndexError) as error:
        hint = f"({type(error).__name__}: {error})"
        builder = bad_type if isinstance(error, TypeError) else bad_value
        raise builder(key, f"a value Matplotlib's {name} accepts for {key!r}", value, hint=hint) from None


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
        if key in target.call:
            continue
        properties = properties or _properties(target.artist)
        if key not in properties:
            raise bad_choice(key, key, properties + list(target.call),
                             what=f"a Matplotlib {target.artist.__name__} property", listed=False)
        _try_value(argument, target.artist, key, value)
    return kws


def close_to(key: str, names: Iterable[str]) -> str | None:
    """The one of ``names`` that ``key`` is most likely a typo of (difflib, cutoff 0.8), or None."""
    import difflib

    hits = difflib.get_close_matches(key, list(names), n=1, cutoff=0.8)
    return hits[0] if hits else None
