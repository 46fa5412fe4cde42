"""One async client for any OpenAI-compatible chat-completions endpoint.

Bounded concurrency (a semaphore around each HTTP attempt), per-request
timeouts, and retries with exponential backoff on 429 / 5xx / timeouts /
connection errors only; any other 4xx fails at once, since repeating a bad
request cannot fix it.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from typing import Awaitable, Callable

import httpx

from .config import LLMConfig
from .retry import backoff_delay, is_retryable_status, parse_retry_after
from .usage import UsageMeter

Message = dict[str, str]


class LLMError(Exception):
    """A chat completion that could not be obtained."""

    def __init__(self, message: str, *, status: int | None = None, attempts: int = 1) -> None:
        super().__init__(message)
        self.status = status
        self.attempts = attempts


@dataclass
class ChatResponse:
    text: str
    prompt_tokens: int
    completion_tokens: int
    finish_reason: str | None
    latency_s: float
    attempts: int


class _Retryable(Exception):
    def __init__(self, message: str, status: int | None = None, retry_after_s: float | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after_s = retry_after_s


class ChatClient:
    """Async chat-completions client; use as `async with ChatClient(cfg) as client`.

    `transport`, `sleep` and `rng` exist so tests can run it against a local
    server without waiting through real backoff delays.
    """

    def __init__(
        self,
        cfg: LLMConfig,
        *,
        usage: UsageMeter | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.cfg = cfg
        self.usage = usage or UsageMeter(cfg.price_input_per_mtok, cfg.price_output_per_mtok)
        self._semaphore = asyncio.Semaphore(cfg.max_concurrency)
        self._sleep = sleep
        self._rng = rng or random.Random()
        headers = {"Content-Type": "application/json"}
        key = cfg.api_key()
        if key:
            headers["Authorization"] = f"Bearer {key}"
        self._http = httpx.AsyncClient(
            base_url=cfg.base_url.rstrip("/") + "/",
            headers=headers,
            timeout=httpx.Timeout(cfg.timeout_s),
            transport=transport,
            # One connection per concurrent request, so the pool never queues behind the semaphore.
            limits=httpx.Limits(max_connections=cfg.max_concurrency),
        )
        self.in_flight = 0
        self.max_in_flight = 0

    async def __aenter__(self) -> "ChatClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def chat(
        self,
        messages: list[Message],
        *,
        max_tokens: int | None = None,
        temperature: float | None = None,
    ) -> ChatResponse:
        """One chat completion, retried as configured; raises LLMError when it cannot be had."""
        payload = {
            "model": self.cfg.model,
            "messages": messages,
            "max_tokens": max_tokens or self.cfg.max_tokens,
            "temperature": self.cfg.temperature if temperature is None else temperature,
        }
        started = time.monotonic()
        for attempt in range(self.cfg.max_retries + 1):
            try:
                async with self._semaphore:
                    response = await self._attempt(payload)
                response.latency_s = time.monotonic() - started
                response.attempts = attempt + 1
                self.usage.record_success(response.prompt_tokens, response.completion_tokens)
                return response
            except _Retryable as e:
                if attempt == self.cfg.max_retries:
                    self.usage.record_failure()
                    raise LLMError(
                        f"gave up after {attempt + 1} attempts: {e}", status=e.status, attempts=attempt + 1
                    ) from e
                self.usage.record_retry()
                await self._sleep(
                    backoff_delay(
                        attempt, self.cfg.backoff_base_s, self.cfg.backoff_max_s, e.retry_after_s, self._rng
                    )
                )
            except LLMError as e:
                e.attempts = attempt + 1
                self.usage.record_failure()
                raise
        raise AssertionError("unreachable: the loop returns or raises")

    async def _attempt(self, payload: dict) -> ChatResponse:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            try:
                http_response = await self._http.post("chat/completions", json=payload)
            except httpx.TimeoutException as e:
                raise _Retryable(f"timeout after {self.cfg.timeout_s}s ({type(e).__name__})") from e
            except httpx.TransportError as e:
                raise _Retryable(f"connection error: {type(e).__name__}: {e}") from e
        finally:
            self.in_flight -= 1
        status = http_response.status_code
        if is_retryable_status(status):
            raise _Retryable(
                f"HTTP {status}: {http_response.text[:300]}",
                status=status,
                retry_after_s=parse_retry_after(http_response.headers.get("retry-after")),
            )
        if status >= 400:
            raise LLMError(f"HTTP {status}: {http_response.text[:300]}", status=status)
        return _parse_completion(http_response)


def _parse_completion(http_response: httpx.Response) -> ChatResponse:
    try:
        body = http_response.json()
        choice = body["choices"][0]
        text = choice["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError) as e:
        raise LLMError(
            f"response is not a chat completion: {http_response.text[:300]}", status=http_response.status_code
        ) from e
    if not isinstance(text, str):
        raise LLMError("chat completion has no text content", status=http_response.status_code)
    usage = body.get("usage") or {}
    return ChatResponse(
        text=text,
        prompt_tokens=int(usage.get("prompt_tokens") or 0),
        completion_tokens=int(usage.get("completion_tokens") or 0),
        finish_reason=choice.get("finish_reason"),
        latency_s=0.0,
        attempts=1,
    )
