"""What an import read, wrote and skipped."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ImportReport:
    bundle: Path
    rows_read: int = 0
    explanations: int = 0
    skipped_empty: int = 0
    latents: int = 0
    saes: int = 0
    scores: int = 0
    examples: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"{self.bundle}: {self.saes} SAEs, {self.latents} latents, {self.explanations} explanations",
            f"{self.scores} scores, {self.examples} examples",
            f"{self.rows_read} rows read, {self.skipped_empty} empty explanations skipped",
        ]
        return "; ".join(parts) + "".join(f"\n  note: {n}" for n in self.notes)
