"""Model and SAE descriptions of the sources the importers know by name."""

from __future__ import annotations

GEMMA_2_2B = {
    "id": "gemma-2-2b",
    "displayName": "Gemma 2 2B",
    "architecture": "gemma2",
    "nLayers": 26,
    "dModel": 2304,
    "dMlp": 9216,
    "vocabSize": 256000,
}

GEMMASCOPE_20_RES_16K = {
    "id": "20-gemmascope-res-16k",
    "hookpoint": "blocks.20.hook_resid_post",
    "layer": 20,
    "site": "resid_post",
    "kind": "sae",
    "architecture": "jumprelu",
    "width": 16384,
    "k": None,
    "dIn": 2304,
    "stats": {},
}

GPT2_SMALL = {
    "id": "gpt2-small",
    "displayName": "GPT-2 small",
    "architecture": "gpt2",
    "nLayers": 12,
    "dModel": 768,
    "dMlp": 3072,
    "vocabSize": 50257,
}
