"""Capture module outputs of a transformers model with forward hooks.

Hooks are always removed in `finally`, so an exception inside the forward pass
(or a stop on purpose) never leaves a hook behind on a shared model.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn


class _StopForward(Exception):
    """Raised from a hook once every wanted output is captured, to skip the rest of the model."""


def capture(model: nn.Module, input_ids: Tensor, hookpoints: list[str], stop_early: bool = True) -> dict[str, Tensor]:
    """Run `model` on `input_ids` (B, T) and return each hookpoint's output (B, T, d).

    With `stop_early` the forward pass ends as soon as all hookpoints fired, so
    the layers after the deepest one and the LM head are never computed.
    """
    modules = dict(model.named_modules())
    missing = [h for h in hookpoints if h not in modules]
    if missing:
        raise ValueError(f"hookpoints not in model: {missing}")
    captured: dict[str, Tensor] = {}

    def make_hook(name: str):
        def hook(_module: nn.Module, _args, output):
            out = output[0] if isinstance(output, tuple) else output
            captured[name] = out.detach()
            if stop_early and len(captured) == len(hookpoints):
                raise _StopForward

        return hook

    handles = []
    try:
        for name in hookpoints:
            handles.append(modules[name].register_forward_hook(make_hook(name)))
        with torch.inference_mode():
            try:
                model(input_ids=input_ids, use_cache=False)
            except _StopForward:
                pass
    finally:
        for handle in handles:
            handle.remove()
    not_fired = [h for h in hookpoints if h not in captured]
    if not_fired:
        raise RuntimeError(f"hookpoints never fired: {not_fired}")
    return captured
