"""Shared helpers of the bundle tests: a valid bundle to start from, and edits that keep checksums right."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from feature_atlas_batch.bundle.golden import golden_explanations, write_golden_bundle


def unit_vectors(n: int, dim: int = 384, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def make_bundle(path: Path) -> Path:
    """The golden bundle's rows with random unit vectors (no embedding model needed)."""
    return write_golden_bundle(path, unit_vectors(len(golden_explanations())))


def read_lines(bundle: Path, name: str) -> list[str]:
    return (bundle / name).read_text(encoding="utf-8").splitlines(keepends=True)


def rewrite(bundle: Path, name: str, data: bytes | str, rows: int | None = None) -> None:
    """Replace a file and fix its manifest entry, so only the content itself is wrong."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    (bundle / name).write_bytes(raw)
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["files"].setdefault(name, {})
    entry["bytes"] = len(raw)
    entry["sha256"] = hashlib.sha256(raw).hexdigest()
    entry["rows"] = rows if rows is not None else raw.count(b"\n")
    write_manifest(bundle, manifest)


def edit_row(bundle: Path, name: str, line: int, **changes: object) -> None:
    """Change keys of the row on 1-based `line` (a value of `...` deletes the key)."""
    lines = read_lines(bundle, name)
    row = json.loads(lines[line - 1])
    for k, v in changes.items():
        if v is ...:
            del row[k]
        else:
            row[k] = v
    lines[line - 1] = json.dumps(row, ensure_ascii=False) + "\n"
    rewrite(bundle, name, "".join(lines))


def load_manifest(bundle: Path) -> dict:
    return json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))


def write_manifest(bundle: Path, manifest: dict) -> None:
    (bundle / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
