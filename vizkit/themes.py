"""Themes: vizkit's look (style), its scale (context), and its palette, as rcParams.

A theme is a plain dict of Matplotlib rcParams built from three parts:

- ``style``: the look (``"vizkit"``: white, light grid behind the data, no top
  and right spines, left-aligned titles; ``"dark"``: the same on a dark face);
- ``context``: the scale of fonts and lines, as in seaborn (``"paper"`` <
  ``"notebook"`` < ``"talk"`` < ``"poster"``);
- ``palette``: the colour cycle (vizkit's CVD-safe default, or any palette).

:func:`set_theme` applies one globally, :func:`theme` for a ``with`` block.
The same dicts are written out as Matplotlib style sheets in
:mod:`vizkit.styles` (``plt.style.use("vizkit.styles.paper")``). Importing
vizkit changes no rcParams.
"""

from __future__ import annotations

import contextlib

from vizkit import colors as _colors
from vizkit._core import bad_choice, bad_type, bad_value, check_choice

__all__ = ["set_theme", "theme", "styles_available", "contexts_available", "ink", "muted_ink"]

_FONTS = ["DejaVu Sans", "Arial", "Helvetica", "Liberation Sans", "sans-serif"]


def _look(paper: str, ink: str, ink_muted: str, rule: str, grid: str) -> dict:
    return {
        "figure.facecolor": paper,
        "axes.facecolor": paper,
        "savefig.facecolor": "auto",
        "axes.edgecolor": rule,
        "axes.labelcolor": ink,
        "axes.titlecolor": ink,
        "text.color": ink,
        "xtick.color": rule,
        "ytick.color": rule,
        "xtick.labelcolor": ink_muted,
        "ytick.labelcolor": ink_muted,
        "grid.color": grid,
        "legend.labelcolor": ink,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.axisbelow": True,
        "axes.titlelocation": "left",
        "axes.titleweight": "bold",
        "axes.formatter.useoffset": False,
        "font.family": ["sans-serif"],
        "font.sans-serif": _FONTS,
        "legend.frameon": False,
        "lines.solid_capstyle": "round",
        "patch.edgecolor": paper,
        "image.cmap": "viridis",
        "xtick.direction": "out",
        "ytick.direction": "out",
    }


_STYLES = {
    "vizkit": _look(_colors.PAPER, _colors.INK, _colors.INK_MUTED, _colors.RULE, _colors.GRID),
    "dark": _look(_colors.DARK_PAPER, _colors.DARK_INK, _colors.DARK_INK_MUTED, _colors.DARK_RULE, _colors.DARK_GRID),
}

# Sizes at the "notebook" scale; other contexts multiply them (seaborn's scheme).
_NOTEBOOK_SIZES = {
    "font.size": 11.0,
    "axes.labelsize": 11.0,
    "axes.titlesize": 13.0,
    "figure.titlesize": 14.0,
    "xtick.labelsize": 10.0,
    "ytick.labelsize": 10.0,
    "legend.fontsize": 10.0,
    "legend.title_fontsize": 11.0,
    "axes.linewidth": 1.0,
    "grid.linewidth": 0.8,
    "lines.linewidth": 1.75,
    "lines.markersize": 6.0,
    "patch.linewidth": 0.8,
    "xtick.major.width": 1.0,
    "ytick.major.width": 1.0,
    "xtick.minor.width": 0.8,
    "ytick.minor.width": 0.8,
    "xtick.major.size": 4.0,
    "ytick.major.size": 4.0,
    "xtick.minor.size": 2.5,
    "ytick.minor.size": 2.5,
    "xtick.major.pad": 3.5,
    "ytick.major.pad": 3.5,
    "axes.titlepad": 8.0,
    "axes.labelpad": 4.0,
}
_CONTEXTS = {"paper": 0.8, "notebook": 1.0, "talk": 1.5, "poster": 2.0}

# The bundled style sheets: name -> (style, context).
_SHEETS = {
    "vizkit": ("vizkit", "notebook"),
    "paper": ("vizkit", "paper"),
    "talk": ("vizkit", "talk"),
    "poster": ("vizkit", "poster"),
    "dark": ("dark", "notebook"),
}


def styles_available() -> list[str]:
    """The names ``style=`` accepts."""
    return list(_STYLES)


def contexts_available() -> list[str]:
    """The names ``context=`` accepts, smallest scale first."""
    return list(_CONTEXTS)


