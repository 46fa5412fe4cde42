"""Activations stage: tokenise the corpus once, then capture hookpoints for one shard of sequences.

Per shard, each hookpoint is one `.npy` array (n_seq_in_shard, ctx_len, d) in
`store_dtype`; `shard.json` records which sequences the shard holds.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
from tqdm import tqdm

from ..atomic import atomic_write_json, stage_done
from ..config import RunConfig
from ..device import resolve_device
from ..paths import RunPaths
from ..stage_runner import require_done, run_stage
from .capture import capture
from .corpus import iter_documents
from .model_loading import load_model, load_tokenizer, separator_token, token_strings
from .shards import Shard
from .tokens import TokenFile, open_token_file, write_token_file

VOCAB_FILE = "vocab.json"


def tokens_config(cfg: RunConfig) -> dict:
    a = cfg.activations
    return {"model": cfg.model.__dict__, "corpus": cfg.corpus.__dict__, "ctx_len": a.ctx_len, "max_tokens": a.max_tokens}


def run_tokens_stage(cfg: RunConfig) -> dict:
    paths = RunPaths(Path(cfg.out_dir))

    def work(tmp: Path) -> dict:
        tokenizer = load_tokenizer(cfg.model)
        tf = write_token_file(
            tmp, iter_documents(cfg.corpus), tokenizer, cfg.activations.ctx_len,
            cfg.activations.max_tokens, separator_token(tokenizer),
        )
        atomic_write_json(tmp / VOCAB_FILE, token_strings(tokenizer))
        return {"n_seq": tf.n_seq, "ctx_len": tf.ctx_len, "n_tokens": tf.n_seq * tf.ctx_len, "vocab_size": tf.vocab_size}

    return run_stage(paths.tokens, "tokens", tokens_config(cfg), work)


def activations_config(cfg: RunConfig, shard: Shard) -> dict:
    a = cfg.activations
    return {**tokens_config(cfg), "hookpoints": a.hookpoints(), "store_dtype": a.store_dtype, "shard": str(shard)}


def run_activations_stage(cfg: RunConfig, shard: Shard) -> dict:
    """Capture this shard's activations (tokenising first if no shard has yet)."""
    run_tokens_stage(cfg)
    paths = RunPaths(Path(cfg.out_dir))
    tf = open_token_file(paths.tokens)
    start, end = shard.range(tf.n_seq)

    def work(tmp: Path) -> dict:
        device = resolve_device(cfg.device)
        model = load_model(cfg.model, device)
        return capture_to_files(model, tf, start, end, cfg, tmp, device)

    return run_stage(paths.activation_shard(shard.index, shard.count), f"activations {shard}", activations_config(cfg, shard), work)


def capture_to_files(model, tf: TokenFile, start: int, end: int, cfg: RunConfig, out: Path, device: torch.device) -> dict:
    a = cfg.activations
    names = [h for h, _, _ in a.hookpoints()]
    d_model = model.config.hidden_size
    arrays = {
        name: np.lib.format.open_memmap(
            out / f"{name}.npy", mode="w+", dtype=a.store_dtype, shape=(end - start, tf.ctx_len, d_model)
        )
        for name in names
    }
    for b0 in tqdm(range(start, end, a.batch_size), desc=f"activations {start}:{end}", unit="batch"):
        b1 = min(b0 + a.batch_size, end)
        ids = torch.from_numpy(tf.tokens[b0:b1].astype(np.int64)).to(device)
        for name, act in capture(model, ids, names).items():
            arrays[name][b0 - start : b1 - start] = act.float().cpu().numpy().astype(a.store_dtype)
    for arr in arrays.values():
        arr.flush()
    atomic_write_json(out / "shard.json", {"seq_start": start, "seq_end": end, "hookpoints": names})
    return {"seq_start": start, "seq_end": end, "n_tokens": (end - start) * tf.ctx_len, "d_model": d_model}


def shard_dirs(cfg: RunConfig) -> list[Path]:
    """Completed shard directories of the run, checked to tile all sequences exactly once."""
    paths = RunPaths(Path(cfg.out_dir))
    tf = open_token_file(require_done(paths.tokens, "activations"))
    found = sorted(p for p in paths.activations.glob("shard-*-of-*") if stage_done(p))
    if not found:
        raise FileNotFoundError(f"no completed activation shards in {paths.activations}: run the activations stage")
    counts = {p.name.rsplit("-of-", 1)[1] for p in found}
    if len(counts) != 1:
        raise ValueError(f"activation shards of different counts in {paths.activations}: {sorted(counts)}")
    ranges = sorted((json.loads((p / "shard.json").read_text())["seq_start"], json.loads((p / "shard.json").read_text())["seq_end"], p) for p in found)
    pos = 0
    for s, e, p in ranges:
        if s != pos:
            raise FileNotFoundError(f"activation shards leave sequences {pos}:{s} uncovered; run the missing shards")
        pos = e
    if pos != tf.n_seq:
        raise FileNotFoundError(f"activation shards cover {pos} of {tf.n_seq} sequences; run the missing shards")
    return [p for _, _, p in ranges]


def load_hookpoint(cfg: RunConfig, hookpoint: str) -> np.ndarray:
    """All sequences' activations at one hookpoint, (n_seq, ctx_len, d), read into memory."""
    return np.concatenate([np.load(p / f"{hookpoint}.npy", mmap_mode="r") for p in shard_dirs(cfg)], axis=0)


def load_vocab(cfg: RunConfig) -> list[str]:
    """Every token id decoded to text, as saved by the tokens stage."""
    path = require_done(RunPaths(Path(cfg.out_dir)).tokens, "activations") / VOCAB_FILE
    return json.loads(path.read_text(encoding="utf-8"))
