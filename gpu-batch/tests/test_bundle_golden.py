"""The committed golden bundle (read by the TypeScript tests) is exactly what the writer makes now."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from feature_atlas_batch.bundle import validate_bundle
from feature_atlas_batch.bundle.golden import golden_texts, write_golden_bundle

GOLDEN = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "golden-bundle"
REGEN = "run gpu-batch/scripts/write_golden_bundle.py if the change is intended"


def committed_vectors() -> np.ndarray:
    return np.fromfile(GOLDEN / "explanation_vectors.f32", dtype="<f4").reshape(-1, 384)


def test_committed_golden_bundle_validates() -> None:
    assert validate_bundle(GOLDEN) == []


def test_golden_bundle_covers_every_file() -> None:
    names = {p.name for p in GOLDEN.iterdir()}
    assert names == {
        "manifest.json", "saes.jsonl", "latents.jsonl", "explanations.jsonl", "explanation_vectors.f32",
        "scores.jsonl", "examples.jsonl", "vocab.jsonl", "decodings.jsonl", "token_index.jsonl",
        "matches.jsonl", "sae_pairs.jsonl",
    }


def test_rebuilt_golden_bundle_is_byte_identical(tmp_path: Path) -> None:
    # The committed vectors are reused so that float noise of a different CPU
    # cannot change bytes; the next test checks they still match the model.
    rebuilt = write_golden_bundle(tmp_path / "golden", committed_vectors())
    names = sorted(p.name for p in GOLDEN.iterdir())
    assert sorted(p.name for p in rebuilt.iterdir()) == names
    for name in names:
        assert (rebuilt / name).read_bytes() == (GOLDEN / name).read_bytes(), f"{name} differs: {REGEN}"


def test_golden_vectors_are_the_models_embeddings(sentence_embedder) -> None:
    fresh = sentence_embedder.embed(golden_texts(), progress=False)
    assert np.abs(fresh - committed_vectors()).max() < 1e-5, REGEN
