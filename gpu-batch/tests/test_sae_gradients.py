"""The sparse backward pass (TopK and AuxK paths) against plain autograd on dense tensors."""

import torch
import torch.nn.functional as F

from feature_atlas_batch.sae.topk import TopKSae
from sae_helpers import sparse_mixture


def _dense_reference_loss(sae: TopKSae, x: torch.Tensor, dead: torch.Tensor) -> torch.Tensor:
    pre = F.relu((x - sae.b_dec) @ sae.encoder.weight.T + sae.encoder.bias)
    v, i = pre.topk(sae.k, dim=1)
    out = torch.zeros_like(pre).scatter(1, i, v) @ sae.W_dec + sae.b_dec
    resid = x - out
    total = (x - x.mean(0)).pow(2).sum()
    fvu = resid.pow(2).sum() / total
    n_dead = int(dead.sum())
    k_aux = min(x.shape[1] // 2, n_dead)
    av, ai = torch.where(dead[None], pre, torch.zeros_like(pre)).topk(k_aux, dim=1)
    aux_out = torch.zeros_like(pre).scatter(1, ai, av) @ sae.W_dec
    auxk = min(n_dead / (x.shape[1] // 2), 1.0) * (aux_out - resid.detach()).pow(2).sum() / total
    return fvu + auxk / 32


def test_sparse_backward_matches_dense_autograd():
    x = sparse_mixture(n=300)
    sae = TopKSae(32, 80, 4)
    with torch.no_grad():
        sae.b_dec.normal_(0, 0.1)
        sae.encoder.bias.normal_(0, 0.05)
    dead = torch.zeros(80, dtype=torch.bool)
    dead[torch.randperm(80)[:30]] = True
    out = sae(x, dead)
    (out.fvu + out.auxk_loss / 32).backward()
    ours = {n: p.grad.clone() for n, p in sae.named_parameters()}
    sae.zero_grad()
    _dense_reference_loss(sae, x, dead).backward()
    for name, p in sae.named_parameters():
        torch.testing.assert_close(ours[name], p.grad, rtol=1e-4, atol=1e-6, msg=f"gradient of {name}")
    # The AuxK term reaches the dead latents' encoder rows (not only their decoder rows).
    assert ours["encoder.weight"][dead].abs().sum() > 0
