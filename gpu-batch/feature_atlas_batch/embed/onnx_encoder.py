"""The edge's query encoder run from Python: an ONNX export of all-MiniLM-L6-v2.

Used to check that the edge's embeddings agree with the batch's (cosine >= 0.99),
and as a CPU-light encoder where torch is unwanted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from .model_files import onnx_model_dir
from .spec import DIM, MAX_TOKENS


class OnnxEmbedder:
    """Tokenise with tokenizer.json, run the ONNX graph, mean-pool over the attention mask, normalise."""

    def __init__(self, model_dir: str | Path | None = None, batch_size: int = 1) -> None:
        """`batch_size` 1 by default, as the edge embeds one query at a time: dynamic int8
        quantisation takes one scale over the whole batch, padding included, so a text's
        vector shifts slightly with the texts batched beside it."""
        import onnxruntime
        from tokenizers import Tokenizer

        folder = onnx_model_dir(model_dir)
        self.batch_size = batch_size
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        # The shipped tokenizer.json pads to a fixed 128 and truncates at 128;
        # the sentence-transformers model truncates at 256 and pads per batch.
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )
        self.input_names = {i.name for i in self.session.get_inputs()}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), 384) float32, unit rows."""
        out = [self._batch(list(texts[i:i + self.batch_size])) for i in range(0, len(texts), self.batch_size)]
        return np.concatenate(out) if out else np.zeros((0, DIM), dtype=np.float32)

    def _batch(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)  # (B, T)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)  # (B, T)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self.session.run(None, feeds)[0]  # (B, T, 384)
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)  # (B, 384)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
