"""The validator refuses broken bundles with `<file>:<line>: <what>` messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from bundle_helpers import edit_row, load_manifest, make_bundle, read_lines, rewrite, write_manifest

from feature_atlas_batch.bundle import validate_bundle


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    return make_bundle(tmp_path / "b")


def test_valid_bundle_has_no_errors(bundle: Path) -> None:
    assert validate_bundle(bundle) == []


def test_bad_checksum_is_refused(bundle: Path) -> None:
    lines = read_lines(bundle, "latents.jsonl")
    assert '"nActivations":60' in lines[2]
    lines[2] = lines[2].replace('"nActivations":60', '"nActivations":61')
    (bundle / "latents.jsonl").write_text("".join(lines), encoding="utf-8")
    errors = validate_bundle(bundle)
    assert len(errors) == 1
    assert errors[0].startswith("latents.jsonl: sha256 ")


def test_size_mismatch_is_refused(bundle: Path) -> None:
    with open(bundle / "vocab.jsonl", "ab") as f:
        f.write(b'{"id":50,"token":"x"}\n')
    errors = validate_bundle(bundle)
    assert any(e.startswith("vocab.jsonl: ") and "bytes, but manifest.files says" in e for e in errors)
    assert "vocab.jsonl: 51 rows, but manifest.files says 50" in errors


def test_wrong_format_version_is_refused(bundle: Path) -> None:
    manifest = load_manifest(bundle)
    manifest["formatVersion"] = 2
    write_manifest(bundle, manifest)
    assert validate_bundle(bundle) == ["manifest.json: formatVersion 2 is not supported (expected 1)"]


def test_unknown_manifest_key_is_refused(bundle: Path) -> None:
    manifest = load_manifest(bundle)
    manifest["embedding"]["normalised"] = True
    write_manifest(bundle, manifest)
    assert validate_bundle(bundle) == ["manifest.json: embedding: unknown key 'normalised'"]


def test_dimension_mismatch_is_refused(bundle: Path) -> None:
    manifest = load_manifest(bundle)
    manifest["embedding"]["dim"] = 512
    write_manifest(bundle, manifest)
    errors = validate_bundle(bundle)
    assert errors == ["explanation_vectors.f32: 59904 bytes is not a whole number of 512-dimensional float32 vectors"]


def test_vector_count_must_match_explanations(bundle: Path) -> None:
    raw = (bundle / "explanation_vectors.f32").read_bytes()
    rewrite(bundle, "explanation_vectors.f32", raw[: -384 * 4], rows=38)
    assert validate_bundle(bundle) == ["explanation_vectors.f32: 38 vectors, but explanations.jsonl has 39 rows"]


def test_unnormalised_vector_names_its_row(bundle: Path) -> None:
    v = np.fromfile(bundle / "explanation_vectors.f32", dtype="<f4").reshape(-1, 384)
    v[6] *= 2
    rewrite(bundle, "explanation_vectors.f32", v.tobytes(), rows=39)
    errors = validate_bundle(bundle)
    assert len(errors) == 1 and errors[0].startswith("explanation_vectors.f32:7: vector has L2 norm 2")


def test_unknown_row_key_names_file_and_line(bundle: Path) -> None:
    edit_row(bundle, "explanations.jsonl", 5, explaner="x")
    assert validate_bundle(bundle) == ["explanations.jsonl:5: unknown key 'explaner'"]


def test_missing_row_key_names_file_and_line(bundle: Path) -> None:
    edit_row(bundle, "saes.jsonl", 2, stats=...)
    errors = validate_bundle(bundle)
    assert errors[0] == "saes.jsonl:2: missing key 'stats'"


@pytest.mark.parametrize(
    ("file", "line", "change", "expected"),
    [
        ("latents.jsonl", 3, {"index": 10}, "latents.jsonl:3: index 10 is not below the width 10 of 1-res-topk"),
        ("latents.jsonl", 3, {"sae": "9-res"}, "latents.jsonl:3: sae '9-res' is not in saes.jsonl"),
        ("latents.jsonl", 4, {"index": 2}, "latents.jsonl:4: duplicate (sae, index) ('1-res-topk', 2)"),
        ("explanations.jsonl", 4, {"id": 7}, "explanations.jsonl:4: id must equal the 0-based line number 3, got 7"),
        ("explanations.jsonl", 2, {"text": "   "}, "explanations.jsonl:2: text must have 1..2000 characters after trimming, has 0"),
        ("scores.jsonl", 1, {"value": 1.5}, "scores.jsonl:1: value must be <= 1, got 1.5"),
        ("scores.jsonl", 1, {"scorer": "vibes"}, "scores.jsonl:1: scorer must be one of fuzz|detection|embedding|simulation|surprisal|intervention, got 'vibes'"),
        ("scores.jsonl", 2, {"explanation": 39}, "scores.jsonl:2: explanation 39 is not in explanations.jsonl (39 rows)"),
        ("examples.jsonl", 1, {"activations": [1.0]}, "examples.jsonl:1: activations has 1 entries but tokens has 4"),
        ("examples.jsonl", 1, {"quantile": 3}, "examples.jsonl:1: quantile must be null unless kind is 'quantile'"),
        ("vocab.jsonl", 5, {"token": 5}, "vocab.jsonl:5: token must be a string, got 5"),
        ("saes.jsonl", 3, {"k": 4}, "saes.jsonl:3: k must be null for a neuron set"),
        ("saes.jsonl", 1, {"layer": 4}, "saes.jsonl:1: layer 4 is not below the model's nLayers 4"),
        ("matches.jsonl", 5, {"rank": 1}, "matches.jsonl:5: rank must be 0 for method 'hungarian_decoder'"),
        ("sae_pairs.jsonl", 1, {"histogram": {"edges": [0, 1], "counts": [1, 2]}},
         "sae_pairs.jsonl:1: histogram.counts has 2 entries, edges has 2 (needs one fewer)"),
        ("token_index.jsonl", 1, {"tokenId": 50}, "token_index.jsonl:1: tokenId 50 is not in vocab.jsonl (50 rows)"),
    ],
)
def test_bad_rows_name_file_and_line(bundle: Path, file: str, line: int, change: dict, expected: str) -> None:
    edit_row(bundle, file, line, **change)
    assert expected in validate_bundle(bundle)


def test_unsorted_decoding_is_refused(bundle: Path) -> None:
    row = json.loads(read_lines(bundle, "decodings.jsonl")[1])
    edit_row(bundle, "decodings.jsonl", 2, top=list(reversed(row["top"])))
    assert validate_bundle(bundle) == ["decodings.jsonl:2: top must be sorted by value descending"]


def test_blank_line_and_bad_json_are_refused(bundle: Path) -> None:
    lines = read_lines(bundle, "matches.jsonl")
    lines[3] = "\n"
    lines[6] = '{"saeA": NaN}\n'
    rewrite(bundle, "matches.jsonl", "".join(lines))
    errors = validate_bundle(bundle)
    assert "matches.jsonl:4: blank line" in errors
    assert any(e.startswith("matches.jsonl:7: not valid JSON") for e in errors)


def test_crlf_and_missing_final_newline_are_refused(bundle: Path) -> None:
    lines = read_lines(bundle, "sae_pairs.jsonl")
    rewrite(bundle, "sae_pairs.jsonl", lines[0].replace("\n", "\r\n") + lines[1].rstrip("\n"), rows=2)
    errors = validate_bundle(bundle)
    assert "sae_pairs.jsonl:1: line ends must be \\n, not \\r\\n" in errors
    assert "sae_pairs.jsonl:2: the last line must end with \\n" in errors


def test_unlisted_and_missing_files_are_refused(bundle: Path) -> None:
    (bundle / "notes.txt").write_text("hi", encoding="utf-8")
    (bundle / "matches.jsonl").unlink()
    errors = validate_bundle(bundle)
    assert "notes.txt: not listed in manifest.files" in errors
    assert "matches.jsonl: listed in manifest.files but missing" in errors


def test_decodings_need_vocab(bundle: Path) -> None:
    manifest = load_manifest(bundle)
    del manifest["files"]["vocab.jsonl"]
    write_manifest(bundle, manifest)
    (bundle / "vocab.jsonl").unlink()
    assert "vocab.jsonl: required with decodings.jsonl or token_index.jsonl" in validate_bundle(bundle)


def test_cli_exit_codes(bundle: Path) -> None:
    ok = subprocess.run([sys.executable, "-m", "feature_atlas_batch.bundle.validate", str(bundle)],
                        capture_output=True, text=True)
    assert ok.returncode == 0 and ok.stdout.startswith("ok: ")
    edit_row(bundle, "latents.jsonl", 2, density=2)
    bad = subprocess.run([sys.executable, "-m", "feature_atlas_batch.bundle.validate", str(bundle)],
                         capture_output=True, text=True)
    assert bad.returncode == 1
    assert "latents.jsonl:2: density must be <= 1, got 2" in bad.stderr


def test_missing_or_broken_manifest_is_refused(bundle: Path) -> None:
    (bundle / "manifest.json").write_text('{"format": "feature-atlas-bundle",\n  "formatVersion": 1,,\n}', encoding="utf-8")
    errors = validate_bundle(bundle)
    assert len(errors) == 1 and errors[0].startswith("manifest.json:2: not valid JSON")
    (bundle / "manifest.json").unlink()
    assert validate_bundle(bundle) == ["manifest.json: missing"]


def test_refused_embedding_and_bad_ids(bundle: Path) -> None:
    manifest = load_manifest(bundle)
    manifest["embedding"]["normalized"] = False
    manifest["bundleId"] = "Golden Bundle"
    write_manifest(bundle, manifest)
    errors = validate_bundle(bundle)
    assert "manifest.json: embedding.normalized must be true, got False" in errors
    assert any(e.startswith("manifest.json: bundleId must match") for e in errors)
