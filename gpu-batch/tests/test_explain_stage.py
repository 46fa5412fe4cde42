import json

import pytest

from feature_atlas_batch.atomic import stage_done
from feature_atlas_batch.explain import ExplainConfig, run_explain_stage
from feature_atlas_batch.explain import stage as explain_stage
from feature_atlas_batch.llm import LLMConfig
from feature_atlas_batch.llm.journal import journal_path
from feature_atlas_batch.records import read_jsonl
from llm_fake_server import FakeChatServer, completion
from llm_latents import theme_latent, write_latents


def explainer_reply(body: dict):
    """Answers by the words marked in the last prompt; a colours prompt gets an unparseable reply."""
    prompt = body["messages"][-1]["content"]
    if "<< Monday>>" in prompt or "<< Tuesday>>" in prompt or "<< Saturday>>" in prompt:
        text = "The marks are weekday names.\n[EXPLANATION]: Days of the week"
    elif "<< red>>" in prompt or "<< blue>>" in prompt:
        text = "These are colours, I think."
    else:
        text = "[EXPLANATION]: Animal nouns"
    return 200, {}, completion(text, prompt_tokens=len(prompt) // 4, completion_tokens=8), 0


@pytest.fixture
def latents_file(tmp_path):
    latents = [theme_latent("weekdays", 1), theme_latent("colors", 2), theme_latent("animals", 3)]
    return write_latents(tmp_path / "latents.jsonl", latents)


def config(base_url: str, **llm: object) -> ExplainConfig:
    return ExplainConfig(llm=LLMConfig(base_url=base_url, model="judge-x", max_concurrency=1, **llm), show_progress=False)


def test_explain_stage_writes_explanations_and_failures(tmp_path, latents_file):
    out = tmp_path / "explain"
    with FakeChatServer(explainer_reply) as server:
        summary = run_explain_stage(latents_file, out, config(server.base_url))
    assert stage_done(out)
    explanations = list(read_jsonl(out / "explanations.jsonl"))
    failures = list(read_jsonl(out / "failures.jsonl"))
    assert {(e["index"], e["text"]) for e in explanations} == {(1, "Days of the week"), (3, "Animal nouns")}
    assert all(e["explainer"] == "judge-x" and e["prompt_version"] == "explain-v1" for e in explanations)
    assert [f["index"] for f in failures] == [2]
    assert failures[0]["text"] is None and failures[0]["error"].startswith("parse:")
    assert summary["explained"] == 2 and summary["failed"] == 1
    assert summary["usage"]["requests"] == 3
    assert summary["usage"]["promptTokens"] == sum(len(r["messages"][-1]["content"]) // 4 for r in server.requests)
    saved = json.loads((out / "run_config.json").read_text())
    assert saved["config"]["llm"]["model"] == "judge-x"
    assert not journal_path(out).exists()


def test_explain_stage_records_call_failures_and_skips_a_finished_run(tmp_path, latents_file):
    out = tmp_path / "explain"

    def refuse(_):
        return 400, {}, {"error": "context too long"}, 0

    with FakeChatServer(refuse) as server:
        summary = run_explain_stage(latents_file, out, config(server.base_url))
        assert summary["explained"] == 0
        failures = list(read_jsonl(out / "failures.jsonl"))
        assert len(failures) == 3 and all("HTTP 400" in f["error"] for f in failures)
        calls = len(server.requests)
        again = run_explain_stage(latents_file, out, config(server.base_url))
        assert len(server.requests) == calls
        assert again["failed"] == 3


def test_explain_stage_resumes_after_an_interruption(tmp_path, latents_file, monkeypatch):
    out = tmp_path / "explain"
    real = explain_stage.explain_latent

    async def dies_on_third(client, latent, cfg):
        if latent.index == 3:
            raise RuntimeError("simulated crash")
        return await real(client, latent, cfg)

    with FakeChatServer(explainer_reply) as server:
        monkeypatch.setattr(explain_stage, "explain_latent", dies_on_third)
        with pytest.raises(Exception, match="simulated crash"):
            run_explain_stage(latents_file, out, config(server.base_url))
        assert not stage_done(out) and journal_path(out).exists()
        assert len(server.requests) == 2
        monkeypatch.setattr(explain_stage, "explain_latent", real)
        summary = run_explain_stage(latents_file, out, config(server.base_url))
    assert len(server.requests) == 3  # only latent 3 was asked again
    assert summary["resumedFromJournal"] == 2
    assert summary["explained"] == 2 and summary["failed"] == 1
