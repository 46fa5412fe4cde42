"""Append-only record of finished LLM work, so an interrupted stage resumes without paying twice.

A stage's output directory appears only when the whole stage succeeds (see
`atomic.stage_output`), so the work done so far lives beside it in
`.<stage>.journal.jsonl`. Its first line holds a fingerprint of the inputs and
config; a journal written for other inputs is discarded, never reused. A torn
last line (the process died mid-write) is ignored.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import IO


def fingerprint(*parts: object) -> str:
    """Stable hash of JSON-serialisable parts (configs, input file hashes)."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def journal_path(stage_dir: Path) -> Path:
    stage_dir = Path(stage_dir)
    return stage_dir.with_name(f".{stage_dir.name}.journal.jsonl")


class Journal:
    """Entries keyed by a string; `entries` holds what earlier runs finished."""

    def __init__(self, path: Path, fingerprint_value: str) -> None:
        self.path = Path(path)
        self.fingerprint = fingerprint_value
        self.entries: dict[str, dict] = self._load()
        self._file: IO[str] | None = None

    def _load(self) -> dict[str, dict]:
        if not self.path.is_file():
            return {}
        entries: dict[str, dict] = {}
        with open(self.path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        try:
            header = json.loads(lines[0])
        except (json.JSONDecodeError, IndexError):
            return {}
        if header.get("fingerprint") != self.fingerprint:
            return {}
        for line in lines[1:]:
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(row, dict) and "key" in row and "value" in row:
                entries[row["key"]] = row["value"]
        return entries

    def __enter__(self) -> "Journal":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Rewrite rather than append so a stale or torn journal never mixes with this run's lines.
        self._file = open(self.path, "w", encoding="utf-8")
        self._write({"fingerprint": self.fingerprint})
        for key, value in self.entries.items():
            self._write({"key": key, "value": value})
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def _write(self, row: dict) -> None:
        assert self._file is not None, "use the journal inside `with`"
        self._file.write(json.dumps(row, ensure_ascii=False) + "\n")
        self._file.flush()

    def add(self, key: str, value: dict) -> None:
        self.entries[key] = value
        self._write({"key": key, "value": value})

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)
