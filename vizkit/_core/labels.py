"""Text vizkit writes on a chart: from data (never math), from the user (math only when valid), axis labels.

Matplotlib reads any text with an even number of unescaped dollar signs as
mathtext: "Price $5 and $10" loses both signs and sets "5 and " in italics,
and text that is not valid mathtext ("$$", "$\\bad$") raises a raw
``ParseException`` when the figure draws. vizkit writes two kinds of text:

- text that comes from data (column names, levels, run names): shown
  exactly as written, never parsed as math (:func:`plain`);
- text the user passes (titles, notes, labels): mathtext when it is valid
  mathtext with TeX's dollar delimiters (an opening ``$`` followed by a
  non-space, a closing ``$`` preceded by a non-space and not followed by a
  digit: pandoc's rule, so prices are not math), else shown as typed
  (:func:`user_text`).

Both work by escaping dollar signs (``\\$``), which every Text, legend entry
and tick label honours, wherever Matplotlib later copies the string.
"""

from __future__ import annotations

import functools
import re

__all__ = ["axis_label", "plain", "user_text"]

_UNESCAPED_DOLLAR = re.compile(r"(?<!\\)\$")


def plain(value) -> str:
    """``value`` as text from data: shown as written, never parsed as mathtext.

    >>> plain("cost $ (USD) $")
    'cost \\\\$ (USD) \\\\$'
    >>> plain(2013)
    '2013'
    """
    return str(value).replace("$", r"\$")


def _delimited_like_tex(text: str) -> bool:
    """Every pair of unescaped dollars opens and closes math as TeX (pandoc) reads it."""
    positions = [m.start() for m in _UNESCAPED_DOLLAR.finditer(text)]
    if not positions or len(positions) % 2:
        return False
    for start, end in zip(positions[::2], positions[1::2], strict=True):
        inner = text[start + 1:end]
        if not inner or inner[0].isspace() or inner[-1].isspace():
            return False
        if end + 1 < len(text) and text[end + 1].isdigit():
            return False
    return True


@functools.lru_cache(maxsize=512)
def _is_valid_math(text: str) -> bool:
    if not _delimited_like_tex(text):
        return False
    from matplotlib.mathtext import MathTextParser

    try:
        MathTextParser("path").parse(text)
    except Exception:  # noqa: BLE001 - pyparsing's errors (ParseException, ParseFatalException, ValueError)
        return False
    return True


def user_text(value: str) -> str:
    """Text the user passed: kept for Matplotlib when it is valid mathtext, else shown as typed.

    >>> user_text(r"$\\alpha$ = 0.05")
    '$\\\\alpha$ = 0.05'
    >>> user_text("Price $5 and $10")
    'Price \\\\$5 and \\\\$10'
    """
    if "$" not in value or _is_valid_math(value):
        return value
    return _UNESCAPED_DOLLAR.sub(r"\\$", value)


def axis_label(name) -> str:
    """The axis label a chart writes for a column ``name`` (text from data: never math).

    >>> axis_label("cost $ (USD) $")
    'cost \\\\$ (USD) \\\\$'
    """
    return plain(name)
