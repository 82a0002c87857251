"""The one argument every architecture takes: ``num_classes``."""

from __future__ import annotations

import numbers

from vizkit._core.errors import bad_type, bad_value


def check_num_classes(num_classes) -> int:
    """``num_classes`` as an int of at least 1, else a vizkit error naming it."""
    if isinstance(num_classes, bool) or not isinstance(num_classes, numbers.Integral):
        raise bad_type("num_classes", "a whole number of classes (an int)", num_classes)
    if num_classes < 1:
        raise bad_value("num_classes", "at least 1", num_classes)
    return int(num_classes)


def on_meta(model) -> bool:
    """Whether ``model``'s weights are on the meta device: then initialising them is pointless (and the first
    ``normal_`` there costs seconds), so the architectures skip their weight initialisation."""
    return any(p.is_meta for p in model.parameters())
