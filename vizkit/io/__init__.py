"""Run logs without torch: the writer and the readers (docs/run_format.md).

``vizkit.torch.Run`` is a thin torch-aware layer over :class:`RunWriter`;
the readers also understand TensorBoard event folders and Lightning / Keras
CSV logs, so their users get the same charts.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "RunWriter": "vizkit.io.writer",
    "read_arrays": "vizkit.io.arrays",
    "read_run": "vizkit.io.readers",
    "read_runs": "vizkit.io.readers",
    "follow_run": "vizkit.io.follow",
    "RunFollower": "vizkit.io.follow",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'vizkit.io' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
