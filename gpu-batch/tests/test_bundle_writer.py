"""BundleWriter: rows checked as they come, manifest last, atomic publish."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from bundle_helpers import make_bundle, unit_vectors

from feature_atlas_batch.bundle import BundleError, BundleWriter, validate_bundle
from feature_atlas_batch.bundle.golden import MODEL, SAES, SOURCE
from feature_atlas_batch.embed import EMBEDDING


def writer(path: Path, **kw: object) -> BundleWriter:
    return BundleWriter(path, "test-bundle", MODEL, EMBEDDING, SOURCE, created_at="2026-11-24T00:00:00Z", **kw)


def test_same_rows_give_same_bytes(tmp_path: Path) -> None:
    a, b = make_bundle(tmp_path / "a"), make_bundle(tmp_path / "b")
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_refuses_non_empty_target(tmp_path: Path) -> None:
    target = tmp_path / "b"
    target.mkdir()
    (target / "old.txt").write_text("x", encoding="utf-8")
    with pytest.raises(FileExistsError):
        writer(target)


def test_overwrite_replaces_target(tmp_path: Path) -> None:
    target = tmp_path / "b"
    target.mkdir()
    (target / "old.txt").write_text("x", encoding="utf-8")
    with writer(target, overwrite=True) as w:
        w.add_sae(SAES[0])
    assert not (target / "old.txt").exists()
    assert validate_bundle(target) == []


def test_failure_leaves_target_and_no_scratch(tmp_path: Path) -> None:
    target = make_bundle(tmp_path / "b")
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    with pytest.raises(RuntimeError):
        with writer(target, overwrite=True) as w:
            w.add_sae(SAES[0])
            raise RuntimeError("stage failed")
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]


def test_rows_stream_to_disk_before_close(tmp_path: Path) -> None:
    w = writer(tmp_path / "b")
    w.add_sae(SAES[0])
    for i in range(10):
        w.add_latent({"sae": SAES[0]["id"], "index": i, "density": 0.1, "maxActivation": 1.0,
                      "meanActivation": 0.5, "nActivations": 3})
    w._sinks["latents.jsonl"].file.flush()
    assert (w.scratch / "latents.jsonl").read_text(encoding="utf-8").count("\n") == 10
    assert not (w.scratch / "manifest.json").exists()
    w.close()
    assert (tmp_path / "b" / "manifest.json").is_file()


def test_bad_row_raises_with_file_and_line(tmp_path: Path) -> None:
    w = writer(tmp_path / "b")
    w.add_sae(SAES[0])
    w.add_latent({"sae": SAES[0]["id"], "index": 0, "density": 0.1, "maxActivation": 1.0,
                  "meanActivation": 0.5, "nActivations": 3})
    with pytest.raises(BundleError, match=r"latents\.jsonl:2: index 10 is not below the width 10"):
        w.add_latent({"sae": SAES[0]["id"], "index": 10, "density": 0.1, "maxActivation": 1.0,
                      "meanActivation": 0.5, "nActivations": 3})
    w.abort()
    assert not (tmp_path / "b").exists()


def test_row_referring_to_unknown_sae_is_refused(tmp_path: Path) -> None:
    w = writer(tmp_path / "b")
    with pytest.raises(BundleError, match="sae '1-res-topk' is not in saes.jsonl"):
        w.add_explanation("1-res-topk", 0, "x", "e", "m", None, unit_vectors(1)[0])
    w.abort()


def test_explanation_vector_is_checked(tmp_path: Path) -> None:
    w = writer(tmp_path / "b")
    w.add_sae(SAES[0])
    with pytest.raises(BundleError, match="shape"):
        w.add_explanation(SAES[0]["id"], 0, "x", "e", "m", None, np.ones(10, dtype=np.float32))
    with pytest.raises(BundleError, match="norm"):
        w.add_explanation(SAES[0]["id"], 0, "x", "e", "m", None, np.ones(384, dtype=np.float32))
    w.abort()


def test_explanation_ids_follow_lines_and_text_is_trimmed(tmp_path: Path) -> None:
    with writer(tmp_path / "b") as w:
        w.add_sae(SAES[0])
        ids = [w.add_explanation(SAES[0]["id"], i, f"  theme {i} \n", "e", "m", None, v)
               for i, v in enumerate(unit_vectors(3))]
    assert ids == [0, 1, 2]
    text = (tmp_path / "b" / "explanations.jsonl").read_text(encoding="utf-8")
    assert '"text":"theme 1"' in text


def test_bad_manifest_fields_are_refused_up_front(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="bundleId"):
        BundleWriter(tmp_path / "b", "Not Valid!", MODEL, EMBEDDING, SOURCE)
    with pytest.raises(BundleError, match="embedding.normalized"):
        BundleWriter(tmp_path / "b", "ok", MODEL, {**EMBEDDING, "normalized": False}, SOURCE)


def test_bundle_needs_an_sae(tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="saes.jsonl"):
        writer(tmp_path / "b").close()
    assert not (tmp_path / "b").exists()
