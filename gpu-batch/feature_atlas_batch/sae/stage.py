"""train-sae stage: one TopK SAE per captured hookpoint, saved as sae.safetensors + cfg.json."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch

from ..activations.stage import activations_config, load_hookpoint
from ..activations.shards import Shard
from ..config import RunConfig
from ..device import resolve_device
from ..paths import RunPaths, sae_id, source_seed
from ..stage_runner import run_stage
from .train import train_topk_sae


def training_matrix(cfg: RunConfig, hookpoint: str) -> torch.Tensor:
    """(N, d) float32 activations of all sequences, without the first `skip_positions` of each."""
    acts = load_hookpoint(cfg, hookpoint)[:, cfg.activations.skip_positions :]
    return torch.from_numpy(np.ascontiguousarray(acts, dtype=np.float32).reshape(-1, acts.shape[-1]))


def run_train_sae_stage(cfg: RunConfig, only: list[str] | None = None) -> dict[str, dict]:
    """Train (or skip, when done) the SAE of every hookpoint; `only` limits it to some source ids."""
    paths = RunPaths(Path(cfg.out_dir))
    summaries = {}
    for hookpoint, layer, site in cfg.activations.hookpoints():
        source = sae_id(layer, site)
        if only and source not in only:
            continue
        stage_cfg = {"sae": asdict(cfg.sae), "seed": source_seed(cfg.seed, source), "hookpoint": hookpoint, "activations": activations_config(cfg, Shard(0, 1)) | {"shard": None}}

        def work(tmp: Path, hookpoint=hookpoint, layer=layer, site=site, source=source) -> dict:
            x = training_matrix(cfg, hookpoint)
            sae, stats = train_topk_sae(x, cfg.sae, resolve_device(cfg.device), source_seed(cfg.seed, source), desc=f"train {source}")
            sae.save(tmp, extra={"hookpoint": hookpoint})
            return {"source": source, "hookpoint": hookpoint, "layer": layer, "site": site, **stats}

        summaries[source] = run_stage(paths.sae(source), f"train-sae {source}", stage_cfg, work)
    return summaries
