"""Blocked projection of feature directions onto the vocabulary, with top-k both ways.

For directions D (F, d) and the effective unembedding E = W_U * g (V, d)
(g: the final RMSNorm's weight, so a direction is read the way the model reads
its last residual stream), logits = D E^T (F, V). One pass over blocks of
features gives, per feature, its top and bottom tokens (top-k along V) and,
per token, the features that give it the highest logit over ALL features
(a running top-k along F, merged block by block). Only one (block, V) matrix
is ever held, so any number of features fits in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import torch
from torch import Tensor
from tqdm import tqdm


@dataclass
class FeatureTopK:
    top_values: Tensor
    """(F, k) descending."""
    top_ids: Tensor
    bottom_values: Tensor
    """(F, k) ascending."""
    bottom_ids: Tensor


@dataclass
class TokenIndex:
    values: Tensor
    """(k, V) per token, descending along dim 0."""
    features: Tensor
    """(k, V) global feature ids (position in the concatenation of all blocks)."""


def effective_unembedding(lm_head_weight: Tensor, norm_weight: Tensor | None) -> Tensor:
    """(V, d): logits of a residual direction v are E @ v, with the final norm's gain folded in."""
    return lm_head_weight if norm_weight is None else lm_head_weight * norm_weight[None, :]


class Projector:
    """Feed direction blocks in order; collect per-feature top/bottom tokens and the reverse index."""

    def __init__(self, unembed: Tensor, top_k: int, index_k: int, device: torch.device, dtype: torch.dtype = torch.float32):
        self.E_t = unembed.to(device=device, dtype=dtype).T.contiguous()  # (d, V)
        self.top_k = min(top_k, self.E_t.shape[1])
        self.index_k = index_k
        self.device, self.dtype = device, dtype
        self.n_features = 0
        self.index_values: Tensor | None = None
        self.index_features: Tensor | None = None

    @torch.no_grad()
    def add(self, directions: Tensor) -> FeatureTopK:
        """directions (Fb, d) -> their top/bottom tokens; also merges them into the reverse index."""
        logits = directions.to(device=self.device, dtype=self.dtype) @ self.E_t  # (Fb, V)
        top_v, top_i = logits.topk(self.top_k, dim=1)
        bot_v, bot_i = logits.topk(self.top_k, dim=1, largest=False)
        self._merge_index(logits)
        self.n_features += logits.shape[0]
        return FeatureTopK(top_v.cpu(), top_i.cpu(), bot_v.cpu(), bot_i.cpu())

    def _merge_index(self, logits: Tensor) -> None:
        if self.index_values is None:
            self._merge_dense(logits)
            return
        # Only entries above a token's current k-th best can enter its top-k. After the first
        # block these are few, so a sparse merge beats a top-k along the (strided) feature axis.
        feat, tok = (logits > self.index_values[-1]).nonzero(as_tuple=True)
        if feat.numel() == 0:
            return
        if feat.numel() > logits.numel() // 8:
            self._merge_dense(logits)
            return
        k = self.index_k
        touched = torch.unique(tok)  # (T,)
        all_t = torch.cat([touched.repeat(k), tok])
        all_v = torch.cat([self.index_values[:, touched].reshape(-1), logits[feat, tok]])
        all_f = torch.cat([self.index_features[:, touched].reshape(-1), feat + self.n_features])
        by_value = torch.argsort(all_v, descending=True, stable=True)
        perm = by_value[torch.argsort(all_t[by_value], stable=True)]  # grouped by token, best first
        sorted_t = all_t[perm]
        _, counts = torch.unique_consecutive(sorted_t, return_counts=True)
        starts = torch.repeat_interleave(torch.cumsum(counts, 0) - counts, counts)
        rank = torch.arange(len(perm), device=perm.device) - starts
        keep = rank < k
        self.index_values[rank[keep], sorted_t[keep]] = all_v[perm][keep]
        self.index_features[rank[keep], sorted_t[keep]] = all_f[perm][keep]

    def _merge_dense(self, logits: Tensor) -> None:
        kb = min(self.index_k, logits.shape[0])
        # topk along a contiguous axis is several times faster than along dim 0 on CPU.
        blk_v, blk_f = logits.T.contiguous().topk(kb, dim=1)  # (V, kb)
        blk_v, blk_f = blk_v.T, blk_f.T + self.n_features
        if self.index_values is None:
            pad = self.index_k - kb
            self.index_values = torch.cat([blk_v, blk_v.new_full((pad, blk_v.shape[1]), float("-inf"))])
            self.index_features = torch.cat([blk_f, blk_f.new_full((pad, blk_f.shape[1]), -1)])
            return
        both_v = torch.cat([self.index_values, blk_v])
        both_f = torch.cat([self.index_features, blk_f])
        self.index_values, order = both_v.topk(self.index_k, dim=0)
        self.index_features = both_f.gather(0, order)

    def index(self) -> TokenIndex:
        if self.index_values is None:
            raise ValueError("no directions were projected")
        keep = min(self.index_k, self.n_features)
        return TokenIndex(self.index_values[:keep].cpu(), self.index_features[:keep].cpu())


def project_all(
    blocks: Iterable[Tensor], unembed: Tensor, top_k: int, index_k: int, device: torch.device, total: int | None = None
) -> tuple[FeatureTopK, TokenIndex]:
    """Project every block (in order) and return the concatenated per-feature results and the index."""
    proj = Projector(unembed, top_k, index_k, device)
    parts = [proj.add(b) for b in tqdm(blocks, desc="decode", unit="block", total=total, mininterval=2.0)]
    cat = lambda name: torch.cat([getattr(p, name) for p in parts])  # noqa: E731
    return FeatureTopK(cat("top_values"), cat("top_ids"), cat("bottom_values"), cat("bottom_ids")), proj.index()


def split_blocks(directions: Tensor, block_size: int) -> list[Tensor]:
    return list(directions.split(block_size))
