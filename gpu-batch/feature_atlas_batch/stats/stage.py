"""stats stage: per SAE, sparse activations, latent statistics and LatentRecords with examples.

Outputs per SAE (`stats/<source>/`): the sparse activations (see sparse_acts),
`latent_stats.jsonl` (every latent, bundle `latents.jsonl` rows) and
`records.jsonl` (LatentRecords with examples, for the explainer and scorers).
The `latents` step then gathers all SAEs' records into one file.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import asdict
from pathlib import Path

import numpy as np
from tqdm import tqdm

from ..activations.stage import load_hookpoint, load_vocab
from ..activations.tokens import open_token_file
from ..atomic import atomic_write_text
from ..config import RunConfig
from ..device import resolve_device
from ..paths import RunPaths, sae_id
from ..records import read_jsonl, write_records
from ..sae.loaders import load_sae
from ..stage_runner import require_done, run_stage
from .records import WindowReader, build_record, latent_summary
from .sampling import pick_latents, pick_windows, window_strengths
from .sparse_acts import encode_sparse

RECORDS = "records.jsonl"
LATENT_STATS = "latent_stats.jsonl"
LATENTS_FILE = "latents.jsonl"


def stats_config(cfg: RunConfig, source: str) -> dict:
    sae_done = json.loads((RunPaths(Path(cfg.out_dir)).sae(source) / "DONE.json").read_text())
    return {"stats": asdict(cfg.stats), "seed": cfg.seed, "source": source, "sae_seconds": sae_done.get("seconds"),
            "skip_positions": cfg.activations.skip_positions}


def run_stats_stage(cfg: RunConfig) -> dict[str, dict]:
    paths = RunPaths(Path(cfg.out_dir))
    summaries = {}
    for hookpoint, layer, site in cfg.activations.hookpoints():
        source = sae_id(layer, site)
        require_done(paths.sae(source), "train-sae")

        def work(tmp: Path, hookpoint=hookpoint, source=source) -> dict:
            return compute_stats(cfg, source, paths.sae(source), hookpoint, tmp)

        summaries[source] = run_stage(paths.stats(source), f"stats {source}", stats_config(cfg, source), work)
    summaries["latents"] = gather_records(cfg, list(summaries))
    return summaries


def compute_stats(cfg: RunConfig, source: str, sae_dir: Path, hookpoint: str, out: Path) -> dict:
    sae = load_sae(sae_dir)
    tf = open_token_file(RunPaths(Path(cfg.out_dir)).tokens)
    sparse = encode_sparse(sae, load_hookpoint(cfg, hookpoint), cfg.activations.skip_positions, resolve_device(cfg.device))
    sparse.save(out)
    rows = []
    for j in range(sparse.num_latents):
        s = latent_summary(sparse, j)
        rows.append(json.dumps({
            "sae": source, "index": j, "density": s["density"], "maxActivation": s["max_activation"],
            "meanActivation": s["mean_activation"], "nActivations": s["n_activations"],
        }))
    atomic_write_text(out / LATENT_STATS, "".join(r + "\n" for r in rows))
    # A per-source seed, so adding an SAE to the run does not change another's picks.
    rng = np.random.default_rng([cfg.seed, zlib.crc32(source.encode())])
    counts = np.diff(sparse.ptr)
    chosen = pick_latents(counts, cfg.stats, rng)
    reader = WindowReader(np.asarray(tf.tokens), load_vocab(cfg), cfg.stats.window)
    records = []
    for j in tqdm(chosen, desc=f"examples {source}", unit="latent", mininterval=2.0):
        lat_tokens, lat_values = sparse.latent(int(j))
        win_ids, strengths = window_strengths(lat_tokens, lat_values, tf.ctx_len, cfg.stats.window)
        picks = pick_windows(win_ids, strengths, reader.n_windows, cfg.stats, rng)
        records.append(build_record(source, int(j), sparse, picks, reader))
    write_records(out / RECORDS, records)
    alive = counts > 0
    return {
        "source": source, "n_tokens": sparse.n_tokens, "nnz": int(len(sparse.value)),
        "dead_fraction": float(1 - alive.mean()), "mean_density": float((counts / max(sparse.n_tokens, 1)).mean()),
        "records": len(records),
    }


def gather_records(cfg: RunConfig, sources: list[str]) -> dict:
    """One LatentRecord JSONL over all SAEs, the explain stage's input."""
    paths = RunPaths(Path(cfg.out_dir))
    config = {"sources": sorted(sources), "stats": {s: json.loads((paths.stats(s) / "DONE.json").read_text()).get("seconds") for s in sources}}

    def work(tmp: Path) -> dict:
        n = 0
        with open(tmp / LATENTS_FILE, "w", encoding="utf-8") as f:
            for s in sorted(sources):
                for row in read_jsonl(paths.stats(s) / RECORDS):
                    f.write(json.dumps(row, ensure_ascii=False) + "\n")
                    n += 1
        return {"records": n}

    return run_stage(paths.latents, "latents", config, work)
