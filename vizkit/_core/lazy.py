"""PEP 562 lazy exports: a package's public names load their module on first use.

Standard library only, so ``import vizkit`` stays cheap and torch-free.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable, Mapping


def lazy_exports(package: str, exports: Mapping[str, str], submodules: Iterable[str] | Mapping[str, str] = ()):
    """``(__getattr__, __dir__)`` for ``package``: ``exports`` maps a name to its module.

    A resolved name is cached in the package's namespace, so the lookup runs
    once per name. ``submodules`` are names imported as ``package.<name>``,
    or a mapping from a name to the module it stands for (a module that moved
    keeps its old name as an alias).
    """
    if not isinstance(submodules, Mapping):
        submodules = {name: f"{package}.{name}" for name in submodules}
    public = set(exports) | set(submodules)

    def __getattr__(name: str):
        if name in exports:
            value = getattr(importlib.import_module(exports[name]), name)
        elif name in submodules:
            value = importlib.import_module(submodules[name])
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | public)

    return __getattr__, __dir__
