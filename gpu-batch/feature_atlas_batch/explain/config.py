"""Settings of the explanation stage."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..llm.config import LLMConfig


@dataclass
class ExplainConfig:
    """How latents are explained (saved as run_config.json beside the explanations)."""

    llm: LLMConfig = field(default_factory=lambda: LLMConfig(max_tokens=200))
    """The explainer endpoint; `llm.model` is recorded as each explanation's `explainer`."""
    n_examples: int = 20
    """At most this many training examples (strongest first) go into one prompt."""
    max_example_tokens: int = 64
    """Examples longer than this are cropped to a window centred on their peak activation."""
    mark_fraction: float = 0.0
    """A token is marked `<<...>>` when its activation exceeds this fraction of the example's peak (0: any positive activation)."""
    method: str = "delphi-default"
    """Explanation method recorded in each row (the bundle's `method`)."""
    show_progress: bool = True
    """Show a tqdm progress bar."""

    def __post_init__(self) -> None:
        if isinstance(self.llm, dict):
            self.llm = LLMConfig.from_json(self.llm)
        if self.n_examples < 1:
            raise ValueError(f"n_examples must be >= 1, got {self.n_examples}")
        if self.max_example_tokens < 1:
            raise ValueError(f"max_example_tokens must be >= 1, got {self.max_example_tokens}")
        if not 0 <= self.mark_fraction < 1:
            raise ValueError(f"mark_fraction must be in [0, 1), got {self.mark_fraction}")
        if not self.method.strip():
            raise ValueError("method must not be empty")

    def to_json(self) -> dict:
        return asdict(self)
