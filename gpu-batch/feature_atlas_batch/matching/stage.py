"""match stage: cross-SAE matches for every pair of the run's SAEs, and the layer x layer similarity.

Writes bundle-ready `matches.jsonl` (decoder_cosine top-k both ways,
hungarian_decoder partners both ways, explanation_cosine when the embed stage
is done) and `sae_pairs.jsonl` (Hungarian summaries, both orders: by decoder
cosine, and by explanation cosine over the explained latents when the embed
stage is done), plus `similarity.json`: the matrix of mean assigned-pair
decoder cosines, and the explanation matrix beside it when there is one.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from ..config import RunConfig
from ..device import resolve_device
from ..embed_stage import EMBED_ROWS, EMBED_VECTORS
from ..paths import RunPaths, sae_id
from ..records import read_jsonl
from ..sae.loaders import load_sae
from ..stage_runner import require_done, run_stage
from .assignment import hungarian, pair_summary
from .cosine import cosine_matrix, cosine_topk
from .explanations import explanation_matches, latent_vectors


def _sources(cfg: RunConfig) -> list[tuple[str, int]]:
    return [(sae_id(l, s), l) for _, l, s in cfg.activations.hookpoints()]


def match_config(cfg: RunConfig) -> dict:
    paths = RunPaths(Path(cfg.out_dir))
    stamp = lambda p: json.loads((p / "DONE.json").read_text()).get("seconds") if (p / "DONE.json").is_file() else None  # noqa: E731
    return {"match": asdict(cfg.match), "saes": {s: stamp(paths.sae(s)) for s, _ in _sources(cfg)}, "embed": stamp(paths.embed)}


def run_match_stage(cfg: RunConfig) -> dict:
    paths = RunPaths(Path(cfg.out_dir))
    for s, _ in _sources(cfg):
        require_done(paths.sae(s), "train-sae")
    return run_stage(paths.match, "match", match_config(cfg), lambda tmp: match_all(cfg, tmp))


def _row(a: str, ia: int, b: str, ib: int, method: str, score: float, rank: int) -> str:
    return json.dumps({"saeA": a, "indexA": ia, "saeB": b, "indexB": ib, "method": method, "score": round(score, 5), "rank": rank})


def _explanation_embeddings(cfg: RunConfig) -> dict[str, tuple[np.ndarray, list[int]]]:
    """source -> (vectors, latent index per row), from the embed stage when it is done."""
    embed_dir = RunPaths(Path(cfg.out_dir)).embed
    if not (embed_dir / "DONE.json").is_file():
        return {}
    vectors = np.load(embed_dir / EMBED_VECTORS)
    out: dict[str, tuple[list[int], list[int]]] = {}
    for row_no, row in enumerate(read_jsonl(embed_dir / EMBED_ROWS)):
        rows, idx = out.setdefault(row["sae"], ([], []))
        rows.append(row_no)
        idx.append(row["index"])
    return {s: (vectors[rows], idx) for s, (rows, idx) in out.items()}


def match_all(cfg: RunConfig, out: Path) -> dict:
    m = cfg.match
    device = resolve_device(cfg.device)
    paths = RunPaths(Path(cfg.out_dir))
    sources = _sources(cfg)
    dec = {s: load_sae(paths.sae(s)).W_dec.float() for s, _ in sources}
    emb = _explanation_embeddings(cfg) if m.explanation_top_k else {}
    names = [s for s, _ in sources]
    sim = np.eye(len(names))
    # Explanation similarity: only pairs whose SAEs both have explained latents get a value.
    sim_expl = np.full((len(names), len(names)), np.nan)
    per_latent = {s: latent_vectors(*emb[s]) for s in emb}
    counts = {"decoder_cosine": 0, "hungarian_decoder": 0, "explanation_cosine": 0, "explanation_pairs": 0}
    pairs = list(itertools.combinations(range(len(names)), 2))
    with open(out / "matches.jsonl", "w") as mf, open(out / "sae_pairs.jsonl", "w") as pf:
        for ia, ib in tqdm(pairs, desc="match pairs", unit="pair", mininterval=2.0):
            a, b = names[ia], names[ib]
            for x, y in ((a, b), (b, a)):
                vals, idx = cosine_topk(dec[x], dec[y], m.top_k, m.block_size, device)
                for i, (vr, ir) in enumerate(zip(vals.tolist(), idx.tolist())):
                    for rank, (v, j) in enumerate(zip(vr, ir)):
                        mf.write(_row(x, i, y, j, "decoder_cosine", v, rank) + "\n")
                counts["decoder_cosine"] += vals.numel()
                if x in emb and y in emb:
                    for i, j, v, rank in explanation_matches(emb[x][0], emb[x][1], emb[y][0], emb[y][1], m.explanation_top_k):
                        mf.write(_row(x, i, y, j, "explanation_cosine", v, rank) + "\n")
                        counts["explanation_cosine"] += 1
            full = cosine_matrix(dec[a], dec[b], m.block_size, device).numpy()
            asg = hungarian(full)
            for i, j, v in zip(asg.rows.tolist(), asg.cols.tolist(), asg.scores.tolist()):
                mf.write(_row(a, i, b, j, "hungarian_decoder", v, 0) + "\n")
                mf.write(_row(b, j, a, i, "hungarian_decoder", v, 0) + "\n")
            counts["hungarian_decoder"] += 2 * len(asg.rows)
            for x, y, nx, ny in ((a, b, full.shape[0], full.shape[1]), (b, a, full.shape[1], full.shape[0])):
                summary = pair_summary(asg, nx, ny, m.threshold, m.bins, m.hist_min)
                pf.write(json.dumps({"saeA": x, "saeB": y, "method": "decoder_cosine", **summary}) + "\n")
            sim[ia, ib] = sim[ib, ia] = float(asg.scores.mean())
            if per_latent.get(a, ([], []))[1] and per_latent.get(b, ([], []))[1]:
                sim_expl[ia, ib] = sim_expl[ib, ia] = _explanation_pair(per_latent[a][0], per_latent[b][0], a, b, m, pf)
                counts["explanation_pairs"] += 1
    layers = [l for _, l in sources]
    similarity = {"sources": names, "layers": layers, "method": "hungarian_decoder mean cosine", "matrix": sim.round(4).tolist(),
                  "random_baseline": random_baseline(dec[names[0]].shape, cfg.seed)}
    if counts["explanation_pairs"]:
        np.fill_diagonal(sim_expl, 1.0)
        similarity["explanation_matrix"] = [[None if np.isnan(v) else round(float(v), 4) for v in row] for row in sim_expl]
        similarity["explanation_method"] = "hungarian mean cosine of explanation embeddings (explained latents only)"
    (out / "similarity.json").write_text(json.dumps(similarity, indent=2) + "\n")
    return {"pairs": len(pairs), "rows": counts, "similarity": similarity, "nearby_vs_distant": nearby_vs_distant(sim, layers)}


def _explanation_pair(va: np.ndarray, vb: np.ndarray, a: str, b: str, m, pf) -> float:
    """One-to-one assignment of the explained latents of two SAEs by explanation cosine; writes
    the explanation_cosine summary in both orders and returns the mean assigned cosine."""
    full = cosine_matrix(torch.from_numpy(va), torch.from_numpy(vb), m.block_size).numpy()
    asg = hungarian(full)
    for x, y, nx, ny in ((a, b, full.shape[0], full.shape[1]), (b, a, full.shape[1], full.shape[0])):
        summary = pair_summary(asg, nx, ny, m.threshold, m.bins, m.hist_min)
        pf.write(json.dumps({"saeA": x, "saeB": y, "method": "explanation_cosine", **summary}) + "\n")
    return float(asg.scores.mean())


def random_baseline(shape: tuple[int, int], seed: int) -> float:
    """Mean Hungarian-matched cosine of two sets of random unit directions of this shape: the
    similarity two unrelated (or untrained) SAEs show by chance, to read the matrix against."""
    g = torch.Generator().manual_seed(seed)
    a, b = torch.randn(*shape, generator=g), torch.randn(*shape, generator=g)
    return round(float(hungarian(cosine_matrix(a, b).numpy()).scores.mean()), 4)


def nearby_vs_distant(sim: np.ndarray, layers: list[int]) -> dict:
    """Mean similarity of pairs of adjacent SAEs in the layer order vs pairs further apart, and its
    Spearman correlation with the layer distance (negative: nearby layers are more alike)."""
    from scipy.stats import spearmanr

    n = len(layers)
    if n < 3:
        return {}
    order = np.argsort(layers)
    dist, vals = [], []
    for i, j in itertools.combinations(range(n), 2):
        dist.append(abs(int(np.where(order == i)[0][0]) - int(np.where(order == j)[0][0])))
        vals.append(sim[i, j])
    dist, vals = np.array(dist), np.array(vals)
    rho = spearmanr(dist, vals).statistic
    return {"adjacent_mean": float(vals[dist == 1].mean()), "distant_mean": float(vals[dist > 1].mean()),
            "spearman_distance_vs_similarity": float(rho)}
