import torch

from feature_atlas_batch.config import SaeConfig
from feature_atlas_batch.sae.topk import TopKSae
from feature_atlas_batch.sae.train import evaluate, train_topk_sae
from sae_helpers import sparse_mixture


def test_training_reduces_fvu():
    x = sparse_mixture(n=2048)
    cfg = SaeConfig(num_latents=128, k=6, epochs=4, batch_size=128, dead_after_tokens=2000, lr=3e-3)
    torch.manual_seed(0)
    before = evaluate(TopKSae(32, 128, 6), x)["fvu"]
    sae, stats = train_topk_sae(x, cfg, torch.device("cpu"), seed=0)
    assert stats["fvu"] < 0.6 * before
    assert stats["history"][-1]["train_fvu"] < stats["history"][0]["train_fvu"]
    assert torch.allclose(sae.W_dec.norm(dim=1), torch.ones(128), atol=1e-4)


def _kill_latents(sae: TopKSae, dead: torch.Tensor) -> None:
    """Shrink the chosen latents' encoder rows: still positive somewhere, but they never win the top-k."""
    with torch.no_grad():
        sae.encoder.weight[dead] *= 0.01


def _alive_after_training(auxk_alpha: float) -> tuple[int, int]:
    x = sparse_mixture(n=4096)
    cfg = SaeConfig(num_latents=128, k=4, epochs=4, batch_size=256, auxk_alpha=auxk_alpha, dead_after_tokens=512, lr=2e-3)
    dead = torch.arange(0, 128, 2)
    torch.manual_seed(0)
    init = TopKSae(32, 128, 4)
    with torch.no_grad():
        init.b_dec.copy_(x.mean(0))
    _kill_latents(init, dead)
    sae, _ = train_topk_sae(x, cfg, torch.device("cpu"), seed=0, init=init)
    sel, _ = sae.encode(x)
    fired = torch.zeros(128, dtype=torch.bool)
    fired[sel.indices[sel.values > 0]] = True
    return int(fired[dead].sum()), len(dead)


def test_auxk_revives_dead_latents():
    revived_with, n_dead = _alive_after_training(auxk_alpha=1 / 32)
    revived_without, _ = _alive_after_training(auxk_alpha=0.0)
    assert revived_without <= n_dead // 8
    assert revived_with >= n_dead // 4
    assert revived_with > 2 * revived_without
