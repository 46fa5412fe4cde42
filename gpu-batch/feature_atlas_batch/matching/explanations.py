"""Explanation-cosine matches: latents of two SAEs whose explanations embed close together."""

from __future__ import annotations

import numpy as np
import torch

from .cosine import cosine_topk


def explanation_matches(
    emb_a: np.ndarray, idx_a: list[int], emb_b: np.ndarray, idx_b: list[int], k: int
) -> list[tuple[int, int, float, int]]:
    """(indexA, indexB, cosine, rank) for each explained latent of A and its k nearest explained latents of B.

    emb_*: (n, dim) explanation embeddings; idx_*: the latent index of each row. A latent with
    several explanations keeps, per partner, only its best-scoring pair.
    """
    if len(emb_a) != len(idx_a) or len(emb_b) != len(idx_b):
        raise ValueError("each embedding row needs a latent index")
    if not len(emb_a) or not len(emb_b) or k < 1:
        return []
    vals, cols = cosine_topk(torch.from_numpy(np.asarray(emb_a, np.float32)), torch.from_numpy(np.asarray(emb_b, np.float32)), len(emb_b))
    best: dict[int, dict[int, float]] = {}
    for r, (vrow, crow) in enumerate(zip(vals.tolist(), cols.tolist())):
        partners = best.setdefault(idx_a[r], {})
        for v, c in zip(vrow, crow):
            j = idx_b[c]
            if j not in partners or v > partners[j]:
                partners[j] = v
    out = []
    for i, partners in sorted(best.items()):
        ranked = sorted(partners.items(), key=lambda kv: -kv[1])[:k]
        out += [(i, j, v, rank) for rank, (j, v) in enumerate(ranked)]
    return out


def latent_vectors(emb: np.ndarray, idx: list[int]) -> tuple[np.ndarray, list[int]]:
    """One unit vector per explained latent (the normalised mean of its explanations' embeddings),
    with the latent indices in ascending order: the rows a one-to-one assignment needs."""
    if len(emb) != len(idx):
        raise ValueError("each embedding row needs a latent index")
    latents = sorted(set(idx))
    if not latents:
        return np.zeros((0, emb.shape[1] if emb.ndim == 2 else 0), np.float32), []
    at = {l: r for r, l in enumerate(latents)}
    sums = np.zeros((len(latents), emb.shape[1]), np.float64)
    for row, l in zip(np.asarray(emb, np.float64), idx):
        sums[at[l]] += row
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    return (sums / np.clip(norms, 1e-12, None)).astype(np.float32), latents
