"""Bundle rows (docs/bundle-format.md) from projection results."""

from __future__ import annotations

import bisect
import json
from typing import IO, Iterator

from torch import Tensor

from .project import FeatureTopK, TokenIndex


def _entries(ids: Tensor, values: Tensor, vocab: list[str]) -> list[dict]:
    return [{"id": int(i), "token": vocab[int(i)], "value": round(float(v), 4)} for i, v in zip(ids.tolist(), values.tolist())]


def decoding_rows(source: str, direction: str, res: FeatureTopK, first_index: int, vocab: list[str]) -> Iterator[dict]:
    """One row per feature of `res`; its features are `source`'s indices first_index, first_index+1, ..."""
    for f in range(res.top_ids.shape[0]):
        yield {
            "sae": source, "index": first_index + f, "direction": direction,
            "top": _entries(res.top_ids[f], res.top_values[f], vocab),
            "bottom": _entries(res.bottom_ids[f], res.bottom_values[f], vocab),
        }


def token_index_rows(direction: str, index: TokenIndex, owners: list[tuple[str, int, int]], vocab: list[str]) -> Iterator[dict]:
    """owners: (source, global start, count) in feature order, to map a global feature id to (source, index)."""
    starts = [s for _, s, _ in owners]
    values, feats = index.values.T.tolist(), index.features.T.tolist()  # (V, k)
    for tok in range(len(values)):
        entries = []
        for f, v in zip(feats[tok], values[tok]):
            o = bisect.bisect_right(starts, f) - 1
            source, start, _ = owners[o]
            entries.append({"sae": source, "index": f - start, "value": round(v, 4)})
        yield {"tokenId": tok, "token": vocab[tok], "direction": direction, "entries": entries}


def write_jsonl(f: IO[str], rows: Iterator[dict]) -> int:
    n = 0
    for row in rows:
        f.write(json.dumps(row, ensure_ascii=False, separators=(", ", ": ")) + "\n")
        n += 1
    return n
