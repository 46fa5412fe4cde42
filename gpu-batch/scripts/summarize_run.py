"""Summarise a finished run: sizes, FVU and dead fraction per SAE, time per stage, layer similarity.

    python scripts/summarize_run.py runs/smollm2-sotu-cpu --out results/smollm2-sotu-cpu-summary

writes <out>.json and <out>.md and prints the markdown.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def _done(p: Path) -> dict | None:
    f = p / "DONE.json"
    return json.loads(f.read_text()) if f.is_file() else None


def collect(run: Path) -> dict:
    stage_seconds: dict[str, float] = {}
    for d in sorted(run.glob("activations/shard-*")):
        if (s := _done(d)):
            stage_seconds["activations"] = stage_seconds.get("activations", 0) + s["seconds"]
    saes = {}
    for d in sorted(run.glob("saes/*"), key=lambda p: int(p.name.split("-")[0])):
        if (s := _done(d)):
            saes[d.name] = {k: s[k] for k in ("layer", "fvu", "dead_fraction", "train_tokens", "tokens_per_second", "seconds")}
            stage_seconds["train-sae"] = stage_seconds.get("train-sae", 0) + s["seconds"]
    for d in sorted(run.glob("stats/*")):
        if (s := _done(d)):
            saes.get(d.name, {}).update({"stats_dead_fraction": s["dead_fraction"], "records": s["records"], "nnz": s["nnz"]})
            stage_seconds["stats"] = stage_seconds.get("stats", 0) + s["seconds"]
    for name in ("tokens", "latents", "explain", "score", "embed", "decode", "match", "bundle"):
        if (s := _done(run / name)):
            stage_seconds[name] = s.get("seconds")
    decode_parts = {}
    for d in sorted(run.glob("decode-parts/*")):
        if (s := _done(d)):
            decode_parts[d.name] = {"features": s["features"], "seconds": s["seconds"]}
            stage_seconds["decode"] = stage_seconds.get("decode", 0) + s["seconds"]
    tokens = _done(run / "tokens") or {}
    decode = _done(run / "decode") or {}
    match = _done(run / "match") or {}
    explain = _done(run / "explain") or {}
    score = _done(run / "score") or {}
    bundle = _done(run / "bundle") or {}
    wall = json.loads((run / "run_summary.json").read_text()).get("wall_seconds", {}) if (run / "run_summary.json").is_file() else {}
    return {
        "run": run.name,
        "corpus_tokens": tokens.get("n_tokens"),
        "saes": saes,
        "decode": {**{k: decode.get(k) for k in ("features", "total_features", "vocab_size")}, "parts": decode_parts},
        "explain": {k: explain.get(k) for k in ("latents", "explained", "failed", "explainer", "explanationsPerS")},
        "score": {k: v for k, v in score.items() if k not in ("stage",)},
        "similarity": match.get("similarity"),
        "nearby_vs_distant": match.get("nearby_vs_distant"),
        "match_rows": match.get("rows"),
        "bundle": {"files": bundle.get("files"), "bytes": bundle.get("bytes")},
        "stage_seconds": {k: round(v, 1) for k, v in stage_seconds.items() if v is not None},
        "last_run_wall_seconds": wall,
    }


def markdown(s: dict) -> str:
    lines = [f"# Run `{s['run']}`", "", f"Corpus tokens: {s['corpus_tokens']}", "",
             "| SAE | layer | FVU | dead fraction | train tokens | train tok/s |", "|---|---|---|---|---|---|"]
    for name, v in s["saes"].items():
        lines.append(f"| {name} | {v['layer']} | {v['fvu']:.3f} | {v['dead_fraction']:.3f} | {v['train_tokens']} | {v['tokens_per_second']:.0f} |")
    lines += ["", "Time per stage (s): " + ", ".join(f"{k} {v}" for k, v in s["stage_seconds"].items()), ""]
    if s["decode"].get("total_features"):
        lines.append(f"LM-head decodings: {s['decode']['features']} (total {s['decode']['total_features']})")
    if s["explain"].get("latents"):
        lines.append(f"Explanations: {s['explain']['explained']} of {s['explain']['latents']} latents ({s['explain']['failed']} failed)")
    if s["bundle"].get("files"):
        lines.append(f"Bundle: {s['bundle']['bytes'] / 1e6:.1f} MB; rows: {s['bundle']['files']}")
    sim = s.get("similarity")
    if sim:
        base = sim.get("random_baseline")
        lines += ["", "Layer x layer similarity (mean Hungarian-matched decoder cosine"
                  + (f"; two sets of random directions of the same shape score {base:.3f}" if base is not None else "") + "):", "",
                  "| | " + " | ".join(str(l) for l in sim["layers"]) + " |", "|---" * (len(sim["layers"]) + 1) + "|"]
        for l, row in zip(sim["layers"], sim["matrix"]):
            lines.append(f"| {l} | " + " | ".join(f"{v:.2f}" for v in row) + " |")
        nd = s.get("nearby_vs_distant") or {}
        if nd:
            lines += ["", f"Adjacent SAEs: mean {nd['adjacent_mean']:.3f}; further apart: {nd['distant_mean']:.3f}; "
                      f"Spearman(layer distance, similarity) = {nd['spearman_distance_vs_similarity']:.3f}"]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("run", type=Path)
    ap.add_argument("--out", type=Path, required=True, help="output path without extension")
    args = ap.parse_args()
    if not args.run.is_dir():
        raise SystemExit(f"error: {args.run} is not a run directory")
    summary = collect(args.run)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(json.dumps(summary, indent=2) + "\n")
    md = markdown(summary)
    args.out.with_suffix(".md").write_text(md)
    print(md)


if __name__ == "__main__":
    main()
