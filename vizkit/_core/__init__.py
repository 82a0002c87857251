"""Shared machinery under every public function: validation, errors, Axes.

Lowest layer of vizkit: it imports nothing from the rest of the package.
"""

from vizkit._core.axes import attach_data, axis_number, before_draw, plotted_data, target_ax
from vizkit._core.errors import (
    ColumnNotFoundError,
    MissingDependencyError,
    VizkitError,
    VizkitTypeError,
    VizkitValueError,
    bad_choice,
    bad_type,
    bad_value,
    describe_value,
    missing_column,
    missing_dependency,
)
from vizkit._core.validate import (
    check_axes,
    check_choice,
    check_color,
    check_colors,
    check_number,
    resolve_column,
    resolve_data,
    tidy,
)

__all__ = [
    "ColumnNotFoundError",
    "MissingDependencyError",
    "VizkitError",
    "VizkitTypeError",
    "VizkitValueError",
    "attach_data",
    "axis_number",
    "bad_choice",
    "before_draw",
    "bad_type",
    "bad_value",
    "check_axes",
    "check_choice",
    "check_color",
    "check_colors",
    "check_number",
    "describe_value",
    "missing_column",
    "missing_dependency",
    "plotted_data",
    "resolve_column",
    "resolve_data",
    "target_ax",
    "tidy",
]
