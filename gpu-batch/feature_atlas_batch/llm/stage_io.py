"""Reading the inputs of the explain and score stages, with errors that name file and line."""

from __future__ import annotations

from pathlib import Path

from ..records import ExplanationRecord, LatentRecord, read_jsonl


def read_latents(path: Path) -> list[LatentRecord]:
    """All latent records of a `LatentRecord` JSONL file; duplicates of (sae, index) are refused."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"latents file not found: {path}")
    latents: list[LatentRecord] = []
    seen: set[tuple[str, int]] = set()
    for line_no, obj in enumerate(read_jsonl(path), 1):
        try:
            latent = LatentRecord.from_json(obj)
        except (KeyError, TypeError, ValueError) as e:
            raise ValueError(f"{path}:{line_no}: not a latent record ({e})") from e
        key = (latent.sae, latent.index)
        if key in seen:
            raise ValueError(f"{path}:{line_no}: latent {latent.sae}/{latent.index} appears twice")
        seen.add(key)
        latents.append(latent)
    return latents


def read_explanations(path: Path) -> list[ExplanationRecord]:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"explanations file not found: {path}")
    records = []
    for line_no, obj in enumerate(read_jsonl(path), 1):
        try:
            records.append(ExplanationRecord(**obj))
        except TypeError as e:
            raise ValueError(f"{path}:{line_no}: not an explanation record ({e})") from e
    return records


def latent_key(sae: str, index: int) -> str:
    return f"{sae}/{index}"
