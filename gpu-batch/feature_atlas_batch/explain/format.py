"""Render examples as text with the activating tokens marked `<<...>>`.

Shared by the explainer prompt and the fuzzing scorer (which marks tokens
that may or may not be the activating ones).
"""

from __future__ import annotations

import json
from typing import Sequence

from ..records import Example

OPEN, CLOSE = "<<", ">>"


def mark_tokens(tokens: Sequence[str], marked: Sequence[bool]) -> str:
    """Join tokens into text; each run of consecutive marked tokens is wrapped once in << >>."""
    if len(tokens) != len(marked):
        raise ValueError(f"tokens ({len(tokens)}) and marks ({len(marked)}) differ in length")
    parts: list[str] = []
    inside = False
    for token, is_marked in zip(tokens, marked):
        if is_marked and not inside:
            parts.append(OPEN)
        elif not is_marked and inside:
            parts.append(CLOSE)
        inside = is_marked
        parts.append(token)
    if inside:
        parts.append(CLOSE)
    return "".join(parts)


def plain_text(tokens: Sequence[str]) -> str:
    return "".join(tokens)


def crop_around_peak(example: Example, max_tokens: int) -> Example:
    """Keep at most `max_tokens` tokens, centred on the strongest activation."""
    if len(example.tokens) <= max_tokens:
        return example
    peak = max(range(len(example.activations)), key=example.activations.__getitem__)
    start = min(max(0, peak - max_tokens // 2), len(example.tokens) - max_tokens)
    end = start + max_tokens
    return Example(
        tokens=example.tokens[start:end],
        activations=example.activations[start:end],
        kind=example.kind,
        quantile=example.quantile,
    )


def strength(activation: float, scale_max: float) -> int:
    """Activation on a 0..10 scale relative to `scale_max`; a firing token shows at least 1."""
    if scale_max <= 0 or activation <= 0:
        return 0
    return max(1, min(10, round(10 * activation / scale_max)))


def activation_line(example: Example, marked: Sequence[bool], scale_max: float) -> str:
    """`Activations: ("tok" : 7), ...` for each marked token, in text order."""
    pairs = [
        f"({json.dumps(token, ensure_ascii=False)} : {strength(act, scale_max)})"
        for token, act, is_marked in zip(example.tokens, example.activations, marked)
        if is_marked
    ]
    return "Activations: " + ", ".join(pairs)
