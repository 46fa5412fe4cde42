"""bundle stage: gather every finished stage's rows into one validated bundle (docs/bundle-format.md).

Optional parts (explanations, scores, decodings, matches) are included when
their stage is done and left out otherwise, so a run stopped before the LLM
stages still yields a bundle.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import numpy as np
from tqdm import tqdm

from .atomic import stage_done
from .config import RunConfig
from .paths import RunPaths, sae_id
from .records import read_jsonl
from .stage_runner import run_stage
from .stats.stage import LATENT_STATS, RECORDS

SOURCE = {"kind": "pipeline", "origin": "feature-atlas-batch run", "license": "Apache-2.0"}


def _stamp(p: Path) -> float | None:
    return json.loads((p / "DONE.json").read_text()).get("seconds") if stage_done(p) else None


def bundle_config(cfg: RunConfig) -> dict:
    paths = RunPaths(Path(cfg.out_dir))
    dirs = [paths.explain, paths.score, paths.embed, paths.decode, paths.match]
    dirs += [paths.sae(sae_id(l, s)) for _, l, s in cfg.activations.hookpoints()]
    dirs += [paths.stats(sae_id(l, s)) for _, l, s in cfg.activations.hookpoints()]
    return {"name": cfg.name, "model": cfg.model.id, "stages": {str(d.relative_to(paths.root)): _stamp(d) for d in dirs}}


def run_bundle_stage(cfg: RunConfig) -> dict:
    paths = RunPaths(Path(cfg.out_dir))
    return run_stage(paths.bundle, "bundle", bundle_config(cfg), lambda tmp: write_bundle(cfg, tmp / cfg.name))


def _model_row(cfg: RunConfig, paths: RunPaths) -> dict:
    info_path = paths.decode / "model.json"
    if stage_done(paths.decode) and info_path.is_file():
        info = json.loads(info_path.read_text())
    else:
        from .activations.model_loading import model_dir
        from transformers import AutoConfig

        kwargs = {"gguf_file": cfg.model.gguf_file} if cfg.model.gguf_file else {}
        mc = AutoConfig.from_pretrained(model_dir(cfg.model), **kwargs)
        info = {"architecture": mc.model_type, "nLayers": mc.num_hidden_layers, "dModel": mc.hidden_size,
                "dMlp": getattr(mc, "intermediate_size", None), "vocabSize": mc.vocab_size}
    return {"id": cfg.model.id, "displayName": cfg.model.display_name, **info}


def _sae_rows(cfg: RunConfig, paths: RunPaths) -> Iterator[dict]:
    for hookpoint, layer, site in cfg.activations.hookpoints():
        source = sae_id(layer, site)
        done = json.loads((paths.sae(source) / "DONE.json").read_text())
        sae_cfg = json.loads((paths.sae(source) / "cfg.json").read_text())
        yield {
            "id": source, "hookpoint": hookpoint, "layer": layer, "site": site, "kind": "sae", "architecture": "topk",
            "width": sae_cfg["num_latents"], "k": sae_cfg["k"], "dIn": sae_cfg["d_in"],
            "stats": {"fvu": done["fvu"], "deadFraction": done["dead_fraction"], "trainTokens": done["train_tokens"], "l0": done["l0"]},
        }
    neuron_sets = paths.decode / "neuron_sets.json"
    if stage_done(paths.decode) and neuron_sets.is_file():
        model = json.loads((paths.decode / "model.json").read_text())
        for ns in json.loads(neuron_sets.read_text()):
            yield {
                "id": ns["id"], "hookpoint": ns["hookpoint"], "layer": ns["layer"], "site": "mlp_neurons", "kind": "neurons",
                "architecture": "neurons", "width": ns["width"], "k": None, "dIn": model["dModel"], "stats": {},
            }


def _example_rows(record: dict) -> Iterator[dict]:
    rank: dict[str, int] = {}
    for ex in [*record["train"], *record["non_activating"]]:
        r = rank.get(ex["kind"], 0)
        rank[ex["kind"]] = r + 1
        yield {
            "sae": record["sae"], "index": record["index"], "rank": r, "kind": ex["kind"], "quantile": ex["quantile"],
            "maxActivation": max(ex["activations"]), "tokens": ex["tokens"], "activations": ex["activations"],
        }


def write_bundle(cfg: RunConfig, out: Path) -> dict:
    from .bundle.writer import BundleWriter
    from .embed.spec import EMBEDDING

    paths = RunPaths(Path(cfg.out_dir))
    sources = [sae_id(l, s) for _, l, s in cfg.activations.hookpoints()]
    writer = BundleWriter(out, cfg.name, _model_row(cfg, paths), EMBEDDING, SOURCE, overwrite=True)
    with writer:
        for row in _sae_rows(cfg, paths):
            writer.add_sae(row)
        for s in sources:
            for row in read_jsonl(paths.stats(s) / LATENT_STATS):
                writer.add_latent(row)
            for record in read_jsonl(paths.stats(s) / RECORDS):
                for row in _example_rows(record):
                    writer.add_example(row)
        explanation_ids = _explanations(writer, paths)
        _scores(writer, paths, explanation_ids)
        if stage_done(paths.decode):
            for name, add in (("vocab.jsonl", None), ("decodings.jsonl", writer.add_decoding), ("token_index.jsonl", writer.add_token_index)):
                rows = read_jsonl(paths.decode / name)
                if add is None:
                    writer.add_vocab(r["token"] for r in rows)
                else:
                    for row in tqdm(rows, desc=f"bundle {name}", unit="row", mininterval=5.0):
                        add(row)
        if stage_done(paths.match):
            for row in tqdm(read_jsonl(paths.match / "matches.jsonl"), desc="bundle matches", unit="row", mininterval=5.0):
                writer.add_match(row)
            for row in read_jsonl(paths.match / "sae_pairs.jsonl"):
                writer.add_sae_pair(row)
    manifest = json.loads((out / "manifest.json").read_text())
    return {"bundle": str(out), "files": {k: v["rows"] for k, v in manifest["files"].items()},
            "bytes": sum(v["bytes"] for v in manifest["files"].values())}


def _explanations(writer, paths: RunPaths) -> dict[tuple[str, int, str], int]:
    """Add explanations (with their vectors) when both explain and embed are done; returns (sae, index, text) -> id."""
    from .explain.stage import EXPLANATIONS_FILE
    from .embed_stage import EMBED_VECTORS

    ids: dict[tuple[str, int, str], int] = {}
    if not (stage_done(paths.explain) and stage_done(paths.embed)):
        return ids
    vectors = np.load(paths.embed / EMBED_VECTORS)
    rows = list(read_jsonl(paths.explain / EXPLANATIONS_FILE))
    if len(rows) != len(vectors):
        raise ValueError(f"{len(rows)} explanations but {len(vectors)} vectors: rerun the embed stage")
    for row, vec in zip(rows, vectors):
        eid = writer.add_explanation(row["sae"], row["index"], row["text"], row["explainer"], row["method"], row.get("prompt_version"), vec)
        ids[(row["sae"], row["index"], row["text"])] = eid
    return ids


def _scores(writer, paths: RunPaths, explanation_ids: dict[tuple[str, int, str], int]) -> None:
    from .score.stage import SCORES_FILE

    if not explanation_ids or not stage_done(paths.score):
        return
    for row in read_jsonl(paths.score / SCORES_FILE):
        eid = explanation_ids.get((row["sae"], row["index"], row["explanation"]))
        if eid is None:
            raise ValueError(f"score for {row['sae']}/{row['index']} names an explanation not in the bundle")
        writer.add_score({"explanation": eid, "scorer": row["scorer"], "value": row["value"], "n": row["n"], "details": row.get("details")})
