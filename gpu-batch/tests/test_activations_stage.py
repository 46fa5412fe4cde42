import json

import numpy as np
import pytest

from feature_atlas_batch.activations.corpus import iter_documents
from feature_atlas_batch.activations.shards import Shard
from feature_atlas_batch.activations.stage import load_hookpoint, run_activations_stage, shard_dirs
from feature_atlas_batch.activations.tokens import open_token_file, token_dtype, write_token_file
from feature_atlas_batch.config import CorpusConfig
from feature_atlas_batch.paths import RunPaths
from model_helpers import tiny_run_config, tiny_tokenizer


def test_token_dtype_by_vocab_size():
    assert token_dtype(49152) == np.uint16
    assert token_dtype(128256) == np.uint32


def test_token_file_is_a_memmap_of_whole_sequences(tmp_path):
    tok = tiny_tokenizer()
    docs = ["the union of the states", "war and peace"] * 20
    tf = write_token_file(tmp_path, docs, tok, ctx_len=8, max_tokens=50, separator_id=tok.eos_token_id)
    assert tf.tokens.shape == (6, 8)
    assert isinstance(tf.tokens, np.memmap)
    assert tf.tokens.dtype == np.uint16
    first = tok("the union of the states", add_special_tokens=False)["input_ids"]
    assert tf.tokens.reshape(-1)[: len(first)].tolist() == first
    assert tf.tokens.reshape(-1)[len(first)] == tok.eos_token_id
    again = open_token_file(tmp_path)
    assert (np.asarray(again.tokens) == np.asarray(tf.tokens)).all()


def test_corpus_loaders(tmp_path):
    (tmp_path / "sotu").mkdir()
    (tmp_path / "sotu" / "1790_a.txt").write_text("old")
    (tmp_path / "sotu" / "2020_b.txt").write_text("new")
    assert list(iter_documents(CorpusConfig(kind="sotu", path=str(tmp_path / "sotu")))) == ["new", "old"]
    assert list(iter_documents(CorpusConfig(kind="sotu", path=str(tmp_path / "sotu"), newest_first=False, max_documents=1))) == ["old"]
    rows = tmp_path / "c.jsonl"
    rows.write_text('{"text": "one"}\n\n{"text": "two"}\n')
    assert list(iter_documents(CorpusConfig(kind="jsonl", path=str(rows)))) == ["one", "two"]
    rows.write_text('{"text": "one"}\n{"body": 2}\n')
    with pytest.raises(ValueError, match="c.jsonl:2"):
        list(iter_documents(CorpusConfig(kind="jsonl", path=str(rows))))
    with pytest.raises(FileNotFoundError, match="does not exist"):
        list(iter_documents(CorpusConfig(kind="sotu", path=str(tmp_path / "missing"))))


def test_sharded_capture_equals_one_shard(tmp_path):
    cfg3 = tiny_run_config(tmp_path / "a")
    for i in range(3):
        run_activations_stage(cfg3, Shard(i, 3))
    cfg1 = tiny_run_config(tmp_path / "b")
    run_activations_stage(cfg1, Shard(0, 1))
    dirs = shard_dirs(cfg3)
    assert len(dirs) == 3
    ranges = [json.loads((d / "shard.json").read_text()) for d in dirs]
    n_seq = open_token_file(RunPaths(tmp_path / "a" / "out").tokens).n_seq
    assert [(r["seq_start"], r["seq_end"]) for r in ranges] == [Shard(i, 3).range(n_seq) for i in range(3)]
    for hp in ("model.layers.1", "model.layers.2"):
        a, b = load_hookpoint(cfg3, hp), load_hookpoint(cfg1, hp)
        assert a.shape == (n_seq, 32, 32)
        np.testing.assert_allclose(a.astype(np.float32), b.astype(np.float32), atol=2e-3)


def test_missing_shard_is_reported(tmp_path):
    cfg = tiny_run_config(tmp_path)
    run_activations_stage(cfg, Shard(0, 2))
    with pytest.raises(FileNotFoundError, match="missing shards"):
        shard_dirs(cfg)
