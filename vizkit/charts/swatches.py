"""Drawing palettes: swatches of colour, in rows as seen with each colour-vision deficiency."""

from __future__ import annotations

from vizkit import colors as _colors
from vizkit._core import attach_data, bad_value, check_number, target_ax
from vizkit._core.kwargs import ArtistKws, check_artist_kws

__all__ = ["swatches"]

_ROW_NAMES = {"normal": "normal", "deuteranomaly": "deutan", "protanomaly": "protan", "tritanomaly": "tritan"}
_GAP = 0.08
_SWATCH_INCHES = 0.45  # a swatch's side in a figure swatches makes itself
MAX_SWATCHES = 256  # a wider strip cannot be told apart, and the pairwise ΔE grows as n²


def _swatch_kws() -> ArtistKws:
    from matplotlib.patches import Rectangle

    reason = "unset: {} shows the swatch's colour, or marks the closest pair"
    reserved = {key: reason.format(key) for key in ("color", "facecolor", "edgecolor", "linewidth")}
    reserved |= {key: "unset: swatches are placed in a grid, one square each"
                 for key in ("x", "y", "xy", "width", "height", "bounds", "angle")}
    return ArtistKws(Rectangle, reserved=reserved)


def _own_axes(n_colors: int, n_rows: int):
    """A new figure just big enough for ``n_rows`` strips of ``n_colors`` swatches and their ΔE notes."""
    import matplotlib.pyplot as plt

    width = min(12.0, max(4.0, _SWATCH_INCHES * (n_colors + 2.6) + 0.8))  # + 0.8: the row names
    height = _SWATCH_INCHES * n_rows + 0.3
    return plt.subplots(figsize=(width, height), layout="constrained")[1]


def swatches(colors=None, *, n=None, cvd=True, severity=100, threshold=10, ax=None, **patch_kws):
    """Draw a palette as a strip of swatches, with one row per colour-vision deficiency.

    The first row shows the colours as they are; with ``cvd=True`` the rows
    below show them simulated under deuteranomaly, protanomaly and
    tritanomaly (Machado 2009). Each row ends with its smallest pairwise
    colour difference (CAM02-UCS ΔE) and a tick or cross against
    ``threshold``; the two swatches of that closest pair are outlined.

    Parameters
    ----------
    colors : palette name or sequence of colours, optional
        Anything :func:`vizkit.palette` accepts; default vizkit's palette.
    n : int, optional
        Number of colours (samples, for a sequential or diverging palette),
        at most 256.
    cvd : bool, default True
        Add the simulated rows.
    severity : float, default 100
        Simulated severity, 0-100.
    threshold : float, default 10
        ΔE below which a row is marked as failing.
    ax : matplotlib.axes.Axes, optional
        Where to draw; default a new figure sized to the strip (a palette is
        a figure of its own: drawn on the current Axes, it would land on
        the last chart's axes).
    **patch_kws
        Passed to each swatch's ``Rectangle`` (``alpha``, ``hatch``, ...; the
        face is the swatch's colour and the outline marks the closest pair).

    Returns
    -------
    matplotlib.axes.Axes
        ``vizkit.plotted_data(ax)`` holds one row per swatch: ``vision``,
        ``position``, ``color`` (hex), ``min_delta_e`` of its row and
        ``closest`` (part of the closest pair).

    See Also
    --------
    vizkit.check_cvd : the same numbers as a report.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import vizkit as vk
    >>> fig, ax = plt.subplots(figsize=(6, 2))
    >>> ax = vk.swatches("okabe_ito", ax=ax)
    >>> vk.plotted_data(ax).groupby("vision")["min_delta_e"].first().round(1).to_dict()
    {'deutan': 14.8, 'normal': 20.8, 'protan': 14.0, 'tritan': 11.0}
    >>> plt.close(fig)
    >>> ax = vk.swatches("tab10", cvd=False)  # no ax: a figure of its own, sized to the strip
    >>> ax.figure.get_size_inches().round(2).tolist()
    [6.47, 0.75]
    >>> plt.close(ax.figure)
    """
    import pandas as pd
    from matplotlib.colors import to_hex
    from matplotlib.patches import Rectangle

    kws = check_artist_kws(patch_kws, _swatch_kws(), argument="patch_kws")
    n = check_number("n", n, integer=True, low=1, high=MAX_SWATCHES, allow_none=True)
    palette = _colors.palette_for("colors", colors, n)  # errors name `colors`, this function's argument
    if len(palette) > MAX_SWATCHES:
        raise bad_value("colors", f"at most {MAX_SWATCHES} colours (a wider strip cannot be told apart)", colors,
                        got=f"{len(palette)} colours")
    report = _colors.check_cvd(palette, threshold=threshold, severity=severity)
    kinds = ["normal"] + (list(report.kinds) if cvd else [])
    ax = target_ax(ax) if ax is not None else _own_axes(len(palette), len(kinds))
    rows = []
    for r, kind in enumerate(kinds):
        shown = palette if kind == "normal" else _colors.simulate_cvd(palette, kind, severity)
        pair = report.closest_pair[kind] or ()
        for i, color in enumerate(shown):
            closest = i in pair
            ax.add_patch(Rectangle(
                (i + _GAP / 2, r + _GAP / 2), 1 - _GAP, 1 - _GAP, facecolor=color,
                edgecolor=ax.xaxis.label.get_color() if closest else "none",
                linewidth=1.6 if closest else 0, **kws,
            ))
            rows.append({"vision": _ROW_NAMES[kind], "position": i, "color": to_hex(color),
                         "min_delta_e": report.min_delta_e[kind], "closest": closest})
        passed = report.min_delta_e[kind] >= threshold
        mark = "" if kind == "normal" else ("  ✓" if passed else "  ✗")
        ax.text(len(palette) + 0.15, r + 0.5, f"min ΔE {report.min_delta_e[kind]:.1f}{mark}",
                va="center", ha="left", fontsize="small")
    ax.set_xlim(0, len(palette) + 2.6)
    ax.set_ylim(len(kinds), 0)
    ax.set_yticks([r + 0.5 for r in range(len(kinds))], [_ROW_NAMES[k] for k in kinds])
    ax.set_xticks([])
    ax.tick_params(axis="y", length=0)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    attach_data(ax, pd.DataFrame(rows), chart="swatches")
    return ax

