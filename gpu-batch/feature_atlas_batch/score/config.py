"""Settings of the scoring stage."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..llm.config import LLMConfig

SCORERS = ("detection", "fuzz", "embedding")
"""Scorers this stage knows; `detection` and `fuzz` call the judge LLM, `embedding` does not."""


@dataclass
class ScoreConfig:
    """How explanations are scored (saved as run_config.json beside the scores)."""

    llm: LLMConfig = field(default_factory=lambda: LLMConfig(max_tokens=64))
    """The judge endpoint, used by `detection` and `fuzz`."""
    scorers: tuple[str, ...] = SCORERS
    """Which scorers to run, any of `detection`, `fuzz`, `embedding`."""
    n_test: int = 10
    """Held-out activating examples per latent (from `LatentRecord.test`)."""
    n_non_activating: int = 10
    """Non-activating contexts per latent, for `detection` and `embedding`."""
    batch_size: int = 5
    """Examples the judge sees in one prompt."""
    max_example_tokens: int = 64
    """Examples longer than this are cropped around their peak activation."""
    seed: int = 0
    """Seeds the shuffling and the fuzzing's wrong highlights (per latent, so order does not matter)."""
    embedding_model: str | None = None
    """Folder of a sentence-transformers model; None: all-MiniLM-L6-v2 from the installed package."""
    embedding_device: str = "cpu"
    """Torch device of the embedding model (`cpu`, `cuda`, or `auto`)."""
    embedding_batch_size: int = 64
    """Texts per forward pass of the embedding model."""
    show_progress: bool = True
    """Show tqdm progress bars."""

    def __post_init__(self) -> None:
        if isinstance(self.llm, dict):
            self.llm = LLMConfig.from_json(self.llm)
        self.scorers = tuple(self.scorers)
        unknown = sorted(set(self.scorers) - set(SCORERS))
        if unknown:
            raise ValueError(f"unknown scorers {unknown}; known: {list(SCORERS)}")
        if not self.scorers:
            raise ValueError("scorers must name at least one scorer")
        if len(set(self.scorers)) != len(self.scorers):
            raise ValueError(f"scorers has duplicates: {list(self.scorers)}")
        for name in ("n_test", "n_non_activating", "batch_size", "max_example_tokens", "embedding_batch_size"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, got {getattr(self, name)}")
        if self.embedding_model is not None and not Path(self.embedding_model).is_dir():
            raise ValueError(f"embedding_model folder not found: {self.embedding_model}")

    def to_json(self) -> dict:
        obj = asdict(self)
        obj["scorers"] = list(self.scorers)
        return obj
