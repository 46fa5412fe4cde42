"""One-to-one matching of two SAEs' latents (Hungarian algorithm) and its summary."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment


@dataclass
class Assignment:
    rows: np.ndarray
    """Indices into A (sorted)."""
    cols: np.ndarray
    """Their partners in B."""
    scores: np.ndarray
    """Similarity of each assigned pair."""


def hungarian(similarity: np.ndarray) -> Assignment:
    """Maximum-total-similarity one-to-one assignment; with nA > nB some rows of A stay unassigned."""
    rows, cols = linear_sum_assignment(similarity, maximize=True)
    return Assignment(rows, cols, similarity[rows, cols])


def pair_summary(assignment: Assignment, n_a: int, n_b: int, threshold: float, bins: int, hist_min: float) -> dict:
    """The sae_pairs.jsonl statistics: matched fraction of A above threshold, mean/median, histogram."""
    s = assignment.scores.astype(np.float64)
    edges = np.linspace(hist_min, 1.0, bins + 1)
    counts, _ = np.histogram(np.clip(s, hist_min, 1.0), bins=edges)
    return {
        "nA": n_a, "nB": n_b, "threshold": threshold,
        "matchedFraction": float((s > threshold).sum() / n_a) if n_a else 0.0,
        "meanMatchedScore": float(s.mean()) if len(s) else 0.0,
        "medianMatchedScore": float(np.median(s)) if len(s) else 0.0,
        "histogram": {"edges": [round(float(e), 6) for e in edges], "counts": [int(c) for c in counts]},
    }
