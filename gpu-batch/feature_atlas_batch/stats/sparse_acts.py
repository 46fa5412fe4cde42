"""Sparse latent activations: only nonzeros, grouped by latent (CSR over latents).

Files: `acts_ptr.npy` (M+1,) int64 offsets, `acts_token.npy` (nnz,) int64 flat
token positions (sequence * ctx_len + position), `acts_value.npy` (nnz,) float32.
Latent j's activations are [ptr[j], ptr[j+1]) of the other two arrays.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from ..sae.loaders import SaeWeights


@dataclass
class SparseActs:
    ptr: np.ndarray
    token: np.ndarray
    value: np.ndarray
    n_tokens: int
    """Tokens counted (positions skipped at the start of each sequence excluded)."""

    @property
    def num_latents(self) -> int:
        return len(self.ptr) - 1

    def latent(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        s, e = self.ptr[j], self.ptr[j + 1]
        return self.token[s:e], self.value[s:e]

    def save(self, directory: Path) -> None:
        np.save(directory / "acts_ptr.npy", self.ptr)
        np.save(directory / "acts_token.npy", self.token)
        np.save(directory / "acts_value.npy", self.value)

    @staticmethod
    def load(directory: Path, n_tokens: int) -> "SparseActs":
        return SparseActs(
            np.load(directory / "acts_ptr.npy"), np.load(directory / "acts_token.npy"),
            np.load(directory / "acts_value.npy"), n_tokens,
        )


@torch.no_grad()
def encode_sparse(
    sae: SaeWeights, acts: np.ndarray, skip_positions: int, device: torch.device, batch_seqs: int = 64
) -> SparseActs:
    """Encode activations (n_seq, T, d) and keep the nonzeros outside the skipped leading positions."""
    n_seq, T, _ = acts.shape
    sae = sae.to(device)
    tokens, latents, values = [], [], []
    keep_pos = torch.arange(T, device=device) >= skip_positions
    for s0 in tqdm(range(0, n_seq, batch_seqs), desc="encode", unit="batch", mininterval=2.0):
        block = torch.from_numpy(np.asarray(acts[s0 : s0 + batch_seqs], dtype=np.float32)).to(device)
        b = block.shape[0]
        v, i = sae.encode(block.reshape(b * T, -1))  # (b*T, k)
        flat = torch.arange(s0 * T, (s0 + b) * T, device=device)[:, None].expand_as(i)
        mask = (v > 0) & keep_pos.repeat(b)[:, None]
        tokens.append(flat[mask].cpu())
        latents.append(i[mask].cpu())
        values.append(v[mask].float().cpu())
    tok = torch.cat(tokens).numpy().astype(np.int64)
    lat = torch.cat(latents).numpy().astype(np.int64)
    val = torch.cat(values).numpy().astype(np.float32)
    order = np.lexsort((tok, lat))
    counts = np.bincount(lat, minlength=sae.num_latents)
    ptr = np.zeros(sae.num_latents + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    return SparseActs(ptr, tok[order], val[order], n_seq * (T - skip_positions))
