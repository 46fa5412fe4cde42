"""The golden bundle: small, deterministic, touching every file and rule of the format.

The TypeScript tests read the committed copy (test/fixtures/golden-bundle/);
the Python tests rebuild it and require the same bytes, so a change on either
side that breaks the contract shows up as a failing test. Every number is made
from integer arithmetic (no RNG, no libm) so that it is the same on any machine;
only the explanation vectors come from the embedding model, and
`golden_texts()` lets a caller embed them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..embed import EMBEDDING
from .writer import BundleWriter

CREATED_AT = "2026-11-24T00:00:00Z"
BUNDLE_ID = "tiny-lm-golden"
MODEL = {
    "id": "tiny-lm",
    "displayName": "Tiny LM (golden bundle)",
    "architecture": "llama",
    "nLayers": 4,
    "dModel": 16,
    "dMlp": 10,
    "vocabSize": 50,
}
SOURCE = {"kind": "pipeline", "origin": "golden bundle of the Feature Atlas tests", "license": "Apache-2.0"}
SAES = [
    {"id": "1-res-topk", "hookpoint": "model.layers.1", "layer": 1, "site": "resid_post", "kind": "sae",
     "architecture": "topk", "width": 10, "k": 3, "dIn": 16,
     "stats": {"fvu": 0.21, "deadFraction": 0.1, "trainTokens": 20000, "l0": 3}},
    {"id": "2-res-topk", "hookpoint": "model.layers.2", "layer": 2, "site": "resid_post", "kind": "sae",
     "architecture": "topk", "width": 10, "k": 3, "dIn": 16, "stats": {"fvu": 0.25}},
    {"id": "1-mlp-neurons", "hookpoint": "model.layers.1.mlp.act_fn", "layer": 1, "site": "mlp_neurons",
     "kind": "neurons", "architecture": "neurons", "width": 10, "k": None, "dIn": 16, "stats": {}},
]
VOCAB = [
    "<|endoftext|>", " the", " dog", " cat", " court", " law", " citation", " v.", " Smith", " Z",
    "Z", "z", " zebra", " California", " Los", " Angeles", " red", " blue", " green", " color",
    "1", "2", "19", "20", " 2024", ".", ",", "\n", "\"", "\\", " é", "ü", " 日本", " code", "def",
    " return", "(", ")", " (", " is", " was", " ran", " happy", " sad", " love", " hate", " city",
    " river", " mountain", "",
]
THEMES = [
    "legal citations and case names in court documents",
    "mentions of the letter Z at the start of words",
    "colour words, especially red, green and blue",
    "places in California such as Los Angeles",
    "years and four-digit dates",
    "punctuation that ends a sentence",
    "Python source code keywords like def and return",
    "expressions of strong emotion: love and hate",
    "animals kept as pets, mostly dogs and cats",
    "geographic features: rivers and mountains",
]
_DIRECTIONS = {"sae": ("decoder", "encoder"), "neurons": ("write", "read_up")}


def golden_explanations() -> list[tuple[str, int, str, str]]:
    """(sae, index, text, explainer) of every explanation, in id order."""
    rows = []
    for s, sae in enumerate(SAES):
        for i in range(sae["width"]):
            theme = THEMES[(i + 3 * s) % len(THEMES)]
            rows.append((sae["id"], i, theme, "SmolLM2-135M-Instruct"))
            if i % 4 == 0:
                rows.append((sae["id"], i, f"{theme} (second opinion)", "gpt-4o-mini"))
    return rows


def golden_texts() -> list[str]:
    return [text for _, _, text, _ in golden_explanations()]


def _value(feature: int, token: int, salt: int) -> float:
    # Integer arithmetic only, so the values are identical on every platform.
    return ((feature * 37 + token * 11 + salt * 5 + feature * token) % 201 - 100) / 25


def write_golden_bundle(out_dir: str | Path, vectors: np.ndarray, overwrite: bool = False) -> Path:
    """Write the golden bundle with the given explanation vectors (one row per explanation)."""
    explanations = golden_explanations()
    if vectors.shape != (len(explanations), EMBEDDING["dim"]):
        raise ValueError(f"need {len(explanations)} vectors of dim {EMBEDDING['dim']}, got {vectors.shape}")
    with BundleWriter(out_dir, BUNDLE_ID, MODEL, EMBEDDING, SOURCE, created_at=CREATED_AT,
                      overwrite=overwrite) as w:
        for sae in SAES:
            w.add_sae(sae)
        w.add_vocab(VOCAB)
        _latents(w)
        for eid, ((sae, index, text, explainer), vector) in enumerate(zip(explanations, vectors)):
            w.add_explanation(sae, index, text, explainer, "delphi-default",
                              "explain-v1" if explainer != "gpt-4o-mini" else None, vector)
            _scores(w, eid)
        _examples(w)
        _decodings(w)
        _matches(w)
    return Path(out_dir)


def _latents(w: BundleWriter) -> None:
    for s, sae in enumerate(SAES):
        for i in range(sae["width"]):
            dead = i == 9 and s == 0
            w.add_latent({
                "sae": sae["id"], "index": i,
                "density": 0 if dead else (i + 1 + s) / 1000,
                "maxActivation": None if dead else 1 + (i * 7 + s) % 10 / 4,
                "meanActivation": None if dead else 0.5 + (i * 3 + s) % 5 / 8,
                "nActivations": 0 if dead else (i + 1 + s) * 20,
            })


def _scores(w: BundleWriter, eid: int) -> None:
    for k, scorer in enumerate(("fuzz", "detection")):
        tp, fn = 10 + (eid * 3 + k) % 10, (eid + k) % 5
        tn, fp = 12 + (eid * 5 + k) % 8, (eid * 2 + k) % 6
        value = (tp / (tp + fn) + tn / (tn + fp)) / 2
        w.add_score({"explanation": eid, "scorer": scorer, "value": value, "n": tp + fn + tn + fp,
                     "details": {"metric": "balanced_accuracy", "tp": tp, "tn": tn, "fp": fp, "fn": fn}})
    if eid % 5 == 0:
        w.add_score({"explanation": eid, "scorer": "embedding", "value": 0.5 + eid % 7 / 16, "n": 40,
                     "details": {"metric": "auroc"}})
        w.add_score({"explanation": eid, "scorer": "surprisal", "value": -0.25 * (eid % 3), "n": 40,
                     "details": None})


def _examples(w: BundleWriter) -> None:
    for s, sae in enumerate(SAES):
        for i in range(sae["width"]):
            for kind, rank, quantile in (("top", 0, None), ("top", 1, None), ("quantile", 0, 2), ("random", 0, None)):
                n = 4 + (i + rank + s) % 5
                tokens = [VOCAB[(i * 5 + s * 3 + rank + t * 7) % len(VOCAB)] for t in range(n)]
                if kind == "random":
                    acts = [0] * n
                else:
                    acts = [((i + t * 3 + rank) % 6) / (2 + rank) for t in range(n)]
                w.add_example({"sae": sae["id"], "index": i, "rank": rank, "kind": kind, "quantile": quantile,
                               "maxActivation": max(acts), "tokens": tokens, "activations": acts})


def _decodings(w: BundleWriter) -> None:
    by_token: dict[tuple[int, str], list[tuple[float, str, int]]] = {}
    for s, sae in enumerate(SAES):
        for salt, direction in enumerate(_DIRECTIONS[sae["kind"]]):
            for i in range(sae["width"]):
                values = [(_value(i + 10 * s, t, salt), t) for t in range(len(VOCAB))]
                top = sorted(values, key=lambda vt: (-vt[0], vt[1]))[:5]
                bottom = sorted(values, key=lambda vt: (vt[0], vt[1]))[:5]
                w.add_decoding({
                    "sae": sae["id"], "index": i, "direction": direction,
                    "top": [{"id": t, "token": VOCAB[t], "value": v} for v, t in top],
                    "bottom": [{"id": t, "token": VOCAB[t], "value": v} for v, t in bottom],
                })
                for v, t in values:
                    by_token.setdefault((t, direction), []).append((v, sae["id"], i))
    for (t, direction), entries in sorted(by_token.items()):
        best = sorted(entries, key=lambda e: (-e[0], e[1], e[2]))[:4]
        w.add_token_index({"tokenId": t, "token": VOCAB[t], "direction": direction,
                           "entries": [{"sae": sae, "index": i, "value": v} for v, sae, i in best]})


def _matches(w: BundleWriter) -> None:
    a, b = SAES[0]["id"], SAES[1]["id"]
    for src, dst in ((a, b), (b, a)):
        for i in range(10):
            for rank in range(3):
                w.add_match({"saeA": src, "indexA": i, "saeB": dst, "indexB": (i + rank * 3) % 10,
                             "method": "decoder_cosine", "score": 0.9 - 0.2 * rank - i / 100, "rank": rank})
            w.add_match({"saeA": src, "indexA": i, "saeB": dst, "indexB": (i + 1) % 10,
                         "method": "explanation_cosine", "score": 0.8 - i / 50, "rank": 0})
            w.add_match({"saeA": src, "indexA": i, "saeB": dst, "indexB": i,
                         "method": "hungarian_decoder", "score": 0.9 - i / 100, "rank": 0})
        scores = [0.9 - i / 100 for i in range(10)]
        w.add_sae_pair({"saeA": src, "saeB": dst, "method": "decoder_cosine", "nA": 10, "nB": 10,
                        "threshold": 0.7, "matchedFraction": sum(x > 0.7 for x in scores) / 10,
                        "meanMatchedScore": sum(scores) / 10, "medianMatchedScore": (scores[4] + scores[5]) / 2,
                        "histogram": {"edges": [0, 0.25, 0.5, 0.75, 1], "counts": [0, 0, 0, 10]}})
