"""Where and how to call an OpenAI-compatible chat-completions endpoint.

The API key itself is never part of the config: only the name of the
environment variable that holds it, so that `run_config.json` can be saved
and shared without leaking a secret.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from urllib.parse import urlparse


@dataclass
class LLMConfig:
    """One chat-completions endpoint (vLLM, llama.cpp server, or a hosted provider)."""

    base_url: str = "http://127.0.0.1:8765/v1"
    """Base URL up to and including `/v1`; `/chat/completions` is appended."""
    model: str = "SmolLM2-135M-Instruct"
    """Model name sent in each request (and recorded as the explainer / judge)."""
    api_key_env: str | None = None
    """Name of the environment variable holding the API key; None for servers without auth."""
    max_concurrency: int = 4
    """Requests in flight at once (an asyncio.Semaphore bounds them)."""
    timeout_s: float = 120.0
    """Timeout of one HTTP request, in seconds."""
    max_retries: int = 5
    """Retries after the first attempt, on 429, 5xx, timeouts and connection errors only."""
    backoff_base_s: float = 1.0
    """Retry `attempt` (0-based) waits `backoff_base_s * 2**attempt` seconds plus jitter."""
    backoff_max_s: float = 60.0
    """Upper bound of one backoff wait, including a server's Retry-After."""
    temperature: float = 0.0
    """Sampling temperature; 0 makes local runs repeatable."""
    max_tokens: int = 256
    """Upper bound of completion tokens per request."""
    price_input_per_mtok: float = 0.0
    """Price in USD per 1M prompt tokens, for the cost summary (0 for a local server)."""
    price_output_per_mtok: float = 0.0
    """Price in USD per 1M completion tokens, for the cost summary."""

    def __post_init__(self) -> None:
        parsed = urlparse(self.base_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f"base_url must be an http(s) URL, got {self.base_url!r}")
        if not self.model.strip():
            raise ValueError("model must not be empty")
        if self.max_concurrency < 1:
            raise ValueError(f"max_concurrency must be >= 1, got {self.max_concurrency}")
        if self.timeout_s <= 0:
            raise ValueError(f"timeout_s must be > 0, got {self.timeout_s}")
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {self.max_retries}")
        if self.backoff_base_s < 0 or self.backoff_max_s < 0:
            raise ValueError("backoff_base_s and backoff_max_s must be >= 0")
        if not 0 <= self.temperature <= 2:
            raise ValueError(f"temperature must be in [0, 2], got {self.temperature}")
        if self.max_tokens < 1:
            raise ValueError(f"max_tokens must be >= 1, got {self.max_tokens}")
        if self.price_input_per_mtok < 0 or self.price_output_per_mtok < 0:
            raise ValueError("prices must be >= 0")
        if self.api_key_env is not None and not self.api_key_env.strip():
            raise ValueError("api_key_env must be a variable name or None")

    def api_key(self) -> str | None:
        """Read the key from the environment at call time; a named but unset variable is an error."""
        if self.api_key_env is None:
            return None
        value = os.environ.get(self.api_key_env)
        if not value:
            raise ValueError(f"environment variable {self.api_key_env} (api_key_env) is not set")
        return value

    def to_json(self) -> dict:
        """Config as saved in run_config.json (holds the variable name, never the key)."""
        return asdict(self)

    @staticmethod
    def from_json(obj: dict) -> "LLMConfig":
        return LLMConfig(**obj)
