"""vizkit's exception classes and the one place their messages are worded.

Every message follows one pattern (conventions.md §4): the argument in
backticks, what is allowed, what arrived, and a hint where one helps::

    `y` names a column that is not in `data`: 'val_acc'. Columns: 'epoch', 'loss', 'val_loss'. Did you mean 'val_loss'?
    `every` must be a positive int; got 2.5 (float).

Public code raises through the builders below, never by formatting its own
strings, so the wording stays uniform and tests can match it.
"""

from __future__ import annotations

import difflib
import sys
import warnings
from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "VizkitError",
    "VizkitValueError",
    "VizkitTypeError",
    "ColumnNotFoundError",
    "MissingDependencyError",
    "bad_value",
    "closest",
    "bad_type",
    "bad_choice",
    "missing_column",
    "missing_dependency",
    "missing_argument",
    "describe_value",
    "user_warning",
]

_MAX_LISTED = 40


class VizkitError(Exception):
    """Base class of every error vizkit raises on purpose.

    Catch this to handle any vizkit complaint about its input; each concrete
    error is also a builtin ``ValueError``, ``TypeError`` or ``ImportError``.
    """


class VizkitValueError(VizkitError, ValueError):
    """An argument has the right type but a value vizkit cannot use."""


class VizkitTypeError(VizkitError, TypeError):
    """An argument has a type vizkit cannot use."""


class ColumnNotFoundError(VizkitValueError, KeyError):
    """A column name given to a chart is not in its ``data``.

    Attributes
    ----------
    argument : str
        The argument that named the column (``"x"``, ``"hue"``, ...).
    column : object
        The name that was not found.
    columns : list
        The columns that do exist.
    """

    def __init__(self, message: str, *, argument: str, column, columns):
        super().__init__(message)
        self.argument = argument
        self.column = column
        self.columns = list(columns)

    def __str__(self) -> str:  # KeyError would repr() the message
        return self.args[0]


class MissingDependencyError(VizkitError, ImportError):
    """An optional package is needed for this call; the message names the extra."""


def describe_value(value) -> str:
    """Short repr of ``value`` with its type, as used after "got" in messages."""
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def _quoted_list(items: Iterable) -> str:
    items = [repr(i) for i in items]
    if len(items) > _MAX_LISTED:
        hidden = len(items) - _MAX_LISTED
        items = items[:_MAX_LISTED] + [f"... ({hidden} more)"]
    return ", ".join(items)


def closest(value, options: Iterable, *, cutoff: float = 0.5):
    """The one of ``options`` that ``value`` is most likely a typo of, or None.

    The same text in other case first, then :func:`difflib.get_close_matches`
    above ``cutoff`` (0.5 for "did you mean" hints; 0.8 to decide that a name
    *is* a typo of another).

    >>> closest("colour", ["color", "alpha"]), closest("Alpha", ["color", "alpha"]), closest("zz", ["color"])
    ('color', 'alpha', None)
    """
    if not isinstance(value, str):
        return None
    by_text = {str(o): o for o in options}
    lowered = {k.lower(): k for k in by_text}
    if value.lower() in lowered:
        return by_text[lowered[value.lower()]]
    hits = difflib.get_close_matches(value, list(by_text), n=1, cutoff=cutoff)
    return by_text[hits[0]] if hits else None


def _close_match(value, options: Iterable) -> str:
    """' Did you mean 'x'?' for a string close to one of ``options``, else ''."""
    near = closest(value, options)
    return "" if near is None else f" Did you mean {near!r}?"


def bad_value(argument: str, expected: str, value, *, hint: str = "", got: str | None = None) -> VizkitValueError:
    """`argument` must be <expected>; got <value>. (``got`` replaces the value's repr.)"""
    message = f"`{argument}` must be {expected}; got {describe_value(value) if got is None else got}."
    return VizkitValueError(f"{message} {hint}".rstrip())


def bad_type(argument: str, expected: str, value, *, hint: str = "", got: str | None = None) -> VizkitTypeError:
    """`argument` must be <expected>; got <value> (<type>). (``got`` replaces the value's repr.)"""
    message = f"`{argument}` must be {expected}; got {describe_value(value) if got is None else got}."
    return VizkitTypeError(f"{message} {hint}".rstrip())


def bad_choice(
    argument: str, value, choices: Iterable, *, what: str = "one of", listed: bool = True, suffix: str = ""
) -> VizkitValueError:
    """`argument` must be one of 'a', 'b'; got 'c'. Did you mean 'a'?

    ``listed=False`` leaves the choices out of the message (for long lists
    such as every rcParam) but still suggests the closest one; ``suffix``
    is added after the list ("or any Matplotlib colormap name").
    """
    choices = list(choices)
    allowed = f"{what} {_quoted_list(choices)}" if listed else what
    message = (
        f"`{argument}` must be {allowed}{suffix}; "
        f"got {describe_value(value)}.{_close_match(value, choices)}"
    )
    return VizkitValueError(message)


def missing_column(argument: str, column, columns: Iterable) -> ColumnNotFoundError:
    """`argument` names a column that is not in `data`: 'c'. Columns: ... Did you mean ...?"""
    columns = list(columns)
    listed = _quoted_list(columns) if columns else "(none: `data` has no columns)"
    message = (
        f"`{argument}` names a column that is not in `data`: {column!r}. "
        f"Columns: {listed}.{_close_match(column, columns)}"
    )
    return ColumnNotFoundError(message, argument=argument, column=column, columns=columns)


def missing_argument(argument: str, expected: str) -> VizkitTypeError:
    """`argument` is required: <expected>; got None.

    >>> print(missing_argument("x", "a column name of `data` or a vector"))
    `x` is required: a column name of `data` or a vector; got None.
    """
    return VizkitTypeError(f"`{argument}` is required: {expected}; got None.")


def missing_dependency(what: str, package: str, extra: str) -> MissingDependencyError:
    """<what> needs the <package> package; install it with pip install 'vizkit[extra]'."""
    return MissingDependencyError(
        f"{what} needs the {package!r} package, which is not installed. "
        f"Install it with: pip install 'vizkit[{extra}]'"
    )


# ---------------------------------------------------------------- warnings
_PACKAGE_DIR = str(Path(__file__).resolve().parents[1])  # vizkit/


def user_warning(message: str, category: type[Warning] = UserWarning) -> None:
    """Warn, attributing the warning to the first line outside vizkit: the user's call.

    Instead of a hand-counted ``stacklevel``, which is wrong as soon as a
    chart is called through another (``facet`` calling ``bar``, ``dashboard``
    calling ``curves``), the stack is walked up to the first frame whose file
    is not inside the vizkit package.
    """
    level, frame = 2, sys._getframe(1)
    while frame is not None and str(Path(frame.f_code.co_filename).resolve()).startswith(_PACKAGE_DIR):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)
