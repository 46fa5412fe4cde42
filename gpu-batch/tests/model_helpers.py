"""Tiny Llama-style models, tokenizers and run configs built inside the tests (CPU, seconds)."""

from __future__ import annotations

from pathlib import Path

import torch

WORDS = (
    "the of and to a in that is for it as was with be by on not he this are or his from at which but have an they "
    "you were her she there been one all we their has would when if so no will more out up into do any your what "
    "nation union congress people states government year war peace law tax world"
).split()


def tiny_llama(n_layers: int = 4, vocab_size: int = 128, hidden: int = 32, mlp: int = 48):
    from transformers import LlamaConfig, LlamaForCausalLM

    cfg = LlamaConfig(
        vocab_size=vocab_size, hidden_size=hidden, intermediate_size=mlp, num_hidden_layers=n_layers,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256, tie_word_embeddings=False,
    )
    torch.manual_seed(0)
    return LlamaForCausalLM(cfg).eval()


def tiny_tokenizer():
    """A word-level fast tokenizer over WORDS, with <eos> and <unk>."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    vocab = {"<unk>": 0, "<eos>": 1}
    for w in WORDS:
        vocab.setdefault(w, len(vocab))
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    return PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="<unk>", eos_token="<eos>")


def save_tiny_model(directory: Path, n_layers: int = 4) -> Path:
    tokenizer = tiny_tokenizer()
    model = tiny_llama(n_layers=n_layers, vocab_size=len(tokenizer))
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    return directory


def write_corpus(directory: Path, n_docs: int = 6, words_per_doc: int = 400, seed: int = 0) -> Path:
    import random

    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    for i in range(n_docs):
        text = " ".join(rng.choice(WORDS) for _ in range(words_per_doc))
        (directory / f"{1900 + i}_speaker.txt").write_text(text)
    return directory


def tiny_run_config(tmp: Path, layers=(1, 2), **overrides):
    from feature_atlas_batch.config import run_config_from_dict

    model_dir = save_tiny_model(tmp / "model")
    corpus = write_corpus(tmp / "corpus")
    data = {
        "run": {"name": "tiny", "out_dir": str(tmp / "out"), "seed": 0, "device": "cpu"},
        "model": {"id": "tiny-llama", "display_name": "Tiny", "path": str(model_dir), "gguf_file": "", "gguf_package": ""},
        "corpus": {"kind": "sotu", "path": str(corpus)},
        "activations": {"layers": list(layers), "ctx_len": 32, "max_tokens": 1024, "batch_size": 8},
        "sae": {"num_latents": 64, "k": 4, "epochs": 2, "batch_size": 128, "dead_after_tokens": 500},
        "stats": {"window": 8, "n_top": 3, "n_quantiles": 2, "n_per_quantile": 1, "n_test": 2, "n_non_activating": 2,
                  "min_activations": 3, "max_records_per_sae": 4},
        "decode": {"top_k": 3, "index_k": 3, "block_size": 16},
        "match": {"top_k": 2, "bins": 4, "explanation_top_k": 0},
    }
    for section, values in overrides.items():
        data.setdefault(section, {}).update(values)
    return run_config_from_dict(data)
