import torch

from feature_atlas_batch.lmhead.project import Projector, effective_unembedding, project_all
from feature_atlas_batch.lmhead.rows import decoding_rows, token_index_rows
from feature_atlas_batch.lmhead.sources import neuron_directions
from model_helpers import tiny_llama


def _naive(directions, unembed):
    return directions @ unembed.T  # (F, V)


def test_projection_matches_full_matrix_reference():
    g = torch.Generator().manual_seed(0)
    W_U, norm = torch.randn(300, 16, generator=g), torch.rand(16, generator=g) + 0.5
    dirs = torch.randn(101, 16, generator=g)
    E = effective_unembedding(W_U, norm)
    res, index = project_all(dirs.split(17), E, top_k=5, index_k=7, device=torch.device("cpu"))
    full = _naive(dirs, W_U * norm)
    v, i = full.topk(5, dim=1)
    torch.testing.assert_close(res.top_values, v, rtol=1e-4, atol=1e-4)
    assert torch.equal(res.top_ids, i)
    bv, bi = full.topk(5, dim=1, largest=False)
    torch.testing.assert_close(res.bottom_values, bv, rtol=1e-4, atol=1e-4)
    assert torch.equal(res.bottom_ids, bi)
    # Reverse index over ALL 101 features, not only those whose top list holds the token.
    iv, ifeat = full.topk(7, dim=0)
    torch.testing.assert_close(index.values, iv, rtol=1e-4, atol=1e-4)
    assert torch.equal(index.features, ifeat)


def test_block_size_does_not_change_the_result():
    g = torch.Generator().manual_seed(1)
    E, dirs = torch.randn(50, 8, generator=g), torch.randn(40, 8, generator=g)
    one = Projector(E, 3, 4, torch.device("cpu"))
    r1 = one.add(dirs)
    many = Projector(E, 3, 4, torch.device("cpu"))
    parts = [many.add(b) for b in dirs.split(3)]
    assert torch.equal(torch.cat([p.top_ids for p in parts]), r1.top_ids)
    assert torch.equal(many.index().features, one.index().features)


def test_rows_map_features_back_to_sources():
    g = torch.Generator().manual_seed(2)
    E = torch.randn(20, 4, generator=g)
    a, b = torch.randn(5, 4, generator=g), torch.randn(7, 4, generator=g)
    proj = Projector(E, 2, 3, torch.device("cpu"))
    proj.add(a)
    rb = proj.add(b)
    vocab = [f"w{i}" for i in range(20)]
    rows = list(decoding_rows("L1", "write", rb, 0, vocab))
    assert [r["index"] for r in rows] == list(range(7))
    assert rows[0]["top"][0]["value"] >= rows[0]["top"][1]["value"]
    assert rows[0]["bottom"][0]["value"] <= rows[0]["bottom"][1]["value"]
    idx_rows = list(token_index_rows("write", proj.index(), [("L0", 0, 5), ("L1", 5, 7)], vocab))
    assert len(idx_rows) == 20
    full = torch.cat([a, b]) @ E.T
    for tok in (0, 7, 19):
        best = int(full[:, tok].argmax())
        want = ("L0", best) if best < 5 else ("L1", best - 5)
        e = idx_rows[tok]["entries"][0]
        assert (e["sae"], e["index"]) == want
        assert e["value"] == round(float(full[best, tok]), 4)


def test_neuron_directions_of_a_llama_mlp():
    model = tiny_llama(n_layers=1, hidden=32, mlp=48)
    mlp = model.model.layers[0].mlp
    assert torch.equal(neuron_directions(mlp, "read_up"), mlp.up_proj.weight)
    assert torch.equal(neuron_directions(mlp, "read_gate")[5], mlp.gate_proj.weight[5])
    assert torch.equal(neuron_directions(mlp, "write")[5], mlp.down_proj.weight[:, 5])


def test_index_when_later_blocks_win_and_when_features_are_few():
    g = torch.Generator().manual_seed(3)
    E = torch.randn(64, 8, generator=g)
    # Growing norms: every block beats the previous ones (the dense merge path).
    dirs = torch.randn(40, 8, generator=g) * torch.arange(1, 41).float()[:, None]
    _, index = project_all(dirs.split(5), E, top_k=2, index_k=6, device=torch.device("cpu"))
    iv, ifeat = (dirs @ E.T).topk(6, dim=0)
    assert torch.equal(index.features, ifeat)
    _, small = project_all([dirs[:3]], E, top_k=2, index_k=6, device=torch.device("cpu"))
    assert small.features.shape == (3, 64) and (small.features >= 0).all()