def _theme_rc(style="vizkit", context="notebook", palette=None, rc=None) -> dict:
    """The rcParams dict of a theme (what set_theme applies and the sheets hold)."""
    from cycler import cycler
    from matplotlib.colors import to_hex

    style = check_choice("style", style, _STYLES)
    context = check_choice("context", context, _CONTEXTS)
    if rc is not None and not isinstance(rc, dict):
        raise bad_type("rc", "a dict of Matplotlib rcParams", rc)
    scale = _CONTEXTS[context]
    params = dict(_STYLES[style])
    params.update({key: round(size * scale, 3) for key, size in _NOTEBOOK_SIZES.items()})
    if palette is None or (isinstance(palette, str) and palette == "vizkit"):
        palette = "vizkit_dark" if style == "dark" else "vizkit"  # the default palette made for the face
    colors = _colors.palette(palette)
    params["axes.prop_cycle"] = cycler(color=[to_hex(c) for c in colors])
    params["patch.facecolor"] = to_hex(colors[0])
    if rc:
        params.update(_validated_rc(rc))
    return params


def _validated_rc(rc: dict) -> dict:
    import matplotlib as mpl

    checked = {}
    for key, value in rc.items():
        if key not in mpl.rcParams:
            raise bad_choice("rc", key, sorted(mpl.rcParams),
                             what="a dict whose keys are Matplotlib rcParams", listed=False)
        try:
            checked[key] = mpl.rcParams.validate[key](value)
        except (ValueError, TypeError) as error:
            raise bad_value(f"rc[{key!r}]", "a value Matplotlib accepts for that rcParam", value,
                            hint=f"({error})") from None
    return checked


def set_theme(style="vizkit", context="notebook", palette=None, rc=None) -> None:
    """Apply a vizkit theme to Matplotlib's rcParams, for every later figure.

    Parameters
    ----------
    style : {"vizkit", "dark"}
        The look.
    context : {"paper", "notebook", "talk", "poster"}
        The scale of fonts and lines: 0.8, 1, 1.5 and 2 times notebook.
    palette : str or sequence of colours, optional
        The colour cycle; default vizkit's CVD-safe categorical palette made
        for the style's face (``"vizkit"`` on white, ``"vizkit_dark"`` on the
        dark face: every colour at least 3:1 against it).
    rc : dict, optional
        rcParams that override the theme's own.

    Notes
    -----
    Level colours pinned with :func:`vizkit.set_colors` are unpinned.

    See Also
    --------
    theme : the same, for a ``with`` block only.
    vizkit.styles : the same looks as plain Matplotlib style sheets.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> import vizkit as vk
    >>> with mpl.rc_context():
    ...     vk.set_theme(context="talk", rc={"axes.grid": False})
    ...     mpl.rcParams["axes.labelsize"], mpl.rcParams["axes.grid"]
    (16.5, False)

    To undo it, ``matplotlib.rcdefaults()`` restores Matplotlib's defaults.
    """
    import matplotlib as mpl

    mpl.rcParams.update(_theme_rc(style, context, palette, rc))
    _colors.set_colors(None)  # a new theme starts with no pinned level colours


@contextlib.contextmanager
def theme(style="vizkit", context="notebook", palette=None, rc=None):
    """Use a vizkit theme inside a ``with`` block; rcParams are restored exactly after.

    Takes the same arguments as :func:`set_theme`. Figures made inside the
    block keep its look when drawn or saved later.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> import vizkit as vk
    >>> before = dict(mpl.rcParams)
    >>> with vk.theme(style="dark", context="paper"):
    ...     mpl.rcParams["axes.facecolor"]
    '#1c1e23'
    >>> dict(mpl.rcParams) == before
    True
    """
    import matplotlib as mpl

    params = _theme_rc(style, context, palette, rc)
    with mpl.rc_context(params):
        yield


def ink(ax) -> str:
    """The colour text and guides take on ``ax``: the active theme's ink (its axis labels' colour).

    >>> import matplotlib.pyplot as plt
    >>> import vizkit as vk
    >>> from vizkit.themes import ink
    >>> with vk.theme("dark"):
    ...     fig, ax = plt.subplots()
    ...     dark = ink(ax)
    >>> dark == plt.rcParams["axes.labelcolor"]
    False
    >>> plt.close(fig)
    """
    return ax.xaxis.label.get_color()


def muted_ink(ax) -> str:
    """The theme's muted ink on ``ax`` (tick labels' colour), for secondary text: subtitles, notes, counts."""
    import matplotlib as mpl

    color = mpl.rcParams["xtick.labelcolor"]
    return ink(ax) if color == "inherit" else color
