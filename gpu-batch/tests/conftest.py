import sys
from pathlib import Path

import pytest

# Lets tests import their shared helpers (tests/bundle_helpers.py) by name.
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def sentence_embedder():
    """The real fp32 embedding model, loaded once for the whole run."""
    from feature_atlas_batch.embed.sentence import SentenceEmbedder

    return SentenceEmbedder()
