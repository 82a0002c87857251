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

__all__ = ["axis_label", "label_axis", "plain", "user_text"]

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


# Units a column name may end in (``bill_length_mm``), as written in a label.
_UNITS = {
    "mm": "mm", "cm": "cm", "m": "m", "km": "km", "mg": "mg", "g": "g", "kg": "kg", "lb": "lb",
    "ms": "ms", "s": "s", "sec": "s", "min": "min", "hr": "h", "mph": "mph", "kmh": "km/h",
    "pct": "%", "percent": "%", "usd": "USD", "eur": "EUR", "gbp": "GBP",
    "hz": "Hz", "khz": "kHz", "kb": "kB", "mb": "MB", "gb": "GB", "px": "px", "ml": "mL",
    "deg": "°", "degc": "°C", "degf": "°F", "kw": "kW", "kwh": "kWh", "mw": "MW",
}
# Words written in capitals wherever they appear in a name (``val_auc``: "Val AUC").
_ACRONYMS = frozenset({"lr", "id", "auc", "roc", "f1", "mse", "rmse", "mae", "gdp", "cpu", "gpu", "pca", "url",
                       "usa", "uk", "eu", "co2", "pm10", "pm25", "ci", "sd", "se", "bmi", "hdl", "ldl", "od280", "od315"})
_SPELLED_OUT = {"acc": "accuracy"}  # log names shortened by convention (Keras' "acc", "val_acc")
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[_ ][A-Za-z0-9]+)*")


def axis_label(name) -> str:
    """The label a chart writes for a column ``name``: words, first letter capitalised, units in parentheses.

    A snake_case or lower-case name reads as words (``temp_max``: "Temp
    max", ``learning rate``: "Learning rate"), with a known unit suffix in parentheses (``bill_length_mm``:
    "Bill length (mm)", ``share_pct``: "Share (%)") and known acronyms in
    capitals (``lr``: "LR", ``val_auc``: "Val AUC"), ``acc`` spelled out; any other name (with
    spaces, capitals or symbols) is kept as written. Either way it is text
    from data: never read as math.

    >>> axis_label("bill_length_mm"), axis_label("temp_max"), axis_label("GDP_per_capita_usd")
    ('Bill length (mm)', 'Temp max', 'GDP per capita (USD)')
    >>> axis_label("Body mass (g)"), axis_label("AAPL"), axis_label(2013)
    ('Body mass (g)', 'AAPL', '2013')
    >>> axis_label("acc"), axis_label("val_acc")
    ('Accuracy', 'Val accuracy')
    >>> axis_label("cost $ (USD) $")
    'cost \\\\$ (USD) \\\\$'
    """
    text = str(name)
    if _IDENTIFIER.fullmatch(text) and ("_" in text or text.islower()):
        words = text.replace(" ", "_").split("_")
        unit = _UNITS.get(words[-1].lower()) if len(words) > 1 else None
        if unit is not None:
            words.pop()
        phrase = " ".join(word.upper() if word.lower() in _ACRONYMS else _SPELLED_OUT.get(word, word) for word in words)
        text = phrase[0].upper() + phrase[1:] + (f" ({unit})" if unit else "")
    return plain(text)


def label_axis(axis, name) -> None:
    """Label ``axis`` (``ax.xaxis`` or ``ax.yaxis``) for the column ``name``, unless it has a label already.

    The one rule of every chart: a label the user set (``ax.set_xlabel``
    before the chart) is kept exactly; ``name`` None leaves the axis alone.
    """
    if name is None or axis.get_label_text():
        return
    axis.set_label_text(axis_label(name))
