"""Stream rows and vectors into a bundle directory, manifest last, atomically.

Rows go straight to disk as they are added (a bundle of millions of rows never
sits in memory); each row is checked by the same rules the validator applies,
so a bad row fails where it is made, not at ingest. Files are written into a
scratch directory beside the target, which replaces the target only once the
manifest is written and the whole bundle validates.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any, Iterable

import numpy as np

from .. import __version__
from . import schema as s
from .manifest import check_manifest
from .rows import _FIELDS, RowChecker
from .validate import validate_bundle

PRODUCER = {"name": "feature-atlas-batch", "version": __version__}


class BundleError(ValueError):
    """A row, vector or manifest that breaks docs/bundle-format.md."""


class _Sink:
    """One output file, with the row count, size and sha256 the manifest needs."""

    def __init__(self, path: Path) -> None:
        self.file: IO[bytes] = open(path, "wb")
        self.sha = hashlib.sha256()
        self.bytes = 0
        self.rows = 0

    def write(self, data: bytes, rows: int) -> None:
        self.file.write(data)
        self.sha.update(data)
        self.bytes += len(data)
        self.rows += rows

    def entry(self) -> dict:
        return {"rows": self.rows, "bytes": self.bytes, "sha256": self.sha.hexdigest()}


class BundleWriter:
    """Writes one bundle.

    A row may only refer to what was added before it: SAEs first, vocab before
    decodings and the token index, an explanation before its scores. Use as a
    context manager, or call `close()` (which publishes) or `abort()` (which
    discards). After a `BundleError` the writer's counts are no longer
    trustworthy: abort it.
    """

    def __init__(
        self,
        out_dir: str | Path,
        bundle_id: str,
        model: dict,
        embedding: dict,
        source: dict,
        *,
        created_at: str | None = None,
        overwrite: bool = False,
        validate: bool = True,
    ) -> None:
        self.out_dir = Path(out_dir)
        if self.out_dir.exists() and any(self.out_dir.iterdir()) and not overwrite:
            raise FileExistsError(f"{self.out_dir} is not empty (pass overwrite=True to replace it)")
        self.overwrite = overwrite
        self.validate = validate
        self.manifest: dict[str, Any] = {
            "format": s.FORMAT,
            "formatVersion": s.FORMAT_VERSION,
            "bundleId": bundle_id,
            "createdAt": created_at or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "producer": dict(PRODUCER),
            "source": dict(source),
            "model": dict(model),
            "embedding": dict(embedding),
            "files": {},
        }
        # Check everything but the file table before any row is written.
        problems = [p for p in check_manifest(self.manifest) if not p.startswith("files")]
        if problems:
            raise BundleError("manifest: " + "; ".join(problems))
        self.dim: int = embedding["dim"]
        self._checker = RowChecker(n_layers=model["nLayers"], vocab_size=model["vocabSize"])
        self._sinks: dict[str, _Sink] = {}
        self._closed = False
        self.scratch = self.out_dir.parent / f".{self.out_dir.name}.tmp-{os.getpid()}"
        shutil.rmtree(self.scratch, ignore_errors=True)
        self.scratch.mkdir(parents=True)

    # -- rows --------------------------------------------------------------

    def add(self, file: str, row: dict) -> None:
        """Append one row to `file` (a `.jsonl` name from docs/bundle-format.md)."""
        if file == "explanations.jsonl":
            raise BundleError("explanations carry a vector: use add_explanation()")
        self._add(file, row)

    def add_sae(self, row: dict) -> None:
        self.add("saes.jsonl", row)

    def add_latent(self, row: dict) -> None:
        self.add("latents.jsonl", row)

    def add_score(self, row: dict) -> None:
        self.add("scores.jsonl", row)

    def add_example(self, row: dict) -> None:
        self.add("examples.jsonl", row)

    def add_vocab(self, tokens: Iterable[str]) -> None:
        """All tokens of the model's vocabulary, in id order."""
        for token in tokens:
            self.add("vocab.jsonl", {"id": self._checker.vocab_rows, "token": token})

    def add_decoding(self, row: dict) -> None:
        self.add("decodings.jsonl", row)

    def add_token_index(self, row: dict) -> None:
        self.add("token_index.jsonl", row)

    def add_match(self, row: dict) -> None:
        self.add("matches.jsonl", row)

    def add_sae_pair(self, row: dict) -> None:
        self.add("sae_pairs.jsonl", row)

    def add_explanation(
        self,
        sae: str,
        index: int,
        text: str,
        explainer: str,
        method: str,
        prompt_version: str | None,
        vector: np.ndarray,
    ) -> int:
        """Append an explanation and its embedding; returns its id (for scores)."""
        vec = np.asarray(vector, dtype="<f4")
        if vec.shape != (self.dim,):
            raise BundleError(f"explanation vector has shape {vec.shape}, expected ({self.dim},)")
        norm = float(np.linalg.norm(vec.astype(np.float64)))
        if not np.isfinite(norm) or abs(norm - 1.0) > s.UNIT_NORM_TOLERANCE:
            raise BundleError(f"explanation vector has L2 norm {norm:.6g}, must be 1 (normalized)")
        row = {
            "id": self._checker.explanation_rows,
            "sae": sae,
            "index": index,
            "text": text.strip() if isinstance(text, str) else text,
            "explainer": explainer,
            "method": method,
            "promptVersion": prompt_version,
        }
        self._add("explanations.jsonl", row)
        self._sink(s.VECTORS).write(vec.tobytes(), 1)
        return row["id"]

    def _add(self, file: str, row: dict) -> None:
        self._ensure_open()
        errors = self._checker.check(file, row)
        if errors:
            line = self._checker.rows(file)
            raise BundleError("; ".join(f"{file}:{line}: {e}" for e in errors))
        ordered = {k: row[k] for k in _FIELDS[file]}
        line = json.dumps(ordered, ensure_ascii=False, allow_nan=False, separators=(",", ":")) + "\n"
        self._sink(file).write(line.encode("utf-8"), 1)

    def _sink(self, file: str) -> _Sink:
        if file not in self._sinks:
            self._sinks[file] = _Sink(self.scratch / file)
        return self._sinks[file]

    def _ensure_open(self) -> None:
        if self._closed:
            raise BundleError("the bundle writer is closed")

    # -- publishing --------------------------------------------------------

    def close(self) -> Path:
        """Write the manifest, validate, and move the bundle into place."""
        self._ensure_open()
        self._closed = True
        try:
            if "saes.jsonl" not in self._sinks:
                raise BundleError("a bundle needs at least one row in saes.jsonl")
            for sink in self._sinks.values():
                sink.file.flush()
                os.fsync(sink.file.fileno())
                sink.file.close()
            self.manifest["files"] = {name: self._sinks[name].entry() for name in sorted(self._sinks)}
            text = json.dumps(self.manifest, indent=2, ensure_ascii=False) + "\n"
            (self.scratch / s.MANIFEST).write_text(text, encoding="utf-8")
            if self.validate:
                errors = validate_bundle(self.scratch)
                if errors:
                    raise BundleError("the written bundle does not validate:\n" + "\n".join(errors))
            self._publish()
        except BaseException:
            shutil.rmtree(self.scratch, ignore_errors=True)
            raise
        return self.out_dir

    def _publish(self) -> None:
        if self.out_dir.exists() and any(self.out_dir.iterdir()) and not self.overwrite:
            raise FileExistsError(f"{self.out_dir} is not empty (pass overwrite=True to replace it)")
        old = self.out_dir.parent / f".{self.out_dir.name}.old-{os.getpid()}"
        if self.out_dir.exists():
            os.replace(self.out_dir, old)
        os.replace(self.scratch, self.out_dir)
        shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        """Discard everything written so far; the target is left as it was."""
        if self._closed:
            return
        self._closed = True
        for sink in self._sinks.values():
            sink.file.close()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def __enter__(self) -> "BundleWriter":
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()
