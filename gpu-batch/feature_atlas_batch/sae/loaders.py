"""Read pretrained SAEs saved in the sparsify layout or the SAELens layout.

Both become `SaeWeights` (rows = latents), which the statistics, decoding and
matching stages use without caring where an SAE came from.
  sparsify: `sae.safetensors` {encoder.weight (M, d), encoder.bias, W_dec (M, d), b_dec}
            + `cfg.json` {d_in, num_latents or expansion_factor, k}
  SAELens:  `sae_weights.safetensors` {W_enc (d, M), b_enc, W_dec (M, d), b_dec, [threshold]}
            + `cfg.json` {architecture, d_in, d_sae, [k], [hook_name]}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import load_file
from torch import Tensor


@dataclass
class SaeWeights:
    architecture: str
    """`topk`, `relu` or `jumprelu` (the bundle's names)."""
    W_enc: Tensor
    """(M, d) encoder rows."""
    b_enc: Tensor
    W_dec: Tensor
    """(M, d) decoder rows."""
    b_dec: Tensor
    k: int | None = None
    threshold: Tensor | None = None
    """(M,) JumpReLU thresholds."""
    hookpoint: str | None = None
    subtract_b_dec: bool = True
    """sparsify subtracts b_dec before encoding; SAELens does so only with `apply_b_dec_to_input`."""

    @property
    def num_latents(self) -> int:
        return self.W_dec.shape[0]

    @property
    def d_in(self) -> int:
        return self.W_dec.shape[1]

    def to(self, device: torch.device | str, dtype: torch.dtype = torch.float32) -> "SaeWeights":
        move = lambda t: None if t is None else t.to(device=device, dtype=dtype)  # noqa: E731
        return SaeWeights(
            self.architecture, move(self.W_enc), move(self.b_enc), move(self.W_dec), move(self.b_dec),
            self.k, move(self.threshold), self.hookpoint, self.subtract_b_dec,
        )

    @torch.no_grad()
    def encode(self, x: Tensor) -> tuple[Tensor, Tensor]:
        """Sparse codes of x (N, d) as (values, indices), each (N, k); zero values are inactive.

        For non-TopK SAEs k is the largest number of active latents in this batch.
        """
        if self.subtract_b_dec:
            x = x - self.b_dec
        pre = F.linear(x, self.W_enc, self.b_enc)
        if self.architecture == "topk":
            values, indices = F.relu(pre).topk(self.k, dim=-1)
            return values, indices
        if self.architecture == "jumprelu":
            pre = torch.where(pre > self.threshold, pre, torch.zeros_like(pre))
        else:
            pre = F.relu(pre)
        width = max(1, int((pre > 0).sum(1).max()))
        return pre.topk(width, dim=-1)


def load_sparsify_state(directory: Path) -> tuple[dict[str, Tensor], dict]:
    cfg_path, weights = directory / "cfg.json", directory / "sae.safetensors"
    for p in (cfg_path, weights):
        if not p.is_file():
            raise FileNotFoundError(f"{p} missing (not a sparsify-layout SAE directory)")
    cfg = json.loads(cfg_path.read_text())
    state = load_file(weights)
    needed = {"encoder.weight", "encoder.bias", "W_dec", "b_dec"}
    if not needed <= set(state):
        raise ValueError(f"{weights}: expected tensors {sorted(needed)}, found {sorted(state)}")
    if "d_in" not in cfg:
        raise ValueError(f"{cfg_path}: missing d_in")
    cfg.setdefault("num_latents", 0)
    cfg["num_latents"] = cfg["num_latents"] or cfg["d_in"] * cfg.get("expansion_factor", 32)
    if state["W_dec"].shape != (cfg["num_latents"], cfg["d_in"]):
        raise ValueError(f"{weights}: W_dec has shape {tuple(state['W_dec'].shape)}, cfg says ({cfg['num_latents']}, {cfg['d_in']})")
    cfg.setdefault("k", 32)
    return state, cfg


def load_sparsify(directory: Path) -> SaeWeights:
    state, cfg = load_sparsify_state(Path(directory))
    if cfg.get("activation", "topk") != "topk" or cfg.get("transcode") or cfg.get("skip_connection"):
        raise ValueError(f"{directory}: only plain TopK SAEs are supported (activation=topk, no transcoder/skip)")
    return SaeWeights(
        "topk", state["encoder.weight"], state["encoder.bias"], state["W_dec"], state["b_dec"],
        k=int(cfg["k"]), hookpoint=cfg.get("hookpoint"),
    )


def load_saelens(directory: Path) -> SaeWeights:
    directory = Path(directory)
    cfg_path = directory / "cfg.json"
    weights = next((directory / n for n in ("sae_weights.safetensors", "sae.safetensors") if (directory / n).is_file()), None)
    if not cfg_path.is_file() or weights is None:
        raise FileNotFoundError(f"{directory}: expected cfg.json and sae_weights.safetensors (SAELens layout)")
    cfg = json.loads(cfg_path.read_text())
    state = load_file(weights)
    missing = {"W_enc", "b_enc", "W_dec", "b_dec"} - set(state)
    if missing:
        raise ValueError(f"{weights}: missing tensors {sorted(missing)}")
    arch = {"standard": "relu", "relu": "relu", "jumprelu": "jumprelu", "topk": "topk"}.get(cfg.get("architecture", "standard"))
    if arch is None:
        raise ValueError(f"{cfg_path}: unsupported architecture {cfg.get('architecture')!r}")
    threshold = state.get("threshold")
    if arch == "jumprelu" and threshold is None:
        if "log_threshold" not in state:
            raise ValueError(f"{weights}: a jumprelu SAE needs `threshold` or `log_threshold`")
        threshold = state["log_threshold"].exp()
    k = cfg.get("k") or (cfg.get("activation_fn_kwargs") or {}).get("k")
    if arch == "topk" and not k:
        raise ValueError(f"{cfg_path}: a topk SAE needs k")
    W_enc = state["W_enc"].T.contiguous()
    if W_enc.shape != state["W_dec"].shape:
        raise ValueError(f"{weights}: W_enc^T {tuple(W_enc.shape)} and W_dec {tuple(state['W_dec'].shape)} differ")
    return SaeWeights(
        arch, W_enc, state["b_enc"], state["W_dec"], state["b_dec"], k=int(k) if k else None,
        threshold=threshold, hookpoint=cfg.get("hook_name"),
        subtract_b_dec=bool(cfg.get("apply_b_dec_to_input", arch != "jumprelu")),
    )


def load_sae(directory: Path) -> SaeWeights:
    """Detect the layout: `sae.safetensors` with `encoder.weight` is sparsify, otherwise SAELens."""
    directory = Path(directory)
    if (directory / "sae.safetensors").is_file() and "encoder.weight" in load_file(directory / "sae.safetensors"):
        return load_sparsify(directory)
    return load_saelens(directory)
