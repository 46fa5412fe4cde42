"""Rules of manifest.json (docs/bundle-format.md, "manifest.json")."""

from __future__ import annotations

from typing import Any

from . import checks as c
from . import schema as s

MANIFEST_KEYS = ("format", "formatVersion", "bundleId", "createdAt", "producer", "source", "model", "embedding", "files")
PRODUCER_KEYS = ("name", "version")
SOURCE_KEYS = ("kind", "origin", "license")
MODEL_KEYS = ("id", "displayName", "architecture", "nLayers", "dModel", "dMlp", "vocabSize")
EMBEDDING_KEYS = ("model", "dim", "pooling", "normalized", "dtype")
FILE_ENTRY_KEYS = ("rows", "bytes", "sha256")


def check_manifest(m: Any) -> list[str]:
    """Errors of a parsed manifest, as phrases without the file prefix."""
    if not isinstance(m, dict):
        return ["must be a JSON object"]
    errors = c.keys(m, MANIFEST_KEYS)
    if m.get("format") != s.FORMAT:
        errors.append(f"format must be {s.FORMAT!r}, got {c.short(m.get('format'))}")
    if m.get("formatVersion") != s.FORMAT_VERSION or not c.is_int(m.get("formatVersion")):
        errors.append(f"formatVersion {c.short(m.get('formatVersion'))} is not supported (expected {s.FORMAT_VERSION})")
    _put(errors, "bundleId", c.matches(m.get("bundleId"), s.BUNDLE_ID_RE))
    _put(errors, "createdAt", c.matches(m.get("createdAt"), s.CREATED_AT_RE))
    errors += _object(m, "producer", PRODUCER_KEYS, {
        "name": lambda v: c.text(v),
        "version": lambda v: c.text(v),
    })
    errors += _object(m, "source", SOURCE_KEYS, {
        "kind": lambda v: c.one_of(v, s.SOURCE_KINDS),
        "origin": lambda v: c.text(v),
        "license": lambda v: c.text(v, nullable=True),
    })
    errors += _object(m, "model", MODEL_KEYS, {
        "id": lambda v: c.matches(v, s.MODEL_ID_RE),
        "displayName": lambda v: c.text(v, nullable=True),
        "architecture": lambda v: c.text(v, nullable=True),
        "nLayers": lambda v: c.int_at_least(v, 1, nullable=True),
        "dModel": lambda v: c.int_at_least(v, 1, nullable=True),
        "dMlp": lambda v: c.int_at_least(v, 1, nullable=True),
        "vocabSize": lambda v: c.int_at_least(v, 1, nullable=True),
    })
    errors += _object(m, "embedding", EMBEDDING_KEYS, {
        "model": lambda v: c.text(v),
        "dim": lambda v: c.int_at_least(v, 1),
        "pooling": lambda v: c.text(v),
        "normalized": lambda v: None if v is True else f"must be true, got {c.short(v)}",
        "dtype": lambda v: None if v == "float32" else f"must be 'float32', got {c.short(v)}",
    })
    files = m.get("files")
    if not isinstance(files, dict):
        errors.append("files must be an object")
    else:
        for name, entry in files.items():
            if name not in s.DATA_FILES:
                errors.append(f"files: {name!r} is not a bundle file")
                continue
            errors += _object(files, name, FILE_ENTRY_KEYS, {
                "rows": lambda v: c.int_at_least(v, 0),
                "bytes": lambda v: c.int_at_least(v, 0),
                "sha256": lambda v: c.matches(v, s.SHA256_RE),
            }, prefix="files.")
        if "saes.jsonl" not in files:
            errors.append("files: saes.jsonl is required")
    return errors


def _put(errors: list[str], name: str, problem: str | None) -> None:
    if problem:
        errors.append(f"{name} {problem}")


def _object(parent: dict, key: str, required: tuple[str, ...], rules: dict, prefix: str = "") -> list[str]:
    obj = parent.get(key)
    name = prefix + key
    if not isinstance(obj, dict):
        return [] if key not in parent else [f"{name} must be an object"]
    errors = [f"{name}: {p}" for p in c.keys(obj, required)]
    for field, rule in rules.items():
        if field in obj:
            _put(errors, f"{name}.{field}", rule(obj[field]))
    return errors
