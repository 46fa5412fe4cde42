"""Rewrite the committed golden bundle (test/fixtures/golden-bundle/ at the repo root).

    python scripts/write_golden_bundle.py

Run after an intended change of the format or of the golden rows; the Python
and TypeScript tests read the result.
"""

from pathlib import Path

from feature_atlas_batch.bundle.golden import golden_texts, write_golden_bundle
from feature_atlas_batch.bundle.validate import validate_bundle
from feature_atlas_batch.embed.sentence import SentenceEmbedder

GOLDEN = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "golden-bundle"

if __name__ == "__main__":
    vectors = SentenceEmbedder().embed(golden_texts(), progress=False)
    out = write_golden_bundle(GOLDEN, vectors, overwrite=True)
    errors = validate_bundle(out)
    if errors:
        raise SystemExit("\n".join(errors))
    print(f"wrote {out}: " + ", ".join(sorted(p.name for p in out.iterdir())))
