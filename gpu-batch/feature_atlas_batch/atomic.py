"""Atomic file and stage writes: a half-written output is never taken as done.

A stage writes into `<dir>.tmp-<pid>`, then renames it to `<dir>` and writes a
`DONE.json` marker last; a stage directory without the marker is incomplete and
is recomputed, never read.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

DONE_MARKER = "DONE.json"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_json(path: Path, obj: object) -> None:
    atomic_write_text(path, json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def stage_done(stage_dir: Path) -> bool:
    """True only when the stage finished and wrote its marker."""
    return (stage_dir / DONE_MARKER).is_file()


@contextmanager
def stage_output(stage_dir: Path, summary: dict | None = None) -> Iterator[Path]:
    """Yield a scratch directory; on success it replaces `stage_dir` and is marked done.

    On failure the scratch directory is removed and any previous `stage_dir`
    stays as it was.
    """
    stage_dir = Path(stage_dir)
    stage_dir.parent.mkdir(parents=True, exist_ok=True)
    scratch = stage_dir.with_name(f"{stage_dir.name}.tmp-{os.getpid()}")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    result: dict = {} if summary is None else summary
    try:
        yield scratch
        if stage_dir.exists():
            shutil.rmtree(stage_dir)
        os.replace(scratch, stage_dir)
        atomic_write_json(stage_dir / DONE_MARKER, result)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
