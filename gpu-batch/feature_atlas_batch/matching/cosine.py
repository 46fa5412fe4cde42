"""Blocked cosine top-k between the rows of two matrices."""

from __future__ import annotations

import torch
from torch import Tensor


def unit_rows(x: Tensor) -> Tensor:
    return x / x.norm(dim=1, keepdim=True).clamp_min(1e-12)


@torch.no_grad()
def cosine_topk(a: Tensor, b: Tensor, k: int, block_size: int = 4096, device: torch.device | str = "cpu") -> tuple[Tensor, Tensor]:
    """For each row of a (nA, d): the k rows of b (nB, d) with the highest cosine, as (values, indices), each (nA, k)."""
    if a.shape[1] != b.shape[1]:
        raise ValueError(f"row widths differ: {a.shape[1]} vs {b.shape[1]}")
    k = min(k, b.shape[0])
    bn = unit_rows(b.to(device=device, dtype=torch.float32)).T.contiguous()  # (d, nB)
    vals, idx = [], []
    for a0 in range(0, a.shape[0], block_size):
        blk = unit_rows(a[a0 : a0 + block_size].to(device=device, dtype=torch.float32))
        v, i = (blk @ bn).topk(k, dim=1)
        vals.append(v.cpu())
        idx.append(i.cpu())
    return torch.cat(vals), torch.cat(idx)


@torch.no_grad()
def cosine_matrix(a: Tensor, b: Tensor, block_size: int = 4096, device: torch.device | str = "cpu") -> Tensor:
    """Full (nA, nB) cosine matrix on the CPU, computed in row blocks."""
    bn = unit_rows(b.to(device=device, dtype=torch.float32)).T.contiguous()
    return torch.cat([
        (unit_rows(a[a0 : a0 + block_size].to(device=device, dtype=torch.float32)) @ bn).cpu()
        for a0 in range(0, a.shape[0], block_size)
    ])
