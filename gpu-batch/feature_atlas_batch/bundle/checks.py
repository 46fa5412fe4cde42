"""Small value checks shared by the row and manifest checks.

Each returns None when the value is fine, else a short phrase saying what is
wrong, so callers can prefix it with the field name.
"""

from __future__ import annotations

import math
import re
from typing import Any


def is_int(v: Any) -> bool:
    # bool is a subclass of int in Python, but `true` is not a count in JSON.
    return isinstance(v, int) and not isinstance(v, bool)


def is_number(v: Any) -> bool:
    return (is_int(v) or isinstance(v, float)) and math.isfinite(v)


def int_at_least(v: Any, low: int, nullable: bool = False) -> str | None:
    if v is None and nullable:
        return None
    if not is_int(v):
        return f"must be an integer{' or null' if nullable else ''}, got {short(v)}"
    if v < low:
        return f"must be >= {low}, got {v}"
    return None


def number(v: Any, nullable: bool = False, low: float | None = None, high: float | None = None) -> str | None:
    if v is None and nullable:
        return None
    if not is_number(v):
        return f"must be a finite number{' or null' if nullable else ''}, got {short(v)}"
    if low is not None and v < low:
        return f"must be >= {low}, got {v}"
    if high is not None and v > high:
        return f"must be <= {high}, got {v}"
    return None


def text(v: Any, nullable: bool = False, non_empty: bool = True) -> str | None:
    if v is None and nullable:
        return None
    if not isinstance(v, str):
        return f"must be a string{' or null' if nullable else ''}, got {short(v)}"
    if non_empty and not v.strip():
        return "must not be empty"
    return None


def one_of(v: Any, allowed: tuple[str, ...]) -> str | None:
    if v not in allowed:
        return f"must be one of {'|'.join(allowed)}, got {short(v)}"
    return None


def matches(v: Any, pattern: re.Pattern[str]) -> str | None:
    if not isinstance(v, str) or not pattern.fullmatch(v):
        return f"must match {pattern.pattern}, got {short(v)}"
    return None


def keys(obj: dict, required: tuple[str, ...]) -> list[str]:
    """Missing and unknown keys of a JSON object with a fixed key set."""
    errors = [f"missing key {k!r}" for k in required if k not in obj]
    errors += [f"unknown key {k!r}" for k in obj if k not in required]
    return errors


def short(v: Any, limit: int = 60) -> str:
    s = repr(v)
    return s if len(s) <= limit else s[: limit - 3] + "..."
