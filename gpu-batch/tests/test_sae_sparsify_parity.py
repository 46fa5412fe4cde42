"""Our TopK SAE against EleutherAI sparsify's implementation, same weights and inputs."""

import os

import pytest
import torch

os.environ.setdefault("SPARSIFY_DISABLE_TRITON", "1")
sparsify = pytest.importorskip("sparsify")

from feature_atlas_batch.sae.loaders import load_sae  # noqa: E402
from feature_atlas_batch.sae.topk import TopKSae  # noqa: E402
from sae_helpers import sparse_mixture  # noqa: E402


def _pair(num_latents=96, k=5, d=32):
    ours = TopKSae(d, num_latents, k)
    with torch.no_grad():
        ours.b_dec.normal_(0, 0.1)
        ours.encoder.bias.normal_(0, 0.05)
    theirs = sparsify.SparseCoder(d, sparsify.SparseCoderConfig(num_latents=num_latents, k=k))
    theirs.load_state_dict(ours.state_dict())
    return ours, theirs


def test_forward_fvu_and_auxk_match_sparsify():
    ours, theirs = _pair()
    x = sparse_mixture(n=512)
    dead = torch.zeros(96, dtype=torch.bool)
    dead[::3] = True
    a = ours(x, dead)
    b = theirs(x, dead_mask=dead)
    torch.testing.assert_close(a.fvu, b.fvu, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(a.auxk_loss, b.auxk_loss, rtol=1e-4, atol=1e-6)
    torch.testing.assert_close(a.reconstruction, b.sae_out, rtol=1e-5, atol=1e-5)
    assert sorted(a.latents.indices[0].tolist()) == sorted(b.latent_indices[0].tolist())


def test_fvu_gradients_match_sparsify():
    ours, theirs = _pair()
    x = sparse_mixture(n=256)
    ours(x).fvu.backward()
    theirs(x).fvu.backward()
    for name, p in ours.named_parameters():
        q = dict(theirs.named_parameters())[name]
        torch.testing.assert_close(p.grad, q.grad, rtol=1e-4, atol=1e-6, msg=f"gradient of {name}")


def test_saved_sae_loads_in_sparsify_and_back(tmp_path):
    ours, _ = _pair()
    ours.save(tmp_path / "sae", extra={"hookpoint": "model.layers.3"})
    theirs = sparsify.SparseCoder.load_from_disk(tmp_path / "sae")
    x = sparse_mixture(n=64)
    torch.testing.assert_close(ours(x).reconstruction, theirs(x).sae_out, rtol=1e-5, atol=1e-5)
    weights = load_sae(tmp_path / "sae")
    assert weights.architecture == "topk" and weights.k == 5 and weights.hookpoint == "model.layers.3"
    v, i = weights.encode(x)
    sel, _ = ours.encode(x)
    assert torch.equal(i.sort(1).values, sel.indices.sort(1).values)
