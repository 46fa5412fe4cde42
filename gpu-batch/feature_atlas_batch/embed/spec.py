"""The one sentence-embedding model of a bundle, as the manifest names it.

The edge refuses a bundle whose `model`, `dim` or `pooling` differ from its own
query encoder, so these values are the contract, not a default.
"""

from __future__ import annotations

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIM = 384
MAX_TOKENS = 256
"""Longer texts are truncated to this many word pieces (the model's own limit), on both sides."""

EMBEDDING = {
    "model": MODEL_NAME,
    "dim": DIM,
    "pooling": "mean",
    "normalized": True,
    "dtype": "float32",
}
"""The manifest's `embedding` object."""
