"""Validate a bundle directory against docs/bundle-format.md.

    python -m feature_atlas_batch.bundle.validate <bundle-dir>

Errors read `<file>:<line>: <what>` (line 1-based; for the vector file, the
1-based vector row) or `<file>: <what>` for whole-file problems.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from . import schema as s
from .manifest import check_manifest
from .rows import RowChecker

MAX_ERRORS_PER_FILE = 20
_VECTOR_CHUNK_ROWS = 65536


def validate_bundle(path: str | Path) -> list[str]:
    """Every rule violation found in the bundle at `path`; empty when it is valid."""
    root = Path(path)
    if not root.is_dir():
        return [f"{root}: not a directory"]
    manifest, errors = _read_manifest(root)
    if manifest is None:
        return errors
    files: dict[str, dict] = manifest["files"]

    on_disk = {p.name for p in root.iterdir()}
    errors += [f"{name}: not listed in manifest.files" for name in sorted(on_disk - set(files) - {s.MANIFEST})]
    present = {name for name in files if (root / name).is_file()}
    errors += [f"{name}: listed in manifest.files but missing" for name in sorted(set(files) - present)]
    if files.get("explanations.jsonl", {}).get("rows", 0) > 0 and s.VECTORS not in files:
        errors.append(f"{s.VECTORS}: required when explanations.jsonl has rows")
    if ("decodings.jsonl" in files or "token_index.jsonl" in files) and "vocab.jsonl" not in files:
        errors.append("vocab.jsonl: required with decodings.jsonl or token_index.jsonl")
    for name in sorted(present):
        errors += _check_size_and_hash(root / name, files[name])

    model = manifest["model"]
    checker = RowChecker(n_layers=model["nLayers"], vocab_size=model["vocabSize"])
    for name in s.JSONL_FILES:
        if name in present:
            errors += _check_jsonl(root / name, files[name]["rows"], checker)
    if "vocab.jsonl" in present and model["vocabSize"] is not None and checker.vocab_rows != model["vocabSize"]:
        errors.append(f"vocab.jsonl: {checker.vocab_rows} rows, but model.vocabSize is {model['vocabSize']}")
    if s.VECTORS in present:
        errors += _check_vectors(root / s.VECTORS, files[s.VECTORS]["rows"], manifest["embedding"]["dim"],
                                 checker.explanation_rows)
    return errors


def _read_manifest(root: Path) -> tuple[dict | None, list[str]]:
    path = root / s.MANIFEST
    if not path.is_file():
        return None, [f"{s.MANIFEST}: missing"]
    try:
        manifest = _loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        return None, [f"{s.MANIFEST}: not UTF-8"]
    except ValueError as e:
        line = getattr(e, "lineno", None)
        where = f"{s.MANIFEST}:{line}" if line else s.MANIFEST
        return None, [f"{where}: not valid JSON ({getattr(e, 'msg', e)})"]
    errors = check_manifest(manifest)
    if errors:
        return None, [f"{s.MANIFEST}: {e}" for e in errors]
    return manifest, []


def _check_size_and_hash(path: Path, entry: dict) -> list[str]:
    size = path.stat().st_size
    errors = []
    if size != entry["bytes"]:
        errors.append(f"{path.name}: {size} bytes, but manifest.files says {entry['bytes']}")
    digest = sha256_file(path)
    if digest != entry["sha256"]:
        errors.append(f"{path.name}: sha256 {digest} does not match manifest.files ({entry['sha256']})")
    return errors


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _check_jsonl(path: Path, manifest_rows: int, checker: RowChecker) -> list[str]:
    errors: list[str] = []
    shown = 0
    rows = 0

    def report(line: int, what: str) -> None:
        nonlocal shown
        shown += 1
        if shown <= MAX_ERRORS_PER_FILE:
            errors.append(f"{path.name}:{line}: {what}")

    for line_no, raw, problem in _lines(path):
        rows += 1
        if problem:
            report(line_no, problem)
            checker.check(path.name, None)  # keep the checker's line count in step
            continue
        try:
            row = _loads(raw)
        except ValueError as e:
            report(line_no, f"not valid JSON ({getattr(e, 'msg', e)})")
            checker.check(path.name, None)
            continue
        for what in checker.check(path.name, row):
            report(line_no, what)
    if shown > MAX_ERRORS_PER_FILE:
        errors.append(f"{path.name}: {shown - MAX_ERRORS_PER_FILE} more errors not shown")
    if rows != manifest_rows:
        errors.append(f"{path.name}: {rows} rows, but manifest.files says {manifest_rows}")
    return errors


def _lines(path: Path) -> Iterator[tuple[int, str, str | None]]:
    """(1-based line number, text, problem) for each line of a JSONL file."""
    with open(path, "rb") as f:
        line_no = 0
        for raw in f:
            line_no += 1
            if not raw.endswith(b"\n"):
                yield line_no, "", "the last line must end with \\n"
                continue
            body = raw[:-1]
            if body.endswith(b"\r"):
                yield line_no, "", "line ends must be \\n, not \\r\\n"
            elif not body.strip():
                yield line_no, "", "blank line"
            else:
                try:
                    yield line_no, body.decode("utf-8"), None
                except UnicodeDecodeError:
                    yield line_no, "", "not UTF-8"


def _check_vectors(path: Path, manifest_rows: int, dim: int, explanation_rows: int) -> list[str]:
    name = path.name
    size = path.stat().st_size
    if size % (dim * 4) != 0:
        return [f"{name}: {size} bytes is not a whole number of {dim}-dimensional float32 vectors"]
    rows = size // (dim * 4)
    errors = []
    if rows != manifest_rows:
        errors.append(f"{name}: {rows} vectors, but manifest.files says {manifest_rows}")
    if rows != explanation_rows:
        errors.append(f"{name}: {rows} vectors, but explanations.jsonl has {explanation_rows} rows")
    if rows == 0:
        return errors
    vectors = np.memmap(path, dtype="<f4", mode="r", shape=(rows, dim))
    bad = 0
    for start in range(0, rows, _VECTOR_CHUNK_ROWS):
        chunk = np.asarray(vectors[start:start + _VECTOR_CHUNK_ROWS], dtype=np.float64)
        norms = np.linalg.norm(chunk, axis=1)
        wrong = np.flatnonzero(~np.isfinite(norms) | (np.abs(norms - 1.0) > s.UNIT_NORM_TOLERANCE))
        for i in wrong:
            bad += 1
            if bad <= MAX_ERRORS_PER_FILE:
                errors.append(f"{name}:{start + i + 1}: vector has L2 norm {norms[i]:.6g}, must be 1 (normalized)")
    if bad > MAX_ERRORS_PER_FILE:
        errors.append(f"{name}: {bad - MAX_ERRORS_PER_FILE} more errors not shown")
    return errors


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise ValueError(f"duplicate key {dup!r}")
    return obj


def _loads(text: str) -> Any:
    return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicate_keys)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m feature_atlas_batch.bundle.validate",
                                     description="Check a bundle directory against docs/bundle-format.md.")
    parser.add_argument("bundle", type=Path)
    args = parser.parse_args(argv)
    errors = validate_bundle(args.bundle)
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        print(f"refused: {args.bundle} ({len(errors)} errors)", file=sys.stderr)
        return 1
    manifest = json.loads((args.bundle / s.MANIFEST).read_text(encoding="utf-8"))
    counts = ", ".join(f"{n} {v['rows']}" for n, v in sorted(manifest["files"].items()))
    print(f"ok: {args.bundle} ({counts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
