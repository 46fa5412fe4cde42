"""Import a delphi (sae-auto-interp) results directory as a bundle.

Layout read (`<p>` is the run's prefix, e.g. `gpt2`):

    <p>_explanations/<hookpoint>_feature<i>.txt   {generation_prompt, response, explanation}
    <p>_fuzz/<hookpoint>_feature<i>.txt           [{id, distance, ground_truth, prediction, highlighted, text}]
    <p>_recall/<hookpoint>_feature<i>.txt         same, from delphi's detection ("recall") scorer

One SAE per hookpoint (`.transformer.h.6` -> `6-res-delphi`, layer 6,
resid_post). The results do not record the SAE's width, so it is taken as the
largest feature index + 1, and the manifest's source.origin says so. Scores are
balanced accuracy over the scorer's examples; examples are the ones shown to
the explainer, recovered from its prompt (see delphi_prompt.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from ..bundle import BundleWriter
from ..embed import EMBEDDING
from .delphi_prompt import parse_prompt
from .neuronpedia import Embedder
from .report import ImportReport

_FILE = re.compile(r"(?P<hookpoint>.+)_feature(?P<index>\d+)\.txt")
_LAYER = re.compile(r"\.(\d+)(?:\.|$)")
# delphi's scorer folders and the bundle's scorer names.
_SCORERS = (("fuzz", "fuzz"), ("recall", "detection"), ("detection", "detection"))
ARCHITECTURE_NOTE = "the SAE architecture and k are not recorded either: architecture topk is assumed, k is null"


@dataclass
class DelphiLatent:
    hookpoint: str
    index: int
    explanation: dict
    scores: dict[str, list[dict]]


def balanced_accuracy(results: list[dict], where: str) -> dict:
    """Score row fields from per-example scorer outputs (ground_truth vs prediction)."""
    tp = tn = fp = fn = 0
    for i, r in enumerate(results):
        truth, pred = r.get("ground_truth"), r.get("prediction")
        if not isinstance(truth, bool) or not isinstance(pred, bool):
            raise ValueError(f"{where}: entry {i} needs boolean ground_truth and prediction")
        tp += truth and pred
        tn += (not truth) and (not pred)
        fp += (not truth) and pred
        fn += truth and (not pred)
    rates = []
    if tp + fn:
        rates.append(tp / (tp + fn))
    if tn + fp:
        rates.append(tn / (tn + fp))
    if not rates:
        raise ValueError(f"{where}: no scored examples")
    return {
        "value": sum(rates) / len(rates),
        "n": tp + tn + fp + fn,
        "details": {"metric": "balanced_accuracy", "tp": tp, "tn": tn, "fp": fp, "fn": fn},
    }


def sae_id(hookpoint: str) -> tuple[str, int]:
    m = _LAYER.search(hookpoint)
    if not m:
        raise ValueError(f"cannot read a layer number from hookpoint {hookpoint!r}")
    layer = int(m.group(1))
    site = "mlp" if "mlp" in hookpoint else "res"
    return f"{layer}-{site}-delphi", layer


def find_run(results_dir: Path) -> tuple[Path, dict[str, Path]]:
    """The explanations folder and the scorer folders (bundle scorer name -> folder)."""
    candidates = sorted(p for p in results_dir.iterdir() if p.is_dir() and p.name.endswith("_explanations"))
    if len(candidates) != 1:
        raise ValueError(f"{results_dir}: expected one <prefix>_explanations folder, found {len(candidates)}")
    prefix = candidates[0].name[: -len("_explanations")]
    scorers = {}
    for folder, scorer in _SCORERS:
        path = results_dir / f"{prefix}_{folder}"
        if path.is_dir():
            scorers[scorer] = path
    return candidates[0], scorers


def read_latents(results_dir: Path) -> list[DelphiLatent]:
    explanations_dir, scorer_dirs = find_run(results_dir)
    latents = []
    for path in sorted(explanations_dir.iterdir()):
        m = _FILE.fullmatch(path.name)
        if not m:
            continue
        explanation = _read_json(path)
        if not isinstance(explanation, dict) or "explanation" not in explanation:
            raise ValueError(f"{path}: expected an object with an 'explanation'")
        scores = {}
        for scorer, folder in scorer_dirs.items():
            scored = folder / path.name
            if scored.is_file():
                results = _read_json(scored)
                if not isinstance(results, list):
                    raise ValueError(f"{scored}: expected a list of scored examples")
                scores[scorer] = results
        latents.append(DelphiLatent(m.group("hookpoint"), int(m.group("index")), explanation, scores))
    latents.sort(key=lambda x: (sae_id(x.hookpoint)[1], x.hookpoint, x.index))
    return latents


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8", errors="replace"))
    except json.JSONDecodeError as e:
        raise ValueError(f"{path}:{e.lineno}: not valid JSON ({e.msg})") from e


def import_delphi_results(
    results_dir: str | Path,
    out_dir: str | Path,
    *,
    bundle_id: str,
    model: dict,
    embedder: Embedder,
    origin_prefix: str,
    license: str | None,
    explainer: str = "unknown",
    created_at: str | None = None,
    overwrite: bool = False,
) -> ImportReport:
    results_dir = Path(results_dir)
    latents = read_latents(results_dir)
    report = ImportReport(bundle=Path(out_dir))
    report.rows_read = len(latents)
    widths: dict[str, int] = {}
    hookpoints: dict[str, tuple[str, int]] = {}
    for lat in latents:
        sid, layer = sae_id(lat.hookpoint)
        hookpoints[sid] = (lat.hookpoint, layer)
        widths[sid] = max(widths.get(sid, 0), lat.index + 1)
    origin = (f"{origin_prefix}. SAE widths are not in the results: each is the largest feature index + 1 "
              f"({', '.join(f'{k}: {v}' for k, v in widths.items())}); {ARCHITECTURE_NOTE}. Example activations "
              "are delphi's normalised 0..10 values from the explainer prompt; text between activating tokens "
              "is split by GPT-2's pre-tokenisation rule.")
    source = {"kind": "delphi", "origin": origin, "license": license}
    kept = [lat for lat in latents if isinstance(lat.explanation["explanation"], str)
            and lat.explanation["explanation"].strip()]
    report.skipped_empty = len(latents) - len(kept)
    vectors = embedder.embed([lat.explanation["explanation"] for lat in kept], progress=True)
    inexact = 0
    with BundleWriter(out_dir, bundle_id, model, EMBEDDING, source,
                      created_at=created_at, overwrite=overwrite) as writer:
        for sid, (hookpoint, layer) in hookpoints.items():
            writer.add_sae({"id": sid, "hookpoint": hookpoint, "layer": layer, "site": "resid_post", "kind": "sae",
                            "architecture": "topk", "width": widths[sid], "k": None, "dIn": model["dModel"],
                            "stats": {}})
        report.saes = len(hookpoints)
        for lat, vector in tqdm(list(zip(kept, vectors)), desc="delphi latents", unit="latent"):
            sid, _ = sae_id(lat.hookpoint)
            writer.add_latent({"sae": sid, "index": lat.index, "density": None, "maxActivation": None,
                               "meanActivation": None, "nActivations": None})
            report.latents += 1
            eid = writer.add_explanation(sid, lat.index, lat.explanation["explanation"], explainer,
                                         "delphi-default", None, vector)
            report.explanations += 1
            for scorer, results in sorted(lat.scores.items()):
                where = f"{results_dir.name}/{scorer}/{lat.hookpoint}_feature{lat.index}.txt"
                writer.add_score({"explanation": eid, "scorer": scorer, **balanced_accuracy(results, where)})
                report.scores += 1
            prompt = lat.explanation.get("generation_prompt")
            examples = parse_prompt(prompt) if isinstance(prompt, str) else []
            ordered = sorted(examples, key=lambda e: -e.max_activation)  # stable: prompt order breaks ties
            for rank, ex in enumerate(ordered):
                inexact += not ex.exact
                writer.add_example({"sae": sid, "index": lat.index, "rank": rank, "kind": "top", "quantile": None,
                                    "maxActivation": ex.max_activation, "tokens": ex.tokens,
                                    "activations": ex.activations})
                report.examples += 1
    report.notes.append(f"{inexact} of {report.examples} examples have marked tokens without a listed value (set to 0)")
    return report
