"""Pick example windows for one latent: top, quantile-sampled, held-out and non-activating.

Sequences are cut into windows of `window` tokens. An activating window's
strength is the latent's largest activation in it. Training examples are the
strongest windows plus a few from each activation quantile bin of the rest
(so the explainer sees weak activations too, as delphi does); held-out test
examples are drawn across the same bins, disjoint from training; non-activating
windows contain no nonzero activation of the latent at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..config import StatsConfig


@dataclass
class WindowPick:
    window: int
    kind: str
    """`top`, `quantile` or `random`."""
    quantile: int | None


@dataclass
class LatentPicks:
    train: list[WindowPick]
    test: list[WindowPick]
    non_activating: list[WindowPick]


def window_strengths(tokens: np.ndarray, values: np.ndarray, ctx_len: int, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Activating window ids and their max activation, from a latent's flat token positions and values."""
    per_seq = -(-ctx_len // window)
    wid = (tokens // ctx_len) * per_seq + (tokens % ctx_len) // window
    order = np.argsort(wid, kind="stable")
    wid, vals = wid[order], values[order]
    starts = np.flatnonzero(np.r_[True, wid[1:] != wid[:-1]])
    return wid[starts], np.maximum.reduceat(vals, starts)


def quantile_bins(n: int, n_bins: int) -> np.ndarray:
    """Bin of each of n windows sorted by ascending strength: equal-count bins, 0 = weakest."""
    return (np.arange(n) * n_bins) // max(n, 1)


def pick_windows(
    win_ids: np.ndarray, strengths: np.ndarray, n_windows_total: int, cfg: StatsConfig, rng: np.random.Generator
) -> LatentPicks:
    order = np.argsort(-strengths, kind="stable")
    top = order[: cfg.n_top]
    rest = order[cfg.n_top :][::-1]  # ascending strength
    train = [WindowPick(int(win_ids[i]), "top", None) for i in top]
    test: list[WindowPick] = []
    if len(rest) and cfg.n_quantiles:
        bins = quantile_bins(len(rest), cfg.n_quantiles)
        members = [rng.permutation(rest[bins == q]) for q in range(cfg.n_quantiles)]
        for q, m in enumerate(members):
            train += [WindowPick(int(win_ids[i]), "quantile", q) for i in m[: cfg.n_per_quantile]]
        # Held-out examples: round-robin over the bins, from what training left.
        left = [list(m[cfg.n_per_quantile :]) for m in members]
        while len(test) < cfg.n_test and any(left):
            for q in range(cfg.n_quantiles):
                if left[q] and len(test) < cfg.n_test:
                    test.append(WindowPick(int(win_ids[left[q].pop()]), "quantile", q))
    active = set(win_ids.tolist())
    non_act: list[WindowPick] = []
    want = min(cfg.n_non_activating, n_windows_total - len(active))
    tries = 0
    while len(non_act) < want and tries < 100 * (want + 1):
        w = int(rng.integers(n_windows_total))
        tries += 1
        if w not in active and all(p.window != w for p in non_act):
            non_act.append(WindowPick(w, "random", None))
    return LatentPicks(train, test, non_act)


def pick_latents(counts: np.ndarray, cfg: StatsConfig, rng: np.random.Generator) -> np.ndarray:
    """Latents that get examples: enough activations; at most max_records_per_sae, spread over densities."""
    eligible = np.flatnonzero(counts >= cfg.min_activations)
    if not cfg.max_records_per_sae or len(eligible) <= cfg.max_records_per_sae:
        return eligible
    by_density = eligible[np.argsort(counts[eligible], kind="stable")]
    chunks = np.array_split(by_density, cfg.max_records_per_sae)
    return np.sort(np.array([rng.choice(c) for c in chunks]))
