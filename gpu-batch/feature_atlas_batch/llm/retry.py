"""Which failures are worth retrying, and how long to wait before the next try."""

from __future__ import annotations

import random
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime


def is_retryable_status(status: int) -> bool:
    """429 (rate limited) and 5xx (server trouble) may succeed later; other 4xx never will."""
    return status == 429 or 500 <= status <= 599


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), or None."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())


def backoff_delay(
    attempt: int,
    base_s: float,
    max_s: float,
    retry_after_s: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Wait before retry number `attempt` (0-based): `base * 2**attempt` plus up to 50% jitter.

    Jitter spreads out clients that failed together; a server's Retry-After
    is honoured as a lower bound. Both are capped at `max_s`.
    """
    rng = rng or random.Random()
    exponential = base_s * (2**attempt)
    delay = exponential + rng.uniform(0, 0.5 * exponential)
    if retry_after_s is not None:
        delay = max(delay, retry_after_s)
    return min(delay, max_s)
