"""Linear + ReLU + top-k selection with a sparse backward pass.

The forward pass is one dense matmul. The backward pass only touches the
selected (token, latent) pairs: the input gradient is an `embedding_bag` over
the selected encoder rows and the weight gradient a sparse (latents x tokens)
times dense (tokens x d) product, which on CPU is about 5x faster than
`index_add` over a (tokens, k, d) tensor and 2x faster than a dense product.
The optional auxiliary selection (AuxK, over dead latents only) shares the same
pre-activations; its gradient flows back too (dense over the dead columns), so
the AuxK loss trains the dead latents' encoder rows as well as their decoder
rows.
"""

from __future__ import annotations

from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import Tensor


class Selection(NamedTuple):
    values: Tensor
    """(N, k) activations of the selected latents."""
    indices: Tensor
    """(N, k) latent ids."""


def _weight_grad(indices: Tensor, grads: Tensor, x: Tensor, num_latents: int) -> Tensor:
    n, k = indices.shape
    rows = indices.reshape(-1)
    cols = torch.arange(n, device=x.device).repeat_interleave(k)
    g = torch.sparse_coo_tensor(torch.stack([rows, cols]), grads.reshape(-1), (num_latents, n), check_invariants=False)
    return torch.sparse.mm(g.coalesce(), x)


class _TopKEncode(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x: Tensor, weight: Tensor, bias: Tensor, k: int, dead_mask: Tensor | None, k_aux: int):
        pre = F.relu(F.linear(x, weight, bias))  # (N, M)
        values, indices = pre.topk(k, dim=-1, sorted=False)
        if dead_mask is not None and k_aux > 0:
            dead_idx = dead_mask.nonzero().squeeze(1)  # (D,)
            aux_values, aux_local = pre[:, dead_idx].topk(k_aux, dim=-1, sorted=False)  # (N, k_aux) over dead columns only
            aux_indices = dead_idx[aux_local]
        else:
            dead_idx = indices.new_zeros(0)
            aux_values = pre.new_zeros((x.shape[0], 0))
            aux_local = aux_indices = indices.new_zeros((x.shape[0], 0))
        ctx.save_for_backward(x, weight, indices, values, dead_idx, aux_local, aux_values)
        ctx.mark_non_differentiable(indices, aux_indices)
        return values, indices, aux_values, aux_indices

    @staticmethod
    def backward(ctx, g_values, _g_indices, g_aux_values, _g_aux_indices):
        x, weight, indices, values, dead_idx, aux_local, aux_values = ctx.saved_tensors
        # ReLU: a selected latent whose pre-activation was clipped to 0 passes no gradient.
        grads = torch.where(values > 0, g_values, torch.zeros_like(g_values)).to(weight.dtype)
        grad_x = grad_w = grad_b = None
        if ctx.needs_input_grad[0]:
            grad_x = F.embedding_bag(indices, weight, per_sample_weights=grads, mode="sum")
        if ctx.needs_input_grad[1]:
            grad_w = _weight_grad(indices, grads, x.to(weight.dtype), weight.shape[0])
        if ctx.needs_input_grad[2]:
            grad_b = torch.zeros(weight.shape[0], dtype=weight.dtype, device=weight.device)
            grad_b.index_add_(0, indices.reshape(-1), grads.reshape(-1))
        if dead_idx.numel() and aux_local.shape[1]:
            # AuxK picks a large share of the dead latents per token, so its gradient is dense
            # over the (few) dead columns: two small matmuls instead of a big sparse product.
            g_aux = torch.where(aux_values > 0, g_aux_values, torch.zeros_like(g_aux_values)).to(weight.dtype)
            g_dead = torch.zeros(x.shape[0], dead_idx.numel(), dtype=weight.dtype, device=weight.device)
            g_dead.scatter_add_(1, aux_local, g_aux)  # (N, D)
            if grad_x is not None:
                grad_x = grad_x + g_dead @ weight[dead_idx]
            if grad_w is not None:
                grad_w = grad_w.to_dense() if grad_w.is_sparse else grad_w
                grad_w.index_add_(0, dead_idx, g_dead.T @ x.to(weight.dtype))
            if grad_b is not None:
                grad_b.index_add_(0, dead_idx, g_dead.sum(0))
        return grad_x, grad_w, grad_b, None, None, None


def topk_encode(
    x: Tensor, weight: Tensor, bias: Tensor, k: int, dead_mask: Tensor | None = None, k_aux: int = 0
) -> tuple[Selection, Selection]:
    """Top-k latents of relu(x W^T + b), and the top-`k_aux` among `dead_mask` latents (empty when none)."""
    v, i, av, ai = _TopKEncode.apply(x, weight, bias, k, dead_mask, k_aux)
    return Selection(v, i), Selection(av, ai)
