import numpy as np
import pytest
import torch

from feature_atlas_batch.activations.capture import capture
from feature_atlas_batch.activations.shards import Shard
from model_helpers import tiny_llama


def test_capture_matches_hidden_states():
    model = tiny_llama(n_layers=4)
    ids = torch.randint(0, 100, (3, 10))
    got = capture(model, ids, ["model.layers.1", "model.layers.2"])
    with torch.no_grad():
        hs = model(input_ids=ids, output_hidden_states=True).hidden_states
    # hidden_states[0] is the embedding output, so layer i's output is hidden_states[i + 1].
    torch.testing.assert_close(got["model.layers.1"], hs[2])
    torch.testing.assert_close(got["model.layers.2"], hs[3])
    assert got["model.layers.1"].shape == (3, 10, 32)


def test_capture_stops_after_last_hookpoint():
    model = tiny_llama(n_layers=4)
    ran = []
    handle = model.model.layers[3].register_forward_hook(lambda *a: ran.append(3))
    try:
        capture(model, torch.randint(0, 100, (1, 5)), ["model.layers.1"])
        assert ran == []
        capture(model, torch.randint(0, 100, (1, 5)), ["model.layers.1"], stop_early=False)
        assert ran == [3]
    finally:
        handle.remove()


def _hook_count(model) -> int:
    return sum(len(m._forward_hooks) for m in model.modules())


def test_hooks_removed_even_when_forward_fails():
    model = tiny_llama(n_layers=3)

    def boom(*_):
        raise RuntimeError("boom")

    bad = model.model.layers[0].mlp.register_forward_hook(boom)
    before = _hook_count(model)
    with pytest.raises(RuntimeError, match="boom"):
        capture(model, torch.randint(0, 100, (1, 4)), ["model.layers.1", "model.layers.2.mlp"])
    assert _hook_count(model) == before
    bad.remove()
    assert _hook_count(model) == 0


def test_unknown_hookpoint_is_a_clear_error():
    with pytest.raises(ValueError, match="not in model"):
        capture(tiny_llama(2), torch.zeros(1, 3, dtype=torch.long), ["model.layers.9"])


@pytest.mark.parametrize("n_items,count", [(0, 1), (7, 3), (10, 10), (5, 8), (384, 4)])
def test_shards_tile_the_items_exactly_once(n_items, count):
    seen = np.zeros(n_items, dtype=int)
    for i in range(count):
        s, e = Shard(i, count).range(n_items)
        seen[s:e] += 1
    assert (seen == 1).all()


@pytest.mark.parametrize("text", ["3/3", "a/2", "1", "-1/2", "0/0"])
def test_bad_shard_spec(text):
    with pytest.raises(ValueError):
        Shard.parse(text)
