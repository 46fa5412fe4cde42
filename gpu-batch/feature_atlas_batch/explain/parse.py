"""Pull the explanation out of the explainer's reply, or say why it cannot be done."""

from __future__ import annotations

import re

MAX_EXPLANATION_CHARS = 2000
"""The bundle refuses longer explanation texts."""

# Tolerates markdown emphasis and missing brackets: "**[EXPLANATION]:**", "Explanation -".
_TAG = re.compile(r"[*_`#>\s]*\[?\s*explanation\s*\]?\s*[*_`]*\s*[:\-–]", re.IGNORECASE)
_PLACEHOLDERS = {"<explanation>", "explanation", "..."}


class ExplanationParseError(ValueError):
    """The reply holds no usable explanation."""


def parse_explanation(reply: str) -> str:
    """The text after the last `[EXPLANATION]:` tag (same line, else the next non-empty line)."""
    matches = list(_TAG.finditer(reply))
    if not matches:
        raise ExplanationParseError("no [EXPLANATION]: line in the reply")
    rest = reply[matches[-1].end():]
    lines = [line.strip() for line in rest.split("\n")]
    candidate = next((line for line in lines if line), "")
    text = _clean(candidate)
    if not text:
        raise ExplanationParseError("the [EXPLANATION]: line is empty")
    if text.lower() in _PLACEHOLDERS:
        raise ExplanationParseError(f"the reply repeats the placeholder {text!r}")
    if len(text) > MAX_EXPLANATION_CHARS:
        raise ExplanationParseError(f"explanation is {len(text)} characters (limit {MAX_EXPLANATION_CHARS})")
    return text


def _clean(text: str) -> str:
    text = text.replace("<<", "").replace(">>", "")
    text = text.strip().strip("*_`").strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    return " ".join(text.split())
