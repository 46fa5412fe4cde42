"""Embedding scorer: does the explanation sit closer to activating contexts than to quiet ones?

Embeds the explanation and each context with a sentence-embedding model and
reports the AUROC of activating vs non-activating contexts ranked by cosine
similarity to the explanation. No LLM call; cheap enough for every latent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from ..device import resolve_device
from ..embed.spec import MODEL_NAME
from ..explain.format import crop_around_peak, plain_text
from ..records import LatentRecord
from .metrics import auroc


class Embedder:
    """The bundle's sentence-embedding model (all-MiniLM-L6-v2 from its package unless a folder is given)."""

    def __init__(self, model_dir: str | Path | None, device: str, batch_size: int) -> None:
        # Imported here: loading sentence-transformers takes seconds, and only this scorer needs it.
        from ..embed.sentence import SentenceEmbedder

        self._embedder = SentenceEmbedder(model_dir, device=str(resolve_device(device)), batch_size=batch_size)
        self.name = MODEL_NAME if model_dir is None else str(self._embedder.model_dir)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) float32, unit L2 norm per row."""
        return self._embedder.embed(texts, progress=False)


def embedding_contexts(
    latent: LatentRecord, n_test: int, n_non_activating: int, max_tokens: int
) -> tuple[list[str], list[str]]:
    """Plain texts of held-out activating and of non-activating contexts."""
    positive = [plain_text(crop_around_peak(e, max_tokens).tokens) for e in latent.test[:n_test]]
    negative = [plain_text(crop_around_peak(e, max_tokens).tokens) for e in latent.non_activating[:n_non_activating]]
    return positive, negative


def embedding_auroc(
    explanation_vector: np.ndarray, positive_vectors: np.ndarray, negative_vectors: np.ndarray
) -> float:
    """AUROC of positives vs negatives ranked by cosine to the explanation (all rows unit-norm)."""
    return auroc(
        (positive_vectors @ explanation_vector).tolist(), (negative_vectors @ explanation_vector).tolist()
    )
