"""The model-side stages end to end on a tiny random Llama: activations -> SAEs -> stats -> decode -> match -> bundle."""

import json

import torch

from feature_atlas_batch.atomic import DONE_MARKER
from feature_atlas_batch.bundle.validate import validate_bundle
from feature_atlas_batch.paths import RunPaths
from feature_atlas_batch.pipeline import run_all, run_one
from feature_atlas_batch.records import LatentRecord, read_jsonl
from feature_atlas_batch.sae.loaders import load_sae
from model_helpers import tiny_run_config


def test_tiny_pipeline_writes_a_valid_bundle(tmp_path):
    cfg = tiny_run_config(tmp_path, layers=(1, 2, 3))
    out = run_all(cfg, skip=["explain", "score", "embed"])
    paths = RunPaths(tmp_path / "out")
    records = [LatentRecord.from_json(r) for r in read_jsonl(paths.latents / "latents.jsonl")]
    assert records and {r.sae for r in records} == {"1-res-topk", "2-res-topk", "3-res-topk"}
    assert all(r.train and max(e.max_activation for e in r.train) > 0 for r in records)
    bundle = paths.bundle / "tiny"
    manifest = json.loads((bundle / "manifest.json").read_text())
    files = manifest["files"]
    # 3 SAEs + 4 neuron sets; every neuron of every layer decoded in 3 directions, every latent once.
    assert files["saes.jsonl"]["rows"] == 7
    assert files["decodings.jsonl"]["rows"] == 4 * 48 * 3 + 3 * 64
    assert files["token_index.jsonl"]["rows"] == 4 * files["vocab.jsonl"]["rows"]
    assert files["sae_pairs.jsonl"]["rows"] == 6
    assert not validate_bundle(bundle)
    sim = out["stages"]["match"]["similarity"]["matrix"]
    assert len(sim) == 3 and sim[0][0] == 1.0
    # SAEs of different layers start from different weights: otherwise their decoders stay
    # alike row by row and the layer similarity measures the shared initialisation.
    a, b = (load_sae(paths.sae(s)).W_dec for s in ("1-res-topk", "2-res-topk"))
    assert torch.nn.functional.cosine_similarity(a, b, dim=1).mean() < 0.5

    # Resumability: everything is done, so a second run recomputes nothing ...
    before = (paths.sae("1-res-topk") / DONE_MARKER).stat().st_mtime_ns
    run_one(cfg, "train-sae")
    assert (paths.sae("1-res-topk") / DONE_MARKER).stat().st_mtime_ns == before
    # ... but a stage whose marker is gone is recomputed.
    (paths.stats("2-res-topk") / DONE_MARKER).unlink()
    summary = run_one(cfg, "stats")
    assert (paths.stats("2-res-topk") / DONE_MARKER).is_file()
    assert summary["2-res-topk"]["records"] > 0
