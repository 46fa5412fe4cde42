"""The stages in order, each a function of the run config; `run_all` chains them."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Callable

from .config import RunConfig
from .device import set_threads
from .paths import RunPaths

log = logging.getLogger(__name__)


def _activations(cfg: RunConfig, shard: str) -> dict:
    from .activations.shards import Shard
    from .activations.stage import run_activations_stage

    return run_activations_stage(cfg, Shard.parse(shard))


def _train_sae(cfg: RunConfig, shard: str) -> dict:
    from .sae.stage import run_train_sae_stage

    return run_train_sae_stage(cfg)


def _stats(cfg: RunConfig, shard: str) -> dict:
    from .stats.stage import run_stats_stage

    return run_stats_stage(cfg)


def _explain(cfg: RunConfig, shard: str) -> dict:
    from .explain.config import ExplainConfig
    from .explain.stage import run_explain_stage
    from .stats.stage import LATENTS_FILE

    paths = RunPaths(Path(cfg.out_dir))
    return run_explain_stage(paths.latents / LATENTS_FILE, paths.explain, ExplainConfig(**cfg.explain))


def _score(cfg: RunConfig, shard: str) -> dict:
    from .explain.stage import EXPLANATIONS_FILE
    from .score.config import ScoreConfig
    from .score.stage import run_score_stage
    from .stats.stage import LATENTS_FILE

    paths = RunPaths(Path(cfg.out_dir))
    score_cfg = ScoreConfig(**{"seed": cfg.seed, **cfg.score})
    return run_score_stage(paths.latents / LATENTS_FILE, paths.explain / EXPLANATIONS_FILE, paths.score, score_cfg)


def _embed(cfg: RunConfig, shard: str) -> dict:
    from .embed_stage import run_embed_stage

    return run_embed_stage(cfg)


def _decode(cfg: RunConfig, shard: str) -> dict:
    from .lmhead.stage import run_decode_stage

    return run_decode_stage(cfg)


def _match(cfg: RunConfig, shard: str) -> dict:
    from .matching.stage import run_match_stage

    return run_match_stage(cfg)


def _bundle(cfg: RunConfig, shard: str) -> dict:
    from .bundle_stage import run_bundle_stage

    return run_bundle_stage(cfg)


STAGES: dict[str, Callable[[RunConfig, str], dict]] = {
    "activations": _activations,
    "train-sae": _train_sae,
    "stats": _stats,
    "explain": _explain,
    "score": _score,
    "embed": _embed,
    "decode": _decode,
    "match": _match,
    "bundle": _bundle,
}


def run_one(cfg: RunConfig, name: str, shard: str = "0/1") -> dict:
    if name not in STAGES:
        raise ValueError(f"unknown stage {name!r}; stages: {', '.join(STAGES)}")
    set_threads(cfg.threads)
    return STAGES[name](cfg, shard)


def run_all(cfg: RunConfig, shard: str = "0/1", until: str | None = None, skip: list[str] | None = None) -> dict:
    """Every stage in order (each skipped when already done); writes `run_summary.json` with wall times."""
    times: dict[str, float] = {}
    results: dict[str, dict] = {}
    for name in STAGES:
        if name in (skip or []):
            continue
        started = time.time()
        log.info("stage %s", name)
        results[name] = run_one(cfg, name, shard)
        times[name] = round(time.time() - started, 2)
        if name == until:
            break
    out = {"name": cfg.name, "wall_seconds": times, "stages": results}
    Path(cfg.out_dir).mkdir(parents=True, exist_ok=True)
    (Path(cfg.out_dir) / "run_summary.json").write_text(json.dumps(out, indent=2, default=str) + "\n")
    return out
