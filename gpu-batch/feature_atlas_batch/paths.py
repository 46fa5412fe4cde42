"""Where each stage of a run writes, under the run's `out_dir`."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path


def sae_id(layer: int, site: str) -> str:
    """Source id of the SAE trained on one hookpoint, Neuronpedia style (`6-res-topk`)."""
    return f"{layer}-{'res' if site == 'resid_post' else 'mlp'}-topk"


def source_seed(seed: int, source: str) -> int:
    """A per-source seed: SAEs of different hookpoints must not start from the same weights,
    or their decoders stay alike through training and cross-SAE matching measures the init."""
    return (seed * 1_000_003 + zlib.crc32(source.encode())) % 2**31


def neuron_set_id(layer: int) -> str:
    return f"{layer}-mlp-neurons"


@dataclass(frozen=True)
class RunPaths:
    root: Path

    @property
    def tokens(self) -> Path:
        return self.root / "tokens"

    @property
    def activations(self) -> Path:
        return self.root / "activations"

    def activation_shard(self, index: int, count: int) -> Path:
        return self.activations / f"shard-{index:03d}-of-{count:03d}"

    def sae(self, source: str) -> Path:
        return self.root / "saes" / source

    def stats(self, source: str) -> Path:
        return self.root / "stats" / source

    @property
    def latents(self) -> Path:
        """All SAEs' LatentRecords gathered into one file for the explainer."""
        return self.root / "latents"

    @property
    def explain(self) -> Path:
        return self.root / "explain"

    @property
    def score(self) -> Path:
        return self.root / "score"

    @property
    def embed(self) -> Path:
        return self.root / "embed"

    @property
    def decode(self) -> Path:
        return self.root / "decode"

    def decode_part(self, direction: str) -> Path:
        """One direction's decodings and token index (neuron directions do not depend on the SAEs)."""
        return self.root / "decode-parts" / direction

    @property
    def match(self) -> Path:
        return self.root / "match"

    @property
    def bundle(self) -> Path:
        return self.root / "bundle"
