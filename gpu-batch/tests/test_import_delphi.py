"""delphi results: prompt parsing, balanced accuracy, and the import as a bundle."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from feature_atlas_batch.bundle import validate_bundle
from feature_atlas_batch.importers.delphi import balanced_accuracy, import_delphi_results, sae_id
from feature_atlas_batch.importers.delphi_prompt import parse_example, parse_pairs, parse_prompt, pretokenize
from feature_atlas_batch.importers.presets import GPT2_SMALL

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "delphi-gpt2"

PROMPT = (
    "\nExample 1: <|endoftext|> the younger guys, and<< everybody>> loves it.\n"
    'Activations: (" everybody" : 2)\n'
    "Example 2:  the company.\nExample 1: The Heretic\nAny<< sizable>> company\n"
    'Activations: (" sizable" : 0)\n'
    "Example 3: y 2007<<\n>>BC Transit<< (BCT>>)\n"
    'Activations: ("\n" : 1), (" (" : 4), ("BCT" : 6)\n'
)


def test_prompt_examples_are_split_in_sequence() -> None:
    examples = parse_prompt(PROMPT)
    assert len(examples) == 3
    # "Example 1:" inside example 2's text is text, not a new example.
    assert "".join(examples[1].tokens) == " the company.\nExample 1: The Heretic\nAny sizable company"
    assert examples[0].tokens[:3] == ["<|endoftext|>", " the", " younger"]
    assert dict(zip(examples[0].tokens, examples[0].activations))[" everybody"] == 2


def test_newline_tokens_and_merged_spans() -> None:
    ex = parse_prompt(PROMPT)[2]
    pairs = [(t, a) for t, a in zip(ex.tokens, ex.activations) if a]
    assert pairs == [("\n", 1), (" (", 4), ("BCT", 6)]
    assert ex.exact and ex.max_activation == 6
    assert "".join(ex.tokens) == "y 2007\nBC Transit (BCT)"


def test_marked_token_without_listed_value_gets_zero() -> None:
    ex = parse_example("the stake<< through a>> dual", parse_pairs('(" through" : 1)'))
    assert list(zip(ex.tokens, ex.activations))[-3:] == [(" through", 1.0), (" a", 0.0), (" dual", 0.0)]
    assert not ex.exact


def test_pretokenize_keeps_leading_spaces() -> None:
    assert pretokenize("Hello, world 2024!<|endoftext|>x") == ["Hello", ",", " world", " 2024", "!", "<|endoftext|>", "x"]


def test_balanced_accuracy() -> None:
    results = [{"ground_truth": True, "prediction": True}] * 3 + [{"ground_truth": True, "prediction": False}] + \
              [{"ground_truth": False, "prediction": False}] * 2 + [{"ground_truth": False, "prediction": True}] * 2
    score = balanced_accuracy(results, "x")
    assert score["value"] == pytest.approx((3 / 4 + 2 / 4) / 2)
    assert score["n"] == 8 and score["details"] == {"metric": "balanced_accuracy", "tp": 3, "tn": 2, "fp": 2, "fn": 1}
    with pytest.raises(ValueError, match="x: entry 0 needs boolean"):
        balanced_accuracy([{"ground_truth": None, "prediction": True}], "x")


def test_sae_id_from_hookpoint() -> None:
    assert sae_id(".transformer.h.10") == ("10-res-delphi", 10)
    with pytest.raises(ValueError, match="layer number"):
        sae_id(".transformer.ln_f")


def write_run(root: Path, files: dict[str, dict], scored: dict[str, list]) -> Path:
    for folder in ("gpt2_explanations", "gpt2_fuzz", "gpt2_recall"):
        (root / folder).mkdir(parents=True)
    for name, explanation in files.items():
        (root / "gpt2_explanations" / name).write_text(json.dumps(explanation), encoding="utf-8")
        for folder in ("gpt2_fuzz", "gpt2_recall"):
            (root / folder / name).write_text(json.dumps(scored[name]), encoding="utf-8")
    return root


def test_import_synthetic_run(tmp_path: Path, sentence_embedder) -> None:
    results = [{"id": 1, "distance": 3, "ground_truth": True, "prediction": True, "highlighted": False, "text": "x"},
               {"id": 2, "distance": -1, "ground_truth": False, "prediction": True, "highlighted": False, "text": "y"}]
    explanation = {"generation_prompt": PROMPT, "response": "[EXPLANATION]: everybody", "explanation": "the word everybody"}
    run = write_run(tmp_path / "run", {".transformer.h.2_feature7.txt": explanation,
                                       ".transformer.h.0_feature3.txt": {**explanation, "explanation": "transit"}},
                    {".transformer.h.2_feature7.txt": results, ".transformer.h.0_feature3.txt": results})
    report = import_delphi_results(run, tmp_path / "b", bundle_id="t", model=GPT2_SMALL, embedder=sentence_embedder,
                                   origin_prefix="test run", license=None)
    assert validate_bundle(tmp_path / "b") == []
    assert (report.saes, report.explanations, report.scores, report.examples) == (2, 2, 4, 6)
    saes = [json.loads(x) for x in (tmp_path / "b" / "saes.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(s["id"], s["layer"], s["width"]) for s in saes] == [("0-res-delphi", 0, 4), ("2-res-delphi", 2, 8)]
    scores = [json.loads(x) for x in (tmp_path / "b" / "scores.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {s["scorer"] for s in scores} == {"fuzz", "detection"}
    assert all(s["value"] == 0.5 and s["n"] == 2 for s in scores)
    examples = [json.loads(x) for x in (tmp_path / "b" / "examples.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["maxActivation"] for e in examples[:3]] == [6, 2, 0]  # ranked by max activation
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text(encoding="utf-8"))
    assert "largest feature index + 1" in manifest["source"]["origin"]


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared data not present")
def test_import_real_results_subset(tmp_path: Path, sentence_embedder) -> None:
    names = [".transformer.h.0_feature0.txt", ".transformer.h.8_feature7.txt", ".transformer.h.10_feature23.txt"]
    for folder in ("gpt2_explanations", "gpt2_fuzz", "gpt2_recall"):
        (tmp_path / "run" / folder).mkdir(parents=True)
        for name in names:
            shutil.copy(SHARED / folder / name, tmp_path / "run" / folder / name)
    report = import_delphi_results(tmp_path / "run", tmp_path / "b", bundle_id="t", model=GPT2_SMALL,
                                   embedder=sentence_embedder, origin_prefix="delphi subset", license="Apache-2.0")
    assert validate_bundle(tmp_path / "b") == []
    assert (report.explanations, report.scores, report.examples) == (3, 6, 60)
    fuzz = json.loads((SHARED / "gpt2_fuzz" / names[0]).read_text(encoding="utf-8"))
    scores = [json.loads(x) for x in (tmp_path / "b" / "scores.jsonl").read_text(encoding="utf-8").splitlines()]
    first_fuzz = next(s for s in scores if s["explanation"] == 0 and s["scorer"] == "fuzz")
    assert first_fuzz["n"] == len(fuzz)
    assert first_fuzz["details"]["tp"] == sum(r["ground_truth"] and r["prediction"] for r in fuzz)
