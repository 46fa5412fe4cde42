"""decode stage: LM-head decodings of every MLP neuron and SAE latent, and the reverse token index.

Each direction is its own resumable part (`decode-parts/<direction>/`): the
neuron directions depend only on the model, so retraining an SAE recomputes
only the `decoder` / `encoder` parts. The token index of a direction covers all
features with that direction, so no part needs another. The `decode` step then
gathers the parts into bundle-ready `decodings.jsonl`, `token_index.jsonl` and
`vocab.jsonl`, plus `neuron_sets.json` (neuron sources for saes.jsonl) and
`model.json`.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import asdict
from pathlib import Path

import torch
from tqdm import tqdm

from ..activations.model_loading import load_model
from ..activations.stage import load_vocab
from ..atomic import atomic_write_json
from ..config import NEURON_DIRECTIONS, RunConfig
from ..device import resolve_device
from ..paths import RunPaths, neuron_set_id, sae_id
from ..sae.loaders import load_sae
from ..stage_runner import require_done, run_stage
from .project import Projector, effective_unembedding
from .rows import decoding_rows, token_index_rows, write_jsonl
from .sources import final_norm_weight, latent_directions, mlp_layers, neuron_directions

PART_FILES = ("decodings.jsonl", "token_index.jsonl")


class _Model:
    """The model, loaded on first use and shared by the parts of one decode run."""

    def __init__(self, cfg: RunConfig):
        self.cfg, self._model = cfg, None

    def get(self):
        if self._model is None:
            self._model = load_model(self.cfg.model, torch.device("cpu"))
        return self._model


def _directions(cfg: RunConfig) -> list[str]:
    return (list(cfg.decode.neuron_directions) if cfg.decode.neurons else []) + list(cfg.decode.sae_directions)


def _sae_stamps(cfg: RunConfig) -> dict:
    paths = RunPaths(Path(cfg.out_dir))
    return {sae_id(l, s): json.loads((paths.sae(sae_id(l, s)) / "DONE.json").read_text()).get("seconds")
            for _, l, s in cfg.activations.hookpoints()}


def part_config(cfg: RunConfig, direction: str) -> dict:
    d = cfg.decode
    out = {"direction": direction, "top_k": d.top_k, "index_k": d.index_k, "block_size": d.block_size, "model": asdict(cfg.model)}
    if direction not in NEURON_DIRECTIONS:
        out["saes"] = _sae_stamps(cfg)
    return out


def run_decode_stage(cfg: RunConfig) -> dict:
    paths = RunPaths(Path(cfg.out_dir))
    for _, layer, site in cfg.activations.hookpoints():
        require_done(paths.sae(sae_id(layer, site)), "train-sae")
    model = _Model(cfg)
    parts = {}
    for direction in _directions(cfg):
        parts[direction] = run_stage(
            paths.decode_part(direction), f"decode {direction}", part_config(cfg, direction),
            lambda tmp, direction=direction: decode_direction(cfg, direction, model, tmp),
        )
    gather_cfg = {"parts": {d: p.get("seconds") for d, p in parts.items()}, "neurons": cfg.decode.neurons, "model": asdict(cfg.model)}
    return run_stage(paths.decode, "decode", gather_cfg, lambda tmp: gather_parts(cfg, model, parts, tmp))


def _sources(cfg: RunConfig, direction: str, model: _Model) -> list[tuple[str, torch.Tensor]]:
    if direction in NEURON_DIRECTIONS:
        return [(neuron_set_id(l), neuron_directions(layer.mlp, direction)) for l, layer in enumerate(mlp_layers(model.get()))]
    paths = RunPaths(Path(cfg.out_dir))
    return [(sae_id(l, s), latent_directions(load_sae(paths.sae(sae_id(l, s))), direction).float())
            for _, l, s in cfg.activations.hookpoints()]


def decode_direction(cfg: RunConfig, direction: str, model: _Model, out: Path) -> dict:
    device = resolve_device(cfg.device)
    vocab = load_vocab(cfg)
    m = model.get()
    unembed = effective_unembedding(m.get_output_embeddings().weight.detach(), final_norm_weight(m))
    if unembed.shape[0] != len(vocab):
        raise ValueError(f"unembedding has {unembed.shape[0]} rows but the tokenizer {len(vocab)} tokens")
    sources = _sources(cfg, direction, model)
    started = time.time()
    proj = Projector(unembed, cfg.decode.top_k, cfg.decode.index_k, device)
    owners, n_rows, bs = [], 0, cfg.decode.block_size
    bar = tqdm(total=sum(-(-d.shape[0] // bs) for _, d in sources), desc=f"decode {direction}", unit="block", mininterval=2.0)
    with open(out / "decodings.jsonl", "w", encoding="utf-8") as dec_f:
        for source, dirs in sources:
            owners.append((source, proj.n_features, dirs.shape[0]))
            for b0 in range(0, dirs.shape[0], bs):
                res = proj.add(dirs[b0 : b0 + bs])
                n_rows += write_jsonl(dec_f, decoding_rows(source, direction, res, b0, vocab))
                bar.update(1)
    bar.close()
    project_s = time.time() - started
    with open(out / "token_index.jsonl", "w", encoding="utf-8") as idx_f:
        n_tokens = write_jsonl(idx_f, token_index_rows(direction, proj.index(), owners, vocab))
    return {"direction": direction, "features": n_rows, "tokens": n_tokens, "project_and_write_s": round(project_s, 2),
            "device": str(device)}


def gather_parts(cfg: RunConfig, model: _Model, parts: dict[str, dict], out: Path) -> dict:
    paths = RunPaths(Path(cfg.out_dir))
    for name in PART_FILES:
        with open(out / name, "wb") as dst:
            for direction in parts:
                with open(paths.decode_part(direction) / name, "rb") as src:
                    shutil.copyfileobj(src, dst)
    vocab = load_vocab(cfg)
    with open(out / "vocab.jsonl", "w", encoding="utf-8") as f:
        write_jsonl(f, ({"id": i, "token": t} for i, t in enumerate(vocab)))
    m = model.get()
    neuron_sets = [
        {"id": neuron_set_id(l), "hookpoint": f"model.layers.{l}.mlp", "layer": l, "width": layer.mlp.up_proj.weight.shape[0]}
        for l, layer in enumerate(mlp_layers(m))
    ] if cfg.decode.neurons else []
    atomic_write_json(out / "neuron_sets.json", neuron_sets)
    mc = m.config
    atomic_write_json(out / "model.json", {
        "architecture": mc.model_type, "nLayers": mc.num_hidden_layers, "dModel": mc.hidden_size,
        "dMlp": getattr(mc, "intermediate_size", None), "vocabSize": len(vocab),
    })
    return {"features": {d: p["features"] for d, p in parts.items()}, "total_features": sum(p["features"] for p in parts.values()),
            "vocab_size": len(vocab), "seconds_by_direction": {d: p.get("seconds") for d, p in parts.items()}}
