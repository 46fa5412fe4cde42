import json

import pytest
import torch
from safetensors.torch import save_file

from feature_atlas_batch.sae.loaders import load_saelens, load_sae, load_sparsify


def _saelens_dir(tmp_path, arch="jumprelu", d=16, m=40):
    w_enc = torch.randn(d, m)
    state = {"W_enc": w_enc, "b_enc": torch.randn(m) * 0.1, "W_dec": torch.randn(m, d), "b_dec": torch.randn(d) * 0.1}
    if arch == "jumprelu":
        state["threshold"] = torch.rand(m)
    save_file(state, tmp_path / "sae_weights.safetensors")
    cfg = {"architecture": arch, "d_in": d, "d_sae": m, "hook_name": "blocks.3.hook_resid_post"}
    if arch == "topk":
        cfg["k"] = 4
    (tmp_path / "cfg.json").write_text(json.dumps(cfg))
    return state


def test_saelens_jumprelu_encodes_like_the_formula(tmp_path):
    state = _saelens_dir(tmp_path)
    sae = load_sae(tmp_path)
    assert sae.architecture == "jumprelu" and sae.hookpoint == "blocks.3.hook_resid_post"
    x = torch.randn(8, 16)
    pre = x @ state["W_enc"] + state["b_enc"]
    dense = torch.where(pre > state["threshold"], pre, torch.zeros_like(pre))
    v, i = sae.encode(x)
    rebuilt = torch.zeros_like(dense).scatter_(1, i, v)
    torch.testing.assert_close(rebuilt, dense)
    torch.testing.assert_close(sae.W_dec, state["W_dec"])


def test_saelens_topk_and_relu(tmp_path):
    _saelens_dir(tmp_path, "topk")
    sae = load_saelens(tmp_path)
    v, _ = sae.encode(torch.randn(5, 16))
    assert sae.k == 4 and v.shape == (5, 4)
    (tmp_path / "cfg.json").write_text(json.dumps({"architecture": "gated", "d_in": 16, "d_sae": 40}))
    with pytest.raises(ValueError, match="unsupported architecture"):
        load_saelens(tmp_path)


def test_bad_sae_directories(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_sae(tmp_path)
    save_file({"W_dec": torch.zeros(4, 2), "b_dec": torch.zeros(2), "encoder.weight": torch.zeros(4, 2)}, tmp_path / "sae.safetensors")
    (tmp_path / "cfg.json").write_text(json.dumps({"d_in": 2, "num_latents": 4, "k": 1}))
    with pytest.raises(ValueError, match="expected tensors"):
        load_sparsify(tmp_path)
