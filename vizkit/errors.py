"""The exceptions vizkit raises, for ``except`` clauses and tests.

Every vizkit error is a subclass of :class:`VizkitError` and of the builtin
that fits (``ValueError``, ``TypeError``, ``ImportError``), so existing
handlers keep working::

    try:
        vk.palette("viridiss")
    except vk.errors.VizkitValueError as error:
        print(error)
"""

from vizkit._core.errors import (
    ColumnNotFoundError,
    MissingDependencyError,
    VizkitError,
    VizkitTypeError,
    VizkitValueError,
)

__all__ = [
    "VizkitError",
    "VizkitValueError",
    "VizkitTypeError",
    "ColumnNotFoundError",
    "MissingDependencyError",
]
