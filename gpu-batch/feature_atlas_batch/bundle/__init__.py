"""Bundle format version 1: writer and validator (see docs/bundle-format.md).

Names are loaded on first use, so that `python -m feature_atlas_batch.bundle.validate`
does not find its own module already imported by this package.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "FORMAT": "schema",
    "FORMAT_VERSION": "schema",
    "validate_bundle": "validate",
    "BundleError": "writer",
    "BundleWriter": "writer",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
