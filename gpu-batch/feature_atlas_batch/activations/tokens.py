"""A corpus tokenised into one flat memory-mapped token file (uint16 when the vocabulary fits).

Documents are joined with the end-of-text token between them and the stream is
cut into whole sequences of `ctx_len` tokens; `tokens.json` records the dtype
and shape so the file can be opened with `np.memmap` without reading it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np
from tqdm import tqdm

from ..atomic import atomic_write_json

TOKENS_FILE = "tokens.bin"
TOKENS_META = "tokens.json"


@dataclass
class TokenFile:
    """An opened token file: `tokens` is (n_seq, ctx_len), read-only."""

    tokens: np.ndarray
    vocab_size: int

    @property
    def n_seq(self) -> int:
        return self.tokens.shape[0]

    @property
    def ctx_len(self) -> int:
        return self.tokens.shape[1]


def token_dtype(vocab_size: int) -> np.dtype:
    return np.dtype(np.uint16) if vocab_size <= 2**16 else np.dtype(np.uint32)


def write_token_file(
    out_dir: Path,
    documents: Iterable[str],
    tokenizer,
    ctx_len: int,
    max_tokens: int,
    separator_id: int | None,
) -> TokenFile:
    """Tokenise documents until `max_tokens` (rounded down to whole sequences) are collected."""
    vocab_size = len(tokenizer)
    dtype = token_dtype(vocab_size)
    n_seq = max_tokens // ctx_len
    wanted = n_seq * ctx_len
    buf = np.empty(wanted, dtype=dtype)
    filled = 0
    with tqdm(total=wanted, desc="tokenise", unit="tok") as bar:
        for doc in documents:
            ids = tokenizer(doc, add_special_tokens=False)["input_ids"]
            if separator_id is not None:
                ids = [*ids, separator_id]
            take = min(len(ids), wanted - filled)
            buf[filled : filled + take] = ids[:take]
            filled += take
            bar.update(take)
            if filled == wanted:
                break
    n_seq = filled // ctx_len
    if n_seq == 0:
        raise ValueError(f"corpus holds {filled} tokens, fewer than one sequence of {ctx_len}")
    out_dir.mkdir(parents=True, exist_ok=True)
    mm = np.memmap(out_dir / TOKENS_FILE, dtype=dtype, mode="w+", shape=(n_seq, ctx_len))
    mm[:] = buf[: n_seq * ctx_len].reshape(n_seq, ctx_len)
    mm.flush()
    del mm
    atomic_write_json(
        out_dir / TOKENS_META,
        {"dtype": dtype.name, "n_seq": n_seq, "ctx_len": ctx_len, "vocab_size": vocab_size},
    )
    return open_token_file(out_dir)


def open_token_file(directory: Path) -> TokenFile:
    meta_path = Path(directory) / TOKENS_META
    if not meta_path.is_file():
        raise FileNotFoundError(f"{meta_path} missing: run the activations stage first")
    meta = json.loads(meta_path.read_text())
    tokens = np.memmap(
        Path(directory) / TOKENS_FILE, dtype=meta["dtype"], mode="r", shape=(meta["n_seq"], meta["ctx_len"])
    )
    return TokenFile(tokens=tokens, vocab_size=meta["vocab_size"])
