"""embed stage: every explanation's sentence embedding, row for row with the explain stage's output.

Writes `rows.jsonl` ({sae, index, explanation: line number in explanations.jsonl})
and `vectors.npy` ((n, 384) float32, unit rows).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from .atomic import atomic_write_text
from .config import RunConfig
from .paths import RunPaths
from .records import read_jsonl
from .stage_runner import require_done, run_stage

EMBED_ROWS = "rows.jsonl"
EMBED_VECTORS = "vectors.npy"
EMBED_KEYS = {"model_dir", "device"}


def run_embed_stage(cfg: RunConfig) -> dict:
    from .explain.stage import EXPLANATIONS_FILE

    unknown = sorted(set(cfg.embed) - EMBED_KEYS)
    if unknown:
        raise ValueError(f"[embed] has unknown keys: {', '.join(unknown)} (known: {', '.join(sorted(EMBED_KEYS))})")
    paths = RunPaths(Path(cfg.out_dir))
    explanations = require_done(paths.explain, "explain") / EXPLANATIONS_FILE
    config = {"embed": cfg.embed, "explanations_sha256": hashlib.sha256(explanations.read_bytes()).hexdigest()}

    def work(tmp: Path) -> dict:
        from .embed.sentence import SentenceEmbedder

        rows = list(read_jsonl(explanations))
        texts = [r["text"].strip() for r in rows]
        embedder = SentenceEmbedder(cfg.embed.get("model_dir"), device=cfg.embed.get("device", "cpu"))
        vectors = embedder.embed(texts)
        np.save(tmp / EMBED_VECTORS, vectors.astype(np.float32))
        atomic_write_text(tmp / EMBED_ROWS, "".join(
            json.dumps({"sae": r["sae"], "index": r["index"], "explanation": i}) + "\n" for i, r in enumerate(rows)
        ))
        return {"vectors": int(vectors.shape[0]), "dim": int(vectors.shape[1]) if vectors.ndim == 2 else 0}

    return run_stage(paths.embed, "embed", config, work)
