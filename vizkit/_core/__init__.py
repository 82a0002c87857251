"""Shared machinery under every public function: validation, errors, Axes, statistics.

Lowest layer of vizkit: it imports nothing from the rest of the package. Its
names load on first use (PEP 562), so ``import vizkit``, which imports
:mod:`vizkit._core.lazy`, stays cheap; the rest of vizkit imports what it
needs from here (``from vizkit._core import bad_value``) or from the module
that defines it.
"""

from vizkit._core.lazy import lazy_exports

_EXPORTS = {
    name: f"vizkit._core.{module}"
    for module, names in {
        "axes": ("attach_data", "axis_number", "before_draw", "plotted_data", "target_ax"),
        "display": ("Display",),
        "errors": ("ColumnNotFoundError", "MissingDependencyError", "VizkitError", "VizkitTypeError",
                   "VizkitValueError", "bad_choice", "bad_type", "bad_value", "describe_value", "missing_column",
                   "missing_dependency"),
        "validate": ("check_axes", "check_choice", "check_color", "check_colors", "check_number",
                     "resolve_column", "resolve_data", "tidy"),
    }.items()
    for name in names
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports("vizkit._core", _EXPORTS)
