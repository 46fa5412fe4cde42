import asyncio
import socket

import pytest

from feature_atlas_batch.llm import ChatClient, LLMConfig, LLMError
from llm_fake_server import FakeChatServer, completion, scripted

MESSAGES = [{"role": "user", "content": "hi"}]


def make_config(base_url: str, **overrides: object) -> LLMConfig:
    fields = {"base_url": base_url, "model": "test-model", "max_retries": 3, "backoff_base_s": 1.0, "timeout_s": 5.0}
    fields.update(overrides)
    return LLMConfig(**fields)


async def call(cfg: LLMConfig, sleeps: list[float], n: int = 1):
    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async with ChatClient(cfg, sleep=fake_sleep) as client:
        results = await asyncio.gather(*(client.chat(MESSAGES) for _ in range(n)))
        return client, results


def test_retries_429_and_500_then_succeeds():
    replies = [
        (429, {"Retry-After": "7"}, {"error": "slow down"}, 0),
        (500, {}, {"error": "boom"}, 0),
        (200, {}, completion("hello", prompt_tokens=12, completion_tokens=3), 0),
    ]
    with FakeChatServer(scripted(replies)) as server:
        sleeps: list[float] = []
        client, [response] = asyncio.run(call(make_config(server.base_url), sleeps))
    assert response.text == "hello"
    assert response.attempts == 3
    assert len(server.requests) == 3
    assert server.requests[0]["model"] == "test-model"
    # Retry-After (7 s) outweighs the first backoff (1-1.5 s); the second backoff is 2-3 s.
    assert sleeps[0] == pytest.approx(7.0)
    assert 2.0 <= sleeps[1] <= 3.0
    assert client.usage.retries == 2
    assert client.usage.prompt_tokens == 12 and client.usage.completion_tokens == 3


def test_no_retry_on_400():
    with FakeChatServer(scripted([(400, {}, {"error": "bad request"}, 0)])) as server:
        sleeps: list[float] = []
        with pytest.raises(LLMError) as caught:
            asyncio.run(call(make_config(server.base_url), sleeps))
    assert caught.value.status == 400
    assert len(server.requests) == 1
    assert sleeps == []


def test_gives_up_after_max_retries_with_growing_backoff():
    with FakeChatServer(scripted([(503, {}, {"error": "unavailable"}, 0)])) as server:
        sleeps: list[float] = []
        with pytest.raises(LLMError) as caught:
            asyncio.run(call(make_config(server.base_url, max_retries=3), sleeps))
    assert caught.value.attempts == 4
    assert len(server.requests) == 4
    for attempt, delay in enumerate(sleeps):
        assert 2**attempt <= delay <= 1.5 * 2**attempt


def test_timeout_is_retried():
    replies = [(200, {}, completion("late"), 1.0), (200, {}, completion("on time"), 0)]
    with FakeChatServer(scripted(replies)) as server:
        sleeps: list[float] = []
        _, [response] = asyncio.run(call(make_config(server.base_url, timeout_s=0.3), sleeps))
    assert response.text == "on time"
    assert len(sleeps) == 1


def test_connection_refused_is_retried_then_reported():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sleeps: list[float] = []
    with pytest.raises(LLMError, match="connection error"):
        asyncio.run(call(make_config(f"http://127.0.0.1:{port}/v1", max_retries=2), sleeps))
    assert len(sleeps) == 2


def test_concurrency_bound_is_respected():
    with FakeChatServer(scripted([(200, {}, completion("ok"), 0.15)])) as server:
        sleeps: list[float] = []
        client, results = asyncio.run(call(make_config(server.base_url, max_concurrency=2), sleeps, n=6))
    assert len(results) == 6
    assert server.max_active == 2
    assert client.max_in_flight == 2


def test_malformed_completion_is_an_error_not_a_retry():
    with FakeChatServer(scripted([(200, {}, {"choices": []}, 0)])) as server:
        with pytest.raises(LLMError, match="not a chat completion"):
            asyncio.run(call(make_config(server.base_url), []))
    assert len(server.requests) == 1


def test_api_key_comes_from_the_named_variable_and_is_never_saved(monkeypatch):
    monkeypatch.setenv("ATLAS_TEST_KEY", "sk-secret-value")
    with FakeChatServer(scripted([(200, {}, completion("ok"), 0)])) as server:
        cfg = make_config(server.base_url, api_key_env="ATLAS_TEST_KEY")
        asyncio.run(call(cfg, []))
    assert server.headers[0]["Authorization"] == "Bearer sk-secret-value"
    assert "sk-secret-value" not in str(cfg.to_json())
    monkeypatch.delenv("ATLAS_TEST_KEY")
    with pytest.raises(ValueError, match="ATLAS_TEST_KEY"):
        ChatClient(cfg)


def test_cost_accounting():
    with FakeChatServer(scripted([(200, {}, completion("ok", prompt_tokens=1000, completion_tokens=500), 0)])) as server:
        cfg = make_config(server.base_url, price_input_per_mtok=2.0, price_output_per_mtok=10.0)
        client, _ = asyncio.run(call(cfg, [], n=4))
    summary = client.usage.summary()
    assert summary["requests"] == 4
    assert summary["promptTokens"] == 4000 and summary["completionTokens"] == 2000
    assert summary["costUsd"] == pytest.approx((4000 * 2.0 + 2000 * 10.0) / 1e6)


@pytest.mark.parametrize(
    "overrides",
    [
        {"base_url": "localhost:8000/v1"},
        {"max_concurrency": 0},
        {"timeout_s": 0},
        {"max_retries": -1},
        {"temperature": 3.0},
        {"price_input_per_mtok": -1.0},
        {"api_key_env": " "},
    ],
)
def test_config_refuses_bad_values(overrides):
    with pytest.raises(ValueError):
        make_config(**({"base_url": "http://127.0.0.1:1/v1"} | overrides))
