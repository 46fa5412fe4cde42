"""Explanation embeddings with the fp32 sentence-transformers model (the batch side)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import numpy as np

from .model_files import sentence_model_dir
from .spec import DIM, MAX_TOKENS


class SentenceEmbedder:
    """all-MiniLM-L6-v2 loaded from a local folder: mean pooling, L2-normalised, 256 tokens."""

    def __init__(self, model_dir: str | Path | None = None, device: str = "cpu", batch_size: int = 128) -> None:
        self.model_dir = sentence_model_dir(model_dir)
        self.batch_size = batch_size
        # A local path must never turn into a hub lookup; this machine has no hub.
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(self.model_dir), device=device, local_files_only=True)
        self.model.max_seq_length = MAX_TOKENS
        # Renamed in sentence-transformers 6; older releases only have the long name.
        get_dim = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        dim = get_dim()
        if dim != DIM:
            raise ValueError(f"{self.model_dir} gives {dim}-dimensional embeddings, the bundle format expects {DIM}")

    def embed(self, texts: Sequence[str], progress: bool = True) -> np.ndarray:
        """(len(texts), 384) float32, unit rows."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            show_progress_bar=progress,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)
