"""Records passed between stages (latent statistics -> explanations -> scores).

Stages exchange these as JSONL files, one record per line, through
`read_records` / `write_records`, so that each stage can run (and resume) alone.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Literal

from .atomic import atomic_write_text

ExampleKind = Literal["top", "quantile", "random"]


@dataclass
class Example:
    """One context window of a latent: its tokens and the latent's activation on each."""

    tokens: list[str]
    """Decoded tokens of the window (a leading space is a real space)."""
    activations: list[float]
    """The latent's activation at each token; same length as `tokens`."""
    kind: ExampleKind
    """`top`: among the strongest; `quantile`: sampled from an activation quantile; `random`: a non-activating context."""
    quantile: int | None = None
    """Quantile bin (0 = weakest) for `kind == "quantile"`, else None."""

    def __post_init__(self) -> None:
        if len(self.tokens) != len(self.activations):
            raise ValueError(
                f"tokens ({len(self.tokens)}) and activations ({len(self.activations)}) differ in length"
            )
        if not self.tokens:
            raise ValueError("an example needs at least one token")

    @property
    def max_activation(self) -> float:
        return max(self.activations)


@dataclass
class LatentRecord:
    """Everything the explainer and the scorers need to know about one latent."""

    sae: str
    """Source id of the SAE or neuron set (see docs/bundle-format.md)."""
    index: int
    density: float
    """Fraction of tokens on which the latent is active."""
    max_activation: float
    mean_activation: float
    """Mean activation over the tokens where it is active."""
    n_activations: int
    train: list[Example] = field(default_factory=list)
    """Activating examples shown to the explainer."""
    test: list[Example] = field(default_factory=list)
    """Held-out activating examples for scoring (never shown to the explainer)."""
    non_activating: list[Example] = field(default_factory=list)
    """Contexts where the latent does not fire, for scoring."""

    @staticmethod
    def from_json(obj: dict) -> "LatentRecord":
        def examples(key: str) -> list[Example]:
            return [Example(**e) for e in obj.get(key, [])]

        return LatentRecord(
            sae=obj["sae"],
            index=obj["index"],
            density=obj["density"],
            max_activation=obj["max_activation"],
            mean_activation=obj["mean_activation"],
            n_activations=obj["n_activations"],
            train=examples("train"),
            test=examples("test"),
            non_activating=examples("non_activating"),
        )


@dataclass
class ExplanationRecord:
    """An explanation of one latent, or a recorded failure to get one."""

    sae: str
    index: int
    text: str | None
    """The explanation; None when the call or the parse failed (see `error`)."""
    explainer: str
    """Model name of the explainer LLM."""
    method: str
    prompt_version: str
    error: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass
class ScoreRecord:
    """One scorer's verdict on one explanation."""

    sae: str
    index: int
    explanation: str
    scorer: str
    value: float
    n: int
    details: dict | None = None


def write_records(path: Path, records: Iterable[Any]) -> int:
    """Write dataclass records as JSONL atomically; returns the number written."""
    lines = [json.dumps(asdict(r), ensure_ascii=False) for r in records]
    atomic_write_text(path, "".join(line + "\n" for line in lines))
    return len(lines)


def read_jsonl(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{line_no}: not valid JSON ({e.msg})") from e
