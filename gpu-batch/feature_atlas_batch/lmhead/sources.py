"""Feature directions to decode: MLP neurons of a Llama-style model, and SAE latents."""

from __future__ import annotations

from torch import Tensor, nn

from ..sae.loaders import SaeWeights


def mlp_layers(model: nn.Module) -> list[nn.Module]:
    layers = getattr(getattr(model, "model", model), "layers", None)
    if layers is None or not all(hasattr(l, "mlp") for l in layers):
        raise ValueError("model has no `model.layers[i].mlp` (a Llama-style decoder is expected)")
    return list(layers)


def neuron_directions(mlp: nn.Module, direction: str) -> Tensor:
    """(d_mlp, d_model): one row per neuron.

    read_up / read_gate: the neuron's row of up_proj / gate_proj (what it reads);
    write: its column of down_proj (what it adds to the residual stream).
    """
    if direction == "read_up":
        return mlp.up_proj.weight.detach()
    if direction == "read_gate":
        if not hasattr(mlp, "gate_proj"):
            raise ValueError("this MLP has no gate projection")
        return mlp.gate_proj.weight.detach()
    if direction == "write":
        return mlp.down_proj.weight.detach().T
    raise ValueError(f"unknown neuron direction {direction!r}")


def latent_directions(sae: SaeWeights, direction: str) -> Tensor:
    """(num_latents, d): decoder rows, or encoder rows."""
    if direction == "decoder":
        return sae.W_dec
    if direction == "encoder":
        return sae.W_enc
    raise ValueError(f"unknown latent direction {direction!r}")


def final_norm_weight(model: nn.Module) -> Tensor | None:
    norm = getattr(getattr(model, "model", model), "norm", None)
    return None if norm is None or getattr(norm, "weight", None) is None else norm.weight.detach()
