"""Read a judge's bracketed 0/1 list."""

from __future__ import annotations

import re

_LIST = re.compile(r"\[([^\[\]]*)\]")
_ITEM = re.compile(r"^\s*['\"]?(0|1|true|false|yes|no)['\"]?\s*$", re.IGNORECASE)
_TRUE = {"1", "true", "yes"}


class JudgeParseError(ValueError):
    """The reply holds no list of the expected length."""


def parse_judgement(reply: str, n: int) -> list[bool]:
    """The last bracketed list in `reply` with exactly `n` items, each 0/1 (or true/false, yes/no)."""
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    seen_lengths = []
    for match in reversed(list(_LIST.finditer(reply))):
        items = [part for part in re.split(r"[,\s]+", match.group(1).strip()) if part]
        parsed = [_ITEM.match(item) for item in items]
        if not items or not all(parsed):
            continue
        if len(items) == n:
            return [m.group(1).lower() in _TRUE for m in parsed if m]
        seen_lengths.append(len(items))
    if seen_lengths:
        raise JudgeParseError(f"expected a list of {n} answers, found lists of {seen_lengths}")
    raise JudgeParseError(f"no list of 0/1 answers in the reply: {reply[:200]!r}")
