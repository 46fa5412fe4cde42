"""Sentence embeddings of explanations (batch) and of queries (the edge's ONNX encoder)."""

from .spec import DIM, EMBEDDING, MAX_TOKENS, MODEL_NAME

__all__ = ["DIM", "EMBEDDING", "MAX_TOKENS", "MODEL_NAME"]
