"""Neuronpedia export rows become a valid bundle; bad rows are refused with file:line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from feature_atlas_batch.bundle import validate_bundle
from feature_atlas_batch.importers.neuronpedia import import_neuronpedia_export
from feature_atlas_batch.importers.presets import GEMMA_2_2B, GEMMASCOPE_20_RES_16K

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
EXPORT = SHARED / "gemma-2-2b-20-gemmascope-res-16k.explanations.jsonl"


def row(index: int, description: str, explainer: str = "gpt-4o-mini") -> dict:
    return {"modelId": "gemma-2-2b", "source": "20-gemmascope-res-16k", "index": index,
            "description": description, "explanationModelName": explainer, "typeName": "oai_token-act-pair"}


def write_export(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def run_import(export: Path, out: Path, embedder) -> object:
    return import_neuronpedia_export(export, out, bundle_id="test-np", model=GEMMA_2_2B,
                                     saes=[GEMMASCOPE_20_RES_16K], embedder=embedder,
                                     origin="test rows", license="Apache-2.0")


def test_import_keeps_every_explanation_and_skips_empty(tmp_path: Path, sentence_embedder) -> None:
    rows = [row(0, "legal citations"), row(5, "  "), row(0, "court cases", "claude-3.5-sonnet"),
            row(7, ""), row(16383, "dates and years\n")]
    report = run_import(write_export(tmp_path / "x.jsonl", rows), tmp_path / "b", sentence_embedder)
    assert (report.explanations, report.skipped_empty, report.latents, report.rows_read) == (3, 2, 2, 5)
    bundle = tmp_path / "b"
    assert validate_bundle(bundle) == []
    explanations = [json.loads(x) for x in (bundle / "explanations.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(e["index"], e["text"], e["explainer"]) for e in explanations] == [
        (0, "legal citations", "gpt-4o-mini"), (0, "court cases", "claude-3.5-sonnet"), (16383, "dates and years", "gpt-4o-mini")]
    vectors = np.fromfile(bundle / "explanation_vectors.f32", dtype="<f4").reshape(-1, 384)
    expected = sentence_embedder.embed(["legal citations", "court cases", "dates and years"], progress=False)
    assert np.abs(vectors - expected).max() < 1e-5
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["source"]["kind"] == "neuronpedia-export"
    assert manifest["model"]["dModel"] == 2304


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"modelId": "gpt2-small"}, r"x\.jsonl:2: modelId 'gpt2-small' is not 'gemma-2-2b'"),
        ({"source": "12-res"}, r"x\.jsonl:2: source '12-res' is not one of"),
        ({"index": 16384}, r"x\.jsonl:2: index 16384 is not in 0\.\.16383 \(the width of 20-gemmascope-res-16k\)"),
    ],
)
def test_bad_rows_are_refused(tmp_path: Path, sentence_embedder, bad: dict, message: str) -> None:
    export = write_export(tmp_path / "x.jsonl", [row(0, "a"), {**row(1, "b"), **bad}])
    with pytest.raises(ValueError, match=message):
        run_import(export, tmp_path / "b", sentence_embedder)
    assert not (tmp_path / "b").exists()


def test_malformed_line_is_refused(tmp_path: Path, sentence_embedder) -> None:
    export = tmp_path / "x.jsonl"
    export.write_text(json.dumps(row(0, "a")) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"x\.jsonl:2: not valid JSON"):
        run_import(export, tmp_path / "b", sentence_embedder)


@pytest.mark.skipif(not EXPORT.is_file(), reason="shared data not present")
def test_real_export_rows(tmp_path: Path, sentence_embedder) -> None:
    lines = EXPORT.read_text(encoding="utf-8").splitlines(keepends=True)[:200]
    export = tmp_path / "head.jsonl"
    export.write_text("".join(lines), encoding="utf-8")
    report = run_import(export, tmp_path / "b", sentence_embedder)
    assert report.explanations + report.skipped_empty == 200
    assert validate_bundle(tmp_path / "b") == []
