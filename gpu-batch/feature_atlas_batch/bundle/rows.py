"""Row rules of every `.jsonl` file of a bundle, with the cross-file state they need.

One `RowChecker` serves both the writer (rows checked as they are added) and
the validator (rows checked as they are read), so the two cannot disagree.
Rows must arrive in `schema.JSONL_FILES` order: saes first, then vocab, then
the files that refer to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from . import checks as c
from . import schema as s

Errors = list[str]

_FIELDS: dict[str, tuple[str, ...]] = {
    "saes.jsonl": ("id", "hookpoint", "layer", "site", "kind", "architecture", "width", "k", "dIn", "stats"),
    "latents.jsonl": ("sae", "index", "density", "maxActivation", "meanActivation", "nActivations"),
    "explanations.jsonl": ("id", "sae", "index", "text", "explainer", "method", "promptVersion"),
    "scores.jsonl": ("explanation", "scorer", "value", "n", "details"),
    "examples.jsonl": ("sae", "index", "rank", "kind", "quantile", "maxActivation", "tokens", "activations"),
    "vocab.jsonl": ("id", "token"),
    "decodings.jsonl": ("sae", "index", "direction", "top", "bottom"),
    "token_index.jsonl": ("tokenId", "token", "direction", "entries"),
    "matches.jsonl": ("saeA", "indexA", "saeB", "indexB", "method", "score", "rank"),
    "sae_pairs.jsonl": (
        "saeA", "saeB", "method", "nA", "nB", "threshold", "matchedFraction",
        "meanMatchedScore", "medianMatchedScore", "histogram",
    ),
}


@dataclass
class RowChecker:
    """Checks rows one at a time and remembers what later rows may refer to."""

    n_layers: int | None = None
    vocab_size: int | None = None
    sae_widths: dict[str, int] = field(default_factory=dict)
    vocab_rows: int = 0
    explanation_rows: int = 0
    _seen: dict[str, set] = field(default_factory=dict)
    _rows: dict[str, int] = field(default_factory=dict)

    def check(self, file: str, row: Any) -> Errors:
        """Errors of one row (empty when fine); the row counts as seen either way."""
        if file not in _FIELDS:
            return [f"no row rules for {file}"]
        line = self._rows.get(file, 0)
        self._rows[file] = line + 1
        if not isinstance(row, dict):
            return [f"a row must be a JSON object, got {c.short(row)}"]
        errors = c.keys(row, _FIELDS[file])
        if errors:
            return errors
        return _RULES[file](self, row, line)

    def rows(self, file: str) -> int:
        return self._rows.get(file, 0)

    # -- helpers -----------------------------------------------------------

    def _feature(self, errors: Errors, sae: Any, index: Any, sae_key: str = "sae", index_key: str = "index") -> None:
        if not isinstance(sae, str) or sae not in self.sae_widths:
            errors.append(f"{sae_key} {c.short(sae)} is not in saes.jsonl")
            return
        problem = c.int_at_least(index, 0)
        if problem:
            errors.append(f"{index_key} {problem}")
        elif index >= self.sae_widths[sae]:
            errors.append(f"{index_key} {index} is not below the width {self.sae_widths[sae]} of {sae}")

    def _unique(self, errors: Errors, file: str, key: tuple, what: str) -> None:
        seen = self._seen.setdefault(file, set())
        try:
            if key in seen:
                errors.append(f"duplicate {what} {key}")
            seen.add(key)
        except TypeError:
            pass  # a key part of the wrong type, already reported by its field check

    def _token_id(self, errors: Errors, v: Any, name: str) -> None:
        problem = c.int_at_least(v, 0)
        if problem:
            errors.append(f"{name} {problem}")
        elif v >= self.vocab_rows:
            errors.append(f"{name} {v} is not in vocab.jsonl ({self.vocab_rows} rows)")


def _field(errors: Errors, name: str, problem: str | None) -> None:
    if problem:
        errors.append(f"{name} {problem}")


def _sae(ck: RowChecker, r: dict, line: int) -> Errors:
    e: Errors = []
    _field(e, "id", c.matches(r["id"], s.SAE_ID_RE))
    _field(e, "hookpoint", c.text(r["hookpoint"]))
    _field(e, "layer", c.int_at_least(r["layer"], 0))
    if c.is_int(r["layer"]) and ck.n_layers is not None and r["layer"] >= ck.n_layers:
        e.append(f"layer {r['layer']} is not below the model's nLayers {ck.n_layers}")
    _field(e, "site", c.one_of(r["site"], s.SITES))
    _field(e, "kind", c.one_of(r["kind"], s.SAE_KINDS))
    _field(e, "architecture", c.one_of(r["architecture"], s.ARCHITECTURES))
    if (r["kind"] == "neurons") != (r["architecture"] == "neurons"):
        e.append("kind 'neurons' goes with architecture 'neurons', and only with it")
    _field(e, "width", c.int_at_least(r["width"], 1))
    _field(e, "k", c.int_at_least(r["k"], 1, nullable=True))
    if r["kind"] == "neurons" and r["k"] is not None:
        e.append("k must be null for a neuron set")
    _field(e, "dIn", c.int_at_least(r["dIn"], 1, nullable=True))
    stats = r["stats"]
    if not isinstance(stats, dict):
        e.append(f"stats must be an object, got {c.short(stats)}")
    else:
        for k, v in stats.items():
            _field(e, f"stats.{k}", c.number(v))
    if isinstance(r["id"], str):
        if r["id"] in ck.sae_widths:
            e.append(f"duplicate sae id {r['id']!r}")
        elif not e:
            ck.sae_widths[r["id"]] = r["width"]
    return e


def _latent(ck: RowChecker, r: dict, line: int) -> Errors:
    e: Errors = []
    ck._feature(e, r["sae"], r["index"])
    _field(e, "density", c.number(r["density"], nullable=True, low=0, high=1))
    _field(e, "maxActivation", c.number(r["maxActivation"], nullable=True))
    _field(e, "meanActivation", c.number(r["meanActivation"], nullable=True))
    _field(e, "nActivations", c.int_at_least(r["nActivations"], 0, nullable=True))
    ck._unique(e, "latents.jsonl", (r["sae"], r["index"]), "(sae, index)")
    return e


def _explanation(ck: RowChecker, r: dict, line: int) -> Errors:
    e: Errors = []
    if r["id"] != line or not c.is_int(r["id"]):
        e.append(f"id must equal the 0-based line number {line}, got {c.short(r['id'])}")
    ck._feature(e, r["sae"], r["index"])
    t = r["text"]
    if not isinstance(t, str):
        e.append(f"text must be a string, got {c.short(t)}")
    elif not 1 <= len(t.strip()) <= s.EXPLANATION_MAX_CHARS:
        e.append(f"text must have 1..{s.EXPLANATION_MAX_CHARS} characters after trimming, has {len(t.strip())}")
    _field(e, "explainer", c.text(r["explainer"]))
    _field(e, "method", c.text(r["method"]))
    _field(e, "promptVersion", c.text(r["promptVersion"], nullable=True))
    ck.explanation_rows = line + 1
    return e


def _score(ck: RowChecker, r: dict, line: int) -> Errors:
    e: Errors = []
    problem = c.int_at_least(r["explanation"], 0)
    if problem:
        e.append(f"explanation {problem}")
    elif r["explanation"] >= ck.explanation_rows:
        e.append(f"explanation {r['explanation']} is not in explanations.jsonl ({ck.explanation_rows} rows)")
    _field(e, "scorer", c.one_of(r["scorer"], s.SCORERS))
    if r["scorer"] in s.UNIT_INTERVAL_SCORERS:
        _field(e, "value", c.number(r["value"], low=0, high=1))
    else:
        _field(e, "value", c.number(r["value"]))
    _field(e, "n", c.int_at_least(r["n"], 1))
    if r["details"] is not None and not isinstance(r["details"], dict):
        e.append(f"details must be an object or null, got {c.short(r['details'])}")
    ck._unique(e, "scores.jsonl", (r["explanation"], r["scorer"]), "(explanation, scorer)")
    return e


def _example(ck: RowChecker, r: dict, line: int) -> Errors:
    e: Errors = []
    ck._feature(e, r["sae"], r["index"])
    _field(e, "rank", c.int_at_least(r["rank"], 0))
    _field(e, "kind", c.one_of(r["kind"], s.EXAMPLE_KINDS))
    if r["kind"] == "quantile":
        _field(e, "quantile", c.int_at_least(r["quantile"], 0))
    elif r["quantile"] is not None:
        e.append("quantile must be null unless kind is 'quantile'")
    _field(e, "maxActivation", c.number(r["maxActivation"]))
    tokens, acts = r["tokens"], r["activations"]
    if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
        e.append("tokens must be a list of strings")
    elif not 1 <= len(tokens) <= s.EXAMPLE_MAX_TOKENS:
        e.append(f"tokens must have 1..{s.EXAMPLE_MAX_TOKENS} entries, has {len(tokens)}")
    if not isinstance(acts, list) or not all(c.is_number(a) for a in acts):
        e.append("activations must be a list of finite numbers")
    elif isinstance(tokens, list) and len(acts) != len(tokens):
        e.append(f"activations has {len(acts)} entries but tokens has {len(tokens)}")
    ck._unique(e, "examples.jsonl", (r["sae"], r["index"], r["kind"], r["rank"]), "(sae, index, kind, rank)")
    return e


def _vocab(ck: RowChecker, r: dict, line: int) -> Errors:
    e: Errors = []
    if r["id"] != line or not c.is_int(r["id"]):
        e.append(f"id must equal the 0-based line number {line}, got {c.short(r['id'])}")
    if not isinstance(r["token"], str):
        e.append(f"token must be a string, got {c.short(r['token'])}")
    ck.vocab_rows = line + 1
    return e


def _sorted_entries(e: Errors, name: str, entries: Any, item_keys: tuple[str, ...], descending: bool,
                    check_item: Callable[[Errors, str, dict], None]) -> None:
    if not isinstance(entries, list) or not 1 <= len(entries) <= s.DECODING_MAX_ENTRIES:
        e.append(f"{name} must be a list of 1..{s.DECODING_MAX_ENTRIES} entries")
        return
    values = []
    for i, item in enumerate(entries):
        where = f"{name}[{i}]"
        if not isinstance(item, dict):
            e.append(f"{where} must be an object")
            return
        problems = c.keys(item, item_keys)
        if problems:
            e.extend(f"{where}: {p}" for p in problems)
            return
        _field(e, f"{where}.value", c.number(item["value"]))
        check_item(e, where, item)
        values.append(item["value"])
    if all(c.is_number(v) for v in values):
        ordered = sorted(values, reverse=descending)
        if values != ordered:
            e.append(f"{name} must be sorted by value {'descending' if descending else 'ascending'}")


def _decoding(ck: RowChecker, r: dict, line: int) -> Errors:
    e: Errors = []
    ck._feature(e, r["sae"], r["index"])
    _field(e, "direction", c.one_of(r["direction"], s.DIRECTIONS))

    def token_item(errs: Errors, where: str, item: dict) -> None:
        ck._token_id(errs, item["id"], f"{where}.id")
        _field(errs, f"{where}.token", c.text(item["token"], non_empty=False))

    _sorted_entries(e, "top", r["top"], ("id", "token", "value"), True, token_item)
    _sorted_entries(e, "bottom", r["bottom"], ("id", "token", "value"), False, token_item)
    ck._unique(e, "decodings.jsonl", (r["sae"], r["index"], r["direction"]), "(sae, index, direction)")
    return e


def _token_index(ck: RowChecker, r: dict, line: int) -> Errors:
    e: Errors = []
    ck._token_id(e, r["tokenId"], "tokenId")
    _field(e, "token", c.text(r["token"], non_empty=False))
    _field(e, "direction", c.one_of(r["direction"], s.DIRECTIONS))

    def feature_item(errs: Errors, where: str, item: dict) -> None:
        ck._feature(errs, item["sae"], item["index"], f"{where}.sae", f"{where}.index")

    _sorted_entries(e, "entries", r["entries"], ("sae", "index", "value"), True, feature_item)
    ck._unique(e, "token_index.jsonl", (r["tokenId"], r["direction"]), "(tokenId, direction)")
    return e


def _match(ck: RowChecker, r: dict, line: int) -> Errors:
    e: Errors = []
    ck._feature(e, r["saeA"], r["indexA"], "saeA", "indexA")
    ck._feature(e, r["saeB"], r["indexB"], "saeB", "indexB")
    if r["saeA"] == r["saeB"]:
        e.append("saeA and saeB must differ")
    _field(e, "method", c.one_of(r["method"], s.MATCH_METHODS))
    _field(e, "score", c.number(r["score"]))
    _field(e, "rank", c.int_at_least(r["rank"], 0))
    if r["method"] == "hungarian_decoder" and r["rank"] != 0:
        e.append("rank must be 0 for method 'hungarian_decoder'")
    key = (r["saeA"], r["indexA"], r["saeB"], r["method"], r["rank"])
    ck._unique(e, "matches.jsonl", key, "(saeA, indexA, saeB, method, rank)")
    return e


def _sae_pair(ck: RowChecker, r: dict, line: int) -> Errors:
    e: Errors = []
    for k in ("saeA", "saeB"):
        if not isinstance(r[k], str) or r[k] not in ck.sae_widths:
            e.append(f"{k} {c.short(r[k])} is not in saes.jsonl")
    if r["saeA"] == r["saeB"]:
        e.append("saeA and saeB must differ")
    _field(e, "method", c.one_of(r["method"], s.PAIR_METHODS))
    _field(e, "nA", c.int_at_least(r["nA"], 0))
    _field(e, "nB", c.int_at_least(r["nB"], 0))
    _field(e, "threshold", c.number(r["threshold"]))
    _field(e, "matchedFraction", c.number(r["matchedFraction"], low=0, high=1))
    _field(e, "meanMatchedScore", c.number(r["meanMatchedScore"], nullable=True))
    _field(e, "medianMatchedScore", c.number(r["medianMatchedScore"], nullable=True))
    h = r["histogram"]
    if not isinstance(h, dict):
        e.append("histogram must be an object")
    else:
        problems = c.keys(h, ("edges", "counts"))
        if problems:
            e.extend(f"histogram: {p}" for p in problems)
        else:
            edges, counts = h["edges"], h["counts"]
            if not isinstance(edges, list) or len(edges) < 2 or not all(c.is_number(x) for x in edges):
                e.append("histogram.edges must be a list of at least 2 finite numbers")
            elif any(b <= a for a, b in zip(edges, edges[1:])):
                e.append("histogram.edges must be strictly ascending")
            elif not isinstance(counts, list) or not all(c.int_at_least(x, 0) is None for x in counts):
                e.append("histogram.counts must be a list of integers >= 0")
            elif len(counts) != len(edges) - 1:
                e.append(f"histogram.counts has {len(counts)} entries, edges has {len(edges)} (needs one fewer)")
    ck._unique(e, "sae_pairs.jsonl", (r["saeA"], r["saeB"], r["method"]), "(saeA, saeB, method)")
    return e


_RULES: dict[str, Callable[[RowChecker, dict, int], Errors]] = {
    "saes.jsonl": _sae,
    "latents.jsonl": _latent,
    "explanations.jsonl": _explanation,
    "scores.jsonl": _score,
    "examples.jsonl": _example,
    "vocab.jsonl": _vocab,
    "decodings.jsonl": _decoding,
    "token_index.jsonl": _token_index,
    "matches.jsonl": _match,
    "sae_pairs.jsonl": _sae_pair,
}
