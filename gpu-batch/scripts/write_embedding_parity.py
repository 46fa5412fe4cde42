"""Rewrite test/fixtures/embedding-parity.json: the batch side's vectors of the parity sentences.

    python scripts/write_embedding_parity.py
"""

from feature_atlas_batch.embed.parity import FIXTURE_SENTENCES, write_fixture
from feature_atlas_batch.embed.sentence import SentenceEmbedder

if __name__ == "__main__":
    vectors = SentenceEmbedder().embed(FIXTURE_SENTENCES, progress=False)
    print(f"wrote {write_fixture(vectors)} ({len(FIXTURE_SENTENCES)} sentences)")
