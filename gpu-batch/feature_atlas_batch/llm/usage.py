"""Token and cost accounting across all calls of one stage."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class UsageMeter:
    """Counts requests, retries, tokens and cost; `summary()` goes into a stage's summary.json."""

    price_input_per_mtok: float = 0.0
    price_output_per_mtok: float = 0.0
    requests: int = 0
    """Successful chat completions."""
    failed_requests: int = 0
    """Calls that gave up (non-retryable error or retries exhausted)."""
    retries: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    started_at: float = field(default_factory=time.monotonic)

    def record_success(self, prompt_tokens: int, completion_tokens: int) -> None:
        self.requests += 1
        self.prompt_tokens += prompt_tokens
        self.completion_tokens += completion_tokens

    def record_failure(self) -> None:
        self.failed_requests += 1

    def record_retry(self) -> None:
        self.retries += 1

    @property
    def cost_usd(self) -> float:
        return (
            self.prompt_tokens * self.price_input_per_mtok
            + self.completion_tokens * self.price_output_per_mtok
        ) / 1_000_000

    def summary(self) -> dict:
        elapsed = max(time.monotonic() - self.started_at, 1e-9)
        return {
            "requests": self.requests,
            "failedRequests": self.failed_requests,
            "retries": self.retries,
            "promptTokens": self.prompt_tokens,
            "completionTokens": self.completion_tokens,
            "costUsd": round(self.cost_usd, 6),
            "elapsedS": round(elapsed, 3),
            "completionTokensPerS": round(self.completion_tokens / elapsed, 3),
            "requestsPerS": round(self.requests / elapsed, 4),
        }
