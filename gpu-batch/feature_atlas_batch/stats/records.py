"""Turn a latent's sparse activations and picked windows into a LatentRecord."""

from __future__ import annotations

import numpy as np

from ..records import Example, LatentRecord
from .sampling import LatentPicks, WindowPick
from .sparse_acts import SparseActs


def latent_summary(sparse: SparseActs, j: int) -> dict:
    _, vals = sparse.latent(j)
    n = len(vals)
    return {
        "density": n / sparse.n_tokens if sparse.n_tokens else 0.0,
        "max_activation": float(vals.max()) if n else 0.0,
        "mean_activation": float(vals.mean()) if n else 0.0,
        "n_activations": n,
    }


class WindowReader:
    """Tokens and one latent's activations of a window, from the token file and the sparse activations."""

    def __init__(self, tokens: np.ndarray, vocab: list[str], window: int):
        self.tokens = tokens  # (n_seq, T)
        self.vocab = vocab
        self.window = window
        self.T = tokens.shape[1]
        self.per_seq = -(-self.T // window)

    @property
    def n_windows(self) -> int:
        return self.tokens.shape[0] * self.per_seq

    def span(self, w: int) -> tuple[int, int, int]:
        seq, part = divmod(w, self.per_seq)
        start = part * self.window
        return seq, start, min(start + self.window, self.T)

    def example(self, pick: WindowPick, lat_tokens: np.ndarray, lat_values: np.ndarray) -> Example:
        seq, start, end = self.span(pick.window)
        lo, hi = seq * self.T + start, seq * self.T + end
        acts = np.zeros(end - start, dtype=np.float32)
        # lat_tokens is sorted (CSR within a latent), so the window's nonzeros are one slice.
        a, b = np.searchsorted(lat_tokens, [lo, hi])
        acts[lat_tokens[a:b] - lo] = lat_values[a:b]
        ids = self.tokens[seq, start:end]
        return Example(
            tokens=[self.vocab[int(t)] for t in ids],
            activations=[round(float(v), 4) for v in acts],
            kind=pick.kind,
            quantile=pick.quantile,
        )


def build_record(source: str, j: int, sparse: SparseActs, picks: LatentPicks, reader: WindowReader) -> LatentRecord:
    lat_tokens, lat_values = sparse.latent(j)
    ex = lambda ps: [reader.example(p, lat_tokens, lat_values) for p in ps]  # noqa: E731
    return LatentRecord(
        sae=source, index=j, **latent_summary(sparse, j),
        train=ex(picks.train), test=ex(picks.test), non_activating=ex(picks.non_activating),
    )
