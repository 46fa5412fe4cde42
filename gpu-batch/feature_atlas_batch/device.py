"""Device choice, made when a stage starts (never at import or as a default)."""

from __future__ import annotations

import torch


def resolve_device(name: str) -> torch.device:
    """`auto` means cuda when one is visible, else cpu; an unavailable cuda is an error."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    device = torch.device(name)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise RuntimeError(f"device {name!r} requested but CUDA is not available")
    return device


def set_threads(n: int) -> None:
    if n > 0:
        torch.set_num_threads(n)
