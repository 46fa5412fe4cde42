"""End to end against a real llama.cpp server running SmolLM2-135M-Instruct (marked `llm`).

Starts the server with scripts/llm_server.sh on a free port, explains two
constructed latents and scores the explanations with the real prompts. A
135M-parameter model is a weak explainer and judge: the test checks that every
answer ends up either parsed into a record or recorded as a failure, not that
the explanations are good.
"""

import importlib.util
import os
import socket
import subprocess
from pathlib import Path

import pytest

from feature_atlas_batch.explain import ExplainConfig, run_explain_stage
from feature_atlas_batch.llm import LLMConfig
from feature_atlas_batch.records import read_jsonl
from feature_atlas_batch.score import ScoreConfig, run_score_stage
from llm_latents import theme_latent, write_latents

pytestmark = [
    pytest.mark.llm,
    pytest.mark.skipif(
        importlib.util.find_spec("llama_cpp") is None,
        reason="llama-cpp-python is not installed (pip install -r requirements-llm.txt)",
    ),
]

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "llm_server.sh"
MODEL = "SmolLM2-135M-Instruct"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server_url(tmp_path_factory):
    port = free_port()
    env = os.environ | {
        "LLM_SERVER_PORT": str(port),
        "LLM_SERVER_STATE": str(tmp_path_factory.mktemp("llm-server")),
        # One thread: CI shares its few cores with other jobs, and llama.cpp's spinning threads slow down badly when oversubscribed.
        "LLM_SERVER_THREADS": os.environ.get("LLM_SERVER_THREADS", "1"),
        "LLM_SERVER_CTX": "2048",
    }
    subprocess.run([str(SCRIPT), "start"], env=env, check=True, timeout=180)
    try:
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        subprocess.run([str(SCRIPT), "stop"], env=env, check=False, timeout=60)


def test_explain_and_score_with_a_real_local_model(tmp_path, server_url):
    latents = write_latents(
        tmp_path / "latents.jsonl",
        [theme_latent("weekdays", 1, n_test=2), theme_latent("animals", 2, n_test=2)],
    )
    llm = LLMConfig(base_url=server_url, model=MODEL, max_concurrency=1, timeout_s=120, max_tokens=48)
    explain = run_explain_stage(
        latents, tmp_path / "explain", ExplainConfig(llm=llm, n_examples=4, max_example_tokens=24, show_progress=False)
    )
    explanations = list(read_jsonl(tmp_path / "explain" / "explanations.jsonl"))
    failures = list(read_jsonl(tmp_path / "explain" / "failures.jsonl"))
    assert len(explanations) + len(failures) == 2
    assert explanations, f"no reply could be parsed: {[f['error'] for f in failures]}"
    assert all(e["text"].strip() and e["explainer"] == MODEL for e in explanations)
    assert all(f["text"] is None and f["error"] for f in failures)
    assert explain["usage"]["requests"] == 2 and explain["usage"]["completionTokens"] > 0
    assert all(e["prompt_tokens"] > 100 for e in explanations)  # usage comes from the server's own count

    judge = LLMConfig(base_url=server_url, model=MODEL, max_concurrency=1, timeout_s=120, max_tokens=8)
    cfg = ScoreConfig(llm=judge, n_test=2, n_non_activating=1, batch_size=1, max_example_tokens=24, show_progress=False)
    score = run_score_stage(latents, tmp_path / "explain" / "explanations.jsonl", tmp_path / "score", cfg)
    scores = list(read_jsonl(tmp_path / "score" / "scores.jsonl"))
    score_failures = list(read_jsonl(tmp_path / "score" / "failures.jsonl"))
    assert len(scores) + len(score_failures) == 3 * len(explanations)
    assert {(s["index"], s["scorer"]) for s in scores if s["scorer"] == "embedding"} == {
        (e["index"], "embedding") for e in explanations
    }
    for s in scores:
        assert 0.0 <= s["value"] <= 1.0 and s["n"] >= 1
        if s["scorer"] != "embedding":
            d = s["details"]
            assert d["tp"] + d["tn"] + d["fp"] + d["fn"] == s["n"]
    assert all(f["error"] for f in score_failures)
    # detection: 3 single-example prompts per explanation (2 activating, 1 quiet); fuzz: 2.
    assert score["usage"]["requests"] == 5 * len(explanations)
