"""Constants of bundle format version 1 (docs/bundle-format.md)."""

from __future__ import annotations

import re

FORMAT = "feature-atlas-bundle"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
VECTORS = "explanation_vectors.f32"

# Files in the order a reader needs them: later files refer to earlier ones.
JSONL_FILES = (
    "saes.jsonl",
    "vocab.jsonl",
    "latents.jsonl",
    "explanations.jsonl",
    "scores.jsonl",
    "examples.jsonl",
    "decodings.jsonl",
    "token_index.jsonl",
    "matches.jsonl",
    "sae_pairs.jsonl",
)
DATA_FILES = JSONL_FILES + (VECTORS,)

BUNDLE_ID_RE = re.compile(r"[a-z0-9][a-z0-9._-]{0,127}")
MODEL_ID_RE = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
SAE_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
CREATED_AT_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z")
SHA256_RE = re.compile(r"[0-9a-f]{64}")

SOURCE_KINDS = ("pipeline", "neuronpedia-export", "delphi")
SITES = ("resid_pre", "resid_post", "mlp_out", "attn_out", "mlp_neurons")
SAE_KINDS = ("sae", "transcoder", "neurons")
ARCHITECTURES = ("topk", "jumprelu", "relu", "batchtopk", "neurons")
SCORERS = ("fuzz", "detection", "embedding", "simulation", "surprisal", "intervention")
UNIT_INTERVAL_SCORERS = ("fuzz", "detection", "embedding")
EXAMPLE_KINDS = ("top", "quantile", "random")
DIRECTIONS = ("decoder", "encoder", "read_up", "read_gate", "write")
MATCH_METHODS = ("decoder_cosine", "explanation_cosine", "hungarian_decoder")
PAIR_METHODS = ("decoder_cosine", "explanation_cosine")

EXPLANATION_MAX_CHARS = 2000
EXAMPLE_MAX_TOKENS = 512
DECODING_MAX_ENTRIES = 100
UNIT_NORM_TOLERANCE = 1e-3
