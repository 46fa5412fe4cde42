"""Sentences both sides embed to show they agree (cosine >= 0.99), and the shared fixture.

`test/fixtures/embedding-parity.json` (repo root) holds the fp32 batch-side
vector of each of `FIXTURE_SENTENCES`; the TypeScript tests embed the same
texts with the edge's encoder and compare.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

FIXTURE_SENTENCES = [
    "legal citations and case names in court documents",
    "mentions of the letter 'Z' and variations of 'Z' in different contexts",
    "temporal references such as days, weeks, months, or years",
    "instances of the verb \"to be\" in various forms",
    "which latents are about legal citations?",
    "The words \"everybody\" and \"somebody\", as well as the prefix \"ifty\"",
    "Python code: def main(): return 0",
    "dog",
    "Los Angeles, California",
    "HTML tags and attributes like <div class=\"x\">",
    "Le chat est sur la table.",
    "emotional expressions of love, hate, joy and sorrow",
]
"""Explanation-like phrases, a query, code, a single word, markup and another language."""

EXTRA_SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "phrases emphasizing continuity or progression in narratives",
    "references to television talent shows and their judges",
    "numbers and numerical values in financial reports",
    "the token ' the' after a comma",
    "a",
    "The mitochondria is the powerhouse of the cell.",
    "End-of-sentence punctuation: periods, question marks and exclamation points!",
    "Sports teams, scores and championship games",
    "words related to trends and patterns in various contexts",
]
PARITY_SENTENCES = FIXTURE_SENTENCES + EXTRA_SENTENCES

FIXTURE_PATH = Path(__file__).resolve().parents[3] / "test" / "fixtures" / "embedding-parity.json"


def fixture_rows(vectors: np.ndarray) -> list[dict]:
    # float32 -> Python float is exact; repr keeps every bit, so the file round-trips.
    return [{"text": t, "vector": [float(x) for x in v]} for t, v in zip(FIXTURE_SENTENCES, vectors)]


def write_fixture(vectors: np.ndarray, path: Path = FIXTURE_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(fixture_rows(vectors), indent=1) + "\n", encoding="utf-8")
    return path


def read_fixture(path: Path = FIXTURE_PATH) -> tuple[list[str], np.ndarray]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return [r["text"] for r in rows], np.array([r["vector"] for r in rows], dtype=np.float32)
