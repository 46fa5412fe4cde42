import json
import re

import pytest

from feature_atlas_batch.atomic import stage_done
from feature_atlas_batch.llm import LLMConfig
from feature_atlas_batch.records import ExplanationRecord, read_jsonl, write_records
from feature_atlas_batch.score import ScoreConfig, run_score_stage
from llm_fake_server import FakeChatServer, completion
from llm_latents import THEMES, theme_latent, write_latents

DAYS = THEMES["weekdays"][0]


def weekday_judge(body: dict):
    """A judge that knows only weekdays: detection says 1 when a day is named, fuzz when every mark is a day."""
    prompt = body["messages"][-1]["content"]
    fuzz = "<<" in body["messages"][1]["content"]
    answers = []
    for line in re.findall(r"^Example \d+: (.*)$", prompt, re.MULTILINE):
        if fuzz:
            marked = [m.strip(" .,") for m in re.findall(r"<<(.*?)>>", line)]
            answers.append(int(bool(marked) and all(m in DAYS for m in marked)))
        else:
            answers.append(int(any(w.strip(".,") in DAYS for w in line.split())))
    return 200, {}, completion(str(answers), prompt_tokens=50, completion_tokens=len(answers) * 3), 0


@pytest.fixture
def inputs(tmp_path):
    latents = write_latents(tmp_path / "latents.jsonl", [theme_latent("weekdays", 1), theme_latent("animals", 2)])
    explanations = tmp_path / "explanations.jsonl"
    write_records(
        explanations,
        [
            ExplanationRecord("6-res-topk", 1, "Names of days of the week", "m", "delphi-default", "explain-v1"),
            ExplanationRecord("6-res-topk", 2, "Names of days of the week", "m", "delphi-default", "explain-v1"),
            ExplanationRecord("6-res-topk", 9, "Orphan explanation", "m", "delphi-default", "explain-v1"),
        ],
    )
    return latents, explanations


def test_score_stage_scores_matching_and_mismatching_explanations(tmp_path, inputs):
    latents, explanations = inputs
    out = tmp_path / "score"
    with FakeChatServer(weekday_judge) as server:
        cfg = ScoreConfig(llm=LLMConfig(base_url=server.base_url, model="judge"), n_test=6, n_non_activating=6, batch_size=4, show_progress=False)
        summary = run_score_stage(latents, explanations, out, cfg)
    assert stage_done(out)
    scores = {(s["index"], s["scorer"]): s for s in read_jsonl(out / "scores.jsonl")}
    assert set(scores) == {(i, s) for i in (1, 2) for s in ("detection", "fuzz", "embedding")}
    # Latent 1 really is about weekdays: the judge separates perfectly.
    assert scores[(1, "detection")]["value"] == 1.0 and scores[(1, "detection")]["n"] == 12
    assert scores[(1, "fuzz")]["value"] == 1.0 and scores[(1, "fuzz")]["n"] == 6
    # Latent 2 fires on animals, so a weekday explanation is no better than chance.
    assert scores[(2, "detection")]["value"] == 0.5
    assert scores[(2, "detection")]["details"]["recall"] == 0.0
    assert scores[(2, "fuzz")]["value"] == 0.5
    # Embedding AUROC: a weekday explanation ranks weekday sentences above quiet ones.
    assert scores[(1, "embedding")]["value"] > 0.8
    assert scores[(1, "embedding")]["details"]["metric"] == "auroc"
    assert scores[(1, "embedding")]["value"] > scores[(2, "embedding")]["value"]
    failures = list(read_jsonl(out / "failures.jsonl"))
    assert {f["index"] for f in failures} == {9} and len(failures) == 3
    assert summary["byScorer"]["detection"]["scored"] == 2
    assert summary["usage"]["requests"] == len(server.requests) == 2 * 3 + 2 * 2
    assert json.loads((out / "run_config.json").read_text())["config"]["scorers"] == ["detection", "fuzz", "embedding"]


def test_unparseable_judge_answers_become_failures(tmp_path, inputs):
    latents, explanations = inputs
    out = tmp_path / "score"

    def rambling(_):
        return 200, {}, completion("I am not sure about these examples."), 0

    with FakeChatServer(rambling) as server:
        cfg = ScoreConfig(llm=LLMConfig(base_url=server.base_url), scorers=("detection",), show_progress=False)
        summary = run_score_stage(latents, explanations, out, cfg)
    assert list(read_jsonl(out / "scores.jsonl")) == []
    failures = [f for f in read_jsonl(out / "failures.jsonl") if f["index"] in (1, 2)]
    assert len(failures) == 2 and all(f["error"].startswith("parse:") for f in failures)
    assert summary["byScorer"]["detection"]["failed"] == 3


def test_embedding_only_scoring_needs_no_judge_or_key(tmp_path, inputs, monkeypatch):
    latents, explanations = inputs
    monkeypatch.delenv("ATLAS_UNSET_KEY", raising=False)
    llm = LLMConfig(base_url="http://127.0.0.1:9/v1", api_key_env="ATLAS_UNSET_KEY")
    cfg = ScoreConfig(llm=llm, scorers=("embedding",), show_progress=False)
    summary = run_score_stage(latents, explanations, tmp_path / "score", cfg)
    assert summary["usage"]["requests"] == 0
    assert {s["scorer"] for s in read_jsonl(tmp_path / "score" / "scores.jsonl")} == {"embedding"}
