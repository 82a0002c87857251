"""Palettes, highlight colours, text contrast and colour-vision-deficiency checks.

Every colour vizkit draws with comes from here: the palette registry
(categorical, sequential, diverging), the neutral colours of the themes, and
the checks that keep charts readable (WCAG contrast, CVD simulation with the
Machado et al. 2009 model and CAM02-UCS colour differences, both computed by
the colour-science package).

The default categorical palette comes in two versions, one per face, and the
theme picks the one for its face: ``"vizkit"`` on the light (white) face,
``"vizkit_dark"`` on the dark face (#1c1e23). One palette cannot serve both: a
thin mark needs 3:1 against the face (WCAG 1.4.11), which on both faces at
once leaves a luminance window (0.1375-0.30) where the closest pair under
colour-vision deficiency stays near ΔE 11. Each keeps blue first and orange
second (training and validation), has no grey (grey means "context" in
highlighting), and keeps the first 8 colours at least ΔE 14 apart (CAM02-UCS)
under full-severity deuteranomaly, protanomaly and tritanomaly
(Machado 2009, as :func:`check_cvd` measures them):

=============  ======  ======  ======  ======  =======================================
palette        normal  deutan  protan  tritan  contrast on its face (colours 1-10)
=============  ======  ======  ======  ======  =======================================
vizkit         19.0    16.9    14.7    14.7    6.7 3.2 6.1 6.4 3.1 3.0 6.1 3.1 5.1 10.8
vizkit_dark    21.7    17.1    18.5    14.8    6.6 6.7 4.1 3.1 3.5 11.0 3.3 9.7 5.3 10.7
=============  ======  ======  ======  ======  =======================================

Colours 9 and 10 only extend the palette (past 8 levels charts add a second
encoding: line styles, hatches, markers). Matthew Petroff's sequence, the
default before, stays registered as ``"petroff10"``: its orange is 1.9:1 on
white, its red 2.7:1 and purple 2.4:1 on the dark face.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from vizkit._core import (
    bad_choice,
    bad_type,
    bad_value,
    check_choice,
    check_color,
    check_colors,
    check_number,
    missing_dependency,
)
from vizkit._core.errors import user_warning
from vizkit._core.room import keep_inside

__all__ = [
    "palette",
    "palette_names",
    "cmap",
    "highlight_palette",
    "contrast_ratio",
    "text_color_on",
    "readable_color",
    "simulate_cvd",
    "check_cvd",
    "CVDReport",
    "GREY",
    "set_colors",
    "pinned_colors",
    "face_color",
    "context_grey",
    "default_palette",
    "sequential_ramp",
    "diverging_ramp",
    "MARK_CONTRAST",
]

# Neutral colours of the themes and of highlighting ("the rest" in grey).
GREY = "#bdbdbd"
DARK_GREY = "#4b4e55"  # the same role on the dark face: 2.0:1 against it, as GREY is 1.9:1 on white
INK = "#1f1f1f"
INK_MUTED = "#4d4d4d"
RULE = "#b8b8b8"
GRID = "#e8e8e8"
PAPER = "#ffffff"
DARK_PAPER = "#1c1e23"
DARK_INK = "#ececec"
DARK_INK_MUTED = "#bcbcbc"
DARK_RULE = "#6b6e75"
DARK_GRID = "#34373e"

_CATEGORICAL = {
    # vizkit's default, one palette per face (see the module docstring for the measurements):
    # blue first and orange second (train and validation), no greys, every colour at least 3:1
    # against its face.
    "vizkit": ["#2d46e8", "#d67a00", "#0a7047", "#c10000", "#9984ea",
               "#33a3a3", "#a3338e", "#ad8e70", "#c33c5a", "#78005a"],
    "vizkit_dark": ["#0aadf4", "#ea8e0a", "#338e66", "#cc2800", "#8a4df5",
                    "#44e6ee", "#a3518e", "#e0c199", "#c378b4", "#a5e14b"],
    # Petroff (2021), also matplotlib's "petroff10" colour sequence: vizkit's default before 0.12.
    "petroff10": ["#3f90da", "#ffa90e", "#bd1f01", "#94a4a2", "#832db6",
                  "#a96b59", "#e76300", "#b9ac70", "#717581", "#92dadd"],
    "okabe_ito": ["#e69f00", "#56b4e9", "#009e73", "#f0e442",
                  "#0072b2", "#d55e00", "#cc79a7", "#000000"],
    "tab10": ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
              "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"],
    # seaborn's "colorblind".
    "colorblind": ["#0173b2", "#de8f05", "#029e73", "#d55e00", "#cc78bc",
                   "#ca9161", "#fbafe4", "#949494", "#ece133", "#56b4e9"],
    # Paul Tol's qualitative schemes.
    "tol_bright": ["#4477aa", "#ee6677", "#228833", "#ccbb44",
                   "#66ccee", "#aa3377", "#bbbbbb"],
    "tol_muted": ["#cc6677", "#332288", "#ddcc77", "#117733", "#88ccee",
                  "#882255", "#44aa99", "#999933", "#aa4499"],
}

# vizkit's own ramps: (position, colour) anchors joined in sRGB. Each anchor
# sits at its share of the ramp's CAM02-UCS lightness range, so lightness
# changes evenly along the ramp (the tests check monotonic, even steps, and a
# diverging ramp symmetric about its light centre).
_RAMPS = {
    "vizkit_seq": ("sequential", [(0.0, "#dce9f7"), (0.135, "#a9cdee"), (0.439, "#3f90da"),
                                  (0.714, "#1d5a99"), (1.0, "#0b2545")]),
    "vizkit_div": ("diverging", [(0.0, "#0b4f8a"), (0.344, "#92bde3"), (0.5, "#f2f2f2"),
                                 (0.656, "#f0a05a"), (1.0, "#7a3000")]),
}
_MPL_SEQUENTIAL = ["viridis", "cividis", "magma", "inferno", "plasma",
                   "Blues", "Greens", "Greys", "Oranges", "Purples"]
_MPL_DIVERGING = ["RdBu_r", "coolwarm", "PuOr", "BrBG", "berlin", "managua", "vanimo"]

_KINDS = ("categorical", "sequential", "diverging")
_CVD_KINDS = ("deuteranomaly", "protanomaly", "tritanomaly")
_CVD_ALIASES = {"deutan": "deuteranomaly", "protan": "protanomaly", "tritan": "tritanomaly"}

RGB = tuple[float, float, float]


def palette_names(kind: str | None = None) -> list[str]:
    """Names of vizkit's registered palettes, optionally of one kind.

    Any Matplotlib colormap name is accepted by :func:`palette` and
    :func:`cmap` as well; this lists the curated ones.

    >>> palette_names("categorical")[:3]
    ['vizkit', 'colorblind', 'okabe_ito']
    """
    if kind is not None:
        check_choice("kind", kind, _KINDS)
    names = {
        "categorical": ["vizkit"] + sorted(n for n in _CATEGORICAL if n != "vizkit"),
        "sequential": [n for n, (k, _) in _RAMPS.items() if k == "sequential"] + _MPL_SEQUENTIAL,
        "diverging": [n for n, (k, _) in _RAMPS.items() if k == "diverging"] + _MPL_DIVERGING,
    }
    if kind is not None:
        return list(names[kind])
    return [n for k in _KINDS for n in names[k]]


def _to_rgb(color) -> RGB:
    return check_color("color", color)[:3]


def palette(name=None, n: int | None = None) -> list[RGB]:
    """Return a palette as a list of RGB tuples.

    Parameters
    ----------
    name : str or sequence of colours, optional
        A categorical palette (``"vizkit"``, the default, CVD-safe;
        ``"okabe_ito"``, ``"tab10"``, ``"colorblind"``, ``"tol_bright"``,
        ``"tol_muted"``), a sequential or diverging palette (``"vizkit_seq"``,
        ``"vizkit_div"`` or any Matplotlib colormap name; add ``"_r"`` to
        reverse vizkit's own), or a list of colours to validate.
    n : int, optional
        Number of colours. Categorical palettes default to all their colours
        and repeat (with a warning) past their length; colormaps default to 6
        evenly spaced samples.

    Returns
    -------
    list of (r, g, b) tuples with floats in 0-1.

    Raises
    ------
    VizkitValueError
        For an unknown name (the message lists the known ones).

    See Also
    --------
    cmap : the same names as a Matplotlib colormap.
    check_cvd : how distinct the colours stay under colour-vision deficiency.

    Examples
    --------
    >>> import vizkit as vk
    >>> len(vk.palette())
    10
    >>> vk.palette("vizkit", 2)
    [(0.176..., 0.274..., 0.909...), (0.839..., 0.478..., 0.0)]
    >>> len(vk.palette("viridis", 4))
    4
    """
    return palette_for("name", name, n)


def palette_for(argument: str, name, n=None) -> list[RGB]:
    """:func:`palette`, with errors naming ``argument`` (charts pass ``"palette"``).

    The one place a palette name or a list of colours is checked and resolved;
    :func:`check_palette` and :func:`hue_colors` go through it.

    >>> palette_for("palette", ["red", "#0000ff"])
    [(1.0, 0.0, 0.0), (0.0, 0.0, 1.0)]
    """
    n = check_number("n", n, integer=True, low=1, high=10_000, allow_none=True)  # 10**7: minutes
    if name is None:
        name = "vizkit"
    if not isinstance(name, str):
        colors = [c[:3] for c in check_colors(argument, name)]
        return _repeat(colors, n, "the given palette")
    if name in _CATEGORICAL:
        return _repeat([_to_rgb(c) for c in _CATEGORICAL[name]], n, f"palette {name!r}")
    colormap = _cmap_for(argument, name)
    count = 6 if n is None else n
    return [tuple(float(v) for v in colormap(x)[:3]) for x in np.linspace(0, 1, count)]


def check_palette(palette, *, argument: str = "palette") -> None:
    """Refuse a bad ``palette=`` of a chart before anything is drawn, naming ``argument``.

    None (the colour cycle), a palette or colormap name, a sequence of
    colours, or a dict of level -> colour (each colour checked here; that
    every level has one is checked once the levels are known, by
    :func:`hue_colors`).

    >>> check_palette({"a": "red", "b": "nope"})
    Traceback (most recent call last):
    ...
    vizkit._core.errors.VizkitValueError: `palette['b']` must be a Matplotlib colour (a name such as 'tab:blue', a hex string such as '#1f77b4', or an RGB(A) tuple of floats in 0-1); got 'nope' (str).
    """
    from collections.abc import Mapping

    if palette is None:
        return
    if isinstance(palette, Mapping):
        for level, color in palette.items():
            check_color(f"{argument}[{level!r}]", color)
        return
    if not isinstance(palette, (str, list, tuple, np.ndarray)):
        raise bad_type(argument, "a palette name, a list of colours or a dict of level -> colour", palette)
    palette_for(argument, palette)


def _repeat(colors: list[RGB], n: int | None, label: str, *, warn: bool = True) -> list[RGB]:
    if n is None:
        return colors
    if n > len(colors) and warn:
        user_warning(
            f"{label} has {len(colors)} colours; {n} were asked for, so colours repeat. "
            "Encode the extra levels another way too (markers, line styles), or use fewer levels.",
            UserWarning,
        )
    return [colors[i % len(colors)] for i in range(n)]


def cmap(name: str):
    """Return a Matplotlib colormap by vizkit or Matplotlib name.

    Categorical palettes come back as a ``ListedColormap``; ``"vizkit_seq"``
    and ``"vizkit_div"`` (and their ``"_r"`` reverses) are vizkit's own ramps;
    any other name is looked up among Matplotlib's colormaps.

    >>> import vizkit as vk
    >>> vk.cmap("vizkit_div").name
    'vizkit_div'
    >>> vk.cmap("viridis").N
    256
    """
    return _cmap_for("name", name)


def _cmap_for(argument: str, name):
    """:func:`cmap`, with errors naming ``argument``."""
    import matplotlib as mpl
    from matplotlib.colors import LinearSegmentedColormap, ListedColormap

    if not isinstance(name, str):
        raise bad_type(argument, "a palette or colormap name (str)", name)
    if name in _CATEGORICAL:
        return ListedColormap([_to_rgb(c) for c in _CATEGORICAL[name]], name=name)
    base, reverse = (name[:-2], True) if name.endswith("_r") and name[:-2] in _RAMPS else (name, False)
    if base in _RAMPS:
        ramp = LinearSegmentedColormap.from_list(base, _RAMPS[base][1], N=256)
        return ramp.reversed(name=name) if reverse else ramp
    if name in mpl.colormaps:
        return mpl.colormaps[name]
    raise bad_choice(
        argument, name, palette_names() + list(mpl.colormaps), what="a vizkit palette", listed=False,
        suffix=f" ({', '.join(map(repr, palette_names()))}) or a Matplotlib colormap name",
    )


def highlight_palette(levels, focus, *, color=None, others=None) -> dict:
    """Map the focus levels to colour and every other level to one grey.

    Parameters
    ----------
    levels : sequence
        Every level of the variable (e.g. the hue levels of a chart).
    focus : level or list of levels
        The levels to keep in colour; each must be among ``levels``.
    color : colour or list of colours, optional
        One colour for every focus level, or one per focus level. Default:
        each focus level's own colour (pinned by :func:`set_colors`, else the
        active palette's colour of its place among ``levels``), so a level
        keeps its colour whether it is highlighted or not.
    others : colour, optional
        The colour of the rest. Default: the context grey of the active
        theme's face (:func:`context_grey`).

    Returns
    -------
    dict
        ``{level: (r, g, b)}`` in the order of ``levels``, ready for ``palette=``.

    Examples
    --------
    >>> import vizkit as vk
    >>> colors = vk.highlight_palette(["Adelie", "Chinstrap", "Gentoo"], "Gentoo")
    >>> colors["Adelie"] == colors["Chinstrap"] != colors["Gentoo"]
    True
    """
    if isinstance(levels, (str, bytes)) or not isinstance(levels, Sequence) and not hasattr(levels, "__array__"):
        raise bad_type("levels", "a sequence of levels", levels)
    levels = list(dict.fromkeys(levels))
    focus_list = list(focus) if isinstance(focus, (list, tuple, set)) else [focus]
    if not focus_list:
        raise bad_value("focus", "at least one level", focus)
    for level in focus_list:
        if level not in levels:
            raise bad_choice("focus", level, levels, what="levels among")
    if color is None:  # each focus level's own colour, as it has without highlighting
        own = _level_colors(levels, None, face_color(), warn=False)
        focus_colors = [own[level] for level in focus_list]
    elif isinstance(color, (list, tuple)) and color and not isinstance(color[0], (int, float)):
        focus_colors = [c[:3] for c in check_colors("color", color)]
        if len(focus_colors) != len(focus_list):
            raise bad_value(
                "color", f"one colour or {len(focus_list)} colours (one per focus level)", color
            )
    else:
        focus_colors = [check_color("color", color)[:3]] * len(focus_list)
    grey = context_grey() if others is None else check_color("others", others)[:3]
    chosen = dict(zip(focus_list, focus_colors))
    return {level: chosen.get(level, grey) for level in levels}


def _composite(rgba, backdrop: RGB) -> np.ndarray:
    rgba = np.asarray(rgba, dtype=float)
    alpha = rgba[3]
    return rgba[:3] * alpha + np.asarray(backdrop) * (1 - alpha)


def _relative_luminance(rgb) -> float:
    rgb = np.asarray(rgb, dtype=float)
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


def contrast_ratio(fg, bg, *, backdrop="white") -> float:
    """WCAG 2.x contrast ratio between two colours, from 1 (none) to 21.

    Translucent colours are first composited: ``bg`` over ``backdrop``, then
    ``fg`` over the result. WCAG asks for at least 4.5 for normal text, 3 for
    large text and for graphics.

    >>> import vizkit as vk
    >>> vk.contrast_ratio("black", "white")
    21.0
    >>> round(vk.contrast_ratio("#767676", "white"), 2)
    4.54
    """
    base = check_color("backdrop", backdrop)[:3]
    back = _composite(check_color("bg", bg), base)
    front = _composite(check_color("fg", fg), back)
    lighter, darker = sorted([_relative_luminance(front), _relative_luminance(back)], reverse=True)
    return round((lighter + 0.05) / (darker + 0.05), 10)


def text_color_on(bg, *, dark="black", light="white") -> RGB:
    """Return ``dark`` or ``light`` (as RGB), whichever contrasts more with ``bg``.

    >>> import vizkit as vk
    >>> vk.text_color_on("#3f90da")
    (0.0, 0.0, 0.0)
    >>> vk.text_color_on("#0b2545")
    (1.0, 1.0, 1.0)
    """
    dark_rgb, light_rgb = check_color("dark", dark)[:3], check_color("light", light)[:3]
    if contrast_ratio(dark_rgb, bg) >= contrast_ratio(light_rgb, bg):
        return dark_rgb
    return light_rgb


def readable_color(color, bg, *, min_ratio: float = 4.5) -> RGB:
    """``color`` darkened (or, on a dark ``bg``, lightened) just enough to reach ``min_ratio`` contrast.

    For text or marks that should keep a hue's identity (a line's direct
    label, an axis coloured like its line) and still read: WCAG asks 4.5:1
    for text and 3:1 for graphics and large text.

    >>> import vizkit as vk
    >>> orange = vk.readable_color("#ffa90e", "white", min_ratio=3)
    >>> round(vk.contrast_ratio(orange, "white"), 1) >= 3
    True
    >>> vk.readable_color("#1f1f1f", "white") == vk.palette(["#1f1f1f"])[0]  # already readable: unchanged
    True
    """
    min_ratio = check_number("min_ratio", min_ratio, low=1, high=21)
    rgb = np.asarray(check_color("color", color)[:3])
    back = check_color("bg", bg)[:3]
    target = np.ones(3) if contrast_ratio("white", back) > contrast_ratio("black", back) else np.zeros(3)
    for t in np.linspace(0, 1, 101):
        mixed = tuple(float(c) for c in rgb * (1 - t) + target * t)
        if contrast_ratio(mixed, back) >= min_ratio:
            return mixed
    return tuple(float(c) for c in target)


def _colour_science():
    # colour-science sets NumPy's print options to legacy "1.13" when imported: the user's (and
    # vizkit's error messages') reprs of NumPy values must not change because a CVD check ran.
    print_options = np.get_printoptions()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import colour
    except ImportError:  # pragma: no cover - a runtime dependency
        raise missing_dependency("Colour-vision-deficiency simulation", "colour-science", "all") from None
    finally:
        np.set_printoptions(**print_options)
    return colour


def _simulate_array(rgb: np.ndarray, kind: str, severity: float) -> np.ndarray:
    colour = _colour_science()
    with warnings.catch_warnings():
        # colour-science warns that Machado's tritanomaly matrices use another
        # shift range than the other two kinds; the matrices are the published ones.
        warnings.simplefilter("ignore")
        matrix = colour.blindness.matrix_cvd_Machado2009(kind.capitalize(), severity / 100)
        linear = colour.models.eotf_sRGB(rgb)
        simulated = np.clip(linear @ matrix.T, 0, 1)
        return np.clip(colour.models.eotf_inverse_sRGB(simulated), 0, 1)


def _check_cvd_kind(kind) -> str:
    return check_choice("kind", kind, _CVD_KINDS, aliases=_CVD_ALIASES)


def simulate_cvd(colors, kind: str, severity: float = 100):
    """Show colours as a person with a colour-vision deficiency sees them.

    Uses the Machado, Oliveira & Fernandes (2009) model, applied in linear
    sRGB, as implemented by the colour-science package.

    Parameters
    ----------
    colors : colour, sequence of colours, or array of shape (..., 3) or (..., 4)
        One colour, a palette, or an image with floats in 0-1.
    kind : {"deuteranomaly", "protanomaly", "tritanomaly"}
        Also ``"deutan"``, ``"protan"``, ``"tritan"``.
    severity : float, default 100
        0 (no deficiency) to 100 (dichromacy).

    Returns
    -------
    The same shape as given: an RGB tuple, a list of RGB tuples, or an array
    (alpha is dropped).

    Examples
    --------
    >>> import vizkit as vk
    >>> from matplotlib.colors import to_hex
    >>> [to_hex(c) for c in vk.simulate_cvd(["red", "green"], "deutan")]  # two olives
    ['#a39000', '#776a18']
    """
    kind = _check_cvd_kind(kind)
    severity = check_number("severity", severity, low=0, high=100)
    if isinstance(colors, np.ndarray) and colors.ndim >= 2 and colors.shape[-1] in (3, 4):
        if not np.issubdtype(colors.dtype, np.number) or np.nanmin(colors) < 0 or np.nanmax(colors) > 1:
            raise bad_value("colors", "an array of floats in 0-1 with 3 or 4 channels", colors)
        return _simulate_array(colors[..., :3].astype(float), kind, severity)
    single = isinstance(colors, str) or (
        isinstance(colors, tuple) and len(colors) in (3, 4) and all(isinstance(v, (int, float)) for v in colors)
    )
    rgb = np.array([check_color("colors", colors)[:3]] if single else [c[:3] for c in check_colors("colors", colors)])
    out = [tuple(float(v) for v in row) for row in _simulate_array(rgb, kind, severity)]
    return out[0] if single else out


def _cam02ucs(rgb: np.ndarray) -> np.ndarray:
    colour = _colour_science()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return colour.XYZ_to_CAM02UCS(colour.sRGB_to_XYZ(rgb))


def _closest_pair(rgb: np.ndarray) -> tuple[float, tuple[int, int] | None]:
    if len(rgb) < 2:
        return float("inf"), None
    jab = _cam02ucs(rgb)
    distances = np.linalg.norm(jab[:, None, :] - jab[None, :, :], axis=-1)
    distances[np.tril_indices(len(rgb))] = np.inf
    i, j = np.unravel_index(np.argmin(distances), distances.shape)
    return float(distances[i, j]), (int(i), int(j))


@dataclass(frozen=True)
class CVDReport:
    """How distinct a set of colours stays under colour-vision deficiency.

    Attributes
    ----------
    colors : list of RGB tuples
        The colours checked, in order.
    threshold : float
        The smallest CAM02-UCS ΔE that counts as distinct.
    min_delta_e : dict
        ``{"normal": ΔE, "deuteranomaly": ΔE, ...}``: the smallest pairwise
        difference, for normal vision and each simulated kind.
    closest_pair : dict
        ``{kind: (i, j)}``: indices into ``colors`` of that closest pair
        (None with fewer than two colours).
    severity : float
        The simulated severity (0-100).
    """

    colors: list
    threshold: float
    min_delta_e: dict
    closest_pair: dict
    severity: float = 100.0
    kinds: tuple = field(default=_CVD_KINDS)

    @property
    def passed(self) -> bool:
        """True when every simulated kind keeps every pair at least ``threshold`` apart."""
        return all(self.min_delta_e[k] >= self.threshold for k in self.kinds)

    @property
    def failures(self) -> list[str]:
        """The kinds whose closest pair is below the threshold."""
        return [k for k in self.kinds if self.min_delta_e[k] < self.threshold]

    def to_frame(self):
        """One row per vision kind: min ΔE, the closest pair (as hex), and pass/fail."""
        import pandas as pd
        from matplotlib.colors import to_hex

        rows = []
        for kind in ("normal",) + tuple(self.kinds):
            pair = self.closest_pair[kind]
            rows.append({
                "vision": kind,
                "min_delta_e": self.min_delta_e[kind],
                "color_a": to_hex(self.colors[pair[0]]) if pair else None,
                "color_b": to_hex(self.colors[pair[1]]) if pair else None,
                "passed": self.min_delta_e[kind] >= self.threshold,
            })
        return pd.DataFrame(rows)

    def __str__(self) -> str:
        from matplotlib.colors import to_hex

        lines = [f"CVD check of {len(self.colors)} colours "
                 f"(threshold ΔE {self.threshold:g}, severity {self.severity:g}):"]
        for kind in ("normal",) + tuple(self.kinds):
            pair = self.closest_pair[kind]
            if pair:
                where = f"closest {to_hex(self.colors[pair[0]])} / {to_hex(self.colors[pair[1]])}"
            else:
                where = "fewer than 2 colours"
            verdict = "" if kind == "normal" else ("  ok" if self.min_delta_e[kind] >= self.threshold else "  FAIL")
            lines.append(f"  {kind:<14} min ΔE {self.min_delta_e[kind]:6.1f}  {where}{verdict}")
        lines.append("passed" if self.passed else f"failed: {', '.join(self.failures)}")
        return "\n".join(lines)


def _artist_colors(target) -> list[RGB]:
    """Distinct colours of the data artists (lines, bars, markers, fills) on an Axes or Figure."""
    from matplotlib.axes import Axes
    from matplotlib.colors import to_rgba
    from matplotlib.figure import FigureBase

    axes = target.axes if isinstance(target, FigureBase) else [target]
    found: dict[tuple, RGB] = {}
    for ax in axes:
        if not isinstance(ax, Axes):
            continue
        backdrop = _composite(to_rgba(ax.get_facecolor()), (1.0, 1.0, 1.0))
        rgba = []
        rgba += [to_rgba(line.get_color(), line.get_alpha()) for line in ax.get_lines() if line.get_visible()]
        rgba += [to_rgba(patch.get_facecolor()) for patch in ax.patches if patch.get_visible()]
        for collection in ax.collections:
            if not collection.get_visible() or collection.get_array() is not None:
                continue  # colormapped artists carry a colormap, not categorical colours
            faces = [tuple(c) for c in collection.get_facecolors() if c[3] > 0]
            rgba += faces or [tuple(c) for c in collection.get_edgecolors()]  # lines: vlines, hlines
        for color in rgba:
            if color[3] == 0:
                continue
            rgb = tuple(float(v) for v in _composite(color, backdrop))
            found.setdefault(tuple(np.round(rgb, 3)), rgb)
    return list(found.values())


def check_cvd(x, *, threshold: float = 10.0, severity: float = 100) -> CVDReport:
    """Check that colours stay distinct under each colour-vision deficiency.

    Simulates deuteranomaly, protanomaly and tritanomaly (Machado 2009) and
    measures every pair's colour difference in CAM02-UCS.

    Parameters
    ----------
    x : palette name, sequence of colours, Axes or Figure
        For an Axes or Figure, the distinct colours of its data artists
        (lines, bars, markers, filled areas; translucent ones composited on
        the Axes face) are checked.
    threshold : float, default 10
        The smallest ΔE that counts as distinct. Around 10 colours read as
        different at a glance in a chart; vizkit's default palettes keep
        their first eight colours at least 14.7 apart under every kind.
    severity : float, default 100
        Simulated severity, 0-100.

    Returns
    -------
    CVDReport
        ``.passed``, ``.min_delta_e``, ``.closest_pair``, ``.to_frame()``;
        ``print(report)`` gives a table.

    Examples
    --------
    >>> import vizkit as vk
    >>> report = vk.check_cvd(vk.palette("vizkit")[:8], threshold=14)
    >>> report.passed, round(report.min_delta_e["protanomaly"], 1)
    (True, 14.7)
    >>> vk.check_cvd("tab10").failures
    ['deuteranomaly', 'protanomaly', 'tritanomaly']
    """
    from matplotlib.axes import Axes
    from matplotlib.figure import FigureBase

    threshold = check_number("threshold", threshold, low=0)
    severity = check_number("severity", severity, low=0, high=100)
    if isinstance(x, (Axes, FigureBase)):
        colors = _artist_colors(x)
    elif isinstance(x, np.ndarray) and x.ndim == 2 and x.shape[1] in (3, 4):
        colors = palette_for("x", [tuple(row) for row in x])
    elif isinstance(x, (str, Sequence)):
        colors = palette_for("x", x)
    else:
        raise bad_type("x", "a palette name, a sequence or (n, 3) array of colours, an Axes or a Figure", x)
    rgb = np.array(colors, dtype=float).reshape(-1, 3)
    min_delta, pairs = {}, {}
    min_delta["normal"], pairs["normal"] = _closest_pair(rgb)
    for kind in _CVD_KINDS:
        simulated = _simulate_array(rgb, kind, severity) if len(rgb) else rgb
        min_delta[kind], pairs[kind] = _closest_pair(simulated)
    return CVDReport(
        colors=[tuple(float(v) for v in c) for c in rgb],
        threshold=threshold,
        min_delta_e=min_delta,
        closest_pair=pairs,
        severity=severity,
    )


# -- colours chosen against the face they are drawn on -----------------------------

#: Thin marks (lines, markers, text-sized symbols) need this contrast against the face (WCAG 1.4.11).
MARK_CONTRAST = 3.0


def face_color(ax=None) -> RGB:
    """The face a chart draws on: ``ax``'s face colour, else the active theme's (``axes.facecolor``).

    A translucent face is composited on the figure's face (on white when that is translucent too).

    >>> import vizkit as vk
    >>> with vk.theme("dark"):
    ...     vk.colors.face_color()
    (0.109..., 0.117..., 0.137...)
    """
    import matplotlib as mpl
    from matplotlib.colors import to_rgba

    if ax is None or not hasattr(ax, "get_facecolor") or not hasattr(ax, "figure"):
        face, under = mpl.rcParams["axes.facecolor"], mpl.rcParams["figure.facecolor"]
    else:
        face, under = ax.get_facecolor(), ax.figure.get_facecolor()
    base = _composite(to_rgba(under), (1.0, 1.0, 1.0))
    return tuple(float(v) for v in _composite(to_rgba(face), base))


def _is_dark(face) -> bool:
    return contrast_ratio("white", face) > contrast_ratio("black", face)


def context_grey(face=None) -> RGB:
    """The grey of "the rest" (highlight's other levels) on ``face``: de-emphasised, never brighter than data.

    :data:`GREY` on a light face, :data:`DARK_GREY` on a dark one (default: the active theme's face).

    >>> import vizkit as vk
    >>> from matplotlib.colors import to_hex
    >>> to_hex(vk.colors.context_grey("white")), to_hex(vk.colors.context_grey("#1c1e23"))
    ('#bdbdbd', '#4b4e55')
    """
    face = face_color() if face is None else check_color("face", face)[:3]
    return _to_rgb(DARK_GREY if _is_dark(face) else GREY)


def default_palette(face=None) -> str:
    """The name of vizkit's default categorical palette for ``face``: ``"vizkit"`` or ``"vizkit_dark"``.

    Both keep blue first and orange second, and every colour at least 3:1 against their face.

    >>> import vizkit as vk
    >>> vk.colors.default_palette("white"), vk.colors.default_palette("#1c1e23")
    ('vizkit', 'vizkit_dark')
    """
    face = face_color() if face is None else check_color("face", face)[:3]
    return "vizkit_dark" if _is_dark(face) else "vizkit"


def sequential_ramp(face=None, *, min_contrast: float = MARK_CONTRAST):
    """vizkit's sequential ramp for ``face``: from low to high contrast against it, every colour readable.

    On a light face the ramp runs from mid blue to navy, on a dark face from
    mid blue to near white, so high values always stand out most; it starts
    where the colour reaches ``min_contrast`` against the face (3:1 for thin
    marks, WCAG 1.4.11), so the lowest values still show.

    Parameters
    ----------
    face : colour, optional
        Default: the active theme's face.
    min_contrast : float, default 3
        Contrast of the ramp's first colour against ``face``.

    Returns
    -------
    matplotlib.colors.ListedColormap

    Examples
    --------
    >>> import vizkit as vk
    >>> ramp = vk.colors.sequential_ramp("#1c1e23")
    >>> low, high = ramp(0.0), ramp(1.0)
    >>> vk.contrast_ratio(low, "#1c1e23") >= 3 and vk.contrast_ratio(high, "#1c1e23") > 10
    True
    """
    from matplotlib.colors import ListedColormap

    face = face_color() if face is None else check_color("face", face)[:3]
    min_contrast = check_number("min_contrast", min_contrast, low=1, high=21)
    dark = _is_dark(face)
    base = _cmap_for("palette", "vizkit_seq_r" if dark else "vizkit_seq")
    samples = base(np.linspace(0, 1, 512))
    ratios = np.array([contrast_ratio(c, face) for c in samples[::8]])
    reached = np.flatnonzero(ratios >= min_contrast)
    start = (reached[0] * 8 / 511) if len(reached) else 0.0
    colors = base(np.linspace(start, 1, 256))
    return ListedColormap(colors, name=f"vizkit_seq[{'dark' if dark else 'light'} face]")


def diverging_ramp(face=None):
    """vizkit's diverging ramp for marks on ``face``: both ends stand out most, the centre recedes.

    On a light face, ``vizkit_div`` with its near-white middle lifted to the
    context grey (centred points still show); on a dark face its mirror, light
    ends running to a dark grey middle, so the extremes never sink into the face.

    >>> import vizkit as vk
    >>> ramp = vk.colors.diverging_ramp("#1c1e23")
    >>> vk.contrast_ratio(ramp(0.0), "#1c1e23") > 3 and vk.contrast_ratio(ramp(1.0), "#1c1e23") > 3
    True
    """
    from matplotlib.colors import LinearSegmentedColormap

    face = face_color() if face is None else check_color("face", face)[:3]
    if _is_dark(face):
        anchors = [(0.0, "#b9dcff"), (0.25, "#5ea3e0"), (0.5, DARK_GREY), (0.75, "#e08a3c"), (1.0, "#ffd2a8")]
        return LinearSegmentedColormap.from_list("vizkit_div[dark face]", anchors, N=256)
    ramp = _cmap_for("palette", "vizkit_div")
    grey = np.array(_to_rgb(GREY))
    samples = ramp(np.linspace(0, 1, 257))[:, :3]
    distance = np.abs(np.linspace(-1, 1, 257))[:, None]
    lift = np.clip(1 - distance / 0.35, 0, 1)  # blend towards grey within 35 % of the centre
    colors = samples * (1 - lift) + np.minimum(samples, grey) * lift
    return LinearSegmentedColormap.from_list("vizkit_div[light face]", colors, N=256)


def ramp_colors(n: int, face=None) -> list[RGB]:
    """``n`` colours of :func:`sequential_ramp` for ``face``, evenly spaced, lowest contrast first."""
    ramp = sequential_ramp(face)
    return [tuple(float(v) for v in ramp(x)[:3]) for x in (np.linspace(0, 1, n) if n > 1 else [1.0])]


def check_level_colors(colors, *, argument: str = "colors") -> None:
    """Refuse a bad ``colors=`` of a chart before anything is drawn: None or a dict of level -> colour.

    That every level has a colour is checked once the levels are known (:func:`hue_colors`).

    >>> check_level_colors(["red"])
    Traceback (most recent call last):
    ...
    vizkit._core.errors.VizkitTypeError: `colors` must be a dict of level -> colour; got ['red'] (list).
    """
    from collections.abc import Mapping

    if colors is None:
        return
    if not isinstance(colors, Mapping):
        raise bad_type(argument, "a dict of level -> colour", colors)
    for level, color in colors.items():
        check_color(f"{argument}[{level!r}]", color)


def colorbar_beside(ax, colormap, norm, label=None, *, under_legend: bool = False):
    """The colour bar of a numeric hue, beside ``ax`` on the right (where a legend goes), for every chart.

    It sits in an inset of ``ax`` just past its right edge, so layout engines
    make room for it and the Axes keep their size; ``under_legend`` puts it
    in the lower half, below a legend of the other channels (size, style).
    The bar is labelled with ``label`` (the hue column) along its right side.
    """
    import matplotlib as mpl
    from matplotlib.cm import ScalarMappable

    bounds = [1.03, 0.0, 0.035, 0.42] if under_legend else [1.03, 0.0, 0.035, 1.0]
    cax = ax.inset_axes(bounds)
    bar = ax.figure.colorbar(ScalarMappable(norm=norm, cmap=colormap), cax=cax)
    bar.outline.set_visible(False)
    cax.tick_params(length=2, labelsize=mpl.rcParams["legend.fontsize"])
    if label is not None:  # along the bar, not above it, where a long Axes title runs
        from vizkit._core.labels import axis_label

        bar.set_label(axis_label(label), fontsize=mpl.rcParams["legend.title_fontsize"])
    keep_inside(ax)  # without a layout engine, the Axes makes room for it in the figure
    return bar


_PINNED: dict = {}


def set_colors(colors=None) -> None:
    """Pin the colour of levels for every later chart: ``{"Adelie": "#283dff", ...}``.

    A pinned level keeps its colour in every chart with ``hue=`` (bar, line,
    scatter, facet, the charts of runs), whatever the other levels are; the
    other levels take the palette's colours in level order, skipping the
    pinned ones. A chart's own ``colors=`` wins over what is pinned here.
    ``set_colors()`` (or None) unpins everything, and so does
    :func:`vizkit.set_theme`.

    Parameters
    ----------
    colors : dict of level -> colour, or None

    Examples
    --------
    >>> import vizkit as vk
    >>> vk.set_colors({"AAPL": "#c10000"})
    >>> vk.colors.pinned_colors()
    {'AAPL': (0.756..., 0.0, 0.0)}
    >>> vk.set_colors()
    >>> vk.colors.pinned_colors()
    {}
    """
    from collections.abc import Mapping

    if colors is None:
        _PINNED.clear()
        return
    if not isinstance(colors, Mapping):
        raise bad_type("colors", "a dict of level -> colour (or None to unpin every level)", colors)
    checked = {level: check_color(f"colors[{level!r}]", color)[:3] for level, color in colors.items()}
    _PINNED.clear()
    _PINNED.update(checked)


def pinned_colors() -> dict:
    """The levels pinned by :func:`set_colors`, ``{level: (r, g, b)}`` (a copy)."""
    return dict(_PINNED)


# -- colours of a chart's levels (hue=, highlight=), shared by every chart --------

def _palette_colors(choice, n: int, *, face=None, warn: bool = True) -> list:
    """``n`` colours of ``choice`` (None: the active colour cycle); vizkit's default follows the face."""
    import matplotlib as mpl

    if choice is None:
        cycle = [check_color("palette", c)[:3] for c in mpl.rcParams["axes.prop_cycle"].by_key().get("color", [])]
        ours = {name: [_to_rgb(c) for c in _CATEGORICAL[name]] for name in ("vizkit", "vizkit_dark")}
        if not cycle or any(np.allclose(cycle, colors) for colors in ours.values() if len(colors) == len(cycle)):
            choice = default_palette(face)  # vizkit's palette, for the face it is drawn on
        else:
            return _repeat(cycle, n, "the colour cycle", warn=warn)
    elif isinstance(choice, str) and choice == "vizkit":
        choice = default_palette(face)
    if not n:
        return []
    if isinstance(choice, str) and choice not in _CATEGORICAL:  # a colormap: n evenly spaced colours
        return palette_for("palette", choice, n)
    colors = palette_for("palette", choice)
    return _repeat(colors, n, "the given palette", warn=warn)


def _mapping(argument: str, given, levels: list) -> dict:
    """A dict of level -> colour checked against the levels: every level needs one, each a colour."""
    from collections.abc import Mapping

    if not isinstance(given, Mapping):
        raise bad_type(argument, "a dict of level -> colour", given)
    missing = [level for level in levels if level not in given]
    if missing:
        raise bad_value(
            argument,
            "a dict with a colour for every level",
            given,
            got=f"a dict without {', '.join(map(repr, missing[:5]))}{' ...' if len(missing) > 5 else ''}",
        )
    return {level: check_color(f"{argument}[{level!r}]", given[level])[:3] for level in levels}


def _level_colors(levels: list, choice, face, *, warn: bool = True) -> dict:
    """Colours in level order; levels pinned by :func:`set_colors` keep theirs, the rest skip those colours."""
    pinned = {level: _PINNED[level] for level in levels if _hashable(level) and level in _PINNED}
    free = [level for level in levels if level not in pinned]
    taken = [np.asarray(c) for c in pinned.values()]
    candidates = _palette_colors(choice, len(levels), face=face, warn=warn and not pinned)
    spare = [c for c in candidates if not any(np.allclose(c, t, atol=1e-3) for t in taken)]
    if len(spare) < len(free):
        spare = _repeat(spare or candidates, len(free), "the palette", warn=warn)
    return {level: pinned[level] if level in pinned else spare[free.index(level)] for level in levels}


def _hashable(level) -> bool:
    try:
        hash(level)
    except TypeError:
        return False
    return True


def hue_colors(levels: list, *, palette=None, colors=None, highlight=None, repeat_ok=False, ordered=False,
               face=None) -> dict:
    """``{level: (r, g, b)}`` for the given levels, in level order.

    Parameters
    ----------
    palette : None, name, list of colours, or dict
        None takes the active colour cycle (so themes apply; vizkit's own
        palette follows the face); a dict must give a colour for every level.
    colors : dict, optional
        A chart's ``colors=``: a colour for every level (the error names the
        missing ones); wins over ``palette`` and over :func:`set_colors`.
    repeat_ok : bool
        Colours may repeat without a warning (the chart encodes levels another way too).
    highlight : level or list of levels, optional
        Those levels keep their colour; every other level turns the face's
        context grey. A focus colour that would itself read as grey (a
        low-saturation palette entry) is swapped for an unused saturated one.
    ordered : bool
        The levels have an order (an ordered Categorical, numbers): without
        a ``palette`` they take evenly spaced colours of the face's sequential ramp.
    face : colour, optional
        The face the colours are drawn on; default the active theme's.
    """
    check_palette(palette)
    face = face_color() if face is None else check_color("face", face)[:3]
    if colors is not None:
        mapping = _mapping("colors", colors, levels)
    elif isinstance(palette, dict):
        mapping = _mapping("palette", palette, levels)
    elif ordered and palette is None:
        mapping = dict(zip(levels, ramp_colors(len(levels), face) if len(levels) else [], strict=True))
        mapping.update({level: _PINNED[level] for level in levels if _hashable(level) and level in _PINNED})
    else:
        mapping = _level_colors(levels, palette, face, warn=not repeat_ok)
    if highlight is not None:
        focus = list(highlight) if isinstance(highlight, (list, tuple, set)) else [highlight]
        for level in focus:
            if level not in mapping:
                raise bad_choice("highlight", level, levels, what="levels among")
        mapping = highlight_palette(levels, focus, color=_stand_out(focus, mapping, palette),
                                    others=context_grey(face))
    return mapping


@dataclass(frozen=True)
class HueScale:
    """The colours of a chart's hue levels, and for a numeric hue with many values the ramp behind them.

    ``colormap`` and ``norm`` are set when the levels are a quantity with more
    values than a legend can list (:data:`vizkit._core.semantics.MAX_INTEGER_LEVELS`):
    the chart then draws a colour bar (:func:`colorbar_beside`) instead of a legend.
    """

    mapping: dict
    colormap: object = None
    norm: object = None

    @property
    def continuous(self) -> bool:
        return self.colormap is not None


def hue_scale(levels: list, kind: str, *, palette=None, colors=None, highlight=None, repeat_ok=False,
              face=None) -> HueScale:
    """Colours of hue levels of a given kind (``semantics.hue_kind``): the one rule bar and line share.

    ``"categorical"`` levels take the palette (:func:`hue_colors`); ``"ordered"``
    levels and numbers with few values take evenly spaced colours of the
    face's sequential ramp (a palette given as a colormap name is sampled the
    same way); numbers with more values are coloured by value along the ramp,
    with a colour bar. ``colors=``, a dict palette, a categorical palette or
    ``highlight`` make any levels categorical.

    >>> scale = hue_scale([0.001, 0.01, 0.1], "numeric", face="white")
    >>> len(set(scale.mapping.values())), scale.continuous
    (3, False)
    """
    from vizkit._core.semantics import MAX_INTEGER_LEVELS

    face = face_color() if face is None else check_color("face", face)[:3]
    categorical_palette = isinstance(palette, (dict, list, tuple, np.ndarray)) or (
        isinstance(palette, str) and palette in _CATEGORICAL)
    if kind == "categorical" or colors is not None or categorical_palette:
        return HueScale(hue_colors(levels, palette=palette, colors=colors, highlight=highlight,
                                   repeat_ok=repeat_ok, face=face))
    if kind == "numeric" and len(levels) > MAX_INTEGER_LEVELS and highlight is None:
        from matplotlib.colors import Normalize

        colormap = sequential_ramp(face) if palette is None else _cmap_for("palette", palette)
        values = np.asarray(levels, dtype=float)
        norm = Normalize(float(values.min()), float(values.max()))
        mapping = {level: tuple(float(v) for v in colormap(norm(float(level)))[:3]) for level in levels}
        return HueScale(mapping, colormap, norm)
    return HueScale(hue_colors(levels, palette=palette, highlight=highlight, repeat_ok=True, ordered=True,
                               face=face))


def _greyish(color) -> bool:
    from matplotlib.colors import rgb_to_hsv

    return rgb_to_hsv(color[:3])[1] < 0.3  # too little saturation to stand out against grey


def _stand_out(focus, mapping, choice) -> list:
    """The focus levels' colours, a greyish one swapped for a saturated palette colour no level uses."""
    chosen = [mapping[f] for f in focus]
    if not any(_greyish(c) for c in chosen):
        return chosen
    import matplotlib as mpl

    if choice is None or isinstance(choice, dict):
        every = [check_color("palette", c)[:3] for c in mpl.rcParams["axes.prop_cycle"].by_key().get("color", [])]
    else:
        every = palette_for("palette", choice)
    taken = set(mapping.values())  # a spare must not be any level's colour, in focus or not
    spares = [c for c in every + palette() if not _greyish(c) and c not in taken]
    return [spares.pop(0) if _greyish(c) and spares else c for c in chosen]


def legend_entries(mapping: dict, highlight=None, *, noun: str | None = None) -> list[tuple[str, tuple]]:
    """``[(label, colour), ...]`` for a legend: every level, or with ``highlight``
    the focus levels and one "other" entry for all the grey ones.

    With ``noun`` the "other" entry counts what it stands for: ``noun="line"``
    gives "other (4 lines)", so a direct label on one grey line still names the group.

    >>> legend_entries({"a": "C0", "b": "grey", "c": "grey"}, "a", noun="line")
    [('a', 'C0'), ('other (2 lines)', 'grey')]
    """
    if highlight is None:
        return [(str(level), color) for level, color in mapping.items()]
    focus = list(highlight) if isinstance(highlight, (list, tuple, set)) else [highlight]
    entries = [(str(level), mapping[level]) for level in mapping if level in focus]
    others = [level for level in mapping if level not in focus]
    if others:
        label = "other" if noun is None else f"other ({len(others)} {noun}{'' if len(others) == 1 else 's'})"
        entries.append((label, mapping[others[0]]))
    return entries
