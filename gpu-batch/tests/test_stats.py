import numpy as np
import pytest
import torch

from feature_atlas_batch.config import StatsConfig
from feature_atlas_batch.sae.loaders import SaeWeights
from feature_atlas_batch.stats.records import WindowReader, build_record, latent_summary
from feature_atlas_batch.stats.sampling import pick_latents, pick_windows, quantile_bins, window_strengths
from feature_atlas_batch.stats.sparse_acts import encode_sparse


def _random_sae(d=8, m=20, k=3):
    g = torch.Generator().manual_seed(1)
    return SaeWeights("topk", torch.randn(m, d, generator=g), torch.zeros(m), torch.randn(m, d, generator=g), torch.zeros(d), k=k)


def test_encode_sparse_matches_dense_and_skips_positions():
    sae = _random_sae()
    acts = np.random.default_rng(0).normal(size=(5, 6, 8)).astype(np.float32)
    sp = encode_sparse(sae, acts, skip_positions=1, device=torch.device("cpu"), batch_seqs=2)
    dense = torch.relu(torch.from_numpy(acts.reshape(30, 8)) @ sae.W_enc.T)
    v, i = dense.topk(3, dim=1)
    want = torch.zeros_like(dense).scatter_(1, i, v).numpy()
    want[np.arange(30) % 6 == 0] = 0  # skipped position 0 of each sequence
    got = np.zeros_like(want)
    for j in range(20):
        tok, val = sp.latent(j)
        assert (np.diff(tok) > 0).all()
        got[tok, j] = val
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert sp.n_tokens == 25
    s = latent_summary(sp, int(np.argmax(np.diff(sp.ptr))))
    assert s["density"] == s["n_activations"] / 25 and s["max_activation"] >= s["mean_activation"] > 0


def test_window_strengths_are_window_maxima():
    tokens = np.array([1, 2, 9, 17, 40])
    values = np.array([0.5, 2.0, 1.0, 3.0, 4.0], dtype=np.float32)
    ids, strength = window_strengths(tokens, values, ctx_len=20, window=8)
    # ctx 20, window 8 -> 3 windows per sequence; token 40 is sequence 2, position 0.
    assert ids.tolist() == [0, 1, 2, 6]
    assert strength.tolist() == [2.0, 1.0, 3.0, 4.0]


def test_quantile_bins_are_equal_count_and_ordered():
    b = quantile_bins(10, 5)
    assert b.tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]


def test_pick_windows_top_quantiles_test_and_non_activating():
    rng = np.random.default_rng(0)
    win_ids = np.arange(0, 200, 2)  # 100 activating windows out of 400
    strengths = rng.random(100).astype(np.float32)
    cfg = StatsConfig(n_top=5, n_quantiles=4, n_per_quantile=2, n_test=8, n_non_activating=6)
    picks = pick_windows(win_ids, strengths, 400, cfg, rng)
    top = [p.window for p in picks.train if p.kind == "top"]
    assert top == win_ids[np.argsort(-strengths)[:5]].tolist()
    quant = [p for p in picks.train if p.kind == "quantile"]
    assert sorted(p.quantile for p in quant) == [0, 0, 1, 1, 2, 2, 3, 3]
    # Bin 0 holds the weakest windows: its picks are weaker than bin 3's.
    strength_of = dict(zip(win_ids.tolist(), strengths.tolist()))
    assert max(strength_of[p.window] for p in quant if p.quantile == 0) < min(strength_of[p.window] for p in quant if p.quantile == 3)
    train_set = {p.window for p in picks.train}
    assert len(picks.test) == 8 and not train_set & {p.window for p in picks.test}
    assert len({p.quantile for p in picks.test}) == 4
    assert len(picks.non_activating) == 6
    assert not {p.window for p in picks.non_activating} & set(win_ids.tolist())


def test_records_non_activating_examples_are_really_zero():
    sae = _random_sae(m=12, k=2)
    acts = np.random.default_rng(1).normal(size=(20, 16, 8)).astype(np.float32)
    sp = encode_sparse(sae, acts, skip_positions=0, device=torch.device("cpu"))
    tokens = np.random.default_rng(2).integers(0, 30, size=(20, 16))
    vocab = [f"t{i}" for i in range(30)]
    reader = WindowReader(tokens, vocab, window=4)
    cfg = StatsConfig(window=4, n_top=3, n_quantiles=2, n_per_quantile=1, n_test=2, n_non_activating=4, min_activations=1)
    rng = np.random.default_rng(0)
    checked = 0
    for j in pick_latents(np.diff(sp.ptr), cfg, rng):
        lt, lv = sp.latent(int(j))
        ids, st = window_strengths(lt, lv, 16, 4)
        rec = build_record("s", int(j), sp, pick_windows(ids, st, reader.n_windows, cfg, rng), reader)
        for ex in rec.non_activating:
            assert ex.kind == "random" and max(ex.activations) == 0.0
            checked += 1
        for ex in rec.train + rec.test:
            assert max(ex.activations) > 0 and len(ex.tokens) == 4
        assert rec.train[0].max_activation == pytest.approx(rec.max_activation, rel=1e-3)
    assert checked > 0


def test_pick_latents_respects_minimum_and_cap():
    counts = np.array([0, 5, 50, 500, 5000, 1, 60, 70])
    cfg = StatsConfig(min_activations=5, max_records_per_sae=3)
    chosen = pick_latents(counts, cfg, np.random.default_rng(0))
    assert len(chosen) == 3 and all(counts[chosen] >= 5)
    assert len(pick_latents(counts, StatsConfig(min_activations=5), np.random.default_rng(0))) == 6
