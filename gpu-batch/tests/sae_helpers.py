"""Synthetic activations with a known sparse dictionary, for SAE tests."""

from __future__ import annotations

import torch


def sparse_mixture(n: int = 4096, d: int = 32, n_atoms: int = 96, p: float = 0.04, seed: int = 0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    atoms = torch.randn(n_atoms, d, generator=g)
    atoms /= atoms.norm(dim=1, keepdim=True)
    codes = (torch.rand(n, n_atoms, generator=g) < p).float() * (1 + 2 * torch.rand(n, n_atoms, generator=g))
    return codes @ atoms + 0.02 * torch.randn(n, d, generator=g)
