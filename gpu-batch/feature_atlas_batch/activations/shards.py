"""Split a run's sequences into contiguous shards so several machines can share it."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Shard:
    index: int
    count: int

    def __post_init__(self) -> None:
        if self.count < 1 or not 0 <= self.index < self.count:
            raise ValueError(f"shard must be i/n with 0 <= i < n, got {self.index}/{self.count}")

    @staticmethod
    def parse(text: str) -> "Shard":
        m = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if not m:
            raise ValueError(f"shard must look like i/n (e.g. 0/4), got {text!r}")
        return Shard(int(m.group(1)), int(m.group(2)))

    def range(self, n_items: int) -> tuple[int, int]:
        """[start, end) of this shard's items; the shards of one count tile [0, n_items) exactly."""
        return self.index * n_items // self.count, (self.index + 1) * n_items // self.count

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"
