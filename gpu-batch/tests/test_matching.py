import numpy as np
import pytest
import torch

from feature_atlas_batch.matching.assignment import hungarian, pair_summary
from feature_atlas_batch.matching.cosine import cosine_matrix, cosine_topk
from feature_atlas_batch.matching.explanations import explanation_matches, latent_vectors
from feature_atlas_batch.matching.stage import nearby_vs_distant


def test_permuted_copy_is_matched_perfectly():
    g = torch.Generator().manual_seed(0)
    dec_a = torch.randn(200, 24, generator=g)
    perm = torch.randperm(200, generator=g)
    dec_b = dec_a[perm] * 3.0  # scale must not matter for cosine
    asg = hungarian(cosine_matrix(dec_a, dec_b, block_size=64).numpy())
    # Row i of A is row perm^-1[i] of B.
    inverse = torch.argsort(perm).numpy()
    assert (asg.cols == inverse[asg.rows]).all()
    np.testing.assert_allclose(asg.scores, 1.0, atol=1e-5)
    s = pair_summary(asg, 200, 200, threshold=0.7, bins=5, hist_min=0.0)
    assert s["matchedFraction"] == 1.0 and s["meanMatchedScore"] > 0.9999
    assert sum(s["histogram"]["counts"]) == 200 and len(s["histogram"]["edges"]) == 6


def test_hungarian_is_one_to_one_and_beats_greedy_total():
    sim = np.array([[0.9, 0.8], [0.85, 0.1]])
    asg = hungarian(sim)
    assert sorted(asg.cols.tolist()) == [0, 1]
    assert asg.scores.sum() == sim[0, 1] + sim[1, 0]


def test_cosine_topk_matches_naive():
    g = torch.Generator().manual_seed(1)
    a, b = torch.randn(30, 8, generator=g), torch.randn(50, 8, generator=g)
    v, i = cosine_topk(a, b, k=4, block_size=7)
    full = torch.nn.functional.normalize(a, dim=1) @ torch.nn.functional.normalize(b, dim=1).T
    fv, fi = full.topk(4, dim=1)
    torch.testing.assert_close(v, fv)
    assert torch.equal(i, fi)


def test_explanation_matches_finds_the_same_text():
    rng = np.random.default_rng(0)
    emb = rng.normal(size=(6, 16)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    order = [3, 0, 5, 1, 4, 2]
    got = explanation_matches(emb, [10, 11, 12, 13, 14, 15], emb[order], [20 + o for o in order], k=2)
    top = {a: b for a, b, _, rank in got if rank == 0}
    assert top == {10 + i: 20 + i for i in range(6)}
    assert all(rank in (0, 1) for *_, rank in got)


def test_nearby_vs_distant_detects_a_banded_matrix():
    layers = [3, 6, 9, 12]
    sim = np.array([[1, .8, .5, .3], [.8, 1, .8, .5], [.5, .8, 1, .8], [.3, .5, .8, 1]])
    out = nearby_vs_distant(sim, layers)
    assert out["adjacent_mean"] > out["distant_mean"]
    assert out["spearman_distance_vs_similarity"] < -0.8


def test_random_baseline_is_far_below_a_real_match():
    from feature_atlas_batch.matching.stage import random_baseline

    base = random_baseline((200, 24), seed=0)
    assert 0.0 < base < 0.6


def test_latent_vectors_pools_a_latents_explanations_into_one_unit_row():
    emb = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 2], [3, 0, 0]], np.float32)
    vecs, latents = latent_vectors(emb, [7, 7, 2, 9])
    assert latents == [2, 7, 9]
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(vecs[1], [2 ** -0.5, 2 ** -0.5, 0], rtol=1e-6)
    assert latent_vectors(np.zeros((0, 3), np.float32), [])[1] == []


def test_explanation_pair_summaries_both_orders_and_a_perfect_match_for_a_permuted_copy():
    import io
    import json

    from feature_atlas_batch.config import MatchConfig
    from feature_atlas_batch.matching.stage import _explanation_pair

    rng = np.random.default_rng(1)
    a = rng.normal(size=(12, 16)).astype(np.float32)
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    b = a[rng.permutation(12)][:9]  # B explains 9 of them
    out = io.StringIO()
    mean = _explanation_pair(a, b, "A", "B", MatchConfig(threshold=0.7, bins=4), out)
    rows = [json.loads(l) for l in out.getvalue().splitlines()]
    assert [(r["saeA"], r["saeB"], r["method"]) for r in rows] == [("A", "B", "explanation_cosine"), ("B", "A", "explanation_cosine")]
    assert mean == pytest.approx(1.0, abs=1e-5)
    assert rows[0]["nA"] == 12 and rows[0]["nB"] == 9
    # Every latent of B finds its copy; only 9 of A's 12 can be matched.
    assert rows[1]["matchedFraction"] == pytest.approx(1.0)
    assert rows[0]["matchedFraction"] == pytest.approx(9 / 12)
    # Unrelated explanations match far worse.
    c = rng.normal(size=(9, 16)).astype(np.float32)
    c /= np.linalg.norm(c, axis=1, keepdims=True)
    assert _explanation_pair(a, c, "A", "C", MatchConfig(threshold=0.7, bins=4), io.StringIO()) < 0.6
