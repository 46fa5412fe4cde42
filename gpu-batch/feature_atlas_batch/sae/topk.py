"""TopK sparse autoencoder (Gao et al. 2024), stored in the sparsify layout.

Parameter names and files (`sae.safetensors` with `encoder.weight` (M, d),
`encoder.bias` (M,), `W_dec` (M, d), `b_dec` (d,), plus `cfg.json`) match
EleutherAI's sparsify, so either library can load the other's SAEs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

import torch
import torch.nn.functional as F
from safetensors.torch import save_file
from torch import Tensor, nn

from .sparse_encoder import Selection, topk_encode


class SaeOutput(NamedTuple):
    reconstruction: Tensor
    """(N, d)"""
    latents: Selection
    fvu: Tensor
    """Fraction of variance unexplained (scalar)."""
    auxk_loss: Tensor
    """AuxK loss: how well the top dead latents reconstruct the residual, relative to the variance."""


class TopKSae(nn.Module):
    def __init__(self, d_in: int, num_latents: int, k: int, device: torch.device | str = "cpu", dtype: torch.dtype | None = None):
        super().__init__()
        if not 1 <= k <= num_latents:
            raise ValueError(f"k must be in [1, num_latents], got k={k}, num_latents={num_latents}")
        self.d_in, self.num_latents, self.k = d_in, num_latents, k
        self.encoder = nn.Linear(d_in, num_latents, device=device, dtype=dtype)
        self.encoder.bias.data.zero_()
        # Tied initialisation: each decoder row starts as its encoder row, unit-normalised.
        self.W_dec = nn.Parameter(self.encoder.weight.data.clone())
        self.b_dec = nn.Parameter(torch.zeros(d_in, device=device, dtype=dtype))
        self.normalize_decoder()

    def pre_activations(self, x: Tensor) -> Tensor:
        """(N, M) ReLU pre-activations before the top-k selection."""
        return F.relu(F.linear(x - self.b_dec, self.encoder.weight, self.encoder.bias))

    def encode(self, x: Tensor, dead_mask: Tensor | None = None, k_aux: int = 0) -> tuple[Selection, Selection]:
        return topk_encode(x - self.b_dec, self.encoder.weight, self.encoder.bias, self.k, dead_mask, k_aux)

    def decode(self, sel: Selection) -> Tensor:
        return F.embedding_bag(sel.indices, self.W_dec, per_sample_weights=sel.values.to(self.W_dec.dtype), mode="sum") + self.b_dec

    def forward(self, x: Tensor, dead_mask: Tensor | None = None) -> SaeOutput:
        num_dead = int(dead_mask.sum()) if dead_mask is not None else 0
        # AuxK heuristic of the TopK paper (appendix B.1): up to d/2 dead latents, loss scaled down when few are dead.
        k_aux = min(x.shape[-1] // 2, num_dead)
        sel, aux = self.encode(x, dead_mask if num_dead else None, k_aux)
        out = self.decode(sel)
        residual = x - out
        total_variance = (x - x.mean(0)).pow(2).sum()
        fvu = residual.pow(2).sum() / total_variance
        if k_aux > 0:
            aux_out = F.embedding_bag(aux.indices, self.W_dec, per_sample_weights=aux.values.to(self.W_dec.dtype), mode="sum")
            scale = min(num_dead / (x.shape[-1] // 2), 1.0)
            auxk = scale * (aux_out - residual.detach()).pow(2).sum() / total_variance
        else:
            auxk = out.new_zeros(())
        return SaeOutput(out, sel, fvu, auxk)

    @torch.no_grad()
    def normalize_decoder(self) -> None:
        eps = torch.finfo(self.W_dec.dtype).eps
        self.W_dec.data /= self.W_dec.data.norm(dim=1, keepdim=True) + eps

    @torch.no_grad()
    def remove_parallel_decoder_grad(self) -> None:
        """Drop the gradient component along each (unit) decoder row; the norm is fixed, only the direction learns."""
        if self.W_dec.grad is None:
            return
        parallel = (self.W_dec.grad * self.W_dec.data).sum(1, keepdim=True)
        self.W_dec.grad -= parallel * self.W_dec.data

    def save(self, directory: Path, extra: dict | None = None) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        save_file({k: v.detach().contiguous().cpu() for k, v in self.state_dict().items()}, directory / "sae.safetensors")
        cfg = {
            "activation": "topk", "expansion_factor": max(1, self.num_latents // self.d_in), "normalize_decoder": True,
            "num_latents": self.num_latents, "k": self.k, "multi_topk": False, "skip_connection": False,
            "transcode": False, "d_in": self.d_in, **(extra or {}),
        }
        (directory / "cfg.json").write_text(json.dumps(cfg, indent=2) + "\n")

    @staticmethod
    def load(directory: Path, device: torch.device | str = "cpu") -> "TopKSae":
        from .loaders import load_sparsify_state

        state, cfg = load_sparsify_state(Path(directory))
        sae = TopKSae(cfg["d_in"], cfg["num_latents"], cfg["k"], device=device, dtype=state["W_dec"].dtype)
        sae.load_state_dict({k: v.to(device) for k, v in state.items()})
        return sae
