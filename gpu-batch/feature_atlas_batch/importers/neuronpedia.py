"""Import a Neuronpedia explanation export (JSONL rows) as a bundle.

Each row is `{modelId, source, index, description, explanationModelName,
typeName}`. Every explanation is kept (a latent may have several); rows whose
description is empty or only whitespace are skipped and counted. Latent rows
are written with null statistics, since an export of explanations has none.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator, Protocol

import numpy as np
from tqdm import tqdm

from ..bundle import BundleWriter
from ..embed import EMBEDDING
from .report import ImportReport

_FIELDS = ("modelId", "source", "index", "description", "explanationModelName", "typeName")
_CHUNK = 1024  # rows embedded at a time: batches stay full, progress stays visible


class Embedder(Protocol):
    def embed(self, texts: list[str], progress: bool = True) -> np.ndarray: ...


def read_export(path: Path) -> Iterator[tuple[int, dict]]:
    """(line number, row) for each row; a malformed row raises with its file:line."""
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{line_no}: not valid JSON ({e.msg})") from e
            missing = [k for k in _FIELDS if k not in row]
            if missing:
                raise ValueError(f"{path}:{line_no}: missing {', '.join(missing)}")
            yield line_no, row


def import_neuronpedia_export(
    export: str | Path,
    out_dir: str | Path,
    *,
    bundle_id: str,
    model: dict,
    saes: list[dict],
    embedder: Embedder,
    origin: str,
    license: str | None,
    created_at: str | None = None,
    overwrite: bool = False,
) -> ImportReport:
    """Write a bundle of the export's explanations for `model` and the given SAE rows."""
    export = Path(export)
    report = ImportReport(bundle=Path(out_dir))
    by_id = {sae["id"]: sae for sae in saes}
    source = {"kind": "neuronpedia-export", "origin": origin, "license": license}
    seen: set[tuple[str, int]] = set()
    with BundleWriter(out_dir, bundle_id, model, EMBEDDING, source,
                      created_at=created_at, overwrite=overwrite) as writer:
        for sae in saes:
            writer.add_sae(sae)
        report.saes = len(saes)
        pending: list[dict] = []
        total = sum(1 for _ in open(export, encoding="utf-8"))
        for line_no, row in tqdm(read_export(export), total=total, desc="neuronpedia rows", unit="row"):
            report.rows_read += 1
            if row["modelId"] != model["id"]:
                raise ValueError(f"{export}:{line_no}: modelId {row['modelId']!r} is not {model['id']!r}")
            if row["source"] not in by_id:
                raise ValueError(f"{export}:{line_no}: source {row['source']!r} is not one of {sorted(by_id)}")
            width = by_id[row["source"]]["width"]
            if not isinstance(row["index"], int) or not 0 <= row["index"] < width:
                raise ValueError(f"{export}:{line_no}: index {row['index']!r} is not in 0..{width - 1} "
                                 f"(the width of {row['source']})")
            if not isinstance(row["description"], str) or not row["description"].strip():
                report.skipped_empty += 1
                continue
            pending.append(row)
            if len(pending) >= _CHUNK:
                _flush(writer, pending, embedder, seen, report)
        _flush(writer, pending, embedder, seen, report)
    return report


def _flush(writer: BundleWriter, rows: list[dict], embedder: Embedder,
           seen: set[tuple[str, int]], report: ImportReport) -> None:
    if not rows:
        return
    vectors = embedder.embed([r["description"] for r in rows], progress=False)
    for row, vector in zip(rows, vectors):
        key = (row["source"], row["index"])
        if key not in seen:
            seen.add(key)
            writer.add_latent({"sae": key[0], "index": key[1], "density": None, "maxActivation": None,
                               "meanActivation": None, "nActivations": None})
            report.latents += 1
        writer.add_explanation(
            sae=row["source"],
            index=row["index"],
            text=row["description"],
            explainer=row["explanationModelName"] or "unknown",
            method=row["typeName"] or "neuronpedia",
            prompt_version=None,
            vector=vector,
        )
        report.explanations += 1
    rows.clear()
